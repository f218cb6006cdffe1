"""The approval engine: one facade over routing, the route in motion, decisions, delegation and visibility.

Each concern lives in its own module: :mod:`.routing` (policies and the route a document takes),
:mod:`.progress` (steps activated in turn, the request finished), :mod:`.tasks` (whose turn it is),
:mod:`.signatures` (the signed trail), :mod:`.delegation`, :mod:`.visibility` and :mod:`.directory`.
This module holds the actions a person takes (submit, decide, hand over, talk) and builds the parts
for one unit of work.

Every action locks the request row first (``SELECT ... FOR UPDATE``; on
SQLite the write transaction already serialises writers), re-reads its state
and only then decides, so when two people act on the same step at once one
wins and the other gets a Conflict naming who decided and when. The caller
commits: one transaction per user action.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.capture import jsonable
from ..calendar import WorkCalendar
from ..db import utcnow
from ..errors import N_, Conflict, Forbidden, Invalid, NotFound
from ..events import EventBus
from ..notify import notify
from ..org.chart import OrgChart
from .delegation import Delegates, DelegationRow
from .directory import DatabaseDirectory, Person
from .models import (ApprovalAction, ApprovalPolicy, ApprovalRequest, ApprovalStep, ApprovalTask, RequestStatus,
                     StepStatus, TaskStatus)
from .policy import Route, Rule
from .progress import Progress
from .routing import Routing
from .signatures import TrailWriter, content_hash
from .tasks import Tasks
from .types import ApprovalType
from .visibility import Visibility

OPEN = RequestStatus.OPEN


class ApprovalEngine:
    def __init__(self, session: Session, *, types: Mapping[str, ApprovalType], org: OrgChart,
                 calendar: WorkCalendar, settings, enabled: Iterable[str], now: datetime | None = None,
                 link: Callable[[int], str] = lambda request_id: f"/approvals/{request_id}",
                 delegations: list[DelegationRow] | None = None, events: EventBus | None = None):
        self.session, self.types, self.org, self.calendar = session, types, org, calendar
        self.settings, self.enabled = settings, frozenset(enabled)
        #: the moment of this unit of work; callers (demo data, tests) may move it, every part reads it
        self.now = now or utcnow()
        self.link = link
        #: tells the switched-on modules of each decision (see intranet.events)
        self.events = events or EventBus()
        self.directory = DatabaseDirectory(session)
        clock = self._clock
        self.routing = Routing(session, types, self.directory, org, settings)
        #: the delegations running or yet to start (see delegation.load_delegations); None reads them when needed
        self.delegates = Delegates(session, delegations, clock)
        self.trail = TrailWriter(session, calendar, clock)
        self.visibility = Visibility(session, org, self.delegates)
        self.tasks = Tasks(session, self.delegates, self.trail, clock)
        self.progress = Progress(session, types, calendar, clock, link, self.events, self.delegates, self.trail)

    def _clock(self) -> datetime:
        return self.now

    # -- policies (see .routing) --------------------------------------------------
    def current_policy(self, type_key: str) -> ApprovalPolicy:
        return self.routing.current_policy(type_key)

    def seed_policy(self, type_key: str) -> ApprovalPolicy:
        return self.routing.seed_policy(type_key)

    def parse(self, kind: ApprovalType, raw) -> list[Rule]:
        return self.routing.parse(kind, raw)

    def save_policy(self, type_key: str, raw, *, note: str, actor_id: int | None) -> ApprovalPolicy:
        return self.routing.save_policy(type_key, raw, note=note, actor_id=actor_id)

    def simulate(self, type_key: str, values: dict, requester_id: int, policy: ApprovalPolicy | None = None
                 ) -> Route:
        return self.routing.simulate(type_key, values, requester_id, policy)

    # -- delegation and visibility (see .delegation, .visibility, .tasks) ----------
    def delegators(self, delegate_id: int, module: str | None = None) -> dict[int, set[str | None]]:
        return self.delegates.delegators(delegate_id, module)

    def participants(self, request: ApprovalRequest) -> set[int]:
        return self.visibility.participants(request)

    def can_view(self, user, request: ApprovalRequest) -> bool:
        return self.visibility.can_view(user, request)

    def waiting_task(self, request: ApprovalRequest, user_id: int) -> ApprovalTask | None:
        """The task ``user_id`` may decide now on ``request`` (theirs or delegated to them), or None."""
        return self.tasks.waiting_for(request, user_id)

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

    def submit(self, type_key: str, document, *, requester_id: int, title: str, number: str, values: dict,
               amount=None, currency: str = "CNY") -> ApprovalRequest:
        kind = self._kind(type_key)
        document_id = str(getattr(document, "id"))
        latest = self.latest_request(type_key, document_id)
        if latest is not None and latest.status in OPEN:
            raise Conflict(N_("This document is already waiting for approval."))
        if latest is not None and latest.status == RequestStatus.APPROVED:
            raise Conflict(N_("This document is approved; change it through a new request."))
        requester = self.directory.person(requester_id)
        policy = self.current_policy(type_key)
        planned = self.routing.plan(kind, policy, values, requester)
        content = jsonable(kind.canonical(document))
        digest = content_hash(content)
        request = ApprovalRequest(
            type_key=type_key, module=kind.module, document_id=document_id, document_number=number[:40],
            title=title[:200], requester_id=requester_id, department_id=requester.department_id, amount=amount,
            currency=currency, fields=jsonable(values), policy_id=policy.id, rule_index=planned.rule_index,
            status=RequestStatus.PENDING, round=1, content=content, content_hash=digest, last_signature="0" * 64,
            submitted_at=self.now)
        self.session.add(request)
        self.session.flush()
        self.trail.sign(request, "submit", actor_id=requester_id)
        self.progress.create_steps(request, planned)
        self.progress.advance(request)
        return request

    # -- reading before deciding --------------------------------------------------
    def _lock(self, request_id: int) -> ApprovalRequest:
        request = self.session.get(ApprovalRequest, request_id, with_for_update=True, populate_existing=True)
        if request is None:
            raise NotFound(N_("There is no such approval request."))
        self._kind(request.type_key)
        return request

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
        open_tasks = self.tasks.open_tasks(request)
        task = self.tasks.mine(request, actor_id, task_id, open_tasks)
        document = self._check_content(request)
        step = task.step
        # Everything is read before anything changes, so the decision is written in one
        # flush (one UPDATE of the request, not one for the signature and one for the status).
        others = [t for t in open_tasks if t.step_id == step.id and t is not task and t.status == TaskStatus.PENDING]
        closes = step.mode == "any" or not others
        steps = self.progress.round_steps(request) if closes else None
        on_behalf = self.tasks.decide(task, TaskStatus.APPROVED, actor_id)
        self.trail.sign(request, "approve", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step,
                        comment=_comment(comment))
        if closes:
            step.status, step.decided_at = StepStatus.APPROVED, self.now
            for other in others:  # one approval was enough (或签)
                other.status, other.decided_at = TaskStatus.CANCELLED, self.now
            self.progress.advance(request, document, steps)
        return request

    def reject(self, request_id: int, actor_id: int, *, reason: str, task_id: int | None = None) -> ApprovalRequest:
        reason = _reason(reason)
        request = self._lock(request_id)
        task = self.tasks.mine(request, actor_id, task_id)
        on_behalf = self.tasks.decide(task, TaskStatus.REJECTED, actor_id)
        task.step.status, task.step.decided_at = StepStatus.REJECTED, self.now
        self.trail.sign(request, "reject", actor_id=actor_id, on_behalf_of_id=on_behalf, step=task.step,
                        comment=reason)
        self.progress.finish(request, RequestStatus.REJECTED)
        return request

    def return_(self, request_id: int, actor_id: int, *, reason: str, to_position: int | None = None,
                task_id: int | None = None) -> ApprovalRequest:
        """Send back to the requester (``to_position`` None) or to an earlier step."""
        reason = _reason(reason)
        request = self._lock(request_id)
        task = self.tasks.mine(request, actor_id, task_id)
        step = task.step
        steps = self.progress.round_steps(request)
        target = None
        if to_position is not None:
            target = next((s for s in steps if s.position == to_position and s.position < step.position
                           and s.status == StepStatus.APPROVED), None)
            if target is None:
                raise Invalid(N_("Choose an earlier step that was approved."), field="to_position")
        on_behalf = self.tasks.decide(task, TaskStatus.RETURNED, actor_id)
        self.trail.sign(request, "return", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step,
                        comment=reason, details={"to": "requester" if target is None else target.position,
                                                 "to_name": "" if target is None else target.name})
        step.status, step.decided_at = StepStatus.RETURNED, self.now
        if target is None:
            self.progress.finish(request, RequestStatus.RETURNED)
            return request
        self.progress.cancel_pending([s.id for s in steps if target.position <= s.position <= step.position])
        for later in steps:
            if target.position < later.position <= step.position:
                later.status = StepStatus.WAITING
        self.progress.activate(request, target, fresh=True)
        return request

    def resubmit(self, request_id: int, actor_id: int, document, *, values: dict, title: str, amount=None,
                 comment: str = "") -> ApprovalRequest:
        """The requester sends a returned document again; the route starts over."""
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can resubmit."))
        if request.status != RequestStatus.RETURNED:
            raise Conflict(N_("Only a request returned for changes can be resubmitted."))
        kind = self.types[request.type_key]
        content = jsonable(kind.canonical(document))
        changes = {key: [request.content.get(key), value] for key, value in content.items()
                   if request.content.get(key) != value}
        planned = self.routing.plan(kind, request.policy, values, self.directory.person(request.requester_id))
        request.round += 1
        request.status, request.decided_at = RequestStatus.PENDING, None
        request.title, request.amount, request.fields = title[:200], amount, jsonable(values)
        request.rule_index, request.content, request.content_hash = planned.rule_index, content, content_hash(content)
        self.trail.sign(request, "resubmit", actor_id=actor_id, comment=_comment(comment),
                        details={"changes": changes})
        self.progress.create_steps(request, planned)
        self.progress.advance(request)
        return request

    def withdraw(self, request_id: int, actor_id: int, *, reason: str = "") -> ApprovalRequest:
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can withdraw."))
        if request.status not in OPEN:
            raise self.trail.already(request)
        waiting = list(self.session.scalars(select(ApprovalTask.assignee_id).where(
            ApprovalTask.request_id == request.id, ApprovalTask.status == TaskStatus.PENDING)))
        self.trail.sign(request, "withdraw", actor_id=actor_id, comment=_comment(reason))
        self.progress.finish(request, RequestStatus.WITHDRAWN)
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
        task = self.tasks.mine(request, actor_id, task_id)
        target = self._signer(request, to_user_id, "to_user")
        step = task.step
        if any(t.assignee_id == target.id and t.status == TaskStatus.PENDING for t in step.tasks):
            raise Invalid(N_("%(name)s is already asked in this step."), field="to_user", name=target.name)
        on_behalf = self.tasks.decide(task, TaskStatus.TRANSFERRED, actor_id)
        step.approver_ids = [target.id if uid == task.assignee_id else uid for uid in step.approver_ids]
        self.session.add(self.progress.task(request, step, target.id))
        self.trail.sign(request, "transfer", actor_id=actor_id, on_behalf_of_id=on_behalf, step=step,
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
        task = self.tasks.mine(request, actor_id, task_id)
        target = self._signer(request, user_id, "user")
        step = task.step
        if target.id in step.approver_ids:
            raise Invalid(N_("%(name)s is already asked in this step."), field="user", name=target.name)
        position = step.position if where == "before" else step.position + 1
        for later in self.progress.round_steps(request):
            if later.position >= position:
                later.position += 1
        self.session.flush()
        added = ApprovalStep(request_id=request.id, round=request.round, position=position, name=target.name,
                             mode="any", approver_ids=[target.id], cc_ids=[], due_amount=step.due_amount,
                             due_unit=step.due_unit, origin=where, status=StepStatus.WAITING,
                             notes=[[N_("Added by %(name)s"), {"name": self.directory.person(actor_id).name}]])
        self.session.add(added)
        self.trail.sign(request, "add_signer", actor_id=actor_id, step=step, comment=_comment(comment),
                        target_user_id=target.id, details={"where": where})
        self.session.flush()
        if where == "before":
            step.status = StepStatus.WAITING
            self.progress.cancel_pending([step.id])
            self.progress.activate(request, added)
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
        entry = self.trail.sign(request, "comment", actor_id=actor_id, comment=text, attachment_id=attachment_id)
        others = self.participants(request) - {actor_id}
        notify(self.session, sorted(others), N_("New comment on %(title)s"), params={"title": request.title},
               body=text[:300], url=self.link(request.id), module=request.module)
        return entry

    def remind(self, request_id: int, actor_id: int) -> ApprovalRequest:
        """The requester nudges the current approvers (催办), once per step per day."""
        request = self._lock(request_id)
        if actor_id != request.requester_id:
            raise Forbidden(N_("Only the requester can send a reminder."))
        if request.status != RequestStatus.PENDING:
            raise self.trail.already(request)
        step = next((s for s in self.progress.round_steps(request) if s.status == StepStatus.ACTIVE), None)
        if step is None:
            raise self.trail.already(request)
        today = self.calendar.today(self.now)
        if step.last_reminded_on == today:
            raise Conflict(N_("You already sent a reminder for this step today."))
        step.last_reminded_on = today
        waiting = [t.assignee_id for t in step.tasks if t.status == TaskStatus.PENDING]
        self.trail.sign(request, "remind", actor_id=actor_id, step=step)
        notify(self.session, waiting + self.delegates.delegates_of(waiting, request.module),
               N_("Reminder from %(requester)s: %(title)s is waiting for you"),
               params={"requester": request.requester.name, "title": request.title}, url=self.link(request.id),
               module=request.module)
        return request


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
