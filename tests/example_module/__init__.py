"""A tiny module that implements every hook, so the tests can prove each one.

It is registered through the PLUGINS_EXTRA setting by the test fixtures, never
installed as an entry point.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import click
from flask import url_for
from sqlalchemy import bindparam, func, select

from intranet import Invalid, MenuItem, ModuleInfo, SearchResult, Widget, db, hookimpl
from intranet.approvals import ApprovalType, PolicyField
from intranet.auth import Permission, RoleSpec
from intranet.charts import DonutChart, Slice
from intranet.notify import Reminder, ReminderScanner
from intranet.settings import Column, Setting

from . import hookspecs
from .documents import EXAMPLE_ORDER
from .models import ExampleItem, ExampleOrder, ExampleOrderLine
from .views import bp

#: What the example module has in stock, for its declared hook ``example_stock``.
STOCK = {"服务器": Decimal(2), "显示器": Decimal(10)}


@hookimpl
def intranet_module():
    return ModuleInfo(key="example", title="Example", version="0.1", icon="box", description="Test module")


@hookimpl
def intranet_models():
    return [ExampleItem, ExampleOrder, ExampleOrderLine]


@hookimpl
def intranet_document_types():
    return [EXAMPLE_ORDER]


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def example_stock(item):
    return STOCK.get(item)


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_roles():
    return [RoleSpec("example_reviewer", "Example reviewer")]


@hookimpl
def intranet_permissions():
    return [Permission("example.manage", "Manage example items", default_roles=("sysadmin", "example_reviewer")),
            Permission("example.view_all", "See every example item", default_roles=("sysadmin",))]


@hookimpl
def intranet_settings():
    return [Setting("example.reminder_days", 3, "Days before an item is due to remind", minimum=0),
            Setting("example.vp_threshold", Decimal(5000), "Amount from which the vice president also approves",
                    type="decimal", minimum=0),
            # structured settings: a policy follows a limit as @example.bands[2]; rows of typed columns
            Setting("example.bands", (Decimal(2000), Decimal(20000)), "Order amount bands", type="bands", minimum=0),
            Setting("example.stock_minimums", ({"item": "服务器", "minimum": Decimal(1), "keeper": None},),
                    "Stock minimums", type="table", minimum=0,
                    columns=(Column("item", "Item"), Column("minimum", "Minimum", "decimal"),
                             Column("keeper", "Keeper", "role", optional=True)))]


@hookimpl
def intranet_settings_changed(session, settings, changed, actor_id):
    """Reminding on the due day itself comes too late for items already open: refuse it while any is."""
    if "example.reminder_days" in changed and settings["example.reminder_days"] == 0 and session.scalar(
            select(func.count()).select_from(ExampleItem).where(ExampleItem.done.is_(False))):
        raise Invalid("Open items need at least a day's notice.", field="example.reminder_days")


#: The menu badge's rows: the signed-in user's open items.
OPEN_ITEMS = select(ExampleItem.id).where(ExampleItem.owner_id == bindparam("user_id"), ExampleItem.done.is_(False))


@hookimpl
def intranet_menu_items(user):
    return [MenuItem("Example items", "example.items", icon="box", order=50, badge=OPEN_ITEMS)]


@hookimpl
def intranet_dashboard_widgets(user):
    def open_items():
        count = db.session.scalar(select(func.count()).select_from(ExampleItem)
                                  .where(ExampleItem.owner_id == user.id, ExampleItem.done.is_(False)))
        return {"count": count}

    def by_state():
        counts = dict(db.session.execute(select(ExampleItem.done, func.count()).where(ExampleItem.owner_id == user.id)
                                         .group_by(ExampleItem.done)).all())
        return {"chart": DonutChart("My example items", [Slice("Open", counts.get(False, 0), "info"),
                                                         Slice("Done", counts.get(True, 0), "ok")])}

    return [Widget("example.open", "Open example items", "example/_widget.html", open_items, order=50),
            Widget("example.chart", "Example items by state", "example/_chart.html", by_state, order=51)]


@hookimpl
def intranet_reminder_scanners():
    def due_soon(ctx):
        days = ctx.settings["example.reminder_days"]
        limit = ctx.calendar.today(ctx.now) + timedelta(days=days)
        for item in ctx.session.scalars(select(ExampleItem).where(ExampleItem.done.is_(False),
                                                                   ExampleItem.due_on <= limit)):
            yield Reminder(key=f"example.due:{item.id}", user_id=item.owner_id, module="example",
                           message="Example item %(title)s is due on %(due)s",
                           params={"title": item.title, "due": item.due_on.isoformat()},
                           url=ctx.url_for("example.items"))

    return [ReminderScanner("example.due", "Example items due soon", due_soon)]


@hookimpl
def intranet_search(query, user, limit):
    rows = db.session.scalars(select(ExampleItem).where(ExampleItem.title.contains(query)).limit(limit))
    return [SearchResult(title=row.title, url=url_for("example.items"), kind="Example") for row in rows]


@hookimpl
def intranet_demo_data(session, company):
    owner = company.users["zhangwei"]
    for number in range(3):
        session.add(ExampleItem(title=f"示例事项 {number + 1}", owner_id=owner.id,
                                department_id=owner.department_id,
                                due_on=(company.now + timedelta(days=number)).date()))


def _load(session, ids):
    numeric = [int(i) for i in ids if str(i).isdigit()]
    return {str(item.id): item for item in session.scalars(select(ExampleItem).where(ExampleItem.id.in_(numeric)))}


def _approved(session, item, approval):
    item.done = True


@hookimpl
def intranet_approval_types():
    return [ApprovalType(
        key="example.item", title="Example item", fields=(PolicyField("title", "Title", "text"),),
        default_policy=lambda settings: [
            {"conditions": [], "steps": [{"name": "Manager", "approvers": {"kind": "manager"}}]}],
        load=_load, canonical=lambda item: {"title": item.title, "due_on": item.due_on},
        summary_template="example/_summary.html", url=lambda item: url_for("example.items"),
        on_approved=_approved)]


@hookimpl
def intranet_pdf_templates():
    from intranet.pdf import PdfTemplate, PrintableDocument, label

    return [PdfTemplate(
        key="example.item", title="Example item", load=_load,
        find=lambda session, number: session.scalar(select(ExampleItem).where(ExampleItem.title == number)),
        can_view=lambda user, item: item.owner_id == user.id,
        build=lambda item: PrintableDocument("Example item", "示例事项", f"EX-{item.id}",
                                             [(label("Title"), item.title), ("Due 到期", item.due_on.isoformat())]),
        content=lambda item: {"title": item.title, "due_on": item.due_on.isoformat()})]


@click.command("example-hello")
def hello():
    """Say hello (proves intranet_cli_commands)."""
    click.echo(f"hello from example, {db.session.scalar(select(func.count()).select_from(ExampleItem))} items")


@hookimpl
def intranet_cli_commands():
    return [hello]
