"""Task lists at 100,000 tasks (goal: p95 ≤ 50 ms server time, a fixed number of queries), on
SQLite or PostgreSQL.

    python bench/tasks.py sqlite [100000]
"""
from __future__ import annotations

import random
import sys
from datetime import date, timedelta

from approvals import client_for
from common import fresh_app, p95, report, summary, timed
from sqlalchemy import insert, select

PAGES = ("/tasks/?mine=1", "/tasks/?assigned=1&sort=due", "/tasks/?status=delayed", "/tasks/?q=迁移",
         "/tasks/board", "/tasks/timeline")
SAMPLES = 40


def fill(app, count: int) -> dict[str, int]:
    """``count`` tasks among the demo company's people, written in bulk."""
    from intranet import db, utcnow
    from intranet.org import User
    from intranet.org.demo import create_demo_company
    from plugins.tasks.models import Task, TaskHelper

    rng = random.Random(14)
    with app.app_context():
        create_demo_company(db.session, hash_method="pbkdf2:sha256:1000")
        people = db.session.execute(select(User.id, User.department_id, User.username)).all()
        statuses = ("not_started", "in_progress", "in_progress", "delayed", "review", "done", "done", "done")
        now, today = utcnow(), date.today()
        for start in range(0, count, 5000):
            rows = []
            for i in range(start, min(start + 5000, count)):
                owner, requester = rng.choice(people), rng.choice(people)
                begin = today - timedelta(days=rng.randint(0, 400))
                rows.append({"number": f"T{begin:%Y%m%d}-{i:06}", "status": rng.choice(statuses),
                             "requester_id": requester.id, "department_id": owner.department_id,
                             "created_at": now - timedelta(minutes=i), "updated_at": now,
                             "title": f"任务 {i} {'迁移' if i % 50 == 0 else '整理'}", "goal": "目标", "acceptance": "",
                             "goal_vague": True, "owner_id": owner.id, "start_on": begin,
                             "due_on": begin + timedelta(days=rng.randint(1, 30)), "planned_due_on": begin,
                             "progress": rng.randint(0, 100), "stage": "", "source": "", "delivery_note": "",
                             "review_comment": ""})
            db.session.execute(insert(Task), rows)
        ids = db.session.scalars(select(Task.id).order_by(Task.id).limit(count // 10)).all()
        db.session.execute(insert(TaskHelper), [{"task_id": i, "user_id": rng.choice(people).id} for i in ids])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        return {p.username: p.id for p in people}


def main(kind: str = "sqlite", count: int = 100_000) -> None:
    app = fresh_app(kind, "bench_tasks")
    people = fill(app, count)
    lines = [f"tasks on {kind}, {count:,} tasks"]
    for username in ("zhangwei", "chenhao", "wangjg"):
        client = client_for(app, people[username])
        for url in PAGES:
            for _ in range(3):
                client.get(url)  # warm caches and compiled statements
            samples: list[float] = []
            for _ in range(SAMPLES):
                with timed(samples):
                    assert client.get(url).status_code == 200
            lines.append(f"{username:9} {url:32} {summary(samples)}{'  OVER 50 ms' if p95(samples) > 50 else ''}")
    report(f"tasks-{kind}", lines)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite", int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
