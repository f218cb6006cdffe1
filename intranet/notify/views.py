"""The notification list and marking notifications read."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..db import db
from ..pagination import clamp, paginate
from ..web import employee, render, safe_next, settings
from . import services
from .models import Notification

bp = Blueprint("notify", __name__, url_prefix="/notifications")


@bp.get("/")
@employee
def notifications():
    number, per_page = clamp(request.args.get("page"), request.args.get("per_page"), settings()["core.page_size"])
    query = select(Notification).where(Notification.user_id == current_user.id)
    if request.args.get("unread"):
        query = query.where(Notification.read_at.is_(None))
    page = paginate(db.session, query.order_by(Notification.id.desc()), page=number, per_page=per_page)
    return render("notify/list.html", "notify/_list.html", page=page, unread=bool(request.args.get("unread")))


@bp.post("/<int:notification_id>/open")
@employee
def open_notification(notification_id: int):
    """Mark read and follow the link."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    services.mark_read(db.session, current_user.id, notification_id)
    db.session.commit()
    return redirect(safe_next(note.url, url_for("notify.notifications")))


@bp.post("/read-all")
@employee
def read_all():
    services.mark_read(db.session, current_user.id)
    db.session.commit()
    response = redirect(url_for("notify.notifications"))
    response.headers["HX-Trigger"] = "counts-changed"
    return response
