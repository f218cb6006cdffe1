"""The rules of sales orders 销售订单, without Flask. Customers live in the CRM and are read
through its hook (``customer`` dicts as ``crm_customer`` answers); stock and urgent purchases
through the warehouse's and procurement's hooks, by the views."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid
from intranet.documents import DocumentService

from .models import QUESTIONS, SalesOrderLine, Product, SalesOrder, Shipment, Survey

CENT = Decimal("0.01")
#: Orders that count as sales (revenue, segments): reviewed and beyond.
SOLD = ("approved", "shipped", "delivered", "followed_up")


@dataclass
class LineData:
    product_code: str
    quantity: Decimal
    unit_price: Decimal
    quoted_price: Decimal | None = None


@dataclass
class OrderData:
    kind: str
    lines: list[LineData]
    discount: Decimal = Decimal(0)
    invoice_title: str = ""
    invoice_tax_number: str = ""
    invoice_address: str = ""
    invoice_bank: str = ""
    delivery_address: str = ""
    remarks: str = ""
    ask_discount_approval: bool = False


def products_by_code(session: Session, codes) -> dict[str, Product]:
    codes = sorted({c for c in codes if c})
    if not codes:
        return {}
    return {p.code: p for p in session.scalars(select(Product).where(Product.code.in_(codes)))}


def _apply(session: Session, order: SalesOrder, data: OrderData, customer: dict) -> SalesOrder:
    """The order's fields and lines from ``data``; every refusal names its field."""
    if customer is None:
        raise Invalid(N_("Choose a customer."), field="customer_id")
    if not customer["terms_approved"]:
        raise Invalid(N_("The terms of %(name)s are not approved yet: no order may use this customer."),
                      field="customer_id", name=customer["name"])
    if data.kind not in ("stock", "custom"):
        raise Invalid(N_("Choose stock order or custom order."), field="kind")
    if not data.lines:
        raise Invalid(N_("Add at least one line."), field="lines")
    products = products_by_code(session, [line.product_code for line in data.lines])
    for index, line in enumerate(data.lines):
        product = products.get(line.product_code)
        if product is None or not product.active:
            raise Invalid(N_("Choose a product from the list."), field=f"lines-{index}-product_code")
        if line.quantity is None or line.quantity <= 0:
            raise Invalid(N_("Enter a quantity above 0."), field=f"lines-{index}-quantity")
        if line.unit_price is None or line.unit_price < 0:
            raise Invalid(N_("Enter a price."), field=f"lines-{index}-unit_price")
    discount = data.discount or Decimal(0)
    if not Decimal(0) <= discount < Decimal(100):
        raise Invalid(N_("Enter a discount from 0 to 100 %%."), field="discount")
    approved = Decimal(customer["discount"] or 0)
    if discount > approved and not data.ask_discount_approval:
        raise Invalid(N_("The discount %(discount)s %% is beyond the %(approved)s %% approved for this customer: "
                         "tick “Ask for approval of the discount” or lower it."), field="discount",
                      discount=discount, approved=approved)
    order.customer_id, order.customer_name = customer["id"], customer["name"]
    order.payment_terms, order.approved_discount = customer["payment_terms"], approved
    order.kind, order.discount, order.over_discount = data.kind, discount, discount > approved
    for name in ("invoice_title", "invoice_tax_number", "invoice_address", "invoice_bank", "delivery_address",
                 "remarks"):
        setattr(order, name, (getattr(data, name) or "").strip())
    order.lines = [SalesOrderLine(position=i, product_code=line.product_code, product=products[line.product_code].name,
                             unit=products[line.product_code].unit, quantity=line.quantity,
                             unit_price=line.unit_price, list_price=products[line.product_code].list_price,
                             quoted_price=line.quoted_price) for i, line in enumerate(data.lines)]
    order.total = order_total(order.lines, discount)
    return order


def order_total(lines, discount: Decimal) -> Decimal:
    gross = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
    return (gross * (Decimal(100) - discount) / Decimal(100)).quantize(CENT)


def create_order(documents: DocumentService, data: OrderData, customer: dict, requester, *,
                 quotation: dict | None = None) -> SalesOrder:
    order = SalesOrder()
    if quotation is not None:
        order.quotation_id, order.quotation_number = quotation["id"], quotation["number"]
    _apply(documents.session, order, data, customer)
    return documents.create(order, requester)


def update_order(documents: DocumentService, order: SalesOrder, data: OrderData, customer: dict,
                 actor_id: int) -> SalesOrder:
    documents.check_editable(order, actor_id)
    _apply(documents.session, order, data, customer)
    documents.session.flush()
    return order


def check_complete(order: SalesOrder) -> None:
    """Finance reviews complete invoice data: refused at submission when it is not."""
    for name, message in (("invoice_title", N_("Enter the invoice title.")),
                          ("invoice_tax_number", N_("Enter the invoice tax number.")),
                          ("delivery_address", N_("Enter the delivery address."))):
        if not getattr(order, name):
            raise Invalid(message, field=name)


def submit_order(documents: DocumentService, order: SalesOrder, actor_id: int, customer: dict | None):
    """Send the order to its reviews; the customer's terms must still be approved."""
    if customer is None or not customer["terms_approved"]:
        raise Invalid(N_("The terms of %(name)s are not approved yet: no order may use this customer."),
                      field="customer_id", name=order.customer_name)
    check_complete(order)
    return documents.submit(order, actor_id)


def policy_values(order: SalesOrder, org) -> dict:
    return {"amount": order.total, "kind": order.kind, "over_discount": bool(order.over_discount)}


