"""Printable signed forms: the PDF, who may print, verification, batches, signatures."""
from __future__ import annotations

import io
import logging
import re
import subprocess

import pytest
from PIL import Image
from sqlalchemy import select, update

from intranet import db
from intranet.audit import AuditEntry
from intranet.pdf.models import Printout
from intranet.calendar import WorkCalendar
from intranet.db import utcnow
from tests.approvals.test_views import approval_of, file_request
from tests.conftest import build_app, file_order
from tests.example_module.models import ExampleOrder


def number(n: int, year: int | None = None) -> str:
    """The example order's n-th number this year (the year in the company's time zone)."""
    return f"EX-{year or WorkCalendar().today(utcnow()).year}-{n:06d}"


def poppler(tool: str, data: bytes, *args: str) -> str:
    return subprocess.run([tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
                          input=data, capture_output=True, check=True).stdout.decode("utf-8", "replace")


def pdffonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def approved_request(app, client, auth, amount=6000, title="打印测试服务器"):
    document_id = file_request(client, auth, "zhangwei", amount, title)
    approval_id = approval_of(app, document_id)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_id}/approve", data={"comment": "同意"})
    if amount >= 5000:
        auth.login("liuyang")
        client.post(f"/approvals/{approval_id}/approve")
    auth.login("zhangwei")
    return document_id, approval_id


def test_the_printed_form_embeds_the_cjk_font_and_carries_the_trail(app, client, auth, company, tmp_path):
    document_id, _approval = approved_request(app, client, auth)
    response = client.get(f"/print/example.order/{document_id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    fonts = pdffonts(response.data, tmp_path)
    assert re.search(r"WenQuanYi\S*\s+TrueType.*yes\s+yes\s+yes", fonts), fonts
    text = poppler("pdftotext", response.data)
    for expected in ("示例订单", "Example order", number(1), "打印测试服务器", "¥6,000.00", "张伟", "陈浩",
                     "刘洋", "同意", "Page 1 / 1", "Approval trail"):
        assert expected in text, expected
    code = re.search(r"验证码 Verify: (\w{4}-\w{4}-\w{2})", text).group(1)
    with app.app_context():
        printout = db.session.get(Printout, code.replace("-", ""))
        assert printout.document_number == number(1)
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "print"))
        assert entry.actor_name == "张伟" and entry.changes["code"] == printout.code


def test_printed_words_are_never_cut(app):
    """Header and cell text breaks between words, not inside one."""
    from intranet.pdf.builder import render
    from intranet.pdf.content import Letterhead, PrintableDocument, PrintJob, TrailRow

    long_names = TrailRow("部门主管 Department head", "王建国 Administrator", "", "同意 Approved", "2026-12-01 09:00",
                          "Acknowledged with appreciation", "")
    pdf = render([PrintJob(PrintableDocument("General request", "通用审批单", "GR-1", [("类别 Category", "办公用品")]),
                           [long_names], "AAAA-AAAA-AA", "http://x")],
                 Letterhead("公司", "me", "now", app.config["PDF_FONT_PATH"]))
    words = set(poppler("pdftotext", pdf).split())
    for word in ("Approver", "Decision", "Signature", "Comment", "Department", "head", "Administrator",
                 "Acknowledged", "appreciation"):
        assert word in words, (word, sorted(words))


def test_printing_what_one_may_not_see_is_403(app, client, auth, company):
    document_id, approval_id = approved_request(app, client, auth, amount=800)
    auth.login("lina")
    assert client.get(f"/print/example.order/{document_id}").status_code == 403
    assert client.get(f"/print/core.approval/{approval_id}").status_code == 403
    assert client.get("/print/nosuch.template/1").status_code == 404
    assert client.get("/print/example.order/999999").status_code == 404
    auth.login("chenhao")  # the approver may print it
    assert client.get(f"/print/core.approval/{approval_id}").status_code == 200


def verdict(client, code) -> str:
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    return re.search(r'data-state="(\w+)"', page).group(1)


def print_code(client, url) -> str:
    text = poppler("pdftotext", client.get(url).data)
    return re.search(r"验证码 Verify: (\w{4}-\w{4}-\w{2})", text).group(1)


