from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model
from intranet.documents import Document


class ExampleItem(Model):
    __tablename__ = "example_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class ExampleOrder(Document, Model):
    """An order with lines: the module kit's document, in a few lines."""

    __tablename__ = "example_order"
    __document_type__ = "example.order"
    __extra_table_args__ = (Index("ix_example_order_amount", "amount", "id"),
                            Index("ix_example_order_requester_amount", "requester_id", "amount", "id"),
                            Index("ix_example_order_department_amount", "department_id", "amount", "id"))

    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    #: a colleague who looks the order over, chosen with the person picker (intranet.org.PersonField)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)

    reviewer = relationship("User", foreign_keys=[reviewer_id])
    lines: Mapped[list["ExampleOrderLine"]] = relationship(order_by="ExampleOrderLine.position",
                                                           cascade="all, delete-orphan")


class ExampleOrderLine(Model):
    __tablename__ = "example_order_line"
    __labels__ = {"item": "Article ordered"}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("example_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    item: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    unit_price: Mapped[Decimal] = mapped_column()
