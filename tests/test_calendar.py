"""Working-day and working-hour arithmetic."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from intranet.calendar import CalendarDays, WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2026-10-01..07 National Day holidays; Sunday 2026-09-27 and Saturday 2026-10-10 are make-up working days.
NATIONAL_DAY = CalendarDays(holidays=frozenset(date(2026, 10, d) for d in range(1, 8)),
                            workdays=frozenset({date(2026, 9, 27), date(2026, 10, 10)}))
calendar = WorkCalendar(tz=SHANGHAI, days=NATIONAL_DAY)


def local(*args):
    return datetime(*args, tzinfo=SHANGHAI).astimezone(timezone.utc)


def test_weekends_holidays_and_make_up_days():
    assert calendar.is_working_day(date(2026, 9, 25))  # Friday
    assert not calendar.is_working_day(date(2026, 9, 26))  # Saturday
    assert calendar.is_working_day(date(2026, 9, 27))  # make-up Sunday
    assert not calendar.is_working_day(date(2026, 10, 1))  # holiday on a Thursday
    assert calendar.is_working_day(date(2026, 10, 10))  # make-up Saturday


@pytest.mark.parametrize("start, count, expected", [
    (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday + 1 -> Monday
    (date(2026, 11, 20), 3, date(2026, 11, 25)),
    (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over the National Day week
    (date(2026, 10, 9), 1, date(2026, 10, 10)),  # onto the make-up Saturday
    (date(2026, 11, 21), 0, date(2026, 11, 23)),  # 0 days from a Saturday: next working day
])
def test_add_working_days(start, count, expected):
    assert calendar.add_working_days(start, count) == expected


def test_working_days_between():
    assert calendar.working_days_between(date(2026, 9, 28), date(2026, 10, 9)) == 4  # 29, 30, 8, 9


def test_working_hours_skip_nights_weekends_and_holidays():
    assert calendar.add_working_hours(local(2026, 11, 20, 17, 0), 2) == local(2026, 11, 23, 10, 0)
    assert calendar.add_working_hours(local(2026, 11, 21, 11, 0), 1) == local(2026, 11, 23, 10, 0)
    assert calendar.add_working_hours(local(2026, 11, 23, 7, 30), 24) == local(2026, 11, 25, 15, 0)
    assert calendar.add_working_hours(local(2026, 9, 30, 17, 30), 1) == local(2026, 10, 8, 9, 30)


def test_due_in_days_is_the_end_of_that_working_day():
    assert calendar.due_in_days(local(2026, 11, 20, 10, 0), 1) == local(2026, 11, 23, 18, 0)


def test_a_calendar_without_working_days_is_reported():
    never = WorkCalendar(weekend=frozenset(range(7)))
    with pytest.raises(ValueError, match="no working days"):
        never.add_working_days(date(2026, 1, 1), 1)


def test_holidays_are_edited_on_the_calendar_page(app, client, auth, company):
    auth.login("sunli")
    assert client.post("/admin/calendar", data={"day": "2026-12-31", "name": "年终盘点", "is_workday": ""}
                       ).status_code == 302
    assert client.post("/admin/calendar", data={"day": "not-a-date", "name": "x"}).status_code == 422
    with app.test_request_context():
        from intranet.web import calendar as current

        assert not current().is_working_day(date(2026, 12, 31))
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "年终盘点" in page
    client.post("/admin/calendar/2026-12-31/delete")
    with app.test_request_context():
        from intranet.web import calendar as current

        assert current().is_working_day(date(2026, 12, 31))


# -- official holidays (chinese-calendar) ------------------------------------------------
china = WorkCalendar(tz=SHANGHAI, official="CN")


def test_official_holidays_and_make_up_days_come_from_the_package():
    assert not china.is_working_day(date(2026, 10, 1))  # National Day, a Thursday
    assert not china.is_working_day(date(2026, 2, 16))  # Spring Festival, a Monday
    assert china.is_working_day(date(2026, 10, 10))  # make-up Saturday for National Day
    assert china.is_working_day(date(2026, 9, 20))  # make-up Sunday
    assert china.is_working_day(date(2026, 10, 8))  # an ordinary Thursday again
    assert not china.is_working_day(date(2026, 10, 17))  # an ordinary Saturday


def test_the_administrators_days_win_over_the_official_calendar():
    own = CalendarDays(holidays=frozenset({date(2026, 10, 10), date(2026, 10, 8)}),
                       workdays=frozenset({date(2026, 10, 2)}))
    calendar_ = WorkCalendar(tz=SHANGHAI, official="CN", days=own)
    assert calendar_.is_working_day(date(2026, 10, 2))  # an official holiday worked
    assert not calendar_.is_working_day(date(2026, 10, 10))  # an official make-up day given off
    assert not calendar_.is_working_day(date(2026, 10, 8))  # a company holiday beside them


@pytest.mark.parametrize("start, count, expected", [
    (date(2026, 9, 30), 1, date(2026, 10, 8)),  # over the National Day week
    (date(2026, 9, 30), 3, date(2026, 10, 10)),  # 8, 9 and the make-up Saturday
    (date(2026, 9, 18), 1, date(2026, 9, 20)),  # Friday + 1 is the make-up Sunday
    (date(2026, 9, 24), 1, date(2026, 9, 28)),  # over the Mid-autumn Festival
])
def test_working_days_are_counted_across_official_holidays(start, count, expected):
    assert china.add_working_days(start, count) == expected


def test_years_the_package_does_not_know_fall_back_to_weekends():
    assert china.official_days(2099) is None and china.official_days(2003) is None
    assert china.is_working_day(date(2099, 10, 1))  # a Thursday
    assert not china.is_working_day(date(2099, 10, 3))  # a Saturday
    off = WorkCalendar(tz=SHANGHAI, official="none")
    assert off.official_days(2026) is None and off.is_working_day(date(2026, 10, 1))


def test_each_year_is_worked_out_once_per_calendar(monkeypatch):
    from intranet.calendar import services

    asked = []
    monkeypatch.setattr(services, "official_year", lambda country, year: asked.append(year))
    fresh = WorkCalendar(tz=SHANGHAI, official="CN")
    for _ in range(3):
        fresh.working_days_between(date(2026, 1, 1), date(2027, 3, 1))
    assert sorted(asked) == [2026, 2027]


def test_the_official_calendar_follows_the_setting(app, client, auth, company):
    with app.test_request_context():
        from intranet.web import calendar as current

        assert current().official == "CN" and not current().is_working_day(date(2026, 10, 1))
    auth.login("hanmei")
    assert client.post("/admin/settings", data={"core.official_holidays": "none"}).status_code == 302
    with app.test_request_context():
        from intranet.web import calendar as current

        assert current().is_working_day(date(2026, 10, 1))


def test_the_calendar_page_shows_the_official_holidays_in_the_readers_language(app, client, auth, company):
    auth.login("sunli")
    english = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    assert "National Day" in english and "2026-10-10" in english and "2026-10-01" in english
    chinese = client.get("/admin/calendar?year=2026", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "国庆节" in chinese and "春节" in chinese and "National Day" not in chinese
    # an administrator's own entry on an official day shows beside it
    client.post("/admin/calendar", data={"day": "2026-10-10", "name": "公司团建", "is_workday": ""})
    page = client.get("/admin/calendar?year=2026").get_data(as_text=True)
    national_day = page[page.index("National Day"):].split("</tr>")[0]
    assert "2026-10-10" in national_day and "Holiday" in national_day
    with app.test_request_context():
        from intranet.web import calendar as current

        assert not current().is_working_day(date(2026, 10, 10))
    unknown = client.get("/admin/calendar?year=2099").get_data(as_text=True)
    assert "does not cover 2099" in unknown
