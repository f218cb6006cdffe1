"""The timeline 甘特图 laid out for a server-drawn SVG: bars, milestones and dependency arrows.

Pure geometry, no Flask: the template only draws what this computes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

LABEL_WIDTH = 220
ROW_HEIGHT = 26
HEADER = 34
MIN_DAYS = 14


@dataclass(frozen=True)
class Bar:
    task: object
    y: float
    x: float
    width: float
    done_width: float
    late: bool


@dataclass(frozen=True)
class Diamond:
    x: float
    y: float
    title: str
    due_on: date
    done: bool


@dataclass(frozen=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    weekend: bool


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    bars: list[Bar]
    diamonds: list[Diamond]
    arrows: list[Arrow]
    ticks: list[Tick]
    today_x: float | None
    start: date
    end: date


def layout(tasks: list, today: date, *, width: int = 960) -> Chart:
    """Place ``tasks`` (with start_on, due_on, progress, milestones, predecessors) on a day axis."""
    days = [d for t in tasks for d in (t.start_on, t.due_on)] + [m.due_on for t in tasks for m in t.milestones]
    start = min(days, default=today) - timedelta(days=1)
    end = max(days + [start + timedelta(days=MIN_DAYS)]) + timedelta(days=1)
    span = (end - start).days + 1
    per_day = (width - LABEL_WIDTH) / span

    def x_of(day: date) -> float:
        return LABEL_WIDTH + (day - start).days * per_day

    bars, diamonds, row_of = [], [], {}
    for row, task in enumerate(tasks):
        y = HEADER + row * ROW_HEIGHT
        row_of[task.id] = row
        x, right = x_of(task.start_on), x_of(task.due_on + timedelta(days=1))
        bars.append(Bar(task, y, x, max(right - x, 2), (right - x) * min(task.progress, 100) / 100,
                        task.status == "delayed"))
        diamonds += [Diamond(x_of(m.due_on) + per_day / 2, y + ROW_HEIGHT / 2 - 3, m.title, m.due_on, m.done)
                     for m in task.milestones]
    arrows = []
    for task in tasks:
        for link in task.predecessors:
            if link.depends_on_id in row_of:
                upstream = bars[row_of[link.depends_on_id]]
                here = bars[row_of[task.id]]
                arrows.append(Arrow(upstream.x + upstream.width, upstream.y + ROW_HEIGHT / 2 - 3,
                                    here.x, here.y + ROW_HEIGHT / 2 - 3))
    step = max(1, round(span / 12))
    ticks = [Tick(x_of(start + timedelta(days=i)), (start + timedelta(days=i)).strftime("%m-%d"),
                  (start + timedelta(days=i)).weekday() >= 5) for i in range(0, span, step)]
    today_x = x_of(today) if start <= today <= end else None
    return Chart(width, HEADER + max(len(tasks), 1) * ROW_HEIGHT + 8, bars, diamonds, arrows, ticks, today_x,
                 start, end)
