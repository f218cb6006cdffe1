"""Issue 10's picker in a browser: hand over an approval to a colleague found by pinyin initials,
with the arrow keys and Enter, no employee number typed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_approval_journey import sign_out

pytestmark = pytest.mark.e2e


def test_hand_over_to_a_colleague_picked_with_the_keyboard(page, backend):
    sign_in(page, "zhangwei")
    page.goto("/general/new")
    page.fill("input[name=title]", "交接测试")
    page.select_option("select[name=category]", "办公用品")
    page.fill("input[name=amount]", "800")
    page.click("button[name=submit]")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    sign_out(page)

    sign_in(page, "chenhao")
    page.goto("/approvals/")
    page.locator("table.inbox a.title", has_text="交接测试").click()
    page.locator("#decide summary").click()
    search = page.locator("#to_user-q")
    search.press_sequentially("ln", delay=50)  # 李娜 and 林娜, among others
    options = page.locator("#to_user-options [role=option]")
    expect(options.first).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_attribute("aria-selected", "true")
    second = options.nth(1).get_attribute("data-name")
    search.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", "to_user-options-1")
    search.press("Enter")  # picks, does not send the form
    chosen = page.locator("#to_user-chosen .chip")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(second)
    expect(search).to_have_value("")

    search.press_sequentially("lina", delay=50)  # one person: replaces the first choice
    expect(options.first).to_contain_text("李娜")
    expect(options.first).to_contain_text("研发部")
    screenshot(page, f"picker-suggestions-{backend}")
    search.press("Enter")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("李娜")
    expect(page.locator("#to_user-chosen input[type=checkbox]")).to_have_value("E0303")
    page.locator("#decide button:has-text('Hand over')").click()
    expect(page.locator(".flash")).to_contain_text("Handed over.")
    expect(page.locator("#trail")).to_contain_text("李娜")
    screenshot(page, f"picker-handed-over-{backend}")
