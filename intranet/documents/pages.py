"""What every document's pages do the same way: open one the reader may see, save
its form (and send it), and gather what its detail page shows."""
from __future__ import annotations

from typing import Any, Callable

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from ..approvals.inbox import trail
from ..db import db
from ..errors import DomainError
from ..files import FileRules
from ..i18n import gettext as _
from ..web.context import settings, signed_in_user
from ..web.rendering import form_error
from .attachments import attach, timeline
from .context import can_view, current_documents, panels, uploads
from .service import DocumentService
from .types import DocumentType


def visible_document(kind: DocumentType, document_id: int):
    """The document with its lines and files, or 404 (none) / 403 (not the reader's to see)."""
    document = kind.load_one(db.session, document_id) or abort(404)
    if not can_view(kind)(current_user, document):
        abort(403)
    return document


def editable_by_me(kind: DocumentType, document) -> bool:
    """Whether the reader may open the document's form: 403 for anyone but its requester;
    False, with a message to show, while it is pending or after approval."""
    if document.requester_id != current_user.id:
        abort(403)
    if current_documents().editable(document):
        return True
    flash(_("The document is read-only while it is pending or after approval."), "warning")
    return False


def url_of(kind: DocumentType, document) -> str:
    return url_for(kind.endpoint, document_id=document.id)


def save_document(kind: DocumentType, document, form, apply: Callable[[DocumentService, Any], Any], *,
                  files: str | None = "files"):
    """Save a document's form: ``apply(documents, document)`` creates or changes it (and returns
    it), the files posted in ``files`` are attached, and the "submit" button sends it for
    approval; all in one transaction. Returns the redirect to its page, or None when the form
    must be shown again (its errors then stand beside their fields).
    """
    if not form.validate_on_submit():
        return None
    documents = current_documents()
    try:
        document = apply(documents, document)
        if files:
            rules = FileRules.attachments(settings())
            for upload in uploads(files, rules):
                attach(db.session, kind, document, upload, rules=rules, user_id=current_user.id, field=files)
        sending = bool(request.form.get("submit"))
        if sending:
            documents.submit(document, current_user.id)
    except DomainError as error:
        db.session.rollback()
        if error.status != 422:
            raise
        form_error(form, error)
        return None
    db.session.commit()
    flash(_("Submitted for approval.") if sending else _("Saved as a draft."), "success")
    return redirect(url_of(kind, document))


def run_step(form, action: Callable[[], Any]) -> bool:
    """One step of a document page from its own small form (deliver, accept, sign in): validate the
    form, run ``action`` and commit, in one transaction. False, with the refusal beside its field and
    nothing written, when the form or the rules refuse (a 422 for the page to show again); a Conflict
    or Forbidden goes on to its error page (409, 403)."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            return True
    db.session.rollback()
    return False


def document_page(kind: DocumentType, document) -> dict[str, Any]:
    """What a document's detail page shows besides its own fields: the latest approval and its
    steps, whether the requester may still change it, its files, the panels other modules add
    and its timeline (comments, every approval round, the recorded changes)."""
    documents = current_documents()
    approval = documents.latest_approval(document) if kind.approval else None
    return {"document": document, "kind": kind, "statuses": kind.statuses, "approval": approval,
            "trail": trail(db.session, approval) if approval else None, "editable": documents.editable(document),
            "entries": timeline(db.session, kind, document), "panels": panels(kind, document, signed_in_user())}
