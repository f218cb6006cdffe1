"""Procurement's documents as declarations: the purchase request 采购申请单 and the purchase
order 采购订单, with their numbers, statuses, approval and printed forms."""
from __future__ import annotations

from intranet import ask
from intranet import lazy_gettext as _l
from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, LineTableSpec, NumberSeries,
                                PrintForm, Scope, Status, StatusSet)
from intranet.reference import cost_category_label

from . import services
from .models import PurchaseOrder, PurchaseRequest
from .policies import default_policy

VIEW_ALL = "procurement.view_all"
VIEW_ORDERS = "procurement.view_orders"
PURCHASE = "procurement.purchase"
SUPPLIERS = "procurement.manage_suppliers"
BANK = "procurement.bank_data"

REQUEST_STATUSES = APPROVAL_STATUSES.extend([Status("ordered", _l("Ordered"), "ok")], {"approved": ("ordered",)})

ORDER_STATUSES = StatusSet(
    (Status("issued", _l("Issued"), "info"), Status("partly_received", _l("Partly received"), "warn"),
     Status("pending", _l("Pending resolution"), "danger"), Status("received", _l("Received"), "ok"),
     Status("closed", _l("Closed"), "muted")),
    {"issued": ("partly_received", "received", "pending", "closed"),
     "partly_received": ("received", "pending", "closed"),
     "pending": ("issued", "partly_received", "received", "closed")},
    initial="issued")


def policy_values(request: PurchaseRequest, org) -> dict:
    """What the policy tests. The budget is asked here because this runs at every submission,
    whichever page sends the request; its answer is stored on the request and signed with it."""
    if request.status != "pending":
        services.check_budget(request, ask("budget_remaining", department_id=request.department_id,
                                           category=request.cost_category,
                                           on=(request.submitted_at or request.created_at).date()))
    return services.policy_values(request, org)


REQUEST_LINES = (Field("item"), Field("specification"), Field("quantity", format="quantity"), Field("unit"),
                 Field("unit_price", format="money"))
ORDER_LINES = (Field("item"), Field("specification"), Field("quantity", format="quantity"), Field("unit"),
               Field("unit_price", format="money"), Field("received", format="quantity"))

PURCHASE_REQUEST = DocumentType(
    model=PurchaseRequest, title=_l("Purchase request"), endpoint="procurement.request",
    edit_endpoint="procurement.edit", numbering=NumberSeries(prefix="PR"), statuses=REQUEST_STATUSES,
    lines=("lines",), unsigned=("chosen_quotation_id", "choice_reason", "sample_test"),
    scope=Scope(widen=VIEW_ALL, approvers=PurchaseRequest.__document_type__),
    approval=Approval(
        fields=(PolicyField("amount", _l("Amount"), "money"), PolicyField("over_budget", _l("Over budget"), "bool"),
                PolicyField("department", _l("Department"), "department")),
        default_policy=default_policy, values=policy_values,
        summary=(Field("cost_category", value=lambda r: cost_category_label(r.cost_category)),)),
    printing=PrintForm(title_zh="采购申请单", fields=(
        "title", Field("requester", format="person"), Field("department_id", format="department"),
        Field("cost_category", value=lambda r: cost_category_label(r.cost_category)),
        Field("total", format="money"), Field("suggested_supplier.name", _l("Suggested supplier")),
        "suggestion_reason", Field("created_at", format="datetime"), Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), REQUEST_LINES),), text=("purpose",)))

PURCHASE_ORDER = DocumentType(
    model=PurchaseOrder, title=_l("Purchase order"), endpoint="procurement.order",
    numbering=NumberSeries(prefix="PO"), statuses=ORDER_STATUSES, lines=("lines",),
    scope=Scope(widen=VIEW_ORDERS), load_options=(),
    printing=PrintForm(title_zh="采购订单", fields=(
        "title", Field("supplier.name", _l("Supplier")), Field("request.number", _l("Purchase request")),
        Field("requester", _l("Purchaser"), "person"), Field("department_id", format="department"),
        Field("total", format="money"), Field("expected_on", format="date"), Field("created_at", format="datetime"),
        Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Items"), ORDER_LINES),)))
