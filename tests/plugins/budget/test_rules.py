"""预算与成本: the budget handbook's rules, on services.py and through the approval engine."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet import Conflict, Invalid, db
from intranet.notify import ScanContext
from intranet.org import User
from intranet.web import calendar, settings
from plugins.budget import reminders, report, services
from plugins.budget.models import BudgetActual, BudgetLine, BudgetPlan

CATEGORIES = ("labour", "materials", "depreciation", "marketing", "administration")
YEAR = 2027


def user(company, name):
    return db.session.get(User, company[name])


def approve_all(desk, document, type_key="budget.plan"):
    """Every step approved by whoever it waits for; returns who approved, in order."""
    approvers = []
    approval = desk.engine().latest_request(type_key, document.id)
    while approval.status == "pending":
        names = sorted(desk.waiting_for(approval))
        approvers.append(names[0])
        desk.act("approve", approval, names[0])
        approval = desk.engine().latest_request(type_key, document.id)
    return approvers


def filed_plan(desk, company, lines, requester="zhangwei", year=YEAR):
    documents = desk.documents()
    plan = services.create_plan(documents, year, [services.LineData(c, Decimal(a), "理由") for c, a in lines.items()],
                                user(company, requester), CATEGORIES)
    services.send_to_finance(documents, plan, company[requester])
    db.session.commit()
    return plan


def approved_plan(desk, company, lines, requester="zhangwei", year=YEAR):
    plan = filed_plan(desk, company, lines, requester, year)
    services.forward_for_approval(desk.documents(), plan, company["fengmin"])
    db.session.commit()
    approvers = approve_all(desk, plan)
    db.session.refresh(plan)
    return plan, approvers


@pytest.mark.parametrize("total, approver", [("99999.99", "chenhao"), ("100000", "liuyang"),
                                             ("999999", "liuyang"), ("1000000", "wangjg")])
def test_a_budget_is_approved_by_the_tier_of_its_total(desk, company, total, approver):
    plan, approvers = approved_plan(desk, company, {"labour": total})
    assert plan.status == "approved" and approvers == [approver]


def test_finance_consolidates_and_the_submitted_figure_stays_beside_each_line(desk, company):
    plan = filed_plan(desk, company, {"labour": "500000", "materials": "120000"})
    documents = desk.documents()
    materials = next(line for line in plan.lines if line.category == "materials")
    with pytest.raises(Invalid) as missing:
        services.consolidate(documents, plan, [services.Consolidation(materials.id, Decimal("90000"))])
    assert missing.value.field == f"reason-{materials.id}"
    db.session.rollback()
    services.consolidate(documents, plan, [services.Consolidation(materials.id, Decimal("90000"), "参照上年")])
    db.session.commit()
    assert (materials.submitted_amount, materials.amount) == (Decimal("120000"), Decimal("90000"))
    assert sum(Decimal(p) for p in materials.phasing) == Decimal("90000")
    assert plan.total == Decimal("590000") and plan.submitted_total == Decimal("620000")


def test_the_department_cannot_send_its_budget_straight_to_approval(desk, company):
    documents = desk.documents()
    plan = services.create_plan(documents, YEAR, [services.LineData("labour", Decimal(1000))],
                                user(company, "zhangwei"), CATEGORIES)
    with pytest.raises(Conflict):
        documents.submit(plan, company["zhangwei"])


@pytest.mark.parametrize("lines, field", [
    ([services.LineData("labour", Decimal(-1))], "lines"),
    ([services.LineData("labour", Decimal(1)), services.LineData("labour", Decimal(2))], "lines"),
    ([services.LineData("yachts", Decimal(1))], "lines"),
    ([], "lines"),
])
def test_bad_budget_lines_are_refused(desk, company, lines, field):
    with pytest.raises(Invalid) as refused:
        services.create_plan(desk.documents(), YEAR, lines, user(company, "zhangwei"), CATEGORIES)
    assert refused.value.field == field


def test_a_department_has_one_budget_a_year(desk, company):
    filed_plan(desk, company, {"labour": "1000"})
    with pytest.raises(Invalid) as refused:
        services.create_plan(desk.documents(), YEAR, [services.LineData("materials", Decimal(5))],
                             user(company, "lina"), CATEGORIES)
    assert refused.value.field == "year"


def test_phasing_spreads_to_the_cent_and_refuses_other_than_twelve_numbers():
    assert sum(Decimal(p) for p in services.spread(Decimal("1000"))) == Decimal("1000")
    assert services.parse_phasing("1 1 1 1 1 1 1 1 1 1 1 5", Decimal("1600"))[-1] == "500.00"
    with pytest.raises(Invalid):
        services.parse_phasing("1,2,3", Decimal(10))


def actual(department_id, category, month, amount, year=YEAR):
    return services.ActualData(department_id, category, year, month, Decimal(amount), "")


def departments(company):
    return [d for d in db.session.scalars(select(User.department_id).distinct()) if d]


def test_a_closed_month_refuses_actuals_until_finance_reopens_it(desk, company):
    rd = user(company, "zhangwei").department_id
    services.close_month(db.session, YEAR, 3, company["fengmin"])
    with pytest.raises(Invalid) as refused:
        services.add_actuals(db.session, [actual(rd, "labour", 3, "100")], company["fengmin"],
                             categories=CATEGORIES, departments=departments(company))
    assert refused.value.field == "month"
    services.reopen_month(db.session, YEAR, 3, company["fengmin"])
    services.add_actuals(db.session, [actual(rd, "labour", 3, "100")], company["fengmin"], categories=CATEGORIES,
                         departments=departments(company))
    with pytest.raises(Conflict):
        services.reopen_month(db.session, YEAR, 3, company["fengmin"])


def test_negative_actuals_are_refused(desk, company):
    rd = user(company, "zhangwei").department_id
    with pytest.raises(Invalid) as refused:
        services.add_actuals(db.session, [actual(rd, "labour", 3, "-1")], company["fengmin"],
                             categories=CATEGORIES, departments=departments(company))
    assert refused.value.field == "amount"


def test_an_import_with_one_wrong_row_imports_nothing_and_names_each_row(desk, company):
    codes = {"RD": user(company, "zhangwei").department_id}
    rows = [["department", "category", "month", "amount", "description"],
            ["RD", "labour", "2027-01", "1000", ""], ["RD", "yachts", "2027-01", "5", ""],
            ["RD", "labour", "2027-13", "5", ""], ["XX", "labour", "2027-01", "5", ""],
            ["RD", "labour", "2027-01", "abc", ""]]
    records, problems = services.import_actuals(db.session, rows, company["fengmin"], departments=codes,
                                                categories={c: c for c in CATEGORIES}, max_rows=100)
    assert records == [] and [p.row for p in problems] == [3, 4, 5, 6]
    assert db.session.scalar(select(func.count()).select_from(BudgetActual)) == 0
    with pytest.raises(Invalid):
        services.parse_import([["dept", "cat"], ["RD", "labour"]], departments=codes, categories={}, max_rows=9)


def test_budget_equals_committed_plus_actual_plus_remaining(desk, company):
    approved_plan(desk, company, {"materials": "120000"})
    rd = user(company, "zhangwei").department_id
    services.add_actuals(db.session, [actual(rd, "materials", 1, "20000")], company["fengmin"],
                         categories=CATEGORIES, departments=departments(company))
    answer = services.remaining(db.session, rd, "materials", date(YEAR, 5, 1), "warn")
    assert answer == {"budget": Decimal("120000.00"), "committed": Decimal("0.00"), "actual": Decimal("20000.00"),
                      "remaining": Decimal("100000.00"), "over_policy": "warn"}
    assert services.remaining(db.session, rd, "marketing", date(YEAR, 5, 1), "warn") is None


@dataclass
class Purchase:
    """Any module's document with a commitment (duck typing)."""

    id: int
    department_id: int
    amount: Decimal
    number: str = "PR-1"

    @property
    def budget_commitment(self):
        return {"department_id": self.department_id, "category": "materials", "amount": self.amount,
                "on": date(YEAR, 4, 2)}


