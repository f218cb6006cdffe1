"""Procurement pages: requests, quotations and the choice, orders, the supplier registry,
finance's repeat-purchase list."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from intranet import DomainError, ask, db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.calendar import last_periods, period_label, period_of
from intranet.charts import BarChart, Series
from intranet.documents import (current_documents, document_page, editable_by_me, save_document, visible_document)
from intranet.reference import cost_categories, cost_category_label, units
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, calendar, edit_lines, employee, form_error,
                          form_status, options, org_chart, parse_decimal, permission_required, render, settings, signed_in_user,
                          total, writes)

from . import services
from .documents import (BANK, ORDER_STATUSES, PURCHASE, PURCHASE_ORDER, PURCHASE_REQUEST, REQUEST_STATUSES,
                        SUPPLIERS)
from .forms import ChoiceForm, EvaluationForm, QuotationForm, RequestForm, SupplierForm
from .models import PurchaseOrder, PurchaseRequest, Supplier, SupplierEvaluation

bp = Blueprint("procurement", __name__, template_folder="templates")

CATEGORY_LABELS = dict(services.SUPPLIER_CATEGORIES)
SUPPLIER_STATUSES = {"qualified": _l("Qualified"), "removed": _l("Removed")}

REQUESTS = ListView(
    "procurement.requests", PURCHASE_REQUEST,
    (Field("number"), Field("title"), Field("total", format="money"), Field("requester", format="person"),
     Field("department_id", format="department"), Field("status", format="status"),
     Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=REQUEST_STATUSES.choices),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine"),
             Filter("created", _l("Created"), column="created_at", kind="date")),
    sorts=(NEWEST, Sort("total", _l("Amount"), "total")), search=("title", "number"), selectable=True,
    export="procurement.export")

ORDERS = ListView(
    "procurement.orders", PURCHASE_ORDER,
    (Field("number"), Field("title"), Field("supplier.name", _l("Supplier")), Field("total", format="money"),
     Field("requester", _l("Purchaser"), "person"), Field("expected_on", _l("Expected delivery"), "date"),
     Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=ORDER_STATUSES.choices),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine"),
             Filter("created", _l("Created"), column="created_at", kind="date")),
    sorts=(NEWEST, Sort("total", _l("Amount"), "total")), search=("title", "number"), selectable=True,
    export="procurement.export_orders")

SUPPLIER_LIST = ListView(
    "procurement.suppliers", Supplier,
    (Field("name"), Field("category", _l("Category"), "choice", choices=CATEGORY_LABELS),
     Field("contact"), Field("phone"), Field("score", format="number"),
     Field("status", _l("Status"), "choice", choices=SUPPLIER_STATUSES)),
    filters=(Filter("category", _l("Category"), choices=lambda: list(services.SUPPLIER_CATEGORIES)),
             Filter("status", _l("Status"), choices=lambda: list(SUPPLIER_STATUSES.items()))),
    sorts=(Sort("name", _l("Name"), "name"),), search=("name", "contact"),
    link=lambda supplier: url_for("procurement.supplier", supplier_id=supplier.id), export="procurement.export_suppliers")


# -- purchase requests --------------------------------------------------------------
@bp.get("/")
@employee
def requests():
    return REQUESTS.render("procurement/list.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return REQUESTS.export(fmt)


def _qualified_suppliers():
    return db.session.execute(select(Supplier.id, Supplier.name).where(Supplier.status == "qualified")
                              .order_by(Supplier.name).limit(500)).all()


def _prefill() -> dict | None:
    """Lines handed over by another module (procurement_urgent_request_url)."""
    items = request.args.getlist("item")
    if not items:
        return None
    specs, quantities, unit_names = (request.args.getlist(k) for k in ("specification", "quantity", "unit"))
    lines = [{"item": item[:100], "specification": (specs[i] if i < len(specs) else "")[:200],
              "quantity": _decimal(quantities[i] if i < len(quantities) else ""),
              "unit": unit_names[i] if i < len(unit_names) else "", "unit_price": None}
             for i, item in enumerate(items[:services.MAX_LINES])]
    return {"title": request.args.get("title", "")[:200], "lines": lines}


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


def _form_page(document: PurchaseRequest | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    prefill = _prefill() if document is None and request.method == "GET" else None
    form = RequestForm(formdata=formdata, obj=document, data=prefill)
    form.cost_category.choices = options(cost_categories())
    unit_choices = [(u, u) for u in units(settings())]
    for entry in form.lines.entries:
        entry.form.unit.choices = options(unit_choices)
    form.suggested_supplier_id.choices = [("", _("None"))] + [(s.id, s.name) for s in _qualified_suppliers()]
    if request.method == "POST" and not line_button:
        def apply(documents, document):
            data = services.RequestData(
                title=form.title.data, cost_category=form.cost_category.data, purpose=form.purpose.data,
                lines=[services.LineData(**row) for row in form.lines.data],
                suggested_supplier_id=form.suggested_supplier_id.data,
                suggestion_reason=form.suggestion_reason.data)
            if document is None:
                return services.create(documents, data, signed_in_user())
            return services.update(documents, document, data, current_user.id)

        saved = save_document(PURCHASE_REQUEST, document, form, apply)
        if saved:
            return saved
    # the kit's total: a row whose figures failed their check (empty, absurd) shows no amount
    amounts = [total([row], "quantity", "unit_price")
               if row.get("quantity") is not None and row.get("unit_price") is not None else None
               for row in form.lines.data]
    status = 422 if request.method == "POST" and not line_button else 200
    return render("procurement/form.html", form=form, document=document, amounts=amounts,
                  total=total([r for r in form.lines.data if r.get("quantity") is not None
                               and r.get("unit_price") is not None], "quantity", "unit_price"), status=status)


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _form_page(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    document = visible_document(PURCHASE_REQUEST, document_id)
    if not editable_by_me(PURCHASE_REQUEST, document):
        return redirect(url_for("procurement.request", document_id=document.id))
    return _form_page(document)


def _budget(document: PurchaseRequest):
    """The remaining budget of the request's department and cost category, as the budget module says."""
    if document.department_id is None:
        return {"available": False}
    answer = ask("budget_remaining", department_id=document.department_id, category=document.cost_category,
                 on=(document.submitted_at or document.created_at).date())
    return {"available": answer.available, "line": answer.value}


