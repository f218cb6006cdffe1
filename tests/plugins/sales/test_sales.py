"""销售订单: orders for customers with approved terms, the reviews before shipping (order review,
discount, finance, legal's contract review), shipping with its notice, the follow-up survey."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet import db
from intranet.approvals import ApprovalRequest, ApprovalStep
from intranet.notify import Notification
from plugins.crm.models import ContactLog, Customer
from plugins.sales.models import Product, SalesOrder, Shipment, Survey
from tests.plugins.crm.test_crm import add_customer, approve_terms, grant, make_quotation

ORDER = {"kind": "stock", "discount": "0", "invoice_title": "华东精密机械有限公司", "invoice_tax_number": "91310000X",
         "invoice_address": "上海 021-55550001", "invoice_bank": "工行 123", "delivery_address": "上海市浦东新区",
         "remarks": "", "lines-0-product_code": "IC-200", "lines-0-quantity": "30", "lines-0-unit_price": "5000"}


@pytest.fixture
def shop(app, company):
    """The market manager role as the demo gives it, and two products."""
    grant(app, "yangfan", "crm_market_manager")
    with app.app_context():
        db.session.add_all([Product(code="IC-200", name="工业控制器", category="控制器", unit="台",
                                    list_price=Decimal("5200")),
                            Product(code="IC-300", name="工业控制器 Pro", category="控制器", unit="台",
                                    list_price=Decimal("7800"))])
        db.session.commit()
    return company


def approved_customer(app, client, auth):
    customer_id = add_customer(client, auth)  # discount 8 %
    approve_terms(app, client, auth, customer_id)
    return customer_id


def place(client, auth, customer_id, **changes):
    auth.login("hejing")
    response = client.post(f"/sales/new?customer={customer_id}", data={**ORDER, "customer_id": str(customer_id),
                                                                        "submit": "1", **changes})
    return response


def order_id_of(response) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def steps_of(app, order_id) -> list[str]:
    """The review steps, named in the company's language (zh_CN by default)."""
    with app.app_context():
        request_id = db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.type_key == "sales.order",
                                                                        ApprovalRequest.document_id == str(order_id)))
        return list(db.session.scalars(select(ApprovalStep.name).where(ApprovalStep.request_id == request_id)
                                       .order_by(ApprovalStep.position)))


def review(app, client, auth, order_id, *people):
    with app.app_context():
        request_id = db.session.scalar(select(ApprovalRequest.id).where(ApprovalRequest.type_key == "sales.order",
                                                                        ApprovalRequest.document_id == str(order_id)))
    for person in people:
        auth.login(person)
        assert client.post(f"/approvals/{request_id}/approve").status_code == 302, person


def test_an_order_for_a_customer_whose_terms_are_not_approved_is_refused(app, client, auth, shop):
    customer_id = add_customer(client, auth)
    response = place(client, auth, customer_id)
    assert response.status_code == 422 and "are not approved yet" in response.get_data(as_text=True)
    assert count(app, SalesOrder) == 0


@pytest.mark.parametrize("changes, message", [
    ({"lines-0-quantity": "0"}, "Enter more than 0."),
    ({"discount": "12"}, "beyond the 8.00 % approved for this customer"),
    ({"lines-0-product_code": "NOPE"}, "Choose a product from the list."),
    ({"invoice_title": ""}, "Enter the invoice title."),
])
def test_bad_orders_are_refused_beside_the_field_and_nothing_is_written(app, client, auth, shop, changes, message):
    customer_id = approved_customer(app, client, auth)
    response = place(client, auth, customer_id, **changes)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(app, SalesOrder) == 0


def test_a_small_stock_order_needs_only_finance(app, client, auth, shop):
    order_id = order_id_of(place(client, auth, approved_customer(app, client, auth), **{"lines-0-quantity": "2"}))
    assert steps_of(app, order_id) == ["财务审核"]


def test_a_custom_order_beyond_the_discount_gets_the_order_review_and_its_own_discount_approval(app, client, auth,
                                                                                               shop):
    customer_id = approved_customer(app, client, auth)
    order_id = order_id_of(place(client, auth, customer_id, kind="custom", discount="12",
                                 ask_discount_approval="y", **{"lines-0-quantity": "2"}))
    assert steps_of(app, order_id) == ["订单评审", "折扣审批", "财务审核"]
    with app.app_context():
        assert db.session.get(SalesOrder, order_id).over_discount


