"""Days, weeks, months, quarters and years in the company's time zone.

Times are stored in UTC, but a report counts what happened on the company's calendar: an
approval at 16:20 UTC on 30 November happened on 1 December in Shanghai. These helpers put
a moment into its local period, in SQL (:func:`local_period`, for ``GROUP BY``) and in
Python (:func:`period_of`), and list the periods of a range (:func:`periods_between`) so a
chart shows the empty ones too.

Period keys sort as text and read the same on every database:

========  ==============  ==========================================
period    key             note
========  ==============  ==========================================
day       ``2026-12-01``
week      ``2026-W49``    ISO 8601: weeks start on Monday; week 1 holds
                          the year's first Thursday
month     ``2026-12``
quarter   ``2026-Q4``
year      ``2026``
========  ==============  ==========================================

On PostgreSQL the zone's rules apply to each row (``AT TIME ZONE``). SQLite has no time
zones: :func:`local_period` shifts by the zone's UTC offset at one moment (``at``, default
now). For zones without daylight saving time (Asia/Shanghai, Hong Kong, Taipei, Singapore)
that is exact; in a zone with daylight saving time, rows from the other season land one hour
off, so a row within an hour of midnight may count on the neighbouring day.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from babel import dates
from sqlalchemy import Integer, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from ..i18n import gettext

PERIODS = ("day", "week", "month", "quarter", "year")

_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-/]*")
_KEY = {
    "day": re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
    "week": re.compile(r"(\d{4})-W(\d{2})"),
    "month": re.compile(r"(\d{4})-(\d{2})"),
    "quarter": re.compile(r"(\d{4})-Q([1-4])"),
    "year": re.compile(r"(\d{4})"),
}


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")


def _zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


# -- SQL ------------------------------------------------------------------------------
def local_period(column, period: str, tz_name: str | ZoneInfo, dialect,
                 at: datetime | None = None) -> ColumnElement[str]:
    """The period key (see the module's table) of a UTC timestamp ``column`` in zone
    ``tz_name``, as an SQL expression to select, group and order by.

    ``dialect`` is a dialect name ("postgresql", "sqlite") or anything with a ``.name``
    (``session.get_bind().dialect``). The zone and the formats are written into the SQL
    as literals, not parameters, so the same expression in ``SELECT`` and ``GROUP BY``
    compiles to the same text (PostgreSQL compares them as text). ``at`` picks the moment
    whose UTC offset SQLite uses (see the module's note on daylight saving time).
    """
    _check_period(period)
    zone = _zone(tz_name)  # unknown zones fail here, before any SQL
    if not _ZONE_NAME.fullmatch(zone.key):
        raise ValueError(f"unexpected time zone name {zone.key!r}")
    name = getattr(dialect, "name", dialect)
    if name == "postgresql":
        return _postgresql(column, period, zone.key)
    if name == "sqlite":
        offset = (at or datetime.now(timezone.utc)).astimezone(zone).utcoffset() or timedelta(0)
        return _sqlite(column, period, f"{int(offset.total_seconds() // 60):+d} minutes")
    raise ValueError(f"local_period: no SQL for the {name!r} database")


def _text(value: str):
    return literal_column("'" + value.replace("'", "''") + "'")


def _int(value: int):
    return literal_column(str(int(value)), Integer)


_PG_FORMATS = {"day": "YYYY-MM-DD", "week": 'IYYY-"W"IW', "month": "YYYY-MM", "quarter": 'YYYY-"Q"Q',
               "year": "YYYY"}


def _postgresql(column, period: str, zone: str):
    # timestamptz AT TIME ZONE 'zone' is the wall-clock time there, with that day's rules.
    return func.to_char(func.timezone(_text(zone), column), _text(_PG_FORMATS[period]))


def _sqlite(column, period: str, shift: str):
    def fmt(pattern: str, *modifiers: str):
        return func.strftime(_text(pattern), column, _text(shift), *map(_text, modifiers))

    if period == "day":
        return fmt("%Y-%m-%d")
    if period == "month":
        return fmt("%Y-%m")
    if period == "year":
        return fmt("%Y")
    if period == "quarter":
        return func.printf(_text("%s-Q%d"), fmt("%Y"), (cast(fmt("%m"), Integer) + _int(2)) // _int(3))
    # ISO week: the week's Thursday names its year, and its day of the year its number.
    # ('-3 days', 'weekday 4') is the Thursday of the Monday-to-Sunday week; SQLite before
    # 3.46 has no %G/%V.
    thursday = ("-3 days", "weekday 4")
    return func.printf(_text("%s-W%02d"), fmt("%Y", *thursday),
                       (cast(fmt("%j", *thursday), Integer) - _int(1)) // _int(7) + _int(1))


# -- Python ---------------------------------------------------------------------------
def period_of(moment: datetime | date, period: str, tz: str | ZoneInfo) -> str:
    """The key of the period holding ``moment`` (an aware datetime, or a local date) in ``tz``."""
    _check_period(period)
    day = moment.astimezone(_zone(tz)).date() if isinstance(moment, datetime) else moment
    return _key(day, period)


def _key(day: date, period: str) -> str:
    if period == "day":
        return day.isoformat()
    if period == "week":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return f"{day.year}-{day.month:02d}"
    if period == "quarter":
        return f"{day.year}-Q{(day.month + 2) // 3}"
    return str(day.year)


def period_start(key: str, period: str) -> date:
    """The first local day of the period ``key``."""
    _check_period(period)
    match = _KEY[period].fullmatch(key or "")
    if not match:
        raise ValueError(f"{key!r} is not a {period} key")
    numbers = [int(part) for part in match.groups()]
    if period == "day":
        return date(*numbers)
    if period == "week":
        return date.fromisocalendar(numbers[0], numbers[1], 1)
    if period == "month":
        return date(numbers[0], numbers[1], 1)
    if period == "quarter":
        return date(numbers[0], numbers[1] * 3 - 2, 1)
    return date(numbers[0], 1, 1)


def _shift(start: date, period: str, count: int = 1) -> date:
    """The start of the period ``count`` periods after the one starting on ``start``."""
    if period == "day":
        return start + timedelta(days=count)
    if period == "week":
        return start + timedelta(days=7 * count)
    months = {"month": 1, "quarter": 3, "year": 12}[period] * count
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_bounds(key: str, period: str, tz: str | ZoneInfo) -> tuple[datetime, datetime]:
    """The period ``key`` as UTC moments ``(start, end)``, ``end`` excluded: local
    midnight to local midnight, for ``WHERE start <= column < end``."""
    zone = _zone(tz)
    start = period_start(key, period)

    def utc(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)

    return utc(start), utc(_shift(start, period))


def periods_between(start: date | datetime, end: date | datetime, period: str,
                    tz: str | ZoneInfo | None = None) -> list[str]:
    """Every period key from the one holding ``start`` to the one holding ``end``, both
    included, in order: the rows of a chart, with the periods that had nothing in them.
    Datetimes need ``tz`` (the company's zone) to find their local day."""
    _check_period(period)

    def local(value):
        if isinstance(value, datetime):
            if tz is None:
                raise ValueError("periods_between: give tz for datetimes")
            return value.astimezone(_zone(tz)).date()
        return value

    first, last = local(start), local(end)
    keys, current = [], period_start(_key(first, period), period)
    while current <= last:
        keys.append(_key(current, period))
        current = _shift(current, period)
    return keys


def last_periods(today: date, period: str, count: int) -> list[str]:
    """The ``count`` periods up to and including the one holding ``today`` (a local date):
    "the last six months" of a chart."""
    _check_period(period)
    current = period_start(_key(today, period), period)
    return periods_between(_shift(current, period, 1 - count), today, period)


def period_label(key: str, period: str, locale) -> str:
    """The period as a reader says it: "2026年12月" or "Dec 2026", "2026年第4季度" or "Q4 2026"."""
    start = period_start(key, period)
    if period == "week":
        year, week, _weekday = start.isocalendar()
        return gettext("Week %(week)s of %(year)s", week=week, year=year)
    skeleton = {"day": "yMMMd", "month": "yMMM", "quarter": "yQQQ", "year": "y"}[period]
    return dates.format_skeleton(skeleton, start, locale=locale)
