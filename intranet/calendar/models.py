from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Model
from ..i18n import lazy_gettext as _l


class CalendarDay(Model):
    """An exception to the normal week: a holiday 节假日, or a make-up working
    day 调休上班 that falls on a weekend (``is_workday``)."""

    __tablename__ = "core_calendar_day"
    __label__ = _l("Calendar day")
    __runtime_cached__ = True

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False)
