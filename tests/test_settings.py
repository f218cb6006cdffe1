"""Settings: typed, validated, stored, and in force at once."""
from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from intranet.errors import Invalid
from intranet.settings import Setting, Settings


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
