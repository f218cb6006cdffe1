"""The budget's documents as declared types: annual budget, variance explanation and
adjustment request, with their numbers, statuses, approvals and printed forms."""
from __future__ import annotations

from intranet import lazy_gettext as _l
from intranet.approvals import PolicyField
from intranet.documents import (APPROVAL_STATUSES, Approval, DocumentType, Field, LineTableSpec, NumberSeries,
                                PrintForm, Scope, Status, StatusSet)
from intranet.reference import COST_CATEGORIES

from . import policies, services
from .models import BudgetAdjustment, BudgetPlan, BudgetVariance

VIEW_ALL = "budget.view_all"
MANAGE = "budget.manage"
WARNINGS = "budget.warnings"

DRAFT, PENDING, APPROVED, REJECTED, RETURNED, WITHDRAWN = (APPROVAL_STATUSES[k] for k in (
    "draft", "pending", "approved", "rejected", "returned", "withdrawn"))

#: A budget goes from its department to finance (consolidating), then to approval, then
#: finance publishes it; a returned or rejected one goes back through finance.
PLAN_STATUSES = StatusSet(
    (DRAFT, Status("consolidating", _l("With finance"), "info"), PENDING, APPROVED,
     Status("published", _l("Published"), "ok"), REJECTED, RETURNED, WITHDRAWN),
    {"draft": ("consolidating",), "consolidating": ("pending", "returned"),
     "pending": ("approved", "rejected", "returned", "withdrawn"), "approved": ("published",),
     "returned": ("consolidating", "withdrawn"), "rejected": ("consolidating",), "withdrawn": ("consolidating",)})

CATEGORIES = dict(COST_CATEGORIES)

AMOUNT_FIELDS = (PolicyField("amount", _l("Amount"), "money"), PolicyField("department", _l("Department"),
                                                                           "department"))

LINE_FIELDS = (Field("category", format="choice", choices=CATEGORIES),
               Field("submitted_amount", _l("Submitted figure"), "money"),
               Field("amount", _l("Budget"), "money"), Field("adjust_reason", _l("Reason for the change")),
               Field("justification", _l("Justification")))

BUDGET_PLAN = DocumentType(
    model=BudgetPlan, title=_l("Annual budget"), endpoint="budget.plan", edit_endpoint="budget.edit_plan",
    numbering=NumberSeries(prefix="BG"), statuses=PLAN_STATUSES, lines=("lines",),
    unsigned=("published_at",),
    scope=Scope(widen=VIEW_ALL, approvers=BudgetPlan.__document_type__),
    approval=Approval(fields=AMOUNT_FIELDS, default_policy=policies.by_total, values=services.plan_values,
                      summary=(Field("year", _l("Year")), Field("total", format="money"))),
    printing=PrintForm(title_zh="年度预算表", fields=(
        Field("year", _l("Year")), Field("department_id", format="department"), Field("requester", format="person"),
        Field("submitted_total", _l("Submitted total"), "money"), Field("total", format="money"),
        Field("status", format="status")),
        tables=(LineTableSpec("lines", _l("Budget lines"), LINE_FIELDS, widths=(0.14, 0.16, 0.16, 0.24, 0.30)),)))

VARIANCE = DocumentType(
    model=BudgetVariance, title=_l("Variance explanation"), endpoint="budget.variance",
    edit_endpoint="budget.edit_variance", numbering=NumberSeries(prefix="BV"),
    scope=Scope(widen=VIEW_ALL, approvers=BudgetVariance.__document_type__),
    approval=Approval(fields=(*AMOUNT_FIELDS, PolicyField("controllable", _l("Controllable"), "bool")),
                      default_policy=policies.variance, values=services.variance_values,
                      summary=(Field("title"), Field("overrun", _l("Overrun"), "money"))),
    printing=PrintForm(title_zh="预算差异说明", fields=(
        Field("department_id", format="department"), Field("year", _l("Year")), Field("month", _l("Month")),
        Field("category", format="choice", choices=CATEGORIES), Field("budget", _l("Budget"), "money"),
        Field("actual", _l("Actual"), "money"), Field("overrun", _l("Overrun"), "money"),
        Field("controllable", _l("Controllable"), "bool"), Field("requester", format="person"),
        Field("status", format="status")), text=("cause", "remedy")))

ADJUSTMENT = DocumentType(
    model=BudgetAdjustment, title=_l("Budget adjustment"), endpoint="budget.adjustment",
    edit_endpoint="budget.edit_adjustment", numbering=NumberSeries(prefix="BA"),
    scope=Scope(widen=VIEW_ALL, approvers=BudgetAdjustment.__document_type__),
    approval=Approval(fields=AMOUNT_FIELDS, default_policy=policies.by_total, values=services.adjustment_values,
                      summary=(Field("title"), Field("amount", format="money")),
                      after={"approved": services.apply_adjustment}),
    printing=PrintForm(title_zh="预算调剂申请表", fields=(
        Field("year", _l("Year")), Field("month", _l("From month")),
        Field("from_department_id", _l("From department"), "department"),
        Field("from_category", _l("From category"), "choice", choices=CATEGORIES),
        Field("to_department_id", _l("To department"), "department"),
        Field("to_category", _l("To category"), "choice", choices=CATEGORIES), Field("amount", format="money"),
        Field("requester", format="person"), Field("status", format="status")), text=("reason",)))

TYPES = [BUDGET_PLAN, VARIANCE, ADJUSTMENT]
