"""The monthly execution report 预算执行报告 and the labour-cost warning, without Flask.

Everything is read from the budget lines, the monthly actual totals and the commitments
(a few thousand rows for a company of fifty departments), never from the actual entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from .models import MONTHS, BudgetActualTotal, BudgetCommitment, BudgetLine, BudgetPlan
from .services import EFFECTIVE, ZERO, explained

LABOUR = "labour"


@dataclass
class ReportLine:
    """One department's cost category in the report (through ``month``)."""

    department_id: int
    category: str
    budget: Decimal = ZERO          # the whole year
    budget_month: Decimal = ZERO
    budget_to_date: Decimal = ZERO
    actual_month: Decimal = ZERO
    actual_to_date: Decimal = ZERO
    committed: Decimal = ZERO
    forecast: Decimal = ZERO
    explained: bool = False
    likely_overrun: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.actual_to_date

    @property
    def variance_month(self) -> Decimal:
        return self.actual_month - self.budget_month

    @property
    def over_month(self) -> bool:
        return self.actual_month > self.budget_month

    @property
    def used(self) -> float | None:
        """Actual to date as a share of the budget to date (0.25 reads 25%)."""
        return float(self.actual_to_date / self.budget_to_date) if self.budget_to_date else None


@dataclass
class Report:
    year: int
    month: int
    lines: list[ReportLine]
    #: per month of the year: budget, committed, actual (all lines together)
    budget_by_month: list[Decimal] = field(default_factory=list)
    committed_by_month: list[Decimal] = field(default_factory=list)
    actual_by_month: list[Decimal] = field(default_factory=list)
    #: category -> (share of actual this month, share the month before)
    shares: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def total(self, name: str) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def overruns(self) -> list[ReportLine]:
        return [line for line in self.lines if line.over_month]

    @property
    def likely_overruns(self) -> list[ReportLine]:
        return [line for line in self.lines if line.likely_overrun]


@dataclass
class _Line:
    department_id: int
    category: str
    budget: Decimal
    months: list[Decimal]


def _budget_lines(session: Session, year: int, departments: list[int] | None) -> list[_Line]:
    """The year's counted budget lines, read as plain rows (a report reads hundreds)."""
    query = (select(BudgetLine.department_id, BudgetLine.category, BudgetLine.amount, BudgetLine.adjustment,
                    BudgetLine.phasing).join(BudgetPlan, BudgetPlan.id == BudgetLine.plan_id)
             .where(BudgetLine.year == year, BudgetPlan.status.in_(EFFECTIVE)))
    if departments is not None:
        query = query.where(BudgetLine.department_id.in_(departments))
    found = []
    for department_id, category, amount, adjustment, phasing in session.execute(
            query.order_by(BudgetLine.department_id, BudgetLine.position)):
        budget = amount + adjustment
        months = [Decimal(p) for p in phasing] if len(phasing) == MONTHS else [budget / MONTHS] * MONTHS
        found.append(_Line(department_id, category, budget, months))
    return found


def _totals(session: Session, year: int, departments: list[int] | None):
    query = select(BudgetActualTotal.department_id, BudgetActualTotal.category, BudgetActualTotal.month,
                   BudgetActualTotal.amount).where(BudgetActualTotal.year == year)
    if departments is not None:
        query = query.where(BudgetActualTotal.department_id.in_(departments))
    return session.execute(query)


