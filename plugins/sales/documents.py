"""Sales orders and shipments as declared documents: numbers, statuses, reviews, printed forms."""
from __future__ import annotations

from sqlalchemy import false, true

from intranet import N_, force_locale, gettext
from intranet import lazy_gettext as _l
from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, LineTableSpec, NumberSeries,
                                PrintForm, Scope, ScopeRule, Status, StatusSet)

from . import services
from .models import SalesOrder, Shipment
from .settings import KIND_LABELS

VIEW_ALL = "sales.view_all"   # sales management, finance, legal: every order
USE = "sales.use"             # salespeople: take orders
SHIP = "sales.ship"           # the warehouse and sales assistants: pick, pack, ship
PRODUCTS = "sales.products"   # keep the product list

ORDER_STATUSES = APPROVAL_STATUSES.extend(
    [Status("shipped", _l("Shipped"), "info"), Status("delivered", _l("Delivered"), "ok"),
     Status("followed_up", _l("Followed up"), "ok")],
    {"approved": ("shipped",), "shipped": ("delivered",), "delivered": ("followed_up",)})

SHIPMENT_STATUSES = StatusSet(
    (Status("preparing", _l("Preparing"), "muted"), Status("picked", _l("Picked"), "info"),
     Status("packed", _l("Packed"), "info"), Status("shipped", _l("Shipped"), "ok"),
     Status("delivered", _l("Delivered"), "ok")),
    {"preparing": ("picked",), "picked": ("packed",), "packed": ("shipped",), "shipped": ("delivered",)},
    initial="preparing")


def _shippers(user, model):
    return true() if user.can(SHIP) else false()


#: The warehouse sees the orders it ships.
SHIPPERS = ScopeRule(_shippers, lambda user, order: user.can(SHIP))


def order_policy(settings) -> list[dict]:
    """The reviews an order needs before shipping, as steps of one approval policy rule: the order
    review (custom orders: the sales department head), the discount beyond the customer's
    approved one (the vice president in charge), finance (always, within one working day) and
    legal's review of the contract above ``sales.contract_threshold`` (the policy follows the
    setting). Each step carries its own condition."""
    with force_locale(settings["core.default_language"]):
        names = {key: gettext(text) for key, text in (
            ("order", N_("Order review")), ("discount", N_("Discount approval")),
            ("finance", N_("Finance review")), ("legal", N_("Contract review by legal")))}
    steps = {
        "order": {"name": names["order"], "approvers": {"kind": "department_head"}, "mode": "any",
                  "due": {"amount": settings["sales.order_review_days"], "unit": "days"}},
        "discount": {"name": names["discount"], "approvers": {"kind": "department_vp"}, "mode": "any",
                     "due": {"amount": settings["sales.order_review_days"], "unit": "days"}},
        "finance": {"name": names["finance"], "approvers": {"kind": "role", "value": "finance_manager"},
                    "mode": "any", "due": {"amount": settings["sales.finance_review_days"], "unit": "days"}},
        "legal": {"name": names["legal"], "approvers": {"kind": "role", "value": "legal"}, "mode": "any",
                  "due": {"amount": settings["sales.legal_review_days"], "unit": "days"}},
    }
    steps["order"]["conditions"] = [{"field": "kind", "op": "=", "value": "custom"}]
    steps["discount"]["conditions"] = [{"field": "over_discount", "op": "=", "value": True}]
    steps["legal"]["conditions"] = [{"field": "amount", "op": ">",
                                     "value": {"setting": "sales.contract_threshold"}}]
    return [{"label": "", "conditions": [],
             "steps": [steps[key] for key in ("order", "discount", "finance", "legal")]}]


LINE_FIELDS = (Field("product_code", _l("Code")), Field("product", _l("Product")),
               Field("quantity", format="quantity"), Field("unit"), Field("unit_price", format="money"))

ORDER = DocumentType(
    model=SalesOrder, title=_l("Sales order"), endpoint="sales.order", edit_endpoint="sales.edit",
    numbering=NumberSeries(prefix="SO"), statuses=ORDER_STATUSES, lines=("lines",),
    unsigned=("delivered_on", "followup_due"),
    scope=Scope(widen=VIEW_ALL, approvers=SalesOrder.__document_type__, also=(SHIPPERS,)),
    approval=Approval(
        fields=(PolicyField("amount", _l("Amount"), "money"),
                PolicyField("kind", _l("Order type"), "choice", choices=("stock", "custom")),
                PolicyField("over_discount", _l("Discount beyond the approved one"), "bool")),
        default_policy=order_policy, values=services.policy_values,
        summary=(Field("customer_name"), Field("kind", format="choice", choices=KIND_LABELS),
                 Field("discount", format="percent"))),
    printing=PrintForm(title_zh="销售合同", fields=(
        Field("customer_name"), Field("kind", format="choice", choices=KIND_LABELS),
        Field("total", format="money"), Field("discount", format="percent"), "payment_terms",
        "invoice_title", "invoice_tax_number", "delivery_address", "quotation_number",
        Field("requester", _l("Salesperson"), format="person"), Field("created_at", format="date"),
        Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), LINE_FIELDS),), text=("remarks",)))

SHIPMENT = DocumentType(
    model=Shipment, title=_l("Shipment"), endpoint="sales.shipment", numbering=NumberSeries(prefix="SN"),
    statuses=SHIPMENT_STATUSES, scope=Scope(widen=SHIP),
    printing=PrintForm(title_zh="发货通知单", fields=(
        "order_number", "customer_name", "delivery_address", "carrier", "tracking_number",
        Field("fragile", format="bool"), Field("moisture", format="bool"),
        Field("created_at", format="date"), Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), LINE_FIELDS),)))

TYPES = [ORDER, SHIPMENT]
