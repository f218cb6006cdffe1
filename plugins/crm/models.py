"""客户关系 CRM: customers, their approved terms, contacts, quotations and requests."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet import lazy_gettext as _l
from intranet.documents import Document
from intranet.org import User


class Customer(Document, Model):
    """客户档案: a customer (or prospect) and who looks after it. ``owner_id`` empty means
    the customer is in the shared pool 公海, free to be claimed. The terms orders may use are
    the last approved :class:`CustomerTerms` (``terms_approved``, ``discount``, ``payment_terms``)."""

    __tablename__ = "crm_customer"
    __document_type__ = "crm.customer"
    __label__ = _l("Customer")
    __labels__ = {"name": _l("Name"), "industry": _l("Industry"), "tax_number": _l("Tax number"),
                  "phone": _l("Phone"), "address": _l("Address"), "channels": _l("Channels"),
                  "products": _l("Products"), "relationship_since": _l("Customer since"), "tags": _l("Tags"),
                  "owner_id": _l("Owner"), "owner": _l("Owner"), "last_contact_at": _l("Last contact"),
                  "terms_approved": _l("Terms approved"), "discount": _l("Approved discount (%)"),
                  "payment_terms": _l("Payment terms"), "terms_version": _l("Terms version"),
                  "abc_class": _l("ABC class"), "rfm_tier": _l("RFM tier"), "name_key": _l("Name (compared)")}
    __extra_table_args__ = (
        Index("ix_crm_customer_name_key", "name_key"),
        Index("ix_crm_customer_tax_number", "tax_number"),
        Index("ix_crm_customer_phone", "phone"),
        Index("ix_crm_customer_owner_created", "owner_id", "created_at", "id"),
        Index("ix_crm_customer_last_contact", "last_contact_at", "id"),
        Index("ix_crm_customer_owner_last_contact", "owner_id", "last_contact_at", "id"),
        Index("ix_crm_customer_department_last_contact", "department_id", "last_contact_at", "id"),
        Index("ix_crm_customer_abc_created", "abc_class", "created_at", "id"),
    )

    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(60), default="")
    tax_number: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    channels: Mapped[str] = mapped_column(String(200), default="")
    products: Mapped[str] = mapped_column(String(300), default="")
    relationship_since: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    last_contact_at: Mapped[datetime | None] = mapped_column()
    terms_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    payment_terms: Mapped[str] = mapped_column(String(60), default="")
    terms_version: Mapped[int] = mapped_column(Integer, default=0)
    abc_class: Mapped[str] = mapped_column(String(1), default="")
    rfm_recency: Mapped[int] = mapped_column(Integer, default=0)
    rfm_frequency: Mapped[int] = mapped_column(Integer, default=0)
    rfm_monetary: Mapped[int] = mapped_column(Integer, default=0)
    rfm_tier: Mapped[str] = mapped_column(String(20), default="")
    revenue: Mapped[Decimal] = mapped_column(default=Decimal(0))
    segmented_at: Mapped[datetime | None] = mapped_column()

    owner: Mapped[User | None] = relationship(User, foreign_keys=[owner_id])
    contacts: Mapped[list["CustomerContact"]] = relationship(order_by="CustomerContact.position",
                                                             cascade="all, delete-orphan")

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def title(self) -> str:
        return self.name


class CustomerContact(Model):
    """联系人: a person at the customer. Personal data: shown only to the owner, their head
    and sales management."""

    __tablename__ = "crm_contact"
    __label__ = _l("Contact")
    __audit_redact__ = ("phone", "email", "wechat")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(60), default="")
    phone: Mapped[str] = mapped_column(String(40), default="", index=True)
    email: Mapped[str] = mapped_column(String(120), default="")
    wechat: Mapped[str] = mapped_column(String(60), default="")


class CustomerTerms(Document, Model):
    """客户条款: one version of a customer's approved discount and payment terms. Version 1
    is the new customer's approval; every change of discount or terms is a further version,
    approved by the market manager and the chief accountant before orders use it."""

    __tablename__ = "crm_terms"
    __document_type__ = "crm.terms"
    __label__ = _l("Customer terms")
    __labels__ = {"customer_id": _l("Customer"), "version": _l("Version"), "discount": _l("Discount (%)"),
                  "payment_terms": _l("Payment terms"), "reason": _l("Reason")}
    __extra_table_args__ = (Index("ix_crm_terms_customer", "customer_id", "version"),)

    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    discount: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    payment_terms: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text, default="")

    customer: Mapped[Customer] = relationship(Customer)

    @property
    def title(self) -> str:
        return f"{self.customer.name} · V{self.version}"


class ContactLog(Model):
    """联系记录: one contact with a customer (time, channel, person, result), so that nothing
    depends on one salesperson's memory."""

    __tablename__ = "crm_contact_log"
    __label__ = _l("Contact log")
    __table_args__ = (Index("ix_crm_contact_log_customer_at", "customer_id", "at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(30))
    person_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    result: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[User] = relationship(User)


class SalesQuotation(Document, Model):
    """报价单: prices offered to a customer; accepted, it turns a prospect into a lead customer
    线索客户 and becomes a sales order."""

    __tablename__ = "crm_quotation"
    __document_type__ = "crm.quotation"
    __label__ = _l("Quotation")
    __labels__ = {"customer_id": _l("Customer"), "valid_until": _l("Valid until"), "order_ref": _l("Sales order")}
    __extra_table_args__ = (Index("ix_crm_quotation_customer", "customer_id", "created_at", "id"),
                            Index("ix_crm_quotation_total", "total", "id"),
                            Index("ix_crm_quotation_requester_total", "requester_id", "total", "id"),
                            Index("ix_crm_quotation_department_total", "department_id", "total", "id"))

    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    title: Mapped[str] = mapped_column(String(200))
    valid_until: Mapped[date | None] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    remarks: Mapped[str] = mapped_column(Text, default="")
    order_ref: Mapped[str] = mapped_column(String(200), default="")

    customer: Mapped[Customer] = relationship(Customer)
    lines: Mapped[list["QuotationLine"]] = relationship(order_by="QuotationLine.position",
                                                        cascade="all, delete-orphan")


class QuotationLine(Model):
    """报价明细: one product on a quotation."""

    __tablename__ = "crm_quotation_line"
    __label__ = _l("Quotation line")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quotation_id: Mapped[int] = mapped_column(ForeignKey("crm_quotation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    product: Mapped[str] = mapped_column(String(100))
    specification: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price: Mapped[Decimal] = mapped_column()


class CustomerRequest(Document, Model):
    """客户需求登记表: an enquiry, complaint or cooperation request, answered by the responsible
    department within its deadline and followed by a satisfaction callback (1-5)."""

    __tablename__ = "crm_request"
    __document_type__ = "crm.request"
    __label__ = _l("Customer request")
    __labels__ = {"customer_id": _l("Customer"), "kind": _l("Type"), "responsible_department_id":
                  _l("Responsible department"), "due_at": _l("Response due"), "responded_at": _l("Answered"),
                  "response": _l("Response"), "callback_due": _l("Callback due"),
                  "called_back_at": _l("Called back"), "score": _l("Satisfaction (1-5)"),
                  "escalated_at": _l("Escalated")}
    __extra_table_args__ = (Index("ix_crm_request_responsible_created", "responsible_department_id",
                                  "created_at", "id"),
                            Index("ix_crm_request_status_due", "status", "due_at"),
                            Index("ix_crm_request_customer", "customer_id", "created_at", "id"))

    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text)
    responsible_department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    due_at: Mapped[datetime] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()
    response: Mapped[str] = mapped_column(Text, default="")
    callback_due: Mapped[date | None] = mapped_column(Date)
    called_back_at: Mapped[datetime | None] = mapped_column()
    score: Mapped[int | None] = mapped_column(Integer)
    escalated_at: Mapped[datetime | None] = mapped_column()

    customer: Mapped[Customer] = relationship(Customer)

    @property
    def title(self) -> str:
        return f"{self.customer.name}: {self.description[:40]}"


MODELS = [Customer, CustomerContact, CustomerTerms, ContactLog, SalesQuotation, QuotationLine, CustomerRequest]
