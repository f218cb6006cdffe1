"""The example order as a declared document, and its list."""
from intranet.approvals import PolicyField
from sqlalchemy import or_

from intranet.documents import (Approval, DocumentType, Field, LineTableSpec, NumberSeries, PrintForm, Scope,
                                ScopeRule)
from intranet.web import NEWEST, Filter, ListView, Sort

from .forms import SECRET
from .models import ExampleOrder


def default_policy(settings):
    """The department head; from example.vp_threshold on also the vice president in charge
    (the band follows the setting)."""
    head = {"name": "Department head", "approvers": {"kind": "department_head"}, "due": {"amount": 1, "unit": "days"}}
    vp = {"name": "Vice president", "approvers": {"kind": "department_vp"}}
    return [{"conditions": [{"field": "amount", "op": ">=", "value": {"setting": "example.vp_threshold"}}],
             "steps": [head, vp]},
            {"conditions": [], "steps": [head]}]


def values(order, org):
    department = org.get(order.department_id)
    return {"amount": order.amount, "category": order.category, "department": department.code if department else None}


LINE_FIELDS = (Field("item", "Item"), Field("quantity", "Quantity", "quantity"),
               Field("unit_price", "Unit price", "money"))

EXAMPLE_ORDER = DocumentType(
    model=ExampleOrder, title="Example order", endpoint="example.order", numbering=NumberSeries(prefix="EX"),
    lines=("lines",),
    # reviewers see every order by their role; a confidential one only its requester (and view_all)
    scope=Scope(widen="example.view_all", approvers="example.order", also=(ScopeRule.holding("example.manage"),),
                only=(ScopeRule(lambda user, model: or_(model.category != SECRET, model.requester_id == user.id),
                                lambda user, order: order.category != SECRET or order.requester_id == user.id),)),
    approval=Approval(fields=(PolicyField("amount", "Amount", "money"), PolicyField("category", "Category", "text"),
                              PolicyField("department", "Department", "department")),
                      default_policy=default_policy, values=values, summary=(Field("category"),)),
    printing=PrintForm(title_zh="示例订单",
                       fields=("title", "category", Field("amount", format="money"), Field("requester", format="person"),
                               Field("status", format="status")),
                       tables=(LineTableSpec("lines", "Lines", LINE_FIELDS),)))

ORDERS = ListView(
    "example.orders", EXAMPLE_ORDER,
    (Field("number"), Field("title", "Title"), Field("amount", "Amount", "money"),
     Field("requester", "Requester", "person"), Field("status", "Status", "status"),
     Field("created_at", "Created", "datetime")),
    filters=(Filter("status", "Status", choices=EXAMPLE_ORDER.statuses.choices),
             Filter("mine", "Only mine", column="requester_id", kind="mine")),
    sorts=(NEWEST, Sort("amount", "Amount", "amount")), search=("title", "number"), selectable=True,
    export="example.export")
