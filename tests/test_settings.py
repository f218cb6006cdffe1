"""Settings: typed, validated, stored, and in force at once."""
from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from intranet.errors import Invalid
from intranet.settings import Column, Setting, Settings


@pytest.mark.parametrize("setting, raw, value", [
    (Setting("m.a", 1, "a"), " 42 ", 42),
    (Setting("m.b", Decimal("1"), "b", type="decimal"), "5000.50", Decimal("5000.50")),
    (Setting("m.c", True, "c", type="bool"), "no", False),
    (Setting("m.d", (), "d", type="list"), "办公，差旅, 其他", ("办公", "差旅", "其他")),
    (Setting("m.e", "x", "e", type="choice", choices=("x", "y")), "y", "y"),
    (Setting("m.f", time(9), "f", type="time"), "08:30", time(8, 30)),
    (Setting("m.g", "", "g", type="email"), "it@example.com", "it@example.com"),
])
def test_values_are_parsed_to_their_type(setting, raw, value):
    assert setting.parse(raw) == value


@pytest.mark.parametrize("setting, raw, message", [
    (Setting("m.a", 1, "a", minimum=0), "-1", "Must be at least 0."),
    (Setting("m.a", 1, "a", maximum=10), "11", "Must be at most 10."),
    (Setting("m.a", 1, "a"), "1e9", "Enter a whole number."),
    (Setting("m.a", 1, "a"), "9" * 40, "Enter a whole number."),
    (Setting("m.b", Decimal(1), "b", type="decimal"), "NaN", "Enter a number."),
    (Setting("m.b", Decimal(1), "b", type="decimal"), "<script>", "Enter a number."),
    (Setting("m.c", True, "c", type="bool"), "perhaps", "Enter yes or no."),
    (Setting("m.e", "x", "e", type="choice", choices=("x", "y")), "z", "Choose one of x, y."),
    (Setting("m.f", time(9), "f", type="time"), "25:99", "Enter a time as HH:MM."),
    (Setting("m.g", "", "g", type="email"), "not an address", "Enter an e-mail address."),
    (Setting("m.s", "", "s", type="str"), "x" * 501, "At most 500 characters."),
])
def test_bad_values_are_refused_with_a_reason(setting, raw, message):
    with pytest.raises(Invalid) as caught:
        setting.parse(raw)
    assert str(caught.value) == message


def test_stored_overrides_win_and_broken_ones_fall_back_to_the_default():
    declared = {"m.a": Setting("m.a", 1, "a"), "m.b": Setting("m.b", 2, "b")}
    settings = Settings(declared, {"m.a": 5, "m.b": "broken"})
    assert (settings["m.a"], settings["m.b"]) == (5, 2)


def test_settings_page_saves_nothing_when_one_value_is_bad(app, client, auth, company):
    auth.login("hanmei")
    response = client.post("/admin/settings", data={"core.page_size": "50", "core.login_max_failures": "abc"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a whole number." in page and "Nothing was saved" in page
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["core.page_size"] == 25
    assert client.post("/admin/settings", data={"core.page_size": "50"}).status_code == 302
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["core.page_size"] == 50


def test_settings_page_needs_the_permission(client, auth, company):
    auth.login("tangjie")
    assert client.get("/admin/settings").status_code == 403


def test_the_settings_page_names_choices_and_hides_keys(app, client, auth, company):
    auth.login("hanmei")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = client.get("/admin/settings").get_data(as_text=True)
    assert '<option value="zh_CN" selected>中文</option>' in page and '<option value="en" >English</option>' in page
    assert '<option value="Asia/Shanghai" selected>中国（上海）时间</option>' in page
    assert '<option value="sysadmin" selected>系统管理员</option>' in page
    assert 'value="sat" checked> 星期六' in page and 'value="mon" > 星期一' in page
    assert "默认： <span>星期六, 星期日</span>" in page
    assert "core.login_max_failures</code>" not in page and ">zh_CN<" not in page and "sat, sun" not in page
    # unticking Saturday makes it a working day; ticking nothing leaves no weekend
    assert client.post("/admin/settings", data={"core.weekend_days": ["", "sun"]}).status_code == 302
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["core.weekend_days"] == ("sun",)
    assert client.post("/admin/settings", data={"core.weekend_days": [""]}).status_code == 302
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["core.weekend_days"] == ()
    assert client.post("/admin/settings", data={"core.weekend_days": ["", "caturday"]}).status_code == 422


def test_a_count_reads_in_the_singular_for_one():
    """ngettext in templates: the template's own parameters, the catalogue's plural forms."""
    from intranet import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "PLUGINS_ENTRY_POINTS": False})
    with app.test_request_context(headers={"Accept-Language": "en"}):
        template = app.jinja_env.from_string("{{ ngettext('%(num)s problem', '%(num)s problems', n) }}")
        assert template.render(n=1) == "1 problem" and template.render(n=3) == "3 problems"
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        template = app.jinja_env.from_string(
            "{{ ngettext('%(num)s pending approval waits until it is switched on again.', "
            "'%(num)s pending approvals wait until it is switched on again.', 1) }}")
        assert template.render() == "1 条待审批将暂停处理，直至该模块重新启用。"


