"""Benchmark data: an organisation of N users and general requests in every state.

Rows are written in bulk with SQLAlchemy Core (no ORM events, no audit), shaped
exactly as the engine writes them, so the pages and the engine work on them as
on real data: pending requests carry the content hash of their document.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import func, insert, select

from intranet.approvals.signatures import content_hash
from intranet.approvals.models import ApprovalAction, ApprovalPolicy, ApprovalRequest, ApprovalStep, ApprovalTask
from intranet.org.models import Department, User, UserRole
from plugins.general.models import GeneralRequest

DEPARTMENTS, VPS = 100, 5
CHUNK = 20_000
NOW = datetime.now(timezone.utc)


def organisation(session, users: int) -> dict:
    """Departments with heads, VPs in charge, and ``users`` employees; returns who is who."""
    password = "pbkdf2:sha256:1000$bench$" + "0" * 64
    root = Department(name="总部", code="HQ")
    session.add(root)
    session.flush()
    session.execute(insert(Department), [{"name": f"部门{i:03d}", "code": f"D{i:03d}", "parent_id": root.id,
                                          "sort_order": i, "active": True} for i in range(DEPARTMENTS)])
    departments = list(session.scalars(select(Department.id).where(Department.parent_id == root.id)
                                        .order_by(Department.id)))
    rows = [{"username": f"u{i:05d}", "employee_no": f"B{i:05d}", "name": f"员工{i:05d}",
             "department_id": departments[i % DEPARTMENTS], "password_hash": password, "session_token": f"t{i}",
             "active": True, "phone": "", "must_change_password": False, "failed_logins": 0, "created_at": NOW}
            for i in range(users)]
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(User), rows[start:start + CHUNK])
    ids = list(session.scalars(select(User.id).order_by(User.id)))
    heads = {department: ids[n] for n, department in enumerate(departments)}  # the first 100 people
    vps = ids[DEPARTMENTS:DEPARTMENTS + VPS]
    for n, department in enumerate(departments):
        session.get(Department, department).head_id = heads[department]
        session.get(Department, department).vp_id = vps[n % VPS]
    session.get(Department, root.id).head_id = vps[0]
    session.execute(insert(UserRole), [{"user_id": uid, "role_key": "employee"} for uid in ids] +
                    [{"user_id": uid, "role_key": "dept_head"} for uid in heads.values()] +
                    [{"user_id": uid, "role_key": "vp"} for uid in vps])
    session.flush()
    people = {uid: departments[i % DEPARTMENTS] for i, uid in enumerate(ids)}
    return {"people": people, "heads": heads, "vps": vps, "departments": departments,
            "vp_of": {d: vps[n % VPS] for n, d in enumerate(departments)}}


def requests(session, org: dict, count: int, pending_share: float = 0.1, seed: int = 1) -> None:
    """``count`` general requests with their approvals; ``pending_share`` still wait for a decision."""
    rng = random.Random(seed)
    policy = session.scalar(select(ApprovalPolicy.id).where(ApprovalPolicy.type_key == "general.request",
                                                            ApprovalPolicy.is_current))
    people = list(org["people"].items())
    next_doc = (session.scalar(select(func.max(GeneralRequest.id))) or 0) + 1
    next_req = (session.scalar(select(func.max(ApprovalRequest.id))) or 0) + 1
    next_step = (session.scalar(select(func.max(ApprovalStep.id))) or 0) + 1
    sequence = next_doc
    batch: dict[str, list] = {"docs": [], "reqs": [], "steps": [], "tasks": [], "actions": []}

    def flush():
        for model, key in ((GeneralRequest, "docs"), (ApprovalRequest, "reqs"), (ApprovalStep, "steps"),
                           (ApprovalTask, "tasks"), (ApprovalAction, "actions")):
            if batch[key]:
                session.execute(insert(model), batch[key])
                batch[key].clear()

    for n in range(count):
        requester, department = people[rng.randrange(len(people))]
        head = org["heads"][department]
        if requester == head:
            head = org["vp_of"][department]
        amount = Decimal(rng.choice((300, 800, 1500, 3200, 4800, 6000, 12000))).quantize(Decimal("0.01"))
        steps = [head] + ([org["vp_of"][department]] if amount >= 5000 else [])
        submitted = NOW - timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600))
        pending = rng.random() < pending_share
        number = f"GR-2026-{sequence:07d}"
        sequence += 1
        document = {"id": next_doc, "number": number, "revision": 1, "title": f"基准申请 {number}",
                    "category": "办公用品", "description": "", "amount": amount, "currency": "CNY",
                    "requester_id": requester, "department_id": department,
                    "status": "pending" if pending else "approved", "created_at": submitted,
                    "updated_at": submitted, "submitted_at": submitted}
        content = {"number": number, "revision": 1, "title": document["title"], "category": "办公用品",
                   "description": "", "amount": str(amount), "currency": "CNY", "requester_id": requester,
                   "department_id": department, "attachments": []}
        batch["docs"].append(document)
        batch["reqs"].append({
            "id": next_req, "type_key": "general.request", "module": "general", "document_id": str(next_doc),
            "document_number": number, "title": document["title"], "requester_id": requester,
            "department_id": department, "amount": amount, "currency": "CNY",
            "fields": {"amount": str(amount), "category": "办公用品"}, "policy_id": policy,
            "rule_index": 0 if len(steps) == 2 else 1, "status": document["status"], "round": 1,
            "content": content, "content_hash": content_hash(content), "last_signature": "f" * 64,
            "submitted_at": submitted, "decided_at": None if pending else submitted + timedelta(hours=5)})
        batch["actions"].append({"request_id": next_req, "round": 1, "action": "submit", "actor_id": requester,
                                 "comment": "", "details": {}, "at": submitted, "signature": "a" * 64})
        # a pending request waits at its last step (the head's, or the vice president's after the head)
        active = len(steps) - 1 if pending else None
        for position, approver in enumerate(steps):
            decided = not pending or position < active
            due = submitted + timedelta(days=position + 1)
            batch["steps"].append({
                "id": next_step, "request_id": next_req, "round": 1, "position": position, "name": "审批",
                "mode": "any", "approver_ids": [approver], "cc_ids": [], "status": "approved" if decided else "active",
                "due_amount": 1, "due_unit": "days", "due_at": due, "activated_at": submitted,
                "decided_at": due if decided else None, "origin": "policy", "notes": []})
            batch["tasks"].append({
                "request_id": next_req, "step_id": next_step, "assignee_id": approver, "module": "general",
                "type_key": "general.request", "status": "approved" if decided else "pending", "due_at": due,
                "queue_at": due,
                "created_at": submitted, "decided_at": due if decided else None,
                "acted_by_id": approver if decided else None})
            if decided:
                batch["actions"].append({"request_id": next_req, "step_id": next_step, "round": 1,
                                         "action": "approve", "actor_id": approver, "comment": "", "details": {},
                                         "at": due, "signature": "b" * 64})
            next_step += 1
        next_doc += 1
        next_req += 1
        if len(batch["reqs"]) >= CHUNK:
            flush()
    flush()
