"""Audit pages: filter by person, module, record and date."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, request
from sqlalchemy import select

from ..auth.permissions import role_label
from ..db import db
from ..org.models import Role, User
from ..pagination import clamp
from ..web import calendar, permission_required, render, settings
from ..web.context import state
from .labels import Vocabulary
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


def vocabulary() -> Vocabulary:
    """Names for the log's keys: tables by their models, forms and approval types by their titles."""
    current = state()
    models = {mapper.class_.__tablename__: mapper.class_ for mapper in db.Model.registry.mappers
              if hasattr(mapper.class_, "__tablename__")}
    entities = {**{key: kind.title for key, kind in current.approval_types.items()},
                **{key: template.title for key, template in current.pdf_templates.items()}}
    titles = {key: module.info.title for key, module in current.registry.modules.items()}
    roles = {role.key: role_label(role) for role in db.session.scalars(select(Role))}
    return Vocabulary(models, entities, titles, roles)
