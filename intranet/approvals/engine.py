"""The approval engine: submission, decisions and the signed trail.

Every action locks the request row first (``SELECT ... FOR UPDATE``; on
SQLite the write transaction already serialises writers), re-reads its state
and only then decides, so when two people act on the same step at once one
wins and the other gets a Conflict naming who decided and when. The caller
commits: one transaction per user action.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, contains_eager

from ..audit.capture import jsonable
from ..calendar import WorkCalendar
from ..db import utcnow
from ..errors import N_, Conflict, Forbidden, Invalid, NotFound
from ..events import DocumentEvent, EventBus
from ..notify import notify
from ..org.chart import OrgChart
from ..org.models import User, UserRole
from .models import (END_OF_TIME, ApprovalAction, ApprovalCopy, ApprovalPolicy, ApprovalRequest, ApprovalStep,
                     ApprovalTask, Delegation)
from .policy import Resolver, Route, Rule, parse_rules, route, rules_to_json
from .types import ApprovalType

DECISIONS = ("submit", "approve", "reject", "return", "resubmit", "withdraw")
OPEN = ("pending", "returned")


def canonical_json(data) -> str:
    return json.dumps(jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def signature(prev: str, content_hash_: str, action: str, actor_id, on_behalf_of_id, at: datetime) -> str:
    """SHA-256 over the document's content, the decision, who and when, and the previous signature."""
    payload = canonical_json([prev, content_hash_, action, actor_id, on_behalf_of_id,
                              at.astimezone(timezone.utc).isoformat(timespec="microseconds")])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    active: bool
    manager_id: int | None
    department_id: int | None