def test_the_verification_page_tells_whether_a_printout_still_holds(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800, "核对打印件")
    pending_code = print_code(client, f"/print/example.order/{document_id}")
    assert verdict(client, pending_code) == "matches"
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, document_id)}/approve")
    auth.login("zhangwei")
    assert verdict(client, pending_code) == "trail_changed"  # approved since it was printed
    approved_code = print_code(client, f"/print/example.order/{document_id}")
    assert verdict(client, approved_code) == "matches"
    with app.app_context():  # a change behind the application's back
        db.session.execute(update(ExampleOrder).where(ExampleOrder.id == document_id).values(title="被改了"))
        db.session.commit()
    assert verdict(client, approved_code) == "changed"
    assert client.get("/verify/ZZZZ-ZZZZ-ZZ").status_code == 404
    assert client.get("/verify/?code=" + approved_code.lower()).status_code == 200  # typed by hand


def test_verification_needs_a_signed_in_employee(client, company):
    assert client.get("/verify/ABCD-EFGH-JK").status_code == 302


def test_batch_printing_makes_one_pdf_numbered_per_document(app, client, auth, company):
    first = file_request(client, auth, "zhangwei", 100, "第一份")
    second = file_request(client, auth, "zhangwei", 200, "第二份")
    response = client.get(f"/print/example.order?ids={first}&ids={second}")
    text = poppler("pdftotext", response.data)
    assert "第一份" in text and "第二份" in text and text.count("Page 1 / 1") == 2
    assert "Pages:           2" in poppler("pdfinfo", response.data)
    with app.app_context():
        assert len(db.session.scalars(select(Printout)).all()) == 2


