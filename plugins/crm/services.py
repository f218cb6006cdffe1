"""The rules of the CRM 客户关系, without Flask. The document service (intranet.documents)
keeps the documents' life: numbers, statuses, approval of customer terms."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid
from intranet.documents import DocumentService

from .scopes import CONTACT_SCOPE
from .models import ContactLog, Customer, CustomerContact, CustomerRequest, CustomerTerms, SalesQuotation, QuotationLine

#: What a company name is compared by: without spaces, brackets and punctuation, case-folded
#: ("华为技术（深圳）有限公司" and "华为技术(深圳) 有限公司" are the same customer).
_NOISE = re.compile(r"[\s()（）\[\]【】.,，。·\-_/]+")


def name_key(name: str) -> str:
    return _NOISE.sub("", name or "").casefold()[:200]


def phone_key(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")[-11:]


# -- customers -------------------------------------------------------------------------
@dataclass
class ContactData:
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""


@dataclass
class CustomerData:
    """客户档案 fields from a form or demo data."""
    name: str
    industry: str = ""
    tax_number: str = ""
    phone: str = ""
    address: str = ""
    channels: str = ""
    products: str = ""
    relationship_since: date | None = None
    tags: tuple[str, ...] = ()
    contacts: list[ContactData] = field(default_factory=list)


@dataclass(frozen=True)
class Duplicate:
    customer: Customer
    reason: str   # "name", "phone" or "tax_number"


def find_duplicates(session: Session, data: CustomerData, *, exclude_id: int | None = None) -> list[Duplicate]:
    """Customers that look like the one being added: the same name, phone (the customer's or a
    contact's) or tax number. Read by index, one query per kind."""
    found: dict[int, Duplicate] = {}
    others = [Customer.id != exclude_id] if exclude_id else []
    tax = (data.tax_number or "").strip().upper()
    if tax:
        for c in session.scalars(select(Customer).where(Customer.tax_number == tax, *others).limit(5)):
            found.setdefault(c.id, Duplicate(c, "tax_number"))
    key = name_key(data.name)
    if key:
        for c in session.scalars(select(Customer).where(Customer.name_key == key, *others).limit(5)):
            found.setdefault(c.id, Duplicate(c, "name"))
    phones = sorted({p for p in [phone_key(data.phone), *(phone_key(c.phone) for c in data.contacts)] if len(p) >= 7})
    if phones:
        by_contact = select(CustomerContact.customer_id).where(CustomerContact.phone.in_(phones))
        query = select(Customer).where(or_(Customer.phone.in_(phones), Customer.id.in_(by_contact)), *others)
        for c in session.scalars(query.limit(5)):
            found.setdefault(c.id, Duplicate(c, "phone"))
    return list(found.values())


def _apply_customer(customer: Customer, data: CustomerData, settings) -> Customer:
    name = (data.name or "").strip()
    if not name:
        raise Invalid(N_("Enter the customer's name."), field="name")
    unknown = [t for t in data.tags if t not in settings["crm.tags"]]
    if unknown:
        raise Invalid(N_("Choose tags from the list."), field="tags")
    for index, contact in enumerate(data.contacts):
        if not (contact.name or "").strip():
            raise Invalid(N_("Enter the contact's name."), field=f"contacts-{index}-name")
    customer.name, customer.name_key = name[:200], name_key(name)
    customer.industry, customer.tax_number = data.industry or "", (data.tax_number or "").strip().upper()
    customer.phone, customer.address = phone_key(data.phone) or (data.phone or "").strip(), data.address or ""
    customer.channels, customer.products = data.channels or "", data.products or ""
    customer.relationship_since, customer.tags = data.relationship_since, ",".join(data.tags)
    customer.contacts = [CustomerContact(position=i, name=c.name.strip(), role=c.role or "",
                                         phone=phone_key(c.phone) or (c.phone or "").strip(),
                                         email=c.email or "", wechat=c.wechat or "")
                         for i, c in enumerate(data.contacts)]
    return customer


def create_customer(documents: DocumentService, data: CustomerData, requester, *, discount: Decimal,
                    payment_terms: str, confirm_duplicate: bool = False) -> Customer:
    """A new customer, owned by whoever adds it, with its first terms sent for approval
    (market manager + chief accountant) before any order may use it.

    The same tax number is the same company: refused. The same name or phone is refused
    unless the person confirms it is another customer.
    """
    session, settings = documents.session, documents.settings
    duplicates = find_duplicates(session, data)
    if any(d.reason == "tax_number" for d in duplicates):
        first = next(d for d in duplicates if d.reason == "tax_number").customer
        raise Invalid(N_("Customer %(number)s %(name)s already has this tax number."), field="tax_number",
                      number=first.number, name=first.name)
    if duplicates and not confirm_duplicate:
        first = duplicates[0]
        raise Invalid(N_("Customer %(number)s %(name)s has the same name or phone. Tick “It is another customer” "
                         "to add it anyway."), field="name" if first.reason == "name" else "phone",
                      number=first.customer.number, name=first.customer.name)
    _check_terms(discount, payment_terms, settings)
    customer = _apply_customer(Customer(), data, settings)
    customer.owner_id, customer.last_contact_at = requester.id, documents.now
    documents.create(customer, requester)
    terms = CustomerTerms(customer_id=customer.id, customer=customer, version=1, discount=discount,
                          payment_terms=payment_terms, reason="")
    documents.create(terms, requester)
    documents.submit(terms, requester.id)
    return customer


def update_customer(documents: DocumentService, customer: Customer, data: CustomerData, user, org) -> Customer:
    """Change the master data (not the terms: those go through approval)."""
    if not CONTACT_SCOPE.allows(user, org, customer):
        raise Forbidden(N_("Only the customer's owner, their head or sales management change a customer."))
    duplicates = [d for d in find_duplicates(documents.session, data, exclude_id=customer.id)
                  if d.reason == "tax_number"]
    if duplicates:
        raise Invalid(N_("Customer %(number)s %(name)s already has this tax number."), field="tax_number",
                      number=duplicates[0].customer.number, name=duplicates[0].customer.name)
    _apply_customer(customer, data, documents.settings)
    documents.session.flush()
    return customer


def _check_terms(discount: Decimal | None, payment_terms: str, settings) -> None:
    if discount is None or not Decimal(0) <= discount <= settings["crm.max_discount"]:
        raise Invalid(N_("Enter a discount from 0 to %(max)s %%."), field="discount", max=settings["crm.max_discount"])
    if payment_terms not in settings["crm.payment_terms"]:
        raise Invalid(N_("Choose payment terms from the list."), field="payment_terms")


def request_terms(documents: DocumentService, customer: Customer, discount: Decimal, payment_terms: str,
                  reason: str, requester) -> CustomerTerms:
    """A change of the approved discount or payment terms: a new terms version, sent for
    approval; the customer keeps its approved terms until it is approved."""
    session = documents.session
    if customer.owner_id != requester.id:
        raise Forbidden(N_("Only the customer's owner asks for new terms."))
    _check_terms(discount, payment_terms, documents.settings)
    if not (reason or "").strip():
        raise Invalid(N_("Say why the terms change."), field="reason")
    documents.lock(customer)
    open_terms = session.scalar(select(CustomerTerms).where(CustomerTerms.customer_id == customer.id,
                                                            CustomerTerms.status == "pending").limit(1))
    if open_terms is not None:
        raise Conflict(N_("Terms %(number)s of this customer are still waiting for approval."),
                       number=open_terms.number)
    if customer.terms_approved and (discount, payment_terms) == (customer.discount, customer.payment_terms):
        raise Invalid(N_("These are the approved terms already."), field="discount")
    version = (session.scalar(select(func.max(CustomerTerms.version))
                              .where(CustomerTerms.customer_id == customer.id)) or 0) + 1
    terms = CustomerTerms(customer_id=customer.id, customer=customer, version=version, discount=discount,
                          payment_terms=payment_terms, reason=reason.strip(), department_id=customer.department_id)
    documents.create(terms, requester)
    documents.submit(terms, requester.id)
    return terms


def terms_values(terms: CustomerTerms, org) -> dict:
    return {"discount": terms.discount, "version": terms.version}


def apply_terms(session: Session, terms: CustomerTerms, _approval) -> None:
    """Approved terms become the customer's (run in the approving transaction)."""
    customer = terms.customer
    if terms.version >= customer.terms_version:
        customer.discount, customer.payment_terms = terms.discount, terms.payment_terms
        customer.terms_version, customer.terms_approved = terms.version, True


# -- ownership and the shared pool 公海 -----------------------------------------------
def claim(documents: DocumentService, customer: Customer, user) -> Customer:
    """A salesperson takes a customer from the shared pool; of two at once, one wins."""
    documents.lock(customer)
    if customer.owner_id is not None:
        raise Conflict(N_("Someone else has just taken this customer."))
    customer.owner_id, customer.department_id = user.id, user.department_id
    customer.last_contact_at = documents.now
    documents.session.flush()
    return customer


def reassign(documents: DocumentService, customer: Customer, owner) -> Customer:
    """Sales management gives a customer to another salesperson (from the pool or from a colleague)."""
    if owner is None or not owner.active:
        raise Invalid(N_("Choose an active colleague."), field="owner_id")
    documents.lock(customer)
    customer.owner_id, customer.department_id = owner.id, owner.department_id
    customer.last_contact_at = documents.now
    documents.session.flush()
    return customer


def release_to_pool(session: Session, customer_id: int, since: datetime | None) -> None:
    """Back to the shared pool, unless someone contacted the customer meanwhile."""
    customer = session.get(Customer, customer_id)
    if customer is not None and customer.last_contact_at == since:
        customer.owner_id = None


def pool_deadline(customer: Customer, days: int) -> datetime:
    return (customer.last_contact_at or customer.created_at) + timedelta(days=days)


def quiet_customers(session: Session, now: datetime, settings) -> list[Customer]:
    """Owned customers whose owner must be warned, or who go back to the pool now."""
    warn_from = now - timedelta(days=settings["crm.pool_days"] - settings["crm.pool_warning_days"])
    last = func.coalesce(Customer.last_contact_at, Customer.created_at)
    return list(session.scalars(select(Customer).where(Customer.owner_id.is_not(None), last <= warn_from,
                                                       Customer.status != "archived")
                                .order_by(Customer.id).limit(5000)))


# -- contacts ---------------------------------------------------------------------------
def log_contact(session: Session, customer: Customer, *, channel: str, person_id: int, result: str,
                at: datetime, channels: Iterable[str] | None = None) -> ContactLog:
    """Log one contact on the customer's timeline; the latest contact keeps it out of the pool."""
    if channels is not None and channel not in channels:
        raise Invalid(N_("Choose a channel from the list."), field="channel")
    if not (result or "").strip():
        raise Invalid(N_("Say what came of the contact."), field="result")
    entry = ContactLog(customer_id=customer.id, channel=channel[:30], person_id=person_id,
                       result=result.strip(), at=at)
    session.add(entry)
    if customer.last_contact_at is None or at > customer.last_contact_at:
        customer.last_contact_at = at
    session.flush()
    return entry


# -- quotations 报价单 ----------------------------------------------------------------
@dataclass
class QuotationLineData:
    product: str
    quantity: Decimal
    unit_price: Decimal
    specification: str = ""
    unit: str = ""


def save_quotation(documents: DocumentService, quotation: SalesQuotation | None, *, customer: Customer, title: str,
                   valid_until: date | None, remarks: str, lines: list[QuotationLineData], requester) -> SalesQuotation:
    if not lines:
        raise Invalid(N_("Add at least one line."), field="lines")
    for index, line in enumerate(lines):
        if line.quantity is None or line.quantity <= 0:
            raise Invalid(N_("Enter a quantity above 0."), field=f"lines-{index}-quantity")
    if quotation is None:
        quotation = SalesQuotation(customer_id=customer.id, customer=customer, title=title.strip())
        documents.create(quotation, requester)
    else:
        documents.check_editable(quotation, requester.id)
    quotation.customer_id, quotation.customer, quotation.title = customer.id, customer, title.strip()
    quotation.valid_until, quotation.remarks = valid_until, remarks or ""
    quotation.lines = [QuotationLine(position=i, product=line.product, specification=line.specification or "",
                                     quantity=line.quantity, unit=line.unit or "", unit_price=line.unit_price)
                       for i, line in enumerate(lines)]
    quotation.total = sum((line.quantity * line.unit_price for line in lines), Decimal(0)).quantize(Decimal("0.01"))
    documents.session.flush()
    return quotation


def send_quotation(documents: DocumentService, quotation: SalesQuotation, actor_id: int) -> None:
    if actor_id != quotation.requester_id:
        raise Forbidden(N_("Only the salesperson who wrote the quotation sends it."))
    documents.move(quotation, "sent", actor_id=actor_id)


def accept_quotation(documents: DocumentService, quotation: SalesQuotation, actor_id: int) -> SalesQuotation:
    """The customer accepted: the quotation is accepted and a prospect becomes a lead customer
    线索客户 (the view then turns it into a sales order in the same transaction)."""
    if actor_id != quotation.requester_id:
        raise Forbidden(N_("Only the salesperson who wrote the quotation records the answer."))
    documents.move(quotation, "accepted", actor_id=actor_id)
    customer = quotation.customer
    if customer.status == "prospect":
        documents.move(customer, "lead", actor_id=actor_id)
    return quotation


def decline_quotation(documents: DocumentService, quotation: SalesQuotation, actor_id: int) -> None:
    if actor_id != quotation.requester_id:
        raise Forbidden(N_("Only the salesperson who wrote the quotation records the answer."))
    documents.move(quotation, "declined", actor_id=actor_id)


def quotation_summary(quotation: SalesQuotation) -> dict:
    """What another module (sales) reads of a quotation."""
    return {"id": quotation.id, "number": quotation.number, "customer_id": quotation.customer_id,
            "status": quotation.status, "total": quotation.total, "requester_id": quotation.requester_id,
            "lines": [{"product": line.product, "specification": line.specification, "quantity": line.quantity,
                       "unit": line.unit, "unit_price": line.unit_price} for line in quotation.lines]}


# -- customer requests 客户需求登记表 ------------------------------------------------
def response_hours(kind: str, settings) -> int:
    return settings[f"crm.{kind}_response_hours"]


def register_request(documents: DocumentService, *, customer: Customer, kind: str, description: str,
                     responsible_department_id: int | None, requester, kinds: Iterable[str]) -> CustomerRequest:
    """Register an enquiry, complaint or cooperation request; its response is due within the
    hours its kind allows (24 for an enquiry, 48 for a complaint by default)."""
    if kind not in kinds:
        raise Invalid(N_("Choose the type of request."), field="kind")
    if not (description or "").strip():
        raise Invalid(N_("Describe what the customer asks."), field="description")
    if responsible_department_id is None:
        raise Invalid(N_("Choose the responsible department."), field="responsible_department_id")
    due = documents.now + timedelta(hours=response_hours(kind, documents.settings))
    request = CustomerRequest(customer_id=customer.id, customer=customer, kind=kind,
                              description=description.strip(), responsible_department_id=responsible_department_id,
                              due_at=due)
    documents.create(request, requester)
    return request


def answer_request(documents: DocumentService, request: CustomerRequest, response: str, actor_id: int,
                   calendar) -> None:
    """Record the answer; the satisfaction callback is then due within 2 working days."""
    if not (response or "").strip():
        raise Invalid(N_("Write the answer given to the customer."), field="response")
    documents.move(request, "answered", actor_id=actor_id)
    request.response, request.responded_at = response.strip(), documents.now
    request.callback_due = calendar.add_working_days(calendar.today(documents.now),
                                                     documents.settings["crm.callback_working_days"])
    documents.session.flush()


def call_back(documents: DocumentService, request: CustomerRequest, score: int | None, note: str,
              actor_id: int) -> None:
    """The satisfaction callback: a score from 1 to 5, logged on the customer's timeline."""
    if score is None or not 1 <= score <= 5:
        raise Invalid(N_("Give a score from 1 to 5."), field="score")
    documents.move(request, "closed", actor_id=actor_id)
    request.score, request.called_back_at = score, documents.now
    log_contact(documents.session, request.customer, channel="回访", person_id=actor_id,
                result=f"{request.number}: {score}/5 {note or ''}".strip(), at=documents.now)


def overdue(request: CustomerRequest, now: datetime) -> bool:
    return request.status == "open" and request.due_at < now


# -- segmentation: ABC and RFM ----------------------------------------------------------
TIERS = ("champions", "loyal", "new", "at_risk", "hibernating", "none")


def _scores(values: list, value) -> int:
    """1-5 by quintile among ``values`` (sorted ascending): the share of values at or below
    ``value``, so equal values score the same and the best of them all scores 5."""
    return max(1, -(-5 * bisect_right(values, value) // len(values)))


def tier(r: int, f: int, m: int) -> str:
    if r >= 4 and f >= 4 and m >= 4:
        return "champions"
    if f >= 4 or (r >= 3 and f >= 3):
        return "loyal"
    if r >= 4:
        return "new"
    if r <= 2 and (f >= 3 or m >= 3):
        return "at_risk"
    return "hibernating"


def segment(rows: list[dict], today: date, settings) -> dict[int, dict]:
    """ABC by revenue and RFM scores and tier for each customer with orders.

    ABC: customers by revenue, largest first; A while their running total stays within
    ``crm.abc_a_share`` of the revenue (the largest always), B within ``crm.abc_b_share``, the rest C.
    RFM: recency, frequency and monetary value each
    scored 1-5 by quintile among the customers with orders.
    """
    rows = [r for r in rows if r["orders"] > 0]
    if not rows:
        return {}
    total = sum((Decimal(r["revenue"]) for r in rows), Decimal(0))
    a_share, b_share = Decimal(settings["crm.abc_a_share"]), Decimal(settings["crm.abc_b_share"])
    result: dict[int, dict] = {}
    running = Decimal(0)
    for row in sorted(rows, key=lambda r: (-Decimal(r["revenue"]), r["customer_id"])):
        first = running == 0  # the largest customer is A even when it alone passes the share
        running += Decimal(row["revenue"])
        share = running / total if total else Decimal(1)
        result[row["customer_id"]] = {"abc_class": "A" if first or share <= a_share else "B" if share <= b_share
                                      else "C", "revenue": Decimal(row["revenue"])}
    recency = sorted(-(today - r["last_order"]).days for r in rows)
    frequency = sorted(r["orders"] for r in rows)
    monetary = sorted(Decimal(r["revenue"]) for r in rows)
    for row in rows:
        r = _scores(recency, -(today - row["last_order"]).days)
        f = _scores(frequency, row["orders"])
        m = _scores(monetary, Decimal(row["revenue"]))
        result[row["customer_id"]].update(rfm_recency=r, rfm_frequency=f, rfm_monetary=m, rfm_tier=tier(r, f, m))
    return result


def store_segments(session: Session, segments: dict[int, dict], now: datetime) -> int:
    """Write the segments: customers without orders in the window are C / no orders."""
    session.execute(update(Customer).values(abc_class="C", rfm_recency=0, rfm_frequency=0, rfm_monetary=0,
                                            rfm_tier="none", revenue=Decimal(0), segmented_at=now)
                    .execution_options(synchronize_session=False))
    if segments:
        session.execute(update(Customer).execution_options(synchronize_session=False),
                        [{"id": cid, **values, "segmented_at": now} for cid, values in segments.items()])
    session.expire_all()
    return len(segments)


def refresh_segments(session: Session, orders_since, today: date, now: datetime, settings) -> tuple[bool, int]:
    """Segment every customer from the orders of the last ``crm.rfm_months`` months.

    ``orders_since(date) -> Answer`` asks the sales module (``sales_customer_orders``);
    (False, 0) when it is off: nothing is changed then.
    """
    answer = orders_since(today - timedelta(days=round(30.44 * settings["crm.rfm_months"])))
    if not answer.available:
        return False, 0
    return True, store_segments(session, segment(answer.value or [], today, settings), now)


def stale_clause(now: datetime, settings):
    """Records on the quarterly clean-up list: no contact (nor creation) within ``crm.stale_days``
    and no orders in the segmentation window."""
    since = now - timedelta(days=settings["crm.stale_days"])
    return (func.coalesce(Customer.last_contact_at, Customer.created_at) < since) & (Customer.revenue == 0) \
        & (Customer.status != "archived")
