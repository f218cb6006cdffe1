"""Attachments, comments and the timeline of any document: one set of pages for all modules."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request
from flask_login import current_user

from ..db import db
from ..errors import DomainError
from ..files import FileRules, download_response
from ..i18n import gettext as _
from ..web import employee, render, safe_next, settings, signed_in_user, wants_fragment, writes
from .attachments import add_comment, attach, attachment_of, detach, timeline
from .context import can_view, current_documents, document_type, uploads
from .pages import url_of

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _document(type_key: str, document_id: int):
    kind = document_type(type_key)
    document = kind.load_one(db.session, document_id) or abort(404)
    if not can_view(kind)(current_user, document):
        abort(403)
    return kind, document


def _back(kind, document):
    return redirect(safe_next(request.form.get("next"), request.referrer or "/"))


@bp.get("/<type_key>/<int:document_id>/files/<int:attachment_id>")
@employee
@writes
def download(type_key: str, document_id: int, attachment_id: int):
    kind, document = _document(type_key, document_id)
    try:
        found = attachment_of(db.session, kind, document, attachment_id)
    except DomainError:
        abort(404)
    return download_response(found.file, module=kind.module)


@bp.post("/<type_key>/<int:document_id>/files")
@employee
def upload(type_key: str, document_id: int):
    """Add files to a document the requester may still change."""
    kind, document = _document(type_key, document_id)
    rules = FileRules.attachments(settings())
    try:
        current_documents().check_editable(document, current_user.id)
        for item in uploads("files", rules):
            attach(db.session, kind, document, item, rules=rules, user_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        if error.status != 422:
            raise
        flash(error.translate(_), "error")
        return _files(kind, document, status=422)
    db.session.commit()
    return _files(kind, document)


@bp.post("/<type_key>/<int:document_id>/files/<int:attachment_id>/delete")
@employee
def remove(type_key: str, document_id: int, attachment_id: int):
    kind, document = _document(type_key, document_id)
    current_documents().check_editable(document, current_user.id)
    try:
        detach(db.session, kind, document, attachment_id)
    except DomainError:
        abort(404)
    db.session.commit()
    return _files(kind, document)


def _files(kind, document, status: int = 200):
    if wants_fragment():
        db.session.refresh(document)
        return render("documents/_attachments.html", kind=kind, document=document,
                      editable=current_documents().editable(document), status=status)
    return _back(kind, document)


@bp.post("/<type_key>/<int:document_id>/submit")
@employee
def submit(type_key: str, document_id: int):
    """Send a document for approval (or again, after a return): the same for every module."""
    kind, document = _document(type_key, document_id)
    return _act(kind, document, lambda documents: documents.submit(document, current_user.id),
                _("Submitted for approval."))


@bp.post("/<type_key>/<int:document_id>/withdraw")
@employee
def withdraw(type_key: str, document_id: int):
    kind, document = _document(type_key, document_id)
    return _act(kind, document, lambda documents: documents.withdraw(document, current_user.id,
                                                                     reason=request.form.get("reason", "")),
                _("Withdrawn."))


def _act(kind, document, action, message: str):
    """One step of a document's life; a refusal (not yours: 403, a second click: 409) answers
    with its status and message, and nothing is written."""
    action(current_documents())
    db.session.commit()
    flash(message, "success")
    return redirect(url_of(kind, document))


@bp.post("/<type_key>/<int:document_id>/comments")
@employee
def comment(type_key: str, document_id: int):
    kind, document = _document(type_key, document_id)
    rules = FileRules.attachments(settings())
    try:
        add_comment(db.session, kind, document, author_id=current_user.id, text=request.form.get("text", ""),
                    uploads=uploads("file", rules), rules=rules)
    except DomainError as error:
        db.session.rollback()
        if error.status != 422:
            raise
        problem, status = error.translate(_), 422
    else:
        db.session.commit()
        problem, status = None, 200
    if not wants_fragment():
        if problem:
            flash(problem, "error")
        return _back(kind, document)
    return render("documents/_timeline.html", kind=kind, document=document, problem=problem,
                  entries=timeline(db.session, kind, document), status=status)


@bp.get("/<type_key>/<int:document_id>/timeline")
@employee
def document_timeline(type_key: str, document_id: int):
    kind, document = _document(type_key, document_id)
    return render("documents/timeline.html", "documents/_timeline.html", kind=kind, document=document,
                  entries=timeline(db.session, kind, document), user=signed_in_user())
