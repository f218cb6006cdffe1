"""Procurement 采购: purchase requests, the supplier registry, quotations and purchase orders."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet import lazy_gettext as _l
from intranet.documents import Document

QUANTITY = Numeric(12, 3)


class Supplier(Model):
    """合格供应商: a supplier of the registry. A supplier scored under the pass mark is removed
    (``status`` "removed"), never deleted: its quotations and orders keep pointing at it."""

    __tablename__ = "procurement_supplier"
    __label__ = _l("Supplier")
    __labels__ = {"name": _l("Name"), "contact": _l("Contact person"), "phone": _l("Phone"), "email": _l("E-mail"),
                  "address": _l("Address"), "bank_name": _l("Bank"), "bank_account": _l("Bank account"),
                  "score": _l("Score"), "removed_at": _l("Removed"), "removed_reason": _l("Reason for removal")}
    __table_args__ = (Index("ix_procurement_supplier_name", "name", "id"),
                      Index("ix_procurement_supplier_category_name", "category", "name", "id"),
                      Index("ix_procurement_supplier_status_name", "status", "name", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    contact: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    bank_name: Mapped[str] = mapped_column(String(200), default="")
    bank_account: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(20), default="qualified")
    score: Mapped[Decimal | None] = mapped_column()
    removed_at: Mapped[datetime | None] = mapped_column()
    removed_reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def qualified(self) -> bool:
        return self.status == "qualified"


class SupplierEvaluation(Model):
    """年度供应商评估: one year's scores of a supplier on price, quality and delivery."""

    __tablename__ = "procurement_evaluation"
    __label__ = _l("Supplier evaluation")
    __labels__ = {"year": _l("Year"), "price_score": _l("Price"), "quality_score": _l("Quality"),
                  "delivery_score": _l("Delivery"), "score": _l("Weighted score")}
    __table_args__ = (UniqueConstraint("supplier_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    price_score: Mapped[int] = mapped_column(Integer)
    quality_score: Mapped[int] = mapped_column(Integer)
    delivery_score: Mapped[int] = mapped_column(Integer)
    score: Mapped[Decimal] = mapped_column()
    remarks: Mapped[str] = mapped_column(Text, default="")
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PurchaseRequest(Document, Model):
    """采购申请单: a department asks to buy items; approved by bands of its total."""

    __tablename__ = "procurement_request"
    __document_type__ = "procurement.request"
    __label__ = _l("Purchase request")
    __labels__ = {"purpose": _l("Purpose"), "cost_category": _l("Cost category"),
                  "suggested_supplier_id": _l("Suggested supplier"), "suggestion_reason": _l("Why this supplier"),
                  "over_budget": _l("Over budget"), "budget_checked": _l("Budget checked"),
                  "budget_policy": _l("Budget policy"),
                  "lines": _l("Items"), "chosen_quotation_id": _l("Chosen quotation"),
                  "choice_reason": _l("Reason for the choice"), "sample_test": _l("Sample test")}
    __extra_table_args__ = (
        Index("ix_procurement_request_total", "total", "id"),
        Index("ix_procurement_request_requester_total", "requester_id", "total", "id"),
        Index("ix_procurement_request_department_total", "department_id", "total", "id"),
        Index("ix_procurement_request_submitted", "department_id", "submitted_at"),
    )

    title: Mapped[str] = mapped_column(String(200))
    cost_category: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(Text, default="")
    suggested_supplier_id: Mapped[int | None] = mapped_column(ForeignKey("procurement_supplier.id"))
    suggestion_reason: Mapped[str] = mapped_column(String(500), default="")
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    #: stored at submission from the budget module's answer; None when no budget check was made
    over_budget: Mapped[bool | None] = mapped_column(Boolean)
    budget_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: what the budget policy said then (warn, step or block; budget.over_policy), signed with the request
    budget_policy: Mapped[str | None] = mapped_column(String(10))
    # The choice among the quotations (询价记录表), made by the purchaser after approval.
    chosen_quotation_id: Mapped[int | None] = mapped_column(Integer)
    choice_reason: Mapped[str] = mapped_column(String(1000), default="")
    sample_test: Mapped[str] = mapped_column(String(1000), default="")

    lines: Mapped[list["RequestLine"]] = relationship(order_by="RequestLine.position", cascade="all, delete-orphan")
    suggested_supplier: Mapped[Supplier | None] = relationship()

    @property
    def budget_commitment(self) -> dict | None:
        """What the budget module reserves when the request is approved (duck-typed contract)."""
        if self.department_id is None:
            return None
        on = (self.submitted_at or self.created_at or utcnow()).date()
        return {"department_id": self.department_id, "category": self.cost_category, "amount": self.total, "on": on}


class RequestLine(Model):
    """One item of a purchase request: what, which specification, how many, at what estimate."""

    __tablename__ = "procurement_request_line"
    __label__ = _l("Purchase request item")
    __labels__ = {"item": _l("Item"), "specification": _l("Specification"),
                  "unit_price": _l("Estimated unit price")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("procurement_request.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(100))
    item_key: Mapped[str] = mapped_column(String(100), index=True)
    specification: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column()


class Quotation(Model):
    """One supplier's answer to a request (a column of the 询价记录表)."""

    __tablename__ = "procurement_quotation"
    __label__ = _l("Quotation")
    __labels__ = {"supplier_id": _l("Supplier"), "lead_days": _l("Lead time (days)"),
                  "after_sales": _l("After-sales terms"), "service_score": _l("Service and brand score"),
                  "sample_result": _l("Sample test")}
    __table_args__ = (UniqueConstraint("request_id", "supplier_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("procurement_request.id", ondelete="CASCADE"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"), index=True)
    lead_days: Mapped[int] = mapped_column(Integer)
    after_sales: Mapped[str] = mapped_column(String(500), default="")
    service_score: Mapped[int] = mapped_column(Integer)
    sample_result: Mapped[str] = mapped_column(String(500), default="")
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    supplier: Mapped[Supplier] = relationship()
    prices: Mapped[list["QuotationPrice"]] = relationship(cascade="all, delete-orphan")


class QuotationPrice(Model):
    """A supplier's unit price for one line of the request (a cell of the matrix)."""

    __tablename__ = "procurement_quotation_price"
    __label__ = _l("Quoted price")
    __table_args__ = (UniqueConstraint("quotation_id", "line_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quotation_id: Mapped[int] = mapped_column(ForeignKey("procurement_quotation.id", ondelete="CASCADE"),
                                              index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("procurement_request_line.id", ondelete="CASCADE"))
    unit_price: Mapped[Decimal] = mapped_column()


class PurchaseOrder(Document, Model):
    """采购订单: issued from an approved request and its chosen quotation; received by the warehouse."""

    __tablename__ = "procurement_order"
    __document_type__ = "procurement.order"
    __label__ = _l("Purchase order")
    __labels__ = {"request_id": _l("Purchase request"), "supplier_id": _l("Supplier"),
                  "expected_on": _l("Expected delivery"), "lines": _l("Items"), "quotation_id": _l("Quotation")}
    __extra_table_args__ = (
        Index("ix_procurement_order_total", "total", "id"),
        Index("ix_procurement_order_requester_total", "requester_id", "total", "id"),
        Index("ix_procurement_order_department_total", "department_id", "total", "id"),
        Index("ix_procurement_order_supplier_created", "supplier_id", "created_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    request_id: Mapped[int] = mapped_column(ForeignKey("procurement_request.id"), index=True)
    quotation_id: Mapped[int] = mapped_column(ForeignKey("procurement_quotation.id"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("procurement_supplier.id"))
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    expected_on: Mapped[date | None] = mapped_column(Date)

    lines: Mapped[list["OrderLine"]] = relationship(order_by="OrderLine.position", cascade="all, delete-orphan")
    supplier: Mapped[Supplier] = relationship()
    request: Mapped[PurchaseRequest] = relationship()


class OrderLine(Model):
    """One item of a purchase order and how much of it the warehouse has taken in."""

    __tablename__ = "procurement_order_line"
    __label__ = _l("Purchase order item")
    __labels__ = {"item": _l("Item"), "specification": _l("Specification"), "received": _l("Received")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("procurement_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(100))
    specification: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(20))
    unit_price: Mapped[Decimal] = mapped_column()
    received: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
