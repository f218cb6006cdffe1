"""The rules of procurement 采购, without Flask: requests and their bands, the repeat-purchase
warning, the supplier registry and its yearly evaluation, quotations and purchase orders.
The document service (intranet.documents) keeps the documents' life."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from intranet import N_, Conflict, Forbidden, Invalid, utcnow
from intranet import lazy_gettext as _l
from intranet.calendar import last_periods, local_period, period_bounds, period_of
from intranet.documents import DocumentService
from intranet.reference import cost_categories

from .models import (OrderLine, PurchaseOrder, PurchaseRequest, Quotation, QuotationPrice, RequestLine, Supplier,
                     SupplierEvaluation)

#: 合格供应商名录 categories: stored key, label.
SUPPLIER_CATEGORIES = (("office", _l("Office supplies")), ("it", _l("IT equipment")), ("services", _l("Services")))
MAX_MONEY = Decimal("1e10")
MAX_QUANTITY = Decimal("1e7")
MAX_LINES = 100
OPEN_REQUEST_STATUSES = ("pending", "approved", "ordered")


def item_key(item: str) -> str:
    """How two requests name the same item: case and spacing do not matter."""
    return " ".join((item or "").split()).casefold()[:100]


# -- purchase requests -------------------------------------------------------------
@dataclass
class LineData:
    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    specification: str = ""


@dataclass
class RequestData:
    title: str
    cost_category: str
    purpose: str
    lines: list[LineData] = field(default_factory=list)
    suggested_supplier_id: int | None = None
    suggestion_reason: str = ""


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _apply(session: Session, request: PurchaseRequest, data: RequestData) -> PurchaseRequest:
    """The request's fields from ``data``: lengths are the form's to check, the rules are here."""
    if not (data.title or "").strip():
        raise Invalid(N_("Enter a title."), field="title")
    if data.cost_category not in dict(cost_categories()):
        raise Invalid(N_("Choose a cost category."), field="cost_category")
    if not (data.purpose or "").strip():
        raise Invalid(N_("Say what the items are for."), field="purpose")
    if not data.lines:
        raise Invalid(N_("Add at least one item."), field="lines")
    if len(data.lines) > MAX_LINES:
        raise Invalid(N_("At most %(count)s items."), field="lines", count=MAX_LINES)
    for number, line in enumerate(data.lines):
        if not (line.item or "").strip():
            raise Invalid(N_("Enter the item."), field=f"lines-{number}-item")
        if line.quantity is None or not Decimal(0) < line.quantity < MAX_QUANTITY:
            raise Invalid(N_("Enter a quantity above 0 and below %(max)s."), field=f"lines-{number}-quantity",
                          max="10,000,000")
        if line.unit_price is None or not Decimal(0) < line.unit_price < MAX_MONEY:
            raise Invalid(N_("Enter a price above 0 and below %(max)s."), field=f"lines-{number}-unit_price",
                          max="10,000,000,000")
        if not (line.unit or "").strip():
            raise Invalid(N_("Choose a unit."), field=f"lines-{number}-unit")
    if data.suggested_supplier_id is not None:
        supplier = session.get(Supplier, data.suggested_supplier_id)
        if supplier is None or not supplier.qualified:
            raise Invalid(N_("Choose a supplier of the registry."), field="suggested_supplier_id")
        if not (data.suggestion_reason or "").strip():
            raise Invalid(N_("Say why you suggest this supplier."), field="suggestion_reason")
    request.title, request.cost_category = data.title.strip()[:200], data.cost_category
    request.purpose = data.purpose.strip()
    request.suggested_supplier_id = data.suggested_supplier_id
    request.suggestion_reason = (data.suggestion_reason or "").strip()[:500] if data.suggested_supplier_id else ""
    request.lines = [RequestLine(position=i, item=line.item.strip()[:100], item_key=item_key(line.item),
                                 specification=(line.specification or "").strip()[:200], quantity=line.quantity,
                                 unit=line.unit.strip()[:20], unit_price=line.unit_price)
                     for i, line in enumerate(data.lines)]
    request.total = sum((line_total(line.quantity, line.unit_price) for line in data.lines), Decimal(0))
    if request.total >= MAX_MONEY:
        raise Invalid(N_("The total is too large: split the request."), field="lines")
    return request


def create(documents: DocumentService, data: RequestData, requester) -> PurchaseRequest:
    return documents.create(_apply(documents.session, PurchaseRequest(), data), requester)


def update(documents: DocumentService, request: PurchaseRequest, data: RequestData, actor_id: int) -> PurchaseRequest:
    documents.check_editable(request, actor_id)
    _apply(documents.session, request, data)
    documents.session.flush()
    return request


def check_budget(request: PurchaseRequest, answer) -> dict | None:
    """Store whether the request is over its department's budget, from the budget module's
    ``budget_remaining`` answer: None when budget is off (no check made) or has no line.

    What being over means is the budget module's setting, kept with the request: ``warn`` shows it,
    ``step`` adds the over-budget step, ``block`` refuses the submission (and budget refuses the
    approval on every other path)."""
    if not answer.available:
        request.budget_checked, request.over_budget, request.budget_policy = False, None, None
        return None
    request.budget_checked = True
    remaining = answer.value
    request.over_budget = bool(remaining is not None and request.total > remaining["remaining"])
    request.budget_policy = remaining.get("over_policy") if remaining is not None else None
    if request.over_budget and request.budget_policy == "block":
        raise Invalid(N_("The request exceeds the remaining budget (%(remaining)s) and the budget policy "
                         "blocks it: ask finance for a budget adjustment."), field="lines",
                      remaining=f"{remaining['remaining']:,.2f}")
    return remaining


def policy_values(request: PurchaseRequest, org) -> dict:
    department = org.get(request.department_id)
    # Only the "step" policy asks someone more; requests from before the policy was kept had the step.
    extra_step = bool(request.over_budget) and request.budget_policy in (None, "step")
    return {"amount": request.total, "over_budget": extra_step,
            "department": department.code if department else None}


# -- the repeat-purchase warning -----------------------------------------------------
def _month_starts(month: str, months: int, tz) -> tuple[list[str], datetime, datetime]:
    keys = last_periods(date.fromisoformat(f"{month}-01"), "month", months)
    start, _ = period_bounds(keys[0], "month", tz)
    _, end = period_bounds(keys[-1], "month", tz)
    return keys, start, end


def _requested_months(session: Session, start: datetime, end: datetime, tz, department_id: int | None = None,
                      item_keys=None) -> dict[tuple[int, str], set[str]]:
    """(department, item) -> the months it was asked for, between two UTC moments."""
    query = (select(PurchaseRequest.department_id, RequestLine.item_key, PurchaseRequest.submitted_at)
             .join(RequestLine, RequestLine.request_id == PurchaseRequest.id)
             .where(PurchaseRequest.submitted_at >= start, PurchaseRequest.submitted_at < end,
                    PurchaseRequest.status.in_(OPEN_REQUEST_STATUSES)))
    if department_id is not None:
        query = query.where(PurchaseRequest.department_id == department_id)
    if item_keys is not None:
        query = query.where(RequestLine.item_key.in_(sorted(item_keys)))
    found: dict[tuple[int, str], set[str]] = defaultdict(set)
    for department, key, submitted in session.execute(query):
        found[(department, key)].add(period_of(submitted, "month", tz))
    return found


def repeat_items(session: Session, request: PurchaseRequest, months: int, tz) -> set[str]:
    """The request's items that its department also asked for in each of the months before
    (a repeat purchase when that makes ``months`` months in a row)."""
    if request.department_id is None or not request.lines:
        return set()
    moment = request.submitted_at or utcnow()
    keys, start, end = _month_starts(period_of(moment, "month", tz), months, tz)
    asked = _requested_months(session, start, end, tz, request.department_id, {line.item_key for line in request.lines})
    own_month = keys[-1]
    return {key for (_d, key), seen in asked.items() if set(keys) <= seen | {own_month}}


def repeat_report(session: Session, month: str, months: int, tz) -> list[dict]:
    """Finance's monthly list: every (department, item) asked for ``months`` months in a row
    ending with ``month`` (YYYY-MM)."""
    keys, start, end = _month_starts(month, months, tz)
    asked = _requested_months(session, start, end, tz)
    names = dict(session.execute(select(RequestLine.item_key, func.min(RequestLine.item))
                                 .where(RequestLine.item_key.in_(sorted({k for _d, k in asked})))
                                 .group_by(RequestLine.item_key)).all()) if asked else {}
    return sorted(({"department_id": department, "item": names.get(key, key), "key": key}
                   for (department, key), seen in asked.items() if set(keys) <= seen),
                  key=lambda row: (row["department_id"] or 0, row["key"]))


# -- the supplier registry and its yearly evaluation ----------------------------------------
@dataclass
class SupplierData:
    name: str
    category: str
    contact: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    bank_name: str = ""
    bank_account: str = ""


def save_supplier(session: Session, supplier: Supplier | None, data: SupplierData, *, with_bank: bool) -> Supplier:
    """Register or change a supplier; only finance (``with_bank``) sees and changes bank data."""
    if not (data.name or "").strip():
        raise Invalid(N_("Enter the supplier's name."), field="name")
    if data.category not in dict(SUPPLIER_CATEGORIES):
        raise Invalid(N_("Choose a category."), field="category")
    duplicate = session.scalar(select(Supplier.id).where(Supplier.name == data.name.strip()))
    if duplicate is not None and (supplier is None or duplicate != supplier.id):
        raise Invalid(N_("A supplier of this name is already registered."), field="name")
    supplier = supplier or Supplier()
    supplier.name, supplier.category = data.name.strip()[:200], data.category
    supplier.contact, supplier.phone = data.contact.strip()[:100], data.phone.strip()[:40]
    supplier.email, supplier.address = data.email.strip()[:200], data.address.strip()[:300]
    if with_bank:
        supplier.bank_name, supplier.bank_account = data.bank_name.strip()[:200], data.bank_account.strip()[:60]
    session.add(supplier)
    session.flush()
    return supplier


@dataclass
class Weights:
    price: int
    quality: int
    delivery: int
    pass_score: Decimal

    @classmethod
    def of(cls, settings) -> "Weights":
        return cls(settings["procurement.weight_price"], settings["procurement.weight_quality"],
                   settings["procurement.weight_delivery"], settings["procurement.pass_score"])


def weighted_score(price: int, quality: int, delivery: int, weights: Weights) -> Decimal:
    total_weight = weights.price + weights.quality + weights.delivery
    if total_weight <= 0:
        raise Invalid(N_("The evaluation weights add up to 0: ask an administrator to set them."), field="price_score")
    score = Decimal(price * weights.price + quality * weights.quality + delivery * weights.delivery) / total_weight
    return score.quantize(Decimal("0.01"), ROUND_HALF_UP)


def evaluate(session: Session, supplier: Supplier, *, year: int, price: int, quality: int, delivery: int,
             weights: Weights, evaluator_id: int, now: datetime, remarks: str = "") -> SupplierEvaluation:
    """The yearly evaluation: scores 0-100, weighted; under the pass mark the supplier leaves the
    registry (kept, never deleted, and no longer quoted)."""
    for name, value in (("price_score", price), ("quality_score", quality), ("delivery_score", delivery)):
        if value is None or not 0 <= value <= 100:
            raise Invalid(N_("Enter a score from 0 to 100."), field=name)
    if not 2000 <= year <= now.year:
        raise Invalid(N_("Enter a year up to this one."), field="year")
    if session.scalar(select(SupplierEvaluation.id).where(SupplierEvaluation.supplier_id == supplier.id,
                                                          SupplierEvaluation.year == year)) is not None:
        raise Conflict(N_("This supplier was already evaluated for %(year)s."), year=year)
    score = weighted_score(price, quality, delivery, weights)
    evaluation = SupplierEvaluation(supplier_id=supplier.id, year=year, price_score=price, quality_score=quality,
                                    delivery_score=delivery, score=score, evaluator_id=evaluator_id,
                                    remarks=(remarks or "").strip()[:2000], created_at=now)
    session.add(evaluation)
    supplier.score = score
    if score < weights.pass_score and supplier.qualified:
        supplier.status, supplier.removed_at = "removed", now
        supplier.removed_reason = f"{year}: {score} < {weights.pass_score}"
    session.flush()
    return evaluation


def suggested_scores(deliveries: dict | None, penalty: int) -> dict[str, int | None]:
    """Quality and delivery scores measured from the warehouse's receipts of the year
    (``warehouse_supplier_deliveries``): on-time share, accepted share less a penalty per discrepancy."""
    if not deliveries or not deliveries.get("receipts"):
        return {"quality": None, "delivery": None}
    delivery = round(100 * deliveries["on_time"] / deliveries["receipts"])
    received = Decimal(deliveries["received_qty"] or 0)
    accepted = 1 - (Decimal(deliveries["rejected_qty"] or 0) / received) if received else Decimal(1)
    quality = int((100 * accepted).quantize(Decimal(1), ROUND_HALF_UP)) - penalty * deliveries.get("discrepancies", 0)
    return {"quality": max(0, min(100, quality)), "delivery": max(0, min(100, delivery))}


# -- quotations (询价记录表) ---------------------------------------------------------------
QUOTABLE = ("pending", "approved")


@dataclass
class QuotationData:
    supplier_id: int | None
    lead_days: int | None
    service_score: int | None
    prices: dict[int, Decimal]
    after_sales: str = ""
    sample_result: str = ""


def add_quotation(session: Session, request: PurchaseRequest, data: QuotationData, actor_id: int) -> Quotation:
    if request.status not in QUOTABLE:
        raise Conflict(N_("Quotations are recorded while the request is pending or approved."))
    supplier = session.get(Supplier, data.supplier_id) if data.supplier_id else None
    if supplier is None:
        raise Invalid(N_("Choose a supplier."), field="supplier_id")
    if not supplier.qualified:
        raise Invalid(N_("%(name)s was removed from the registry and cannot be quoted."), field="supplier_id",
                      name=supplier.name)
    if session.scalar(select(Quotation.id).where(Quotation.request_id == request.id,
                                                 Quotation.supplier_id == supplier.id)) is not None:
        raise Invalid(N_("This supplier has already quoted for this request."), field="supplier_id")
    if data.lead_days is None or not 0 <= data.lead_days <= 365:
        raise Invalid(N_("Enter a lead time from 0 to 365 days."), field="lead_days")
    if data.service_score is None or not 0 <= data.service_score <= 100:
        raise Invalid(N_("Enter a score from 0 to 100."), field="service_score")
    quotation = Quotation(request_id=request.id, supplier_id=supplier.id, lead_days=data.lead_days,
                          service_score=data.service_score, after_sales=(data.after_sales or "").strip()[:500],
                          sample_result=(data.sample_result or "").strip()[:500], created_by_id=actor_id)
    total = Decimal(0)
    for line in request.lines:
        price = data.prices.get(line.id)
        if price is None or not Decimal(0) < price < MAX_MONEY:
            raise Invalid(N_("Enter a price above 0 and below %(max)s."), field=f"price-{line.id}",
                          max="10,000,000,000")
        quotation.prices.append(QuotationPrice(line_id=line.id, unit_price=price))
        total += line_total(line.quantity, price)
    quotation.total = total
    session.add(quotation)
    session.flush()
    return quotation


def quotations_of(session: Session, request_id: int) -> list[Quotation]:
    return list(session.scalars(select(Quotation).where(Quotation.request_id == request_id)
                                .options(selectinload(Quotation.prices), selectinload(Quotation.supplier))
                                .order_by(Quotation.total, Quotation.id)))


@dataclass
class Comparison:
    """The supplier × line matrix of a request's quotations."""

    quotations: list[Quotation]
    #: line id -> {quotation id: unit price}
    prices: dict[int, dict[int, Decimal]]
    #: line id -> the quotation ids quoting the line's lowest price
    cheapest: dict[int, set[int]]
    #: quotations whose total is within the close-price percentage of the lowest total
    close: set[int]
    lowest: int | None

    @property
    def choice_by_service(self) -> bool:
        """Two or more totals within the percentage: the choice goes to service and brand."""
        return len(self.close) > 1


