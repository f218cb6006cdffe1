"""General requests 通用审批: anything no other module covers."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet.files import StoredFile
from intranet.i18n import lazy_gettext as _l
from intranet.org import Department, User


class GeneralRequest(Model):
    """One revision of a general request. Changing an approved request makes a
    new revision with the same number, approved on its own; the old one is then superseded."""

    __tablename__ = "general_request"
    __label__ = _l("General request")
    __labels__ = {"revision": _l("Revision"), "supersedes_id": _l("Replaces")}
    __table_args__ = (
        UniqueConstraint("number", "revision"),
        Index("ix_general_request_requester_created", "requester_id", "created_at"),
        Index("ix_general_request_department_created", "department_id", "created_at"),
        Index("ix_general_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("general_request.id"))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    requester_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"))
    #: draft, pending, approved, rejected, returned, withdrawn, superseded
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()

    requester: Mapped[User] = relationship()
    department: Mapped[Department | None] = relationship()
    supersedes: Mapped["GeneralRequest | None"] = relationship(remote_side=[id])
    attachments: Mapped[list["GeneralAttachment"]] = relationship(
        back_populates="request", order_by="GeneralAttachment.id", cascade="all, delete-orphan")

    @property
    def display_number(self) -> str:
        return self.number if self.revision == 1 else f"{self.number}-R{self.revision}"


class GeneralAttachment(Model):
    __tablename__ = "general_attachment"
    __label__ = _l("Attachment of a general request")
    __labels__ = {"file_id": _l("File")}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("general_request.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("core_file.id"))

    request: Mapped[GeneralRequest] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()