@dataclass
class Event:
    name: str
    document: object
    session: object
    type_key: str = "procurement.request"
    new_status: str | None = None


SETTINGS = {"budget.over_policy": "warn", "budget.release_statuses": ("cancelled", "closed")}


def test_approval_reserves_and_cancellation_releases(desk, company):
    approved_plan(desk, company, {"materials": "10000"})
    rd = user(company, "zhangwei").department_id
    purchase = Purchase(7, rd, Decimal("4000"))
    services.on_document_event(Event("approved", purchase, db.session), SETTINGS)
    answer = services.remaining(db.session, rd, "materials", date(YEAR, 1, 1), "warn")
    assert (answer["committed"], answer["remaining"]) == (Decimal("4000.00"), Decimal("6000.00"))
    services.on_document_event(Event("status_changed", purchase, db.session, new_status="cancelled"), SETTINGS)
    assert services.remaining(db.session, rd, "materials", date(YEAR, 1, 1), "warn")["remaining"] == Decimal("10000")


def test_a_blocking_budget_refuses_the_approval(desk, company):
    approved_plan(desk, company, {"materials": "10000"})
    rd = user(company, "zhangwei").department_id
    block = {**SETTINGS, "budget.over_policy": "block"}
    services.on_document_event(Event("approved", Purchase(1, rd, Decimal("8000")), db.session), block)
    with pytest.raises(Conflict):
        services.on_document_event(Event("approved", Purchase(2, rd, Decimal("2000.01")), db.session), block)


