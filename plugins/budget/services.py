"""The rules of budget and cost control 预算与成本, without Flask.

Amounts are Decimal. A budget line counts once its plan is approved (or published);
``remaining = budget - committed - actual`` for a department, category and year, where
``committed`` is what approved documents of other modules reserved and have not yet
spent or released (see :func:`on_document_event`).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from intranet import N_, Conflict, Forbidden, Invalid, force_locale, utcnow
from intranet.documents import DocumentService
from intranet.reference import cost_category_label

from .models import (MONTHS, BudgetActual, BudgetActualTotal, BudgetAdjustment, BudgetCommitment, BudgetLine,
                     BudgetPeriod, BudgetPlan, BudgetVariance)

#: Plan statuses whose lines count as budget.
EFFECTIVE = ("approved", "published")
MAX_AMOUNT = Decimal("1e12")
CENT = Decimal("0.01")
ZERO = Decimal(0)


# -- plans --------------------------------------------------------------------------------
@dataclass
class LineData:
    category: str
    amount: Decimal
    justification: str = ""
    phasing: str = ""


def spread(amount: Decimal, weights: list[Decimal] | None = None) -> list[str]:
    """``amount`` over twelve months by ``weights`` (evenly without), to the cent; the
    cents rounding leaves over go to December, so the months add up exactly."""
    weights = weights or [Decimal(1)] * MONTHS
    whole = sum(weights)
    parts = [(amount * w / whole).quantize(CENT, rounding=ROUND_DOWN) if whole else ZERO for w in weights]
    parts[-1] += amount - sum(parts)
    return [str(p) for p in parts]


def parse_phasing(text: str, amount: Decimal) -> list[str]:
    """A line's monthly phasing: empty for even months, or twelve numbers (amounts or
    weights) separated by commas or spaces, scaled to the line's amount."""
    text = (text or "").replace("，", ",").strip()
    if not text:
        return spread(amount)
    try:
        weights = [Decimal(part) for part in text.replace(",", " ").split()]
    except InvalidOperation:
        raise Invalid(N_("Enter twelve numbers, one per month, or leave it empty."), field="phasing") from None
    if len(weights) != MONTHS or any(not w.is_finite() or w < 0 for w in weights) or not sum(weights):
        raise Invalid(N_("Enter twelve numbers, one per month, or leave it empty."), field="phasing")
    return spread(amount, weights)


def _check_lines(lines: list[LineData], categories: Iterable[str]) -> None:
    known, seen = set(categories), set()
    if not lines:
        raise Invalid(N_("Add at least one budget line."), field="lines")
    for line in lines:
        if line.category not in known:
            raise Invalid(N_("Choose a cost category."), field="lines")
        if line.category in seen:
            raise Invalid(N_("Each cost category may have one line only: %(category)s is there twice."),
                          field="lines", category=line.category)
        seen.add(line.category)
        if line.amount is None or not ZERO <= line.amount < MAX_AMOUNT:
            raise Invalid(N_("Enter 0 or more."), field="lines")


def _check_year(session: Session, year: int, department_id: int | None, plan_id: int | None) -> None:
    if not 2000 <= (year or 0) <= 2100:
        raise Invalid(N_("Enter a year such as 2027."), field="year")
    clash = session.scalar(select(BudgetPlan.number).where(
        BudgetPlan.department_id == department_id, BudgetPlan.year == year,
        BudgetPlan.id != (plan_id or 0)).limit(1))
    if clash:
        raise Invalid(N_("The department already has a budget for %(year)s (%(number)s)."), field="year",
                      year=year, number=clash)


def _set_lines(plan: BudgetPlan, lines: list[LineData]) -> None:
    """The plan's lines from the department's figures: the consolidated figure starts as
    the submitted one."""
    rows = []
    for position, data in enumerate(lines):
        rows.append(BudgetLine(position=position, department_id=plan.department_id, year=plan.year,
                               category=data.category, submitted_amount=data.amount, amount=data.amount,
                               justification=(data.justification or "").strip(),
                               phasing=parse_phasing(data.phasing, data.amount)))
    plan.lines = rows
    plan.submitted_total = plan.total = sum((line.amount for line in rows), ZERO)


