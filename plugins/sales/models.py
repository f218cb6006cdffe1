"""销售订单 Sales: products, orders with their reviews, shipments and follow-up surveys."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet import lazy_gettext as _l
from intranet.documents import Document


class Product(Model):
    """产品目录: what may be ordered, with its list price; ``code`` is the warehouse's item code."""

    __tablename__ = "sales_product"
    __label__ = _l("Product")
    __labels__ = {"code": _l("Code"), "name": _l("Product"), "category": _l("Category"),
                  "specification": _l("Specification"), "list_price": _l("List price")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    category: Mapped[str] = mapped_column(String(60), default="", index=True)
    specification: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20), default="台")
    list_price: Mapped[Decimal] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SalesOrder(Document, Model):
    """销售订单: a stock order 库存订单 or a custom order 定制订单 for a customer with approved terms.

    Reviewed before shipping: the order review (custom orders), the discount beyond the
    customer's approved one, finance (price, invoice data) and, from the contract threshold on,
    legal's review of the sales contract 《销售合同》 (the order's printed form)."""

    __tablename__ = "sales_order"
    __document_type__ = "sales.order"
    __label__ = _l("Sales order")
    __labels__ = {"customer_id": _l("Customer"), "customer_name": _l("Customer"), "kind": _l("Order type"),
                  "quotation_id": _l("Quotation"), "quotation_number": _l("Quotation"),
                  "payment_terms": _l("Payment terms"), "approved_discount": _l("Approved discount (%)"),
                  "discount": _l("Discount (%)"), "over_discount": _l("Discount beyond the approved one"),
                  "invoice_title": _l("Invoice title"), "invoice_tax_number": _l("Invoice tax number"),
                  "invoice_address": _l("Invoice address and phone"), "invoice_bank": _l("Bank and account"),
                  "delivery_address": _l("Delivery address"), "delivered_on": _l("Delivered"),
                  "followup_due": _l("Follow-up due")}
    __extra_table_args__ = (
        Index("ix_sales_order_customer", "customer_id", "created_at", "id"),
        Index("ix_sales_order_total", "total", "id"),
        Index("ix_sales_order_requester_total", "requester_id", "total", "id"),
        Index("ix_sales_order_department_total", "department_id", "total", "id"),
    )

    customer_id: Mapped[int] = mapped_column(Integer)
    customer_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default="stock")
    quotation_id: Mapped[int | None] = mapped_column(Integer)
    quotation_number: Mapped[str] = mapped_column(String(80), default="")
    payment_terms: Mapped[str] = mapped_column(String(60), default="")
    approved_discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    over_discount: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    invoice_title: Mapped[str] = mapped_column(String(200), default="")
    invoice_tax_number: Mapped[str] = mapped_column(String(40), default="")
    invoice_address: Mapped[str] = mapped_column(String(200), default="")
    invoice_bank: Mapped[str] = mapped_column(String(200), default="")
    delivery_address: Mapped[str] = mapped_column(String(200), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    delivered_on: Mapped[date | None] = mapped_column(Date)
    followup_due: Mapped[date | None] = mapped_column(Date)

    lines: Mapped[list["SalesOrderLine"]] = relationship(order_by="SalesOrderLine.position",
                                                         cascade="all, delete-orphan")

    @property
    def title(self) -> str:
        return self.customer_name


class SalesOrderLine(Model):
    """订单明细: a product, its quantity and price (and the quoted price, when from a quotation)."""

    __tablename__ = "sales_order_line"
    __label__ = _l("Order line")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_code: Mapped[str] = mapped_column(String(40))
    product: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price: Mapped[Decimal] = mapped_column()
    list_price: Mapped[Decimal] = mapped_column()
    quoted_price: Mapped[Decimal | None] = mapped_column()


class Shipment(Document, Model):
    """发货通知单: picking, packing (fragile, moisture marks), the tracking number, and the
    shipping notice printed and recorded as sent; delivered, the follow-up is due."""

    __tablename__ = "sales_shipment"
    __document_type__ = "sales.shipment"
    __label__ = _l("Shipment")
    __labels__ = {"order_id": _l("Sales order"), "order_number": _l("Sales order"), "fragile": _l("Fragile"),
                  "moisture": _l("Keep dry"), "carrier": _l("Carrier"), "tracking_number": _l("Tracking number"),
                  "notice_sent_at": _l("Notice sent"), "delivered_on": _l("Delivered"),
                  "customer_name": _l("Customer"), "delivery_address": _l("Delivery address")}
    __extra_table_args__ = (Index("ix_sales_shipment_order", "order_id"),)

    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"))
    order_number: Mapped[str] = mapped_column(String(80))
    customer_name: Mapped[str] = mapped_column(String(200))
    delivery_address: Mapped[str] = mapped_column(String(200), default="")
    fragile: Mapped[bool] = mapped_column(Boolean, default=False)
    moisture: Mapped[bool] = mapped_column(Boolean, default=False)
    carrier: Mapped[str] = mapped_column(String(60), default="")
    tracking_number: Mapped[str] = mapped_column(String(60), default="")
    notice_sent_at: Mapped[datetime | None] = mapped_column()
    delivered_on: Mapped[date | None] = mapped_column(Date)

    order: Mapped[SalesOrder] = relationship(SalesOrder)

    @property
    def lines(self):
        return self.order.lines

    @property
    def title(self) -> str:
        return self.customer_name


class Survey(Model):
    """回访调查: the follow-up after delivery, five questions scored 1-5."""

    __tablename__ = "sales_survey"
    __label__ = _l("Satisfaction survey")
    __labels__ = {"q1": _l("Product quality"), "q2": _l("Delivery on time"), "q3": _l("Packaging"),
                  "q4": _l("Service of the salesperson"), "q5": _l("Would recommend us")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_order.id"), unique=True)
    q1: Mapped[int] = mapped_column(Integer)
    q2: Mapped[int] = mapped_column(Integer)
    q3: Mapped[int] = mapped_column(Integer)
    q4: Mapped[int] = mapped_column(Integer)
    q5: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    surveyed_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    surveyed_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def average(self) -> Decimal:
        return (Decimal(self.q1 + self.q2 + self.q3 + self.q4 + self.q5) / 5).quantize(Decimal("0.1"))


QUESTIONS = ("q1", "q2", "q3", "q4", "q5")
MODELS = [Product, SalesOrder, SalesOrderLine, Shipment, Survey]
