"""The booking grid 会议室预订表: rooms × half hours of a day, or rooms × days of a week.

Pure layout, no Flask or database: the view reads the rooms and the meetings once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone


@dataclass(frozen=True)
class Cell:
    span: int
    meeting: object | None
    start: datetime  # UTC, for a "book this slot" link


def day_rows(rooms, meetings, day: date, tz, first_hour: int, last_hour: int) -> tuple[list[str], list]:
    """Half-hour columns from ``first_hour`` to ``last_hour`` and one row of cells per room;
    a booking spans the half hours it touches."""
    slots = [datetime.combine(day, time(first_hour), tzinfo=tz) + timedelta(minutes=30 * i)
             for i in range((last_hour - first_hour) * 2)]
    labels = [s.strftime("%H:%M") for s in slots]
    by_room: dict[int, list] = {}
    for meeting in meetings:
        by_room.setdefault(meeting.room_id, []).append(meeting)
    rows = []
    for room in rooms:
        cells, i = [], 0
        booked = sorted(by_room.get(room.id, []), key=lambda m: m.starts_at)
        while i < len(slots):
            start, end = slots[i], slots[i] + timedelta(minutes=30)
            meeting = next((m for m in booked if _aware(m.starts_at) < end and _aware(m.ends_at) > start), None)
            if meeting is None:
                cells.append(Cell(1, None, start.astimezone(timezone.utc)))
                i += 1
                continue
            span = 1
            while i + span < len(slots) and _aware(meeting.ends_at) > slots[i + span]:
                span += 1
            cells.append(Cell(span, meeting, start.astimezone(timezone.utc)))
            i += span
        rows.append((room, cells))
    return labels, rows


def week_rows(rooms, meetings, days: list[date], tz) -> list:
    """Per room, per day, the bookings of that day in order."""
    table = {(m.room_id, _aware(m.starts_at).astimezone(tz).date()): [] for m in meetings}
    for meeting in sorted(meetings, key=lambda m: m.starts_at):
        table[(meeting.room_id, _aware(meeting.starts_at).astimezone(tz).date())].append(meeting)
    return [(room, [table.get((room.id, day), []) for day in days]) for room in rooms]


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
