"""Read-only questions other core areas ask about approvals."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import ApprovalRequest


def pending_by_module(session: Session) -> dict[str, int]:
    """Requests still waiting for a decision, per module (shown before switching one off)."""
    return dict(session.execute(select(ApprovalRequest.module, func.count())
                                .where(ApprovalRequest.status == "pending")
                                .group_by(ApprovalRequest.module)).all())