class DatabaseDirectory:
    """People and roles as routing needs them, cached for one unit of work."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[int, Person | None] = {}
        self._roles: dict[str, list[int]] = {}

    def person(self, user_id: int | None) -> Person | None:
        if user_id is None:
            return None
        if user_id not in self._people:
            row = self.session.execute(select(User.id, User.name, User.active, User.manager_id, User.department_id)
                                       .where(User.id == user_id)).first()
            self._people[user_id] = Person(*row) if row else None
        return self._people[user_id]

    def role_members(self, role: str) -> list[int]:
        if role not in self._roles:
            self._roles[role] = list(self.session.scalars(
                select(UserRole.user_id).join(User, User.id == UserRole.user_id)
                .where(UserRole.role_key == role, User.active).order_by(UserRole.user_id)))
        return self._roles[role]

    def role_exists(self, role: str) -> bool:
        from ..org.models import Role

        return bool(role) and self.session.get(Role, role) is not None

    def by_number(self, employee_no: str) -> int | None:
        return self.session.scalar(select(User.id).where(User.employee_no == employee_no)) if employee_no else None


class ApprovalEngine:
    def __init__(self, session: Session, *, types: Mapping[str, ApprovalType], org: OrgChart,
                 calendar: WorkCalendar, settings, enabled: Iterable[str], now: datetime | None = None,
                 link: Callable[[int], str] = lambda request_id: f"/approvals/{request_id}",
                 delegations: list | None = None, events: EventBus | None = None):
        self.session, self.types, self.org, self.calendar = session, types, org, calendar
        self.settings, self.enabled = settings, frozenset(enabled)
        self.now = now or utcnow()
        self.link = link
        #: the delegations that are running or yet to start (see load_delegations); None reads them now
        self.delegations = delegations
        #: tells the switched-on modules of each decision (see intranet.events)
        self.events = events or EventBus()
        self.directory = DatabaseDirectory(session)
        self._deciding: int | None = None  # who signed last, for the events a decision tells

    # -- policies -----------------------------------------------------------------
    def current_policy(self, type_key: str) -> ApprovalPolicy:
        policy = self.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                                  ApprovalPolicy.is_current))
        if policy is None:
            policy = self.seed_policy(type_key)
        return policy

    def seed_policy(self, type_key: str) -> ApprovalPolicy:
        """Version 1 of a type's policy, from the module's defaults and settings."""
        kind = self.types[type_key]
        rules = self.parse(kind, kind.default_policy(self.settings))
        # No note: a note is what an administrator wrote; the page says this version is the module's default.
        policy = ApprovalPolicy(type_key=type_key, version=1, rules=rules_to_json(rules), is_current=True, note="")
        self.session.add(policy)
        self.session.flush()
        return policy

    def parse(self, kind: ApprovalType, raw) -> list[Rule]:
        return parse_rules(raw, kind.fields, self.directory, self.org)

    def save_policy(self, type_key: str, raw, *, note: str, actor_id: int | None) -> ApprovalPolicy:
        """A new version; requests in flight keep the version they were routed by."""
        kind = self.types[type_key]
        rules = self.parse(kind, raw)
        current = self.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                                   ApprovalPolicy.is_current).with_for_update())
        version = (current.version if current else 0) + 1
        if current is not None:
            current.is_current = False
            self.session.flush()
        policy = ApprovalPolicy(type_key=type_key, version=version, rules=rules_to_json(rules), is_current=True,
                                note=note[:500], created_by_id=actor_id)
        self.session.add(policy)
        self.session.flush()
        return policy

    def simulate(self, type_key: str, values: dict, requester_id: int, policy: ApprovalPolicy | None = None
                 ) -> Route:
        """Who would approve this document, and why."""
        kind = self.types[type_key]
        policy = policy or self.current_policy(type_key)
        requester = self.directory.person(requester_id)
        if requester is None:
            raise Invalid(N_("Choose an existing employee."), field="requester")
        return route(self.parse(kind, policy.rules), values, kind.field_map, self._resolver(requester, values))

    def _resolver(self, requester: Person, values: dict | None = None) -> Resolver:
        return Resolver(self.directory, self.org, requester, self.settings["core.approval_fallback_role"], values)

    # -- submission ---------------------------------------------------------------
    def _kind(self, type_key: str) -> ApprovalType:
        kind = self.types.get(type_key)
        if kind is None:
            raise NotFound(N_("There is no approval type %(key)s."), key=type_key)
        if kind.module not in self.enabled:
            raise Conflict(N_("The module of this approval is switched off."))
        return kind

    def latest_request(self, type_key: str, document_id) -> ApprovalRequest | None:
        return self.session.scalar(select(ApprovalRequest).where(
            ApprovalRequest.type_key == type_key, ApprovalRequest.document_id == str(document_id))
            .order_by(ApprovalRequest.id.desc()).limit(1))

    def _route_or_refuse(self, kind: ApprovalType, policy: ApprovalPolicy, values: dict, requester: Person) -> Route:
        planned = route(self.parse(kind, policy.rules), values, kind.field_map, self._resolver(requester, values))
        if planned.rule_index is None:
            raise Invalid(N_("No rule of the approval policy applies to this document; ask an administrator."))
        for step in planned.steps:
            if not step.approver_ids and step.origin != "skipped":
                raise Invalid(N_("Nobody can approve the step “%(name)s”; ask an administrator."), name=step.name)
        return planned

    def submit(self, type_key: str, document, *, requester_id: int, title: str, number: str, values: dict,
               amount=None, currency: str = "CNY") -> ApprovalRequest:
        kind = self._kind(type_key)
        document_id = str(getattr(document, "id"))
        latest = self.latest_request(type_key, document_id)
        if latest is not None and latest.status in OPEN:
            raise Conflict(N_("This document is already waiting for approval."))
        if latest is not None and latest.status == "approved":
            raise Conflict(N_("This document is approved; change it through a new request."))
        requester = self.directory.person(requester_id)
        policy = self.current_policy(type_key)
        planned = self._route_or_refuse(kind, policy, values, requester)
        content = jsonable(kind.canonical(document))
        digest = content_hash(content)
        request = ApprovalRequest(
            type_key=type_key, module=kind.module, document_id=document_id, document_number=number[:40],
            title=title[:200], requester_id=requester_id, department_id=requester.department_id, amount=amount,
            currency=currency, fields=jsonable(values), policy_id=policy.id, rule_index=planned.rule_index,
            status="pending", round=1, content=content, content_hash=digest, last_signature="0" * 64,
            submitted_at=self.now)
        self.session.add(request)
        self.session.flush()
        self._sign(request, "submit", actor_id=requester_id)
        self._create_steps(request, planned)
        self._advance(request)
        return request

    def _create_steps(self, request: ApprovalRequest, planned: Route) -> None:
        for position, step in enumerate(planned.steps):
            self.session.add(ApprovalStep(
                request_id=request.id, round=request.round, position=position, name=step.name[:100],
                mode=step.mode, approver_ids=step.approver_ids, cc_ids=step.cc_ids, due_amount=step.due_amount,
                due_unit=step.due_unit, origin=step.origin, notes=[[n.message, n.params] for n in step.notes],
                status="skipped" if step.origin == "skipped" else "waiting"))
        self.session.flush()
        self.session.expire(request, ["steps"])

    # -- moving along -------------------------------------------------------------
    def _round_steps(self, request: ApprovalRequest) -> list[ApprovalStep]:
        return list(self.session.scalars(select(ApprovalStep).where(
            ApprovalStep.request_id == request.id, ApprovalStep.round == request.round)
            .order_by(ApprovalStep.position)))

    def _advance(self, request: ApprovalRequest, document: Any = None,
                 steps: list[ApprovalStep] | None = None) -> None:
        """Activate the next waiting step, or finish the request as approved.

        ``document`` and the round's ``steps`` when the caller has loaded them already.
        """
        steps = steps if steps is not None else self._round_steps(request)
        for step in steps:
            if step.status == "active":
                return
            if step.status == "waiting":
                self._activate(request, step)
                return
        self._finish(request, "approved", document=document)

    def _due(self, step: ApprovalStep) -> datetime | None:
        if step.due_amount is None:
            return None
        if step.due_unit == "hours":
            return self.calendar.add_working_hours(self.now, step.due_amount)
        return self.calendar.due_in_days(self.now, step.due_amount)

    def _activate(self, request: ApprovalRequest, step: ApprovalStep, *, fresh: bool = False) -> None:
        """Ask the step's approvers (all again when ``fresh``; otherwise those who have not approved yet)."""
        # A step that was active before in this round (an earlier step took it back) keeps
        # the approvals it had; one never active has none to look up.
        approved = set() if fresh or step.activated_at is None else set(self.session.scalars(
            select(ApprovalTask.assignee_id).where(ApprovalTask.step_id == step.id,
                                                   ApprovalTask.status == "approved")))
        step.status, step.activated_at, step.due_at = "active", self.now, self._due(step)
        kind = self.types[request.type_key]
        asked = [uid for uid in step.approver_ids if uid not in approved]
        for assignee in asked:
            self.session.add(self._task(request, step, assignee))
        self.session.flush()
        delegates = self._delegates_of(asked, request.module)
        notify(self.session, asked + delegates, N_("%(requester)s asks for your approval: %(title)s"),
               params={"requester": request.requester.name, "title": request.title},
               url=self.link(request.id), module=kind.module)
        if step.cc_ids:
            self._copy(request, step.cc_ids)

    def _task(self, request: ApprovalRequest, step: ApprovalStep, assignee: int) -> ApprovalTask:
        return ApprovalTask(request_id=request.id, step_id=step.id, assignee_id=assignee, module=request.module,
                            type_key=request.type_key, due_at=step.due_at, queue_at=step.due_at or END_OF_TIME,
                            created_at=self.now)

    def _copy(self, request: ApprovalRequest, user_ids: list[int]) -> None:
        existing = set(self.session.scalars(select(ApprovalCopy.user_id).where(
            ApprovalCopy.request_id == request.id)))
        fresh = [uid for uid in user_ids if uid not in existing and uid != request.requester_id]
        for uid in fresh:
            self.session.add(ApprovalCopy(request_id=request.id, user_id=uid, created_at=self.now))
        notify(self.session, fresh, N_("For your information: %(title)s by %(requester)s"),
               params={"title": request.title, "requester": request.requester.name}, url=self.link(request.id),
               module=request.module)

    def _cancel_pending(self, step_ids: list[int]) -> None:
        if step_ids:
            self.session.execute(update(ApprovalTask).where(ApprovalTask.step_id.in_(step_ids),
                                                            ApprovalTask.status == "pending")
                                 .values(status="cancelled", decided_at=self.now))

    def _finish(self, request: ApprovalRequest, status: str, *, document: Any = None) -> None:
        """Close the request; ``document`` when the caller has loaded it already."""
        request.status, request.decided_at = status, self.now
        if status != "approved":  # approve() closes each step with its tasks: an approved round has none open
            self._cancel_pending([s.id for s in self._round_steps(request)])
        kind = self.types[request.type_key]
        callback = {"approved": kind.on_approved, "rejected": kind.on_rejected,
                    "returned": kind.on_returned, "withdrawn": kind.on_withdrawn}[status]
        if document is None:
            document = kind.load_one(self.session, request.document_id)
        before = getattr(document, "status", None)
        if callback is not None:
            callback(self.session, document, request)
        self.events.emit(DocumentEvent(status, request.type_key, document, self.session, self.now,
                                       actor_id=self._deciding, old_status=before,
                                       new_status=getattr(document, "status", None), approval=request))
        if status != "withdrawn":
            messages = {"approved": N_("Approved: %(title)s"), "rejected": N_("Rejected: %(title)s"),
                        "returned": N_("Returned to you for changes: %(title)s")}
            notify(self.session, [request.requester_id], messages[status], params={"title": request.title},
                   url=self.link(request.id), module=request.module)

    # -- signatures and the trail -------------------------------------------------
    def _sign(self, request: ApprovalRequest, action: str, *, actor_id, on_behalf_of_id=None, step=None,
              comment: str = "", details: dict | None = None, target_user_id=None, attachment_id=None
              ) -> ApprovalAction:
        self._deciding = actor_id
        entry = ApprovalAction(request_id=request.id, step_id=step.id if step else None, round=request.round,
                               action=action, actor_id=actor_id, on_behalf_of_id=on_behalf_of_id,
                               target_user_id=target_user_id, comment=comment, details=details or {},
                               attachment_id=attachment_id, at=self.now)
        if action in DECISIONS:
            entry.content_hash = request.content_hash
            entry.prev_signature = request.last_signature
            entry.signature = signature(request.last_signature, request.content_hash, action, actor_id,
                                        on_behalf_of_id, self.now)
            request.last_signature = entry.signature
        self.session.add(entry)
        return entry

    def _lock(self, request_id: int) -> ApprovalRequest:
        request = self.session.get(ApprovalRequest, request_id, with_for_update=True, populate_existing=True)
        if request is None:
            raise NotFound(N_("There is no such approval request."))
        self._kind(request.type_key)
        return request

    def _last_decision(self, request: ApprovalRequest) -> ApprovalAction | None:
        return self.session.scalar(select(ApprovalAction).where(
            ApprovalAction.request_id == request.id,
            ApprovalAction.action.in_(("approve", "reject", "return", "withdraw")))
            .order_by(ApprovalAction.id.desc()).limit(1))

    def _already(self, request: ApprovalRequest, task: ApprovalTask | None = None) -> Conflict:
        """The clear message for someone who acts on something already decided."""
        if task is not None and task.acted_by_id:
            who, when = task.acted_by.name, task.decided_at
        else:
            last = self._last_decision(request)
            who, when = (last.actor.name if last and last.actor else ""), (last.at if last else request.decided_at)
        message = (N_("Withdrawn by %(name)s at %(time)s.") if request.status == "withdrawn"
                   else N_("Already decided by %(name)s at %(time)s."))
        return Conflict(message, name=who or "—",
                        time=self.calendar.local(when).strftime("%Y-%m-%d %H:%M") if when else "—")

    # -- delegation ---------------------------------------------------------------
    def delegators(self, delegate_id: int, module: str | None = None) -> dict[int, set[str | None]]:
        """Whose approvals ``delegate_id`` may sign now: user id -> modules (None: all)."""
        rows = self.delegations if self.delegations is not None else load_delegations(self.session, self.now)
        return delegators_in(rows, delegate_id, self.now, module)

    def _delegates_of(self, user_ids: list[int], module: str) -> list[int]:
        rows = self.delegations if self.delegations is not None else load_delegations(self.session, self.now)
        wanted = set(user_ids)
        return sorted({row.delegate_id for row in rows if row.user_id in wanted and row.module in (None, module)
                       and row.starts_at <= self.now < row.ends_at})

    def _open_tasks(self, request: ApprovalRequest) -> list[ApprovalTask]:
        """Every task of the round's active steps, each with its step."""
        return list(self.session.scalars(
            select(ApprovalTask).join(ApprovalTask.step).options(contains_eager(ApprovalTask.step))
            .where(ApprovalTask.request_id == request.id, ApprovalStep.status == "active",
                   ApprovalStep.round == request.round).order_by(ApprovalTask.id)))

    def _my_task(self, request: ApprovalRequest, actor_id: int, task_id: int | None,
                 open_tasks: list[ApprovalTask] | None = None) -> ApprovalTask:
        """The pending task the actor may decide: their own, or one delegated to them.

        ``open_tasks`` are the request's :meth:`_open_tasks` when the caller has read them.
        """
        delegators = self.delegators(actor_id, request.module)
        tasks = [t for t in (open_tasks if open_tasks is not None else self._open_tasks(request))
                 if t.status == "pending" and (t.assignee_id == actor_id or t.assignee_id in delegators)
                 and task_id in (None, t.id)]
        tasks.sort(key=lambda t: t.assignee_id != actor_id)  # one's own task before a delegated one
        if tasks:
            return tasks[0]
        decided = self.session.scalar(select(ApprovalTask).where(
            ApprovalTask.request_id == request.id, ApprovalTask.status != "pending",
            or_(ApprovalTask.assignee_id == actor_id, ApprovalTask.assignee_id.in_(sorted(delegators)),
                ApprovalTask.id == task_id)).order_by(ApprovalTask.decided_at.desc()).limit(1))
        if request.status != "pending" or decided is not None:
            raise self._already(request, decided if decided and decided.acted_by_id else None)
        raise Forbidden(N_("This approval is not waiting for you."))

    def _decide_task(self, task: ApprovalTask, status: str, actor_id: int) -> int | None:
        """Mark the task decided; returns on whose behalf (None when it was the actor's own)."""
        on_behalf = task.assignee_id if task.assignee_id != actor_id else None
        task.status, task.decided_at, task.acted_by_id, task.on_behalf_of_id = status, self.now, actor_id, on_behalf
        return on_behalf

    def _check_content(self, request: ApprovalRequest) -> Any:
        """Refuse to sign a document that changed after it was submitted; returns the document."""
        kind = self.types[request.type_key]
        document = kind.load_one(self.session, request.document_id)
        if document is None or content_hash(jsonable(kind.canonical(document))) != request.content_hash:
            raise Conflict(N_("The document changed after it was submitted; it cannot be signed."))
        return document

    # -- decisions ----------------------------------------------------------------
    def approve(self, request_id: int, actor_id: int, *, comment: str = "", task_id: int | None = None
                ) -> ApprovalRequest:
        request = self._lock(request_id)
        open_tasks = self._open_tasks(request)
        task = self._my_task(request, actor_id, task_id, open_tasks)
        document = self._check_content(request)
        step = task.step
        # Everything is read before anything changes, so the decision is written in one
        # flush (one UPDATE of the request, not one for the signature and one for the status).
        others = [t for t in open_tasks if t.step_id == step.id and t is not task and t.status == "pending"]
        closes = step.mode == "any" or not others
        steps = self._round_steps(request) if closes else None
        on_behalf = self._decide_task(task, "approved", actor_id)
        self._sign(request, "approve", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step,
                   comment=_comment(comment))
        if closes:
            step.status, step.decided_at = "approved", self.now
            for other in others:  # one approval was enough (或签)
                other.status, other.decided_at = "cancelled", self.now
            self._advance(request, document, steps)
        return request

    def reject(self, request_id: int, actor_id: int, *, reason: str, task_id: int | None = None) -> ApprovalRequest:
        reason = _reason(reason)
        request = self._lock(request_id)
        task = self._my_task(request, actor_id, task_id)
        on_behalf = self._decide_task(task, "rejected", actor_id)
        task.step.status, task.step.decided_at = "rejected", self.now
        self._sign(request, "reject", actor_id=actor_id, on_behalf_of_id=on_behalf, step=task.step, comment=reason)
        self._finish(request, "rejected")
        return request

    def return_(self, request_id: int, actor_id: int, *, reason: str, to_position: int | None = None,
                task_id: int | None = None) -> ApprovalRequest:
        """Send back to the requester (``to_position`` None) or to an earlier step."""
        reason = _reason(reason)
        request = self._lock(request_id)
        task = self._my_task(request, actor_id, task_id)
        step = task.step
        steps = self._round_steps(request)
        target = None
        if to_position is not None:
            target = next((s for s in steps if s.position == to_position and s.position < step.position
                           and s.status == "approved"), None)
            if target is None:
                raise Invalid(N_("Choose an earlier step that was approved."), field="to_position")
        on_behalf = self._decide_task(task, "returned", actor_id)
        self._sign(request, "return", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step, comment=reason,
                   details={"to": "requester" if target is None else target.position,
                            "to_name": "" if target is None else target.name})
        step.status, step.decided_at = "returned", self.now
        if target is None:
            self._finish(request, "returned")
            return request
        self._cancel_pending([s.id for s in steps if target.position <= s.position <= step.position])
        for later in steps:
            if target.position < later.position <= step.position:
                later.status = "waiting"
        self._activate(request, target, fresh=True)
        return request

    def resubmit(self, request_id: int, actor_id: int, document, *, values: dict, title: str, amount=None,
                 comment: str = "") -> ApprovalRequest:
        """The requester sends a returned document again; the route starts over."""
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can resubmit."))
        if request.status != "returned":
            raise Conflict(N_("Only a request returned for changes can be resubmitted."))
        kind = self.types[request.type_key]
        content = jsonable(kind.canonical(document))
        changes = {key: [request.content.get(key), value] for key, value in content.items()
                   if request.content.get(key) != value}
        planned = self._route_or_refuse(kind, request.policy, values, self.directory.person(request.requester_id))
        request.round += 1
        request.status, request.decided_at = "pending", None
        request.title, request.amount, request.fields = title[:200], amount, jsonable(values)
        request.rule_index, request.content, request.content_hash = planned.rule_index, content, content_hash(content)
        self._sign(request, "resubmit", actor_id=actor_id, comment=_comment(comment), details={"changes": changes})
        self._create_steps(request, planned)
        self._advance(request)
        return request

    def withdraw(self, request_id: int, actor_id: int, *, reason: str = "") -> ApprovalRequest:
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can withdraw."))
        if request.status not in OPEN:
            raise self._already(request)
        waiting = list(self.session.scalars(select(ApprovalTask.assignee_id).where(
            ApprovalTask.request_id == request.id, ApprovalTask.status == "pending")))
        self._sign(request, "withdraw", actor_id=actor_id, comment=_comment(reason))
        self._finish(request, "withdrawn")
        notify(self.session, waiting, N_("Withdrawn by the requester: %(title)s"), params={"title": request.title},
               url=self.link(request.id), module=request.module)
        return request

    # -- changing who decides -----------------------------------------------------
    def _signer(self, request: ApprovalRequest, user_id, field: str) -> Person:
        person = self.directory.person(user_id)
        if person is None or not person.active:
            raise Invalid(N_("Choose an active employee."), field=field)
        if person.id == request.requester_id:
            raise Invalid(N_("The requester cannot approve their own request."), field=field)
        return person

    def transfer(self, request_id: int, actor_id: int, *, to_user_id: int, comment: str = "",
                 task_id: int | None = None) -> ApprovalRequest:
        """Hand one's own decision to someone else (转交)."""
        request = self._lock(request_id)
        task = self._my_task(request, actor_id, task_id)
        target = self._signer(request, to_user_id, "to_user")
        step = task.step
        if any(t.assignee_id == target.id and t.status == "pending" for t in step.tasks):
            raise Invalid(N_("%(name)s is already asked in this step."), field="to_user", name=target.name)
        on_behalf = self._decide_task(task, "transferred", actor_id)
        step.approver_ids = [target.id if uid == task.assignee_id else uid for uid in step.approver_ids]
        self.session.add(self._task(request, step, target.id))
        self._sign(request, "transfer", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step,
                   comment=_comment(comment), target_user_id=target.id)
        notify(self.session, [target.id], N_("%(requester)s asks for your approval: %(title)s"),
               params={"requester": request.requester.name, "title": request.title}, url=self.link(request.id),
               module=request.module)
        return request

    def add_signer(self, request_id: int, actor_id: int, *, user_id: int, where: str, comment: str = "",
                   task_id: int | None = None) -> ApprovalRequest:
        """Add someone before (前加签) or after (后加签) one's own decision."""
        if where not in ("before", "after"):
            raise Invalid(N_("Choose before or after."), field="where")
        request = self._lock(request_id)
        task = self._my_task(request, actor_id, task_id)
        target = self._signer(request, user_id, "user")
        step = task.step
        if target.id in step.approver_ids:
            raise Invalid(N_("%(name)s is already asked in this step."), field="user", name=target.name)
        position = step.position if where == "before" else step.position + 1
        for later in self._round_steps(request):
            if later.position >= position:
                later.position += 1
        self.session.flush()
        added = ApprovalStep(request_id=request.id, round=request.round, position=position, name=target.name,
                             mode="any", approver_ids=[target.id], cc_ids=[], due_amount=step.due_amount,
                             due_unit=step.due_unit, origin=where, status="waiting",
                             notes=[[N_("Added by %(name)s"), {"name": self.directory.person(actor_id).name}]])
        self.session.add(added)
        self._sign(request, "add_signer", actor_id=actor_id, step=step, comment=_comment(comment),
                   target_user_id=target.id, details={"where": where})
        self.session.flush()
        if where == "before":
            step.status = "waiting"
            self._cancel_pending([step.id])
            self._activate(request, added)
        return request

    # -- talking ------------------------------------------------------------------
    def comment(self, request_id: int, actor_id: int, *, text: str, attachment_id: int | None = None
                ) -> ApprovalAction:
        text = (text or "").strip()
        if not text and attachment_id is None:
            raise Invalid(N_("Write a comment or attach a file."), field="text")
        if len(text) > 2000:
            raise Invalid(N_("At most %(count)s characters."), field="text", count=2000)
        request = self._lock(request_id)
        entry = self._sign(request, "comment", actor_id=actor_id, comment=text, attachment_id=attachment_id)
        others = self.participants(request) - {actor_id}
        notify(self.session, sorted(others), N_("New comment on %(title)s"), params={"title": request.title},
               body=text[:300], url=self.link(request.id), module=request.module)
        return entry

    def remind(self, request_id: int, actor_id: int) -> ApprovalRequest:
        """The requester nudges the current approvers (催办), once per step per day."""
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can send a reminder."))
        if request.status != "pending":
            raise self._already(request)
        step = next((s for s in self._round_steps(request) if s.status == "active"), None)
        if step is None:
            raise self._already(request)
        today = self.calendar.today(self.now)
        if step.last_reminded_on == today:
            raise Conflict(N_("You already sent a reminder for this step today."))
        step.last_reminded_on = today
        waiting = [t.assignee_id for t in step.tasks if t.status == "pending"]
        self._sign(request, "remind", actor_id=actor_id, step=step)
        notify(self.session, waiting + self._delegates_of(waiting, request.module),
               N_("Reminder from %(requester)s: %(title)s is waiting for you"),
               params={"requester": request.requester.name, "title": request.title}, url=self.link(request.id),
               module=request.module)
        return request

    # -- who may see --------------------------------------------------------------
    def participants(self, request: ApprovalRequest) -> set[int]:
        people = {request.requester_id}
        people.update(self.session.scalars(select(ApprovalTask.assignee_id).where(
            ApprovalTask.request_id == request.id)))
        people.update(uid for uid in self.session.scalars(select(ApprovalTask.acted_by_id).where(
            ApprovalTask.request_id == request.id)) if uid)
        people.update(self.session.scalars(select(ApprovalCopy.user_id).where(ApprovalCopy.request_id == request.id)))
        return people

    def can_view(self, user, request: ApprovalRequest) -> bool:
        if user.can("core.approvals.view_all") or user.id in self.participants(request):
            return True
        if request.department_id in self.org.in_charge_of(user.id):
            return True
        delegators = self.delegators(user.id, request.module)
        return bool(delegators) and bool(self.session.scalar(select(func.count()).where(
            ApprovalTask.request_id == request.id, ApprovalTask.assignee_id.in_(sorted(delegators)))))


