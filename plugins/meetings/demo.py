"""Demo rooms and meetings: one held with approved minutes (its action items became tasks), one
announced for next week, one draft on short notice."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from . import services
from .models import Room

ROOMS = (("第一会议室", "3 楼 301", 12), ("第二会议室", "3 楼 305", 8), ("大会议室", "5 楼 501", 30),
         ("洽谈室 A", "1 楼大厅东侧", 4), ("洽谈室 B", "1 楼大厅西侧", 4), ("培训室", "2 楼 210", 40))


def _at(company, day, hour):
    tz = company.documents.engine.calendar.tz
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(timezone.utc)


def create(session, company) -> None:
    documents, settings, users = company.documents, company.settings, company.users
    rooms = [Room(name=n, location=loc, capacity=c) for n, loc, c in ROOMS]
    session.add_all(rooms)
    session.flush()
    calendar = documents.engine.calendar
    today = calendar.today(company.now)
    rd = [users[u].id for u in ("chenhao", "zhangwei", "lina", "tangjie")]

    # A weekly R&D meeting held three working days ago, minutes approved by the chair.
    held_day = today
    for _ in range(3):
        held_day = held_day - timedelta(days=1)
        while not calendar.is_working_day(held_day):
            held_day -= timedelta(days=1)
    company.at(_at(company, held_day, 9) - timedelta(days=5))
    agenda = [services.AgendaData("上周工作回顾", 20), services.AgendaData("测试服务器迁移方案", 30),
              services.AgendaData("单点登录上线计划", 30), services.AgendaData("其他事项", 10)]
    held = services.create(documents, services.MeetingData(
        title="研发部周例会", starts_at=_at(company, held_day, 9), ends_at=_at(company, held_day, 11),
        chair_id=rd[0], minute_taker_id=rd[2], attendee_ids=rd, agenda=agenda, room_id=rooms[0].id,
        materials="上周周报汇总；迁移方案 V2。"), users["chenhao"], settings)
    services.send(documents, held, users["chenhao"].id, settings)
    company.at(_at(company, held_day, 9) + timedelta(minutes=3))
    for person in rd[:3]:
        services.sign_in(session, held, person, person, documents.now, settings)
    services.sign_in(session, held, rd[2], rd[3], documents.now + timedelta(minutes=12), settings)
    company.at(_at(company, held_day, 15))
    minutes = services.file_minutes(documents, held, services.MinutesData(
        summary="会议按议程进行，四项议题均已形成决议。",
        items=[("上周工作回顾", "各组汇报上周进展。", "按计划推进。"),
               ("测试服务器迁移方案", "讨论停机窗口。", "周六凌晨迁移，停机不超过 4 小时。"),
               ("单点登录上线计划", "讨论灰度范围。", "先在研发部灰度一周。"),
               ("其他事项", "无。", "无。")],
        actions=[services.ActionData("编写迁移回滚方案", users["zhangwei"].employee_no, today + timedelta(days=3)),
                 services.ActionData("准备单点登录灰度名单", users["lina"].employee_no, today + timedelta(days=5))],
        open_items=[("测试环境监控告警阈值", today + timedelta(days=7))]), users["lina"], settings)
    documents.submit(minutes, users["lina"].id)
    company.at(_at(company, held_day, 17))
    documents.engine.approve(documents.latest_approval(minutes).id, users["chenhao"].id, comment="同意")

    # Next week's department heads' meeting, announced in time, with one absence.
    company.at(company.now)
    day = calendar.add_working_days(today, 4)
    heads = [users[u].id for u in ("wangjg", "chenhao", "huanglei", "sunli", "wugang", "machao")]
    upcoming = services.create(documents, services.MeetingData(
        title="月度经营分析会", starts_at=_at(company, day, 14), ends_at=_at(company, day, 16), chair_id=heads[0],
        minute_taker_id=users["songjia"].id, attendee_ids=heads,
        agenda=[services.AgendaData("本月经营数据", 30), services.AgendaData("重点项目进展", 40),
                services.AgendaData("下月工作安排", 30)], room_id=rooms[2].id), users["wangjg"], settings)
    services.send(documents, upcoming, users["wangjg"].id, settings)
    services.declare_absence(session, upcoming, users["wugang"].id, "外出参加税务培训", users["zhenghua"].id,
                             company.now, settings)

    # A draft for tomorrow: sending it will need a short-notice reason.
    tomorrow = calendar.add_working_days(today, 1)
    services.create(documents, services.MeetingData(
        title="客户投诉处理协调会", starts_at=_at(company, tomorrow, 10), ends_at=_at(company, tomorrow, 11),
        chair_id=users["huanglei"].id, minute_taker_id=users["linna"].id,
        attendee_ids=[users[u].id for u in ("huanglei", "hejing", "linna", "liangxue")],
        agenda=[services.AgendaData("投诉情况说明", 20), services.AgendaData("处理方案", 30)],
        room_id=rooms[3].id), users["huanglei"], settings)
    session.flush()
