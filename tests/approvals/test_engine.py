"""The approval engine, action by action, on the example order's default policy
(department head; from 5,000 also the vice president in charge)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from intranet import db
from intranet.approvals import ApprovalAction, ApprovalPolicy
from intranet.approvals.signatures import signature
from intranet.errors import Conflict, Forbidden, Invalid
from intranet.notify import Notification
from tests.example_module.models import ExampleOrder
from tests.test_queries import counted


def steps_of(approval):
    return [(s.name, s.status, s.approver_ids) for s in approval.steps if s.round == approval.round]


def test_below_the_threshold_only_the_department_head_approves(desk):
    document, approval = desk.submit("zhangwei", 800)
    assert steps_of(approval) == [("Department head", "active", [desk.company["chenhao"]])]
    assert desk.waiting_for(approval) == {"chenhao"}
    desk.act("approve", approval, "chenhao")
    assert approval.status == "approved"
    assert db.session.get(ExampleOrder, document.id).status == "approved"  # the module's callback


def test_from_5000_the_vice_president_in_charge_follows(desk):
    document, approval = desk.submit("zhangwei", 6000)
    assert [s[0] for s in steps_of(approval)] == ["Department head", "Vice president"]
    desk.act("approve", approval, "chenhao")
    assert desk.waiting_for(approval) == {"liuyang"}
    desk.act("approve", approval, "liuyang")
    assert approval.status == "approved"


def test_the_final_approval_reads_each_thing_once_and_writes_the_request_once(desk):
    """The document checked before signing is the one the module's callback gets; the task
    comes with its step, and the round's steps read to find the next one are the ones
    closed; signature and status reach the request in one UPDATE."""
    _document, approval = desk.submit("zhangwei", 800)
    with counted(desk.app) as statements:
        desk.act("approve", approval, "chenhao")
    assert approval.status == "approved"
    reads = [s for s in statements if s.lstrip().startswith("SELECT")]
    assert sum(bool(re.match(r"\s*SELECT example_order\.", s)) for s in reads) == 1, reads  # the order itself
    assert sum("FROM core_approval_step" in s for s in reads) == 1, reads
    assert sum("FROM core_approval_task" in s for s in reads) == 1, reads  # with their steps
    writes = [s for s in statements if s.lstrip().startswith("UPDATE core_approval_request")]
    assert len(writes) == 1 and "last_signature" in writes[0] and "status" in writes[0], writes


def test_the_requester_never_approves_their_own_step(desk):
    _doc, approval = desk.submit("chenhao", 800)  # chenhao heads 研发部
    assert desk.waiting_for(approval) == {"wangjg"}  # so the head above decides


def test_the_same_person_is_not_asked_twice(desk):
    from intranet.org import Department

    management = db.session.scalar(select(Department).where(Department.code == "GMO"))
    management.vp_id = desk.company["wangjg"]  # 总经办's head in charge of it too
    db.session.commit()
    _doc, approval = desk.submit("zhaomin", 6000)  # a VP in 总经办: head wangjg, then VP wangjg again
    assert [(name, status) for name, status, _ in steps_of(approval)] == [("Department head", "active"),
                                                                          ("Vice president", "skipped")]
    assert any("already decide in an earlier step" in note[0] for note in approval.steps[1].notes)


def test_each_decision_is_a_chained_signature(desk):
    _doc, approval = desk.submit("zhangwei", 6000)
    desk.act("approve", approval, "chenhao", comment="同意")
    desk.act("approve", approval, "liuyang")
    decisions = db.session.scalars(select(ApprovalAction).where(ApprovalAction.request_id == approval.id,
                                                                ApprovalAction.signature.is_not(None))
                                   .order_by(ApprovalAction.id)).all()
    assert [d.action for d in decisions] == ["submit", "approve", "approve"]
    previous = "0" * 64
    for decision in decisions:
        assert decision.prev_signature == previous
        assert decision.content_hash == approval.content_hash
        assert decision.signature == signature(previous, decision.content_hash, decision.action,
                                               decision.actor_id, decision.on_behalf_of_id, decision.at)
        previous = decision.signature
    assert approval.last_signature == previous


def test_a_document_is_read_only_while_pending_and_after_approval(desk):
    document, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Conflict, match="read-only"):
        desk.change(document, "zhangwei", title="改标题", amount=1)
    document.title = "偷偷改了"  # a change behind the engine's back is refused at signing
    db.session.flush()
    with pytest.raises(Conflict, match="changed after it was submitted"):
        desk.engine().approve(approval.id, desk.company["chenhao"])


def test_reject_needs_a_reason_and_ends_the_request(desk):
    document, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Invalid, match="Give a reason"):
        desk.act("reject", approval, "chenhao", reason="  ")
    desk.act("reject", approval, "chenhao", reason="预算不足")
    assert approval.status == "rejected" and document.status == "rejected"
    with pytest.raises(Conflict, match="Already decided by 陈浩"):
        desk.act("approve", approval, "chenhao")


def test_return_to_the_requester_and_resubmit_shows_what_changed(desk):
    document, approval = desk.submit("zhangwei", 800)
    desk.act("return_", approval, "chenhao", reason="请补充报价单")
    assert approval.status == "returned" and document.status == "returned"
    desk.change(document, "zhangwei", amount=900)
    desk.send(document, "zhangwei")
    assert approval.status == "pending" and approval.round == 2
    resubmit = approval.actions[-1]
    assert resubmit.action == "resubmit" and resubmit.details["changes"]["amount"] == ["800.00", "900.00"]
    assert desk.waiting_for(approval) == {"chenhao"}


def test_return_to_an_earlier_step(desk):
    _doc, approval = desk.submit("zhangwei", 6000)
    desk.act("approve", approval, "chenhao")
    desk.act("return_", approval, "liuyang", reason="请主管再确认预算", to_position=0)
    assert approval.status == "pending"
    assert [s[1] for s in steps_of(approval)] == ["active", "waiting"]
    assert desk.waiting_for(approval) == {"chenhao"}
    desk.act("approve", approval, "chenhao")
    assert desk.waiting_for(approval) == {"liuyang"}


def test_withdraw_only_by_the_requester_before_the_end(desk):
    document, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Forbidden):
        desk.act("withdraw", approval, "chenhao")
    desk.act("withdraw", approval, "zhangwei", reason="不需要了")
    assert approval.status == "withdrawn" and document.status == "withdrawn"
    with pytest.raises(Conflict, match="Withdrawn by 张伟"):
        desk.act("approve", approval, "chenhao")


def test_not_yours_is_forbidden(desk):
    _doc, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Forbidden, match="not waiting for you"):
        desk.act("approve", approval, "lina")


def test_transfer_hands_the_decision_over(desk):
    _doc, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Invalid, match="cannot approve their own"):
        desk.act("transfer", approval, "chenhao", to_user_id=desk.company["zhangwei"])
    desk.act("transfer", approval, "chenhao", to_user_id=desk.company["lina"], comment="请李娜代审")
    assert desk.waiting_for(approval) == {"lina"}
    desk.act("approve", approval, "lina")
    assert approval.status == "approved"


def test_add_signer_before_and_after(desk):
    _doc, approval = desk.submit("zhangwei", 800)
    desk.act("add_signer", approval, "chenhao", user_id=desk.company["tangjie"], where="before")
    assert desk.waiting_for(approval) == {"tangjie"}
    desk.act("approve", approval, "tangjie")
    assert desk.waiting_for(approval) == {"chenhao"}  # back to the one who added
    desk.act("add_signer", approval, "chenhao", user_id=desk.company["wugang"], where="after")
    desk.act("approve", approval, "chenhao")
    assert desk.waiting_for(approval) == {"wugang"}
    desk.act("approve", approval, "wugang")
    assert approval.status == "approved"


def test_everyone_must_approve_an_all_step(desk):
    engine = desk.engine()
    engine.save_policy("example.order", [{"conditions": [], "steps": [
        {"name": "会签", "approvers": {"kind": "role", "value": "vp"}, "mode": "all"}]}], note="会签", actor_id=None)
    db.session.commit()
    _doc, approval = desk.submit("lina", 100)
    assert desk.waiting_for(approval) == {"liuyang", "zhaomin"}
    desk.act("approve", approval, "liuyang")
    assert approval.status == "pending" and desk.waiting_for(approval) == {"zhaomin"}
    desk.act("approve", approval, "zhaomin")
    assert approval.status == "approved"


def test_an_any_one_step_is_settled_by_the_first(desk):
    engine = desk.engine()
    engine.save_policy("example.order", [{"conditions": [], "steps": [
        {"name": "或签", "approvers": {"kind": "role", "value": "vp"}, "mode": "any"}]}], note="", actor_id=None)
    db.session.commit()
    _doc, approval = desk.submit("lina", 100)
    desk.act("approve", approval, "zhaomin")
    assert approval.status == "approved"
    assert sorted(t.status for s in approval.steps for t in s.tasks) == ["approved", "cancelled"]
    with pytest.raises(Conflict, match="Already decided by 赵敏"):
        desk.act("approve", approval, "liuyang")


def test_editing_a_policy_never_changes_requests_in_flight(desk):
    _doc, approval = desk.submit("zhangwei", 6000)
    version = approval.policy.version
    engine = desk.engine()
    engine.save_policy("example.order", [{"conditions": [], "steps": [
        {"name": "总经理", "approvers": {"kind": "head_of", "value": "GMO"}}]}], note="改", actor_id=None)
    db.session.commit()
    assert approval.policy.version == version
    assert desk.waiting_for(approval) == {"chenhao"}
    desk.act("return_", approval, "chenhao", reason="再看看")
    desk.send(db.session.get(ExampleOrder, int(approval.document_id)), "zhangwei")
    assert desk.waiting_for(approval) == {"chenhao"}  # resubmission keeps the recorded version
    fresh_doc, fresh = desk.submit("lina", 100)
    assert fresh.policy.version == version + 1 and desk.waiting_for(fresh) == {"wangjg"}
    assert db.session.scalar(select(ApprovalPolicy.version).where(
        ApprovalPolicy.is_current, ApprovalPolicy.type_key == "example.order")) == version + 1


def test_comments_and_reminders(desk):
    _doc, approval = desk.submit("zhangwei", 800)
    desk.act("comment", approval, "chenhao", text="附件看不清，请重新上传")
    desk.act("remind", approval, "zhangwei")
    with pytest.raises(Conflict, match="already sent a reminder for this step today"):
        desk.act("remind", approval, "zhangwei")
    desk.later(days=1)
    desk.act("remind", approval, "zhangwei")
    with pytest.raises(Forbidden):
        desk.act("remind", approval, "lina")
    notes = db.session.scalars(select(Notification.message).where(
        Notification.user_id == desk.company["chenhao"])).all()
    assert sum("Reminder from" in n for n in notes) == 2
    assert any("New comment" in n for n in db.session.scalars(select(Notification.message).where(
        Notification.user_id == desk.company["zhangwei"])))


def test_delegation_routes_to_the_delegate_who_signs_on_behalf(desk):
    from datetime import timedelta

    from intranet.approvals import Delegation

    db.session.add(Delegation(user_id=desk.company["chenhao"], delegate_id=desk.company["lina"], module="example",
                              starts_at=desk.now - timedelta(days=1), ends_at=desk.now + timedelta(days=5)))
    db.session.commit()
    _doc, approval = desk.submit("zhangwei", 800)
    assert desk.engine().delegators(desk.company["lina"]) == {desk.company["chenhao"]: {"example"}}
    desk.act("approve", approval, "lina")
    decision = approval.actions[-1]
    assert (decision.actor_id, decision.on_behalf_of_id) == (desk.company["lina"], desk.company["chenhao"])
    assert approval.status == "approved"


def test_the_waiting_count_stops_at_its_limit_with_or_without_delegations(desk):
    from datetime import timedelta

    from intranet.approvals import Delegation
    from intranet.approvals.inbox import waiting_count

    for _ in range(3):
        desk.submit("zhangwei", 800)
    head, lina = desk.company["chenhao"], desk.company["lina"]
    assert [waiting_count(db.session, head, {}, None, limit) for limit in (2, 10)] == [2, 3]
    db.session.add(Delegation(user_id=head, delegate_id=lina, module="example",
                              starts_at=desk.now - timedelta(days=1), ends_at=desk.now + timedelta(days=5)))
    db.session.commit()
    delegators = desk.engine().delegators(lina)
    assert [waiting_count(db.session, lina, delegators, frozenset({"example"}), limit) for limit in (2, 10)] == [2, 3]


def test_a_delegation_for_another_module_does_not_apply(desk):
    from datetime import timedelta

    from intranet.approvals import Delegation

    db.session.add(Delegation(user_id=desk.company["chenhao"], delegate_id=desk.company["lina"], module="general",
                              starts_at=desk.now - timedelta(days=1), ends_at=desk.now + timedelta(days=5)))
    db.session.commit()
    _doc, approval = desk.submit("zhangwei", 800)
    with pytest.raises(Forbidden):
        desk.act("approve", approval, "lina")


def test_a_switched_off_module_cannot_be_decided(desk):
    _doc, approval = desk.submit("zhangwei", 800)
    engine = desk.engine(enabled=["general"])
    with pytest.raises(Conflict, match="switched off"):
        engine.approve(approval.id, desk.company["chenhao"])


def test_nobody_found_goes_to_the_approval_administrators(desk):
    from intranet.org import Department

    research = db.session.scalar(select(Department).where(Department.code == "RD"))
    research.head_id = None
    management = db.session.scalar(select(Department).where(Department.code == "GMO"))
    management.head_id = None
    db.session.commit()
    _doc, approval = desk.submit("zhangwei", 800)
    assert desk.waiting_for(approval) == {"hanmei"}  # core.approval_fallback_role: sysadmin
    assert approval.steps[0].origin == "fallback"
