"""The document service and the document checks for a web request."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, g, request

from ..approvals.context import current_engine
from ..audit.context import vocabulary
from ..db import db
from ..files import FileRules
from ..web.context import enabled_hooks, enabled_modules, org_chart, settings, state
from ..web.fields import present
from ..web.filters import local_date, local_datetime, money
from .attachments import Upload
from .service import DocumentService
from .types import DocumentType


def uploads(field: str, rules: FileRules) -> list[Upload]:
    """The files posted in ``field``, each read no further than the size limit allows."""
    return [Upload(f.filename, f.read(rules.max_bytes + 1)) for f in request.files.getlist(field) if f and f.filename]


def current_documents() -> DocumentService:
    """The document service for this request (this user's session, the engine, the settings)."""
    return DocumentService(db.session, types=state().document_types, engine=current_engine(), settings=settings())


def document_type(key: str) -> DocumentType:
    """A switched-on module's document type, or 404."""
    kind = state().document_types.get(key)
    if kind is None or kind.module not in enabled_modules():
        abort(404)
    return kind


def can_view(kind: DocumentType):
    """``(user, document) -> bool`` by the type's scope, approvers included."""
    def approver_sees(user, document) -> bool:
        engine = current_engine()
        approval = engine.latest_request(kind.key, document.id)
        return approval is not None and engine.can_view(user, approval)

    def check(user, document) -> bool:
        return kind.scope.allows(user, org_chart(), document, approval_viewer=approver_sees)

    return check


def visible_to(kind: DocumentType, user):
    """The WHERE clause of a list of this type's documents for ``user``."""
    return kind.scope.clause(user, org_chart(), kind.model)


@dataclass(frozen=True)
class Panel:
    """A box another module adds to a document page (``intranet_detail_panels``).

    ``template`` is rendered with ``context`` (and ``document``); ``order`` sorts panels.
    """

    title: Any
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def panels(kind: DocumentType, document, user) -> list[Panel]:
    """What switched-on modules add to this document's page."""
    found = [p for group in enabled_hooks().intranet_detail_panels(type_key=kind.key, document=document, user=user)
             for p in group or ()]
    return sorted(found, key=lambda p: (p.order, str(p.title)))


def document_summary(type_key: str, document) -> list[str]:
    """The texts an inbox row shows under a document's title (its approval's summary fields)."""
    kind = state().document_types.get(type_key)
    if kind is None or kind.approval is None:
        return []
    org = org_chart()
    return [present(kind.field(f), document, statuses=kind.statuses, org=org, money=money, quantity=str, number=str,
                    day=local_date, moment=local_datetime) for f in kind.approval.summary]


def audit_words():
    """The audit log's vocabulary, once per request (a timeline names its changes with it)."""
    if "intranet_audit_words" not in g:
        g.intranet_audit_words = vocabulary()
    return g.intranet_audit_words


def init_app(app) -> None:
    app.jinja_env.globals.update(document_summary=document_summary, audit_words=audit_words,
                                 document_type=lambda key: state().document_types.get(key))
