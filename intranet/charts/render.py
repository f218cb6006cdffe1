"""Charts drawn as SVG on the server, with the numbers behind them as a table.

The SVG holds no ``<style>`` or ``<script>`` (the Content-Security-Policy allows neither
inline): colours and sizes are presentation attributes, and classes (``chart-*``) let
static/intranet.css restyle them. Every text is escaped; numbers are formatted with Babel
in the reader's locale, the same in the picture and in the table.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from babel import Locale, lists, numbers
from markupsafe import Markup, escape

from ..i18n import gettext as _
from .layout import nice_ticks, text_width, wrap
from .model import BarChart, DonutChart, Gauge, LineChart, Number, colour

FONT = 12
LINE = 15
PAD = 4
INK, MUTED, GRID, AXIS, TRACK = "#1f2430", "#6b7280", "#e5e7eb", "#9ca3af", "#eef0f4"
DASH = "—"


@dataclass(frozen=True)
class DataTable:
    """The chart's numbers, formatted: ``rows`` are (row label, cells) under ``columns``."""

    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    footer: tuple[str, tuple[str, ...]] | None = None


@dataclass(frozen=True)
class RenderedChart:
    kind: str
    id: str
    title: str
    description: str
    svg: Markup
    table: DataTable
    empty: bool


def render_chart(chart, locale: str | Locale = "zh_CN") -> RenderedChart:
    """Draw ``chart`` (a :class:`BarChart`, :class:`LineChart`, :class:`DonutChart` or
    :class:`Gauge`) for a reader in ``locale``."""
    drawer = _DRAWERS.get(type(chart)) or next(
        (d for cls, d in _DRAWERS.items() if isinstance(chart, cls)), None)
    if drawer is None:
        raise TypeError(f"not a chart: {chart!r}")
    return drawer(chart, _Numbers(chart.format, chart.currency, Locale.parse(locale)))


# -- numbers -------------------------------------------------------------------------
class _Numbers:
    """Values as the reader reads them: in full for the table, shorter on an axis."""

    def __init__(self, fmt: str, currency: str, locale: Locale):
        self.fmt, self.currency, self.locale = fmt, currency, locale

    def full(self, value) -> str:
        if value is None:
            return DASH
        if self.fmt == "money":
            return numbers.format_currency(_decimal(value), self.currency, locale=self.locale)
        if self.fmt == "percent":
            return numbers.format_percent(value, "#,##0.#%", locale=self.locale)
        return numbers.format_decimal(value, locale=self.locale)

    def share(self, value: float) -> str:
        return numbers.format_percent(value, "#,##0.#%", locale=self.locale)

    def short(self, values: list[float]) -> list[str]:
        """Axis labels: one style for the whole axis, compact (1.5万, 15K) from ten thousand on."""
        if self.fmt == "percent":
            return [self.share(v) for v in values]
        compact = max((abs(v) for v in values), default=0) >= 10000
        if self.fmt == "money":
            if compact:
                return [numbers.format_compact_currency(v, self.currency, locale=self.locale, fraction_digits=2)
                        for v in values]
            return [numbers.format_currency(v, self.currency, format="¤#,##0.##", currency_digits=False,
                                            locale=self.locale) for v in values]
        if compact:
            return [numbers.format_compact_decimal(v, locale=self.locale, fraction_digits=2) for v in values]
        return [numbers.format_decimal(v, locale=self.locale) for v in values]


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _total(values) -> Number:
    """The sum, exact when any value is a Decimal (a Decimal and a float do not add)."""
    if any(isinstance(v, Decimal) for v in values):
        return sum((_decimal(v) for v in values), Decimal(0))
    return sum(values)


def _float(value) -> float | None:
    return None if value is None else float(value)


def _integral(value) -> bool:
    return isinstance(value, int) or (isinstance(value, (Decimal, float)) and value == int(value))


# -- SVG -----------------------------------------------------------------------------
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _label(text: Any) -> str:
    """A label as text that XML can hold (lazy strings resolved, control characters dropped)."""
    return _NOT_XML.sub("", "" if text is None else str(text))


def _num(x: float) -> str:
    text = f"{x:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _el(tag: str, attrs: dict, content: str | None = None) -> str:
    rendered = "".join(f' {k}="{escape(_num(v) if isinstance(v, float) else v)}"'
                       for k, v in attrs.items() if v is not None)
    return f"<{tag}{rendered}/>" if content is None else f"<{tag}{rendered}>{content}</{tag}>"


def _text(x: float, y: float, text: str, **attrs) -> str:
    attrs = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    return _el("text", {"x": x, "y": y, **attrs}, str(escape(text)))