def execution_report(session: Session, year: int, month: int, *, departments: list[int] | None = None,
                     overrun_margin: Decimal = ZERO) -> Report:
    """Actual against budget through ``month`` of ``year``, by department and category;
    ``departments`` limits it (None: every department)."""
    lines: dict[tuple[int, str], ReportLine] = {}
    budget_by_month = [ZERO] * MONTHS
    for line in _budget_lines(session, year, departments):
        row = lines[(line.department_id, line.category)] = ReportLine(line.department_id, line.category)
        months = line.months
        row.budget, row.budget_month = line.budget, months[month - 1]
        row.budget_to_date = sum(months[:month], ZERO)
        budget_by_month = [a + b for a, b in zip(budget_by_month, months)]
    # The database adds up: 12 months, a row per line, a row per category of two months.
    total = BudgetActualTotal
    scope = [total.year == year] + ([total.department_id.in_(departments)] if departments is not None else [])
    actual_by_month = [ZERO] * MONTHS
    for m, amount in session.execute(select(total.month, func.sum(total.amount)).where(*scope)
                                     .group_by(total.month)):
        actual_by_month[m - 1] = _decimal(amount)
    by_category: dict[int, dict[str, Decimal]] = {month: {}, month - 1: {}}
    for category, m, amount in session.execute(
            select(total.category, total.month, func.sum(total.amount))
            .where(*scope, total.month.in_((month, month - 1))).group_by(total.category, total.month)):
        by_category[m][category] = _decimal(amount)
    this_month = func.sum(case((total.month == month, total.amount), else_=0))
    for department_id, category, to_date, in_month in session.execute(
            select(total.department_id, total.category, func.sum(total.amount), this_month)
            .where(*scope, total.month <= month).group_by(total.department_id, total.category)):
        row = lines.get((department_id, category))
        if row is None:  # costs without a budget line still show, against a budget of 0
            row = lines[(department_id, category)] = ReportLine(department_id, category)
        row.actual_to_date, row.actual_month = _decimal(to_date), _decimal(in_month)
    committed_by_month = [ZERO] * MONTHS
    query = select(BudgetCommitment.department_id, BudgetCommitment.category, BudgetCommitment.month,
                   func.sum(BudgetCommitment.amount - BudgetCommitment.released)).where(
        BudgetCommitment.year == year, BudgetCommitment.open.is_(True)).group_by(
        BudgetCommitment.department_id, BudgetCommitment.category, BudgetCommitment.month)
    if departments is not None:
        query = query.where(BudgetCommitment.department_id.in_(departments))
    for department_id, category, m, amount in session.execute(query):
        amount = _decimal(amount)
        committed_by_month[m - 1] += amount
        row = lines.get((department_id, category)) or lines.setdefault(
            (department_id, category), ReportLine(department_id, category))
        row.committed += amount
    done = explained(session, year, month)
    margin = 1 + overrun_margin / 100
    for row in lines.values():
        row.forecast = (row.actual_to_date / month * MONTHS).quantize(Decimal("0.01"))
        row.likely_overrun = row.forecast + row.committed > row.budget * margin
        row.explained = (row.department_id, row.category, month) in done
    return Report(year, month, sorted(lines.values(), key=lambda r: (r.department_id, r.category)),
                  budget_by_month, committed_by_month, actual_by_month,
                  _shares(by_category.get(month, {}), by_category.get(month - 1, {})))


def _decimal(value) -> Decimal:
    """A sum as Decimal (SQLite's SUM of a numeric column may come back as a float or an int)."""
    return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else ZERO


def _shares(now: dict[str, Decimal], before: dict[str, Decimal]) -> dict[str, tuple]:
    total_now, total_before = sum(now.values(), ZERO), sum(before.values(), ZERO)
    return {category: (float(now.get(category, ZERO) / total_now) if total_now else None,
                       float(before.get(category, ZERO) / total_before) if total_before else None)
            for category in sorted(set(now) | set(before))}


def _previous(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """``count`` months ending with (year, month), oldest first."""
    found = []
    for _ in range(count):
        found.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, MONTHS)
    return found[::-1]


def labour_share_warnings(session: Session, year: int, month: int, *, margin: Decimal, months: int,
                          departments: list[int] | None = None) -> dict[int, list[tuple[int, int, float, float]]]:
    """Departments whose labour-cost share of actual costs exceeded its budgeted share by more
    than ``margin`` percentage points in each of the ``months`` months ending with ``month``.

    Returns department -> [(year, month, actual share, budgeted share)] for each such month.
    """
    periods = _previous(year, month, months)
    budgets: dict[tuple[int, int, int], list[Decimal]] = {}  # (department, year, month) -> [labour, all]
    for y in sorted({p[0] for p in periods}):
        for line in _budget_lines(session, y, departments):
            for m in (p[1] for p in periods if p[0] == y):
                pair = budgets.setdefault((line.department_id, y, m), [ZERO, ZERO])
                value = line.months[m - 1]
                pair[1] += value
                if line.category == LABOUR:
                    pair[0] += value
    actuals: dict[tuple[int, int, int], list[Decimal]] = {}
    for y in sorted({p[0] for p in periods}):
        for department_id, category, m, amount in _totals(session, y, departments):
            if (y, m) not in periods:
                continue
            pair = actuals.setdefault((department_id, y, m), [ZERO, ZERO])
            pair[1] += Decimal(amount)
            if category == LABOUR:
                pair[0] += Decimal(amount)
    found: dict[int, list] = {}
    for department_id in sorted({key[0] for key in actuals}):
        rows = []
        for y, m in periods:
            labour, total = actuals.get((department_id, y, m), [ZERO, ZERO])
            planned, planned_total = budgets.get((department_id, y, m), [ZERO, ZERO])
            if not total or not planned_total:
                break
            share, planned_share = labour / total, planned / planned_total
            if (share - planned_share) * 100 <= margin:
                break
            rows.append((y, m, float(share), float(planned_share)))
        if len(rows) == len(periods):
            found[department_id] = rows
    return found
