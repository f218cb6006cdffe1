"""Sales pages: orders (with stock checks and reviews), shipments, follow-up surveys, products, pipeline."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_babel import get_locale
from sqlalchemy import func, select

from intranet import DomainError, ask, db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.calendar import last_periods, local_period, period_bounds, period_label
from intranet.charts import BarChart, Series
from intranet.documents import current_documents, document_page, editable_by_me, visible_document
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, arg_id, calendar, edit_lines, employee,
                          form_error, form_status, options, permission_required, render, settings, signed_in_user,
                          total, writes)

from . import services
from .documents import ORDER, ORDER_STATUSES, PRODUCTS, SHIP, SHIPMENT, USE, VIEW_ALL
from .forms import AdvanceForm, OrderForm, ProductForm, ShipForm, SurveyForm
from .models import QUESTIONS, Product, SalesOrder, Shipment, Survey
from .settings import KIND_LABELS

bp = Blueprint("sales", __name__, template_folder="templates")

ORDERS = ListView(
    "sales.orders", ORDER,
    (Field("number"), Field("customer_name"), Field("kind", format="choice", choices=KIND_LABELS),
     Field("total", format="money"), Field("requester", _l("Salesperson"), format="person"),
     Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=ORDER_STATUSES.choices),
             Filter("kind", _l("Order type"), choices=lambda: list(KIND_LABELS.items())),
             Filter("mine", _l("Only mine"), column="requester_id", kind="mine"),
             Filter("created", _l("Created"), column="created_at", kind="date")),
    sorts=(NEWEST, Sort("total", _l("Amount"), "total")), search=("customer_name", "number"), selectable=True,
    export="sales.export")

PRODUCT_LIST = ListView(
    "sales.products", Product,
    (Field("code"), Field("name"), Field("category"), Field("specification"), Field("unit"),
     Field("list_price", format="money")),
    filters=(Filter("category", _l("Category"),
                    choices=lambda: [(c, c) for c in settings()["sales.product_categories"]]),),
    sorts=(NEWEST,), search=("name", "code"), export="sales.export_products")


def _fail(form, error: DomainError):
    db.session.rollback()
    if error.status != 422:
        raise error
    form_error(form, error)


def customer_of(customer_id) -> dict | None:
    """The customer as the CRM answers (sales depends on it: never off under us)."""
    return ask("crm_customer", customer_id=customer_id).value if customer_id else None


def _product_choices():
    rows = db.session.execute(select(Product.code, Product.name, Product.specification)
                              .where(Product.active).order_by(Product.category, Product.code).limit(2000)).all()
    return options((code, f"{name} {spec}".strip()) for code, name, spec in rows)


# -- orders --------------------------------------------------------------------------------
@bp.get("/")
@employee
def orders():
    return ORDERS.render("sales/orders.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return ORDERS.export(fmt)


def _order_data(form) -> services.OrderData:
    return services.OrderData(
        kind=form.kind.data, discount=form.discount.data or Decimal(0),
        ask_discount_approval=form.ask_discount_approval.data,
        lines=[services.LineData(product_code=row["product_code"] or "", quantity=row["quantity"],
                                 unit_price=row["unit_price"], quoted_price=row["quoted_price"])
               for row in form.lines.data],
        **{name: getattr(form, name).data or "" for name in ("invoice_title", "invoice_tax_number",
                                                             "invoice_address", "invoice_bank",
                                                             "delivery_address", "remarks")})


def _order_form(order: SalesOrder | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = OrderForm(formdata=formdata, obj=order)
    if request.method == "GET" and order is None:
        form.customer_id.data = arg_id("customer")
    form.kind.choices = options(KIND_LABELS.items())
    for entry in form.lines.entries:
        entry.form.product_code.choices = _product_choices()
    customer = customer_of(form.customer_id.data if isinstance(form.customer_id.data, int) else None)
    if customer is None:
        abort(404)
    if not line_button and form.validate_on_submit():
        documents = current_documents()
        try:
            if order is None:
                order = services.create_order(documents, _order_data(form), customer, signed_in_user())
            else:
                services.update_order(documents, order, _order_data(form), customer, current_user.id)
            if request.form.get("submit"):
                services.submit_order(documents, order, current_user.id, customer)
        except DomainError as error:
            _fail(form, error)
            order = None if order is not None and order.id is None else order
        else:
            db.session.commit()
            return redirect(url_for("sales.order", document_id=order.id))
    amounts = [total([row], "quantity", "unit_price") for row in form.lines.data]
    status = 422 if request.method == "POST" and not line_button else 200
    return render("sales/order_form.html", form=form, order=order, customer=customer, amounts=amounts,
                  total=total(form.lines.data, "quantity", "unit_price"), status=status)


@bp.route("/new", methods=["GET", "POST"])
@permission_required(USE)
def new():
    return _order_form(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    order = visible_document(ORDER, document_id)
    if not editable_by_me(ORDER, order):
        return redirect(url_for("sales.order", document_id=order.id))
    return _order_form(order)


def stock_check(order: SalesOrder) -> dict:
    """Each line's stock through the warehouse; a shortage offers an urgent purchase request
    pre-filled in procurement, or another model of the same category."""
    lines, short = [], []
    for line in order.lines:
        answer = ask("warehouse_stock", item_code=line.product_code)
        on_hand = answer.value if answer.available else None
        lines.append({"line": line, "checked": answer.available, "on_hand": on_hand,
                      "short": answer.available and on_hand is not None and on_hand < line.quantity})
        if lines[-1]["short"]:
            short.append(line)
    urgent, alternatives = None, {}
    if short:
        items = [{"item": line.product, "specification": line.product_code,
                  "quantity": line.quantity - (next(x["on_hand"] for x in lines if x["line"] is line) or 0),
                  "unit": line.unit} for line in short]
        answer = ask("procurement_urgent_request_url", items=items)
        urgent = answer.value if answer.available else None
        categories = dict(db.session.execute(select(Product.code, Product.category).where(
            Product.code.in_([line.product_code for line in short]))).all())
        others = db.session.scalars(select(Product).where(Product.category.in_(set(categories.values())),
                                                          Product.active, Product.code.not_in(categories))
                                    .order_by(Product.code).limit(20)).all()
        for line in short:
            alternatives[line.id] = [p for p in others if p.category == categories.get(line.product_code)][:3]
    return {"lines": lines, "short": bool(short), "urgent": urgent, "alternatives": alternatives,
            "checked": any(x["checked"] for x in lines)}


def _order_page(order: SalesOrder, *, survey=None, ship=None, status=200):
    shipment = db.session.scalar(select(Shipment).where(Shipment.order_id == order.id).limit(1))
    recorded = db.session.scalar(select(Survey).where(Survey.order_id == order.id))
    return render("sales/order.html", **document_page(ORDER, order), stock=stock_check(order),
                  checks=services.finance_checks(order), shipment=shipment, survey=recorded,
                  survey_form=survey or SurveyForm(formdata=None), ship_form=ship or ShipForm(formdata=None),
                  kind_labels=KIND_LABELS, blocked=services.shipping_blocked(order), can_ship=current_user.can(SHIP),
                  questions=QUESTIONS, status=status)


@bp.get("/<int:document_id>")
@employee
def order(document_id: int):
    return _order_page(visible_document(ORDER, document_id))


@bp.post("/<int:document_id>/submit")
@employee
def submit(document_id: int):
    """Send the order to its reviews (finance, and the others it needs)."""
    order = visible_document(ORDER, document_id)
    try:
        services.submit_order(current_documents(), order, current_user.id, customer_of(order.customer_id))
    except DomainError as error:
        db.session.rollback()
        if error.status != 422:
            raise
        flash(error.translate(_), "error")
        return _order_page(visible_document(ORDER, document_id), status=422)
    db.session.commit()
    flash(_("Submitted for review."), "success")
    return redirect(url_for("sales.order", document_id=order.id))


@bp.post("/<int:document_id>/ship")
@permission_required(SHIP)
def ship(document_id: int):
    """Start picking: only when every review the order needs is approved."""
    order = visible_document(ORDER, document_id)
    form = ShipForm()
    if not form.validate_on_submit():
        return _order_page(order, ship=form, status=422)
    shipment = services.start_shipment(current_documents(), order, signed_in_user(), fragile=form.fragile.data,
                                       moisture=form.moisture.data)
    db.session.commit()
    return redirect(url_for("sales.shipment", document_id=shipment.id))


@bp.post("/<int:document_id>/survey")
@employee
def survey(document_id: int):
    """The follow-up: five questions 1-5, on the customer's timeline too."""
    order = visible_document(ORDER, document_id)
    form = SurveyForm()
    if form.validate_on_submit():
        documents = current_documents()
        try:
            services.require_seller(order, current_user.id)
            recorded = services.record_survey(documents, order, {k: form[k].data for k in QUESTIONS},
                                              form.comment.data, current_user.id)
            ask("crm_log_contact", customer_id=order.customer_id, channel="回访", person_id=current_user.id,
                result=_("Follow-up of %(number)s: %(average)s / 5 %(comment)s", number=order.number,
                         average=recorded.average, comment=recorded.comment), at=documents.now)
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("sales.order", document_id=order.id))
    return _order_page(visible_document(ORDER, document_id), survey=form, status=422)