def _tip(text: str) -> str:
    """A native tooltip: the value under the pointer, without JavaScript."""
    return _el("title", {}, str(escape(text)))


def _svg(kind: str, cid: str, width: float, height: float, title: str, desc: str, body: str) -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{kind}" role="img" '
            f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'width="{_num(width)}" height="{_num(height)}" font-size="{FONT}">')
    return Markup(f'{head}<title id="{cid}-title">{escape(title)}</title>'
                  f'<desc id="{cid}-desc">{escape(desc)}</desc>{body}</svg>')


def _chart_id(chart, *parts) -> str:
    if chart.id:
        return chart.id
    digest = hashlib.sha1(repr((chart.kind, _label(chart.title), parts)).encode()).hexdigest()
    return f"chart-{digest[:10]}"


def _empty(chart, cid: str, title: str, table: DataTable) -> RenderedChart:
    message, height = _("No data"), 72
    body = (_el("rect", {"class": "chart-empty", "x": 0.5, "y": 0.5, "width": chart.width - 1, "height": height - 1,
                         "rx": 6, "fill": "#fafbfc", "stroke": GRID})
            + _text(chart.width / 2, height / 2 + FONT / 3, message, fill=MUTED, text_anchor="middle",
                    class_="chart-note"))
    return RenderedChart(chart.kind, cid, title, message, _svg(chart.kind, cid, chart.width, height, title,
                                                               message, body), table, True)


def _legend(items: list[tuple[str, str]], width: float, top: float) -> tuple[str, float]:
    """Swatches with labels, left to right, wrapping into rows; returns (markup, height)."""
    parts, x, y = [], PAD, top
    for fill, label in items:
        size = 10 + 4 + text_width(label, FONT)
        if x > PAD and x + size > width - PAD:
            x, y = PAD, y + LINE + 2
        parts.append(_el("rect", {"x": x, "y": y + 2, "width": 10, "height": 10, "rx": 2, "fill": fill}))
        parts.append(_text(x + 14, y + 11, label, fill=INK, class_="chart-legend"))
        x += size + 14
    return "".join(parts), y + LINE + 2 - top


def _lines(x: float, y: float, lines: list[str], **attrs) -> str:
    return "".join(_text(x, y + i * LINE, line, **attrs) for i, line in enumerate(lines))