def create_plan(documents: DocumentService, year: int, lines: list[LineData], requester,
                categories: Iterable[str], title: str = "") -> BudgetPlan:
    """A department's draft budget for ``year`` (编制)."""
    _check_year(documents.session, year, requester.department_id, None)
    _check_lines(lines, categories)
    plan = BudgetPlan(year=year, department_id=requester.department_id, title=(title or "").strip()[:200])
    documents.create(plan, requester)
    if not plan.title:
        plan.title = str(year)
    # Lines carry the department and year for their uniqueness; written once the plan is.
    documents.session.flush()
    _set_lines(plan, lines)
    documents.session.flush()
    return plan


def update_plan(documents: DocumentService, plan: BudgetPlan, year: int, lines: list[LineData], actor_id: int,
                categories: Iterable[str], title: str = "") -> BudgetPlan:
    documents.check_editable(plan, actor_id)
    _check_year(documents.session, year, plan.department_id, plan.id)
    _check_lines(lines, categories)
    plan.year, plan.title = year, (title or "").strip()[:200] or str(year)
    plan.lines = []
    documents.session.flush()  # the old lines go before the new ones take their categories
    _set_lines(plan, lines)
    documents.session.flush()
    return plan


def send_to_finance(documents: DocumentService, plan: BudgetPlan, actor_id: int) -> None:
    """The department hands its budget to finance for consolidation (自下而上上报)."""
    if actor_id != plan.requester_id:
        raise Forbidden(N_("Only the requester can submit this document."))
    if not plan.lines:
        raise Invalid(N_("Add at least one budget line."), field="lines")
    documents.move(plan, "consolidating", actor_id=actor_id)
    plan.submitted_at = documents.now


@dataclass
class Consolidation:
    """Finance's figure for one line and why it differs from the submitted one."""

    line_id: int
    amount: Decimal
    reason: str = ""


def consolidate(documents: DocumentService, plan: BudgetPlan, changes: list[Consolidation]) -> BudgetPlan:
    """Finance adjusts the submitted lines (汇总调整); the submitted figure stays beside
    each consolidated one, and a change needs its reason."""
    documents.lock(plan)
    if plan.status != "consolidating":
        raise Conflict(N_("Only a budget that finance is consolidating can be adjusted."))
    lines = {line.id: line for line in plan.lines}
    for change in changes:
        line = lines.get(change.line_id)
        if line is None:
            raise Invalid(N_("This line is not part of the budget."), field="lines")
        if change.amount is None or not ZERO <= change.amount < MAX_AMOUNT:
            raise Invalid(N_("Enter 0 or more."), field=f"amount-{line.id}")
        reason = (change.reason or "").strip()
        if change.amount != line.submitted_amount and not reason:
            raise Invalid(N_("Say why the figure differs from the submitted one."), field=f"reason-{line.id}")
        if change.amount != line.amount:
            weights = [Decimal(p) for p in line.phasing] if any(Decimal(p) for p in line.phasing) else None
            line.phasing = spread(change.amount, weights)
        line.amount, line.adjust_reason = change.amount, reason[:500]
    plan.total = sum((line.amount for line in plan.lines), ZERO)
    documents.session.flush()
    return plan


def forward_for_approval(documents: DocumentService, plan: BudgetPlan, actor_id: int):
    """Finance sends the consolidated budget for approval by its total, in the name of the
    department that filed it (the tiers look at the requester's department)."""
    if plan.status != "consolidating":
        raise Conflict(N_("Only a budget that finance is consolidating can be sent for approval."))
    return documents.submit(plan, plan.requester_id)


def return_to_department(documents: DocumentService, plan: BudgetPlan, actor_id: int) -> None:
    """Finance sends a budget back to its department to rework."""
    documents.move(plan, "returned", actor_id=actor_id)


def publish(documents: DocumentService, plan: BudgetPlan, actor_id: int) -> None:
    """An approved budget is published (下达) to its department."""
    documents.move(plan, "published", actor_id=actor_id)
    plan.published_at = documents.now


def plan_values(plan: BudgetPlan, org) -> dict:
    department = org.get(plan.department_id)
    return {"amount": plan.total, "department": department.code if department else None}


