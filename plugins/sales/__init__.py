"""销售订单 Sales: orders from a product list with their reviews (order review, discount, finance,
legal's contract review), shipping with a printed notice, and the follow-up survey."""
from __future__ import annotations

from datetime import datetime, time, timezone

from flask import has_request_context, url_for
from sqlalchemy import bindparam, select

from intranet import N_, Invalid, MenuItem, ModuleInfo, SearchResult, Widget, ask, db, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import Panel, current_documents
from intranet.notify import Reminder, ReminderScanner
from intranet.org import User

from . import demo, hookspecs, services
from .documents import PRODUCTS, SHIP, TYPES, USE, VIEW_ALL
from .models import MODELS, Product, SalesOrder
from .settings import SETTINGS
from .views import ORDERS, bp, pipeline_charts


@hookimpl
def intranet_module():
    return ModuleInfo(key="sales", title=_l("Sales orders"), version="1.0", icon="box", depends_on=("crm",),
                      uses=("warehouse", "procurement"),
                      description=_l("Orders with their reviews, shipping notices and follow-up surveys"))


@hookimpl
def intranet_models():
    return MODELS


@hookimpl
def intranet_document_types():
    return TYPES


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def sales_customer_orders(since):
    start = datetime.combine(since, time(0), tzinfo=timezone.utc)
    return services.customer_orders(db.session, start)


@hookimpl
def sales_order_from_quotation(quotation_id, actor_id):
    quotation = ask("crm_quotation", quotation_id=quotation_id).value
    if quotation is None:
        return None
    names = [line["product"] for line in quotation["lines"]]
    by_name = {p.name: p for p in db.session.scalars(select(Product).where(Product.name.in_(names)))}
    lines = [services.LineData(product_code=by_name[line["product"]].code if line["product"] in by_name else "",
                               quantity=line["quantity"], unit_price=line["unit_price"],
                               quoted_price=line["unit_price"]) for line in quotation["lines"]]
    customer = ask("crm_customer", customer_id=quotation["customer_id"]).value
    try:
        order = services.create_order(current_documents(), services.OrderData(kind="stock", lines=lines), customer,
                                      db.session.get(User, actor_id), quotation=quotation)
    except Invalid:  # terms not approved, a product not on the list: refused before anything was written
        return None
    return {"id": order.id, "number": order.number,
            "url": url_for("sales.edit", document_id=order.id) if has_request_context() else ""}


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission(USE, _l("Take sales orders"), default_roles=("sales", "sales_assistant", "sysadmin")),
        Permission(VIEW_ALL, _l("See every sales order, the pipeline and revenue"),
                   default_roles=("crm_sales_manager", "finance_manager", "chief_accountant", "legal",
                                  "general_manager", "ceo", "sysadmin")),
        Permission(SHIP, _l("Pick, pack and ship orders"),
                   default_roles=("warehouse_keeper", "sales_assistant", "sysadmin")),
        Permission(PRODUCTS, _l("Keep the product list"), default_roles=("sales_assistant", "sysadmin")),
    ]


@hookimpl
def intranet_settings():
    return SETTINGS


#: The menu badge: the signed-in salesperson's delivered orders still to follow up.
TO_FOLLOW_UP = select(SalesOrder.id).where(SalesOrder.requester_id == bindparam("user_id"),
                                           SalesOrder.status == "delivered")


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("Sales orders"), "sales.orders", icon="box", order=35, badge=TO_FOLLOW_UP),
             MenuItem(_l("Products"), "sales.products", icon="list", order=36)]
    if user.can(VIEW_ALL):
        items.append(MenuItem(_l("Pipeline"), "sales.pipeline", icon="route", order=37))
    return items


def _today_for(user) -> dict:
    mine = db.session.scalars(select(SalesOrder).where(
        SalesOrder.requester_id == user.id, SalesOrder.status.in_(("draft", "returned", "approved", "delivered")))
        .order_by(SalesOrder.created_at.desc(), SalesOrder.id.desc()).limit(5)).all()
    return {"orders": mine, "statuses": TYPES[0].statuses,
            "chart": pipeline_charts(6)[1] if user.can(VIEW_ALL) else None}


@hookimpl
def intranet_dashboard_widgets(user):
    if not (user.can(USE) or user.can(VIEW_ALL)):
        return []
    return [Widget("sales.today", _l("Sales today"), "sales/_widget.html", lambda: _today_for(user), order=35)]


@hookimpl
def intranet_detail_panels(type_key, document, user):
    """The customer's orders on the CRM's customer page."""
    if type_key != "crm.customer":
        return []
    orders = db.session.scalars(select(SalesOrder).where(SalesOrder.customer_id == document.id)
                                .order_by(SalesOrder.created_at.desc(), SalesOrder.id.desc()).limit(10)).all()
    return [Panel(_l("Sales orders"), "sales/_customer_panel.html",
                  {"orders": orders, "statuses": TYPES[0].statuses, "customer_id": document.id,
                   "can_order": user.can(USE) and document.owner_id == user.id}, order=10)]


def _followups(ctx):
    """Follow up within 3 working days of delivery: remind the salesperson, then their head."""
    today = ctx.calendar.today(ctx.now)
    rows = ctx.session.scalars(select(SalesOrder).where(SalesOrder.status == "delivered",
                                                        SalesOrder.followup_due.is_not(None))
                               .order_by(SalesOrder.id).limit(5000)).all()
    managers = dict(ctx.session.execute(select(User.id, User.manager_id).where(
        User.id.in_({o.requester_id for o in rows}))).all()) if rows else {}
    for order in rows:
        url = ctx.url_for("sales.order", document_id=order.id)
        params = {"number": order.number, "name": order.customer_name, "due": order.followup_due.isoformat()}
        yield Reminder(key=f"sales.followup:{order.id}", user_id=order.requester_id, module="sales", url=url,
                       message=N_("Follow up order %(number)s with %(name)s: the survey is due by %(due)s."),
                       params=params)
        if order.followup_due < today and managers.get(order.requester_id):
            yield Reminder(key=f"sales.followup_overdue:{order.id}", user_id=managers[order.requester_id],
                           module="sales", url=url, params=params,
                           message=N_("Overdue: the follow-up of order %(number)s (%(name)s) was due by %(due)s."))


@hookimpl
def intranet_reminder_scanners():
    return [ReminderScanner("sales.followup", _l("Follow-ups after delivery"), _followups)]


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{o.number} {o.customer_name}", url=url_for("sales.order", document_id=o.id),
                         kind=_l("Sales orders")) for o in ORDERS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)
