"""Audit pages: filter by person, module, record and date."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from sqlalchemy import select

from ..db import db
from ..org.models import User
from ..pagination import clamp
from ..web import calendar, permission_required, render, settings
from ..web.context import state
from .context import vocabulary
from .services import AuditFilter, search

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@permission_required("core.audit.view")
def entries():
    args = request.args
    actor = None
    if args.get("actor"):
        actor = db.session.scalar(select(User).where(User.employee_no == args["actor"].strip()[:32]))
    flt = AuditFilter(
        actor_id=actor.id if actor else (-1 if args.get("actor") else None),
        module=(args.get("module") or "")[:40] or None, entity=(args.get("entity") or "")[:80] or None,
        entity_id=(args.get("entity_id") or "")[:64] or None, action=(args.get("action") or "")[:40] or None,
        date_from=_date(args.get("from")), date_to=_date(args.get("to")))
    number, per_page = clamp(args.get("page"), args.get("per_page"), settings()["core.page_size"])
    page = search(db.session, flt, page=number, per_page=per_page, tz=calendar().tz)
    words = vocabulary()
    modules = [(key, words.module(key)) for key in ("core", *sorted(state().registry.modules))]
    return render("audit/entries.html", "audit/_entries.html", page=page, args=args, modules=modules, words=words)
