"""客户关系 CRM: customers and their approved terms, contacts, the shared pool 公海, quotations
报价单, customer requests 客户需求登记表 and ABC/RFM segments."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import has_request_context, url_for
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import selectinload

from intranet import N_, MenuItem, ModuleInfo, SearchResult, Widget, ask, db, hookimpl, utcnow
from intranet import lazy_gettext as _l
from intranet.auth import Permission, RoleSpec
from intranet.notify import Reminder, ReminderScanner
from intranet.org import Department
from intranet import web

from . import demo, hookspecs, services
from .documents import MARKET_MANAGER, SALES_MANAGER, TYPES
from .models import MODELS, Customer, CustomerRequest, SalesQuotation
from .scopes import MANAGE, USE, VIEW_ALL
from .settings import SETTINGS
from .views import CUSTOMERS, bp, segment_charts, segment_counts


@hookimpl
def intranet_module():
    return ModuleInfo(key="crm", title=_l("Customers"), version="1.0", icon="users",
                      description=_l("Customers, contacts, quotations, customer requests and segments"))


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
def crm_customer(customer_id):
    customer = db.session.get(Customer, customer_id) if isinstance(customer_id, int) else None
    if customer is None:
        return None
    return {"id": customer.id, "number": customer.number, "name": customer.name,
            "terms_approved": customer.terms_approved, "discount": customer.discount,
            "payment_terms": customer.payment_terms, "owner_id": customer.owner_id,
            # demo data and the reminder job ask outside a request: no page to link then
            "url": url_for("crm.customer", document_id=customer.id) if has_request_context() else ""}


@hookimpl
def crm_log_contact(customer_id, channel, person_id, result, at):
    customer = db.session.get(Customer, customer_id)
    if customer is not None:
        services.log_contact(db.session, customer, channel=channel, person_id=person_id, result=result, at=at)


@hookimpl
def crm_quotation(quotation_id):
    quotation = db.session.get(SalesQuotation, quotation_id)
    return services.quotation_summary(quotation) if quotation is not None else None


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_roles():
    return [RoleSpec(MARKET_MANAGER, N_("Market manager")), RoleSpec(SALES_MANAGER, N_("Sales manager"))]


@hookimpl
def intranet_permissions():
    return [
        Permission(USE, _l("Work with customers, quotations and customer requests"),
                   default_roles=("sales", "sales_assistant", SALES_MANAGER, MARKET_MANAGER, "sysadmin")),
        Permission(VIEW_ALL, _l("See every customer and its contact details (sales management)"),
                   default_roles=(SALES_MANAGER, "general_manager", "sysadmin")),
        Permission(MANAGE, _l("Reassign customers, refresh segments, clean up stale records"),
                   default_roles=(SALES_MANAGER, "sysadmin")),
    ]


@hookimpl
def intranet_settings():
    return SETTINGS


#: The menu badge: the signed-in person's customer requests still to answer.
OPEN_REQUESTS = select(CustomerRequest.id).where(CustomerRequest.requester_id == bindparam("user_id"),
                                                 CustomerRequest.status.in_(("open", "answered")))


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("Customers"), "crm.customers", icon="briefcase", order=30),
             MenuItem(_l("Quotations"), "crm.quotations", icon="file", order=31),
             MenuItem(_l("Customer requests"), "crm.requests", icon="inbox", order=32, badge=OPEN_REQUESTS),
             MenuItem(_l("Segments"), "crm.segments", icon="grid", order=33)]
    if user.can(MANAGE):
        items.append(MenuItem(_l("Clean-up list"), "crm.cleanup", icon="list", order=34))
    return items


def _today_for(user) -> dict:
    """The widget: requests due, customers about to go back to the pool, and the segments."""
    now = utcnow()
    due = db.session.scalars(select(CustomerRequest).where(
        CustomerRequest.requester_id == user.id, CustomerRequest.status == "open")
        .options(selectinload(CustomerRequest.customer))
        .order_by(CustomerRequest.due_at).limit(5)).all()
    config = web.settings()
    quiet_since = now - timedelta(days=config["crm.pool_days"] - config["crm.pool_warning_days"])
    quiet = db.session.scalar(select(func.count()).select_from(Customer).where(
        Customer.owner_id == user.id, func.coalesce(Customer.last_contact_at, Customer.created_at) <= quiet_since))
    _abc, tiers = segment_charts(segment_counts())
    return {"due": due, "quiet": quiet, "now": now, "chart": tiers}


@hookimpl
def intranet_dashboard_widgets(user):
    if not user.can(USE) and not user.can(VIEW_ALL):
        return []
    return [Widget("crm.today", _l("Customers today"), "crm/_widget.html", lambda: _today_for(user), order=30)]


def _pool_scan(ctx):
    """Warn the owner before a quiet customer goes back to the shared pool; then release it."""
    days = ctx.settings["crm.pool_days"]
    for customer in services.quiet_customers(ctx.session, ctx.now, ctx.settings):
        since = customer.last_contact_at
        deadline = services.pool_deadline(customer, days)
        stamp = (since or customer.created_at).isoformat()
        url = ctx.url_for("crm.customer", document_id=customer.id)
        if deadline > ctx.now:
            yield Reminder(key=f"crm.pool_warning:{customer.id}:{customer.owner_id}:{stamp}",
                           user_id=customer.owner_id, module="crm", url=url,
                           message=N_("No contact with %(name)s for a long time: it goes back to the shared pool "
                                      "on %(date)s unless you contact it."),
                           params={"name": customer.name, "date": ctx.calendar.today(deadline).isoformat()})
        else:
            yield Reminder(key=f"crm.pool:{customer.id}:{customer.owner_id}:{stamp}", user_id=customer.owner_id,
                           module="crm", url=url,
                           message=N_("%(name)s went back to the shared pool: no contact for %(days)s days."),
                           params={"name": customer.name, "days": days},
                           on_first_delivery=lambda session, cid=customer.id, since=since:
                           services.release_to_pool(session, cid, since))


def _request_scan(ctx):
    """Responses due soon (the registrar), overdue (escalated to the responsible department's
    head, once), and satisfaction callbacks due (the registrar)."""
    warn = timedelta(hours=ctx.settings["crm.response_warning_hours"])
    open_requests = ctx.session.scalars(select(CustomerRequest).where(
        CustomerRequest.status == "open", CustomerRequest.due_at <= ctx.now + warn)
        .options(selectinload(CustomerRequest.customer)).order_by(CustomerRequest.id).limit(5000)).all()
    heads = dict(ctx.session.execute(select(Department.id, Department.head_id).where(
        Department.id.in_({r.responsible_department_id for r in open_requests}))).all()) if open_requests else {}
    for request in open_requests:
        url = ctx.url_for("crm.request", document_id=request.id)
        params = {"number": request.number, "name": request.customer.name,
                  "due": ctx.calendar.local(request.due_at).strftime("%Y-%m-%d %H:%M")}
        yield Reminder(key=f"crm.request_due:{request.id}", user_id=request.requester_id, module="crm", url=url,
                       message=N_("Customer request %(number)s (%(name)s) must be answered by %(due)s."),
                       params=params)
        head = heads.get(request.responsible_department_id)
        if request.due_at < ctx.now and head:
            yield Reminder(key=f"crm.request_overdue:{request.id}", user_id=head, module="crm", url=url,
                           message=N_("Overdue: customer request %(number)s (%(name)s) was due by %(due)s and is "
                                      "not answered."), params=params,
                           on_first_delivery=lambda session, rid=request.id, now=ctx.now:
                           _mark_escalated(session, rid, now))
    today = ctx.calendar.today(ctx.now)
    for request in ctx.session.scalars(select(CustomerRequest).where(
            CustomerRequest.status == "answered", CustomerRequest.callback_due <= today)
            .options(selectinload(CustomerRequest.customer)).order_by(CustomerRequest.id).limit(5000)):
        yield Reminder(key=f"crm.callback:{request.id}", user_id=request.requester_id, module="crm",
                       url=ctx.url_for("crm.request", document_id=request.id),
                       message=N_("Call %(name)s back about request %(number)s and ask for a 1-5 score by %(due)s."),
                       params={"name": request.customer.name, "number": request.number,
                               "due": request.callback_due.isoformat()})


def _mark_escalated(session, request_id, now):
    request = session.get(CustomerRequest, request_id)
    if request is not None and request.escalated_at is None:
        request.escalated_at = now


@hookimpl
def intranet_reminder_scanners():
    return [ReminderScanner("crm.pool", _l("Customers going back to the shared pool"), _pool_scan),
            ReminderScanner("crm.requests", _l("Customer requests to answer and call back"), _request_scan)]


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{c.number} {c.name}", url=url_for("crm.customer", document_id=c.id),
                         kind=_l("Customers"), snippet=c.industry) for c in CUSTOMERS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)


@click.group("crm")
def crm_group():
    """Customer relations (CRM)."""


@crm_group.command("segments")
def segments_command():
    """Refresh every customer's ABC class and RFM tier from the orders (run nightly)."""
    now = utcnow()
    available, count = services.refresh_segments(db.session, lambda since: ask("sales_customer_orders", since=since),
                                                 web.calendar().today(now), now, web.settings())
    db.session.commit()
    click.echo(f"{count} customers with orders segmented" if available else "sales is off: nothing segmented")


@hookimpl
def intranet_cli_commands():
    return [crm_group]
