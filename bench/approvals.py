"""The inbox and decisions at scale (goals: inbox p95 ≤ 50 ms, decision p95 ≤ 30 ms server time,
inbox at 1,000,000 requests ≤ 1.5× its time at 10,000), on SQLite or PostgreSQL.

    python bench/approvals.py sqlite [1000000]
"""
from __future__ import annotations

import os
import random
import sys
import time

from common import drop, fresh_app, p95, report, summary, timed
from sqlalchemy import select

USERS = 10_000
#: Decisions made before the measured ones, as the inbox pages are warmed: a running
#: server has compiled its statements and templates long before.
WARM_DECISIONS = 5


def build(kind: str):
    return fresh_app(kind, "bench_approvals")


def grow(app, org, count: int, seed: int) -> float:
    from bench.generate import requests
    from intranet import db

    start = time.perf_counter()
    with app.app_context():
        requests(db.session, org, count, seed=seed)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does shortly after a bulk load in production; measured
            # before it, index-only scans would still visit every new heap page.
            # The checkpoint then writes out what load and vacuum left dirty, which would
            # otherwise be flushed during the measurements, slowing every commit's WAL flush.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
                connection.exec_driver_sql("CHECKPOINT")
        else:
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
    return time.perf_counter() - start


def client_for(app, user_id: int):
    """A signed-in test client for a user (the session cookie as Flask-Login would set it)."""
    from intranet import db
    from intranet.org.models import User

    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        token = user.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


def inbox_samples(app, approvers: list[int], rounds: int = 3) -> list[float]:
    clients = [client_for(app, uid) for uid in approvers]
    for client in clients:
        client.get("/approvals/")  # warm caches, as a running server has them
    samples = []
    for _ in range(rounds):
        for client in clients:
            with timed(samples):
                response = client.get("/approvals/")
            assert response.status_code == 200
    return samples


def decision_samples(app, count: int = 60) -> list[float]:
    from intranet import db
    from intranet.approvals.models import ApprovalTask

    with app.app_context():
        rows = db.session.execute(select(ApprovalTask.request_id, ApprovalTask.assignee_id)
                                  .where(ApprovalTask.status == "pending").limit(count * 3)).all()
    random.Random(7).shuffle(rows)
    samples, seen, warm = [], set(), WARM_DECISIONS
    for request_id, assignee in rows:
        if request_id in seen:
            continue
        seen.add(request_id)
        client = client_for(app, assignee)
        with timed(samples):
            response = client.post(f"/approvals/{request_id}/approve", data={"row": "1"},
                                   headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        if warm:  # not counted: the first decisions compile statements and templates once
            samples.pop()
            warm -= 1
        if len(samples) >= count:
            break
    return samples


def main(kind: str = "sqlite", total: str = "1000000") -> None:
    from bench.generate import organisation
    from intranet import db

    total = int(total)
    app = build(kind)
    with app.app_context():
        start = time.perf_counter()
        org = organisation(db.session, USERS)
        db.session.commit()
        org_seconds = time.perf_counter() - start
    approvers = sorted(org["heads"].values())[:40] + org["vps"]
    small = 10_000
    seconds = grow(app, org, small, seed=1)
    inbox_small = inbox_samples(app, approvers)
    # The vice presidents' first page is full at both sizes (about 57 waiting at 10,000
    # requests, 5,700 at 1,000,000): the same page over a longer queue is what growth means.
    full_small = inbox_samples(app, org["vps"], rounds=9)
    seconds_more = grow(app, org, total - small, seed=2)
    inbox_large = inbox_samples(app, approvers)
    full_large = inbox_samples(app, org["vps"], rounds=9)
    decisions = decision_samples(app)
    with app.app_context():
        from intranet.approvals.models import ApprovalRequest, ApprovalTask

        pending = db.session.scalar(select(db.func.count()).select_from(ApprovalTask)
                                    .where(ApprovalTask.status == "pending"))
        requests_total = db.session.scalar(select(db.func.count()).select_from(ApprovalRequest))
    ratio = p95(full_large) / p95(full_small)
    report(f"approvals-{kind}", [
        f"Approvals on {kind}: {USERS:,} users ({org_seconds:.0f} s), {requests_total:,} requests with "
        f"{pending:,} pending (generated in {seconds + seconds_more:.0f} s):",
        f"  inbox at {small:,} requests: {summary(inbox_small)}",
        f"  inbox at {requests_total:,} requests: {summary(inbox_large)} (goal p95 ≤ 50 ms: "
        f"{'met' if p95(inbox_large) <= 50 else 'NOT met'})",
        f"  a full first page (vice presidents) at {small:,}: {summary(full_small)}",
        f"  a full first page (vice presidents) at {requests_total:,}: {summary(full_large)}",
        f"  growth of a full page's p95: ×{ratio:.2f} (goal ≤ 1.5: {'met' if ratio <= 1.5 else 'NOT met'}); "
        f"all approvers' p95 ×{p95(inbox_large) / p95(inbox_small):.2f} (their pages also fill up)",
        f"  decision (approve from the inbox row): {summary(decisions)} (goal p95 ≤ 30 ms: "
        f"{'met' if p95(decisions) <= 30 else 'NOT met'})",
    ])
    if not os.environ.get("BENCH_KEEP"):  # BENCH_KEEP=1 leaves the database for a closer look
        drop(kind, "bench_approvals")


if __name__ == "__main__":
    main(*sys.argv[1:])
