"""Issue 13's journey: a new customer with a discount is approved, its quotation is accepted and
becomes a 150,000-yuan order that passes finance and legal, ships with a printed notice and is
followed up."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from intranet import db
from intranet.org import Role, User
from plugins.sales.models import Product
from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in
from tests.e2e.test_approval_journey import sign_out

pytestmark = pytest.mark.e2e


@pytest.fixture
def shop(live_app):
    """杨帆 is the market manager, and the product list holds the controller."""
    with live_app.app_context():
        yangfan = db.session.scalar(select(User).where(User.username == "yangfan"))
        yangfan.roles.append(db.session.scalar(select(Role).where(Role.key == "crm_market_manager")))
        db.session.add(Product(code="IC-200", name="工业控制器", category="控制器", unit="台",
                               list_price=Decimal("5200")))
        db.session.commit()


def fill_line(page, name, value):
    """Type into the first line and leave the field: the table recalculates (htmx swaps it)
    before the next field is typed into."""
    field = page.locator(f"input[name='lines-0-{name}']")
    field.fill(value)
    field.press("Tab")
    page.wait_for_load_state("networkidle")


def approve_in_inbox(page, username, text):
    sign_in(page, username)
    page.goto("/approvals/")
    page.locator("table.inbox tbody tr", has_text=text).locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")
    sign_out(page)


@pytest.fixture
def patient():
    """Eight helpers share two cores: give each step more than expect's default 5 seconds."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


def test_customer_quotation_order_reviews_shipping_and_follow_up(page, backend, shop, patient):
    sign_in(page, "hejing")
    page.goto("/crm/new")
    page.fill("input[name=name]", "华东精密机械有限公司")
    page.fill("input[name=tax_number]", "91310000MA1FL0001X")
    page.fill("input[name='contacts-0-name']", "王强")
    page.fill("input[name='contacts-0-phone']", "13900000001")
    page.fill("input[name=discount]", "8")
    page.select_option("select[name=payment_terms]", "月结30天")
    page.click("button[name=save]")
    expect(page.locator("h1")).to_contain_text("华东精密机械有限公司")
    expect(page.locator("#terms")).to_contain_text("Terms not approved yet")
    customer_url = page.url
    sign_out(page)

    approve_in_inbox(page, "yangfan", "华东精密机械有限公司")   # market manager
    approve_in_inbox(page, "zhenghua", "华东精密机械有限公司")  # chief accountant

    sign_in(page, "hejing")
    page.goto(customer_url)
    expect(page.locator("#terms")).to_contain_text("8.0 %")
    page.click("text=New quotation")
    page.fill("input[name=title]", "控制器年度报价")
    for name, value in (("product", "工业控制器"), ("quantity", "30"), ("unit", "台"), ("unit_price", "5000")):
        fill_line(page, name, value)
    expect(page.locator("#lines-lines-total")).to_contain_text("150,000.00")
    page.click("button[name=save]")
    expect(page.locator("h1")).to_contain_text("控制器年度报价")
    page.click("text=Mark as sent")
    page.click("text=Accepted: make the sales order")
    page.wait_for_url(re.compile(r".*/sales/\d+/edit"))
    page.fill("input[name=invoice_title]", "华东精密机械有限公司")
    page.fill("input[name=invoice_tax_number]", "91310000MA1FL0001X")
    page.fill("input[name=delivery_address]", "上海市浦东新区张江路 100 号")
    page.click("button[name=submit]")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    expect(page.locator(".total")).to_contain_text("150,000.00")
    order_url = page.url
    sign_out(page)

    approve_in_inbox(page, "wugang", "华东精密机械有限公司")    # finance review
    sign_in(page, "luojun")
    page.goto(order_url)
    expect(page.locator("#ship-blocked")).to_be_visible()       # legal has not reviewed the contract
    sign_out(page)
    approve_in_inbox(page, "liangxue", "华东精密机械有限公司")  # legal

    sign_in(page, "luojun")
    page.goto(order_url)
    page.check("input[name=fragile]")
    page.check("input[name=moisture]")
    page.click("text=Start picking")
    for step in ("Picked", "Packed"):
        page.click(f"button:has-text('{step}')")
        expect(page.locator("h1 .pill")).to_have_text(step)
    page.select_option("select[name=carrier]", "顺丰速运")
    page.fill("input[name=tracking_number]", "SF1234567890")
    page.click("button:has-text('Shipped')")
    expect(page.locator(".tracking")).to_have_text("SF1234567890")
    notice = page.request.get(page.locator("a:has-text('Print')").get_attribute("href"))
    assert notice.ok and notice.body().startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"shipping-notice-{backend}.pdf").write_bytes(notice.body())
    page.click("text=Notice sent to the customer")
    page.click("button:has-text('Delivered')")
    expect(page.locator("h1 .pill")).to_have_text("Delivered")
    sign_out(page)

    sign_in(page, "hejing")
    page.goto(order_url)
    for question in ("q1", "q2", "q3", "q4", "q5"):
        page.fill(f"input[name={question}]", "5")
    page.click("text=Record the survey")
    expect(page.locator("h1 .pill")).to_have_text("Followed up")
    screenshot(page, f"sales-order-{backend}")
    contract = page.request.get(page.locator("a:has-text('Print')").get_attribute("href"))
    assert contract.ok and contract.body().startswith(b"%PDF")
    page.goto(customer_url)
    expect(page.locator("#contact-log")).to_contain_text("5.0 / 5")