def compare(quotations: list[Quotation], percent: Decimal) -> Comparison:
    prices: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for quotation in quotations:
        for price in quotation.prices:
            prices[price.line_id][quotation.id] = price.unit_price
    cheapest = {line: {q for q, p in by_quote.items() if p == min(by_quote.values())}
                for line, by_quote in prices.items()}
    if not quotations:
        return Comparison([], {}, {}, set(), None)
    low = min(q.total for q in quotations)
    limit = low * (1 + Decimal(percent) / 100)
    close = {q.id for q in quotations if q.total <= limit}
    lowest = min(quotations, key=lambda q: (q.total, q.id)).id
    return Comparison(quotations, dict(prices), cheapest, close, lowest)


def qualified_quotations(quotations: list[Quotation]) -> list[Quotation]:
    return [q for q in quotations if q.supplier.qualified]


def choose(documents: DocumentService, request: PurchaseRequest, *, quotation_id: int | None, reason: str,
           sample_test: str, actor, settings, expected_on: date | None = None) -> PurchaseOrder:
    """Choose the supplier among at least the required quotations and issue the purchase order
    (采购订单), in one step; the request then reads "ordered"."""
    session = documents.session
    documents.lock(request)
    if request.status != "approved":
        raise Conflict(N_("A supplier is chosen once the request is approved and not yet ordered."))
    quotations = qualified_quotations(quotations_of(session, request.id))
    needed = settings["procurement.min_quotations"]
    if len(quotations) < needed:
        raise Invalid(N_("Compare at least %(count)s quotations of qualified suppliers first."),
                      field="quotation_id", count=needed)
    chosen = next((q for q in quotations if q.id == quotation_id), None)
    if chosen is None:
        raise Invalid(N_("Choose one of the quotations."), field="quotation_id")
    if not (reason or "").strip():
        raise Invalid(N_("Say why this supplier was chosen."), field="reason")
    request.chosen_quotation_id, request.choice_reason = chosen.id, reason.strip()[:1000]
    request.sample_test = (sample_test or "").strip()[:1000]
    prices = {p.line_id: p.unit_price for p in chosen.prices}
    if expected_on is None:
        expected_on = (documents.now + timedelta(days=max(chosen.lead_days,
                                                          settings["procurement.delivery_days"]))).date()
    order = PurchaseOrder(title=request.title, request_id=request.id, quotation_id=chosen.id,
                          supplier_id=chosen.supplier_id, department_id=request.department_id,
                          expected_on=expected_on, total=chosen.total,
                          lines=[OrderLine(position=line.position, item=line.item, specification=line.specification,
                                           quantity=line.quantity, unit=line.unit, unit_price=prices[line.id])
                                 for line in request.lines])
    documents.create(order, actor)
    documents.move(request, "ordered", actor_id=actor.id)
    return order


