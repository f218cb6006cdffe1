"""Demo products and orders in every state, reviewed, shipped and followed up through the real services."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from intranet import ask
from intranet.approvals import ApprovalTask

from . import services
from .models import Product

PRODUCTS = (
    ("IC-200", "工业控制器 IC-200", "控制器", "标准版", "台", "5200"),
    ("IC-300", "工业控制器 IC-300", "控制器", "增强版", "台", "7800"),
    ("SM-10", "传感器模块 SM-10", "传感器", "温湿度", "个", "350"),
    ("SM-20", "传感器模块 SM-20", "传感器", "压力", "个", "420"),
    ("MT-01", "智能电表 MT-01", "仪表", "三相", "台", "1600"),
    ("SV-EDU", "平台年度服务", "软件服务", "500 用户", "套", "60000"),
    ("AC-05", "安装配件包 AC-05", "配件", "", "套", "180"),
)

#: (customer number in the CRM demo, salesperson, kind, lines [(code, qty, price)], discount, how far it gets)
ORDERS = (
    (1, "hejing", "stock", [("IC-200", 20, "4800"), ("SM-10", 100, "320")], "0", "followed_up", 40),
    (5, "linna", "stock", [("MT-01", 30, "1500")], "5", "delivered", 12),
    (2, "hejing", "custom", [("IC-300", 10, "7500")], "0", "shipped", 8),
    (1, "hejing", "stock", [("IC-300", 20, "7600")], "0", "approved", 5),
    (6, "linna", "stock", [("SM-20", 50, "400"), ("AC-05", 50, "180")], "4", "pending", 1),
    (3, "hejing", "stock", [("IC-200", 5, "5000")], "3", "draft", 0),
)


def create(session, company) -> None:
    for code, name, category, spec, unit, price in PRODUCTS:
        session.add(Product(code=code, name=name, category=category, specification=spec, unit=unit,
                            list_price=Decimal(price)))
    session.flush()
    documents, engine = company.documents, company.documents.engine
    now = company.now
    for customer_id, seller, kind, lines, discount, reach, days_ago in ORDERS:
        customer = ask("crm_customer", customer_id=customer_id).value
        if customer is None or not customer["terms_approved"]:
            continue
        company.at(now - timedelta(days=days_ago, hours=3))
        user = company.users[seller]
        order = services.create_order(documents, services.OrderData(
            kind=kind, discount=Decimal(discount), invoice_title=customer["name"],
            invoice_tax_number="9131000000000000XX",
            delivery_address="上海市浦东新区张江路 100 号", lines=[services.LineData(c, Decimal(q), Decimal(p))
                                                                for c, q, p in lines]), customer, user)
        order.created_at = documents.now
        if reach == "draft":
            continue
        approval = services.submit_order(documents, order, user.id, customer)
        if reach == "pending":
            continue
        for _step in range(6):  # each review in turn, by whoever it waits for
            assignee = session.scalar(select(ApprovalTask.assignee_id).where(
                ApprovalTask.request_id == approval.id, ApprovalTask.status == "pending").limit(1))
            if assignee is None:
                break
            company.at(documents.now + timedelta(hours=4))
            engine.approve(approval.id, assignee, comment="同意")
        if reach == "approved":
            continue
        company.at(documents.now + timedelta(days=1))
        shipment = services.start_shipment(documents, order, company.users["luojun"], fragile=True, moisture=True)
        for target in ("picked", "packed", "shipped"):
            services.advance_shipment(documents, shipment, target, company.users["luojun"].id, carrier="顺丰速运",
                                      tracking_number=f"SF10{order.id:08d}")
        services.record_notice_sent(documents, shipment)
        if reach == "shipped":
            continue
        company.at(documents.now + timedelta(days=2))
        services.advance_shipment(documents, shipment, "delivered", company.users["luojun"].id,
                                  delivered_on=(documents.now).date(), calendar=engine.calendar,
                                  settings=company.settings)
        if reach == "delivered":
            continue
        company.at(documents.now + timedelta(days=1))
        services.record_survey(documents, order, {"q1": 5, "q2": 4, "q3": 5, "q4": 5, "q5": 4}, "客户很满意", user.id)
        ask("crm_log_contact", customer_id=customer_id, channel="回访", person_id=user.id,
            result=f"{order.number} 回访：平均 4.6 分，客户很满意", at=documents.now)
    company.at(now)
    session.flush()
