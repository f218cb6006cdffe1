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