# -- structured settings: amount bands and tables ----------------------------------------
BANDS = Setting("m.bands", (Decimal(2000), Decimal(20000)), "bands", type="bands", minimum=0, maximum=10 ** 9)
TABLE = Setting("m.table", (), "table", type="table", minimum=0, columns=(
    Column("item", "Item"), Column("minimum", "Minimum", "decimal"), Column("kind", "Kind", "choice", ("a", "b")),
    Column("keeper", "Keeper", "role", optional=True)))


def test_amount_bands_read_as_people_type_and_keep_their_order():
    assert BANDS.parse(["1,000", "", "５０００.5", "¥20000"]) == (Decimal(1000), Decimal("5000.5"), Decimal(20000))
    assert BANDS.parse(["", ""]) == ()
    assert BANDS.to_json(BANDS.parse(["1,000", "5000"])) == ["1000", "5000"]
    stored = Settings({"m.bands": BANDS}, {"m.bands": ["500", "800"]})
    assert stored["m.bands"] == (Decimal(500), Decimal(800)) and BANDS.display(stored["m.bands"]) == "500 / 800"


@pytest.mark.parametrize("raw, message", [
    (["5000", "2000"], "Limit 2 must be above limit 1 (5,000)."),
    (["5000", "5000"], "Limit 2 must be above limit 1 (5,000)."),
    (["1000", "lots"], "Limit 2: enter an amount such as 5000 or 5,000.50."),
    (["-1"], "Limit 1 must be at least 0."),
    (["1e10"], "Limit 1 must be at most 1000000000."),
    ([str(n) for n in range(1, 23)], "At most 20 limits."),
])
def test_bands_out_of_order_or_unreadable_are_refused_naming_the_limit(raw, message):
    with pytest.raises(Invalid) as caught:
        BANDS.parse(raw)
    assert caught.value.message % caught.value.params == message


def test_a_table_has_typed_rows_and_drops_empty_ones():
    rows = TABLE.parse([{"item": "服务器", "minimum": "1,000", "kind": "a", "keeper": ""},
                        {"item": " ", "minimum": "", "kind": "", "keeper": ""}])
    assert rows == ({"item": "服务器", "minimum": Decimal(1000), "kind": "a", "keeper": None},)
    assert TABLE.parse(TABLE.to_json(rows)) == rows
    assert TABLE.to_json(rows) == [{"item": "服务器", "minimum": "1000", "kind": "a", "keeper": None}]


@pytest.mark.parametrize("row, message, cell", [
    ({"item": "", "minimum": "1", "kind": "a"}, "Row 1: give Item.", "item"),
    ({"item": "x", "minimum": "many", "kind": "a"}, "Row 1: Minimum is not valid (“many”).", "minimum"),
    ({"item": "x", "minimum": "-2", "kind": "a"}, "Row 1: Minimum must be at least 0.", "minimum"),
    ({"item": "x", "minimum": "2", "kind": "z"}, "Row 1: Kind is not valid (“z”).", "kind"),
])
def test_a_bad_cell_is_refused_naming_its_row_and_column(row, message, cell):
    with pytest.raises(Invalid) as caught:
        TABLE.parse([row])
    assert caught.value.message % caught.value.params == message and caught.value.params["cell"] == cell


def test_a_table_needs_columns_and_only_a_table_has_them():
    with pytest.raises(ValueError):
        Setting("m.x", (), "x", type="table")
    with pytest.raises(ValueError):
        Setting("m.x", 1, "x", columns=(Column("a", "A"),))


def test_bands_and_tables_are_edited_on_the_settings_page(app, client, auth, company):
    auth.login("hanmei")
    page = client.get("/admin/settings?module=example").get_data(as_text=True)
    assert 'name="example.bands" value="2,000"' in page and 'name="example.bands" value="20,000"' in page
    assert 'name="example.stock_minimums-0-item" value="服务器"' in page
    assert 'name="example.stock_minimums-1-item" value=""' in page  # a row to add one
    bad = client.post("/admin/settings?module=example", data={"example.bands": ["5,000", "3000", ""]})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Limit 2 must be above limit 1 (5,000)." in page
    assert 'value="3000" inputmode="decimal" aria-label="Limit 2" aria-invalid=true' in page
    bad = client.post("/admin/settings?module=example", data={
        "example.stock_minimums": "", "example.stock_minimums-0-item": "服务器",
        "example.stock_minimums-0-minimum": "两台"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Row 1: Minimum is not valid (“两台”)." in page
    assert 'value="两台" aria-label="Row 1, Minimum" inputmode=decimal aria-invalid=true' in page
    assert client.post("/admin/settings?module=example", data={
        "example.bands": ["1,500", "８０００", ""], "example.stock_minimums": "",
        "example.stock_minimums-0-item": "服务器", "example.stock_minimums-0-minimum": "2",
        "example.stock_minimums-1-item": "显示器", "example.stock_minimums-1-minimum": "1,000",
        "example.stock_minimums-1-keeper": "sysadmin"}).status_code == 302
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["example.bands"] == (Decimal(1500), Decimal(8000))
        assert settings()["example.stock_minimums"][1] == {"item": "显示器", "minimum": Decimal(1000),
                                                           "keeper": "sysadmin"}


def test_structured_settings_speak_chinese(app, client, auth, company):
    auth.login("hanmei")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = client.get("/admin/settings?module=example").get_data(as_text=True)
    assert 'aria-label="第 1 档"' in page and "清空一行即删除" in page
    page = client.post("/admin/settings?module=example", data={"example.bands": ["5000", "3000"]}).get_data(
        as_text=True)
    assert "第 2 档须高于第 1 档（5,000）。" in page
