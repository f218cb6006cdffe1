"""General request pages: list, form, detail, change."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import func, select

from intranet import db
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.documents import current_documents, document_page, editable_by_me, save_document, visible_document
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, employee, form_status, options, render, settings,
                          signed_in_user, writes)

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
    sorts=(NEWEST, Sort("amount", _l("Amount"), "amount")), search=("title", "number"), selectable=True,
    export="general.export")


def my_requests(user) -> dict:
    """The dashboard widget: the user's latest requests and how many are still open."""
    latest = db.session.scalars(select(GeneralRequest).where(GeneralRequest.requester_id == user.id)
                                .order_by(GeneralRequest.created_at.desc(), GeneralRequest.id.desc()).limit(5)).all()
    open_count = db.session.scalar(select(func.count()).select_from(GeneralRequest).where(
        GeneralRequest.requester_id == user.id, GeneralRequest.status.in_(("draft", "pending", "returned"))))
    return {"latest": latest, "open": open_count, "statuses": STATUSES}


@bp.get("/")
@employee
def requests():
    return REQUESTS.render("general/list.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return REQUESTS.export(fmt)


def _form_page(document: GeneralRequest | None):
    """The form; saved (and sent, with that button) when it is valid."""
    form = RequestForm(obj=document)
    form.category.choices = options((c, c) for c in settings()["general.categories"])
    categories = settings()["general.categories"]

    def apply(documents, document):
        data = services.RequestData(title=form.title.data, category=form.category.data,
                                    description=form.description.data, amount=form.amount.data)
        if document is None:
            return services.create(documents, data, signed_in_user(), categories)
        return services.update(documents, document, data, current_user.id, categories)

    saved = save_document(GENERAL_REQUEST, document, form, apply)
    return saved or render("general/form.html", form=form, document=document, status=form_status(form))


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _form_page(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    document = visible_document(GENERAL_REQUEST, document_id)
    if not editable_by_me(GENERAL_REQUEST, document):
        return redirect(url_for("general.detail", document_id=document.id))
    return _form_page(document)


@bp.get("/<int:document_id>")
@employee
def detail(document_id: int):
    document = visible_document(GENERAL_REQUEST, document_id)
    revisions = db.session.scalars(select(GeneralRequest).where(GeneralRequest.number == document.number)
                                   .order_by(GeneralRequest.revision)).all()
    return render("general/detail.html", **document_page(GENERAL_REQUEST, document), revisions=revisions)


@bp.post("/<int:document_id>/change")
@employee
def change(document_id: int):
    """Change an approved request: a new revision to edit and submit."""
    document = visible_document(GENERAL_REQUEST, document_id)
    revision = services.request_change(current_documents(), document, current_user.id)
    db.session.commit()
    flash(_("A new revision to change and send for approval."), "info")
    return redirect(url_for("general.edit", document_id=revision.id))
