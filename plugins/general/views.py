"""General request pages: list, form, detail, submit, change."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from intranet import N_, Conflict, DomainError, db
from intranet.approvals import current_engine, trail
from intranet.auth import visible_clause
from intranet.files import FileRules, download_response, save_upload
from intranet.i18n import gettext as _
from intranet.pagination import clamp, paginate
from intranet.web import employee, form_error, form_status, org_chart, render, settings, signed_in_user, writes
from intranet.web.export import export_response
from intranet.web.forms import options

from . import services
from .access import VIEW_ALL, may_see
from .forms import RequestForm
from .models import GeneralAttachment, GeneralRequest

bp = Blueprint("general", __name__, template_folder="templates")
SORTS = {"created": GeneralRequest.created_at, "amount": GeneralRequest.amount, "status": GeneralRequest.status,
         "number": GeneralRequest.number}


def _visible():
    return visible_clause(current_user, org_chart(), owner_column=GeneralRequest.requester_id,
                          department_column=GeneralRequest.department_id, widen=VIEW_ALL)


def _document(request_id: int) -> GeneralRequest:
    document = db.session.get(GeneralRequest, request_id) or abort(404)
    if not may_see(current_user, document):
        abort(403)
    return document


def _filters() -> dict:
    args = request.args
    sort = args.get("sort", "created")
    return {"q": (args.get("q") or "").strip()[:50], "status": args.get("status", ""),
            "category": args.get("category", ""), "mine": args.get("mine", ""),
            "sort": sort if sort in SORTS else "created", "dir": "asc" if args.get("dir") == "asc" else "desc"}


def _query(filters: dict):
    query = select(GeneralRequest).where(_visible()).options(selectinload(GeneralRequest.requester))
    if filters["q"]:
        pattern = f"%{filters['q'].replace('%', '').replace('_', '')}%"
        query = query.where(or_(GeneralRequest.title.ilike(pattern), GeneralRequest.number.ilike(pattern)))
    if filters["status"]:
        query = query.where(GeneralRequest.status == filters["status"])
    if filters["category"]:
        query = query.where(GeneralRequest.category == filters["category"])
    if filters["mine"]:
        query = query.where(GeneralRequest.requester_id == current_user.id)
    column = SORTS[filters["sort"]]
    return query.order_by(column.asc() if filters["dir"] == "asc" else column.desc(), GeneralRequest.id.desc())


@bp.get("/")
@employee
def requests():
    filters = _filters()
    number, per_page = clamp(request.args.get("page"), request.args.get("per_page"), settings()["core.page_size"])
    page = paginate(db.session, _query(filters), page=number, per_page=per_page, count=True)
    return render("general/list.html", "general/_rows.html", page=page, filters=filters,
                  categories=settings()["general.categories"], chart=org_chart())


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    chart = org_chart()
    columns = [_("Number"), _("Title"), _("Category"), _("Amount"), _("Requester"), _("Department"), _("Status"),
               _("Created")]
    rows = ([d.display_number, d.title, d.category, d.amount, d.requester.name,
             chart.get(d.department_id).name if chart.get(d.department_id) else "", d.status, d.created_at]
            for d in db.session.scalars(_query(_filters()).limit(50_000)))
    return export_response("general-requests", columns, rows, fmt, module="general")


def _save_files(document: GeneralRequest, form: RequestForm) -> None:
    rules = FileRules.attachments(settings())
    for upload in form.files.data or []:
        if upload and upload.filename:
            stored = save_upload(db.session, filename=upload.filename, data=upload.read(rules.max_bytes + 1),
                                 rules=rules, created_by_id=current_user.id, field="files")
            document.attachments.append(GeneralAttachment(file_id=stored.id))


def _form(document: GeneralRequest | None) -> RequestForm:
    form = RequestForm(obj=document)
    categories = settings()["general.categories"]
    form.category.choices = options((c, c) for c in categories)
    if request.method == "GET" and document is not None and document.amount is not None:
        form.amount.data = str(document.amount)
    return form


def _save(document: GeneralRequest | None):
    """Create or update from the form; submit too when that button was pressed."""
    form = _form(document)
    if form.validate_on_submit():
        data = services.RequestData(title=form.title.data, category=form.category.data,
                                    description=form.description.data, amount=form.amount.data)
        categories = settings()["general.categories"]
        try:
            if document is None:
                document = services.create(db.session, data, signed_in_user(), categories)
            else:
                services.update(db.session, document, data, current_user.id, categories)
            _save_files(document, form)
            if request.form.get("submit"):
                services.submit(db.session, document, current_engine(), current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Submitted for approval.") if request.form.get("submit") else _("Saved as a draft."), "success")
            return redirect(url_for("general.detail", request_id=document.id))
    return render("general/form.html", form=form, document=document, status=form_status(form))


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _save(None)


@bp.route("/<int:request_id>/edit", methods=["GET", "POST"])
@employee
def edit(request_id: int):
    document = _document(request_id)
    if document.requester_id != current_user.id:
        abort(403)
    if not services.editable(document):
        flash(_("The request is read-only while it is pending or after approval."), "warning")
        return redirect(url_for("general.detail", request_id=document.id))
    return _save(document)


@bp.get("/<int:request_id>")
@employee
def detail(request_id: int, status: int = 200):
    document = _document(request_id)
    engine = current_engine()
    approval = engine.latest_request(services.APPROVAL_TYPE, document.id)
    revisions = db.session.scalars(select(GeneralRequest).where(GeneralRequest.number == document.number)
                                   .order_by(GeneralRequest.revision)).all()
    return render("general/detail.html", document=document, approval=approval, revisions=revisions,
                  trail=trail(db.session, approval) if approval else None, editable=services.editable(document),
                  status=status)


@bp.post("/<int:request_id>/submit")
@employee
def submit(request_id: int):
    document = _document(request_id)
    try:
        services.submit(db.session, document, current_engine(), current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.translate(_), "error")
        return detail(request_id, status=error.status)
    db.session.commit()
    flash(_("Submitted for approval."), "success")
    return redirect(url_for("general.detail", request_id=document.id))


@bp.post("/<int:request_id>/change")
@employee
def change(request_id: int):
    """Change an approved request: a new revision to edit and submit."""
    document = _document(request_id)
    revision = services.request_change(db.session, document, current_user.id)
    db.session.commit()
    return redirect(url_for("general.edit", request_id=revision.id))


@bp.get("/<int:request_id>/files/<int:attachment_id>")
@employee
@writes
def attachment(request_id: int, attachment_id: int):
    document = _document(request_id)
    found = next((a for a in document.attachments if a.id == attachment_id), None) or abort(404)
    return download_response(found.file, module="general")


@bp.post("/<int:request_id>/files/<int:attachment_id>/delete")
@employee
def delete_attachment(request_id: int, attachment_id: int):
    document = _document(request_id)
    if document.requester_id != current_user.id or not services.editable(document):
        raise Conflict(N_("The request is read-only while it is pending or after approval."))
    found = next((a for a in document.attachments if a.id == attachment_id), None) or abort(404)
    document.attachments.remove(found)
    db.session.commit()
    return redirect(url_for("general.edit", request_id=document.id))