def _request_page(document: PurchaseRequest, *, quotation_form=None, choice_form=None, status: int = 200):
    cfg = settings()
    quotations = services.quotations_of(db.session, document.id)
    comparison = services.compare(quotations, cfg["procurement.close_price_percent"])
    quotation_form = quotation_form or QuotationForm()
    quoted = {q.supplier_id for q in quotations}
    quotation_form.supplier_id.choices = [("", "—")] + [(s.id, s.name) for s in _qualified_suppliers()
                                                        if s.id not in quoted]
    choice_form = choice_form or ChoiceForm()
    choice_form.quotation_id.choices = [("", "—")] + [(q.id, q.supplier.name) for q in quotations]
    orders = db.session.scalars(select(PurchaseOrder).where(PurchaseOrder.request_id == document.id)).all()
    repeats = services.repeat_items(db.session, document, cfg["procurement.repeat_months"], calendar().tz) \
        if document.status in services.OPEN_REQUEST_STATUSES else set()
    return render("procurement/detail.html", **document_page(PURCHASE_REQUEST, document), budget=_budget(document),
                  quotations=quotations, comparison=comparison, quotation_form=quotation_form,
                  choice_form=choice_form, orders=orders, repeats=repeats, can_purchase=current_user.can(PURCHASE),
                  category_label=cost_category_label(document.cost_category),
                  min_quotations=cfg["procurement.min_quotations"], status=status)


@bp.get("/<int:document_id>", endpoint="request")
@employee
def request_page(document_id: int):
    return _request_page(visible_document(PURCHASE_REQUEST, document_id))


