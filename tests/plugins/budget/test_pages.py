"""预算与成本 in the browser's shoes: forms, bad input, the import, the report, the hook."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from intranet import ask, db
from intranet.approvals import ApprovalRequest
from intranet.org import User
from plugins.budget.models import BudgetActual, BudgetPlan
from tests.test_queries import counted

YEAR = 2027
PLAN = {"year": str(YEAR), "title": "研发部预算", "lines-0-category": "labour", "lines-0-amount": "96,000",
        "lines-0-justification": "工资", "lines-0-phasing": "", "lines-1-category": "materials",
        "lines-1-amount": "24000", "lines-1-justification": "耗材", "lines-1-phasing": ""}


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def file_plan(client, auth, username="zhangwei", **changes):
    auth.login(username)
    response = client.post("/budget/new", data={**PLAN, **changes, "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def approve(client, auth, app, plan_id, username):
    with app.app_context():
        approval = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.type_key == "budget.plan",
                                                                   ApprovalRequest.document_id == str(plan_id)))
    auth.login(username)
    response = client.post(f"/approvals/{approval.id}/approve", data={"comment": "同意"})
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:500]


def test_a_department_files_finance_consolidates_and_the_vice_president_approves(app, client, auth, company):
    plan_id = file_plan(client, auth)
    page = client.get(f"/budget/{plan_id}").get_data(as_text=True)
    assert "With finance" in page
    auth.login("fengmin")
    with app.app_context():
        lines = {line.category: line.id for line in db.session.get(BudgetPlan, plan_id).lines}
    bad = client.post(f"/budget/{plan_id}/consolidate", data={
        f"amount-{lines['labour']}": "90000", f"reason-{lines['labour']}": "", f"amount-{lines['materials']}": "x"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Enter 0 or more." in text
    ok = client.post(f"/budget/{plan_id}/consolidate", data={
        f"amount-{lines['labour']}": "90000", f"reason-{lines['labour']}": "按编制核定",
        f"amount-{lines['materials']}": "24000", "forward": "1"})
    assert ok.status_code == 302
    with app.app_context():
        plan = db.session.get(BudgetPlan, plan_id)
        assert plan.total == Decimal("114000") and plan.status == "pending"
    approve(client, auth, app, plan_id, "liuyang")  # from 100,000: the vice president in charge
    auth.login("fengmin")
    assert client.post(f"/budget/{plan_id}/publish").status_code == 302
    assert client.post(f"/budget/{plan_id}/publish").status_code == 409  # the second click
    with app.app_context():
        assert db.session.get(BudgetPlan, plan_id).status == "published"
        answer = ask("budget_remaining", department_id=db.session.get(BudgetPlan, plan_id).department_id,
                     category="labour", on=date(YEAR, 6, 1))
        assert answer.available and answer.value["remaining"] == Decimal("90000.00")


@pytest.mark.parametrize("field, value, message", [
    ("lines-0-amount", "-5", "Enter 0 or more."),
    ("lines-0-amount", "很多", "Enter a number such as 1200 or 1,200.50"),
    ("lines-1-category", "labour", "Each cost category may have one line only"),
    ("lines-0-phasing", "1,2,3", "Enter twelve numbers"),
    ("year", "20x7", "Not a valid integer value."),
])
def test_bad_budget_input_is_refused_beside_the_field(app, client, auth, company, field, value, message):
    auth.login("zhangwei")
    response = client.post("/budget/new", data={**PLAN, field: value, "submit": "1"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app, BudgetPlan) == 0


def test_a_duplicate_department_year_is_refused(app, client, auth, company):
    file_plan(client, auth)
    auth.login("lina")
    response = client.post("/budget/new", data={**PLAN, "draft": "1"})
    assert response.status_code == 422 and "already has a budget for 2027" in response.get_data(as_text=True)
    assert count(app, BudgetPlan) == 1


def upload(client, name, content):
    return client.post("/budget/actuals/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def test_an_import_is_all_or_nothing_with_a_report_per_row(app, client, auth, company):
    auth.login("fengmin")
    bad = upload(client, "costs.csv", "department,category,month,amount,description\n"
                                      "RD,labour,2027-01,1000,工资\nRD,人工,2027-01,很多,\n".encode())
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Nothing was imported" in text and "is not an amount of 0 or more" in text
    assert count(app, BudgetActual) == 0
    wrong_columns = upload(client, "costs.csv", "部门,金额\nRD,5\n".encode())
    assert wrong_columns.status_code == 422 and "The first line must name the columns" in \
        wrong_columns.get_data(as_text=True)
    good = upload(client, "costs.csv", "department,category,month,amount,description\n"
                                       "RD,labour,2027-01,1000,工资\n研发部,Materials,2027-02,\"1,500.50\",\n".encode())
    assert good.status_code == 302
    assert count(app, BudgetActual) == 2


def test_xlsx_imports_and_a_closed_month_refuses_it(app, client, auth, company):
    book = Workbook()
    book.active.append(["department", "category", "month", "amount", "description"])
    book.active.append(["RD", "labour", "2027-03", 800, "工资"])
    buffer = io.BytesIO()
    book.save(buffer)
    auth.login("fengmin")
    assert client.post("/budget/months/close", data={"month": "2027-03"}).status_code == 302
    refused = upload(client, "costs.xlsx", buffer.getvalue())
    assert refused.status_code == 422 and "2027-03 is closed" in refused.get_data(as_text=True)
    assert client.post("/budget/months/reopen", data={"month": "2027-03"}).status_code == 302
    assert upload(client, "costs.xlsx", buffer.getvalue()).status_code == 302
    assert count(app, BudgetActual) == 1


@pytest.mark.parametrize("field, value, message", [
    ("amount", "-1", "Enter 0 or more."), ("month", "2027-13", "Enter a month such as 2027-03."),
    ("category", "yachts", "Not a valid choice"),
])
def test_bad_actuals_are_refused(app, client, auth, company, field, value, message):
    auth.login("fengmin")
    with app.app_context():
        department = db.session.get(User, company["zhangwei"]).department_id
    data = {"department_id": str(department), "category": "labour", "month": "2027-01", "amount": "10",
            "description": "", field: value}
    response = client.post("/budget/actuals/new", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app, BudgetActual) == 0


def test_employees_cannot_enter_actuals_or_close_months(app, client, auth, company):
    auth.login("zhangwei")
    assert client.post("/budget/actuals/new", data={}).status_code == 403
    assert client.post("/budget/months/close", data={"month": "2027-01"}).status_code == 403


def test_the_hook_is_unavailable_while_the_module_is_off(app, runner, company):
    runner.invoke(args=["modules", "disable", "budget"])
    with app.test_request_context():
        answer = ask("budget_remaining", department_id=1, category="labour", on=date(YEAR, 1, 1))
        assert not answer.available


def test_the_report_reads_a_fixed_number_of_queries(app, client, auth, company):
    auth.login("fengmin")
    client.get(f"/budget/report?month={YEAR}-02")
    with counted(app) as few:
        client.get(f"/budget/report?month={YEAR}-02")
    plan_id = file_plan(client, auth, "zhangwei")
    auth.login("fengmin")
    with app.app_context():
        lines = db.session.get(BudgetPlan, plan_id).lines
    with app.app_context():
        department = db.session.get(BudgetPlan, plan_id).department_id
    for month in range(1, 4):
        client.post("/budget/actuals/new", data={"department_id": str(department), "category": "labour",
                                                 "month": f"{YEAR}-{month:02d}", "amount": "100"})
    with counted(app) as more:
        page = client.get(f"/budget/report?month={YEAR}-02")
    assert page.status_code == 200 and len(lines) == 2
    assert len(more) == len(few)
    with counted(app) as listing:
        client.get("/budget/actuals/")
    assert len(listing) <= len(few) + 5
