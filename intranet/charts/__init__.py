"""Charts drawn on the server as SVG, each with its numbers as a table.

A module builds a chart from its data and hands it to a template, which draws it with
``{% from "charts/_chart.html" import chart %}{{ chart(ctx.chart) }}``::

    BarChart(_l("Spend by month"), categories=months,
             series=[Series(_l("Approved"), approved, tone="ok")], format="money", stacked=True)

See docs/writing-a-plugin.md ("Charts") and docs/decisions.md for why no chart library.
"""
from .layout import nice_ticks, text_width, wrap
from .model import FORMATS, PALETTE, TONES, BarChart, DonutChart, Gauge, LineChart, Series, Slice, Threshold
from .render import DataTable, RenderedChart, render_chart

__all__ = ["FORMATS", "PALETTE", "TONES", "BarChart", "DataTable", "DonutChart", "Gauge", "LineChart",
           "RenderedChart", "Series", "Slice", "Threshold", "nice_ticks", "render_chart", "text_width", "wrap"]