# -- bars and lines ------------------------------------------------------------------
def _cartesian(chart, nums: _Numbers) -> RenderedChart:
    title = _label(chart.title)
    categories = [_label(c) for c in chart.categories]
    labels = [_label(s.label) for s in chart.series]
    values = [[_float(v) for v in s.values] for s in chart.series]
    stacked = isinstance(chart, BarChart) and chart.stacked
    horizontal = isinstance(chart, BarChart) and chart.horizontal
    cid = _chart_id(chart, categories, labels, [s.values for s in chart.series], stacked, horizontal)
    table = _cartesian_table(chart, nums, categories, labels, stacked)
    present = [v for row in values for v in row if v is not None]
    if not present:
        return _empty(chart, cid, title, table)

    if stacked:
        low = min(sum(min(row[i] or 0, 0) for row in values) for i in range(len(categories)))
        high = max(sum(max(row[i] or 0, 0) for row in values) for i in range(len(categories)))
    else:
        low, high = min(present), max(present)
    integer = chart.format == "number" and all(_integral(v) for s in chart.series for v in s.values
                                               if v is not None)
    ticks = nice_ticks(low, high, integer=integer)
    tick_labels = nums.short(ticks)
    low, high = ticks[0], ticks[-1]
    fills = [colour(s.tone, i) for i, s in enumerate(chart.series)]

    width = chart.width
    legend, legend_height = ("", 0.0)
    if chart.legend or (chart.legend is None and len(chart.series) > 1):
        legend, legend_height = _legend(list(zip(fills, labels)), width, PAD)
    top = PAD + legend_height + (8 if not horizontal else 4)
    parts = [legend]
    n = len(categories)

    if horizontal:
        wrapped = [wrap(c, width * 0.38, FONT) for c in categories]
        left = PAD + max(text_width(line, FONT) for lines in wrapped for line in lines) + 8
        right = width - PAD - text_width(tick_labels[-1], FONT) / 2
        band = max(26.0, max(len(lines) for lines in wrapped) * LINE + 10)
        bottom = top + band * n
        height = bottom + LINE + 6 + PAD

        def value_at(v: float) -> float:
            return left + (v - low) / (high - low) * (right - left)

        for tick, text in zip(ticks, tick_labels):
            x = value_at(tick)
            parts.append(_el("line", {"class": "chart-grid", "x1": x, "x2": x, "y1": top, "y2": bottom,
                                      "stroke": AXIS if tick == 0 else GRID}))
            parts.append(_text(x, bottom + LINE, text, fill=MUTED, text_anchor="middle", class_="chart-tick"))
        for i, lines in enumerate(wrapped):
            y = top + band * i + band / 2 - (len(lines) - 1) * LINE / 2 + FONT / 3
            parts.append(_lines(left - 8, y, lines, fill=INK, text_anchor="end", class_="chart-category"))
    else:
        left = PAD + max(text_width(t, FONT) for t in tick_labels) + 8
        right = width - PAD - 2
        band = (right - left) / n
        wrapped = [wrap(c, band - 4, FONT) for c in categories]
        rotated = max(len(lines) for lines in wrapped) > 3 or any(
            text_width(line, FONT) > band - 2 for lines in wrapped for line in lines)
        if rotated:
            # Labels that fit no other way are turned 45°: longer, never cut.
            reach = text_width(categories[0], FONT) * 0.71 + FONT
            left = max(left, PAD + reach - band / 2)
            band = (right - left) / n
            label_height = max(text_width(c, FONT) for c in categories) * 0.71 + FONT + 4
        else:
            label_height = max(len(lines) for lines in wrapped) * LINE + 4
        bottom = top + chart.height
        height = bottom + label_height + PAD

        def value_at(v: float) -> float:
            return bottom - (v - low) / (high - low) * (bottom - top)

        for tick, text in zip(ticks, tick_labels):
            y = value_at(tick)
            parts.append(_el("line", {"class": "chart-grid", "x1": left, "x2": right, "y1": y, "y2": y,
                                      "stroke": AXIS if tick == 0 else GRID}))
            parts.append(_text(left - 6, y + FONT / 3, text, fill=MUTED, text_anchor="end", class_="chart-tick"))
        for i, (label, lines) in enumerate(zip(categories, wrapped)):
            x = left + band * (i + 0.5)
            if rotated:
                y = bottom + FONT + 2
                parts.append(_text(x, y, label, fill=INK, text_anchor="end", class_="chart-category",
                                   transform=f"rotate(-45 {_num(x)} {_num(y)})"))
            else:
                parts.append(_lines(x, bottom + LINE, lines, fill=INK, text_anchor="middle", class_="chart-category"))

    def tip(i: int, s: int) -> str:
        value = nums.full(chart.series[s].values[i])
        return f"{categories[i]} · {labels[s]}: {value}" if len(labels) > 1 else f"{categories[i]}: {value}"

    if isinstance(chart, LineChart):
        parts.append(_line_marks(values, fills, band, left, value_at, tip))
    else:
        parts.append(_bar_marks(values, fills, band, left if not horizontal else top, value_at, horizontal,
                                stacked, tip))
    kind = _("Stacked bar chart") if stacked else _("Bar chart") if isinstance(chart, BarChart) else _("Line chart")
    desc = _label(chart.description) or _("%(kind)s of %(series)s over %(count)s categories; values from "
                                          "%(low)s to %(high)s.", kind=kind,
                                          series=lists.format_list(labels, locale=nums.locale), count=n,
                                          low=nums.full(min(present)), high=nums.full(max(present)))
    return RenderedChart(chart.kind, cid, title, desc, _svg(chart.kind, cid, width, height, title, desc,
                                                            "".join(parts)), table, False)


def _bar_marks(values, fills, band, start, value_at, horizontal, stacked, tip) -> str:
    parts = []
    zero = value_at(0.0)
    thickness = band * (0.6 if stacked else 0.7 / len(values))
    offset = band * (0.2 if stacked else 0.15)
    ups, downs = [0.0] * len(values[0]), [0.0] * len(values[0])
    for s, row in enumerate(values):
        for i, v in enumerate(row):
            if v is None:
                continue
            if stacked:
                base = ups[i] if v >= 0 else downs[i]
                a, b = value_at(base), value_at(base + v)
                if v >= 0:
                    ups[i] += v
                else:
                    downs[i] += v
                across = start + band * i + offset
            else:
                a, b = zero, value_at(v)
                across = start + band * i + offset + thickness * s
            low, size = min(a, b), abs(b - a)
            if v != 0 and size < 1:  # a tiny value still shows, growing the way its sign says
                size, low = 1.0, (max(a, b) - 1 if (v > 0) != horizontal else min(a, b))
            width = thickness * (1 if stacked else 0.9)
            box = ({"x": low, "y": across, "width": size, "height": width} if horizontal
                   else {"x": across, "y": low, "width": width, "height": size})
            parts.append(_el("rect", {"class": "chart-bar", **box, "fill": fills[s]}, _tip(tip(i, s))))
    return "".join(parts)


