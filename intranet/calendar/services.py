"""Working-day and working-hour arithmetic on the company's work calendar."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import CalendarDay
from .official import OfficialYear, official_year

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
    """Weekends and holidays excluded; working hours between ``day_start`` and ``day_end``.

    A day is a working day by the first of these that speaks of it: the administrators'
    own days (``days``), the ``official`` calendar ("CN": China's public holidays and
    make-up working days, for the years the installed package knows; "none"), the weekend.
    """

    tz: ZoneInfo = ZoneInfo("Asia/Shanghai")
    weekend: frozenset[int] = frozenset({5, 6})
    days: CalendarDays = field(default_factory=CalendarDays)
    day_start: time = time(9, 0)
    day_end: time = time(18, 0)
    official: str = "none"
    # Days off per year, worked out on first use: deadlines ask about hundreds of days per
    # request, and the calendar lives as long as the configuration snapshot it came from.
    _days_off: dict[int, frozenset[date]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def from_settings(cls, settings, days: CalendarDays) -> "WorkCalendar":
        weekend = frozenset(WEEKDAY_NAMES.index(name[:3].lower()) for name in settings["core.weekend_days"]
                            if name[:3].lower() in WEEKDAY_NAMES)
        return cls(tz=ZoneInfo(settings["core.timezone"]), weekend=weekend, days=days,
                   day_start=settings["core.workday_start"], day_end=settings["core.workday_end"],
                   official=settings["core.official_holidays"])

    # -- days ---------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        days_off = self._days_off.get(day.year)
        if days_off is None:
            days_off = self._days_off[day.year] = self._work_out_days_off(day.year)
        return day not in days_off

    def _work_out_days_off(self, year: int) -> frozenset[date]:
        official = self.official_days(year)
        off, day = set(), date(year, 1, 1)
        while day.year == year:
            if day in self.days.workdays:
                pass
            elif day in self.days.holidays:
                off.add(day)
            elif official is not None and day in official.workdays:
                pass
            elif (official is not None and day in official.holidays) or day.weekday() in self.weekend:
                off.add(day)
            day += timedelta(days=1)
        return frozenset(off)

    def official_days(self, year: int) -> OfficialYear | None:
        """The official holidays and make-up working days of ``year``, or ``None`` when the
        official calendar is off or the installed package does not know the year yet."""
        return official_year(self.official, year)

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