# -- shipments 发货通知单 --------------------------------------------------------------
def _shipment_page(shipment: Shipment, *, form=None, status=200):
    form = form or AdvanceForm(formdata=None, obj=shipment)
    form.carrier.choices = options((c, c) for c in settings()["sales.carriers"])
    return render("sales/shipment.html", **document_page(SHIPMENT, shipment), form=form, status=status)


@bp.get("/shipments/<int:document_id>")
@employee
def shipment(document_id: int):
    return _shipment_page(visible_document(SHIPMENT, document_id))


@bp.post("/shipments/<int:document_id>/<any(picked, packed, shipped, delivered):target>")
@permission_required(SHIP)
def advance(document_id: int, target: str):
    shipment = visible_document(SHIPMENT, document_id)
    form = AdvanceForm()
    form.carrier.choices = options((c, c) for c in settings()["sales.carriers"])
    if form.validate_on_submit():
        try:
            services.advance_shipment(current_documents(), shipment, target, current_user.id,
                                      carrier=form.carrier.data or "", tracking_number=form.tracking_number.data or "",
                                      delivered_on=form.delivered_on.data or calendar().today(utcnow()),
                                      calendar=calendar(), settings=settings())
        except DomainError as error:
            _fail(form, error)
        else:
            db.session.commit()
            return redirect(url_for("sales.shipment", document_id=shipment.id))
    return _shipment_page(visible_document(SHIPMENT, document_id), form=form, status=form_status(form) or 422)