# -- the cost calendar ----------------------------------------------------------------------
def period(session: Session, year: int, month: int, *, create: bool = False) -> BudgetPeriod | None:
    found = session.scalar(select(BudgetPeriod).where(BudgetPeriod.year == year, BudgetPeriod.month == month))
    if found is None and create:
        found = BudgetPeriod(year=year, month=month, closed=False)
        session.add(found)
        session.flush()
    return found


def closed_months(session: Session, year: int) -> set[int]:
    return set(session.scalars(select(BudgetPeriod.month).where(BudgetPeriod.year == year, BudgetPeriod.closed)))


def close_month(session: Session, year: int, month: int, actor_id: int) -> BudgetPeriod:
    """Finance closes a month's costs (月度成本结账): no new actuals after it."""
    _check_month(year, month)
    found = period(session, year, month, create=True)
    session.refresh(found, with_for_update=True)
    if found.closed:
        raise Conflict(N_("%(period)s is already closed."), period=f"{year}-{month:02d}")
    found.closed, found.closed_at, found.closed_by_id = True, utcnow(), actor_id
    session.flush()
    return found


def reopen_month(session: Session, year: int, month: int, actor_id: int) -> BudgetPeriod:
    """Finance reopens a closed month (the audit log keeps who and when)."""
    found = period(session, year, month)
    if found is not None:
        session.refresh(found, with_for_update=True)
    if found is None or not found.closed:
        raise Conflict(N_("%(period)s is not closed."), period=f"{year}-{month:02d}")
    found.closed, found.closed_at, found.closed_by_id = False, None, None
    session.flush()
    return found


def issue_report(session: Session, year: int, month: int, actor_id: int) -> BudgetPeriod:
    """Record that the month's execution report went out."""
    _check_month(year, month)
    found = period(session, year, month, create=True)
    session.refresh(found, with_for_update=True)
    if found.report_issued_at is not None:
        raise Conflict(N_("The report of %(period)s was already issued."), period=f"{year}-{month:02d}")
    found.report_issued_at, found.report_issued_by_id = utcnow(), actor_id
    session.flush()
    return found


def _check_month(year, month) -> None:
    if not (isinstance(year, int) and 2000 <= year <= 2100 and isinstance(month, int) and 1 <= month <= MONTHS):
        raise Invalid(N_("Enter a month such as 2027-03."), field="month")


# -- actuals ------------------------------------------------------------------------------
@dataclass
class ActualData:
    department_id: int | None
    category: str
    year: int
    month: int
    amount: Decimal | None
    description: str = ""


def check_actual(data: ActualData, categories: Iterable[str], departments: Iterable[int], closed: set) -> None:
    """One actual cost's rules; raises :class:`Invalid` naming the field."""
    if data.department_id not in set(departments):
        raise Invalid(N_("Choose a department."), field="department_id")
    if data.category not in set(categories):
        raise Invalid(N_("Choose a cost category."), field="category")
    _check_month(data.year, data.month)
    if (data.year, data.month) in closed:
        raise Invalid(N_("%(period)s is closed: finance must reopen it before costs are added."), field="month",
                      period=f"{data.year}-{data.month:02d}")
    if data.amount is None or not data.amount.is_finite() or not ZERO <= data.amount < MAX_AMOUNT:
        raise Invalid(N_("Enter 0 or more."), field="amount")
    if data.amount != data.amount.quantize(CENT):
        raise Invalid(N_("Enter a number such as 1200 or 1,200.50 (at most 2 decimals)."), field="amount")


def _closed_set(session: Session, years: Iterable[int]) -> set[tuple[int, int]]:
    return {(y, m) for y, m in session.execute(select(BudgetPeriod.year, BudgetPeriod.month).where(
        BudgetPeriod.year.in_(sorted(set(years))), BudgetPeriod.closed))}


def add_actuals(session: Session, rows: list[ActualData], user_id: int, *, categories: Iterable[str],
                departments: Iterable[int], source: str = "entry") -> list[BudgetActual]:
    """Record actual costs: all of them or, when one is wrong, none (the caller rolls back)."""
    categories, departments = tuple(categories), tuple(departments)
    closed = _closed_set(session, {row.year for row in rows if isinstance(row.year, int)})
    for row in rows:
        check_actual(row, categories, departments, closed)
    records = [BudgetActual(department_id=r.department_id, category=r.category, year=r.year, month=r.month,
                            amount=r.amount, description=(r.description or "").strip()[:200], source=source,
                            created_by_id=user_id) for r in rows]
    session.add_all(records)
    sums: dict[tuple, Decimal] = {}
    for r in rows:
        key = (r.department_id, r.category, r.year, r.month)
        sums[key] = sums.get(key, ZERO) + r.amount
    _add_to_totals(session, sums)
    session.flush()
    return records


