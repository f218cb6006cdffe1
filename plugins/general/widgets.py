"""What the dashboard widget shows."""
from __future__ import annotations

from sqlalchemy import func, select

from intranet import db

from .documents import STATUSES
from .models import GeneralRequest

OPEN = ("draft", "pending", "returned")


def my_requests(user) -> dict:
    latest = db.session.scalars(select(GeneralRequest).where(GeneralRequest.requester_id == user.id)
                                .order_by(GeneralRequest.created_at.desc(), GeneralRequest.id.desc()).limit(5)).all()
    open_count = db.session.scalar(select(func.count()).select_from(GeneralRequest).where(
        GeneralRequest.requester_id == user.id, GeneralRequest.status.in_(OPEN)))
    return {"latest": latest, "open": open_count, "statuses": STATUSES}
