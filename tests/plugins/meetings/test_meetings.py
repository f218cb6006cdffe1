"""会议: bookings without overlaps, notices in time, absence with a delegate, sign-in, minutes
approved by the chair whose action items become tasks."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from intranet import db, utcnow
from plugins.meetings.models import Attendee, Meeting, Minutes, Room

TZ = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(TZ).date()


def rooms(app, n=2) -> list[int]:
    with app.app_context():
        made = [Room(name=f"会议室{i + 1}", capacity=10) for i in range(n)]
        db.session.add_all(made)
        db.session.commit()
        return [r.id for r in made]


def working_days_ahead(app, n: int):
    from intranet.web import calendar

    with app.test_request_context():
        return calendar().add_working_days(TODAY, n)


def notice(room, day, start="09:00", end="10:00", **fields) -> dict:
    data = {"title": "研发部周例会", "day": day.isoformat(), "start": start, "end": end, "room_id": str(room),
            "chair": "E0301", "minute_taker": "E0303", "attendees": "E0302 E0304 E0303",
            "agenda-0-title": "上周回顾", "agenda-0-minutes": "20", "agenda-1-title": "迁移方案", "agenda-1-minutes": "30",
            "agenda-2-title": "单点登录", "agenda-2-minutes": "30", "agenda-3-title": "其他", "agenda-3-minutes": "10"}
    data.update(fields)
    return data


def file_notice(client, auth, room, day, username="chenhao", **fields) -> int:
    auth.login(username)
    response = client.post("/meetings/new", data=notice(room, day, **fields))
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(app, model=Meeting) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def meeting(app, meeting_id) -> Meeting:
    with app.app_context():
        found = db.session.get(Meeting, meeting_id)
        _ = found.attendees, found.agenda
        db.session.expunge_all()
        return found


def test_a_room_is_never_booked_twice(app, client, auth, company):
    room, other = rooms(app)
    day = working_days_ahead(app, 3)
    file_notice(client, auth, room, day)
    clash = client.post("/meetings/new", data=notice(room, day, start="09:30", end="10:30"))
    assert clash.status_code == 422 and "is booked then for" in clash.get_data(as_text=True)
    assert count(app) == 1
    file_notice(client, auth, room, day, start="10:00", end="11:00")  # back to back is fine
    file_notice(client, auth, other, day)  # another room at the same time too
    grid = client.get(f"/meetings/rooms?day={day.isoformat()}").get_data(as_text=True)
    assert grid.count('class="booked"') == 3


@pytest.mark.parametrize("fields, message", [
    ({"agenda-4-title": "五", "agenda-4-minutes": "5", "agenda-5-title": "六", "agenda-5-minutes": "5"},
     "At most 5 agenda items."),
    ({"agenda-3-minutes": "60"}, "The agenda takes 140 minutes; at most 120."),
    ({"agenda-1-minutes": ""}, "Each agenda item needs a topic and its minutes."),
    ({"chair": ""}, "This field is required."),
    ({"attendees": "E0302 E9999"}, "There is no active employee with number E9999."),
    ({"room_id": "", "online_link": ""}, "Book a room or give an online link."),
    ({"end": "08:00"}, "The meeting must end after it starts."),
])
def test_bad_notices_are_refused_beside_the_field_and_nothing_is_written(app, client, auth, company, fields,
                                                                          message):
    room, = rooms(app, 1)
    auth.login("chenhao")
    response = client.post("/meetings/new", data=notice(room, working_days_ahead(app, 3), **fields))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_notice_less_than_two_working_days_ahead_needs_a_reason_and_is_marked(app, client, auth, company):
    room, = rooms(app, 1)
    in_time = file_notice(client, auth, room, working_days_ahead(app, 3))
    assert client.post(f"/meetings/{in_time}/send").status_code == 302
    assert not meeting(app, in_time).short_notice and meeting(app, in_time).status == "sent"
    assert client.post(f"/meetings/{in_time}/send").status_code == 409  # second click
    late = file_notice(client, auth, room, working_days_ahead(app, 1))
    refused = client.post(f"/meetings/{late}/send", data={"reason": ""})
    assert refused.status_code == 422 and "say why" in refused.get_data(as_text=True)
    assert meeting(app, late).status == "draft"
    client.post(f"/meetings/{late}/send", data={"reason": "客户明天来访，需要提前对齐方案"})
    sent = meeting(app, late)
    assert sent.status == "sent" and sent.short_notice and sent.short_notice_reason.startswith("客户")
    ics = client.get(f"/meetings/{in_time}/invite.ics")
    assert ics.mimetype == "text/calendar" and b"SUMMARY:" in ics.data and b"DTSTART" in ics.data


def test_absence_is_declared_a_day_ahead_with_a_delegate(app, client, auth, company):
    room, = rooms(app, 1)
    meeting_id = file_notice(client, auth, room, working_days_ahead(app, 3))
    client.post(f"/meetings/{meeting_id}/send")
    auth.login("zhangwei")
    no_delegate = client.post(f"/meetings/{meeting_id}/absence", data={"reason": "出差", "delegate": ""})
    assert no_delegate.status_code == 422
    ok = client.post(f"/meetings/{meeting_id}/absence", data={"reason": "出差", "delegate": "E0304"})
    assert ok.status_code == 302
    mine = next(a for a in meeting(app, meeting_id).attendees if a.user_id == company["zhangwei"])
    assert mine.absent and mine.delegate_id == company["tangjie"]
    auth.login("hejing")  # not invited
    assert client.post(f"/meetings/{meeting_id}/absence", data={"reason": "x", "delegate": "E0304"}).status_code == 403


def test_too_late_an_absence_is_refused(app, company):
    from plugins.meetings import services

    with app.test_request_context():
        from intranet.web import settings

        found = Meeting(starts_at=utcnow() + timedelta(hours=5), status="sent",
                        attendees=[Attendee(user_id=company["lina"])])
        with pytest.raises(Exception) as refused:
            services.declare_absence(db.session, found, company["lina"], "临时有事", company["zhangwei"], utcnow(),
                                     settings())
        assert "at least %(hours)s hours ahead" in refused.value.message


def _sent_meeting_starting_soon(app, client, auth, minutes_from_now=5) -> int:
    room, = rooms(app, 1)
    start = datetime.now(TZ) + timedelta(minutes=minutes_from_now)
    end = start + timedelta(hours=1)
    meeting_id = file_notice(client, auth, room, start.date(), start=start.strftime("%H:%M"),
                             end=end.strftime("%H:%M") if end.date() == start.date() else "23:59")
    client.post(f"/meetings/{meeting_id}/send", data={"reason": "紧急"})
    return meeting_id


def test_attendees_sign_in_and_strangers_cannot(app, client, auth, company):
    meeting_id = _sent_meeting_starting_soon(app, client, auth)
    auth.login("hejing")
    refused = client.post(f"/meetings/{meeting_id}/sign-in")
    assert refused.status_code == 422 and "not invited" in refused.get_data(as_text=True)
    auth.login("zhangwei")
    assert client.post(f"/meetings/{meeting_id}/sign-in").status_code == 302
    assert client.post(f"/meetings/{meeting_id}/sign-in").status_code == 409  # second click
    auth.login("lina")  # the minute taker signs in someone else
    assert client.post(f"/meetings/{meeting_id}/sign-in", data={"person": "E0304"}).status_code == 302
    signed = {a.user_id: a for a in meeting(app, meeting_id).attendees}
    assert signed[company["zhangwei"]].signed_in_at and not signed[company["zhangwei"]].late
    assert signed[company["tangjie"]].signed_in_by_id == company["lina"]
    auth.login("zhangwei")
    assert client.post(f"/meetings/{meeting_id}/sign-in", data={"person": "E0304"}).status_code == 403


def test_a_sign_in_after_ten_minutes_is_late_and_an_empty_room_is_released(app, company):
    from intranet.web import settings
    from plugins.meetings import services

    with app.test_request_context():
        start = utcnow().replace(microsecond=0)
        found = Meeting(number="MT-T", title="t", starts_at=start, ends_at=start + timedelta(hours=1), status="sent",
                        chair_id=company["chenhao"], minute_taker_id=company["lina"], requester_id=company["chenhao"],
                        room_id=rooms(app, 1)[0], attendees=[Attendee(user_id=company["lina"]),
                                                             Attendee(user_id=company["zhangwei"])])
        db.session.add(found)
        db.session.flush()
        assert services.release_rooms(db.session, start + timedelta(minutes=14), settings()) == []
        assert services.release_rooms(db.session, start + timedelta(minutes=16), settings()) == [found]
        late = services.sign_in(db.session, found, company["zhangwei"], company["zhangwei"],
                                start + timedelta(minutes=11), settings())
        assert late.late
        db.session.rollback()


def _minutes(meeting_id, **fields) -> dict:
    data = {"items-0-topic": "上周回顾", "items-0-decision": "按计划推进", "items-1-topic": "迁移方案",
            "items-1-decision": "周六迁移", "items-2-topic": "单点登录", "items-2-decision": "灰度一周",
            "items-3-topic": "其他", "items-3-decision": "无",
            "actions-0-what": "编写迁移回滚方案", "actions-0-owner": "E0302",
            "actions-0-due_on": (TODAY + timedelta(days=3)).isoformat(),
            "actions-1-what": "准备灰度名单", "actions-1-owner": "E0304",
            "actions-1-due_on": (TODAY + timedelta(days=5)).isoformat(),
            "open_items-0-what": "监控告警阈值", "open_items-0-next_on": (TODAY + timedelta(days=7)).isoformat(),
            "submit": "1"}
    data.update(fields)
    return data


@pytest.mark.parametrize("fields, message", [
    ({"actions-0-owner": "相关部门"}, "is not a person: name one owner for each action item."),
    ({"actions-1-owner": "the relevant department"}, "is not a person"),
    ({"actions-0-due_on": ""}, "Each action item needs one named owner and a due date."),
    ({"actions-0-owner": ""}, "Each action item needs one named owner and a due date."),
    ({"items-1-decision": ""}, "Record the decision of every agenda item."),
    ({"open_items-0-next_on": ""}, "Each open item needs the date of its next discussion."),
])
def test_bad_minutes_are_refused_and_nothing_is_written(app, client, auth, company, fields, message):
    meeting_id = _sent_meeting_starting_soon(app, client, auth)
    auth.login("lina")
    response = client.post(f"/meetings/{meeting_id}/minutes/new", data=_minutes(meeting_id, **fields))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app, Minutes) == 0


def test_approved_minutes_turn_action_items_into_tasks_and_reach_every_attendee(app, client, auth, company):
    from intranet.notify import Notification
    from plugins.tasks.models import Task
    from intranet.approvals import ApprovalRequest

    meeting_id = _sent_meeting_starting_soon(app, client, auth)
    auth.login("zhangwei")
    assert client.get(f"/meetings/{meeting_id}/minutes/new").status_code == 403  # only the minute taker
    auth.login("lina")
    response = client.post(f"/meetings/{meeting_id}/minutes/new", data=_minutes(meeting_id))
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    minutes_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        approval = db.session.scalar(select(func.max(ApprovalRequest.id)))
    auth.login("chenhao")  # the chair approves
    assert client.post(f"/approvals/{approval}/approve").status_code in (200, 302)
    with app.app_context():
        tasks = db.session.scalars(select(Task).order_by(Task.id)).all()
        assert [(t.title, t.owner_id, t.requester_id, t.source) for t in tasks] == [
            ("编写迁移回滚方案", company["zhangwei"], company["chenhao"], f"meetings.minutes:{minutes_id}:1"),
            ("准备灰度名单", company["tangjie"], company["chenhao"], f"meetings.minutes:{minutes_id}:2")]
        minutes = db.session.get(Minutes, minutes_id)
        assert minutes.status == "approved" and minutes.distributed_at and minutes.meeting.status == "closed"
        told = set(db.session.scalars(select(Notification.user_id).where(
            Notification.message == "Minutes of %(title)s (%(number)s) are approved")))
    assert {company["zhangwei"], company["lina"], company["tangjie"], company["chenhao"]} <= told
    page = client.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "编写迁移回滚方案" in page and "/tasks/" in page
    follow = client.post(f"/meetings/{meeting_id}/follow-up",
                         data={"day": (TODAY + timedelta(days=7)).isoformat(), "start": "09:00"})
    assert follow.status_code == 302
    with app.app_context():
        newest = db.session.scalar(select(Meeting).order_by(Meeting.id.desc()).limit(1))
        assert newest.previous_id == meeting_id and [a.title for a in newest.agenda] == ["监控告警阈值"]


def test_the_booking_grid_of_fifty_rooms_reads_a_fixed_number_of_queries(app, client, auth, company):
    from tests.test_queries import counted

    room_ids = rooms(app, 5)
    day = working_days_ahead(app, 3)
    file_notice(client, auth, room_ids[0], day)
    url = f"/meetings/rooms?day={day.isoformat()}"
    client.get(url)
    with counted(app) as small:
        assert client.get(url).status_code == 200
    with app.app_context():
        db.session.add_all(Room(name=f"大楼会议室{i}", capacity=8) for i in range(45))
        db.session.commit()
    for i in range(1, 5):
        file_notice(client, auth, room_ids[i], day, start=f"1{i}:00", end=f"1{i}:30")
    with counted(app) as large:
        assert client.get(url).status_code == 200
        assert client.get(url + "&week=1").status_code == 200
    assert len(large) == 2 * len(small)


def test_the_administration_adds_rooms(app, client, auth, company):
    auth.login("zhangwei")
    assert client.get("/meetings/rooms/manage").status_code == 403
    auth.login("hanmei")
    assert client.post("/meetings/rooms/manage", data={"name": "第一会议室", "location": "3 楼", "capacity": "12"}
                       ).status_code == 302
    again = client.post("/meetings/rooms/manage", data={"name": "第一会议室", "location": "", "capacity": "8"})
    assert again.status_code == 422 and "There is a room of this name already." in again.get_data(as_text=True)
    assert count(app, Room) == 1