def _add_to_totals(session: Session, sums: dict[tuple, Decimal]) -> None:
    """Add to the monthly totals, one statement per month touched (an import holds a few)."""
    if not sums:
        return
    keys = list(sums)
    existing = {(t.department_id, t.category, t.year, t.month): t for t in session.scalars(
        select(BudgetActualTotal).where(
            BudgetActualTotal.year.in_({k[2] for k in keys}), BudgetActualTotal.month.in_({k[3] for k in keys}),
            BudgetActualTotal.department_id.in_({k[0] for k in keys})).with_for_update())}
    for key, amount in sums.items():
        total = existing.get(key)
        if total is None:
            session.add(BudgetActualTotal(department_id=key[0], category=key[1], year=key[2], month=key[3],
                                          amount=amount))
        else:
            total.amount += amount


@dataclass
class ImportProblem:
    row: int
    message: str
    params: dict = field(default_factory=dict)


IMPORT_COLUMNS = ("department", "category", "month", "amount", "description")


def read_import(filename: str, content: bytes) -> list[list[str]]:
    """The rows of an uploaded CSV or Excel file, header first, as text."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook  # openpyxl loads only when someone imports a workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same bad input
            raise Invalid(N_("The file is not a readable CSV or Excel (.xlsx) file."), field="file") from None
        sheet = book.worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = content.decode("gb18030")
            except UnicodeDecodeError:
                raise Invalid(N_("The file is not a readable CSV or Excel (.xlsx) file."), field="file") from None
        return [row for row in csv.reader(io.StringIO(text))]
    raise Invalid(N_("The file is not a readable CSV or Excel (.xlsx) file."), field="file")


def parse_import(rows: list[list[str]], *, departments: dict[str, int], categories: dict[str, str],
                 max_rows: int) -> tuple[list[ActualData], list[ImportProblem]]:
    """Actual costs from an import's rows. ``departments`` maps a code or name to its id,
    ``categories`` a code or label to its code. Returns the rows and every problem found,
    each with its line number in the file (the header is line 1)."""
    rows = [r for r in rows if any((c or "").strip() for c in r)]
    if not rows:
        raise Invalid(N_("The file is empty."), field="file")
    header = [(c or "").strip().lower() for c in rows[0]]
    if header[:len(IMPORT_COLUMNS)] != list(IMPORT_COLUMNS[:len(header)]) or len(header) < 4:
        raise Invalid(N_("The first line must name the columns: %(columns)s."), field="file",
                      columns=", ".join(IMPORT_COLUMNS))
    if len(rows) - 1 > max_rows:
        raise Invalid(N_("At most %(count)s rows per import."), field="file", count=max_rows)
    found, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = [(c or "").strip() for c in row] + [""] * len(IMPORT_COLUMNS)
        department, category, month, amount, description = cells[:5]
        department_id = departments.get(department)
        if department_id is None:
            problems.append(ImportProblem(number, N_("Unknown department “%(value)s”."), {"value": department}))
            continue
        code = categories.get(category) or categories.get(category.lower())
        if code is None:
            problems.append(ImportProblem(number, N_("Unknown cost category “%(value)s”."), {"value": category}))
            continue
        year_month = _year_month(month)
        if year_month is None:
            problems.append(ImportProblem(number, N_("“%(value)s” is not a month such as 2027-03."),
                                          {"value": month}))
            continue
        try:
            value = Decimal(amount.replace(",", "").replace("¥", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value != value.quantize(CENT) \
                or value >= MAX_AMOUNT:
            problems.append(ImportProblem(number, N_("“%(value)s” is not an amount of 0 or more."),
                                          {"value": amount}))
            continue
        found.append(ActualData(department_id, code, year_month[0], year_month[1], value, description[:200]))
    return found, problems


def _year_month(text: str) -> tuple[int, int] | None:
    text = text.replace("/", "-").replace(".", "-")[:10]
    parts = text.split("-")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    year, month = int(parts[0]), int(parts[1])
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= MONTHS else None


def import_actuals(session: Session, rows: list[list[str]], user_id: int, *, departments: dict[str, int],
                   categories: dict[str, str], max_rows: int) -> tuple[list[BudgetActual], list[ImportProblem]]:
    """Import actual costs: every row, or none when any row is wrong (the report lists each)."""
    data, problems = parse_import(rows, departments=departments, categories=categories, max_rows=max_rows)
    closed = _closed_set(session, {d.year for d in data})
    for number, row in enumerate(data, start=2):
        if (row.year, row.month) in closed:
            problems.append(ImportProblem(number, N_("%(period)s is closed: finance must reopen it before costs "
                                                     "are added."), {"period": f"{row.year}-{row.month:02d}"}))
    if problems:
        return [], sorted(problems, key=lambda p: p.row)
    return add_actuals(session, data, user_id, categories=set(categories.values()),
                       departments=set(departments.values()), source="import"), []


# -- remaining budget and commitments ------------------------------------------------------
def remaining(session: Session, department_id: int, category: str, on: date, over_policy: str) -> dict | None:
    """The ``budget_remaining`` answer: None without a budget line, else the budget, what is
    committed and spent, and what remains for the year of ``on``."""
    year = on.year
    # One statement: the hook is asked on every form that shows a remaining budget.
    budget = (select(func.sum(BudgetLine.amount + BudgetLine.adjustment), func.count())
              .join(BudgetPlan, BudgetPlan.id == BudgetLine.plan_id)
              .where(BudgetLine.department_id == department_id, BudgetLine.category == category,
                     BudgetLine.year == year, BudgetPlan.status.in_(EFFECTIVE)).subquery())
    committed = (select(func.sum(BudgetCommitment.amount - BudgetCommitment.released))
                 .where(BudgetCommitment.year == year, BudgetCommitment.department_id == department_id,
                        BudgetCommitment.category == category, BudgetCommitment.open.is_(True)).scalar_subquery())
    actual = (select(func.sum(BudgetActualTotal.amount)).where(
        BudgetActualTotal.year == year, BudgetActualTotal.department_id == department_id,
        BudgetActualTotal.category == category).scalar_subquery())
    total, lines, committed, actual = session.execute(select(*budget.c, committed, actual)).one()
    if not lines:
        return None
    total, committed, actual = _money(total), _money(committed), _money(actual)
    return {"budget": total, "committed": committed, "actual": actual, "remaining": total - committed - actual,
            "over_policy": over_policy}


def parse_amount(text: str) -> Decimal:
    """An amount finance typed (``1,200.50``): Decimal of 0 or more, else Invalid."""
    try:
        value = Decimal((text or "").replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise Invalid(N_("Enter 0 or more.")) from None
    if not value.is_finite() or not ZERO <= value < MAX_AMOUNT or value != value.quantize(CENT):
        raise Invalid(N_("Enter 0 or more."))
    return value


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def commitment_of(document) -> dict | None:
    """A document's ``budget_commitment`` (duck typing: any module's document may have one)."""
    commitment = getattr(document, "budget_commitment", None)
    if not commitment or commitment.get("amount") is None:
        return None
    return commitment


OVER_BUDGET = N_("This exceeds the remaining budget of %(category)s (%(remaining)s left of %(budget)s), and the "
                 "budget setting blocks it.")


def reserve(session: Session, event, over_policy: str) -> BudgetCommitment | None:
    """On approval: reserve the document's commitment; refuse the approval when the budget
    blocks and the amount exceeds what remains (every path of approval comes here)."""
    commitment = commitment_of(event.document)
    if commitment is None:
        return None
    amount, on = Decimal(commitment["amount"]), commitment["on"]
    department_id, category = commitment["department_id"], commitment["category"]
    found = session.scalar(select(BudgetCommitment).where(BudgetCommitment.type_key == event.type_key,
                                                          BudgetCommitment.document_id == event.document.id))
    already = found.outstanding if found is not None and found.open else ZERO
    if over_policy == "block":
        left = remaining(session, department_id, category, on, over_policy)
        if left is not None and amount > left["remaining"] + already:
            raise Conflict(OVER_BUDGET, category=category, remaining=str(left["remaining"] + already),
                           budget=str(left["budget"]))
    if found is None:
        found = BudgetCommitment(type_key=event.type_key, document_id=event.document.id)
        session.add(found)
    found.number = str(getattr(event.document, "number", "") or "")[:60]
    found.department_id, found.category, found.year, found.month = department_id, category, on.year, on.month
    found.amount, found.released, found.open = amount, ZERO, True
    session.flush()
    return found


def release(session: Session, event) -> BudgetCommitment | None:
    """Release what a withdrawn, rejected, cancelled or closed document reserved and did not
    spend (its commitment may say ``spent``)."""
    found = session.scalar(select(BudgetCommitment).where(BudgetCommitment.type_key == event.type_key,
                                                          BudgetCommitment.document_id == event.document.id,
                                                          BudgetCommitment.open.is_(True)))
    if found is None:
        return None
    commitment = commitment_of(event.document) or {}
    spent = Decimal(commitment.get("spent") or 0)
    found.released, found.open = max(found.amount - spent, ZERO), False
    session.flush()
    return found


def on_document_event(event, settings) -> None:
    """The budget's subscription to every module's document events."""
    if event.name == "approved":
        reserve(event.session, event, settings["budget.over_policy"])
    elif event.name in ("withdrawn", "rejected") or (
            event.name == "status_changed" and event.new_status in settings["budget.release_statuses"]):
        release(event.session, event)


# -- adjustments and variance explanations -------------------------------------------------
def line_of(session: Session, department_id: int, category: str, year: int) -> BudgetLine | None:
    return session.scalar(select(BudgetLine).join(BudgetPlan, BudgetPlan.id == BudgetLine.plan_id).where(
        BudgetLine.department_id == department_id, BudgetLine.category == category, BudgetLine.year == year,
        BudgetPlan.status.in_(EFFECTIVE)))


@dataclass
class AdjustmentData:
    year: int
    month: int
    from_department_id: int | None
    from_category: str
    to_department_id: int | None
    to_category: str
    amount: Decimal | None
    reason: str = ""


def _named(settings, *codes: str) -> list[str]:
    """Cost categories by name in the company's language: a title is the company's data, like
    a department's name, written once."""
    with force_locale(settings["core.default_language"]):
        return [cost_category_label(code) for code in codes]