@dataclass(frozen=True)
class DelegationRow:
    user_id: int
    delegate_id: int
    module: str | None
    starts_at: datetime
    ends_at: datetime


def load_delegations(session: Session, now: datetime | None = None) -> list[DelegationRow]:
    """Delegations not yet over (runtime loader: cached per process until one changes)."""
    rows = session.execute(select(Delegation.user_id, Delegation.delegate_id, Delegation.module,
                                  Delegation.starts_at, Delegation.ends_at)
                           .where(Delegation.cancelled.is_(False), Delegation.ends_at > (now or utcnow())))
    return [DelegationRow(*row) for row in rows]


def delegators_in(rows: Iterable[DelegationRow], delegate_id: int, now: datetime,
                  module: str | None = None) -> dict[int, set[str | None]]:
    """Among delegation ``rows``, whose approvals ``delegate_id`` may sign at ``now``:
    user id -> modules (None: all)."""
    found: dict[int, set[str | None]] = {}
    for row in rows:
        if row.delegate_id == delegate_id and row.starts_at <= now < row.ends_at and \
                (module is None or row.module in (None, module)):
            found.setdefault(row.user_id, set()).add(row.module)
    return found


def _reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(N_("Give a reason."), field="reason")
    return _comment(text)


def _comment(text: str) -> str:
    text = (text or "").strip()
    if len(text) > 2000:
        raise Invalid(N_("At most %(count)s characters."), field="comment", count=2000)
    return text


def delegation_clause(delegators: Mapping[int, set[str | None]]):
    """Tasks someone may decide for others: their delegators' tasks, per module."""
    clauses = []
    for user_id, modules in delegators.items():
        if None in modules:
            clauses.append(ApprovalTask.assignee_id == user_id)
        else:
            clauses.append(and_(ApprovalTask.assignee_id == user_id, ApprovalTask.module.in_(sorted(modules))))
    return clauses