def _line_marks(values, fills, band, left, value_at, tip) -> str:
    parts = []
    for s, row in enumerate(values):
        path, pen_down = [], False
        for i, v in enumerate(row):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{_num(left + band * (i + 0.5))} {_num(value_at(v))}")
            pen_down = True
        parts.append(_el("path", {"class": "chart-line", "d": " ".join(path), "fill": "none", "stroke": fills[s],
                                  "stroke-width": 2, "stroke-linejoin": "round"}))
        for i, v in enumerate(row):
            if v is not None:
                parts.append(_el("circle", {"class": "chart-point", "cx": left + band * (i + 0.5),
                                            "cy": value_at(v), "r": 3, "fill": fills[s]}, _tip(tip(i, s))))
    return "".join(parts)


def _cartesian_table(chart, nums, categories, labels, stacked) -> DataTable:
    total = stacked and len(labels) > 1
    rows = []
    for i, category in enumerate(categories):
        cells = [nums.full(s.values[i]) for s in chart.series]
        if total:
            present = [s.values[i] for s in chart.series if s.values[i] is not None]
            cells.append(nums.full(_total(present)) if present else DASH)
        rows.append((category, tuple(cells)))
    columns = tuple(labels) + ((_("Total"),) if total else ())
    return DataTable(_label(chart.category_label), columns, tuple(rows))


# -- donut ---------------------------------------------------------------------------
def _donut(chart: DonutChart, nums: _Numbers) -> RenderedChart:
    title = _label(chart.title)
    labels = [_label(s.label) for s in chart.slices]
    cid = _chart_id(chart, labels, [s.value for s in chart.slices])
    values = [float(s.value or 0) for s in chart.slices]
    total = sum(values)
    exact_total = sum((_decimal(s.value) for s in chart.slices if s.value is not None), Decimal(0))
    rows = tuple((label, (nums.full(s.value), nums.share(v / total) if total else DASH))
                 for label, s, v in zip(labels, chart.slices, values))
    table = DataTable(_label(chart.category_label), (_("Value"), _("Share")), rows,
                      (_("Total"), (nums.full(exact_total), nums.share(1) if total else DASH)))
    if total <= 0:
        return _empty(chart, cid, title, table)

    radius, inner = 78.0, 50.0
    cx = cy = PAD + radius
    parts, angle = [], -math.pi / 2
    fills = [colour(s.tone, i) for i, s in enumerate(chart.slices)]
    for label, value, fill, (full, share) in zip(labels, values, fills, (cells for _row, cells in rows)):
        if value <= 0:
            continue
        sweep = value / total * 2 * math.pi
        parts.append(_el("path", {"class": "chart-slice", "d": _sector(cx, cy, radius, inner, angle, sweep),
                                  "fill": fill, "stroke": "#ffffff", "stroke-width": 1},
                         _tip(f"{label}: {full} ({share})")))
        angle += sweep
    centre = nums.full(exact_total)
    if text_width(centre, 15) > inner * 1.8:
        centre = nums.short([float(exact_total)])[0]
    parts.append(_text(cx, cy + 2, centre, fill=INK, text_anchor="middle", font_size=15, font_weight=600,
                       class_="chart-total"))
    parts.append(_text(cx, cy + 18, _("Total"), fill=MUTED, text_anchor="middle", class_="chart-note"))

    x = cx + radius + 20
    room = chart.width - x - PAD
    y = PAD + 4
    for label, fill, (full, share) in zip(labels, fills, (cells for _row, cells in rows)):
        lines = wrap(label, room - 14, FONT)
        parts.append(_el("rect", {"x": x, "y": y + 2, "width": 10, "height": 10, "rx": 2, "fill": fill}))
        parts.append(_lines(x + 14, y + 11, lines, fill=INK, class_="chart-legend"))
        y += len(lines) * LINE
        parts.append(_text(x + 14, y + 11, f"{full} · {share}", fill=MUTED, class_="chart-note"))
        y += LINE + 6
    height = max(2 * (PAD + radius), y + PAD)
    desc = _label(chart.description) or _("Donut chart of %(count)s parts, %(total)s in total.",
                                          count=len(labels), total=nums.full(exact_total))
    return RenderedChart(chart.kind, cid, title, desc, _svg(chart.kind, cid, chart.width, height, title, desc,
                                                            "".join(parts)), table, False)