def _apply_adjustment(session: Session, document: BudgetAdjustment, data: AdjustmentData,
                      settings) -> BudgetAdjustment:
    _check_month(data.year, data.month)
    if data.amount is None or not ZERO < data.amount < MAX_AMOUNT:
        raise Invalid(N_("Enter an amount above 0."), field="amount")
    if (data.from_department_id, data.from_category) == (data.to_department_id, data.to_category):
        raise Invalid(N_("Move the money to another category or department."), field="to_category")
    source = line_of(session, data.from_department_id, data.from_category, data.year)
    if source is None:
        raise Invalid(N_("There is no approved budget line to take the money from."), field="from_category")
    if line_of(session, data.to_department_id, data.to_category, data.year) is None:
        raise Invalid(N_("There is no approved budget line to move the money to."), field="to_category")
    left = remaining(session, data.from_department_id, data.from_category, date(data.year, data.month, 1), "")
    if data.amount > left["remaining"]:
        raise Invalid(N_("Only %(remaining)s remains on that line."), field="amount", remaining=str(left["remaining"]))
    for name in ("year", "month", "from_department_id", "from_category", "to_department_id", "to_category",
                 "amount"):
        setattr(document, name, getattr(data, name))
    document.reason = (data.reason or "").strip()
    if not document.reason:
        raise Invalid(N_("Say why the money is moved."), field="reason")
    document.title = " → ".join(_named(settings, data.from_category, data.to_category))
    return document