def test_an_approved_adjustment_moves_money_between_categories(desk, company):
    approved_plan(desk, company, {"labour": "60000", "materials": "30000"})
    rd = user(company, "zhangwei").department_id
    documents = desk.documents()
    data = services.AdjustmentData(YEAR, 7, rd, "labour", rd, "materials", Decimal("6000"), "项目提前")
    with pytest.raises(Invalid):
        services.create_adjustment(documents, services.AdjustmentData(YEAR, 7, rd, "labour", rd, "materials",
                                                                      Decimal("60001"), "多"),
                                   user(company, "zhangwei"))
    adjustment = services.create_adjustment(documents, data, user(company, "zhangwei"))
    documents.submit(adjustment, company["zhangwei"])
    db.session.commit()
    assert approve_all(desk, adjustment, "budget.adjustment") == ["chenhao"]
    lines = {line.category: line for line in db.session.scalars(select(BudgetLine))}
    assert (lines["labour"].budget, lines["materials"].budget) == (Decimal("54000"), Decimal("36000"))
    assert sum(Decimal(p) for p in lines["materials"].phasing) == Decimal("36000")
    assert Decimal(lines["materials"].phasing[0]) == Decimal("2500")


def test_an_overrun_needs_its_explanation_and_only_an_overrun_gets_one(desk, company):
    approved_plan(desk, company, {"marketing": "120000"})
    rd = user(company, "zhangwei").department_id
    services.add_actuals(db.session, [actual(rd, "marketing", 2, "16000"), actual(rd, "marketing", 3, "9000")],
                         company["fengmin"], categories=CATEGORIES, departments=departments(company))
    found = report.execution_report(db.session, YEAR, 2)
    line = found.lines[0]
    assert line.over_month and not line.explained and line.variance_month == Decimal("6000")
    documents = desk.documents()
    with pytest.raises(Invalid):
        services.create_variance(documents, services.VarianceData(YEAR, 3, "marketing", "展会", True, "压缩"),
                                 user(company, "zhangwei"))
    services.create_variance(documents, services.VarianceData(YEAR, 2, "marketing", "展会", False, "下月压缩"),
                             user(company, "zhangwei"))
    assert report.execution_report(db.session, YEAR, 2).lines[0].explained


