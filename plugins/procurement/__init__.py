"""采购 Procurement: purchase requests approved by bands of their total, the qualified supplier
registry with its yearly evaluation, quotation comparison, and purchase orders that the
warehouse receives against (through the hooks of hookspecs.py)."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for
from sqlalchemy import bindparam, select

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, db, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import can_view, url_of

from . import demo, hookspecs, reminders, services
from .documents import (BANK, PURCHASE, PURCHASE_ORDER, PURCHASE_REQUEST, SUPPLIERS, VIEW_ALL, VIEW_ORDERS)
from .models import (OrderLine, PurchaseOrder, PurchaseRequest, Quotation, QuotationPrice, RequestLine, Supplier,
                     SupplierEvaluation)
from .printing import comparison_template
from .settings import SETTINGS
from .views import ORDERS, REQUESTS, bp, dashboard

REPEATS = "procurement.repeats"


@hookimpl
def intranet_module():
    return ModuleInfo(key="procurement", title=_l("Procurement"), version="1.0", icon="cart", uses=("budget", "warehouse"),
                      description=_l("Purchase requests, qualified suppliers, quotations and purchase orders"))


@hookimpl
def intranet_models():
    return [Supplier, SupplierEvaluation, PurchaseRequest, RequestLine, Quotation, QuotationPrice, PurchaseOrder,
            OrderLine]


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission(VIEW_ALL, _l("See every purchase request"),
                   default_roles=("sysadmin", "purchaser", "finance_manager", "general_manager", "ceo")),
        Permission(VIEW_ORDERS, _l("See every purchase order"),
                   default_roles=("sysadmin", "purchaser", "warehouse_keeper", "finance_manager", "general_manager",
                                  "ceo")),
        Permission(PURCHASE, _l("Record quotations, choose suppliers and issue orders"),
                   default_roles=("sysadmin", "purchaser")),
        Permission(SUPPLIERS, _l("Register and evaluate suppliers"), default_roles=("sysadmin", "purchaser")),
        Permission(BANK, _l("See and change suppliers' bank data"),
                   default_roles=("finance_manager", "chief_accountant", "accountant")),
        Permission(REPEATS, _l("See the monthly repeat-purchase list"),
                   default_roles=("sysadmin", "finance_manager", "chief_accountant")),
    ]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_document_types():
    return [PURCHASE_REQUEST, PURCHASE_ORDER]


@hookimpl
def intranet_pdf_templates():
    return [comparison_template(lambda user, request: can_view(PURCHASE_REQUEST)(user, request))]


#: The purchaser's badge: approved requests waiting for a supplier and an order.
TO_ORDER = select(PurchaseRequest.id).where(PurchaseRequest.status == "approved",
                                            bindparam("user_id").is_not(None))


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("Purchase requests"), "procurement.requests", icon="cart", order=30),
             MenuItem(_l("Suppliers"), "procurement.suppliers", icon="users", order=32)]
    if user.can(VIEW_ORDERS) or user.can(PURCHASE):
        items.append(MenuItem(_l("Purchase orders"), "procurement.orders", icon="box", order=31,
                              badge=TO_ORDER if user.can(PURCHASE) else None))
    if user.can(REPEATS):
        items.append(MenuItem(_l("Repeat purchases"), "procurement.repeats", icon="alert", order=33))
    return items


@hookimpl
def intranet_dashboard_widgets(user):
    return [Widget("procurement.today", _l("Procurement"), "procurement/_widget.html", lambda: dashboard(user),
                   order=30)]


@hookimpl
def intranet_reminder_scanners():
    return reminders.scanners()


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{d.number} {d.title}", url=url_of(PURCHASE_REQUEST, d), kind=_l("Purchase requests"))
            for d in REQUESTS.find(query, user, limit)] + \
           [SearchResult(title=f"{d.number} {d.title}", url=url_of(PURCHASE_ORDER, d), kind=_l("Purchase orders"))
            for d in ORDERS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)


# -- hooks other modules call (hookspecs.py) ----------------------------------------------
@hookimpl
def procurement_urgent_request_url(items):
    query = [(key, str(item.get(key) or "")) for item in items[:services.MAX_LINES]
             for key in ("item", "specification", "quantity", "unit")]
    return url_for("procurement.new") + "?" + urlencode(query)


def _order_url(order) -> str:
    try:
        return url_for("procurement.order", document_id=order.id)
    except RuntimeError:  # outside a web request (the reminder job)
        return ""


@hookimpl
def procurement_order(order_id):
    order = PURCHASE_ORDER.load_one(db.session, order_id)
    return services.order_summary(order, _order_url(order)) if order is not None else None


@hookimpl
def procurement_open_orders(query, limit):
    return [services.order_summary(order, _order_url(order))
            for order in services.open_orders(db.session, query=query or "", limit=limit or 20)]


@hookimpl
def procurement_receipt_recorded(order_id, quantities, pending, actor_id, documents):
    order = PURCHASE_ORDER.load_one(db.session, order_id)
    if order is None:
        return None
    return services.record_receipt(documents, order, quantities, pending=pending, actor_id=actor_id)
