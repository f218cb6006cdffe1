"""Issue 14's journey: a chair books a room and sends a notice 3 working days ahead with 4 agenda items;
an attendee declares absence with a delegate; attendees sign in; the minute taker files minutes with two
action items; the chair approves; the action items are tasks of their owners; one goes overdue, its
owner gives a reason and a new plan, and the owner of the task waiting for it moves it with one click.
Ends with the printed minutes 《会议纪要》."""
from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intranet import db, utcnow
from intranet.web import calendar
from plugins.meetings.models import Meeting
from plugins.tasks.models import Task
from tests.e2e.conftest import ARTIFACTS, sign_in

pytestmark = pytest.mark.e2e


def sign_out(page):
    """Leave the session (the next person signs in on the same browser); no request of the
    page is left open while the test moves the clock in the database."""
    page.goto("about:blank")
    page.context.clear_cookies()


def add_lines(page, name: str, rows: int) -> None:
    for count in range(2, rows + 1):
        page.locator(f"#lines-{name} button[value='add:{name}']").click()
        expect(page.locator(f"#lines-{name} tbody tr")).to_have_count(count)


def test_a_meeting_from_notice_to_tracked_tasks(page, live_app, backend):
    page.on("dialog", lambda dialog: dialog.accept())
    with live_app.test_request_context():
        day = calendar().add_working_days(calendar().today(utcnow()), 3)

    sign_in(page, "hanmei")  # the administration sets up the room
    page.goto("/meetings/rooms/manage")
    page.fill("input[name=name]", "第一会议室")
    page.fill("input[name=location]", "3 楼 301")
    page.fill("input[name=capacity]", "12")
    page.click("button:has-text('Add the room')")
    expect(page.locator("table")).to_contain_text("第一会议室")
    sign_out(page)

    sign_in(page, "chenhao")  # the chair books 09:00 on the grid
    page.goto(f"/meetings/rooms?day={day.isoformat()}")
    page.locator("tr", has_text="第一会议室").locator("td.free a").nth(2).click()
    page.fill("input[name=title]", "研发部周例会")
    page.fill("input[name=end]", "11:00")
    page.fill("input[name=minute_taker]", "E0303")
    page.fill("textarea[name=attendees]", "E0302 E0303 E0304")
    add_lines(page, "agenda", 4)
    for row, (topic, minutes) in enumerate([("上周回顾", "20"), ("迁移方案", "30"), ("单点登录", "30"), ("其他", "10")]):
        page.fill(f"input[name='agenda-{row}-title']", topic)
        page.fill(f"input[name='agenda-{row}-minutes']", minutes)
    page.click("button[name=save]")
    expect(page.locator("h1")).to_contain_text("研发部周例会")
    page.click("#send button")
    expect(page.locator("h1 .pill")).to_have_text("Notice sent")
    meeting_url = page.url
    page.screenshot(path=str(ARTIFACTS / f"meetings-notice-{backend}.png"), full_page=True)
    sign_out(page)

    sign_in(page, "zhangwei")  # cannot come: 唐杰 goes instead
    page.goto(meeting_url)
    page.fill("#absence input[name=reason]", "出差")
    page.fill("#absence input[name=delegate]", "E0304")
    page.click("#absence button")
    expect(page.locator("#attendees")).to_contain_text("唐杰")
    sign_out(page)

    with live_app.app_context():  # the day comes: the meeting starts in five minutes
        meeting = db.session.scalars(select(Meeting)).one()
        meeting.starts_at, meeting.ends_at = utcnow() + timedelta(minutes=5), utcnow() + timedelta(hours=2)
        db.session.commit()
        meeting_id = meeting.id

    sign_in(page, "chenhao")  # the QR code in the room opens the sign-in page
    page.goto(f"/meetings/{meeting_id}/sign-in")
    page.click("button:has-text('Sign me in')")
    expect(page.locator(".flash")).to_contain_text("Signed in.")
    sign_out(page)

    sign_in(page, "lina")  # the minute taker signs in herself and the delegate
    page.goto(meeting_url)
    page.click("#sign-in button")
    expect(page.locator("#attendees tbody tr").nth(1)).to_contain_text(":")
    page.fill("#sign-in input[name=person]", "E0304")
    page.click("#sign-in button")
    expect(page.locator("#attendees tbody tr").nth(2)).to_contain_text(":")
    page.click("a:has-text('Write the minutes')")
    for row in range(4):
        page.fill(f"textarea[name='items-{row}-decision']", f"决议 {row + 1}")
    add_lines(page, "actions", 2)
    due = (day + timedelta(days=3)).isoformat()
    page.fill("input[name='actions-0-what']", "编写迁移回滚方案")
    page.fill("input[name='actions-0-owner']", "E0302")
    page.fill("input[name='actions-0-due_on']", due)
    page.fill("input[name='actions-1-what']", "准备灰度名单")
    page.fill("input[name='actions-1-owner']", "相关部门")
    page.fill("input[name='actions-1-due_on']", due)
    page.fill("input[name='open_items-0-what']", "监控告警阈值")
    page.fill("input[name='open_items-0-next_on']", due)
    page.click("button[name=submit]")
    expect(page.locator(".flash-error, .error").first).to_contain_text("is not a person")  # refused, beside it
    page.fill("input[name='actions-1-owner']", "E0304")
    page.click("button[name=submit]")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    minutes_url = page.url
    sign_out(page)

    sign_in(page, "chenhao")  # the chair approves from the inbox
    page.goto("/approvals/")
    page.locator("table.inbox tbody tr", has_text="研发部周例会").locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")
    page.goto(meeting_url)
    expect(page.locator("#action-tasks")).to_contain_text("编写迁移回滚方案")
    with live_app.app_context():
        first, second = db.session.scalars(select(Task).order_by(Task.id)).all()
        first_number, second_id = first.number, second.id
    page.goto(f"/tasks/{second_id}/edit")  # the grey list waits for the rollback plan
    page.fill("input[name=depends_on]", first_number)
    page.click("button[name=save]")
    expect(page.locator("h1")).to_contain_text("准备灰度名单")
    sign_out(page)

    with live_app.app_context():  # the rollback plan runs three days late
        task = db.session.scalars(select(Task).where(Task.number == first_number)).one()
        task.start_on, task.due_on = task.start_on - timedelta(days=20), task.start_on - timedelta(days=3)
        db.session.commit()
    result = live_app.test_cli_runner().invoke(args=["remind"])
    assert result.exit_code == 0, result.output

    sign_in(page, "zhangwei")
    page.goto("/tasks/?mine=1")
    page.click(f"a:has-text('{first_number}')")
    expect(page.locator("h1 .pill")).to_have_text("Delayed")
    page.fill("#delay textarea[name=reason]", "回滚脚本依赖的备份系统晚到")
    page.fill("#delay textarea[name=plan]", "备份系统到位后两天内完成")
    page.fill("#delay input[name=new_due_on]", (day + timedelta(days=10)).isoformat())
    page.click("#delay button")
    expect(page.locator("h1 .pill")).to_have_text("In progress")
    page.screenshot(path=str(ARTIFACTS / f"tasks-replanned-{backend}.png"), full_page=True)
    sign_out(page)

    sign_in(page, "tangjie")  # warned, the dependant's owner moves his task with one confirmation
    page.goto(f"/tasks/{second_id}")
    expect(page.locator("#shift-warning")).to_be_visible()
    page.click("#shift-warning button")
    expect(page.locator(".flash-success")).to_contain_text("moved by")
    page.goto(minutes_url)
    response = page.request.get(page.locator("a:has-text('Print')").first.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"minutes-{backend}.pdf").write_bytes(response.body())
    text = subprocess.run(["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True).stdout
    assert "会议纪要".encode() in text and "编写迁移回滚方案".encode() in text
