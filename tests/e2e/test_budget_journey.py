"""Issue 12's journey: a department files its budget, finance consolidates, the head approves,
finance publishes it and imports a month of costs; the report shows the overrun and its chart;
the overrun gets its variance explanation; the budget prints."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.e2e.test_approval_journey import sign_out

pytestmark = pytest.mark.e2e

TITLE = "研发部2027年度预算"


def test_budget_from_filing_to_the_explained_overrun(page, backend, tmp_path):
    sign_in(page, "zhangwei")
    page.goto("/budget/new")
    page.fill("input[name=year]", "2027")
    page.fill("input[name=title]", TITLE)
    # Each change recalculates the line table (htmx); wait for it before typing on.
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.select_option("select[name='lines-0-category']", "marketing")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.fill("input[name='lines-0-amount']", "60000")
        page.locator("input[name='lines-0-amount']").press("Tab")
    expect(page.locator("#lines-lines-total")).to_contain_text("60,000")
    page.fill("input[name='lines-0-justification']", "展会及线上推广")
    page.click("button[name=submit]")
    expect(page.locator("h1 .pill")).to_have_text("With finance")
    detail = page.url
    sign_out(page)

    sign_in(page, "fengmin")
    page.goto(detail)
    page.locator("input[name^='amount-']").fill("48000")
    page.click("button[name=forward]")
    expect(page.locator("small.error")).to_contain_text("Say why the figure differs")
    page.locator("input[name^='reason-']").fill("参照上年实际")
    page.click("button[name=forward]")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    sign_out(page)

    sign_in(page, "chenhao")  # below 100,000: the department head
    page.goto("/approvals/")
    page.locator("table.inbox tbody tr", has_text=TITLE).locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")
    sign_out(page)

    sign_in(page, "fengmin")
    page.goto(detail)
    page.click("button:has-text('Publish')")
    expect(page.locator("h1 .pill")).to_have_text("Published")
    costs = tmp_path / "costs.csv"
    costs.write_text("department,category,month,amount,description\nRD,marketing,2027-03,7200,春季展会\n",
                     encoding="utf-8")
    page.goto("/budget/actuals/import")
    page.set_input_files("input[name=file]", str(costs))
    page.click("button:has-text('Import')")
    expect(page.locator(".flash-success")).to_contain_text("1 costs imported")
    page.goto("/budget/report?month=2027-03")
    row = page.locator("table.report-lines tbody tr", has_text="Marketing")
    expect(row).to_contain_text("Over budget")
    expect(page.locator("svg").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"budget-report-{backend}.png"), full_page=True)
    sign_out(page)

    sign_in(page, "chenhao")
    page.goto("/budget/report?month=2027-03")
    page.locator("table.report-lines tbody tr", has_text="Marketing").locator("a:has-text('Explain')").click()
    page.fill("textarea[name=cause]", "春季展会提前至三月")
    page.fill("textarea[name=remedy]", "四月起压缩线上投放")
    page.click("button[name=draft]")
    expect(page.locator("h1")).to_contain_text("Marketing")
    page.goto("/budget/report?month=2027-03")
    expect(page.locator("table.report-lines tbody tr", has_text="Marketing")).to_contain_text("Explained")

    page.goto(detail)
    response = page.request.get(page.locator("a:has-text('Print')").first.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"budget-plan-{backend}.pdf").write_bytes(response.body())