def _sector(cx, cy, outer, inner, start, sweep) -> str:
    """An annulus sector as a path; a whole ring is drawn as two halves (an arc cannot close on itself)."""
    if sweep >= 2 * math.pi - 1e-6:
        return (_sector(cx, cy, outer, inner, start, math.pi) + " "
                + _sector(cx, cy, outer, inner, start + math.pi, math.pi))
    end = start + sweep
    large = 1 if sweep > math.pi else 0

    def at(r, a):
        return f"{_num(cx + r * math.cos(a))} {_num(cy + r * math.sin(a))}"

    return (f"M{at(outer, start)} A{_num(outer)} {_num(outer)} 0 {large} 1 {at(outer, end)} "
            f"L{at(inner, end)} A{_num(inner)} {_num(inner)} 0 {large} 0 {at(inner, start)} Z")


# -- gauge ---------------------------------------------------------------------------
def _gauge(chart: Gauge, nums: _Numbers) -> RenderedChart:
    title = _label(chart.title)
    cid = _chart_id(chart, chart.value, chart.maximum, [(t.at, t.tone) for t in chart.thresholds], chart.shape)
    share = chart.share()
    value_text, maximum_text = nums.full(chart.value), nums.full(chart.maximum)
    share_text = nums.share(share) if share is not None else DASH
    table = DataTable("", (), (
        (_label(chart.value_label) or _("Value"), (value_text,)),
        (_label(chart.maximum_label) or _("Maximum"), (maximum_text,)),
        (_("Share of the maximum"), (share_text,)),
    ))
    if share is None:
        return _empty(chart, cid, title, table)
    fill = colour(chart.current_tone(), 0)
    shown = min(max(share, 0.0), 1.0)
    summary = _("%(value)s of %(maximum)s", value=value_text, maximum=maximum_text)
    parts = []
    if chart.shape == "bar":
        width, track = chart.width, chart.width - 2 * PAD
        parts.append(_text(PAD, PAD + FONT, summary, fill=INK, class_="chart-note"))
        parts.append(_text(width - PAD, PAD + FONT, share_text, fill=fill, text_anchor="end", font_weight=600,
                           class_="chart-share"))
        y = PAD + LINE + 6
        parts.append(_el("rect", {"class": "chart-track", "x": PAD, "y": y, "width": track, "height": 12, "rx": 6,
                                  "fill": TRACK}))
        if shown > 0:
            parts.append(_el("rect", {"class": "chart-bar", "x": PAD, "y": y, "width": max(track * shown, 6.0),
                                      "height": 12, "rx": 6, "fill": fill}, _tip(f"{summary} ({share_text})")))
        for threshold in chart.thresholds:
            if 0 < float(threshold.at) <= 1:
                x = PAD + track * float(threshold.at)
                parts.append(_el("line", {"class": "chart-threshold", "x1": x, "x2": x, "y1": y - 3, "y2": y + 15,
                                          "stroke": colour(threshold.tone, 0), "stroke-width": 2}))
        height = y + 12 + 4 + PAD
    else:
        radius, stroke = 80.0, 16.0
        width = max(chart.width, 2 * (radius + stroke))
        cx, cy = width / 2, PAD + radius + stroke / 2
        arc = radius

        def point(fraction):
            angle = math.pi + fraction * math.pi
            return f"{_num(cx + arc * math.cos(angle))} {_num(cy + arc * math.sin(angle))}"

        parts.append(_el("path", {"class": "chart-track", "d": f"M{point(0)} A{_num(arc)} {_num(arc)} 0 0 1 {point(1)}",
                                  "fill": "none", "stroke": TRACK, "stroke-width": stroke}))
        if shown > 0:
            parts.append(_el("path", {"class": "chart-bar",
                                      "d": f"M{point(0)} A{_num(arc)} {_num(arc)} 0 0 1 {point(shown)}",
                                      "fill": "none", "stroke": fill, "stroke-width": stroke},
                             _tip(f"{summary} ({share_text})")))
        parts.append(_text(cx, cy - 6, share_text, fill=fill, text_anchor="middle", font_size=20, font_weight=600,
                           class_="chart-share"))
        parts.append(_text(cx, cy + LINE + 4, summary, fill=MUTED, text_anchor="middle", class_="chart-note"))
        height = cy + LINE + 8 + PAD
    desc = _label(chart.description) or _("%(summary)s (%(share)s).", summary=summary, share=share_text)
    return RenderedChart(chart.kind, cid, title, desc, _svg(chart.kind, cid, width, height, title, desc,
                                                            "".join(parts)), table, False)


_DRAWERS: dict[type, Callable[[Any, _Numbers], RenderedChart]] = {
    BarChart: _cartesian, LineChart: _cartesian, DonutChart: _donut, Gauge: _gauge,
}
