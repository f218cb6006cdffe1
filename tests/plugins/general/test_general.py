"""通用审批: forms, scopes, the default policy, revisions, export."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.audit import AuditEntry
from plugins.general.models import GeneralRequest
from tests.approvals.test_views import approval_of
from tests.pdf.test_printing import poppler, print_code

FORM = {"title": "购买投影仪", "category": "办公用品", "amount": "3500", "description": "会议室用"}


def file_request(client, auth, username, amount, title="采购显示器"):
    """An employee fills in and submits a general request, as in the browser."""
    auth.login(username)
    response = client.post("/general/new", data={"title": title, "category": "办公用品", "amount": str(amount),
                                                 "description": "", "submit": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(GeneralRequest))


def test_a_draft_is_saved_and_numbered(app, client, auth, company):
    auth.login("zhangwei")
    response = client.post("/general/new", data={**FORM, "draft": "1"})
    assert response.status_code == 302
    with app.app_context():
        document = db.session.scalar(select(GeneralRequest))
        assert document.status == "draft" and document.number.startswith("GR-") and document.number.endswith("000001")
        assert str(document.amount) == "3500.00"


@pytest.mark.parametrize("field, value, message", [
    ("title", "", "This field is required."),
    ("title", "长" * 201, "Field cannot be longer than 200 characters."),
    ("category", "游艇", "Not a valid choice."),
    ("amount", "很多", "Enter a number such as 1200 or 1,200.50 (at most 2 decimals)."),
    ("amount", "-5", "Enter 0 or more."),
    ("amount", "12.345", "Enter a number such as 1200 or 1,200.50 (at most 2 decimals)."),
    ("amount", "1e20", "Too large: less than 1,000,000,000,000."),
    ("amount", "NaN", "Enter a number such as 1200 or 1,200.50 (at most 2 decimals)."),
])
def test_bad_input_is_refused_beside_the_field_and_nothing_is_written(app, client, auth, company, field, value,
                                                                       message):
    auth.login("zhangwei")
    response = client.post("/general/new", data={**FORM, field: value, "submit": "1"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(app) == 0


def test_attachments_are_checked_and_kept(app, client, auth, company):
    auth.login("zhangwei")
    bad = client.post("/general/new", data={**FORM, "files": (io.BytesIO(b"#!/bin/sh"), "run.sh")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and "Files of type .sh are not accepted" in bad.get_data(as_text=True)
    assert count(app) == 0
    good = client.post("/general/new", data={**FORM, "files": [(io.BytesIO(b"%PDF quote"), "报价.pdf")]},
                       content_type="multipart/form-data")
    document_id = int(good.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/general/{document_id}").get_data(as_text=True)
    assert "报价.pdf" in page
    with app.app_context():
        attachment = db.session.get(GeneralRequest, document_id).attachments[0]
    download = client.get(f"/documents/general.request/{document_id}/files/{attachment.id}")
    assert download.data == b"%PDF quote"
    assert download.headers["Content-Disposition"] == "attachment; filename*=UTF-8''%E6%8A%A5%E4%BB%B7.pdf"


def test_an_attachment_claimed_as_html_is_downloaded_as_its_extension_says(app, client, auth, company):
    auth.login("zhangwei")
    response = client.post("/general/new", data={**FORM, "files": [(io.BytesIO(b"<script>x()</script>"), "a.pdf",
                                                                      "text/html")]},
                           content_type="multipart/form-data")
    document_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment = db.session.get(GeneralRequest, document_id).attachments[0]
        assert attachment.file.content_type == "application/pdf"
    download = client.get(f"/documents/general.request/{document_id}/files/{attachment.id}")
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "private, no-store"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "download")).one()
    assert (entry.module, entry.entity, entry.entity_id) == ("general", "core_file", str(attachment.file_id))


def test_people_see_their_own_heads_their_department_and_approvers_theirs(app, client, auth, company):
    mine = file_request(client, auth, "zhangwei", 6000, "张伟的申请")
    sales = file_request(client, auth, "hejing", 100, "销售部的申请")
    auth.login("lina")  # same department, not its head
    assert client.get(f"/general/{mine}").status_code == 403
    assert "张伟的申请" not in client.get("/general/").get_data(as_text=True)
    auth.login("chenhao")  # head of 研发部
    assert client.get(f"/general/{mine}").status_code == 200
    assert client.get(f"/general/{sales}").status_code == 403
    auth.login("liuyang")  # vice president in charge of 研发部 and 销售部
    listing = client.get("/general/").get_data(as_text=True)
    assert "张伟的申请" in listing and "销售部的申请" in listing
    auth.login("wangjg")  # general manager: general.view_all
    assert client.get(f"/general/{sales}").status_code == 200


def test_the_whole_flow_of_a_6000_yuan_request(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 6000)
    approval_id = approval_of(app, document_id)
    assert client.get(f"/general/{document_id}/edit").status_code == 302  # read-only while pending
    auth.login("chenhao")
    client.post(f"/approvals/{approval_id}/approve")
    auth.login("liuyang")
    client.post(f"/approvals/{approval_id}/approve")
    auth.login("zhangwei")
    page = client.get(f"/general/{document_id}").get_data(as_text=True)
    assert 'data-status="approved"' in page and "Request a change" in page
    assert page.count("Signature") == 3


def test_the_vice_presidents_band_follows_its_setting(app, client, auth, company):
    """Raising general.vp_threshold makes a new policy version; a request in flight keeps its two steps."""
    from intranet.approvals import ApprovalPolicy, ApprovalRequest

    in_flight = approval_of(app, file_request(client, auth, "zhangwei", 6000))
    auth.login("hanmei")
    assert client.post("/admin/settings", data={"general.vp_threshold": "10000"}).status_code == 302
    later = approval_of(app, file_request(client, auth, "zhangwei", 6000, "第二台显示器"))
    with app.app_context():
        policy = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == "general.request",
                                                                ApprovalPolicy.is_current))
        assert policy.version == 2 and policy.rules[0]["label"] == "大额"
        assert policy.rules[0]["conditions"][0]["value"] == {"setting": "general.vp_threshold", "value": "10000"}
        first, second = db.session.get(ApprovalRequest, in_flight), db.session.get(ApprovalRequest, later)
        assert (first.policy.version, len(first.steps)) == (1, 2)
        assert (second.policy.version, len(second.steps)) == (2, 1)


def test_changing_an_approved_request_makes_a_new_revision(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, document_id)}/approve")
    auth.login("zhangwei")
    response = client.post(f"/general/{document_id}/change")
    revision_id = int(response.headers["Location"].split("/")[-2])
    client.post(f"/general/{revision_id}/edit", data={**FORM, "amount": "950", "submit": "1"})
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, revision_id)}/approve")
    with app.app_context():
        original, revision = db.session.get(GeneralRequest, document_id), db.session.get(GeneralRequest, revision_id)
        assert (original.status, revision.status) == ("superseded", "approved")
        assert revision.number == original.number and revision.display_number.endswith("-R2")


def test_returned_requests_are_edited_and_resubmitted(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, document_id)}/return", data={"reason": "请写明用途"})
    auth.login("zhangwei")
    page = client.get(f"/general/{document_id}").get_data(as_text=True)
    assert "Returned for changes by 陈浩: “请写明用途”" in page
    client.post(f"/general/{document_id}/edit", data={**FORM, "description": "培训室用", "submit": "1"})
    auth.login("chenhao")
    page = client.get(f"/approvals/{approval_of(app, document_id)}").get_data(as_text=True)
    assert "What changed when it was resubmitted" in page and "培训室用" in page


def test_list_search_filters_sorting_and_export(app, client, auth, company):
    for amount, title in ((100, "打印纸"), (9000, "服务器内存"), (500, "打印机墨盒")):
        file_request(client, auth, "zhangwei", amount, title)
    auth.login("zhangwei")
    page = client.get("/general/?q=打印&sort=amount&dir=asc", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert page.index("打印纸") < page.index("打印机墨盒") and "服务器内存" not in page
    csv_text = client.get("/general/export.csv?q=打印").get_data(as_text=True)
    assert "打印纸" in csv_text and "服务器内存" not in csv_text
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get("/general/export.xlsx").data))
    assert book.active.max_row == 4


def test_only_the_requester_edits_submits_and_changes(app, client, auth, company):
    auth.login("zhangwei")
    draft = int(client.post("/general/new", data=FORM).headers["Location"].rsplit("/", 1)[1])
    auth.login("chenhao")  # the head may look but not touch
    assert client.get(f"/general/{draft}/edit").status_code == 403
    assert client.post(f"/documents/general.request/{draft}/submit").status_code == 403


def test_an_approved_change_makes_the_old_printout_outdated(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800, "打印测试服务器")
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, document_id)}/approve")
    auth.login("zhangwei")
    code = print_code(client, f"/print/general.request/{document_id}")
    revision_id = int(client.post(f"/general/{document_id}/change").headers["Location"].split("/")[-2])
    client.post(f"/general/{revision_id}/edit", data={"title": "打印测试服务器", "category": "办公用品",
                                                      "amount": "900", "submit": "1"})
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert 'data-state="matches"' in page  # the change is not approved yet
    auth.login("chenhao")
    client.post(f"/approvals/{approval_of(app, revision_id)}/approve")
    auth.login("zhangwei")
    page = client.get(f"/verify/{code}").get_data(as_text=True)
    assert 'data-state="superseded"' in page and "-000001-R2" in page


def test_what_changed_on_resubmission_reads_as_labels_and_money(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 6000, "研发服务器")
    approval_id = approval_of(app, document_id)
    auth.login("chenhao")
    client.post(f"/approvals/{approval_id}/return", data={"reason": "请补充报价"})
    auth.login("zhangwei")
    response = client.post(f"/general/{document_id}/edit", data={**FORM, "title": "研发服务器（两台）",
                                                                  "amount": "2500", "submit": "1"})
    assert response.status_code == 302
    auth.login("chenhao")
    english = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    changes = english.split("What changed when it was resubmitted", 1)[1].split("</section>", 1)[0]
    assert "<td>Title</td>" in changes and "<td>Amount</td>" in changes and "<td>Description</td>" in changes
    assert "CN¥6,000.00" in changes and "CN¥2,500.00" in changes
    assert "<td>title</td>" not in changes and "2500.00" not in changes.replace("2,500.00", "")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    chinese = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "<td>标题</td>" in chinese and "<td>金额</td>" in chinese and "¥2,500.00" in chinese


def test_every_printed_label_has_its_chinese_half(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800, "打印标签")
    text = poppler("pdftotext", client.get(f"/print/general.request/{document_id}").data, "-layout")
    lines = [line.strip() for line in text.splitlines()]
    assert any(re.search(r"修订版本 Revision\s+1$", line) for line in lines), lines
    for label in ("标题 Title", "类别 Category", "金额 Amount", "申请人 Requester", "状态 Status"):
        assert label in text, label


def test_requests_signed_before_the_module_kit_still_verify(app, client, auth, company):
    """The signed content is the same dict the module signed before the kit derived it."""
    from intranet.approvals import content_hash
    from intranet.audit.capture import jsonable
    from plugins.general.documents import GENERAL_REQUEST

    document_id = file_request(client, auth, "zhangwei", 800, "签名内容")
    with app.app_context():
        d = GENERAL_REQUEST.load_one(db.session, document_id)
        before_the_kit = {"number": d.number, "revision": d.revision, "title": d.title, "category": d.category,
                          "description": d.description, "amount": str(d.amount), "currency": d.currency,
                          "requester_id": d.requester_id, "department_id": d.department_id,
                          "attachments": [a.file.sha256 for a in d.attachments]}
        assert content_hash(jsonable(GENERAL_REQUEST.signed_content(d))) == content_hash(before_the_kit)
