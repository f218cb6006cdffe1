"""Warehouse pages: goods receipts and their checks, discrepancy records, stock and movements."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from intranet import DomainError, ask, db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.calendar import last_periods, local_period, period_bounds, period_label
from intranet.charts import BarChart, Series
from intranet.documents import (current_documents, document_page, line_attachments, uploads, visible_document)
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, calendar, employee, form_error, options,
                          parse_decimal, permission_required, render, settings, signed_in_user, writes)

from . import services
from .documents import (DISCREPANCY, DISCREPANCY_STATUSES, GOODS_RECEIPT, INSTALL, KIND_LABELS, KINDS, RECEIPT_STATUSES,
                        RECEIVE, RESOLUTION_LABELS, RESOLUTIONS, RESOLVE)
from .forms import CheckForm, OpenReceiptForm, PhotoForm, ResolveForm
from .models import Discrepancy, GoodsReceipt, StockItem, StockMovement

bp = Blueprint("warehouse", __name__, template_folder="templates")

RECEIPTS = ListView(
    "warehouse.receipts", GOODS_RECEIPT,
    (Field("number"), Field("title"), Field("order_number", _l("Purchase order")),
     Field("supplier_name", _l("Supplier")), Field("requester", _l("Warehouse keeper"), "person"),
     Field("arrived_at", _l("Arrived"), "datetime"), Field("status", format="status")),
    filters=(Filter("status", _l("Status"), choices=RECEIPT_STATUSES.choices),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine"),
             Filter("arrived", _l("Arrived"), column="arrived_at", kind="date")),
    sorts=(NEWEST, Sort("arrived", _l("Arrived"), "arrived_at")), search=("title", "number", "order_number"),
    selectable=True, export="warehouse.export")

DISCREPANCIES = ListView(
    "warehouse.discrepancies", DISCREPANCY,
    (Field("number"), Field("order_number", _l("Purchase order")), Field("supplier_name", _l("Supplier")),
     Field("kind", _l("Kind"), "choice", choices=KIND_LABELS), Field("item"), Field("quantity", format="quantity"),
     Field("resolution", _l("Resolution"), "choice", choices=RESOLUTION_LABELS), Field("status", format="status"),
     Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=DISCREPANCY_STATUSES.choices),
             Filter("kind", _l("Kind"), choices=lambda: list(KINDS)),
             Filter("created", _l("Created"), column="created_at", kind="date")),
    sorts=(NEWEST,), search=("number", "order_number", "item", "supplier_name"), selectable=True,
    export="warehouse.export_discrepancies")

STOCK = ListView(
    "warehouse.stock", StockItem,
    (Field("code", _l("Item code")), Field("name", _l("Item")), Field("specification"),
     Field("quantity", format="quantity"), Field("unit"), Field("location", _l("Location")),
     Field("pending_installation", _l("Pending installation"), "bool")),
    filters=(Filter("installation", _l("Pending installation"), column="pending_installation", kind="bool"),),
    sorts=(Sort("name", _l("Item"), "name"), Sort("location", _l("Location"), "location"),
           Sort("quantity", _l("Quantity"), "quantity")),
    search=("code", "name", "location"), link=lambda item: url_for("warehouse.item", item_id=item.id),
    export="warehouse.export_stock")

LINE_FIELDS = ("delivered", "quantity", "rejected")


# -- goods receipts ----------------------------------------------------------------------
@bp.get("/")
@employee
def receipts():
    return RECEIPTS.render("warehouse/receipts.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return RECEIPTS.export(fmt)


def _new_page(form, status: int = 200):
    query = request.values.get("q", "")[:40]
    answer = ask("procurement_open_orders", query=query, limit=30)
    return render("warehouse/new.html", form=form, orders=answer.value or [], available=answer.available,
                  query=query, status=status)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(RECEIVE)
def new():
    """Goods arrived: the keeper picks the order and gets a receipt to check, clocked from now."""
    form = OpenReceiptForm()
    if form.validate_on_submit():
        order_id = form.order_id.data
        order = ask("procurement_order", order_id=int(order_id)).value if str(order_id).isdigit() else None
        try:
            receipt = services.open_receipt(current_documents(), order, signed_in_user(), arrived_at=utcnow(),
                                            location=settings()["warehouse.default_location"])
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
            form.order_error = error.translate(_)
        else:
            db.session.commit()
            return redirect(url_for("warehouse.receipt", document_id=receipt.id))
        return _new_page(form, status=422)
    return _new_page(form, status=422 if request.method == "POST" else 200)


def _receipt_page(document: GoodsReceipt, *, form=None, errors=None, values=None, status: int = 200):
    photos = line_attachments(db.session, GOODS_RECEIPT, document, slot="photo")
    records = db.session.scalars(select(Discrepancy).where(Discrepancy.receipt_id == document.id)
                                 .order_by(Discrepancy.id)).all()
    checking = document.status == "draft" and document.requester_id == current_user.id
    due = calendar().add_working_hours(document.arrived_at, settings()["warehouse.receive_hours"])
    return render("warehouse/receipt.html", **document_page(GOODS_RECEIPT, document), photos=photos,
                  records=records, checking=checking, form=form or CheckForm(obj=document), errors=errors or {},
                  values=values or {}, photo_form=PhotoForm(), due=due, overdue=checking and utcnow() > due,
                  kind_labels=KIND_LABELS, status=status)


@bp.get("/<int:document_id>", endpoint="receipt")
@employee
def receipt_page(document_id: int):
    return _receipt_page(visible_document(GOODS_RECEIPT, document_id))


def _bool(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "y", "true")


def _checks(document: GoodsReceipt) -> tuple[list[services.LineCheck], dict, dict]:
    """The posted rows: typed values, the errors of those that do not parse, what was typed."""
    checks, errors, values = [], {}, {}
    for number, _line in enumerate(document.lines):
        parsed = {}
        for name in LINE_FIELDS:
            key = f"lines-{number}-{name}"
            raw = request.form.get(key, "").strip()[:40]
            values[key] = raw
            try:
                parsed[name] = parse_decimal(raw) if raw else (Decimal(0) if name == "rejected" else None)
            except ValueError:
                parsed[name] = None
            if parsed[name] is None or parsed[name] < 0 or parsed[name] >= services.MAX_QUANTITY:
                errors[key] = _("Enter a quantity of 0 or more and below %(max)s.", max="10,000,000")
        prefix = f"lines-{number}-"
        values.update({prefix + k: request.form.get(prefix + k, "")[:300] for k in ("location", "exception_reason")})
        values.update({prefix + k: _bool(prefix + k) for k in ("appearance_ok", "specification_ok",
                                                                "needs_installation")})
        checks.append(services.LineCheck(delivered=parsed["delivered"], quantity=parsed["quantity"],
                                         rejected=parsed["rejected"], appearance_ok=values[prefix + "appearance_ok"],
                                         specification_ok=values[prefix + "specification_ok"],
                                         location=values[prefix + "location"],
                                         needs_installation=values[prefix + "needs_installation"],
                                         exception_reason=values[prefix + "exception_reason"]))
    return checks, errors, values


@bp.post("/<int:document_id>/check")
@permission_required(RECEIVE)
def check(document_id: int):
    """Save the keeper's findings; with "sign", sign the receipt and book it in the same transaction."""
    document = visible_document(GOODS_RECEIPT, document_id)
    form = CheckForm()
    checks, errors, values = _checks(document)
    if form.validate_on_submit() and not errors:
        documents = current_documents()
        signing = bool(request.form.get("sign"))
        try:
            services.record_checks(documents, document, checks, current_user.id, form.remarks.data)
            if signing:
                services.sign(documents, document, current_user.id, tz=calendar().tz)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            if error.field and error.field.startswith("lines-"):
                errors[error.field] = error.translate(_)
            else:
                form_error(form, error)
        else:
            db.session.commit()
            flash(_("Receipt signed: stock updated.") if signing else _("Checks saved."), "success")
            return redirect(url_for("warehouse.receipt", document_id=document.id))
    db.session.expire_all()
    document = visible_document(GOODS_RECEIPT, document_id)
    return _receipt_page(document, form=form, errors=errors, values=values, status=422)


