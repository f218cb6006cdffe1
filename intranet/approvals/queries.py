"""Read-only questions other core areas ask about approvals."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..calendar import local_period, period_bounds
from .models import ApprovalRequest, RequestStatus


def pending_by_module(session: Session) -> dict[str, int]:
    """Requests still waiting for a decision, per module (shown before switching one off)."""
    return dict(session.execute(select(ApprovalRequest.module, func.count())
                                .where(ApprovalRequest.status == RequestStatus.PENDING)
                                .group_by(ApprovalRequest.module)).all())


def requests_by_period(session: Session, requester_id: int, keys: list[str], period: str, tz_name: str,
                       modules: Iterable[str] | None = None) -> dict[tuple[str, str], int]:
    """How many requests ``requester_id`` filed in each period of ``keys`` (consecutive,
    oldest first), per status: ``{(period key, status): count}``, counted on the company's
    calendar in ``tz_name``. ``modules`` limits it to those modules' requests."""
    start, _end = period_bounds(keys[0], period, tz_name)
    _start, end = period_bounds(keys[-1], period, tz_name)
    key = local_period(ApprovalRequest.submitted_at, period, tz_name, session.get_bind().dialect)
    query = (select(key, ApprovalRequest.status, func.count())
             .where(ApprovalRequest.requester_id == requester_id, ApprovalRequest.submitted_at >= start,
                    ApprovalRequest.submitted_at < end)
             .group_by(key, ApprovalRequest.status))
    if modules is not None:
        query = query.where(ApprovalRequest.module.in_(sorted(modules)))
    return {(period_key, status): count for period_key, status, count in session.execute(query)}
