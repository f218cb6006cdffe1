"""The CRM's declared documents: customers, terms versions, quotations, customer requests."""
from __future__ import annotations

from intranet import N_, force_locale, gettext
from intranet import lazy_gettext as _l
from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, LineTableSpec, NumberSeries,
                                PrintForm, Scope, Status, StatusSet)

from . import services
from .scopes import CUSTOMER_SCOPE, VIEW_ALL
from .models import Customer, CustomerRequest, CustomerTerms, SalesQuotation
from .settings import REQUEST_KIND_LABELS

MARKET_MANAGER = "crm_market_manager"
SALES_MANAGER = "crm_sales_manager"

CUSTOMER_STATUSES = StatusSet(
    (Status("prospect", _l("Prospect"), "info", editable=True), Status("lead", _l("Lead customer"), "ok",
                                                                       editable=True),
     Status("archived", _l("Archived"), "muted")),
    {"prospect": ("lead", "archived"), "lead": ("archived",), "archived": ("prospect",)}, initial="prospect")

QUOTATION_STATUSES = StatusSet(
    (Status("draft", _l("Draft"), "muted", editable=True), Status("sent", _l("Sent"), "info"),
     Status("accepted", _l("Accepted"), "ok"), Status("declined", _l("Declined"), "danger")),
    {"draft": ("sent",), "sent": ("accepted", "declined", "draft")})

REQUEST_STATUSES = StatusSet(
    (Status("open", _l("Open"), "warn"), Status("answered", _l("Answered"), "info"),
     Status("closed", _l("Closed"), "ok")),
    {"open": ("answered",), "answered": ("closed",)}, initial="open")


def terms_policy(settings) -> list[dict]:
    """The market manager, then the chief accountant (PROCESSES.md, crm)."""
    with force_locale(settings["core.default_language"]):
        market, accountant = gettext(N_("Market manager")), gettext(N_("Chief accountant"))
    due = {"amount": settings["crm.terms_due_days"], "unit": "days"}
    return [{"label": "", "conditions": [], "steps": [
        {"name": market, "approvers": {"kind": "role", "value": MARKET_MANAGER}, "mode": "any", "due": due},
        {"name": accountant, "approvers": {"kind": "role", "value": "chief_accountant"}, "mode": "any",
         "due": due}]}]


CUSTOMER = DocumentType(
    model=Customer, title=_l("Customer"), endpoint="crm.customer", edit_endpoint="crm.edit_customer",
    numbering=NumberSeries(prefix="CU", format="{prefix}-{seq:06}"), statuses=CUSTOMER_STATUSES,
    lines=("contacts",), scope=CUSTOMER_SCOPE,
    unsigned=("name_key", "last_contact_at", "abc_class", "rfm_recency", "rfm_frequency", "rfm_monetary",
              "rfm_tier", "revenue", "segmented_at"))

TERMS = DocumentType(
    model=CustomerTerms, title=_l("Customer terms"), endpoint="crm.terms",
    numbering=NumberSeries(prefix="CT"), statuses=APPROVAL_STATUSES,
    scope=Scope(widen=VIEW_ALL, approvers=CustomerTerms.__document_type__),
    load_options=(),
    approval=Approval(
        fields=(PolicyField("discount", _l("Discount (%)"), "number"), PolicyField("version", _l("Version"),
                                                                                    "number")),
        default_policy=terms_policy, values=services.terms_values,
        summary=(Field("discount", format="percent"), Field("payment_terms")),
        after={"approved": services.apply_terms}))

QUOTATION_LINES = (Field("product", _l("Product")), Field("specification", _l("Specification")),
                   Field("quantity", format="quantity"), Field("unit"), Field("unit_price", format="money"))

QUOTATION = DocumentType(
    model=SalesQuotation, title=_l("Quotation"), endpoint="crm.quotation", edit_endpoint="crm.edit_quotation",
    numbering=NumberSeries(prefix="QT"), statuses=QUOTATION_STATUSES, lines=("lines",),
    scope=Scope(widen=VIEW_ALL), unsigned=("order_ref",),
    printing=PrintForm(title_zh="报价单", fields=(
        Field("customer.name", _l("Customer")), "title", Field("total", format="money"),
        Field("valid_until", format="date"), Field("requester", _l("Salesperson"), format="person"),
        Field("created_at", format="date"), Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), QUOTATION_LINES),), text=("remarks",)))

REQUEST = DocumentType(
    model=CustomerRequest, title=_l("Customer request"), endpoint="crm.request",
    numbering=NumberSeries(prefix="CR"), statuses=REQUEST_STATUSES,
    scope=Scope(department="responsible_department_id", widen=VIEW_ALL),
    printing=PrintForm(title_zh="客户需求登记表", fields=(
        Field("customer.name", _l("Customer")), Field("kind", format="choice", choices=REQUEST_KIND_LABELS),
        Field("responsible_department_id", format="department"), Field("requester", _l("Registered by"),
                                                                       format="person"),
        Field("created_at", _l("Received"), format="datetime"), Field("due_at", format="datetime"),
        Field("responded_at", format="datetime"), Field("called_back_at", format="datetime"), "score",
        Field("status", format="status")), text=("description", "response")))

TYPES = [CUSTOMER, TERMS, QUOTATION, REQUEST]
