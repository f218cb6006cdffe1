"""Queries behind the dashboard widget and the global search."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, or_, select

from intranet import contains, db
from intranet.documents import visible_to

from .documents import GENERAL_REQUEST, STATUSES
from .models import GeneralRequest

OPEN = ("draft", "pending", "returned")


def my_requests(user) -> dict:
    latest = db.session.scalars(select(GeneralRequest).where(GeneralRequest.requester_id == user.id)
                                .order_by(GeneralRequest.created_at.desc(), GeneralRequest.id.desc()).limit(5)).all()
    open_count = db.session.scalar(select(func.count()).select_from(GeneralRequest).where(
        GeneralRequest.requester_id == user.id, GeneralRequest.status.in_(OPEN)))
    return {"latest": latest, "open": open_count, "statuses": STATUSES}


def search(user, text: str, limit: int):
    rows = db.session.scalars(select(GeneralRequest).where(
        visible_to(GENERAL_REQUEST, user), or_(contains(GeneralRequest.title, text), contains(GeneralRequest.number, text)))
        .order_by(GeneralRequest.created_at.desc()).limit(limit))
    return [(row, url_for("general.detail", document_id=row.id)) for row in rows]
