"""The inbox, the request page, bulk approval, delegation and the policy pages."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.approvals import ApprovalAction, ApprovalPolicy, ApprovalRequest
from tests.conftest import file_order
from intranet.audit import AuditEntry
from intranet.files import StoredFile


def file_request(client, auth, username, amount, title="采购显示器"):
    """An employee fills in and submits an example order, as in the browser."""
    auth.login(username)
    return file_order(client, title, amount)


def approval_of(app, document_id) -> int:
    with app.app_context():
        return db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.document_id == str(document_id)))


def test_the_inbox_shows_what_waits_for_me_with_the_modules_summary(app, client, auth, company):
    file_request(client, auth, "zhangwei", 6000, "研发服务器")
    auth.login("chenhao")
    page = client.get("/approvals/").get_data(as_text=True)
    assert "研发服务器" in page and "6,000.00" in page and "办公用品" in page
    assert '<span class="count">1</span>' in page  # the inbox count in the navigation
    for tab in ("submitted", "copied", "done"):
        assert client.get(f"/approvals/?tab={tab}").status_code == 200
    assert "研发服务器" not in client.get("/approvals/?min=7000").get_data(as_text=True)
    assert "研发服务器" in client.get("/approvals/?min=5000&max=6000&module=example").get_data(as_text=True)
    assert "研发服务器" not in client.get("/approvals/?older=3").get_data(as_text=True)


def test_deciding_in_the_inbox_swaps_the_row_and_refreshes_the_counts(app, client, auth, company):
    document_id = file_request(client, auth, "zhangwei", 800)
    approval_id = approval_of(app, document_id)
    auth.login("chenhao")
    response = client.post(f"/approvals/{approval_id}/approve", data={"row": "1"},
                           headers={"HX-Request": "true", "HX-Target": f"approval-{approval_id}"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith("<tr") and 'data-status="approved"' in body
    assert response.headers["HX-Trigger"] == "counts-changed"
    again = client.post(f"/approvals/{approval_id}/approve", data={"row": "1"}, headers={"HX-Request": "true"})
    assert again.status_code == 409 and "Already decided by 陈浩" in again.get_data(as_text=True)


def test_the_decided_row_is_drawn_without_reading_the_request_again(app, client, auth, company):
    """The row comes from the request the decision locked and changed, not a fresh read."""
    from tests.test_queries import counted

    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800))
    auth.login("chenhao")
    with counted(app) as statements:
        response = client.post(f"/approvals/{approval_id}/approve", data={"row": "1"},
                               headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-status="approved"' in response.get_data(as_text=True)
    reads = [s for s in statements if s.lstrip().startswith("SELECT") and "FROM core_approval_request" in s]
    assert len(reads) == 1, reads


def test_reject_without_a_reason_is_refused_beside_the_field(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800))
    auth.login("chenhao")
    response = client.post(f"/approvals/{approval_id}/reject", data={"reason": ""})
    assert response.status_code == 422
    assert re.search(r'class="field has-error".*Give a reason\.', response.get_data(as_text=True), re.S)
    with app.app_context():
        assert db.session.get(ApprovalRequest, approval_id).status == "pending"


def test_decisions_on_what_is_not_yours_or_gone(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800))
    auth.login("lina")
    assert client.post(f"/approvals/{approval_id}/approve").status_code == 403
    assert client.get(f"/approvals/{approval_id}").status_code == 403
    assert client.post("/approvals/999999/approve").status_code == 404
    auth.login("zhangwei")
    client.post(f"/approvals/{approval_id}/withdraw")
    auth.login("chenhao")
    response = client.post(f"/approvals/{approval_id}/approve")
    assert response.status_code == 409 and "Withdrawn by 张伟" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApprovalAction).where(
            ApprovalAction.action == "approve")) == 0


def test_a_switched_off_module_answers_409_and_leaves_the_inbox(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800, "停用后的申请"))
    auth.login("tangjie")
    client.post("/admin/modules/example", data={"enabled": "0"})
    auth.login("chenhao")
    assert "停用后的申请" not in client.get("/approvals/").get_data(as_text=True)
    response = client.post(f"/approvals/{approval_id}/approve", data={"row": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 409


def test_bulk_approval_lists_first_then_decides_each(app, client, auth, company):
    ids = [approval_of(app, file_request(client, auth, user, 300, f"批量{user}")) for user in ("zhangwei", "lina")]
    other = approval_of(app, file_request(client, auth, "hejing", 300, "不是陈浩的"))
    auth.login("chenhao")
    confirm = client.get("/approvals/bulk", query_string={"ids": [*ids, other]}).get_data(as_text=True)
    assert "批量zhangwei" in confirm and "批量lina" in confirm
    result = client.post("/approvals/bulk", data={"ids": [*ids, other]}).get_data(as_text=True)
    assert result.count('class="pill ok"') == 2 and "不是陈浩的" not in result
    assert "1 of the selected requests is not waiting for your decision and was left out." in result
    with app.app_context():
        statuses = dict(db.session.execute(select(ApprovalRequest.id, ApprovalRequest.status)).all())
    assert [statuses[i] for i in ids] == ["approved", "approved"] and statuses[other] == "pending"


def test_bulk_approval_shows_and_decides_only_what_waits_for_the_user(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 4321, "别人的机密申请"))
    with app.app_context():
        number = db.session.get(ApprovalRequest, approval_id).document_number
    for username in ("lina", "hejing", "zhangwei"):  # a colleague, a stranger, the requester
        auth.login(username)
        for response in (client.get("/approvals/bulk", query_string={"ids": approval_id}),
                         client.post("/approvals/bulk", data={"ids": approval_id})):
            page = response.get_data(as_text=True)
            assert response.status_code == 200, username
            requester = ("张伟",) if username != "zhangwei" else ()  # whose name heads their own page
            for secret in ("别人的机密申请", number, "4,321.00", *requester):
                assert secret not in page, (username, secret)
            assert "1 of the selected requests is not waiting for your decision" in page
    with app.app_context():
        assert db.session.get(ApprovalRequest, approval_id).status == "pending"
    auth.login("chenhao")  # the approver delegates; the delegate may decide it in bulk
    client.post("/approvals/delegations", data={"delegate": "E0303", "module": "",
                                                "starts_at": "2026-01-01T09:00", "ends_at": "2030-01-01T18:00"})
    assert "别人的机密申请" in client.get("/approvals/bulk", query_string={"ids": approval_id}).get_data(as_text=True)
    auth.login("lina")
    assert "别人的机密申请" in client.get("/approvals/bulk", query_string={"ids": approval_id}).get_data(as_text=True)
    assert 'class="pill ok"' in client.post("/approvals/bulk", data={"ids": approval_id}).get_data(as_text=True)


def test_decision_forms_follow_only_next_targets_on_this_site(app, client, auth, company):
    ids = [approval_of(app, file_request(client, auth, "zhangwei", 500, f"跳转{n}")) for n in range(4)]
    auth.login("chenhao")
    targets = ["https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example", "/approvals/?tab=done"]
    for approval_id, target in zip(ids, targets):
        response = client.post(f"/approvals/{approval_id}/approve", data={"next": target})
        assert response.status_code == 302
        expected = target if target.startswith("/approvals") else f"/approvals/{approval_id}"
        assert response.headers["Location"] == expected, target


def test_the_request_page_shows_document_trail_signatures_and_allowed_actions(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 6000))
    auth.login("chenhao")
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "Your decision" in page and "routed by rule 1 of policy version 1" in page
    client.post(f"/approvals/{approval_id}/approve", data={"comment": "同意采购"})
    auth.login("zhangwei")
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "Your decision" not in page and "Remind the approvers" in page and "Withdraw" in page
    assert "同意采购" in page and page.count("Signature") == 2
    assert "刘洋: vice president in charge of 研发部" in page


def test_comments_with_attachments(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800))
    auth.login("chenhao")
    response = client.post(f"/approvals/{approval_id}/comment", data={
        "text": "请看报价", "file": (io.BytesIO(b"%PDF-1.4 quote"), "报价单.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    file_id = re.search(r"/approvals/files/(\d+)", page).group(1)
    assert client.get(f"/approvals/files/{file_id}").data == b"%PDF-1.4 quote"
    bad = client.post(f"/approvals/{approval_id}/comment", data={
        "text": "x", "file": (io.BytesIO(b"MZ"), "virus.exe")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "Files of type .exe are not accepted" in bad.get_data(as_text=True)
    auth.login("lina")
    assert client.get(f"/approvals/files/{file_id}").status_code == 404


def check_download(response, content_type, name):
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == f"attachment; filename*=UTF-8''{name}"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_attachments_come_back_typed_by_extension_never_by_the_uploaders_claim(app, client, auth, company):
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800))
    auth.login("chenhao")
    for data, name in ((b"<script>alert(1)</script>", "报价单.pdf"), (b"<html><script>x()</script>", "photo.png"),
                       (b"<svg onload=x()>", "notes.txt")):
        response = client.post(f"/approvals/{approval_id}/comment", data={
            "text": name, "file": (io.BytesIO(data), name, "text/html")}, content_type="multipart/form-data")
        assert response.status_code == 302
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    pdf, png, txt = re.findall(r"/approvals/files/(\d+)", page)
    check_download(client.get(f"/approvals/files/{pdf}"), "application/pdf", "%E6%8A%A5%E4%BB%B7%E5%8D%95.pdf")
    check_download(client.get(f"/approvals/files/{png}"), "image/png", "photo.png")  # never inline: not a PNG
    check_download(client.get(f"/approvals/files/{txt}"), "text/plain", "notes.txt")
    with app.app_context():
        assert db.session.get(StoredFile, int(pdf)).content_type == "application/pdf"
        downloads = db.session.scalars(select(AuditEntry.entity_id).where(AuditEntry.action == "download")).all()
    assert sorted(downloads) == sorted([pdf, png, txt])


def test_delegation_page(app, client, auth, company):
    auth.login("chenhao")
    ok = client.post("/approvals/delegations", data={"delegate": "E0303", "module": "",
                                                     "starts_at": "2026-01-01T09:00", "ends_at": "2030-01-01T18:00"})
    assert ok.status_code == 302
    for data, message in (({"delegate": "E0301"}, "someone other than yourself"),
                          ({"delegate": "E9999"}, "No colleague matches “E9999”"),
                          ({"ends_at": "2025-01-01T09:00"}, "The end must come after the start."),
                          ({"module": "nosuch"}, "Not a valid choice")):
        response = client.post("/approvals/delegations", data={
            "delegate": "E0303", "module": "", "starts_at": "2026-01-01T09:00", "ends_at": "2030-01-01T18:00",
            **data})
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    approval_id = approval_of(app, file_request(client, auth, "zhangwei", 800, "代理审批"))
    auth.login("lina")
    assert "代理审批" in client.get("/approvals/").get_data(as_text=True)
    assert client.post(f"/approvals/{approval_id}/approve").status_code == 302
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "on behalf of 陈浩" in page


POLICY_FORM = {
    "rules-0-label": "大额", "rules-0-conditions-0-field": "amount", "rules-0-conditions-0-op": ">=",
    "rules-0-conditions-0-value": "10000", "rules-0-steps-0-name": "财务经理",
    "rules-0-steps-0-approvers": "role:finance_manager", "rules-0-steps-0-mode": "any",
    "rules-0-steps-0-due_amount": "8", "rules-0-steps-0-due_unit": "hours",
    "rules-1-label": "其他", "rules-1-steps-0-name": "主管", "rules-1-steps-0-approvers": "department_head",
    "rules-1-steps-0-mode": "any", "note": "大额改由财务经理审批", "action": "save",
}


def test_the_policy_editor_saves_a_new_version(app, client, auth, company):
    auth.login("hanmei")
    assert "Rule 1" in client.get("/approvals/policies/example.order").get_data(as_text=True)
    response = client.post("/approvals/policies/example.order", data=POLICY_FORM)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with app.app_context():
        policy = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == "example.order",
                                                                ApprovalPolicy.is_current))
        assert policy.version == 2 and policy.rules[0]["steps"][0]["due"] == {"amount": 8, "unit": "hours"}


def test_malformed_policy_data_is_refused_with_the_reason(app, client, auth, company):
    auth.login("hanmei")
    for field, value, message in (("rules-0-conditions-0-value", "lots", "is not a number"),
                                  ("rules-0-conditions-0-op", "<script>", "does not apply"),
                                  ("rules-0-steps-0-approvers", "role:emperor", "there is no role emperor"),
                                  ("rules-0-steps-0-approvers", "user", "no employee has number"),
                                  ("rules-0-steps-0-name", "", "give the step a name")):
        response = client.post("/approvals/policies/example.order", data={**POLICY_FORM, field: value})
        assert response.status_code == 422 and message in response.get_data(as_text=True), message
    with app.app_context():
        assert db.session.scalar(select(func.max(ApprovalPolicy.version))) == 1


def test_a_policy_with_gaps_needs_explicit_confirmation(app, client, auth, company):
    auth.login("hanmei")
    gap = {**POLICY_FORM, "rules-1-conditions-0-field": "amount", "rules-1-conditions-0-op": "<",
           "rules-1-conditions-0-value": "2000"}
    response = client.post("/approvals/policies/example.order", data=gap)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "No rule covers amount 2,000 – 9,999.99." in page
    assert "tick the box to save anyway" in page
    assert client.post("/approvals/policies/example.order", data={**gap, "confirm": "y"}).status_code == 302


def test_editor_buttons_add_and_remove_rows_without_saving(app, client, auth, company):
    auth.login("hanmei")
    page = client.post("/approvals/policies/example.order",
                       data={**POLICY_FORM, "action": "add_step-1"}).get_data(as_text=True)
    assert 'name="rules-1-steps-1-name"' in page
    page = client.post("/approvals/policies/example.order",
                       data={**POLICY_FORM, "action": "remove_rule-0"}).get_data(as_text=True)
    assert 'name="rules-1-label"' not in page and 'value="其他"' in page
    with app.app_context():
        assert db.session.scalar(select(func.max(ApprovalPolicy.version))) == 1


def test_the_simulator_explains_the_route(app, client, auth, company):
    auth.login("hanmei")
    page = client.get("/approvals/policies/example.order/simulate",
                      query_string={"requester": "E0302", "amount": "6000", "category": "办公用品"}).get_data(
        as_text=True)
    assert "Rule 1 of version 1" in page and "Amount ≥ 5000" in page
    assert "陈浩: head of 研发部" in page and "刘洋: vice president in charge of 研发部" in page
    page = client.get("/approvals/policies/example.order/simulate",
                      query_string={"requester": "E0301", "amount": "100"}).get_data(as_text=True)
    assert "Rule 2 of version 1" in page and "王建国: head of 总经办" in page  # the head moves up
    bad = client.get("/approvals/policies/example.order/simulate", query_string={"requester": "nobody"})
    assert bad.status_code == 422 and "No colleague matches “nobody”" in bad.get_data(as_text=True)


def test_a_step_for_a_role_names_the_role_as_people_read_it_not_its_key(app, client, auth, company):
    auth.login("hanmei")
    assert client.post("/approvals/policies/example.order", data=POLICY_FORM).status_code == 302
    query = {"requester": "E0302", "amount": "20000", "category": "办公用品"}
    page = client.get("/approvals/policies/example.order/simulate", query_string=query).get_data(as_text=True)
    assert "Everyone with the role Finance manager (" in page and "finance_manager" not in page.split("<main")[-1]
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    page = client.get("/approvals/policies/example.order/simulate", query_string=query).get_data(as_text=True)
    assert "角色为 财务经理 的所有人" in page and "角色为 finance_manager" not in page
    # the trail of a submitted request says the same
    auth.login("zhangwei")
    client.post("/language", data={"language": "zh_CN", "next": "/"})
    order_id = file_order(client, amount="20000")
    with app.app_context():
        approval_id = db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.type_key == "example.order", ApprovalRequest.document_id == str(order_id)))
    page = client.get(f"/approvals/{approval_id}").get_data(as_text=True)
    assert "角色为 财务经理 的所有人" in page and "角色为 finance_manager" not in page


def test_policy_pages_need_the_permission(client, auth, company):
    auth.login("tangjie")
    assert client.get("/approvals/policies").status_code == 403
    assert client.get("/approvals/policies/example.order/simulate").status_code == 403


@pytest.mark.parametrize("tab", ["waiting", "submitted", "done"])
def test_inbox_query_count_does_not_grow_with_data(app, client, auth, company, tab):
    from tests.test_queries import counted

    for n in range(2):
        file_request(client, auth, "zhangwei", 100 + n, f"请求{n}")
    auth.login("chenhao" if tab != "submitted" else "zhangwei")
    if tab == "done":
        for approval_id in [approval_of(app, d) for d in range(1, 3)]:
            client.post(f"/approvals/{approval_id}/approve")
    client.get(f"/approvals/?tab={tab}")
    with counted(app) as small:
        client.get(f"/approvals/?tab={tab}")
    for n in range(12):
        file_request(client, auth, "lina", 200 + n, f"更多{n}")
    auth.login("chenhao" if tab != "submitted" else "lina")
    if tab == "done":
        for document_id in range(3, 15):
            client.post(f"/approvals/{approval_of(app, document_id)}/approve")
    with counted(app) as large:
        assert client.get(f"/approvals/?tab={tab}").status_code == 200
    assert len(large) == len(small), (small, large)
