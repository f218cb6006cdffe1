"""Declared lists (intranet.web.ListView) and line items (intranet.web.lines), through
tests/example_module's orders."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from intranet import db
from intranet.web import edit_lines, parse_decimal, total
from tests.conftest import file_order
from tests.example_module.models import ExampleOrder


# -- searching, filtering, sorting, paging -----------------------------------------------------------
def test_search_takes_like_characters_literally(app, client, auth, company):
    auth.login("zhangwei")
    for title in ("折扣50%的显示器", "折扣500的键盘", "型号A_1", "型号AB1"):
        file_order(client, title, 100, submit=False)
    page = client.get("/example/orders/?q=50%25", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "折扣50%的显示器" in page and "折扣500的键盘" not in page
    page = client.get("/example/orders/?q=A_1", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "型号A_1" in page and "型号AB1" not in page


def test_a_head_of_two_departments_sees_both_in_order_across_pages(app, client, auth, company):
    """Each way of seeing rows is read on its own; the page is cut from their union, in order."""
    for username, titles in (("zhangwei", ("研发一", "研发二")), ("hejing", ("销售一", "销售二")),
                             ("liuyang", ("副总自己",))):
        auth.login(username)
        for title in titles:
            file_order(client, title, 100, submit=False)
    auth.login("zhangwei")
    file_order(client, "研发三", 100, submit=False)
    auth.login("liuyang")  # vice president in charge of 研发部 and 销售部, and his own
    first = client.get("/example/orders/?per_page=3&sort=created&dir=desc", headers={"HX-Request": "true"})
    second = client.get("/example/orders/?per_page=3&page=2&sort=created&dir=desc", headers={"HX-Request": "true"})
    titles = [t for t in ("研发三", "副总自己", "销售二", "销售一", "研发二", "研发一")]
    shown = [t for t in titles if t in first.get_data(as_text=True)] + \
            [t for t in titles if t in second.get_data(as_text=True)]
    assert shown == titles  # newest first, none twice, none missing
    auth.login("lina")  # same department as 张伟, not its head: her own only
    assert "研发一" not in client.get("/example/orders/").get_data(as_text=True)


def test_filters_and_a_bad_filter_value(app, client, auth, company):
    auth.login("zhangwei")
    file_order(client, "草稿单", 100, submit=False)
    file_order(client, "已提交", 100)
    page = client.get("/example/orders/?status=draft", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "草稿单" in page and "已提交" not in page
    page = client.get("/example/orders/?status=<script>", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "草稿单" not in page and "<script>" not in page  # an unknown choice matches nothing
    assert client.get("/example/orders/?sort=nosuch&page=-5&per_page=abc").status_code == 200


def test_the_export_has_exactly_the_columns_shown(app, client, auth, company):
    auth.login("zhangwei")
    file_order(client, "导出一", 1234.5, submit=False)
    file_order(client, "另一个", 10, submit=False)
    rows = list(csv.reader(io.StringIO(client.get("/example/orders/export.csv?q=导出").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    assert rows[0] == ["Number", "Title", "Amount", "Requester", "Status", "Created"]
    assert len(rows) == 2 and rows[1][1] == "导出一" and rows[1][2] == "1234.50" and rows[1][4] == "Draft"
    book = load_workbook(io.BytesIO(client.get("/example/orders/export.xlsx").data))
    assert book.active.max_row == 3 and book.active.cell(2, 3).value in (10, 1234.5)


def test_list_queries_do_not_grow_with_data(app, client, auth, company):
    from tests.test_queries import counted

    auth.login("liuyang")
    file_order(client, "第一张", 100, submit=False)
    client.get("/example/orders/")
    with counted(app) as small:
        client.get("/example/orders/")
    for username in ("zhangwei", "hejing", "lina"):
        auth.login(username)
        for n in range(4):
            file_order(client, f"{username}{n}", 100 + n)
    auth.login("liuyang")
    with counted(app) as large:
        assert client.get("/example/orders/").status_code == 200
    assert len(large) == len(small), (small, large)


# -- line items ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("1,234.50", Decimal("1234.50")), ("１２３４．５", Decimal("1234.50")), ("¥1,234", Decimal("1234.00")),
    (" 12 ", Decimal("12.00")), ("1200元", Decimal("1200.00")), ("", None), (None, None)])
def test_numbers_are_read_as_people_type_them(text, value):
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["很多", "NaN", "Infinity", "1.234", "1,2,3x", "--5"])
def test_junk_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def posted(*rows, action=""):
    data = MultiDict([("title", "单"), ("line_action", action)] if action else [("title", "单")])
    for i, (item, qty) in enumerate(rows):
        data.add(f"lines-{i}-item", item)
        data.add(f"lines-{i}-quantity", qty)
    return data


def items(data) -> list[str]:
    return [value for key, value in sorted(data.items(multi=True)) if key.endswith("-item")]


def test_line_buttons_add_remove_and_move_rows_keeping_what_was_typed():
    rows = (("甲", "1"), ("乙", "很多"), ("丙", "3"))
    moved, pressed = edit_lines(posted(*rows, action="up:lines:2"))
    assert pressed and items(moved) == ["甲", "丙", "乙"] and moved["lines-2-quantity"] == "很多"
    removed, _ = edit_lines(posted(*rows, action="remove:lines:0"))
    assert items(removed) == ["乙", "丙"] and removed["lines-0-item"] == "乙"
    added, _ = edit_lines(posted(*rows, action="add:lines"))
    assert "lines-3-__new" in added and added["title"] == "单"
    same, pressed = edit_lines(posted(*rows))
    assert not pressed and items(same) == ["甲", "乙", "丙"]
    for junk in ("down:lines:9", "up:lines:0", "explode:lines:1", "remove:other:1"):
        data, pressed = edit_lines(posted(*rows, action=junk))
        assert pressed and items(data) == ["甲", "乙", "丙"], junk


def test_totals_leave_out_missing_and_absurd_values():
    rows = [{"quantity": Decimal(2), "unit_price": Decimal("10.50")}, {"quantity": None, "unit_price": Decimal(5)},
            {"quantity": Decimal("1e20"), "unit_price": Decimal(1)}]
    assert total(rows, "quantity", "unit_price") == Decimal("21.00")


def test_a_line_table_shows_each_error_beside_its_field_and_writes_nothing(app, client, auth, company):
    auth.login("zhangwei")
    response = client.post("/example/orders/new", data={
        "title": "错误的行", "category": "办公用品", "lines-0-item": "显示器", "lines-0-quantity": "2",
        "lines-0-unit_price": "1500", "lines-1-item": "", "lines-1-quantity": "-1", "lines-1-unit_price": "很多"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.count('aria-invalid="true"') == 3 and "Enter more than 0." in page and "Enter a number such as" in page
    assert 'value="显示器"' in page and 'value="很多"' in page  # what was typed comes back
    with app.app_context():
        assert db.session.query(ExampleOrder).count() == 0


def test_adding_a_line_shows_the_form_again_without_saving(app, client, auth, company):
    auth.login("zhangwei")
    response = client.post("/example/orders/new", data={
        "title": "加一行", "category": "办公用品", "lines-0-item": "显示器", "lines-0-quantity": "2",
        "lines-0-unit_price": "1,500", "line_action": "add:lines"}, headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'name="lines-1-item"' in page and "3,000.00" in page
    with app.app_context():
        assert db.session.query(ExampleOrder).count() == 0
    saved = client.post("/example/orders/new", data={
        "title": "两行", "category": "办公用品", "lines-0-item": "显示器", "lines-0-quantity": "2",
        "lines-0-unit_price": "1,500", "lines-1-item": "键盘", "lines-1-quantity": "1", "lines-1-unit_price": "99.5"})
    assert saved.status_code == 302
    with app.app_context():
        order = db.session.query(ExampleOrder).one()
        assert order.amount == Decimal("3099.50") and [line.item for line in order.lines] == ["显示器", "键盘"]
