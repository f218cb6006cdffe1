"""A new IT administrator's first visit: sign in, languages, the module switchboard."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_sign_in_switch_language_and_a_module_off_and_on(page, backend):
    sign_in(page, "tangjie")
    expect(page.locator("h1")).to_contain_text("Good day, 唐杰")
    screenshot(page, f"dashboard-{backend}")

    page.click("button[name=language][value=zh_CN]")
    expect(page.locator("nav#nav")).to_contain_text("工作台")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.click("button[name=language][value=en]")
    expect(page.locator("nav#nav")).to_contain_text("Dashboard")

    menu_entry = page.locator("nav#nav a[href='/example/']")
    expect(menu_entry).to_have_count(1)
    page.click("nav#nav >> text=Modules")
    page.wait_for_url("**/admin/modules")
    row = page.locator("#module-example")
    row.locator("text=Switch off").click()
    dialog = page.locator("section.confirm")
    expect(dialog).to_contain_text("It has no pending approvals.")
    dialog.locator("button:has-text('Switch off')").click()
    expect(page.locator("#module-example")).to_contain_text("Off")
    expect(page.locator("nav#nav a[href='/example/']")).to_have_count(0)

    response = page.goto("/example/")
    assert response.status == 404
    expect(page.locator(".error-card")).to_contain_text("switched off")

    page.goto("/admin/modules")
    page.locator("#module-example button:has-text('Switch on')").click()
    expect(page.locator("#module-example")).to_contain_text("On")
    expect(page.locator("nav#nav a[href='/example/']")).to_have_count(1)
    assert page.goto("/example/").status == 200


def test_a_form_error_shows_beside_the_field(page):
    sign_in(page, "hanmei")
    page.goto("/org/admin/users/new")
    page.fill("input[name=username]", "bad name!")
    page.fill("input[name=employee_no]", "E0302")
    page.fill("input[name=name]", "测试")
    page.click("button:has-text('Save')")
    expect(page.locator(".field.has-error")).to_have_count(2)
    expect(page.locator("text=Another employee has this number.")).to_be_visible()
    assert re.search(r"/org/admin/users/new$", page.url)
    screenshot(page, "user-form-errors")


def test_a_line_table_recalculates_without_wiping_what_is_being_typed(page):
    """The running total comes back out of band: the inputs are never swapped under the typist."""
    sign_in(page, "zhangwei")
    page.goto("/example/orders/new")
    page.fill("input[name='lines-0-item']", "服务器")
    page.fill("input[name='lines-0-quantity']", "2")
    item = "input[name='lines-0-item']"
    page.eval_on_selector(item, "e => { e.stillHere = true; }")  # gone if the input were swapped
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.fill("input[name='lines-0-unit_price']", "1500")
        page.locator("input[name='lines-0-unit_price']").dispatch_event("change")
    expect(page.locator("#lines-lines-total")).to_contain_text("3,000.00")
    expect(page.locator("#lines-lines-amount-0")).to_contain_text("3,000.00")
    assert page.eval_on_selector(item, "e => e.stillHere === true")
