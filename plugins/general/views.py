"""General request pages: list, form, detail, submit, change."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from intranet import DomainError, db
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.approvals import trail
from intranet.documents import attach, can_view, current_documents, panels, timeline, uploads
from intranet.files import FileRules
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, employee, form_error, form_status, options, render,
                          settings, signed_in_user, writes)

from . import services
from .documents import GENERAL_REQUEST, STATUSES
from .forms import RequestForm
from .models import GeneralRequest

bp = Blueprint("general", __name__, template_folder="templates")

REQUESTS = ListView(
    "general.requests", GENERAL_REQUEST,
    (Field("display_number", _l("Number")), Field("title"), Field("category"), Field("amount", format="money"),
     Field("requester", format="person"), Field("department_id", format="department"),
     Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=STATUSES.choices),
             Filter("category", _l("Category"), choices=lambda: [(c, c) for c in settings()["general.categories"]]),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine"),
             Filter("created", _l("Created"), column="created_at", kind="date")),
    sorts=(NEWEST, Sort("amount", _l("Amount"), "amount")), search=("title", "number"), selectable=True)


def _document(document_id: int) -> GeneralRequest:
    document = GENERAL_REQUEST.load_one(db.session, document_id) or abort(404)
    if not can_view(GENERAL_REQUEST)(current_user, document):
        abort(403)
    return document


@bp.get("/")
@employee
def requests():
    return REQUESTS.render("general/list.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return REQUESTS.export(fmt)


def _form(document: GeneralRequest | None) -> RequestForm:
    form = RequestForm(obj=document)
    form.category.choices = options((c, c) for c in settings()["general.categories"])
    return form


def _save(document: GeneralRequest | None):
    """Create or update from the form; submit too when that button was pressed."""
    form = _form(document)
    if form.validate_on_submit():
        documents = current_documents()
        data = services.RequestData(title=form.title.data, category=form.category.data,
                                    description=form.description.data, amount=form.amount.data)
        categories = settings()["general.categories"]
        rules = FileRules.attachments(settings())
        try:
            if document is None:
                document = services.create(documents, data, signed_in_user(), categories)
            else:
                services.update(documents, document, data, current_user.id, categories)
            for upload in uploads("files", rules):
                attach(db.session, GENERAL_REQUEST, document, upload, rules=rules, user_id=current_user.id)
            if request.form.get("submit"):
                documents.submit(document, current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Submitted for approval.") if request.form.get("submit") else _("Saved as a draft."), "success")
            return redirect(url_for("general.detail", document_id=document.id))
    return render("general/form.html", form=form, document=document, status=form_status(form))


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _save(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    document = _document(document_id)
    if document.requester_id != current_user.id:
        abort(403)
    if not current_documents().editable(document):
        flash(_("The request is read-only while it is pending or after approval."), "warning")
        return redirect(url_for("general.detail", document_id=document.id))
    return _save(document)


def _detail(document: GeneralRequest, status: int = 200):
    documents = current_documents()
    approval = documents.latest_approval(document)
    revisions = db.session.scalars(select(GeneralRequest).where(GeneralRequest.number == document.number)
                                   .order_by(GeneralRequest.revision)).all()
    return render("general/detail.html", document=document, kind=GENERAL_REQUEST, approval=approval,
                  trail=trail(db.session, approval) if approval else None,
                  revisions=revisions, editable=documents.editable(document), statuses=STATUSES,
                  entries=timeline(db.session, GENERAL_REQUEST, document),
                  panels=panels(GENERAL_REQUEST, document, signed_in_user()), status=status)


@bp.get("/<int:document_id>")
@employee
def detail(document_id: int):
    return _detail(_document(document_id))


@bp.post("/<int:document_id>/submit")
@employee
def submit(document_id: int):
    document = _document(document_id)
    try:
        current_documents().submit(document, current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.translate(_), "error")
        return _detail(_document(document_id), status=error.status)
    db.session.commit()
    flash(_("Submitted for approval."), "success")
    return redirect(url_for("general.detail", document_id=document.id))


@bp.post("/<int:document_id>/change")
@employee
def change(document_id: int):
    """Change an approved request: a new revision to edit and submit."""
    document = _document(document_id)
    revision = services.request_change(current_documents(), document, current_user.id)
    db.session.commit()
    return redirect(url_for("general.edit", document_id=revision.id))