def finance_checks(order: SalesOrder) -> list[tuple[str, bool, dict]]:
    """What finance checks (message, holds, values): each line's price against the quotation
    and the list price after the approved discount, and the invoice data."""
    checks = []
    floor = (Decimal(100) - order.approved_discount) / Decimal(100)
    for line in order.lines:
        if line.quoted_price is not None:
            checks.append((N_("%(product)s: price %(price)s against the quoted %(quoted)s"),
                           line.unit_price >= line.quoted_price,
                           {"product": line.product, "price": line.unit_price, "quoted": line.quoted_price}))
        lowest = (line.list_price * floor).quantize(CENT)
        checks.append((N_("%(product)s: price %(price)s against the lowest allowed %(lowest)s"),
                       line.unit_price * (Decimal(100) - order.discount) / Decimal(100) >= lowest
                       or order.over_discount, {"product": line.product, "price": line.unit_price, "lowest": lowest}))
    complete = all((order.invoice_title, order.invoice_tax_number, order.delivery_address))
    checks.append((N_("Invoice data complete"), complete, {}))
    return checks


# -- shipping -----------------------------------------------------------------------------
def shipping_blocked(order: SalesOrder) -> str | None:
    """Why the order may not ship yet, or None: every review it needs must be approved."""
    if order.status != "approved":
        return N_("Order %(number)s cannot ship: its reviews are not all approved.")
    return None


def start_shipment(documents: DocumentService, order: SalesOrder, requester, *, fragile: bool,
                   moisture: bool) -> Shipment:
    documents.lock(order)
    reason = shipping_blocked(order)
    if reason:
        raise Conflict(reason, number=order.number)
    open_one = documents.session.scalar(select(Shipment).where(Shipment.order_id == order.id).limit(1))
    if open_one is not None:
        raise Conflict(N_("Order %(number)s already has shipment %(shipment)s."), number=order.number,
                       shipment=open_one.number)
    shipment = Shipment(order_id=order.id, order=order, order_number=order.number,
                        customer_name=order.customer_name, delivery_address=order.delivery_address,
                        fragile=fragile, moisture=moisture)
    return documents.create(shipment, requester)


def advance_shipment(documents: DocumentService, shipment: Shipment, target: str, actor_id: int, *,
                     carrier: str = "", tracking_number: str = "", delivered_on: date | None = None,
                     calendar=None, settings=None) -> None:
    """Pick, pack, ship (with carrier and tracking number; the order ships with it), deliver
    (the follow-up survey is then due within ``sales.followup_working_days``)."""
    if target == "shipped":
        if not (tracking_number or "").strip():
            raise Invalid(N_("Enter the tracking number."), field="tracking_number")
        if not (carrier or "").strip():
            raise Invalid(N_("Choose the carrier."), field="carrier")
    documents.move(shipment, target, actor_id=actor_id)
    order = shipment.order
    if target == "shipped":
        shipment.carrier, shipment.tracking_number = carrier.strip(), tracking_number.strip()
        documents.move(order, "shipped", actor_id=actor_id)
    if target == "delivered":
        shipment.delivered_on = order.delivered_on = delivered_on
        order.followup_due = calendar.add_working_days(delivered_on, settings["sales.followup_working_days"])
        documents.move(order, "delivered", actor_id=actor_id)
    documents.session.flush()


def record_notice_sent(documents: DocumentService, shipment: Shipment) -> None:
    """The shipping notice was printed and sent to the customer."""
    documents.lock(shipment)
    if shipment.status not in ("shipped", "delivered"):
        raise Conflict(N_("Send the shipping notice once the goods are shipped."))
    if shipment.notice_sent_at is not None:
        raise Conflict(N_("The shipping notice was already recorded as sent."))
    shipment.notice_sent_at = documents.now


# -- follow-up ----------------------------------------------------------------------------
def record_survey(documents: DocumentService, order: SalesOrder, scores: dict[str, int | None], comment: str,
                  actor_id: int) -> Survey:
    """The 5-question satisfaction survey (1-5 each); the order is then followed up."""
    for key in QUESTIONS:
        value = scores.get(key)
        if value is None or not 1 <= value <= 5:
            raise Invalid(N_("Give a score from 1 to 5."), field=key)
    if order.status != "delivered":
        raise Conflict(N_("The follow-up comes after delivery."))
    survey = Survey(order_id=order.id, comment=(comment or "").strip(), surveyed_by_id=actor_id,
                    surveyed_at=documents.now, **{k: scores[k] for k in QUESTIONS})
    documents.session.add(survey)
    documents.move(order, "followed_up", actor_id=actor_id)
    return survey


# -- figures for the CRM and the charts ------------------------------------------------
def customer_orders(session: Session, since: datetime) -> list[dict]:
    """Per customer: orders, revenue and last order since ``since`` (one grouped query)."""
    rows = session.execute(select(SalesOrder.customer_id, func.count(), func.sum(SalesOrder.total),
                                  func.max(SalesOrder.created_at))
                           .where(SalesOrder.status.in_(SOLD), SalesOrder.created_at >= since)
                           .group_by(SalesOrder.customer_id))
    return [{"customer_id": cid, "orders": n, "revenue": Decimal(revenue or 0).quantize(CENT),
             "last_order": last.date() if isinstance(last, datetime) else last} for cid, n, revenue, last in rows]


def require_seller(order: SalesOrder, actor_id: int) -> None:
    if order.requester_id != actor_id:
        raise Forbidden(N_("Only the salesperson of the order does this."))