@bp.post("/shipments/<int:document_id>/notice")
@permission_required(SHIP)
def notice_sent(document_id: int):
    shipment = visible_document(SHIPMENT, document_id)
    services.record_notice_sent(current_documents(), shipment)
    db.session.commit()
    flash(_("The shipping notice is recorded as sent."), "success")
    return redirect(url_for("sales.shipment", document_id=shipment.id))


# -- products ------------------------------------------------------------------------------
def _product_form():
    form = ProductForm()
    form.category.choices = options((c, c) for c in settings()["sales.product_categories"])
    return form


@bp.get("/products/")
@employee
def products():
    return PRODUCT_LIST.render("sales/products.html", form=_product_form())


@bp.post("/products/")
@permission_required(PRODUCTS)
def add_product():
    form = _product_form()
    if form.validate_on_submit():
        if db.session.scalar(select(Product.id).where(Product.code == form.code.data.strip())):
            form.code.errors.append(_("A product has this code already."))
        else:
            db.session.add(Product(code=form.code.data.strip(), name=form.name.data.strip(),
                                   category=form.category.data, specification=form.specification.data or "",
                                   unit=form.unit.data.strip(), list_price=form.list_price.data))
            db.session.commit()
            return redirect(url_for("sales.products"))
    return PRODUCT_LIST.render("sales/products.html", form=form, status=422)


@bp.get("/products/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_products(fmt: str):
    return PRODUCT_LIST.export(fmt)


# -- pipeline and revenue --------------------------------------------------------------------
def pipeline_charts(months: int = 12) -> tuple:
    """Orders by stage (from quotation to follow-up) and revenue by month, in the company's zone."""
    company = calendar()
    keys = last_periods(company.today(utcnow()), "month", months)
    start, _end = period_bounds(keys[0], "month", company.tz)
    _start, end = period_bounds(keys[-1], "month", company.tz)
    counts = dict(db.session.execute(select(SalesOrder.status, func.count()).where(
        SalesOrder.created_at >= start).group_by(SalesOrder.status)).all())
    quoted = db.session.scalar(select(func.count()).select_from(SalesOrder).where(
        SalesOrder.created_at >= start, SalesOrder.quotation_id.is_not(None)))
    later = {"shipped": ("shipped", "delivered", "followed_up"), "followed_up": ("followed_up",)}
    stages = [(_("From a quotation"), quoted),
              (_("Orders"), sum(counts.values())),
              (_("Reviewed"), sum(counts.get(s, 0) for s in services.SOLD)),
              (_("Shipped"), sum(counts.get(s, 0) for s in later["shipped"])),
              (_("Followed up"), sum(counts.get(s, 0) for s in later["followed_up"]))]
    pipeline = BarChart(_("Pipeline"), categories=[s[0] for s in stages],
                        series=[Series(_("Orders"), [s[1] for s in stages], tone="info")], id="sales-pipeline")
    month = local_period(SalesOrder.created_at, "month", company.tz, db.session.get_bind().dialect)
    revenue = dict(db.session.execute(select(month, func.sum(SalesOrder.total)).where(
        SalesOrder.created_at >= start, SalesOrder.created_at < end, SalesOrder.status.in_(services.SOLD))
        .group_by(month)).all())
    by_month = BarChart(_("Revenue by month"), categories=[period_label(k, "month", get_locale()) for k in keys],
                        series=[Series(_("Revenue"), [revenue.get(k, Decimal(0)) or Decimal(0) for k in keys],
                                       tone="ok")], format="money", category_label=_("Month"), id="sales-revenue")
    return pipeline, by_month


@bp.get("/pipeline")
@permission_required(VIEW_ALL)
def pipeline():
    chart, revenue = pipeline_charts()
    return render("sales/pipeline.html", pipeline=chart, revenue=revenue)
