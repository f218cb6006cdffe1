"""采购: bands of approval, the budget's extra step, repeat purchases, the registry and its
evaluation, quotations, the choice and the order, bad input."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet import Answer, Conflict, Invalid, db
from intranet.org import User
from plugins.procurement import services
from plugins.procurement.models import PurchaseOrder, PurchaseRequest, Supplier
from tests.conftest import Desk

FORM = {"title": "显示器采购", "cost_category": "materials", "purpose": "研发部新员工使用",
        "lines-0-item": "显示器", "lines-0-specification": "27英寸", "lines-0-quantity": "3", "lines-0-unit": "台",
        "lines-0-unit_price": "1000"}


def file_request(client, auth, username="zhangwei", price="1000", quantity="3", submit=True, item="显示器"):
    auth.login(username)
    data = {**FORM, "lines-0-unit_price": price, "lines-0-quantity": quantity, "lines-0-item": item}
    if submit:
        data["submit"] = "1"
    response = client.post("/procurement/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def waiting(app, company, document_id) -> set[str]:
    with app.app_context():
        from intranet.approvals import ApprovalRequest

        approval = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.type_key == "procurement.request",
                                                                   ApprovalRequest.document_id == str(document_id)))
        names = {v: k for k, v in company.ids.items()}
        return {names[t.assignee_id] for s in approval.steps if s.round == approval.round for t in s.tasks
                if t.status == "pending"}


def decide(client, auth, app, username, document_id):
    with app.app_context():
        from intranet.approvals import ApprovalRequest

        approval_id = db.session.scalar(select(ApprovalRequest.id).where(
            ApprovalRequest.type_key == "procurement.request", ApprovalRequest.document_id == str(document_id)))
    auth.login(username)
    response = client.post(f"/approvals/{approval_id}/approve", data={"comment": "同意"})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[-2000:]


def status_of(app, document_id) -> str:
    with app.app_context():
        return db.session.get(PurchaseRequest, document_id).status


@pytest.mark.parametrize("price, quantity, approvers", [
    ("300", "3", [{"chenhao"}]),
    ("500", "3", [{"chenhao"}, {"wugang"}]),
    ("1000", "3", [{"chenhao"}, {"wugang"}]),
    ("2000", "3", [{"chenhao"}, {"wugang"}, {"liuyang"}]),
])
def test_requests_are_approved_by_bands_of_their_total(app, client, auth, company, price, quantity, approvers):
    document_id = file_request(client, auth, price=price, quantity=quantity)
    for step in approvers:
        assert waiting(app, company, document_id) == step
        decide(client, auth, app, next(iter(step)), document_id)
    assert status_of(app, document_id) == "approved"


def test_a_changed_band_is_a_new_policy_version_that_new_requests_follow(app, client, auth, company):
    in_flight = file_request(client, auth, price="1000")  # 3,000: head and finance manager (version 1)
    auth.logout()
    auth.login("hanmei")
    response = client.post("/admin/settings", data={"procurement.bands": ["1000", "2000", "2500"]})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    document_id = file_request(client, auth, price="1000")  # 3,000 is now in the vice president's band
    for step in ("chenhao", "wugang", "liuyang"):
        assert waiting(app, company, document_id) == {step}
        decide(client, auth, app, step, document_id)
    with app.app_context():
        from intranet.approvals import ApprovalPolicy, ApprovalRequest

        policies = db.session.scalars(select(ApprovalPolicy).where(
            ApprovalPolicy.type_key == "procurement.request").order_by(ApprovalPolicy.version)).all()
        assert [p.version for p in policies] == [1, 2] and policies[1].created_by_id == company["hanmei"]
        assert policies[1].rules[0]["conditions"][0]["value"] == {"setting": "procurement.bands[3]", "value": "2500"}
        assert "procurement.bands" in policies[1].note
        # the request in flight keeps version 1 and its two steps
        approval = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.document_id == str(in_flight)))
        assert approval.policy.version == 1 and len(approval.steps) == 2
    # a band the policy follows cannot go: the message stands beside the setting, nothing is saved
    auth.login("hanmei")
    response = client.post("/admin/settings", data={"procurement.bands": ["1000", "2000", ""]})
    assert response.status_code == 422 and "procurement.bands[3]" in response.get_data(as_text=True)


def test_the_simulator_shows_each_band_with_the_setting_it_follows(app, client, auth, company):
    auth.login("hanmei")
    page = client.get("/approvals/policies/procurement.request/simulate",
                      query_string={"requester": "E0302", "amount": "6000"}).get_data(as_text=True)
    assert "≥ 5000" in page and "(now 5000)" in page and "limit 3" in page
    assert "Not asked: only when over_budget = yes." in page
    page = client.get("/approvals/policies/procurement.request/simulate",
                      query_string={"requester": "E0302", "amount": "1500"}).get_data(as_text=True)
    assert "(now 1000)" in page and "limit 1" in page


def test_without_budget_the_request_says_no_budget_check_was_made(app, client, auth, company, runner):
    runner.invoke(args=["modules", "disable", "budget"])  # installed beside procurement, switched off here
    document_id = file_request(client, auth)
    page = client.get(f"/procurement/{document_id}").get_data(as_text=True)
    assert "No budget check was made" in page or "未进行预算检查" in page
    with app.app_context():
        document = db.session.get(PurchaseRequest, document_id)
        assert document.budget_checked is False and document.over_budget is None


def test_an_over_budget_request_gets_the_extra_step(app, company):
    with app.app_context():
        from plugins.procurement.policies import default_policy

        desk = Desk(app, company)
        documents = desk.documents()
        request = services.create(documents, services.RequestData(
            title="超预算", cost_category="materials", purpose="测试",
            lines=[services.LineData("服务器", Decimal(1), "台", Decimal(800))]),
            db.session.get(User, company["zhangwei"]))
        request.over_budget = True
        values = services.policy_values(request, documents.engine.org)
        planned = documents.engine.simulate("procurement.request", values, company["zhangwei"])
        names = [step.name for step in planned.steps]
        assert names[-1] in ("Over-budget approval", "超预算审批") and len(names) == 2
        # one step with its own condition in each band, no rule doubled for the budget
        rules = default_policy(documents.settings)
        assert len(rules) == 4 and all(rule["steps"][-1]["conditions"] == [
            {"field": "over_budget", "op": "=", "value": True}] for rule in rules)
        request.over_budget = False
        planned = documents.engine.simulate("procurement.request", services.policy_values(
            request, documents.engine.org), company["zhangwei"])
        assert len(planned.steps) == 1


@pytest.mark.parametrize("policy, step", [("warn", False), ("step", True)])
def test_the_budget_policy_decides_whether_being_over_adds_the_step(policy, step):
    request = PurchaseRequest(total=Decimal("3000.00"))
    line = {"budget": Decimal(5000), "committed": Decimal(0), "actual": Decimal(3000),
            "remaining": Decimal("2000.00"), "over_policy": policy}
    services.check_budget(request, Answer(available=True, value=line))
    assert request.over_budget is True and request.budget_policy == policy
    assert services.policy_values(request, OrgStub())["over_budget"] is step


def test_a_blocking_budget_policy_refuses_the_submission_of_an_over_budget_request():
    request = PurchaseRequest(total=Decimal("3000.00"))
    line = {"budget": Decimal(5000), "committed": Decimal(0), "actual": Decimal(3000),
            "remaining": Decimal("2000.00"), "over_policy": "block"}
    with pytest.raises(Invalid, match="2,000.00"):
        services.check_budget(request, Answer(available=True, value=line))
    within = PurchaseRequest(total=Decimal("1500.00"))
    assert services.check_budget(within, Answer(available=True, value=line)) is line
    assert within.over_budget is False


class OrgStub:
    def get(self, _department_id):
        return None


def test_a_request_refuses_bad_input_beside_the_field_and_writes_nothing(app, client, auth, company):
    auth.login("zhangwei")
    for field, value in (("lines-0-quantity", "0"), ("lines-0-quantity", "-2"), ("lines-0-unit_price", "abc"),
                         ("lines-0-unit_price", "1e20"), ("title", ""), ("lines-0-unit", "艘"), ("purpose", "")):
        response = client.post("/procurement/new", data={**FORM, field: value, "submit": "1"})
        assert response.status_code == 422, (field, value)
        assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PurchaseRequest)) == 0


def test_the_same_item_three_months_in_a_row_is_a_repeat_purchase(app, company):
    with app.app_context():

        desk = Desk(app, company)
        tz = desk.engine().calendar.tz
        made = []
        for months_ago in (2, 1, 0):
            documents = desk.documents()
            documents.now = documents.engine.now = desk.now - timedelta(days=31 * months_ago)
            request = services.create(documents, services.RequestData(
                title="打印纸", cost_category="administration", purpose="日常",
                lines=[services.LineData(" A4 打印纸", Decimal(10), "包", Decimal(25))]),
                db.session.get(User, company["zhangwei"]))
            documents.submit(request, company["zhangwei"])
            made.append(request)
        db.session.commit()
        assert services.repeat_items(db.session, made[-1], 3, tz) == {"a4 打印纸"}
        assert services.repeat_items(db.session, made[-1], 4, tz) == set()
        month = services.period_of(made[-1].submitted_at, "month", tz)
        rows = services.repeat_report(db.session, month, 3, tz)
        assert [(r["department_id"], r["key"]) for r in rows] == [(made[0].department_id, "a4 打印纸")]


def _suppliers(n=4, category="it"):
    return [services.save_supplier(db.session, None, services.SupplierData(name=f"供应商{i}", category=category),
                                   with_bank=False) for i in range(n)]


def test_a_supplier_under_the_pass_mark_leaves_the_registry_and_cannot_be_quoted(app, company):
    with app.app_context():

        desk = Desk(app, company)
        weights = services.Weights(40, 30, 30, Decimal(60))
        good, bad = _suppliers(2)
        services.evaluate(db.session, good, year=desk.now.year, price=80, quality=90, delivery=70, weights=weights,
                          evaluator_id=company["gaofeng"], now=desk.now)
        evaluation = services.evaluate(db.session, bad, year=desk.now.year, price=50, quality=60, delivery=60,
                                       weights=weights, evaluator_id=company["gaofeng"], now=desk.now)
        assert evaluation.score == Decimal("56.00") and bad.status == "removed" and good.qualified
        with pytest.raises(Conflict):
            services.evaluate(db.session, good, year=desk.now.year, price=80, quality=90, delivery=70,
                              weights=weights, evaluator_id=company["gaofeng"], now=desk.now)
        with pytest.raises(Invalid):
            services.evaluate(db.session, good, year=desk.now.year - 1, price=101, quality=90, delivery=70,
                              weights=weights, evaluator_id=company["gaofeng"], now=desk.now)
        assert db.session.get(Supplier, bad.id) is not None  # kept in history
        documents = desk.documents()
        request = services.create(documents, services.RequestData(
            title="笔记本", cost_category="materials", purpose="研发",
            lines=[services.LineData("笔记本电脑", Decimal(1), "台", Decimal(500))]),
            db.session.get(User, company["zhangwei"]))
        documents.submit(request, company["zhangwei"])
        with pytest.raises(Invalid) as refused:
            services.add_quotation(db.session, request, services.QuotationData(
                bad.id, 3, 80, {request.lines[0].id: Decimal(480)}), company["gaofeng"])
        assert refused.value.field == "supplier_id"


def test_measured_deliveries_suggest_scores():
    assert services.suggested_scores({"receipts": 4, "on_time": 3, "received_qty": Decimal(100),
                                      "rejected_qty": Decimal(10), "discrepancies": 1}, 5) == {"quality": 85,
                                                                                              "delivery": 75}
    assert services.suggested_scores(None, 5) == {"quality": None, "delivery": None}


def test_three_quotations_a_reason_and_the_order_is_issued(app, client, auth, company):
    document_id = file_request(client, auth, price="1000")
    decide(client, auth, app, "chenhao", document_id)
    decide(client, auth, app, "wugang", document_id)
    with app.app_context():
        suppliers = [s.id for s in _suppliers(3)]
        request = db.session.get(PurchaseRequest, document_id)
        line_id = request.lines[0].id
        db.session.commit()
    auth.login("gaofeng")
    prices = ("990", "1000", "1200")
    for supplier_id, price in zip(suppliers[:2], prices):
        response = client.post(f"/procurement/{document_id}/quotations", data={
            "supplier_id": supplier_id, "lead_days": "5", "service_score": "80", f"price-{line_id}": price})
        assert response.status_code == 302
    again = client.post(f"/procurement/{document_id}/quotations", data={
        "supplier_id": suppliers[0], "lead_days": "5", "service_score": "80", f"price-{line_id}": "900"})
    assert again.status_code == 422
    bad_price = client.post(f"/procurement/{document_id}/quotations", data={
        "supplier_id": suppliers[2], "lead_days": "5", "service_score": "80", f"price-{line_id}": "0"})
    assert bad_price.status_code == 422
    with app.app_context():
        first = services.quotations_of(db.session, document_id)[0].id
    too_few = client.post(f"/procurement/{document_id}/choose", data={"quotation_id": first, "reason": "最便宜"})
    assert too_few.status_code == 422 and "at least 3" in too_few.get_data(as_text=True).replace("至少", "at least")
    client.post(f"/procurement/{document_id}/quotations", data={
        "supplier_id": suppliers[2], "lead_days": "3", "service_score": "90", f"price-{line_id}": prices[2]})
    page = client.get(f"/procurement/{document_id}").get_data(as_text=True)
    assert page.count("close-price") == 2  # 990 and 1000 are within 5 %
    no_reason = client.post(f"/procurement/{document_id}/choose", data={"quotation_id": first, "reason": " "})
    assert no_reason.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PurchaseOrder)) == 0
    chosen = client.post(f"/procurement/{document_id}/choose", data={"quotation_id": first, "reason": "最便宜，服务好"})
    assert chosen.status_code == 302
    second = client.post(f"/procurement/{document_id}/choose", data={"quotation_id": first, "reason": "再来"})
    assert second.status_code == 409
    with app.app_context():
        order = db.session.scalar(select(PurchaseOrder))
        assert order.status == "issued" and order.total == Decimal("2970.00") and order.number.startswith("PO-")
        assert status_of(app, document_id) == "ordered"
        documents = Desk(app, company).documents()
        assert services.record_receipt(documents, order, {order.lines[0].id: Decimal(1)}, pending=False,
                                       actor_id=None) == "partly_received"
        assert services.record_receipt(documents, order, {order.lines[0].id: Decimal(2)}, pending=True,
                                       actor_id=None) == "pending"
        assert services.settle(documents, order, pending=False, actor_id=None) == "received"
    assert client.get(f"/procurement/orders/{order.id}").status_code == 200


def test_bank_data_is_for_finance_only(app, client, auth, company):
    with app.app_context():
        supplier = services.save_supplier(db.session, None, services.SupplierData(
            name="联想", category="it", bank_name="工商银行", bank_account="6222000011112222"), with_bank=True)
        db.session.commit()
        supplier_id = supplier.id
    auth.login("gaofeng")
    assert "6222000011112222" not in client.get(f"/procurement/suppliers/{supplier_id}").get_data(as_text=True)
    auth.login("wugang")
    assert "6222000011112222" in client.get(f"/procurement/suppliers/{supplier_id}").get_data(as_text=True)


def test_an_employee_sees_only_their_own_requests(app, client, auth, company):
    document_id = file_request(client, auth)
    auth.login("hejing")
    assert client.get(f"/procurement/{document_id}").status_code == 403
    auth.login("gaofeng")  # purchasers see every request
    assert client.get(f"/procurement/{document_id}").status_code == 200


def test_list_and_detail_pages_read_a_fixed_number_of_statements(app, client, auth, company):
    from tests.test_queries import counted

    def pages():
        auth.login("gaofeng")
        sizes = {}
        for path in ("/procurement/", "/procurement/orders/", "/procurement/suppliers/", f"/procurement/{first}"):
            with counted(app) as statements:
                assert client.get(path).status_code == 200
            sizes[path] = len(statements)
        return sizes

    first = file_request(client, auth, price="100")
    before = pages()
    for _ in range(4):
        file_request(client, auth, price="100", item="鼠标")
    with app.app_context():
        _suppliers(5, "office")
        db.session.commit()
    assert pages() == before


def test_the_menu_groups_each_modules_entries_under_its_own_title(client, auth, company):
    auth.login("hanmei")
    page = client.get("/").get_data(as_text=True)
    nav = page[page.index('id="nav"'):page.index("</nav>")]

    def group(title: str) -> str:
        return nav.split(f'<div class="nav-module">{title}</div>', 1)[1].split("</div>", 1)[0]

    procurement, warehouse = group("Procurement"), group("Warehouse")
    assert all(word in procurement for word in ("Purchase requests", "Purchase orders", "Suppliers", "Repeat purchases"))
    assert "General requests" not in procurement and "Goods receipts" not in procurement
    assert all(word in warehouse for word in ("Goods receipts", "Stock", "Discrepancies"))
    assert "Repeat purchases" not in warehouse and "Suppliers" not in warehouse
    # a module with one entry, and the core's entries, stand alone
    assert '<div class="nav-module">General requests</div>' not in nav and "Dashboard" not in procurement