def test_the_report_forecasts_the_year_from_the_run_rate(desk, company):
    approved_plan(desk, company, {"labour": "120000"})
    rd = user(company, "zhangwei").department_id
    services.add_actuals(db.session, [actual(rd, "labour", m, "12000") for m in (1, 2, 3)], company["fengmin"],
                         categories=CATEGORIES, departments=departments(company))
    line = report.execution_report(db.session, YEAR, 3).lines[0]
    assert line.forecast == Decimal("144000.00") and line.likely_overrun
    assert line.budget_to_date == Decimal("30000") and line.actual_to_date == Decimal("36000")


@pytest.mark.parametrize("labour_months, warned", [((5, 6), True), ((6,), False), ((), False)])
def test_labour_share_over_its_line_two_months_running_warns(desk, company, labour_months, warned):
    approved_plan(desk, company, {"labour": "60000", "materials": "60000"})  # 50 % labour budgeted
    rd = user(company, "zhangwei").department_id
    rows = []
    for month in (4, 5, 6):
        labour = "7000" if month in labour_months else "5000"  # 7000 of 12000 = 58.3 %: over by > 5 points
        rows += [actual(rd, "labour", month, labour), actual(rd, "materials", month, "5000")]
    services.add_actuals(db.session, rows, company["fengmin"], categories=CATEGORIES,
                         departments=departments(company))
    found = report.labour_share_warnings(db.session, YEAR, 6, margin=Decimal(5), months=2)
    assert (rd in found) is warned


# -- deadlines and warnings (the reminder scanners) ----------------------------------------
def scan(scanner, now):
    ctx = ScanContext(db.session, datetime(*now, 4, tzinfo=timezone.utc), settings(), calendar(),
                      lambda *args, **kwargs: "/budget/")
    return list(scanner(ctx))


def test_reminders_before_publication_the_close_and_the_report(app, desk, company):
    with app.test_request_context():
        assert scan(reminders.month_close, (YEAR, 3, 22)) == []  # nobody budgets yet
        filed_plan(desk, company, {"labour": "1000"}, year=YEAR + 1)
        heads = {r.user_id for r in scan(reminders.publication, (YEAR, 11, 20))}
        assert company["chenhao"] not in heads and company["sunli"] in heads  # research sent theirs
        assert scan(reminders.publication, (YEAR, 11, 1)) == []  # before the reminder window
        assert {r.user_id for r in scan(reminders.month_close, (YEAR, 3, 22))} >= {company["fengmin"]}
        assert scan(reminders.month_close, (YEAR, 3, 21)) == []
        services.close_month(db.session, YEAR, 3, company["fengmin"])
        assert scan(reminders.month_close, (YEAR, 3, 24)) == []
        assert scan(reminders.execution_report, (YEAR, 4, 2))
        services.issue_report(db.session, YEAR, 3, company["fengmin"])
        assert scan(reminders.execution_report, (YEAR, 4, 2)) == []


def test_the_labour_warning_reaches_the_head_and_the_finance_manager(app, desk, company):
    approved_plan(desk, company, {"labour": "60000", "materials": "60000"})
    rd = user(company, "zhangwei").department_id
    services.add_actuals(db.session, [actual(rd, c, m, a) for m in (4, 5) for c, a in (("labour", "7000"),
                                                                                         ("materials", "5000"))],
                         company["fengmin"], categories=CATEGORIES, departments=departments(company))
    with app.test_request_context():
        told = {r.user_id for r in scan(reminders.labour_share, (YEAR, 6, 3))}
        assert told == {company["chenhao"], company["wugang"]}
        unexplained = scan(reminders.unexplained, (YEAR, 6, 3))
        assert {r.user_id for r in unexplained} == {company["chenhao"]}