def test_a_150000_yuan_order_passes_finance_and_legal_ships_with_a_notice_and_is_followed_up(app, client, auth,
                                                                                            runner, shop):
    customer_id = approved_customer(app, client, auth)
    order_id = order_id_of(place(client, auth, customer_id))  # 30 × 5,000
    assert steps_of(app, order_id) == ["财务审核", "法务合同评审"]
    auth.login("luojun")  # the warehouse cannot start before every review is approved
    assert client.post(f"/sales/{order_id}/ship").status_code == 409
    assert count(app, Shipment) == 0
    review(app, client, auth, order_id, "wugang")
    auth.login("luojun")
    assert client.post(f"/sales/{order_id}/ship").status_code == 409  # legal has not reviewed yet
    contract = client.get(f"/print/sales.order/{order_id}")
    assert contract.status_code == 200 and contract.data.startswith(b"%PDF")
    review(app, client, auth, order_id, "liangxue")
    auth.login("luojun")
    response = client.post(f"/sales/{order_id}/ship", data={"fragile": "y", "moisture": "y"})
    shipment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    for target in ("picked", "packed"):
        assert client.post(f"/sales/shipments/{shipment_id}/{target}").status_code == 302
    bad = client.post(f"/sales/shipments/{shipment_id}/shipped", data={"carrier": "顺丰速运", "tracking_number": ""})
    assert bad.status_code == 422 and "Enter the tracking number." in bad.get_data(as_text=True)
    assert client.post(f"/sales/shipments/{shipment_id}/shipped", data={"carrier": "顺丰速运",
                                                                      "tracking_number": "SF123"}).status_code == 302
    notice = client.get(f"/print/sales.shipment/{shipment_id}")
    assert notice.status_code == 200 and notice.data.startswith(b"%PDF")
    assert client.post(f"/sales/shipments/{shipment_id}/notice").status_code == 302
    assert client.post(f"/sales/shipments/{shipment_id}/notice").status_code == 409
    assert client.post(f"/sales/shipments/{shipment_id}/delivered", data={}).status_code == 302
    with app.app_context():
        order = db.session.get(SalesOrder, order_id)
        assert order.status == "delivered" and order.followup_due > order.delivered_on
        order.followup_due = order.delivered_on  # let the follow-up fall due
        db.session.commit()
    runner.invoke(args=["remind"])
    with app.app_context():
        assert db.session.scalar(select(Notification.id).where(Notification.user_id == shop["hejing"],
                                                               Notification.message.like("Follow up order%")))
    auth.login("hejing")
    scores = {"q1": "5", "q2": "4", "q3": "5", "q4": "5", "q5": "6"}
    assert client.post(f"/sales/{order_id}/survey", data=scores).status_code == 422  # 6 is outside 1-5
    assert count(app, Survey) == 0
    assert client.post(f"/sales/{order_id}/survey", data={**scores, "q5": "4", "comment": "满意"}).status_code == 302
    with app.app_context():
        assert db.session.get(SalesOrder, order_id).status == "followed_up"
        logged = db.session.scalar(select(ContactLog.result).where(ContactLog.customer_id == customer_id)
                                   .order_by(ContactLog.id.desc()).limit(1))
        assert "4.6" in logged


def test_an_accepted_quotation_becomes_a_sales_order_in_one_step(app, client, auth, shop):
    customer_id = approved_customer(app, client, auth)
    auth.login("hejing")
    quotation_id = make_quotation(client, customer_id)  # 10 × 工业控制器 at 4,800
    client.post(f"/crm/quotations/{quotation_id}/send")
    response = client.post(f"/crm/quotations/{quotation_id}/accept")
    assert response.status_code == 302 and "/sales/" in response.headers["Location"]
    with app.app_context():
        order = db.session.scalar(select(SalesOrder))
        assert order.quotation_id == quotation_id and order.status == "draft"
        assert order.lines[0].product_code == "IC-200" and order.lines[0].quoted_price == Decimal("4800")
        assert db.session.get(Customer, customer_id).status == "lead"


def test_segments_from_orders_show_the_tier_on_the_customers_page(app, client, auth, shop):
    customer_id = approved_customer(app, client, auth)
    order_id = order_id_of(place(client, auth, customer_id, **{"lines-0-quantity": "2"}))
    review(app, client, auth, order_id, "wugang")
    grant(app, "huanglei", "crm_sales_manager")
    auth.login("huanglei")
    assert client.post("/crm/segments").status_code == 302
    page = client.get(f"/crm/{customer_id}").get_data(as_text=True)
    assert 'data-abc="A"' in page and 'data-tier="champions"' in page
    assert "Sales orders" in page and "SO-" in page  # the sales module's panel


def test_a_shortage_offers_an_urgent_purchase_request_or_another_model(app, client, auth, shop):
    from plugins.warehouse.models import StockItem

    with app.app_context():
        db.session.add_all([StockItem(code="IC-200", name="工业控制器", key="工业控制器", unit="台", quantity=Decimal(5)),
                            StockItem(code="IC-300", name="工业控制器 Pro", key="工业控制器pro", unit="台",
                                      quantity=Decimal(50))])
        db.session.commit()
    order_id = order_id_of(place(client, auth, approved_customer(app, client, auth), **{"lines-0-quantity": "2"}))
    assert 'class="pill danger"' not in client.get(f"/sales/{order_id}").get_data(as_text=True)  # 2 of 5 on hand
    order_id = order_id_of(place(client, auth, approved_customer_again(app, client, auth),
                                 **{"lines-0-quantity": "8"}))
    page = client.get(f"/sales/{order_id}").get_data(as_text=True)
    assert "Short" in page and "/procurement/new?" in page and "quantity=3.000" in page
    assert "Another model: 工业控制器 Pro" in page


def approved_customer_again(app, client, auth):
    customer_id = add_customer(client, auth, name="第二家客户", tax_number="X2", phone="", **{"contacts-0-phone": ""})
    approve_terms(app, client, auth, customer_id)
    return customer_id
