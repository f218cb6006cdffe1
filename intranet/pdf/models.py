from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Model, utcnow
from ..i18n import lazy_gettext as _l
from ..org.models import User


class Printout(Model):
    """One document as printed: what it said then, so its QR code can tell whether it still holds."""

    __tablename__ = "core_printout"
    __label__ = _l("Printout")
    __table_args__ = (Index("ix_core_printout_document", "template_key", "document_id"),)

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    template_key: Mapped[str] = mapped_column(String(80))
    document_id: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    trail_hash: Mapped[str] = mapped_column(String(64), default="")
    printed_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
    signed: Mapped[bool] = mapped_column(Boolean, default=False)

    printed_by: Mapped[User | None] = relationship()
