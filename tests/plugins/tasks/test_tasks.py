"""任务跟踪: one owner, a checkable goal, progress, delays with a reason and a new plan, acceptance."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.notify import Notification
from plugins.tasks.models import Task, TaskDelay

FORM = {"title": "测试服务器迁移", "owner": "E0302", "helpers": "E0303", "goal": "将 3 台测试服务器迁移到新机房，\n停机不超过 4 小时。",
        "acceptance": "服务器开机运行，监控无告警。", "milestones-0-title": "方案评审"}


#: Today on the company's calendar (its default zone), whatever the hour and zone the tests run in.
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def new_task(client, auth, requester="chenhao", *, start=0, due=10, **fields) -> int:
    """A task filed through its form, as in the browser; returns its id."""
    auth.login(requester)
    data = {**FORM, "start_on": days(start), "due_on": days(due), "milestones-0-due_on": days(start + 1), **fields}
    response = client.post("/tasks/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def task(app, task_id) -> Task:
    with app.app_context():
        found = db.session.get(Task, task_id)
        db.session.expunge(found)
        return found


def count(app, model=Task) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def messages(app, username_id) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Notification.message).where(Notification.user_id == username_id)))


def test_a_task_gets_a_dated_number_one_owner_and_its_helpers(app, client, auth, company):
    task_id = new_task(client, auth)
    found = task(app, task_id)
    assert re.fullmatch(r"T\d{8}-001", found.number)
    assert found.owner_id == company["zhangwei"] and found.requester_id == company["chenhao"]
    assert found.status == "not_started" and found.planned_due_on == found.due_on and not found.goal_vague
    assert "You own a new task %(number)s: %(title)s" in messages(app, company["zhangwei"])
    auth.login("lina")  # a helper sees the task; someone else of the department does not
    assert client.get(f"/tasks/{task_id}").status_code == 200
    auth.login("tangjie")
    assert client.get(f"/tasks/{task_id}").status_code == 403
    assert "测试服务器迁移" not in client.get("/tasks/").get_data(as_text=True)


def test_a_vague_one_line_goal_is_flagged(app, client, auth, company):
    task_id = new_task(client, auth, goal="做好迁移")
    assert task(app, task_id).goal_vague
    auth.login("zhangwei")
    assert "The goal is vague" in client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "测试服务器迁移" in client.get("/tasks/?vague=1").get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("owner", "", "This field is required."),
    ("owner", "E9999", "There is no active employee with number E9999."),
    ("title", "", "This field is required."),
    ("due_on", "", "This field is required."),
    ("due_on", "明天", "Not a valid date value."),
    ("helpers", "E0303 X1", "There is no active employee with number X1."),
    ("depends_on", "T19990101-001", "There is no task T19990101-001."),
    ("milestones-0-due_on", "", "Each milestone needs a name and a date."),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(app, client, auth, company, field, value,
                                                                       message):
    auth.login("chenhao")
    data = {**FORM, "start_on": days(0), "due_on": days(5), "milestones-0-due_on": days(1), field: value}
    response = client.post("/tasks/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app) == 0


def test_the_due_date_cannot_come_before_the_start(app, client, auth, company):
    auth.login("chenhao")
    response = client.post("/tasks/new", data={**FORM, "start_on": days(5), "due_on": days(1)})
    assert response.status_code == 422 and "The due date cannot be before the start." in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_task_cannot_wait_for_itself_through_others(app, client, auth, company):
    first = new_task(client, auth)
    second = new_task(client, auth, depends_on=task(app, first).number)
    response = client.post(f"/tasks/{first}/edit", data={**FORM, "start_on": days(0), "due_on": days(10),
                                                          "depends_on": task(app, second).number})
    assert response.status_code == 422 and "cannot wait for itself" in response.get_data(as_text=True)


def test_progress_starts_the_task_and_only_owner_and_helpers_report_it(app, client, auth, company):
    task_id = new_task(client, auth)
    auth.login("tangjie")
    assert client.post(f"/tasks/{task_id}/progress", data={"progress": "30"}).status_code == 403
    auth.login("lina")
    assert client.post(f"/tasks/{task_id}/progress", data={"progress": "130"}).status_code == 422
    assert client.post(f"/tasks/{task_id}/progress", data={"progress": "30", "stage": "方案"}).status_code == 302
    found = task(app, task_id)
    assert (found.status, found.progress, found.stage) == ("in_progress", 30, "方案")


def test_a_refused_acceptance_reopens_the_task_with_the_changes_required(app, client, auth, company):
    task_id = new_task(client, auth)
    auth.login("zhangwei")
    assert client.post(f"/tasks/{task_id}/deliver", data={"note": ""}).status_code == 422
    assert client.post(f"/tasks/{task_id}/deliver", data={"note": "迁移完成，报告见附件"}).status_code == 302
    assert task(app, task_id).status == "review"
    assert client.post(f"/tasks/{task_id}/deliver", data={"note": "again"}).status_code == 409  # second click
    assert client.post(f"/tasks/{task_id}/review", data={"decision": "accept"}).status_code == 403  # not the requester
    auth.login("chenhao")
    refused = client.post(f"/tasks/{task_id}/review", data={"decision": "refuse", "comment": ""})
    assert refused.status_code == 422 and "Say what must change" in refused.get_data(as_text=True)
    assert task(app, task_id).status == "review"
    client.post(f"/tasks/{task_id}/review", data={"decision": "refuse", "comment": "缺少监控截图"})
    found = task(app, task_id)
    assert (found.status, found.review_comment) == ("in_progress", "缺少监控截图") and found.progress < 100
    auth.login("zhangwei")
    client.post(f"/tasks/{task_id}/deliver", data={"note": "已补充监控截图"})
    auth.login("chenhao")
    client.post(f"/tasks/{task_id}/review", data={"decision": "accept", "comment": "通过"})
    found = task(app, task_id)
    assert found.status == "done" and found.finished_on == TODAY


def remind(runner):
    result = runner.invoke(args=["remind"])
    assert result.exit_code == 0, result.output


def test_overdue_by_more_than_a_day_a_task_is_delayed_and_needs_a_reason_and_a_new_plan(app, client, auth, company,
                                                                                        runner):
    late = new_task(client, auth, start=-10, due=-2)
    on_the_edge = new_task(client, auth, start=-10, due=-1)  # overdue by one day: not yet delayed
    waiting = new_task(client, auth, start=0, due=8, owner="E0303", helpers="",
                       depends_on=task(app, late).number)
    remind(runner)
    assert task(app, late).status == "delayed" and task(app, on_the_edge).status == "not_started"
    assert "Task %(number)s %(title)s is delayed: give the reason and a new plan" in messages(app, company["zhangwei"])
    assert "Task %(number)s that your task %(mine)s waits for is delayed" in messages(app, company["lina"])
    auth.login("lina")  # the waiting task's owner sees by how much to move it
    assert "must move by" in client.get(f"/tasks/{waiting}").get_data(as_text=True)

    auth.login("zhangwei")
    missing = client.post(f"/tasks/{late}/delay", data={"reason": "", "plan": "下周完成", "new_due_on": days(6)})
    assert missing.status_code == 422 and count(app, TaskDelay) == 0
    past = client.post(f"/tasks/{late}/delay", data={"reason": "等待机柜", "plan": "下周完成", "new_due_on": days(-1)})
    assert past.status_code == 422 and "Give a new due date from today on." in past.get_data(as_text=True)
    client.post(f"/tasks/{late}/delay", data={"reason": "机房机柜晚到", "plan": "机柜到位后两天内迁移",
                                              "new_due_on": days(6), "shift_milestones": "y"})
    found = task(app, late)
    assert found.status == "in_progress" and found.due_on == TODAY + timedelta(days=6)
    assert found.planned_due_on == TODAY - timedelta(days=2)
    assert "Task %(number)s you wait for is now due on %(due)s: check your dates" in messages(app, company["lina"])

    auth.login("lina")  # one confirmation moves the waiting task after its predecessor
    assert client.post(f"/tasks/{waiting}/shift", data={"days": "1"}).status_code == 409
    client.post(f"/tasks/{waiting}/shift", data={"days": "7"})
    moved = task(app, waiting)
    assert moved.start_on == TODAY + timedelta(days=7) and moved.due_on == TODAY + timedelta(days=15)
    assert client.post(f"/tasks/{waiting}/shift", data={"days": "7"}).status_code == 409  # second click


def test_a_delay_without_a_new_plan_goes_to_the_owners_manager(app, client, auth, company, runner):
    late = new_task(client, auth, start=-20, due=-10)
    with app.app_context():
        db.session.get(Task, late).status = "in_progress"
        db.session.commit()
    remind(runner)
    with app.app_context():
        db.session.get(Task, late).delayed_on = TODAY - timedelta(days=7)
        db.session.commit()
    remind(runner)
    assert "Task %(number)s %(title)s of %(owner)s is delayed without a new plan" in messages(app, company["chenhao"])


def test_other_modules_create_tasks_and_find_them_by_source(app, company):
    from intranet import ask

    with app.test_request_context():
        answer = ask("tasks_create", source="meetings.minutes:42:1", title="整理会议决议", owner_id=company["lina"],
                     due=TODAY + timedelta(days=3), requester_id=company["chenhao"], goal="", acceptance="")
        assert answer.available
        db.session.commit()
        found = ask("tasks_of_source", prefix="meetings.minutes:42:").value
        assert [(t["id"], t["owner_id"], t["status"]) for t in found] == [
            (answer.value, company["lina"], "not_started")]
        assert found[0]["url"] == f"/tasks/{answer.value}"
        assert ask("tasks_of_source", prefix="meetings.minutes:4").value and not ask(
            "tasks_of_source", prefix="meetings.minutes:43:").value


def test_an_owner_is_required_from_other_modules_too(app, company):
    from intranet import Invalid, ask

    with app.test_request_context(), pytest.raises(Invalid):
        ask("tasks_create", source="meetings.minutes:1:1", title="找相关部门", owner_id=None,
            due=TODAY, requester_id=company["chenhao"], goal="", acceptance="")


def test_the_board_starts_a_card_in_place_and_the_timeline_draws_svg(app, client, auth, company):
    task_id = new_task(client, auth)
    second = new_task(client, auth, depends_on=task(app, task_id).number)
    auth.login("zhangwei")
    board = client.get("/tasks/board").get_data(as_text=True)
    assert "测试服务器迁移" in board
    moved = client.post(f"/tasks/{task_id}/move", data={"status": "in_progress"}, headers={"HX-Request": "true"})
    assert moved.status_code == 200 and moved.get_data(as_text=True).startswith('\n<div id="board"') is False
    assert task(app, task_id).status == "in_progress"
    assert client.post(f"/tasks/{task_id}/move", data={"status": "in_progress"}).status_code == 409
    timeline = client.get("/tasks/timeline").get_data(as_text=True)
    assert "<svg" in timeline and 'marker-end="url(#arrow)"' in timeline and task(app, second).number in timeline


def test_the_widget_lists_my_open_tasks_with_a_chart(app, client, auth, company):
    new_task(client, auth)
    auth.login("zhangwei")
    widget = client.get("/widgets/tasks.mine").get_data(as_text=True)
    assert "测试服务器迁移" in widget and "<svg" in widget


def test_the_list_exports_what_it_shows(app, client, auth, company):
    new_task(client, auth)
    auth.login("chenhao")
    csv = client.get("/tasks/export.csv?assigned=1").get_data(as_text=True)
    assert "测试服务器迁移" in csv and "张伟" in csv


def grow_tasks(app, company, n: int) -> None:
    """``n`` more tasks of 研发部 with helpers, milestones and links, filed through the rules."""
    from intranet.approvals import engine_for
    from intranet.documents import DocumentService
    from intranet.org import User
    from intranet.settings import Settings, load_overrides
    from plugins.tasks import services

    with app.app_context():
        state = app.extensions["intranet"]
        engine = engine_for(db.session, state, state.registry.modules)
        documents = DocumentService(db.session, types=state.document_types, engine=engine, settings=engine.settings)
        settings = Settings(state.settings, load_overrides(db.session))
        requester = db.session.get(User, company["chenhao"])
        previous = None
        for i in range(n):
            task = services.create(documents, services.TaskData(
                title=f"批量任务{i}", owner_id=company["zhangwei"], helper_ids=[company["lina"]], start_on=TODAY,
                due_on=TODAY + timedelta(days=i % 9 + 1), goal="目标",
                milestones=[services.MilestoneData("检查点", TODAY + timedelta(days=1))],
                depends_on=[previous] if previous else []), requester, settings)
            previous = task.number
        db.session.commit()


@pytest.mark.parametrize("username, url", [
    ("zhangwei", "/tasks/?mine=1"), ("chenhao", "/tasks/?assigned=1&sort=due"), ("liuyang", "/tasks/"),
    ("lina", "/tasks/?q=批量"), ("zhangwei", "/tasks/board"), ("zhangwei", "/tasks/timeline"),
    ("zhangwei", "/tasks/1"), ("zhangwei", "/widgets/tasks.mine")])
def test_task_pages_read_a_fixed_number_of_queries(app, client, auth, company, username, url):
    from tests.test_queries import counted

    grow_tasks(app, company, 3)
    auth.login(username)
    client.get(url)
    with counted(app) as small:
        assert client.get(url).status_code == 200
    grow_tasks(app, company, 30)
    with counted(app) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), url


def test_the_task_prints_as_a_task_sheet(app, client, auth, company):
    from tests.pdf.test_printing import poppler

    task_id = new_task(client, auth)
    auth.login("zhangwei")
    response = client.get(f"/print/tasks.task/{task_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = poppler("pdftotext", response.data)
    assert "任务单" in text and task(app, task_id).number in text and "方案评审" in text
