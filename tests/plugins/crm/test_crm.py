"""客户关系: customers and their approved terms, duplicates, personal data, the shared pool,
quotations, customer requests with their deadlines, segmentation."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet import db, utcnow
from intranet.approvals import ApprovalRequest
from intranet.notify import Notification
from intranet.org import Role, User
from plugins.crm import services
from plugins.crm.models import ContactLog, Customer, CustomerRequest, CustomerTerms, SalesQuotation

CUSTOMER = {"name": "华东精密机械有限公司", "industry": "制造业", "tax_number": "91310000MA1FL0001X",
            "phone": "021-55550001", "address": "上海市浦东新区", "channels": "展会", "products": "控制器",
            "relationship_since": "", "contacts-0-name": "王强", "contacts-0-role": "采购经理",
            "contacts-0-phone": "13900000001", "contacts-0-email": "wq@example.com", "contacts-0-wechat": "",
            "discount": "8", "payment_terms": "月结30天"}


def grant(app, username, role_key):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.roles.append(db.session.scalar(select(Role).where(Role.key == role_key)))
        db.session.commit()


@pytest.fixture
def market(app, company):
    """杨帆 (市场经理) holds the market manager role, as the demo gives it."""
    grant(app, "yangfan", "crm_market_manager")
    return company


def add_customer(client, auth, username="hejing", **changes):
    auth.login(username)
    response = client.post("/crm/new", data={**CUSTOMER, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def approval_of(app, customer_id, version=1) -> int:
    with app.app_context():
        terms_id = db.session.scalar(select(CustomerTerms.id).where(CustomerTerms.customer_id == customer_id,
                                                                    CustomerTerms.version == version))
        return db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.type_key == "crm.terms",
                                                                  ApprovalRequest.document_id == str(terms_id)))


def approve_terms(app, client, auth, customer_id, version=1):
    approval = approval_of(app, customer_id, version)
    for approver in ("yangfan", "zhenghua"):  # market manager, then chief accountant
        auth.login(approver)
        assert client.post(f"/approvals/{approval}/approve").status_code == 302


def customer_row(app, customer_id) -> Customer:
    with app.app_context():
        customer = db.session.get(Customer, customer_id)
        db.session.expunge(customer)
        return customer


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# -- customers and their terms -----------------------------------------------------------
def test_a_new_customer_with_a_discount_is_approved_by_market_manager_and_chief_accountant(app, client, auth,
                                                                                          market):
    customer_id = add_customer(client, auth)
    customer = customer_row(app, customer_id)
    assert customer.number.startswith("CU-") and customer.status == "prospect" and not customer.terms_approved
    assert customer.owner_id == market["hejing"]
    approval = approval_of(app, customer_id)
    auth.login("zhenghua")  # the chief accountant is second: nothing to decide yet
    assert client.post(f"/approvals/{approval}/approve").status_code in (403, 409)
    approve_terms(app, client, auth, customer_id)
    customer = customer_row(app, customer_id)
    assert customer.terms_approved and customer.discount == Decimal("8") and customer.payment_terms == "月结30天"
    auth.login("hejing")
    page = client.get(f"/crm/{customer_id}").get_data(as_text=True)
    assert "Approved discount" in page and "V1" in page


def test_changed_terms_are_a_new_version_and_orders_keep_the_old_until_approved(app, client, auth, market):
    customer_id = add_customer(client, auth)
    approve_terms(app, client, auth, customer_id)
    auth.login("hejing")
    response = client.post(f"/crm/{customer_id}/terms", data={"discount": "12", "payment_terms": "月结60天",
                                                               "reason": "年度框架协议"})
    assert response.status_code == 302
    assert client.post(f"/crm/{customer_id}/terms", data={"discount": "15", "payment_terms": "月结60天",
                                                           "reason": "再改"}).status_code == 409
    assert customer_row(app, customer_id).discount == Decimal("8")  # still the approved version
    approve_terms(app, client, auth, customer_id, version=2)
    customer = customer_row(app, customer_id)
    assert (customer.discount, customer.payment_terms, customer.terms_version) == (Decimal("12"), "月结60天", 2)


@pytest.mark.parametrize("field, value, message", [
    ("name", "", "This field is required."),
    ("discount", "80", "Enter a discount from 0 to 50 %."),
    ("discount", "很多", "Enter a number such as 1200"),
    ("payment_terms", "永不付款", "Not a valid choice."),
    ("contacts-0-email", "不是邮箱", "Invalid email address."),
])
def test_bad_customer_input_is_refused_beside_the_field(app, client, auth, market, field, value, message):
    auth.login("hejing")
    response = client.post("/crm/new", data={**CUSTOMER, field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app, Customer) == 0 and count(app, CustomerTerms) == 0


def test_duplicates_by_tax_number_name_or_phone_are_caught_when_adding(app, client, auth, market):
    first = add_customer(client, auth)
    number = customer_row(app, first).number
    same_tax = client.post("/crm/new", data={**CUSTOMER, "name": "另一家公司"})
    assert same_tax.status_code == 422 and f"Customer {number}" in same_tax.get_data(as_text=True)
    same_name = client.post("/crm/new", data={**CUSTOMER, "name": "华东精密机械（有限公司）", "tax_number": "X1",
                                              "phone": "", "contacts-0-phone": ""})
    assert same_name.status_code == 422 and "It is another customer" in same_name.get_data(as_text=True)
    same_phone = client.post("/crm/new", data={**CUSTOMER, "name": "新客户", "tax_number": "X2", "phone": "",
                                               "contacts-0-phone": "139-0000-0001"})
    assert same_phone.status_code == 422
    assert count(app, Customer) == 1
    confirmed = client.post("/crm/new", data={**CUSTOMER, "name": "新客户", "tax_number": "X2", "phone": "",
                                              "contacts-0-phone": "139-0000-0001", "confirm_duplicate": "y"})
    assert confirmed.status_code == 302 and count(app, Customer) == 2


def test_contact_details_are_seen_by_the_owner_their_head_and_sales_management_only(app, client, auth, market):
    customer_id = add_customer(client, auth)
    auth.login("hejing")
    assert "13900000001" in client.get(f"/crm/{customer_id}").get_data(as_text=True)
    auth.login("linna")  # another salesperson of the same department
    assert client.get(f"/crm/{customer_id}").status_code == 403
    assert "华东精密" not in client.get("/crm/").get_data(as_text=True)
    assert client.get(f"/crm/{customer_id}/edit").status_code == 403
    auth.login("huanglei")  # the owner's head
    assert "13900000001" in client.get(f"/crm/{customer_id}").get_data(as_text=True)
    grant(app, "wangjg", "crm_sales_manager")
    auth.login("wangjg")
    assert "13900000001" in client.get(f"/crm/{customer_id}").get_data(as_text=True)
    assert "13900000001" not in client.get("/crm/export.csv").get_data(as_text=True)


# -- contacts and the shared pool 公海 -------------------------------------------------
def test_every_contact_is_logged_on_the_customers_timeline(app, client, auth, market):
    customer_id = add_customer(client, auth)
    bad = client.post(f"/crm/{customer_id}/contacts", data={"channel": "电话", "result": ""})
    assert bad.status_code == 422 and count(app, ContactLog) == 0
    assert client.post(f"/crm/{customer_id}/contacts", data={"channel": "电话", "result": "确认采购计划"}).status_code == 302
    page = client.get(f"/crm/{customer_id}").get_data(as_text=True)
    assert "确认采购计划" in page and "何静" in page


def test_a_quiet_customer_warns_its_owner_then_goes_back_to_the_pool(app, client, auth, runner, market):
    customer_id = add_customer(client, auth)
    with app.app_context():
        customer = db.session.get(Customer, customer_id)
        customer.last_contact_at = utcnow() - timedelta(days=85)  # pool after 90 days, warned 7 days before
        db.session.commit()
    runner.invoke(args=["remind"])
    with app.app_context():
        assert db.session.get(Customer, customer_id).owner_id == market["hejing"]
        texts = db.session.scalars(select(Notification.message).where(Notification.user_id == market["hejing"]))
        assert any("goes back to the shared pool" in t for t in texts)
        db.session.get(Customer, customer_id).last_contact_at = utcnow() - timedelta(days=91)
        db.session.commit()
    runner.invoke(args=["remind"])
    assert customer_row(app, customer_id).owner_id is None
    auth.login("linna")  # another salesperson now sees it in the pool and takes it
    assert client.get(f"/crm/{customer_id}").status_code == 200
    assert client.post(f"/crm/{customer_id}/claim").status_code == 302
    assert customer_row(app, customer_id).owner_id == market["linna"]
    auth.login("hejing")
    assert client.post(f"/crm/{customer_id}/claim").status_code in (403, 409)


# -- quotations 报价单 ----------------------------------------------------------------
def make_quotation(client, customer_id):
    response = client.post(f"/crm/quotations/new?customer={customer_id}", data={
        "customer_id": str(customer_id), "title": "控制器报价", "valid_until": "", "remarks": "",
        "lines-0-product": "工业控制器", "lines-0-specification": "IC-200", "lines-0-quantity": "10",
        "lines-0-unit": "台", "lines-0-unit_price": "4800"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_an_accepted_quotation_turns_a_prospect_into_a_lead_customer(app, client, auth, market):
    customer_id = add_customer(client, auth)
    quotation_id = make_quotation(client, customer_id)
    with app.app_context():
        assert db.session.get(SalesQuotation, quotation_id).total == Decimal("48000.00")
    client.post(f"/crm/quotations/{quotation_id}/send")
    response = client.post(f"/crm/quotations/{quotation_id}/accept")
    assert response.status_code == 302
    assert client.post(f"/crm/quotations/{quotation_id}/accept").status_code == 409  # second click
    assert customer_row(app, customer_id).status == "lead"
    pdf = client.get(f"/print/crm.quotation/{quotation_id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_quotation_line_needs_a_quantity_above_zero(app, client, auth, market):
    customer_id = add_customer(client, auth)
    response = client.post(f"/crm/quotations/new?customer={customer_id}", data={
        "customer_id": str(customer_id), "title": "报价", "lines-0-product": "控制器", "lines-0-quantity": "0",
        "lines-0-unit_price": "100"})
    assert response.status_code == 422 and "Enter more than 0." in response.get_data(as_text=True)
    assert count(app, SalesQuotation) == 0


# -- customer requests 客户需求登记表 ------------------------------------------------
def register(client, customer_id, kind, department_id):
    response = client.post(f"/crm/requests/new?customer={customer_id}", data={
        "customer_id": str(customer_id), "kind": kind, "responsible_department_id": str(department_id),
        "description": "包装破损，要求退换"})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def sales_department(app):
    with app.app_context():
        return db.session.get(User, db.session.scalar(select(User.id).where(User.username == "huanglei"))).department_id


def test_an_enquiry_is_due_in_24_hours_and_a_complaint_in_48(app, client, auth, market):
    customer_id = add_customer(client, auth)
    department = sales_department(app)
    enquiry, complaint = register(client, customer_id, "enquiry", department), register(client, customer_id,
                                                                                      "complaint", department)
    with app.app_context():
        for request_id, hours in ((enquiry, 24), (complaint, 48)):
            document = db.session.get(CustomerRequest, request_id)
            assert document.due_at - document.created_at == pytest.approx(timedelta(hours=hours),
                                                                           abs=timedelta(seconds=5))


def test_a_complaint_answered_late_escalates_to_the_head_once(app, client, auth, runner, market):
    customer_id = add_customer(client, auth)
    request_id = register(client, customer_id, "complaint", sales_department(app))
    with app.app_context():
        db.session.get(CustomerRequest, request_id).due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    runner.invoke(args=["remind"])
    runner.invoke(args=["remind"])
    with app.app_context():
        to_head = db.session.scalars(select(Notification.message)
                                     .where(Notification.user_id == market["huanglei"])).all()
        assert len([t for t in to_head if t.startswith("Overdue: customer request")]) == 1
        assert db.session.get(CustomerRequest, request_id).escalated_at is not None
    auth.login("huanglei")  # the head of the responsible department sees it
    assert "Escalated to the head" in client.get(f"/crm/requests/{request_id}").get_data(as_text=True)


def test_answer_then_callback_within_two_working_days_with_a_score_from_1_to_5(app, client, auth, market):
    customer_id = add_customer(client, auth)
    request_id = register(client, customer_id, "enquiry", sales_department(app))
    assert client.post(f"/crm/requests/{request_id}/callback", data={"score": "4"}).status_code == 409
    assert client.post(f"/crm/requests/{request_id}/answer", data={"response": "已安排换货"}).status_code == 302
    with app.app_context():
        document = db.session.get(CustomerRequest, request_id)
        assert document.callback_due > document.responded_at.date()
    for score in ("0", "6", "好"):
        response = client.post(f"/crm/requests/{request_id}/callback", data={"score": score})
        assert response.status_code == 422
    assert client.post(f"/crm/requests/{request_id}/callback", data={"score": "5", "note": "满意"}).status_code == 302
    with app.app_context():
        assert db.session.get(CustomerRequest, request_id).score == 5
        assert db.session.scalar(select(ContactLog.result).where(ContactLog.customer_id == customer_id)
                                 .order_by(ContactLog.id.desc()).limit(1)).endswith("5/5 满意")
    pdf = client.get(f"/print/crm.request/{request_id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


# -- segmentation ---------------------------------------------------------------------
SETTINGS = {"crm.abc_a_share": Decimal("0.8"), "crm.abc_b_share": Decimal("0.95")}


def test_abc_gives_a_to_the_customers_making_80_percent_of_revenue():
    today = date(2026, 12, 1)
    rows = [{"customer_id": i, "orders": 1, "revenue": Decimal(r), "last_order": today}
            for i, r in ((1, 700), (2, 200), (3, 60), (4, 40))]
    result = services.segment(rows, today, SETTINGS)
    assert [result[i]["abc_class"] for i in (1, 2, 3, 4)] == ["A", "B", "C", "C"]


def test_rfm_scores_recent_frequent_big_customers_as_champions():
    today = date(2026, 12, 1)
    rows = [{"customer_id": i, "orders": i, "revenue": Decimal(i * 1000), "last_order": today - timedelta(days=100 - i)}
            for i in range(1, 11)]
    result = services.segment(rows, today, SETTINGS)
    assert result[10]["rfm_tier"] == "champions" and (result[10]["rfm_recency"], result[10]["rfm_frequency"]) == (5, 5)
    assert result[1]["rfm_tier"] == "hibernating" and result[1]["rfm_monetary"] == 1
    assert services.segment([], today, SETTINGS) == {}


def test_the_crm_customer_hook_answers_for_orders(app, client, auth, market):
    from intranet import ask

    customer_id = add_customer(client, auth)
    approve_terms(app, client, auth, customer_id)
    with app.test_request_context():
        answer = ask("crm_customer", customer_id=customer_id)
        assert answer.available and answer.value["terms_approved"] and answer.value["discount"] == Decimal("8")
        assert ask("crm_customer", customer_id=999999).value is None
