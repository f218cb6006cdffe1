from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Model, utcnow


class Notification(Model):
    """An in-app notification, optionally e-mailed.

    ``message`` is an English message id with ``params``; it is translated when
    shown (or e-mailed) in the reader's language. ``key`` makes delivery
    idempotent: the reminder job may find the same deadline every run.
    """

    __tablename__ = "core_notification"
    __audit__ = False
    __table_args__ = (
        Index("ix_core_notification_user_unread", "user_id", "read_at"),
        Index("ix_core_notification_email_status", "email_status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"))
    module: Mapped[str] = mapped_column(String(40), default="core")
    message: Mapped[str] = mapped_column(String(300))
    params: Mapped[dict] = mapped_column(default=dict)
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()
    #: none (not wanted or no address), pending, sent, failed, off (no SMTP configured)
    email_status: Mapped[str] = mapped_column(String(10), default="none")
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
