"""Warehouse 验收入库: goods receipts against purchase orders, discrepancy records, stock items
and their movements."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet import lazy_gettext as _l
from intranet.documents import Document

QUANTITY = Numeric(12, 3)


class StockItem(Model):
    """库存物品: what the warehouse holds of one item and specification, and where."""

    __tablename__ = "warehouse_item"
    __label__ = _l("Stock item")
    __labels__ = {"code": _l("Item code"), "name": _l("Item"), "specification": _l("Specification"),
                  "location": _l("Location"), "reserved": _l("Reserved"),
                  "pending_installation": _l("Pending installation")}
    __table_args__ = (Index("ix_warehouse_item_name", "name", "id"),
                      Index("ix_warehouse_item_location_name", "location", "name", "id"),
                      Index("ix_warehouse_item_quantity", "quantity", "id"),
                      Index("ix_warehouse_item_pending_name", "pending_installation", "name", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    #: how receipts find the item again: name and specification, case and spacing ignored
    key: Mapped[str] = mapped_column(String(310), unique=True)
    specification: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20))
    location: Mapped[str] = mapped_column(String(60), default="")
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    pending_installation: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockMovement(Model):
    """库存流水: one change of an item's quantity and the document that made it."""

    __tablename__ = "warehouse_movement"
    __label__ = _l("Stock movement")
    __table_args__ = (Index("ix_warehouse_movement_item_at", "item_id", "at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("warehouse_item.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    balance: Mapped[Decimal] = mapped_column(QUANTITY)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("warehouse_receipt.id"))
    reference: Mapped[str] = mapped_column(String(80), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class GoodsReceipt(Document, Model):
    """入库单: the keeper's check of what arrived against a purchase order, signed by the keeper."""

    __tablename__ = "warehouse_receipt"
    __document_type__ = "warehouse.receipt"
    __label__ = _l("Goods receipt")
    __labels__ = {"order_id": _l("Purchase order"), "order_number": _l("Purchase order"),
                  "supplier_id": _l("Supplier"), "supplier_name": _l("Supplier"), "purchaser_id": _l("Purchaser"),
                  "arrived_at": _l("Arrived"), "expected_on": _l("Expected delivery"), "on_time": _l("On time"),
                  "signed_by_id": _l("Signed by"), "signed_at": _l("Signed"), "signature": _l("Signature"),
                  "lines": _l("Items")}
    __extra_table_args__ = (
        Index("ix_warehouse_receipt_order", "order_id", "id"),
        Index("ix_warehouse_receipt_supplier_arrived", "supplier_id", "arrived_at"),
        Index("ix_warehouse_receipt_arrived", "arrived_at", "id"),
        Index("ix_warehouse_receipt_requester_arrived", "requester_id", "arrived_at", "id"),
        Index("ix_warehouse_receipt_department_arrived", "department_id", "arrived_at", "id"),
        Index("ix_warehouse_receipt_status_arrived", "status", "arrived_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    # The order lives in procurement: read through its hooks, never joined.
    order_id: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    supplier_name: Mapped[str] = mapped_column(String(200), default="")
    purchaser_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    arrived_at: Mapped[datetime] = mapped_column(default=utcnow)
    expected_on: Mapped[date | None] = mapped_column(Date)
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    remarks: Mapped[str] = mapped_column(Text, default="")
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    signed_at: Mapped[datetime | None] = mapped_column()
    signature: Mapped[str] = mapped_column(String(64), default="")

    lines: Mapped[list["ReceiptLine"]] = relationship(order_by="ReceiptLine.position", cascade="all, delete-orphan")


class ReceiptLine(Model):
    """One order line as checked: counted, appearance and specification, how many fail."""

    __tablename__ = "warehouse_receipt_line"
    __label__ = _l("Goods receipt item")
    __labels__ = {"item": _l("Item"), "specification": _l("Specification"), "ordered": _l("Ordered"),
                  "delivered": _l("On the delivery note"), "quantity": _l("Counted"), "rejected": _l("Rejected"),
                  "appearance_ok": _l("Appearance OK"), "specification_ok": _l("Specification OK"),
                  "location": _l("Location"), "needs_installation": _l("Needs installation"),
                  "exception_reason": _l("Over-receipt exception")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("warehouse_receipt.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    order_line_id: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(100))
    specification: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(20))
    ordered: Mapped[Decimal] = mapped_column(QUANTITY)
    #: the order line's open quantity when the receipt was opened
    open_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    delivered: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    rejected: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal(0))
    appearance_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    specification_ok: Mapped[bool] = mapped_column(Boolean, default=True)
    location: Mapped[str] = mapped_column(String(60), default="")
    needs_installation: Mapped[bool] = mapped_column(Boolean, default=False)
    exception_reason: Mapped[str] = mapped_column(String(300), default="")
    stock_item_id: Mapped[int | None] = mapped_column(ForeignKey("warehouse_item.id"))

    @property
    def accepted(self) -> Decimal:
        return max(Decimal(0), (self.quantity or Decimal(0)) - (self.rejected or Decimal(0)))

    @property
    def passed(self) -> bool:
        return self.appearance_ok and self.specification_ok and not self.rejected


class Discrepancy(Document, Model):
    """到货异常: short, damaged or wrong-model goods of a receipt, open until the purchaser
    resolves it by replacement, return or credit."""

    __tablename__ = "warehouse_discrepancy"
    __document_type__ = "warehouse.discrepancy"
    __label__ = _l("Discrepancy")
    __labels__ = {"receipt_id": _l("Goods receipt"), "order_number": _l("Purchase order"),
                  "supplier_name": _l("Supplier"), "kind": _l("Kind"), "item": _l("Item"),
                  "description": _l("Description"), "resolution": _l("Resolution"),
                  "resolution_note": _l("Resolution note"), "resolved_at": _l("Resolved"),
                  "resolved_by_id": _l("Resolved by"), "purchaser_id": _l("Purchaser")}
    __extra_table_args__ = (
        Index("ix_warehouse_discrepancy_order", "order_id", "status"),
        Index("ix_warehouse_discrepancy_supplier_created", "supplier_id", "created_at"),
        Index("ix_warehouse_discrepancy_purchaser_created", "purchaser_id", "created_at", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    receipt_id: Mapped[int] = mapped_column(ForeignKey("warehouse_receipt.id"), index=True)
    receipt_line_id: Mapped[int | None] = mapped_column(ForeignKey("warehouse_receipt_line.id"))
    order_id: Mapped[int] = mapped_column(Integer)
    order_number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[int | None] = mapped_column(Integer)
    supplier_name: Mapped[str] = mapped_column(String(200), default="")
    purchaser_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(String(20), default="")
    resolution_note: Mapped[str] = mapped_column(String(1000), default="")
    resolved_at: Mapped[datetime | None] = mapped_column()
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    receipt: Mapped[GoodsReceipt] = relationship()
