"""The signed trail: every decision is a signature over the document, the decision and the one before.

``canonical_json``/``content_hash``/``signature`` are pure; :class:`TrailWriter` appends the entries
and words the message for someone who acts on what is already decided.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit.capture import jsonable
from ..calendar import WorkCalendar
from ..errors import N_, Conflict
from .models import ApprovalAction, ApprovalRequest, ApprovalTask, RequestStatus

#: the actions that sign the document (a comment or a reminder is on the trail but signs nothing)
DECISIONS = ("submit", "approve", "reject", "return", "resubmit", "withdraw")
#: the actions that close a step or the request, the ones "already decided by ..." names
FINAL = ("approve", "reject", "return", "withdraw")


def canonical_json(data) -> str:
    return json.dumps(jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def signature(prev: str, content_hash_: str, action: str, actor_id, on_behalf_of_id, at: datetime) -> str:
    """SHA-256 over the document's content, the decision, who and when, and the previous signature."""
    payload = canonical_json([prev, content_hash_, action, actor_id, on_behalf_of_id,
                              at.astimezone(timezone.utc).isoformat(timespec="microseconds")])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TrailWriter:
    """Appends to a request's trail (审批记录) within one unit of work."""

    def __init__(self, session: Session, calendar: WorkCalendar, clock: Callable[[], datetime]):
        self.session, self.calendar, self.clock = session, calendar, clock
        #: who signed last in this unit of work, for the events a decision tells
        self.deciding: int | None = None

    def sign(self, request: ApprovalRequest, action: str, *, actor_id, on_behalf_of_id=None, step=None,
             comment: str = "", details: dict | None = None, target_user_id=None, attachment_id=None
             ) -> ApprovalAction:
        now = self.clock()
        self.deciding = actor_id
        entry = ApprovalAction(request_id=request.id, step_id=step.id if step else None, round=request.round,
                               action=action, actor_id=actor_id, on_behalf_of_id=on_behalf_of_id,
                               target_user_id=target_user_id, comment=comment, details=details or {},
                               attachment_id=attachment_id, at=now)
        if action in DECISIONS:
            entry.content_hash = request.content_hash
            entry.prev_signature = request.last_signature
            entry.signature = signature(request.last_signature, request.content_hash, action, actor_id,
                                        on_behalf_of_id, now)
            request.last_signature = entry.signature
        self.session.add(entry)
        return entry

    def last_decision(self, request: ApprovalRequest) -> ApprovalAction | None:
        return self.session.scalar(select(ApprovalAction).where(
            ApprovalAction.request_id == request.id, ApprovalAction.action.in_(FINAL))
            .order_by(ApprovalAction.id.desc()).limit(1))

    def already(self, request: ApprovalRequest, task: ApprovalTask | None = None) -> Conflict:
        """The clear message for someone who acts on something already decided."""
        if task is not None and task.acted_by_id:
            who, when = task.acted_by.name, task.decided_at
        else:
            last = self.last_decision(request)
            who, when = (last.actor.name if last and last.actor else ""), (last.at if last else request.decided_at)
        message = (N_("Withdrawn by %(name)s at %(time)s.") if request.status == RequestStatus.WITHDRAWN
                   else N_("Already decided by %(name)s at %(time)s."))
        return Conflict(message, name=who or "—",
                        time=self.calendar.local(when).strftime("%Y-%m-%d %H:%M") if when else "—")