# -- purchase orders and the warehouse's receipts --------------------------------------------
def order_summary(order: PurchaseOrder, url: str = "") -> dict:
    """What the warehouse reads of an order (``procurement_order``)."""
    return {"id": order.id, "number": order.number, "status": order.status, "title": order.title,
            "supplier_id": order.supplier_id, "supplier": order.supplier.name if order.supplier else "",
            "purchaser_id": order.requester_id, "department_id": order.department_id,
            "expected_on": order.expected_on, "url": url,
            "lines": [{"id": line.id, "item": line.item, "specification": line.specification, "unit": line.unit,
                       "quantity": line.quantity, "received": line.received, "unit_price": line.unit_price}
                      for line in order.lines]}


RECEIVABLE = ("issued", "partly_received", "pending")


def record_receipt(documents: DocumentService, order: PurchaseOrder, quantities: dict[int, Decimal], *,
                   pending: bool, actor_id: int | None) -> str:
    """Add what the warehouse took in to the order's lines and move the order: pending while a
    discrepancy is open, else received when every line is complete, else partly received."""
    documents.lock(order)
    if order.status not in RECEIVABLE:
        raise Conflict(N_("Order %(number)s is not open for receipts."), number=order.number)
    lines = {line.id: line for line in order.lines}
    for line_id, quantity in quantities.items():
        line = lines.get(int(line_id))
        if line is None:
            raise Invalid(N_("This line is not on order %(number)s."), field="lines", number=order.number)
        if quantity < 0:
            raise Invalid(N_("Enter 0 or more."), field="lines")
        line.received = (line.received or Decimal(0)) + quantity
    return settle(documents, order, pending=pending, actor_id=actor_id)


