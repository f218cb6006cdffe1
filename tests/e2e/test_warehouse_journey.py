"""Issue 11's journey, as a new user would try it in the browser: a 3,000-yuan request approved by
the department head and the finance manager, a 6,000-yuan one also by the vice president, three
suppliers compared and an order issued, the keeper receiving part of it with one damaged unit
photographed, stock showing the good quantity, the discrepancy open and the purchaser told, and
the printed 入库单."""
from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in
from tests.e2e.test_approval_journey import sign_out
from tests.plugins.warehouse.test_warehouse import PNG

pytestmark = pytest.mark.e2e


def settled(page, selector, value):
    """Fill a line field and wait for htmx to swap the recalculated table before the next one."""
    page.fill(selector, value)
    page.locator(selector).dispatch_event("change")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)


def new_request(page, title, quantity, price, item="显示器"):
    page.goto("/procurement/new")
    page.fill("input[name=title]", title)
    page.select_option("select[name=cost_category]", "materials")
    page.fill("textarea[name=purpose]", "研发部新员工使用")
    settled(page, "input[name='lines-0-item']", item)
    settled(page, "input[name='lines-0-specification']", "27英寸 4K")
    settled(page, "input[name='lines-0-quantity']", quantity)
    page.select_option("select[name='lines-0-unit']", index=1)
    page.wait_for_load_state("networkidle")
    settled(page, "input[name='lines-0-unit_price']", price)
    page.click("button[name=submit]")
    expect(page.locator("h1")).to_contain_text(title)
    return page.url


def approve_as(page, username, title):
    sign_in(page, username)
    page.goto("/approvals/")
    page.locator("table.inbox tbody tr", has_text=title).locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")
    sign_out(page)


def test_request_quotations_order_receipt_with_a_damaged_unit_and_the_printed_receipt(page, backend, tmp_path):
    sign_in(page, "zhangwei")
    small = new_request(page, "研发部显示器", "3", "1000")
    big = new_request(page, "测试服务器", "1", "6000", item="服务器")
    sign_out(page)
    for username in ("chenhao", "wugang"):
        approve_as(page, username, "研发部显示器")
    for username in ("chenhao", "wugang", "liuyang"):
        approve_as(page, username, "测试服务器")
    sign_in(page, "zhangwei")
    for url in (small, big):
        page.goto(url)
        expect(page.locator("h1 .pill")).to_contain_text("Approved")
    sign_out(page)

    sign_in(page, "gaofeng")
    for name in ("联想（北京）有限公司", "戴尔中国", "华为企业业务"):
        page.goto("/procurement/suppliers/new")
        page.fill("input[name=name]", name)
        page.select_option("select[name=category]", "it")
        page.click("form button.primary")
        expect(page.locator("h1")).to_contain_text(name)
    page.goto(small)
    for name, price, score in (("联想（北京）有限公司", "950", "80"), ("戴尔中国", "990", "85"),
                               ("华为企业业务", "1100", "90")):
        page.select_option("select[name=supplier_id]", label=name)
        page.fill("input[name=lead_days]", "5")
        page.fill("input[name=service_score]", score)
        page.locator("input[name^='price-']").first.fill(price)
        page.click("button:has-text('Add quotation')")
    expect(page.locator("table.comparison th.close-price")).to_have_count(2)  # 950 and 990 within 5 %
    page.select_option("select[name=quotation_id]", label="联想（北京）有限公司")
    page.fill("[name=reason]", "报价最低，交期满足")
    page.locator("form[action$='/choose'] button").click()
    expect(page.locator("h1")).to_contain_text("研发部显示器")
    order_number = page.locator("p.muted").first.inner_text().split("·")[-1].strip()
    sign_out(page)

    sign_in(page, "luojun")
    page.goto("/warehouse/new")
    page.locator(f"button[data-order='{order_number}']").click()
    expect(page.locator("h1")).to_contain_text("研发部显示器")
    photo = tmp_path / "cracked-screen.png"
    photo.write_bytes(PNG)
    page.locator("form.upload input[type=file]").first.set_input_files(str(photo))
    page.locator("form.upload button").first.click()
    expect(page.locator("#photos")).to_contain_text("cracked-screen.png")
    page.fill("input[name='lines-0-delivered']", "2")  # the supplier sent 2 of 3: a partial delivery
    page.fill("input[name='lines-0-quantity']", "2")
    page.uncheck("input[name='lines-0-appearance_ok']")
    page.fill("input[name='lines-0-rejected']", "1")
    page.fill("textarea[name=remarks]", "一台屏幕破裂，已拍照")
    screenshot(page, "warehouse-receipt-checking")
    page.click("button[name=sign]")
    expect(page.locator("h1 .pill")).to_contain_text("Received")
    expect(page.locator("body")).to_contain_text("Damaged")
    screenshot(page, "warehouse-receipt-signed")
    pdf = page.request.get(page.locator("a:has-text('Print')").first.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"goods-receipt-{backend}.pdf").write_bytes(pdf.body())
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(ARTIFACTS / f"goods-receipt-{backend}.pdf"), str(ARTIFACTS / f"goods-receipt-{backend}")],
                   check=True)
    page.goto("/warehouse/stock/?q=显示器")
    expect(page.locator("table tbody tr", has_text="显示器")).to_contain_text("1")
    screenshot(page, "warehouse-stock")
    sign_out(page)

    sign_in(page, "gaofeng")
    page.goto("/notifications/")
    expect(page.locator("body")).to_contain_text(order_number)
    page.goto("/warehouse/discrepancies/?status=open")
    expect(page.locator("table tbody tr", has_text="显示器")).to_contain_text("Open")
    page.goto("/procurement/orders/")
    expect(page.locator("table tbody tr", has_text=order_number)).to_contain_text("Pending")
