"""The booking grid of 50 rooms over a week (goal: p95 ≤ 50 ms server time, fixed queries), on
SQLite or PostgreSQL.

    python bench/meetings.py sqlite
"""
from __future__ import annotations

import sys
from datetime import date, datetime, time, timedelta, timezone

from approvals import client_for
from common import fresh_app, p95, report, summary, timed
from sqlalchemy import insert, select

ROOMS = 50
SAMPLES = 40


def fill(app) -> tuple[dict[str, int], date]:
    """50 rooms, each booked five times a day on the seven days of this week."""
    from intranet import db, utcnow
    from intranet.org import User
    from intranet.org.demo import create_demo_company
    from plugins.meetings.models import Meeting, Room

    with app.app_context():
        create_demo_company(db.session, hash_method="pbkdf2:sha256:1000")
        people = dict(db.session.execute(select(User.username, User.id)).all())
        db.session.execute(insert(Room), [{"name": f"会议室 {i:02}", "location": "", "capacity": 10, "active": True}
                                          for i in range(ROOMS)])
        rooms = db.session.scalars(select(Room.id)).all()
        monday = date.today() - timedelta(days=date.today().weekday())
        now, rows, n = utcnow(), [], 0
        for day in range(7):
            for room in rooms:
                for slot in range(5):
                    start = datetime.combine(monday + timedelta(days=day), time(1 + slot * 2), tzinfo=timezone.utc)
                    n += 1
                    rows.append({"number": f"MT-B-{n:06}", "status": "sent", "requester_id": people["chenhao"],
                                 "created_at": now, "updated_at": now, "title": f"例会 {n}", "starts_at": start,
                                 "ends_at": start + timedelta(minutes=90), "room_id": room,
                                 "chair_id": people["chenhao"], "minute_taker_id": people["lina"], "online_link": "",
                                 "materials": "", "short_notice": False, "short_notice_reason": ""})
        db.session.execute(insert(Meeting), rows)
        db.session.commit()
        return people, monday


def main(kind: str = "sqlite") -> None:
    app = fresh_app(kind, "bench_meetings")
    people, monday = fill(app)
    client = client_for(app, people["zhangwei"])
    lines = [f"meetings on {kind}, {ROOMS} rooms, 5 bookings a room a day for a week"]
    for url in (f"/meetings/rooms?day={(monday + timedelta(days=2)).isoformat()}",
                f"/meetings/rooms?day={monday.isoformat()}&week=1", "/meetings/", "/meetings/?chair=1"):
        for _ in range(3):
            client.get(url)
        samples: list[float] = []
        for _ in range(SAMPLES):
            with timed(samples):
                assert client.get(url).status_code == 200
        lines.append(f"{url:42} {summary(samples)}{'  OVER 50 ms' if p95(samples) > 50 else ''}")
    report(f"meetings-{kind}", lines)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite")
