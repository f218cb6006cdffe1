"""Issue 3's journey: a 6,000 yuan general request through two inboxes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e


def sign_out(page):
    page.locator("details.usermenu summary").click()
    page.locator("details.usermenu button").click()
    page.wait_for_url("**/auth/login")


def test_a_6000_yuan_request_approved_by_head_and_vice_president(page, backend):
    sign_in(page, "zhangwei")
    page.click("nav#nav >> text=General requests")
    page.wait_for_url("**/general/")
    page.click("text=New request")
    page.wait_for_url("**/general/new")
    page.fill("input[name=title]", "研发部测试服务器")
    page.select_option("select[name=category]", "办公用品")
    page.fill("input[name=amount]", "6000")
    page.fill("textarea[name=description]", "用于自动化测试环境")
    page.click("button[name=submit]")
    expect(page.locator("h1")).to_contain_text("研发部测试服务器")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    sign_out(page)

    sign_in(page, "chenhao")
    expect(page.locator("nav#nav a[href='/approvals/'] .count")).to_have_text("1")
    page.click("nav#nav >> text=Approvals")
    page.wait_for_url("**/approvals/")
    row = page.locator("table.inbox tbody tr", has_text="研发部测试服务器")
    expect(row).to_contain_text("¥6,000.00")
    screenshot(page, f"inbox-head-{backend}")
    row.locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")  # the row swapped in place
    expect(page.locator("nav#nav a[href='/approvals/'] .count")).to_have_count(0)  # the count refreshed
    sign_out(page)

    sign_in(page, "liuyang")
    page.click("nav#nav >> text=Approvals")
    page.wait_for_url("**/approvals/")
    page.locator("table.inbox a.title", has_text="研发部测试服务器").click()
    expect(page.locator("#decide")).to_be_visible()
    page.fill("#approve-comment", "同意购买")
    page.locator("#decide button:has-text('Approve')").click()
    expect(page.locator("h1 .pill")).to_have_text("Approved")
    trail = page.locator("#trail")
    expect(trail).to_contain_text("陈浩")
    expect(trail).to_contain_text("刘洋")
    expect(trail).to_contain_text("同意购买")
    expect(trail.locator(".signature")).to_have_count(3)  # submitted, approved, approved
    screenshot(page, f"request-approved-{backend}")
    sign_out(page)

    sign_in(page, "hanmei")
    page.goto("/approvals/policies/general.request/simulate?requester=E0302&amount=6000&category=办公用品")
    result = page.locator("#simulation")
    expect(result).to_contain_text("Rule 1 of version 1")
    expect(result).to_contain_text("陈浩: head of 研发部")
    expect(result).to_contain_text("刘洋: vice president in charge of 研发部")
    screenshot(page, f"simulator-{backend}")
