"""What a chart shows, as a module declares it; :mod:`.render` draws it.

Values may be ``int``, ``float`` or ``Decimal`` (``None`` for a missing value); labels may be
lazy strings. A chart is plain data with no Flask in it, so a widget builds one in its
``render`` callable and the template draws it with the ``chart`` macro.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Sequence

Number = int | float | Decimal

#: How values read: "number" (1,234.5), "money" (¥1,234.50 in ``currency``), "percent"
#: (a fraction: 0.25 reads 25%), each in the reader's locale.
FORMATS = ("number", "money", "percent")

#: Tones that mean something, in the stylesheet's colours (static/intranet.css ``:root``).
TONES = {
    "info": "#2563eb",
    "ok": "#15803d",
    "warn": "#b45309",
    "danger": "#b91c1c",
    "muted": "#9ca3af",
}

#: Colours for series that are merely different (departments, products), in this order.
PALETTE = ("#2563eb", "#f59e0b", "#0d9488", "#db2777", "#7c3aed", "#65a30d", "#0891b2", "#9a3412")

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def colour(tone: str | None, index: int) -> str:
    """The fill of a tone ("ok"), an explicit "#rrggbb", or the palette's ``index``-th colour."""
    if tone in TONES:
        return TONES[tone]
    if tone and _HEX.fullmatch(tone):
        return tone
    if tone:
        raise ValueError(f"unknown chart tone {tone!r}: use one of {sorted(TONES)} or '#rrggbb'")
    return PALETTE[index % len(PALETTE)]


def _check_format(chart) -> None:
    if chart.format not in FORMATS:
        raise ValueError(f"chart format must be one of {FORMATS}, not {chart.format!r}")


@dataclass(frozen=True)
class Series:
    """One row of values, one per category of the chart."""

    label: Any
    values: Sequence[Number | None]
    tone: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))


@dataclass(frozen=True)
class _Cartesian:
    title: Any
    categories: Sequence[Any]
    series: Sequence[Series]
    format: str = "number"
    currency: str = "CNY"
    #: heads the first column of the data table ("Month")
    category_label: Any = ""
    #: read out after the title; a summary is written when left empty
    description: Any = ""
    #: the SVG's element id, needed only for two charts with the same data on one page
    id: str | None = None
    width: int = 360
    #: height of the plotting area; labels and the legend add to it
    height: int = 180
    #: a legend of the series above the chart; by default only when there are several
    legend: bool | None = None

    def __post_init__(self):
        _check_format(self)
        object.__setattr__(self, "categories", tuple(self.categories))
        series = tuple(s if isinstance(s, Series) else Series(*s) for s in self.series)
        object.__setattr__(self, "series", series)
        for s in series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"series {s.label!s} has {len(s.values)} values for "
                                 f"{len(self.categories)} categories")


@dataclass(frozen=True)
class BarChart(_Cartesian):
    """Bars per category, one per series side by side, or ``stacked`` into one bar
    (positive values stack up, negative ones down; the table adds a total column).
    ``horizontal`` bars suit long category labels and many categories."""

    stacked: bool = False
    horizontal: bool = False
    kind = "bar"


@dataclass(frozen=True)
class LineChart(_Cartesian):
    """A line per series across the categories (periods, usually); ``None`` leaves a gap."""

    kind = "line"


@dataclass(frozen=True)
class Slice:
    label: Any
    value: Number
    tone: str | None = None


@dataclass(frozen=True)
class DonutChart:
    """Parts of a whole. Values must not be negative; the total stands in the middle."""

    title: Any
    slices: Sequence[Slice]
    format: str = "number"
    currency: str = "CNY"
    category_label: Any = ""
    description: Any = ""
    id: str | None = None
    width: int = 360
    kind = "donut"

    def __post_init__(self):
        _check_format(self)
        slices = tuple(s if isinstance(s, Slice) else Slice(*s) for s in self.slices)
        if any(s.value is not None and s.value < 0 for s in slices):
            raise ValueError("a donut chart cannot show negative values")
        object.__setattr__(self, "slices", slices)


@dataclass(frozen=True)
class Threshold:
    """From ``at`` (a share of the maximum: 0.8 is 80 %) on, the gauge takes ``tone``."""

    at: Number
    tone: str


@dataclass(frozen=True)
class Gauge:
    """How far a value has come towards a maximum (budget spent, tasks done), coloured by
    the highest threshold it has reached. ``shape`` "bar" is a progress bar, "arc" a dial."""

    title: Any
    value: Number | None
    maximum: Number
    thresholds: Sequence[Threshold] = ()
    format: str = "number"
    currency: str = "CNY"
    tone: str = "info"
    value_label: Any = ""
    maximum_label: Any = ""
    shape: str = "bar"
    description: Any = ""
    id: str | None = None
    width: int = 360
    kind = "gauge"

    def __post_init__(self):
        _check_format(self)
        if self.shape not in ("bar", "arc"):
            raise ValueError("a gauge's shape is 'bar' or 'arc'")
        thresholds = tuple(t if isinstance(t, Threshold) else Threshold(*t) for t in self.thresholds)
        object.__setattr__(self, "thresholds", tuple(sorted(thresholds, key=lambda t: t.at)))

    def share(self) -> float | None:
        if self.value is None or not self.maximum or self.maximum <= 0:
            return None
        return float(self.value) / float(self.maximum)

    def current_tone(self) -> str:
        share, tone = self.share() or 0.0, self.tone
        for threshold in self.thresholds:
            if share >= float(threshold.at):
                tone = threshold.tone
        return tone
