"""General requests 通用审批: anything no other module covers."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model
from intranet import lazy_gettext as _l
from intranet.documents import Document


class GeneralRequest(Document, Model):
    """One revision of a general request. Changing an approved request makes a
    new revision with the same number, approved on its own; the old one is then superseded."""

    __tablename__ = "general_request"
    __label__ = _l("General request")
    __labels__ = {"revision": _l("Revision"), "supersedes_id": _l("Replaces")}
    __document_type__ = "general.request"
    __number_unique__ = False
    __extra_table_args__ = (
        UniqueConstraint("number", "revision"),
        # The list's other order, read in index order within each scope (see intranet.web.lists).
        Index("ix_general_request_amount", "amount", "id"),
        Index("ix_general_request_requester_amount", "requester_id", "amount", "id"),
        Index("ix_general_request_department_amount", "department_id", "amount", "id"),
    )

    revision: Mapped[int] = mapped_column(Integer, default=1)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("general_request.id"))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="CNY")

    supersedes: Mapped["GeneralRequest | None"] = relationship(remote_side="GeneralRequest.id")

    @property
    def display_number(self) -> str:
        return self.number if self.revision == 1 else f"{self.number}-R{self.revision}"
