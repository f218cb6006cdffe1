"""预算与成本 Budget and cost control: annual budgets by department and cost category,
monthly actuals and their close, commitments from other modules, the execution report,
variance explanations, adjustments and the labour-cost warning."""
from __future__ import annotations

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import url_of
from intranet.web import settings as current_settings

from . import demo, hookspecs, reminders, services
from .documents import BUDGET_PLAN, MANAGE, TYPES, VIEW_ALL, WARNINGS
from .models import MODELS
from .settings import SETTINGS
from .views import PLANS, bp, dashboard, remaining_now

FINANCE = ("finance_manager", "chief_accountant", "accountant", "sysadmin")


@hookimpl
def intranet_module():
    return ModuleInfo(key="budget", title=_l("Budget"), version="1.0", icon="briefcase",
                      description=_l("Annual budgets, actual costs, commitments and the monthly execution report"))


@hookimpl
def intranet_models():
    return MODELS


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def budget_remaining(department_id, category, on):
    return remaining_now(department_id, category, on)


@hookimpl
def intranet_document_types():
    return TYPES


@hookimpl
def intranet_document_event(event):
    services.on_document_event(event, current_settings())


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission(MANAGE, _l("Consolidate budgets, enter and import actual costs, close months"),
                       default_roles=FINANCE),
            Permission(VIEW_ALL, _l("See every department's budget and costs"),
                       default_roles=(*FINANCE, "general_manager", "ceo", "vp")),
            Permission(WARNINGS, _l("Receive every department's cost warnings"),
                       default_roles=("finance_manager",))]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("Budget"), "budget.plans", icon="briefcase", order=40)]


@hookimpl
def intranet_dashboard_widgets(user):
    return [Widget("budget.execution", _l("Budget against actual"), "budget/_widget.html",
                   lambda: dashboard(user), order=40)]


@hookimpl
def intranet_reminder_scanners():
    return reminders.SCANNERS


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{d.number} {d.title}", url=url_of(BUDGET_PLAN, d), kind=_l("Annual budget"))
            for d in PLANS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)
