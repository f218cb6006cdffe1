from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Model, utcnow
from ..i18n import lazy_gettext as _l


class SettingValue(Model):
    """An administrator's override of a setting's default (stored as JSON)."""

    __tablename__ = "core_setting"
    __label__ = _l("Setting")
    __runtime_cached__ = True

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))