@bp.post("/<int:document_id>/photo")
@permission_required(RECEIVE)
def photo(document_id: int):
    """A photo of one line (images only, size-limited)."""
    document = visible_document(GOODS_RECEIPT, document_id)
    form = PhotoForm()
    rules = services.photo_rules(settings())
    files = uploads("photo", rules)
    errors = {}
    if form.validate_on_submit():
        line_id = int(form.line_id.data) if str(form.line_id.data).isdigit() else 0
        try:
            if not files:
                raise services.Invalid(services.N_("Choose a photo."), field="photo")
            for upload in files:
                services.attach_photo(current_documents(), document, line_id, upload, rules=rules,
                                      actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            errors[f"photo-{line_id}"] = error.translate(_)
        else:
            db.session.commit()
            flash(_("Photo added."), "success")
            return redirect(url_for("warehouse.receipt", document_id=document.id) + f"#line-{line_id}")
    document = visible_document(GOODS_RECEIPT, document_id)
    return _receipt_page(document, errors=errors, status=422)


@bp.post("/<int:document_id>/cancel")
@permission_required(RECEIVE)
def cancel(document_id: int):
    document = visible_document(GOODS_RECEIPT, document_id)
    services.cancel(current_documents(), document, current_user.id)
    db.session.commit()
    flash(_("Receipt cancelled."), "success")
    return redirect(url_for("warehouse.receipt", document_id=document.id))


# -- discrepancies ----------------------------------------------------------------------
@bp.get("/discrepancies/")
@employee
def discrepancies():
    return DISCREPANCIES.render("warehouse/discrepancies.html")


@bp.get("/discrepancies/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_discrepancies(fmt: str):
    return DISCREPANCIES.export(fmt)


def _resolve_form(form=None):
    form = form or ResolveForm()
    form.resolution.choices = options(RESOLUTIONS)
    return form


def _discrepancy_page(document: Discrepancy, *, form=None, photo_error: str = "", status: int = 200):
    return render("warehouse/discrepancy.html", **document_page(DISCREPANCY, document), form=_resolve_form(form),
                  can_resolve=current_user.can(RESOLVE), kind_labels=KIND_LABELS,
                  resolution_labels=RESOLUTION_LABELS, photo_form=PhotoForm(), photo_error=photo_error,
                  status=status)


@bp.get("/discrepancies/<int:document_id>", endpoint="discrepancy")
@employee
def discrepancy_page(document_id: int):
    return _discrepancy_page(visible_document(DISCREPANCY, document_id))


@bp.post("/discrepancies/<int:document_id>/resolve")
@permission_required(RESOLVE)
def resolve(document_id: int):
    document = visible_document(DISCREPANCY, document_id)
    form = _resolve_form()
    if form.validate_on_submit():
        try:
            services.resolve(current_documents(), document, resolution=form.resolution.data, note=form.note.data,
                             actor_id=current_user.id, allowed=True)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Discrepancy resolved."), "success")
            return redirect(url_for("warehouse.discrepancy", document_id=document.id))
    return _discrepancy_page(visible_document(DISCREPANCY, document_id), form=form, status=422)


@bp.post("/discrepancies/<int:document_id>/photo")
@permission_required(RECEIVE)
def discrepancy_photo(document_id: int):
    document = visible_document(DISCREPANCY, document_id)
    rules = services.photo_rules(settings())
    files = uploads("photo", rules)
    error_text = ""
    if PhotoForm().validate_on_submit():
        try:
            if not files:
                raise services.Invalid(services.N_("Choose a photo."), field="photo")
            for upload in files:
                services.attach_discrepancy_photo(current_documents(), document, upload, rules=rules,
                                                  actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            error_text = error.translate(_)
        else:
            db.session.commit()
            flash(_("Photo added."), "success")
            return redirect(url_for("warehouse.discrepancy", document_id=document.id))
    return _discrepancy_page(visible_document(DISCREPANCY, document_id), photo_error=error_text, status=422)


# -- stock -----------------------------------------------------------------------------
@bp.get("/stock/")
@employee
def stock():
    return STOCK.render("warehouse/stock.html")


@bp.get("/stock/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_stock(fmt: str):
    return STOCK.export(fmt)


MOVEMENTS_PER_PAGE = 50


@bp.get("/stock/<int:item_id>")
@employee
def item(item_id: int):
    """An item and its movements, newest first, a page at a time (``before`` = the last id shown)."""
    found = db.session.get(StockItem, item_id) or abort(404)
    before = request.args.get("before", "")
    query = select(StockMovement).where(StockMovement.item_id == found.id)
    if before.isdigit() and len(before) < 12:
        query = query.where(StockMovement.id < int(before))
    movements = db.session.scalars(query.order_by(StockMovement.at.desc(), StockMovement.id.desc())
                                   .limit(MOVEMENTS_PER_PAGE + 1)).all()
    more = len(movements) > MOVEMENTS_PER_PAGE
    movements = movements[:MOVEMENTS_PER_PAGE]
    incoming = services.availability(db.session, found.code, ask("procurement_open_orders", query="",
                                                                  limit=100).value)
    return render("warehouse/item.html", item=found, movements=movements, more=more,
                  next_before=movements[-1].id if more else None, availability=incoming,
                  can_install=current_user.can(INSTALL), form=PhotoForm())


@bp.post("/stock/<int:item_id>/installed")
@permission_required(INSTALL)
def installed(item_id: int):
    found = db.session.get(StockItem, item_id) or abort(404)
    services.installed(db.session, found, allowed=True)
    db.session.commit()
    flash(_("Marked as installed."), "success")
    return redirect(url_for("warehouse.item", item_id=found.id))


# -- the dashboard ---------------------------------------------------------------------
def dashboard(user) -> dict:
    """What the keeper must do today (receipts being checked, the late ones), the purchaser's open
    discrepancies, and receipts by month with their discrepancies."""
    company = calendar()
    keys = last_periods(company.today(utcnow()), "month", 6)
    start, _end = period_bounds(keys[0], "month", company.tz)
    dialect = db.session.get_bind().dialect
    month = local_period(GoodsReceipt.arrived_at, "month", company.tz, dialect)
    received = dict(db.session.execute(select(month, func.count()).where(
        GoodsReceipt.arrived_at >= start, GoodsReceipt.status == "received").group_by(month)).all())
    dmonth = local_period(Discrepancy.created_at, "month", company.tz, dialect)
    issues = dict(db.session.execute(select(dmonth, func.count()).where(Discrepancy.created_at >= start)
                                     .group_by(dmonth)).all())
    checking = db.session.scalar(select(func.count()).select_from(GoodsReceipt).where(
        GoodsReceipt.requester_id == user.id, GoodsReceipt.status == "draft")) if user.can(RECEIVE) else None
    open_records = db.session.scalar(select(func.count()).select_from(Discrepancy).where(
        Discrepancy.status == "open")) if user.can(RESOLVE) or user.can(RECEIVE) else None
    installing = db.session.scalar(select(func.count()).select_from(StockItem).where(
        StockItem.pending_installation.is_(True))) if user.can(INSTALL) else None
    chart = BarChart(_("Goods receipts by month"), categories=[period_label(k, "month", get_locale()) for k in keys],
                     series=[Series(_("Receipts"), [received.get(k, 0) for k in keys], tone="ok"),
                             Series(_("Discrepancies"), [issues.get(k, 0) for k in keys], tone="danger")],
                     category_label=_("Month"))
    return {"checking": checking, "open": open_records, "installing": installing, "chart": chart}
