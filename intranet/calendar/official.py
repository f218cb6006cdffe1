"""Official public holidays and make-up working days (调休), from a maintained package.

China's State Council publishes each year's holidays and the weekend days worked in
exchange late in the year before; the ``chinese-calendar`` package carries them (pinned in
pyproject.toml: upgrade it each winter). For a year it does not know, :func:`official_year`
answers ``None`` and the calendar falls back to the weekend setting and the
administrators' own days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import chinese_calendar

from ..errors import N_

#: Values of the ``core.official_holidays`` setting.
OFFICIAL_CALENDARS = ("CN", "none")

#: The package's English holiday names as message ids, so the catalogue translates them.
HOLIDAY_NAMES = {
    "New Year's Day": N_("New Year's Day"),
    "Spring Festival": N_("Spring Festival"),
    "Tomb-sweeping Day": N_("Tomb-sweeping Day"),
    "Labour Day": N_("Labour Day"),
    "Dragon Boat Festival": N_("Dragon Boat Festival"),
    "Mid-autumn Festival": N_("Mid-autumn Festival"),
    "National Day": N_("National Day"),
    "Anti-Fascist 70th Day": N_("Anti-Fascist 70th Day"),
}


@dataclass(frozen=True)
class OfficialHoliday:
    """One holiday of a year: its days off (weekends within it included) and the weekend
    days worked in exchange. ``name`` is an English message id (translate it to show it)."""

    name: str
    days_off: tuple[date, ...]
    make_up_days: tuple[date, ...]

    @property
    def dates(self) -> frozenset[date]:
        return frozenset(self.days_off + self.make_up_days)

    def spans(self) -> list[tuple[date, date]]:
        """The days off as runs of consecutive days, (first, last) each."""
        runs: list[tuple[date, date]] = []
        for day in self.days_off:
            if runs and (day - runs[-1][1]).days == 1:
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        return runs


@dataclass(frozen=True)
class OfficialYear:
    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    names: tuple[OfficialHoliday, ...]


def official_year(country: str, year: int) -> OfficialYear | None:
    """The official holidays of ``year`` in ``country`` ("CN"), or ``None`` when the
    country is "none" or the installed package has no data for the year."""
    if country != "CN":
        return None
    return _china(year)


def _name(holiday) -> str:
    # The package's data holds the names as text; its Holiday enum has them as values.
    return str(getattr(holiday, "value", holiday))


@lru_cache(maxsize=64)  # published data: the same for every company and every process
def _china(year: int) -> OfficialYear | None:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    holidays = {day: _name(holiday) for day, holiday in chinese_calendar.holidays.items() if day.year == year}
    workdays = {day: _name(holiday) for day, holiday in chinese_calendar.workdays.items() if day.year == year}
    order: dict[str, tuple[list[date], list[date]]] = {}
    for day in sorted(holidays):
        order.setdefault(holidays[day], ([], []))[0].append(day)
    for day in sorted(workdays):
        order.setdefault(workdays[day], ([], []))[1].append(day)
    names = tuple(OfficialHoliday(HOLIDAY_NAMES.get(name, name), tuple(off), tuple(make_up))
                  for name, (off, make_up) in sorted(order.items(), key=lambda item: min(item[1][0] or item[1][1])))
    return OfficialYear(year, frozenset(holidays), frozenset(workdays), names)
