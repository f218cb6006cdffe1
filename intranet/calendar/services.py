"""Working-day and working-hour arithmetic on the company's work calendar."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CalendarDay

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_SCAN_DAYS = 3660  # a calendar that has no working day for ten years is broken


@dataclass(frozen=True)
class CalendarDays:
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()


def load_calendar_days(session: Session) -> CalendarDays:
    """Runtime loader for the configured exceptions to the normal week."""
    holidays, workdays = set(), set()
    for day, is_workday in session.execute(select(CalendarDay.day, CalendarDay.is_workday)):
        (workdays if is_workday else holidays).add(day)
    return CalendarDays(frozenset(holidays), frozenset(workdays))


@dataclass(frozen=True)
class WorkCalendar:
    """Weekends and holidays excluded; working hours between ``day_start`` and ``day_end``."""

    tz: ZoneInfo = ZoneInfo("Asia/Shanghai")
    weekend: frozenset[int] = frozenset({5, 6})
    days: CalendarDays = field(default_factory=CalendarDays)
    day_start: time = time(9, 0)
    day_end: time = time(18, 0)

    @classmethod
    def from_settings(cls, settings, days: CalendarDays) -> "WorkCalendar":
        weekend = frozenset(WEEKDAY_NAMES.index(name[:3].lower()) for name in settings["core.weekend_days"]
                            if name[:3].lower() in WEEKDAY_NAMES)
        return cls(tz=ZoneInfo(settings["core.timezone"]), weekend=weekend, days=days,
                   day_start=settings["core.workday_start"], day_end=settings["core.workday_end"])

    # -- days ---------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        if day in self.days.workdays:
            return True
        if day in self.days.holidays:
            return False
        return day.weekday() not in self.weekend

    def next_working_day(self, day: date) -> date:
        """The first working day on or after ``day``."""
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("the work calendar has no working days")

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``count`` >= 0; 0 gives the
        next working day on or after ``day``)."""
        if count <= 0:
            return self.next_working_day(day)
        for _ in range(_MAX_SCAN_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
                if count == 0:
                    return day
        raise ValueError("the work calendar has no working days")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    # -- times --------------------------------------------------------------
    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def today(self, now: datetime) -> date:
        return self.local(now).date()

    def end_of_day(self, day: date) -> datetime:
        return datetime.combine(day, self.day_end, tzinfo=self.tz).astimezone(timezone.utc)

    def due_in_days(self, start: datetime, days: int) -> datetime:
        """End of the working day ``days`` working days after ``start``."""
        return self.end_of_day(self.add_working_days(self.today(start), days))

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The moment ``hours`` of working time after ``start`` (in UTC)."""
        remaining = timedelta(hours=hours)
        moment = self.local(start)
        for _ in range(_MAX_SCAN_DAYS):
            day = moment.date()
            opens = datetime.combine(day, self.day_start, tzinfo=self.tz)
            closes = datetime.combine(day, self.day_end, tzinfo=self.tz)
            if self.is_working_day(day) and moment < closes:
                moment = max(moment, opens)
                available = closes - moment
                if remaining <= available:
                    return (moment + remaining).astimezone(timezone.utc)
                remaining -= available
            moment = datetime.combine(day + timedelta(days=1), self.day_start, tzinfo=self.tz)
        raise ValueError("the work calendar has no working hours")