def create_adjustment(documents: DocumentService, data: AdjustmentData, requester) -> BudgetAdjustment:
    return documents.create(_apply_adjustment(documents.session, BudgetAdjustment(), data, documents.settings),
                            requester)


def update_adjustment(documents: DocumentService, document: BudgetAdjustment, data: AdjustmentData,
                      actor_id: int) -> BudgetAdjustment:
    documents.check_editable(document, actor_id)
    _apply_adjustment(documents.session, document, data, documents.settings)
    documents.session.flush()
    return document


def adjustment_values(document: BudgetAdjustment, org) -> dict:
    department = org.get(document.department_id)
    return {"amount": document.amount, "department": department.code if department else None}


def apply_adjustment(session: Session, document: BudgetAdjustment, _approval) -> None:
    """After approval: move the money, from the request's month on (run in the deciding
    transaction; refused when the source line no longer has it)."""
    source = line_of(session, document.from_department_id, document.from_category, document.year)
    target = line_of(session, document.to_department_id, document.to_category, document.year)
    if source is None or target is None:
        raise Conflict(N_("A budget line of this adjustment no longer exists."))
    session.refresh(source, with_for_update=True)
    left = remaining(session, source.department_id, source.category, date(document.year, document.month, 1), "")
    if document.amount > left["remaining"]:
        raise Conflict(N_("Only %(remaining)s remains on that line."), remaining=str(left["remaining"]))
    # Spread evenly over the months left, from the request's month to December.
    share = [Decimal(p) for p in spread(document.amount, [ZERO] * (document.month - 1)
                                        + [Decimal(1)] * (MONTHS - document.month + 1))]
    for line, sign in ((source, -1), (target, 1)):
        line.adjustment += sign * document.amount
        months = [Decimal(p) for p in (line.phasing if len(line.phasing) == MONTHS else spread(line.amount))]
        line.phasing = [str(m + sign * s) for m, s in zip(months, share)]
    session.flush()