@bp.post("/<int:document_id>/quotations")
@permission_required(PURCHASE)
def add_quotation(document_id: int):
    """Record one supplier's quotation (a column of the 询价记录表)."""
    document = visible_document(PURCHASE_REQUEST, document_id)
    form = QuotationForm()
    form.supplier_id.choices = [("", "—")] + [(s.id, s.name) for s in _qualified_suppliers()]
    prices, price_errors = {}, {}
    for line in document.lines:
        raw = request.form.get(f"price-{line.id}", "")
        value = _money(raw)
        if value is None:
            price_errors[line.id] = _("Enter a price above 0, such as 1200 or 1,200.50.")
        else:
            prices[line.id] = value
    if form.validate_on_submit() and not price_errors:
        data = services.QuotationData(supplier_id=form.supplier_id.data, lead_days=form.lead_days.data,
                                      service_score=form.service_score.data, prices=prices,
                                      after_sales=form.after_sales.data, sample_result=form.sample_result.data)
        try:
            services.add_quotation(db.session, document, data, current_user.id)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            if error.field and error.field.startswith("price-"):
                price_errors[int(error.field.split("-", 1)[1])] = error.translate(_)
            else:
                form_error(form, error)
        else:
            db.session.commit()
            flash(_("Quotation recorded."), "success")
            return redirect(url_for("procurement.request", document_id=document.id) + "#quotations")
    form.price_errors = price_errors
    return _request_page(document, quotation_form=form, status=422)


def _money(text: str) -> Decimal | None:
    try:
        value = parse_decimal(text)
    except ValueError:
        return None
    return value if value is not None and Decimal(0) < value < services.MAX_MONEY else None


@bp.post("/<int:document_id>/choose")
@permission_required(PURCHASE)
def choose(document_id: int):
    """Choose the supplier and issue the purchase order."""
    document = visible_document(PURCHASE_REQUEST, document_id)
    form = ChoiceForm()
    if form.validate_on_submit():
        try:
            order = services.choose(current_documents(), document, quotation_id=form.quotation_id.data,
                                    reason=form.reason.data, sample_test=form.sample_test.data,
                                    actor=signed_in_user(), settings=settings())
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Purchase order %(number)s issued.", number=order.number), "success")
            return redirect(url_for("procurement.order", document_id=order.id))
    return _request_page(visible_document(PURCHASE_REQUEST, document_id), choice_form=form, status=422)


# -- purchase orders ----------------------------------------------------------------
@bp.get("/orders/")
@employee
def orders():
    return ORDERS.render("procurement/orders.html")


