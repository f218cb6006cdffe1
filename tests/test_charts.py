"""Server-drawn SVG charts: safe for the Content-Security-Policy, accessible, numbers in the reader's locale."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from flask import render_template_string

from intranet import db
from intranet.charts import (PALETTE, TONES, BarChart, DonutChart, Gauge, LineChart, Series, Slice, Threshold,
                             render_chart, text_width, wrap)
from intranet.charts.layout import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["2026-10", "2026-11", "2026-12"]


def parse(rendered):
    return ET.fromstring(str(rendered.svg))


def texts(root, css_class=None):
    return [el.text for el in root.iter(f"{SVG}text") if css_class is None or el.get("class") == css_class]


def every_chart():
    return [
        BarChart("Requests", MONTHS, [Series("Approved", [3, 5, 2], "ok"), Series("Returned", [1, 0, 2], "warn")]),
        BarChart("Stacked", MONTHS, [Series("A", [3, -1, 2]), Series("B", [1, 4, None])], stacked=True),
        BarChart("Sideways", ["研发中心", "财务部"], [Series("Spend", [Decimal("12.5"), Decimal("3")])],
                 format="money", horizontal=True),
        LineChart("On time", MONTHS, [Series("Rate", [0.5, None, 0.75])], format="percent"),
        DonutChart("By status", [("Approved", 12, "ok"), ("Pending", 5, "info")]),
        Gauge("Budget", Decimal("8200"), Decimal("10000"), [(0.8, "warn")], format="money"),
        Gauge("Tasks", 3, 10, shape="arc"),
        BarChart("Nothing", [], []),
    ]


@pytest.mark.parametrize("chart", every_chart(), ids=lambda c: c.title)
def test_every_chart_is_valid_svg_without_style_or_script(chart):
    rendered = render_chart(chart, "zh_CN")
    root = parse(rendered)  # raises on anything that is not well-formed XML
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"style", "script", "foreignObject"}
    assert not any(name.startswith("on") or name == "style" for element in root.iter() for name in element.attrib)


@pytest.mark.parametrize("chart", every_chart(), ids=lambda c: c.title)
def test_every_chart_is_an_image_named_by_its_title_and_description(chart):
    rendered = render_chart(chart, "en")
    root = parse(rendered)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, chart.title)
    assert desc.get("id") == desc_id and desc.text == rendered.description and desc.text


def table_cells(rendered):
    return [cell for _label, cells in rendered.table.rows for cell in cells]


def test_the_table_holds_every_value_formatted_in_the_readers_locale():
    chart = BarChart("Spend", ["研发", "财务"], [Series("2025", [Decimal("1234.5"), Decimal("-20")]),
                                                 Series("2026", [Decimal("99999.99"), None])], format="money")
    chinese, english = render_chart(chart, "zh_CN"), render_chart(chart, "en")
    assert table_cells(chinese) == ["¥1,234.50", "¥99,999.99", "-¥20.00", "—"]
    assert table_cells(english) == ["CN¥1,234.50", "CN¥99,999.99", "-CN¥20.00", "—"]
    assert [label for label, _cells in chinese.table.rows] == ["研发", "财务"]
    assert chinese.table.columns == ("2025", "2026")
    # the axis reads the same way, shortened: 10万 in Chinese, 100K in English
    assert "¥10万" in texts(parse(chinese), "chart-tick") and "CN¥100K" in texts(parse(english), "chart-tick")


def test_percent_values_are_fractions():
    rendered = render_chart(LineChart("Rate", MONTHS, [Series("On time", [0.5, 0.255, 1])], format="percent"), "en")
    assert table_cells(rendered) == ["50%", "25.5%", "100%"]


def test_stacked_bars_add_a_total_per_category_and_stack_negatives_downwards():
    chart = BarChart("Net", MONTHS, [Series("In", [3, 5, 2.0]), Series("Out", [-1, -4, None]),
                                     Series("Fees", [Decimal("0.5"), 0, 1])], stacked=True)
    rendered = render_chart(chart, "en")
    assert rendered.table.columns == ("In", "Out", "Fees", "Total")
    assert [cells[-1] for _label, cells in rendered.table.rows] == ["2.5", "1", "3"]
    root = parse(rendered)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]
    assert len(bars) == 8  # the missing value draws nothing
    zero = next(float(line.get("y1")) for line in root.iter(f"{SVG}line") if line.get("stroke") == "#9ca3af")
    outs = [bar for bar in bars if bar.find(f"{SVG}title").text.startswith(("2026-10 · Out", "2026-11 · Out"))]
    assert outs and all(abs(float(bar.get("y")) - zero) < 0.11 for bar in outs)  # they hang from the zero line
    ins = [bar for bar in bars if " · In" in bar.find(f"{SVG}title").text]
    assert all(float(bar.get("y")) + float(bar.get("height")) <= zero + 0.11 for bar in ins)


def test_negative_values_get_an_axis_below_zero():
    rendered = render_chart(BarChart("Profit", MONTHS, [Series("Profit", [-30, 10, 25])]), "en")
    ticks = texts(parse(rendered), "chart-tick")
    assert ticks[0].startswith("-") and "0" in ticks
    assert "values from -30 to 25" in rendered.description


def test_zero_data_is_drawn_and_no_data_says_so():
    zeros = render_chart(BarChart("Quiet", MONTHS, [Series("Requests", [0, 0, 0])]), "en")
    assert not zeros.empty and texts(parse(zeros), "chart-tick") == ["0", "1"]
    assert table_cells(zeros) == ["0", "0", "0"]
    for empty in (BarChart("None", [], []), BarChart("Gaps", MONTHS, [Series("x", [None] * 3)]),
                  LineChart("No series", MONTHS, []), DonutChart("Zero", [("a", 0), ("b", 0)]),
                  Gauge("No budget", 5, 0)):
        rendered = render_chart(empty, "en")
        assert rendered.empty and "No data" in texts(parse(rendered)), empty.title


def test_labels_are_escaped_and_chinese_labels_are_never_cut():
    evil = "<script>alert('x')</script> & 研发"
    long = "华东区域销售部门第二组（上海、杭州、南京）"
    rendered = render_chart(BarChart(evil, [long, "财务部"], [Series(evil, [1, 2]), Series("b", [2, 1])]), "zh_CN")
    svg = str(rendered.svg)
    assert "<script>" not in svg and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; 研发" in svg
    root = parse(rendered)
    assert not list(root.iter(f"{SVG}script"))
    categories = texts(root, "chart-category")
    assert "".join(categories[:-1]) == long and categories[-1] == "财务部"  # wrapped or turned, whole


def test_horizontal_bars_leave_room_for_the_longest_label():
    long = "人力资源与行政管理中心"
    root = parse(render_chart(BarChart("By department", [long, "财务部"], [Series("n", [3, 4])], horizontal=True),
                              "zh_CN"))
    lines = [el for el in root.iter(f"{SVG}text") if el.get("class") == "chart-category"]
    assert "".join(el.text for el in lines[:-1]) == long
    assert all(float(el.get("x")) - text_width(el.text, 12) >= 0 for el in lines)


def test_text_is_measured_one_em_per_chinese_character_and_wraps_between_them():
    assert text_width("国庆节", 12) == 36
    assert text_width("abc", 12) < text_width("国庆节", 12)
    assert wrap("国庆节中秋节", 40, 12) == ["国庆节", "中秋节"]
    assert wrap("Research and development", 80, 12) == ["Research", "and", "development"]


def test_ticks_are_round_and_counts_get_whole_steps():
    assert nice_ticks(0, 7, integer=True) == [0, 2, 4, 6, 8]
    assert nice_ticks(-3.2, 12.5) == [-5, 0, 5, 10, 15]
    assert nice_ticks(0, 0.37) == [0, 0.1, 0.2, 0.3, 0.4]


def test_a_line_leaves_a_gap_for_a_missing_value():
    root = parse(render_chart(LineChart("Rate", MONTHS, [Series("x", [1, None, 3])]), "en"))
    path = next(root.iter(f"{SVG}path")).get("d")
    assert path.count("M") == 2 and "L" not in path
    assert len([c for c in root.iter(f"{SVG}circle")]) == 2


def test_donut_shows_total_and_shares():
    rendered = render_chart(DonutChart("Status", [Slice("Approved", 3, "ok"), Slice("Pending", 1, "info"),
                                                  Slice("Withdrawn", 0, "muted")]), "en")
    assert rendered.table.rows == (("Approved", ("3", "75%")), ("Pending", ("1", "25%")),
                                   ("Withdrawn", ("0", "0%")))
    assert rendered.table.footer == ("Total", ("4", "100%"))
    root = parse(rendered)
    assert len([p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-slice"]) == 2
    assert "4" in texts(root, "chart-total")
    with pytest.raises(ValueError):
        DonutChart("Bad", [("a", -1)])


def test_a_single_slice_is_a_whole_ring():
    root = parse(render_chart(DonutChart("All", [("Only", 5)]), "en"))
    (ring,) = [p for p in root.iter(f"{SVG}path") if p.get("class") == "chart-slice"]
    assert ring.get("d").count("M") == 2  # two halves: an arc cannot close on itself


def test_gauge_takes_the_tone_of_the_highest_threshold_reached():
    thresholds = [Threshold(Decimal("0.8"), "warn"), Threshold(1, "danger")]
    for value, tone in ((50, "info"), (80, "warn"), (130, "danger")):
        gauge = Gauge("Budget", value, 100, thresholds)
        rendered = render_chart(gauge, "en")
        bar = next(r for r in parse(rendered).iter(f"{SVG}rect") if r.get("class") == "chart-bar")
        assert bar.get("fill") == TONES[tone]
    assert rendered.table.rows[2] == ("Share of the maximum", ("130%",))
    assert float(bar.get("width")) <= 360  # over the maximum, the bar stays full rather than spilling out


def test_tones_are_the_stylesheets_colours():
    css = (Path(__file__).parents[1] / "static" / "intranet.css").read_text()
    for tone in ("ok", "warn", "danger"):
        assert re.search(rf"--{tone}: {TONES[tone]};", css), tone
    assert re.search(rf"--accent: {TONES['info']};", css)
    assert len(set(PALETTE)) == len(PALETTE)
    with pytest.raises(ValueError):
        render_chart(BarChart("x", ["a"], [Series("s", [1], tone="url(#evil)")]))


def test_two_charts_of_different_data_get_different_ids_unless_given_one():
    first = render_chart(BarChart("Same", MONTHS, [Series("x", [1, 2, 3])]))
    second = render_chart(BarChart("Same", MONTHS, [Series("x", [1, 2, 4])]))
    named = render_chart(BarChart("Same", MONTHS, [Series("x", [1, 2, 4])], id="spend-chart"))
    assert first.id != second.id and named.id == "spend-chart" and 'id="spend-chart-title"' in str(named.svg)


def test_a_series_must_have_one_value_per_category():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        BarChart("x", MONTHS, [Series("short", [1, 2])])
    with pytest.raises(ValueError):
        BarChart("x", MONTHS, [], format="euros")


def test_the_chart_macro_draws_the_svg_and_its_numbers_in_a_table(app):
    chart = BarChart("审批", MONTHS, [Series("通过", [Decimal("1200.5"), 3, 0])], category_label="月份")
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        html = render_template_string('{% from "charts/_chart.html" import chart %}{{ chart(c) }}', c=chart)
    assert "<figcaption>审批</figcaption>" in html and '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "<details" in html and '<th scope="col">月份</th>' in html
    for value in ("1,200.5", "3", "0"):
        assert f'<td class="num">{value}</td>' in html
    assert "<style" not in html and "<script" not in html


def test_a_module_widget_draws_a_chart(app, client, auth, company):
    from tests.example_module.models import ExampleItem

    with app.app_context():
        for title, done in (("一", False), ("二", True), ("三", True)):
            db.session.add(ExampleItem(title=title, owner_id=company["zhangwei"], due_on=datetime.now().date(),
                                       done=done))
        db.session.commit()
    auth.login("zhangwei")
    card = client.get("/widgets/example.chart", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'role="img"' in card and "<title" in card and "<html" not in card
    assert '<th scope="row">Open</th><td class="num">1</td><td class="num">33.3%</td>' in card
    assert '<th scope="row">Done</th><td class="num">2</td><td class="num">66.7%</td>' in card


def test_my_requests_by_month_counts_on_the_companys_calendar(app, client, auth, company):
    from intranet.approvals import engine_for
    from intranet.approvals.models import ApprovalRequest
    from intranet.calendar import last_periods
    from tests.example_module.models import ExampleItem

    with app.app_context():
        state = app.extensions["intranet"]
        engine = engine_for(db.session, state, enabled=state.registry.modules)
        for title in ("甲", "乙"):
            item = ExampleItem(title=title, owner_id=company["zhangwei"], due_on=datetime.now().date())
            db.session.add(item)
            db.session.flush()
            engine.submit("example.item", item, requester_id=company["zhangwei"], title=item.title,
                          number=f"EX-{item.id}", values={"title": item.title})
        db.session.commit()
        # The first of this month at 00:30 in Shanghai is still last month's evening in UTC.
        this_month = last_periods(datetime.now(timezone.utc).astimezone(engine.calendar.tz).date(), "month", 1)[0]
        first = datetime.fromisoformat(f"{this_month}-01T00:30:00").replace(tzinfo=engine.calendar.tz)
        moved = db.session.scalars(db.select(ApprovalRequest)).first()
        moved.submitted_at = first.astimezone(timezone.utc)
        db.session.commit()
    auth.login("zhangwei")
    card = client.get("/widgets/core.my_requests", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'role="img"' in card and "<table" in card
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">(\d+)</td></tr>', card)
    assert len(rows) == 6 and [count for _month, count in rows] == ["0", "0", "0", "0", "0", "2"]
    auth.login("lina")
    assert "You have filed no requests in the last six months." in client.get("/widgets/core.my_requests").get_data(
        as_text=True)


def test_a_number_keeps_the_chinese_unit_after_it_when_a_label_wraps():
    assert wrap("2026年7月", 50, 12) == ["2026年", "7月"]


def test_a_single_series_gets_a_legend_when_asked():
    def legends(chart):
        return texts(parse(render_chart(chart, "en")), "chart-legend")

    assert legends(BarChart("x", MONTHS, [Series("Pending", [1, 2, 3])])) == []
    assert legends(BarChart("x", MONTHS, [Series("Pending", [1, 2, 3])], legend=True)) == ["Pending"]