@dataclass
class VarianceData:
    year: int
    month: int
    category: str
    cause: str
    controllable: bool
    remedy: str


def month_figures(session: Session, department_id: int, category: str, year: int, month: int) -> tuple:
    """(budget, actual) of one line in one month."""
    line = line_of(session, department_id, category, year)
    actual = session.scalar(select(func.coalesce(func.sum(BudgetActualTotal.amount), 0)).where(
        BudgetActualTotal.department_id == department_id, BudgetActualTotal.category == category,
        BudgetActualTotal.year == year, BudgetActualTotal.month == month))
    return (line.month_budget(month) if line else None), _money(actual)


def _apply_variance(session: Session, document: BudgetVariance, data: VarianceData, settings) -> BudgetVariance:
    _check_month(data.year, data.month)
    budget, actual = month_figures(session, document.department_id, data.category, data.year, data.month)
    if budget is None:
        raise Invalid(N_("There is no approved budget line for this category."), field="category")
    if actual <= budget:
        raise Invalid(N_("This line did not overrun its budget in %(period)s."), field="month",
                      period=f"{data.year}-{data.month:02d}")
    if not (data.cause or "").strip():
        raise Invalid(N_("Say what caused the overrun."), field="cause")
    if not (data.remedy or "").strip():
        raise Invalid(N_("Say what will be done about it."), field="remedy")
    document.year, document.month, document.category = data.year, data.month, data.category
    document.budget, document.actual, document.overrun = budget, actual, actual - budget
    document.cause, document.remedy = data.cause.strip(), data.remedy.strip()
    document.controllable = bool(data.controllable)
    document.title = f"{data.year}-{data.month:02d} {_named(settings, data.category)[0]}"
    return document


def create_variance(documents: DocumentService, data: VarianceData, requester,
                    department_id: int | None = None) -> BudgetVariance:
    document = BudgetVariance(department_id=department_id or requester.department_id)
    return documents.create(_apply_variance(documents.session, document, data, documents.settings), requester)


def update_variance(documents: DocumentService, document: BudgetVariance, data: VarianceData,
                    actor_id: int) -> BudgetVariance:
    documents.check_editable(document, actor_id)
    _apply_variance(documents.session, document, data, documents.settings)
    documents.session.flush()
    return document


def variance_values(document: BudgetVariance, org) -> dict:
    department = org.get(document.department_id)
    return {"amount": document.overrun, "department": department.code if department else None,
            "controllable": document.controllable}


def explained(session: Session, year: int, month: int | None = None) -> set[tuple[int, str, int]]:
    """(department, category, month) of the overruns that have a live explanation."""
    query = select(BudgetVariance.department_id, BudgetVariance.category, BudgetVariance.month).where(
        BudgetVariance.year == year, BudgetVariance.status.in_(("draft", "pending", "returned", "approved")))
    if month is not None:
        query = query.where(BudgetVariance.month == month)
    return {tuple(row) for row in session.execute(query)}