@bp.get("/orders/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_orders(fmt: str):
    return ORDERS.export(fmt)


@bp.get("/orders/<int:document_id>")
@employee
def order(document_id: int):
    document = visible_document(PURCHASE_ORDER, document_id)
    return render("procurement/order.html", **document_page(PURCHASE_ORDER, document),
                  can_purchase=current_user.can(PURCHASE))


@bp.post("/orders/<int:document_id>/close")
@employee
def close_order(document_id: int):
    document = visible_document(PURCHASE_ORDER, document_id)
    services.close_order(current_documents(), document, current_user.id, allowed=current_user.can(PURCHASE))
    db.session.commit()
    flash(_("Order closed."), "success")
    return redirect(url_for("procurement.order", document_id=document.id))


# -- the supplier registry ---------------------------------------------------------
@bp.get("/suppliers/")
@employee
def suppliers():
    return SUPPLIER_LIST.render("procurement/suppliers.html")


@bp.get("/suppliers/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_suppliers(fmt: str):
    return SUPPLIER_LIST.export(fmt)


def _supplier_form_page(supplier: Supplier | None):
    form = SupplierForm(obj=supplier)
    form.category.choices = options(services.SUPPLIER_CATEGORIES)
    with_bank = current_user.can(BANK)
    if form.validate_on_submit():
        data = services.SupplierData(**{name: form[name].data or "" for name in (
            "name", "category", "contact", "phone", "email", "address", "bank_name", "bank_account")})
        try:
            supplier = services.save_supplier(db.session, supplier, data, with_bank=with_bank)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Supplier saved."), "success")
            return redirect(url_for("procurement.supplier", supplier_id=supplier.id))
    return render("procurement/supplier_form.html", form=form, supplier=supplier, with_bank=with_bank,
                  status=form_status(form))


@bp.route("/suppliers/new", methods=["GET", "POST"])
@permission_required(SUPPLIERS)
def new_supplier():
    return _supplier_form_page(None)


@bp.route("/suppliers/<int:supplier_id>/edit", methods=["GET", "POST"])
@permission_required(SUPPLIERS)
def edit_supplier(supplier_id: int):
    return _supplier_form_page(db.session.get(Supplier, supplier_id) or abort(404))


def _supplier_page(supplier: Supplier, form=None, status: int = 200):
    evaluations = db.session.scalars(select(SupplierEvaluation).where(SupplierEvaluation.supplier_id == supplier.id)
                                     .order_by(SupplierEvaluation.year.desc())).all()
    year = calendar().today(utcnow()).year
    form = form or EvaluationForm(year=year)
    answer = ask("warehouse_supplier_deliveries", supplier_id=supplier.id, year=form.year.data or year)
    suggested = services.suggested_scores(answer.value if answer.available else None,
                                          settings()["procurement.discrepancy_penalty"])
    return render("procurement/supplier.html", supplier=supplier, evaluations=evaluations, form=form,
                  deliveries=answer, suggested=suggested, category_label=CATEGORY_LABELS.get(supplier.category),
                  statuses=SUPPLIER_STATUSES, with_bank=current_user.can(BANK),
                  can_manage=current_user.can(SUPPLIERS), status=status)


@bp.get("/suppliers/<int:supplier_id>")
@employee
def supplier(supplier_id: int):
    return _supplier_page(db.session.get(Supplier, supplier_id) or abort(404))


@bp.post("/suppliers/<int:supplier_id>/evaluate")
@permission_required(SUPPLIERS)
def evaluate(supplier_id: int):
    """The yearly evaluation; a score under the pass mark removes the supplier from the registry."""
    supplier = db.session.get(Supplier, supplier_id) or abort(404)
    form = EvaluationForm()
    if form.validate_on_submit():
        try:
            services.evaluate(db.session, supplier, year=form.year.data, price=form.price_score.data,
                              quality=form.quality_score.data, delivery=form.delivery_score.data,
                              weights=services.Weights.of(settings()), evaluator_id=current_user.id,
                              now=utcnow(), remarks=form.remarks.data)
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("Evaluation saved.") if supplier.qualified
                  else _("Evaluation saved: the supplier scored under the pass mark and left the registry."),
                  "success" if supplier.qualified else "warning")
            return redirect(url_for("procurement.supplier", supplier_id=supplier.id))
    return _supplier_page(supplier, form, status=422)


# -- finance's monthly repeat-purchase list ------------------------------------------------
@bp.get("/repeats")
@permission_required("procurement.repeats")
def repeats():
    company = calendar()
    this_month = period_of(utcnow(), "month", company.tz)
    month = request.args.get("month", "")
    choices = last_periods(company.today(utcnow()), "month", 12)
    month = month if month in choices else this_month
    rows = services.repeat_report(db.session, month, settings()["procurement.repeat_months"], company.tz)
    org = org_chart()
    for row in rows:
        department = org.get(row["department_id"])
        row["department"] = department.name if department else "—"
    return render("procurement/repeats.html", rows=rows, month=month,
                  months=[(key, period_label(key, "month", get_locale())) for key in reversed(choices)],
                  count=settings()["procurement.repeat_months"])


# -- the dashboard ---------------------------------------------------------------------
def dashboard(user) -> dict:
    """What the signed-in person must do in procurement today, and spending by month."""
    company = calendar()
    keys = last_periods(company.today(utcnow()), "month", 6)
    spend = services.spend_by_month(db.session, keys, company.tz, db.session.get_bind().dialect)
    to_order = db.session.scalar(select(func.count()).select_from(PurchaseRequest)
                                 .where(PurchaseRequest.status == "approved")) if user.can(PURCHASE) else None
    mine = db.session.scalar(select(func.count()).select_from(PurchaseRequest).where(
        PurchaseRequest.requester_id == user.id, PurchaseRequest.status.in_(("draft", "pending", "returned"))))
    chart = BarChart(_("Approved purchases by month"), categories=[period_label(k, "month", get_locale()) for k in keys],
                     series=[Series(_("Amount"), [spend.get(k, Decimal(0)) for k in keys], tone="info")],
                     format="money", category_label=_("Month"))
    return {"to_order": to_order, "mine": mine, "chart": chart}

