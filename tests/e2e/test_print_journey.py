"""Issue 4's journey: approve, print, scan the QR code, then change the record."""
from __future__ import annotations

import re
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, sign_in
from tests.e2e.test_approval_journey import sign_out

pytestmark = pytest.mark.e2e


def new_request(page, title, amount):
    page.goto("/general/new")
    page.fill("input[name=title]", title)
    page.select_option("select[name=category]", "办公用品")
    page.fill("input[name=amount]", amount)
    page.click("button[name=submit]")
    expect(page.locator("h1")).to_contain_text(title)


def approve_as(page, username, title):
    sign_in(page, username)
    page.goto("/approvals/")
    page.locator("table.inbox tbody tr", has_text=title).locator("button:has-text('Approve')").click()
    expect(page.locator("tr.decided")).to_contain_text("Approved")
    sign_out(page)


def scan(pdf: bytes, name: str) -> str:
    """Render the first page to PNG (kept as an artifact) and read its QR code like a phone would."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                    str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)], check=True)
    result = subprocess.run(["zbarimg", "-q", "--raw", str(ARTIFACTS / f"{name}.png")], capture_output=True,
                            text=True)
    return result.stdout.strip()


def test_print_scan_and_outdated_after_an_approved_change(page, backend):
    sign_in(page, "zhangwei")
    new_request(page, "会议室投影仪", "800")
    detail = page.url
    sign_out(page)
    approve_as(page, "chenhao", "会议室投影仪")

    sign_in(page, "zhangwei")
    page.goto(detail)
    print_link = page.locator("a:has-text('Print')").first
    response = page.request.get(print_link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    url = scan(response.body(), f"printed-form-{backend}")
    assert re.search(r"/verify/[A-Z2-9]{10}$", url), url

    page.goto(urlsplit(url).path)  # what the phone opens after scanning
    expect(page.locator(".verdict")).to_have_attribute("data-state", "matches")
    expect(page.locator(".verdict")).to_contain_text("GR-2026-000001")

    page.goto(detail)
    page.click("button:has-text('Request a change')")
    page.fill("input[name=amount]", "950")
    page.click("button[name=submit]")
    expect(page.locator("h1 .pill")).to_have_text("Pending")
    sign_out(page)
    approve_as(page, "chenhao", "会议室投影仪")

    sign_in(page, "zhangwei")
    page.goto(urlsplit(url).path)
    verdict = page.locator(".verdict")
    expect(verdict).to_have_attribute("data-state", "superseded")
    expect(verdict).to_contain_text("GR-2026-000001-R2")
    page.screenshot(path=str(ARTIFACTS / f"verify-outdated-{backend}.png"), full_page=True)
