"""A request moving along its route: steps created from the plan, activated in turn, approvers asked
and copied, and the request finished (its module's callback, the domain event, the requester told)."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Mapping

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..calendar import WorkCalendar
from ..errors import N_
from ..events import DocumentEvent, EventBus
from ..notify import notify
from .delegation import Delegates
from .models import (END_OF_TIME, ApprovalCopy, ApprovalRequest, ApprovalStep, ApprovalTask, RequestStatus, StepStatus,
                     TaskStatus)
from .policy import Route
from .signatures import TrailWriter
from .types import ApprovalType


class Progress:
    def __init__(self, session: Session, types: Mapping[str, ApprovalType], calendar: WorkCalendar,
                 clock: Callable[[], datetime], link: Callable[[int], str], events: EventBus, delegates: Delegates,
                 trail: TrailWriter):
        self.session, self.types, self.calendar, self.clock = session, types, calendar, clock
        self.link, self.events, self.delegates, self.trail = link, events, delegates, trail

    def create_steps(self, request: ApprovalRequest, planned: Route) -> None:
        for position, step in enumerate(planned.steps):
            self.session.add(ApprovalStep(
                request_id=request.id, round=request.round, position=position, name=step.name[:100],
                mode=step.mode, approver_ids=step.approver_ids, cc_ids=step.cc_ids, due_amount=step.due_amount,
                due_unit=step.due_unit, origin=step.origin, notes=[[n.message, n.params] for n in step.notes],
                status=StepStatus.SKIPPED if step.origin == "skipped" else StepStatus.WAITING))
        self.session.flush()
        self.session.expire(request, ["steps"])

    def round_steps(self, request: ApprovalRequest) -> list[ApprovalStep]:
        return list(self.session.scalars(select(ApprovalStep).where(
            ApprovalStep.request_id == request.id, ApprovalStep.round == request.round)
            .order_by(ApprovalStep.position)))

    def advance(self, request: ApprovalRequest, document: Any = None,
                steps: list[ApprovalStep] | None = None) -> None:
        """Activate the next waiting step, or finish the request as approved.

        ``document`` and the round's ``steps`` when the caller has loaded them already.
        """
        steps = steps if steps is not None else self.round_steps(request)
        for step in steps:
            if step.status == StepStatus.ACTIVE:
                return
            if step.status == StepStatus.WAITING:
                self.activate(request, step)
                return
        self.finish(request, RequestStatus.APPROVED, document=document)

    def due(self, step: ApprovalStep) -> datetime | None:
        if step.due_amount is None:
            return None
        if step.due_unit == "hours":
            return self.calendar.add_working_hours(self.clock(), step.due_amount)
        return self.calendar.due_in_days(self.clock(), step.due_amount)

    def activate(self, request: ApprovalRequest, step: ApprovalStep, *, fresh: bool = False) -> None:
        """Ask the step's approvers (all again when ``fresh``; otherwise those who have not approved yet)."""
        # A step that was active before in this round (an earlier step took it back) keeps
        # the approvals it had; one never active has none to look up.
        approved = set() if fresh or step.activated_at is None else set(self.session.scalars(
            select(ApprovalTask.assignee_id).where(ApprovalTask.step_id == step.id,
                                                   ApprovalTask.status == TaskStatus.APPROVED)))
        step.status, step.activated_at, step.due_at = StepStatus.ACTIVE, self.clock(), self.due(step)
        kind = self.types[request.type_key]
        asked = [uid for uid in step.approver_ids if uid not in approved]
        for assignee in asked:
            self.session.add(self.task(request, step, assignee))
        self.session.flush()
        delegates = self.delegates.delegates_of(asked, request.module)
        notify(self.session, asked + delegates, N_("%(requester)s asks for your approval: %(title)s"),
               params={"requester": request.requester.name, "title": request.title},
               url=self.link(request.id), module=kind.module)
        if step.cc_ids:
            self.copy(request, step.cc_ids)

    def task(self, request: ApprovalRequest, step: ApprovalStep, assignee: int) -> ApprovalTask:
        return ApprovalTask(request_id=request.id, step_id=step.id, assignee_id=assignee, module=request.module,
                            type_key=request.type_key, due_at=step.due_at, queue_at=step.due_at or END_OF_TIME,
                            created_at=self.clock())

    def copy(self, request: ApprovalRequest, user_ids: list[int]) -> None:
        """Copy (抄送) the request to ``user_ids``, once each, never to its requester."""
        existing = set(self.session.scalars(select(ApprovalCopy.user_id).where(
            ApprovalCopy.request_id == request.id)))
        fresh = [uid for uid in user_ids if uid not in existing and uid != request.requester_id]
        for uid in fresh:
            self.session.add(ApprovalCopy(request_id=request.id, user_id=uid, created_at=self.clock()))
        notify(self.session, fresh, N_("For your information: %(title)s by %(requester)s"),
               params={"title": request.title, "requester": request.requester.name}, url=self.link(request.id),
               module=request.module)

    def cancel_pending(self, step_ids: list[int]) -> None:
        if step_ids:
            self.session.execute(update(ApprovalTask).where(ApprovalTask.step_id.in_(step_ids),
                                                            ApprovalTask.status == TaskStatus.PENDING)
                                 .values(status=TaskStatus.CANCELLED, decided_at=self.clock()))

    def finish(self, request: ApprovalRequest, status: str, *, document: Any = None) -> None:
        """Close the request; ``document`` when the caller has loaded it already."""
        now = self.clock()
        request.status, request.decided_at = status, now
        # approve() closes each step with its tasks: an approved round has none open
        if status != RequestStatus.APPROVED:
            self.cancel_pending([s.id for s in self.round_steps(request)])
        kind = self.types[request.type_key]
        callback = {RequestStatus.APPROVED: kind.on_approved, RequestStatus.REJECTED: kind.on_rejected,
                    RequestStatus.RETURNED: kind.on_returned, RequestStatus.WITHDRAWN: kind.on_withdrawn}[status]
        if document is None:
            document = kind.load_one(self.session, request.document_id)
        before = getattr(document, "status", None)
        if callback is not None:
            callback(self.session, document, request)
        self.events.emit(DocumentEvent(status, request.type_key, document, self.session, now,
                                       actor_id=self.trail.deciding, old_status=before,
                                       new_status=getattr(document, "status", None), approval=request))
        if status != RequestStatus.WITHDRAWN:
            messages = {RequestStatus.APPROVED: N_("Approved: %(title)s"),
                        RequestStatus.REJECTED: N_("Rejected: %(title)s"),
                        RequestStatus.RETURNED: N_("Returned to you for changes: %(title)s")}
            notify(self.session, [request.requester_id], messages[status], params={"title": request.title},
                   url=self.link(request.id), module=request.module)