def test_print_by_number_from_the_command_line(app, client, auth, runner, company, tmp_path):
    approved_request(app, client, auth, amount=800, title="归档一")
    file_request(client, auth, "zhangwei", 300, "归档二")
    target = tmp_path / "archive.pdf"
    result = runner.invoke(args=["print", number(1), number(2), "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = poppler("pdftotext", target.read_bytes())
    assert "归档一" in text and "归档二" in text and "flask print" in text
    missing = runner.invoke(args=["print", number(1, 2099), "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code == 1 and f"No document has the number {number(1, 2099)}." in missing.output


def png_bytes(width=300, height=100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_signature_images_are_checked_and_printed(app, client, auth, company):
    auth.login("chenhao")
    for data, name, message in ((b"not an image", "sig.png", "not a PNG or JPEG"),
                                (b"GIF89a" + b"\x00" * 20, "sig.gif", "not a PNG or JPEG"),
                                (png_bytes() + b"\x00" * 600_000, "big.png", "larger than 512 KB")):
        response = client.post("/me/signature", data={"image": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    assert client.post("/me/signature", data={"image": (io.BytesIO(png_bytes()), "签名.png")},
                       content_type="multipart/form-data").status_code == 302
    image = client.get("/me/signature/image")
    assert image.mimetype == "image/png" and image.headers["X-Content-Type-Options"] == "nosniff"
    assert image.headers["Content-Disposition"].startswith("inline;")  # a checked image, shown on the page
    document_id, _ = approved_request(app, client, auth, amount=800)
    with app.test_request_context():
        from intranet.pdf.services import latest_approval, trail_rows

        rows = trail_rows(db.session, latest_approval(db.session, "example.order", document_id), str)
        assert [bool(r.signature_image) for r in rows] == [False, True]  # 张伟 none, 陈浩 uploaded


@pytest.fixture
def company_certificate(tmp_path):
    from intranet.pdf.signing import create_certificate

    path = tmp_path / "company.p12"
    create_certificate(str(path), common_name="示例科技有限公司", organisation="Example", passphrase="s3cret")
    return path


def test_pdfs_are_signed_with_the_company_certificate_and_verified_offline(database_url, company,
                                                                            company_certificate, tmp_path):
    app = build_app(database_url, PDF_SIGNING_PKCS12=str(company_certificate), PDF_SIGNING_PASSPHRASE="s3cret")
    client = app.test_client()
    client.post("/auth/login", data={"login": "zhangwei", "password": "demo1234"})
    document_id = file_order(client, "签名测试", 10)
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(client.get(f"/print/example.order/{document_id}").data)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pdf", "verify", str(signed)])
    assert result.exit_code == 0 and "Unchanged since signing: yes" in result.output, result.output
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(signed.read_bytes().replace("签名测试".encode("utf-16-be"), b"x" * 8).replace(
        b"/Producer", b"/Producex"))
    assert runner.invoke(args=["pdf", "verify", str(tampered)]).exit_code == 1
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(poppler_free_pdf(app))
    assert "Not signed." in runner.invoke(args=["pdf", "verify", str(unsigned)]).output


def poppler_free_pdf(app) -> bytes:
    from intranet.pdf.builder import render
    from intranet.pdf.content import Letterhead, PrintableDocument, PrintJob

    return render([PrintJob(PrintableDocument("Test", "测试", "T-1", []), [], "AAAA-AAAA-AA", "http://x")],
                  Letterhead("公司", "me", "now", app.config["PDF_FONT_PATH"]))


def test_the_certificate_is_described_in_the_readers_language(database_url, company, company_certificate):
    app = build_app(database_url, PDF_SIGNING_PKCS12=str(company_certificate), PDF_SIGNING_PASSPHRASE="s3cret")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    client.post("/auth/login", data={"login": "hanmei", "password": "demo1234"})
    certificate = client.get("/admin/printing").get_data(as_text=True).split('id="certificate"', 1)[1].split("</section>")[0]
    assert "名称: 示例科技有限公司" in certificate and "组织: Example" in certificate
    assert "Common Name" not in certificate and "Organization" not in certificate
    broken = build_app(database_url, PDF_SIGNING_PKCS12=str(company_certificate), PDF_SIGNING_PASSPHRASE="wrong")
    client = broken.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    client.post("/auth/login", data={"login": "hanmei", "password": "demo1234"})
    assert "无法打开公司证书" in client.get("/admin/printing").get_data(as_text=True)


def test_a_broken_certificate_still_prints_unsigned_with_a_note(database_url, company, company_certificate):
    app = build_app(database_url, PDF_SIGNING_PKCS12=str(company_certificate), PDF_SIGNING_PASSPHRASE="wrong")
    client = app.test_client()
    client.post("/auth/login", data={"login": "hanmei", "password": "demo1234"})
    page = client.get("/admin/printing").get_data(as_text=True)
    assert "The certificate cannot be used." in page and "passphrase is wrong or missing" in page
    document_id = file_order(client, "无签名", 10)
    response = client.get(f"/print/example.order/{document_id}")
    assert response.status_code == 200
    assert "Not digitally signed" in poppler("pdftotext", response.data)


def test_a_missing_font_is_reported_at_start_and_when_printing(database_url, company, caplog):
    with caplog.at_level(logging.ERROR):
        app = build_app(database_url, PDF_FONT_PATH="/nonexistent/font.ttc")
    assert "apt-get install fonts-wqy-microhei" in caplog.text
    client = app.test_client()
    client.post("/auth/login", data={"login": "hanmei", "password": "demo1234"})
    document_id = file_order(client, "无字体", 10, submit=False)
    response = client.get(f"/print/example.order/{document_id}")
    assert response.status_code == 503 and "fonts-wqy-microhei" in response.get_data(as_text=True)
    assert "fonts-wqy-microhei" in client.get("/admin/printing").get_data(as_text=True)


def test_the_company_logo_is_uploaded_on_the_printing_page(app, client, auth, company):
    auth.login("hanmei")
    bad = client.post("/admin/printing", data={"logo": (io.BytesIO(b"<svg/>"), "logo.svg")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422
    assert client.post("/admin/printing", data={"logo": (io.BytesIO(png_bytes(400, 120)), "logo.png")},
                       content_type="multipart/form-data").status_code == 302
    logo = client.get("/admin/printing/logo")
    assert logo.mimetype == "image/png" and logo.headers["Content-Disposition"].startswith("inline;")
    assert logo.headers["Cache-Control"] == "private, no-store"
    document_id = file_request(client, auth, "hanmei", 10, "带标志")
    assert client.get(f"/print/example.order/{document_id}").status_code == 200
