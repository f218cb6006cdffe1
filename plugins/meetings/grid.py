"""The booking grid 会议室预订表: rooms × half hours of a day, or rooms × days of a week.

Pure layout, no Flask or database: the view reads the rooms and the meetings once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import quote


@dataclass(frozen=True)
class Cell:
    span: int
    meeting: object | None
    href: str  # for a free half hour: the new notice's form for this room and time


@dataclass(frozen=True)
class Booking:
    meeting: object
    hours: str  # "09:00–10:30" in the company's time zone


def day_rows(rooms, meetings, day: date, tz, first_hour: int, last_hour: int, new_url: str) -> tuple[list[str], list]:
    """Half-hour columns from ``first_hour`` to ``last_hour`` and one row of cells per room;
    a booking spans the half hours it touches. Each room's bookings are placed by arithmetic, so
    a grid of 50 rooms costs little more than its HTML."""
    first = datetime.combine(day, time(first_hour), tzinfo=tz)
    count = (last_hour - first_hour) * 2
    labels = [(first + timedelta(minutes=30 * i)).strftime("%H:%M") for i in range(count)]
    moments = [quote((first + timedelta(minutes=30 * i)).astimezone(timezone.utc).isoformat()) for i in range(count)]
    by_room: dict[int, list] = {}
    for meeting in meetings:
        by_room.setdefault(meeting.room_id, []).append(meeting)
    rows = []
    for room in rooms:
        taken: dict[int, tuple[object, int]] = {}
        for meeting in sorted(by_room.get(room.id, []), key=lambda m: m.starts_at):
            begin = _slot(first, _aware(meeting.starts_at), floor=True)
            finish = _slot(first, _aware(meeting.ends_at), floor=False)
            begin, finish = max(begin, 0), min(finish, count)
            if begin < finish and not any(i in taken for i in range(begin, finish)):
                taken[begin] = (meeting, finish - begin)
        cells, i, prefix = [], 0, f"{new_url}?room={room.id}&at="
        while i < count:
            if i in taken:
                meeting, span = taken[i]
                cells.append(Cell(span, meeting, ""))
                i += span
            else:
                cells.append(Cell(1, None, prefix + moments[i]))
                i += 1
        rows.append((room, cells))
    return labels, rows


def _slot(first: datetime, moment: datetime, *, floor: bool) -> int:
    minutes = (moment - first).total_seconds() / 60
    whole = int(minutes // 30)
    return whole if floor or minutes % 30 == 0 else whole + 1


def week_rows(rooms, meetings, days: list[date], tz) -> list:
    """Per room, per day, the bookings of that day in order, with their hours."""
    table: dict[tuple, list[Booking]] = {}
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        start, end = _aware(meeting.starts_at).astimezone(tz), _aware(meeting.ends_at).astimezone(tz)
        table.setdefault((meeting.room_id, start.date()), []).append(
            Booking(meeting, f"{start:%H:%M}–{end:%H:%M}"))
    return [(room, [table.get((room.id, day), []) for day in days]) for room in rooms]


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
