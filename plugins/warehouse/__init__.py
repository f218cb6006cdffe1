"""仓库 Warehouse 验收入库: goods receipts against purchase orders checked line by line and signed
by the keeper, discrepancy records the purchaser resolves, stock items with their movements, and
the stock, availability and supplier-delivery hooks other modules ask (hookspecs.py)."""
from __future__ import annotations

from sqlalchemy import bindparam, select

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, ask, db, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import url_of
from intranet.web import calendar

from . import demo, hookspecs, reminders, services
from .documents import DISCREPANCY, GOODS_RECEIPT, INSTALL, RECEIVE, RESOLVE, VIEW_ALL
from .models import Discrepancy, GoodsReceipt, ReceiptLine, StockItem, StockMovement
from .settings import SETTINGS
from .views import DISCREPANCIES, RECEIPTS, bp, dashboard


@hookimpl
def intranet_module():
    return ModuleInfo(key="warehouse", title=_l("Warehouse"), version="1.0", icon="box", depends_on=("procurement",),
                      description=_l("Goods receipts against purchase orders, discrepancies and stock"))


@hookimpl
def intranet_models():
    return [StockItem, StockMovement, GoodsReceipt, ReceiptLine, Discrepancy]


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission(RECEIVE, _l("Receive goods, sign receipts and record discrepancies"),
                   default_roles=("sysadmin", "warehouse_keeper")),
        Permission(VIEW_ALL, _l("See every goods receipt and discrepancy"),
                   default_roles=("sysadmin", "warehouse_keeper", "purchaser", "finance_manager", "general_manager",
                                  "ceo")),
        Permission(RESOLVE, _l("Resolve discrepancies with the supplier"), default_roles=("sysadmin", "purchaser")),
        Permission(INSTALL, _l("Install delivered items"), default_roles=("sysadmin", "it_admin")),
    ]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_document_types():
    return [GOODS_RECEIPT, DISCREPANCY]


#: badges: the keeper's receipts being checked; open discrepancies for purchasers
CHECKING = select(GoodsReceipt.id).where(GoodsReceipt.requester_id == bindparam("user_id"),
                                         GoodsReceipt.status == "draft")
OPEN_DISCREPANCIES = select(Discrepancy.id).where(Discrepancy.status == "open", bindparam("user_id").is_not(None))


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("Stock"), "warehouse.stock", icon="box", order=35)]
    if user.can(RECEIVE) or user.can(VIEW_ALL):
        items.append(MenuItem(_l("Goods receipts"), "warehouse.receipts", icon="inbox", order=34,
                              badge=CHECKING if user.can(RECEIVE) else None))
        items.append(MenuItem(_l("Discrepancies"), "warehouse.discrepancies", icon="alert", order=36,
                              badge=OPEN_DISCREPANCIES if user.can(RESOLVE) else None))
    return items


@hookimpl
def intranet_dashboard_widgets(user):
    if not (user.can(RECEIVE) or user.can(VIEW_ALL) or user.can(INSTALL)):
        return []
    return [Widget("warehouse.today", _l("Warehouse"), "warehouse/_widget.html", lambda: dashboard(user), order=34)]


@hookimpl
def intranet_reminder_scanners():
    return reminders.scanners()


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{d.number} {d.title}", url=url_of(GOODS_RECEIPT, d), kind=_l("Goods receipts"))
            for d in RECEIPTS.find(query, user, limit)] + \
           [SearchResult(title=f"{d.number} {d.item}", url=url_of(DISCREPANCY, d), kind=_l("Discrepancies"))
            for d in DISCREPANCIES.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)


# -- hooks other modules call (hookspecs.py) ----------------------------------------------
@hookimpl
def warehouse_stock(item_code):
    item = services.find_item(db.session, item_code)
    return item.quantity if item is not None else None


@hookimpl
def warehouse_availability(item_code):
    answer = ask("procurement_open_orders", query="", limit=100)
    return services.availability(db.session, item_code, answer.value if answer.available else None)


@hookimpl
def warehouse_supplier_deliveries(supplier_id, year):
    return services.supplier_deliveries(db.session, supplier_id, year, calendar().tz)
