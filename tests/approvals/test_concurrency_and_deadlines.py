"""Two people deciding at once, and approval deadlines."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from intranet import db
from intranet.approvals import ApprovalAction, ApprovalTask, engine_for
from intranet.db import write_intent
from intranet.errors import Conflict
from intranet.notify import Notification
from tests.conftest import in_parallel


def test_two_approvers_at_the_same_moment_store_exactly_one_decision(app, desk):
    engine = desk.engine()
    engine.save_policy("example.order", [{"conditions": [], "steps": [
        {"name": "或签", "approvers": {"kind": "role", "value": "vp"}, "mode": "any"}]}], note="", actor_id=None)
    db.session.commit()
    _doc, approval = desk.submit("lina", 100)
    approval_id = approval.id
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, object] = {}

    def decide(username):
        write_intent.set(True)  # a POST, as in the web app
        barrier.wait()  # both start together; SQLite then serialises them, PostgreSQL locks the row
        with app.app_context():
            state = app.extensions["intranet"]
            engine = engine_for(db.session, state, enabled=state.registry.modules)
            try:
                engine.approve(approval_id, desk.company[username])
                db.session.commit()
                outcomes[username] = "approved"
            except Conflict as conflict:
                db.session.rollback()
                outcomes[username] = str(conflict)

    in_parallel(decide, ("liuyang", "zhaomin"))
    assert sorted(outcomes.values())[-1] == "approved"
    loser = next(message for message in outcomes.values() if message != "approved")
    assert loser.startswith("Already decided by") and ("刘洋" in loser or "赵敏" in loser)
    db.session.rollback()  # end this test's own snapshot to see the threads' commits
    decisions = db.session.scalar(select(func.count()).select_from(ApprovalAction).where(
        ApprovalAction.request_id == approval_id, ApprovalAction.action == "approve"))
    assert decisions == 1
    assert db.session.get(type(approval), approval_id).status == "approved"


def run_scanners(app):
    return app.test_cli_runner().invoke(args=["remind"])


def test_overdue_steps_remind_the_approver_then_escalate_to_their_manager(app, desk):
    _doc, approval = desk.submit("zhangwei", 800)  # chenhao has 1 working day
    task_id = db.session.scalar(select(ApprovalTask.id).where(ApprovalTask.request_id == approval.id))
    db.session.execute(update(ApprovalTask).where(ApprovalTask.id == task_id)
                       .values(due_at=desk.now - timedelta(hours=2)))
    db.session.commit()
    db.session.remove()
    result = run_scanners(app)
    assert "1 reminders delivered" in result.output, result.output  # overdue, escalation not yet
    db.session.execute(update(ApprovalTask).where(ApprovalTask.id == task_id)
                       .values(due_at=desk.now - timedelta(days=10)))
    db.session.commit()
    db.session.remove()
    result = run_scanners(app)
    assert "1 reminders delivered, 1 already sent" in result.output, result.output
    assert "0 reminders delivered, 2 already sent" in run_scanners(app).output
    messages = dict(db.session.execute(select(Notification.user_id, Notification.message).where(
        Notification.message.like("%Overdue%") | Notification.message.like("%Escalated%"))).all())
    assert messages[desk.company["chenhao"]].startswith("Overdue")
    assert messages[desk.company["wangjg"]].startswith("Escalated")  # chenhao's manager
    escalations = db.session.scalars(select(ApprovalAction).where(ApprovalAction.action == "escalate")).all()
    assert [(e.target_user_id, e.on_behalf_of_id) for e in escalations] == [(desk.company["wangjg"],
                                                                             desk.company["chenhao"])]
