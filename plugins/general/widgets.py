"""Queries behind the dashboard widget and the global search."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, or_, select

from intranet import db
from intranet.auth import visible_clause
from intranet.web import org_chart

from .models import GeneralRequest


def my_requests(user) -> dict:
    latest = db.session.scalars(select(GeneralRequest).where(GeneralRequest.requester_id == user.id)
                                .order_by(GeneralRequest.created_at.desc()).limit(5)).all()
    open_count = db.session.scalar(select(func.count()).select_from(GeneralRequest).where(
        GeneralRequest.requester_id == user.id, GeneralRequest.status.in_(("draft", "pending", "returned"))))
    return {"latest": latest, "open": open_count}


def search(user, text: str, limit: int):
    pattern = f"%{text.replace('%', '').replace('_', '')}%"
    rows = db.session.scalars(select(GeneralRequest).where(
        visible_clause(user, org_chart(), owner_column=GeneralRequest.requester_id,
                       department_column=GeneralRequest.department_id, widen="general.view_all"),
        or_(GeneralRequest.title.ilike(pattern), GeneralRequest.number.ilike(pattern)))
        .order_by(GeneralRequest.created_at.desc()).limit(limit))
    return [(row, url_for("general.detail", request_id=row.id)) for row in rows]
