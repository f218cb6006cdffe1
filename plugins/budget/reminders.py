"""The budget's deadlines and warnings, run by the core reminder job: publication by
30 November, the month's close by the 25th, the execution report within 3 working days,
the labour-cost warning and overruns that lack their variance explanation."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from intranet import N_
from intranet import lazy_gettext as _l
from intranet.auth import holders
from intranet.notify import Reminder, ReminderScanner
from intranet.org import Department

from . import report as reports
from .documents import MANAGE, WARNINGS
from .models import BudgetPeriod, BudgetPlan
from .services import EFFECTIVE


def _finance(ctx) -> list[int]:
    return holders(ctx.session, MANAGE)


def _heads(ctx) -> dict[int, int]:
    return {d.id: d.head_id for d in ctx.session.scalars(select(Department).where(Department.head_id.is_not(None)))}


def _in_use(ctx) -> bool:
    """Whether the company budgets at all: a company that never filed a budget is not reminded."""
    return ctx.session.scalar(select(BudgetPlan.id).limit(1)) is not None


def _previous_month(today: date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def publication(ctx):
    """Before the publication date: departments without an approved budget for next year,
    and finance for each budget not yet published."""
    if not _in_use(ctx):
        return
    today = ctx.calendar.today(ctx.now)
    month, day = (int(p) for p in ctx.settings["budget.publish_by"].split("-"))
    deadline = date(today.year, month, min(day, 28 if month == 2 else day))
    if not deadline - timedelta(days=ctx.settings["budget.publish_remind_days"]) <= today <= deadline:
        return
    year = today.year + 1
    plans = {p.department_id: p for p in ctx.session.scalars(select(BudgetPlan).where(BudgetPlan.year == year))}
    url = ctx.url_for("budget.plans", year=year)
    for department_id, head_id in _heads(ctx).items():
        plan = plans.get(department_id)
        if plan is None or plan.status not in (*EFFECTIVE, "pending", "consolidating"):
            yield Reminder(key=f"budget.publish:{year}:{department_id}", user_id=head_id, module="budget",
                           message=N_("The budget for %(year)s is due for publication by %(date)s: send yours."),
                           params={"year": year, "date": deadline.isoformat()}, url=url)
    waiting = [p for p in plans.values() if p.status in ("consolidating", "approved")]
    for user_id in _finance(ctx) if waiting else ():
        yield Reminder(key=f"budget.publish-finance:{year}:{today.isoformat()}", user_id=user_id, module="budget",
                       message=N_("%(count)s budgets for %(year)s wait for consolidation or publication by %(date)s."),
                       params={"count": len(waiting), "year": year, "date": deadline.isoformat()}, url=url)


def month_close(ctx):
    """From a few days before the closing day, until finance closes the month."""
    if not _in_use(ctx):
        return
    today = ctx.calendar.today(ctx.now)
    close_day = ctx.settings["budget.close_day"]
    if today.day < close_day - ctx.settings["budget.close_remind_days"]:
        return
    found = ctx.session.scalar(select(BudgetPeriod).where(BudgetPeriod.year == today.year,
                                                          BudgetPeriod.month == today.month))
    if found is not None and found.closed:
        return
    overdue = today.day > close_day
    for user_id in _finance(ctx):
        yield Reminder(key=f"budget.close:{today.year}-{today.month:02d}:{'late' if overdue else 'due'}",
                       user_id=user_id, module="budget",
                       message=(N_("The costs of %(period)s were due to be closed on day %(day)s.") if overdue else
                                N_("Close the costs of %(period)s by day %(day)s.")),
                       params={"period": f"{today.year}-{today.month:02d}", "day": close_day},
                       url=ctx.url_for("budget.months", year=today.year))


def execution_report(ctx):
    """The last month's execution report, due within a few working days of the month's start."""
    if not _in_use(ctx):
        return
    today = ctx.calendar.today(ctx.now)
    year, month = _previous_month(today)
    found = ctx.session.scalar(select(BudgetPeriod).where(BudgetPeriod.year == year, BudgetPeriod.month == month))
    if found is not None and found.report_issued_at is not None:
        return
    due = ctx.calendar.add_working_days(today.replace(day=1) - timedelta(days=1),
                                        ctx.settings["budget.report_working_days"])
    for user_id in _finance(ctx):
        yield Reminder(key=f"budget.report:{year}-{month:02d}:{'late' if today > due else 'due'}", user_id=user_id,
                       module="budget", message=N_("Issue the execution report of %(period)s by %(date)s."),
                       params={"period": f"{year}-{month:02d}", "date": due.isoformat()},
                       url=ctx.url_for("budget.execution", month=f"{year}-{month:02d}"))


def labour_share(ctx):
    """A department over its labour-cost line for months in a row: its head and the finance manager."""
    if not _in_use(ctx):
        return
    today = ctx.calendar.today(ctx.now)
    year, month = _previous_month(today)
    found = reports.labour_share_warnings(ctx.session, year, month, margin=ctx.settings["budget.labour_share_margin"],
                                          months=ctx.settings["budget.labour_share_months"])
    if not found:
        return
    heads, finance = _heads(ctx), holders(ctx.session, WARNINGS)
    names = {d.id: d.name for d in ctx.session.scalars(select(Department).where(Department.id.in_(list(found))))}
    for department_id, months in found.items():
        share, planned = months[-1][2], months[-1][3]
        for user_id in {heads.get(department_id), *finance} - {None}:
            yield Reminder(key=f"budget.labour:{department_id}:{year}-{month:02d}", user_id=user_id, module="budget",
                           message=N_("Labour costs of %(department)s are %(share)s of its costs against %(planned)s "
                                      "budgeted, %(months)s months in a row."),
                           params={"department": names.get(department_id, ""), "share": f"{share:.1%}",
                                   "planned": f"{planned:.1%}", "months": len(months)},
                           url=ctx.url_for("budget.execution", month=f"{year}-{month:02d}",
                                           department=department_id))


def unexplained(ctx):
    """Last month's overruns without a variance explanation: the department's head."""
    if not _in_use(ctx):
        return
    today = ctx.calendar.today(ctx.now)
    year, month = _previous_month(today)
    heads = _heads(ctx)
    for line in reports.execution_report(ctx.session, year, month).overruns:
        if line.explained or heads.get(line.department_id) is None:
            continue
        yield Reminder(key=f"budget.variance:{line.department_id}:{line.category}:{year}-{month:02d}",
                       user_id=heads[line.department_id], module="budget",
                       message=N_("A budget line overran in %(period)s: write its variance explanation."),
                       params={"period": f"{year}-{month:02d}"},
                       url=ctx.url_for("budget.new_variance", month=f"{year}-{month:02d}", category=line.category))


SCANNERS = [
    ReminderScanner("budget.publication", _l("Budgets due for publication"), publication),
    ReminderScanner("budget.month_close", _l("Monthly cost close"), month_close),
    ReminderScanner("budget.execution_report", _l("Monthly execution report"), execution_report),
    ReminderScanner("budget.labour_share", _l("Labour-cost warning"), labour_share),
    ReminderScanner("budget.variance", _l("Overruns without a variance explanation"), unexplained),
]