def settle(documents: DocumentService, order: PurchaseOrder, *, pending: bool, actor_id: int | None) -> str:
    if pending:
        target = "pending"
    elif all(line.received >= line.quantity for line in order.lines):
        target = "received"
    elif any(line.received > 0 for line in order.lines):
        target = "partly_received"
    else:
        target = "issued"
    if target != order.status:
        documents.move(order, target, actor_id=actor_id)
    return target


def close_order(documents: DocumentService, order: PurchaseOrder, actor_id: int, *, allowed: bool) -> None:
    """A purchaser closes an order that will not be delivered further (the rest is cancelled)."""
    if not allowed:
        raise Forbidden(N_("Only purchasers close orders."))
    documents.lock(order)
    if order.status not in ("issued", "partly_received"):
        raise Conflict(N_("Only an issued or partly received order can be closed."))
    documents.move(order, "closed", actor_id=actor_id)


def open_orders(session: Session, *, query: str = "", limit: int = 20) -> list[PurchaseOrder]:
    statement = (select(PurchaseOrder).where(PurchaseOrder.status.in_(RECEIVABLE))
                 .options(selectinload(PurchaseOrder.lines), selectinload(PurchaseOrder.supplier))
                 .order_by(PurchaseOrder.created_at.desc(), PurchaseOrder.id.desc()).limit(max(1, min(limit, 100))))
    if query:
        statement = statement.where(PurchaseOrder.number.contains(query.strip()[:80], autoescape=True))
    return list(session.scalars(statement))


def spend_by_month(session: Session, keys: list[str], tz, dialect) -> dict[str, Decimal]:
    """Approved and ordered request totals per company month (the dashboard chart)."""
    start, _ = period_bounds(keys[0], "month", tz)
    _, end = period_bounds(keys[-1], "month", tz)
    month = local_period(PurchaseRequest.submitted_at, "month", tz, dialect)
    rows = session.execute(select(month, func.sum(PurchaseRequest.total))
                           .where(PurchaseRequest.submitted_at >= start, PurchaseRequest.submitted_at < end,
                                  PurchaseRequest.status.in_(OPEN_REQUEST_STATUSES)).group_by(month)).all()
    return {key: Decimal(value or 0) for key, value in rows}

