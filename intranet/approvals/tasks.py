"""Whose turn it is: the open tasks of a request, the one a person may decide, and deciding it."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, contains_eager

from ..errors import N_, Forbidden
from .delegation import Delegates
from .models import ApprovalRequest, ApprovalStep, ApprovalTask, RequestStatus, StepStatus, TaskStatus
from .signatures import TrailWriter


class Tasks:
    def __init__(self, session: Session, delegates: Delegates, trail: TrailWriter, clock: Callable[[], datetime]):
        self.session, self.delegates, self.trail, self.clock = session, delegates, trail, clock

    def open_tasks(self, request: ApprovalRequest) -> list[ApprovalTask]:
        """Every task of the round's active steps, each with its step."""
        return list(self.session.scalars(
            select(ApprovalTask).join(ApprovalTask.step).options(contains_eager(ApprovalTask.step))
            .where(ApprovalTask.request_id == request.id, ApprovalStep.status == StepStatus.ACTIVE,
                   ApprovalStep.round == request.round).order_by(ApprovalTask.id)))

    def _pending_for(self, request: ApprovalRequest, actor_id: int, task_id: int | None, delegators,
                     open_tasks: list[ApprovalTask] | None) -> list[ApprovalTask]:
        tasks = [t for t in (open_tasks if open_tasks is not None else self.open_tasks(request))
                 if t.status == TaskStatus.PENDING and (t.assignee_id == actor_id or t.assignee_id in delegators)
                 and task_id in (None, t.id)]
        tasks.sort(key=lambda t: t.assignee_id != actor_id)  # one's own task before a delegated one
        return tasks

    def waiting_for(self, request: ApprovalRequest, user_id: int) -> ApprovalTask | None:
        """The task ``user_id`` may decide now (their own first, then one delegated to them), or None."""
        if request.status != RequestStatus.PENDING:
            return None
        tasks = self._pending_for(request, user_id, None, self.delegates.delegators(user_id, request.module), None)
        return tasks[0] if tasks else None

    def mine(self, request: ApprovalRequest, actor_id: int, task_id: int | None,
             open_tasks: list[ApprovalTask] | None = None) -> ApprovalTask:
        """The pending task the actor may decide: their own, or one delegated to them; refuses otherwise,
        naming who decided it when someone already did.

        ``open_tasks`` are the request's :meth:`open_tasks` when the caller has read them.
        """
        delegators = self.delegates.delegators(actor_id, request.module)
        tasks = self._pending_for(request, actor_id, task_id, delegators, open_tasks)
        if tasks:
            return tasks[0]
        decided = self.session.scalar(select(ApprovalTask).where(
            ApprovalTask.request_id == request.id, ApprovalTask.status != TaskStatus.PENDING,
            or_(ApprovalTask.assignee_id == actor_id, ApprovalTask.assignee_id.in_(sorted(delegators)),
                ApprovalTask.id == task_id)).order_by(ApprovalTask.decided_at.desc()).limit(1))
        if request.status != RequestStatus.PENDING or decided is not None:
            raise self.trail.already(request, decided if decided and decided.acted_by_id else None)
        raise Forbidden(N_("This approval is not waiting for you."))

    def decide(self, task: ApprovalTask, status: str, actor_id: int) -> int | None:
        """Mark the task decided; returns on whose behalf (None when it was the actor's own)."""
        on_behalf = task.assignee_id if task.assignee_id != actor_id else None
        task.status, task.decided_at, task.acted_by_id, task.on_behalf_of_id = status, self.clock(), actor_id, on_behalf
        return on_behalf
