"""Days, weeks, months, quarters and years on the company's calendar, in Python and in SQL."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from intranet import db
from intranet.calendar import (last_periods, local_period, period_bounds, period_label, period_of, period_start,
                               periods_between)
from intranet.db import UTCDateTime

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


# 16:20 UTC on 30 November is 00:20 on 1 December in Shanghai.
BOUNDARY = utc(2026, 11, 30, 16, 20)


@pytest.mark.parametrize("period, key", [("day", "2026-12-01"), ("week", "2026-W49"), ("month", "2026-12"),
                                         ("quarter", "2026-Q4"), ("year", "2026")])
def test_a_moment_belongs_to_the_period_of_its_local_day(period, key):
    assert period_of(BOUNDARY, period, "Asia/Shanghai") == key
    assert period_of(BOUNDARY, period, "UTC") == period_of(date(2026, 11, 30), period, "UTC")


def test_period_bounds_run_from_local_midnight_to_local_midnight():
    assert period_bounds("2026-12", "month", SHANGHAI) == (utc(2026, 11, 30, 16), utc(2026, 12, 31, 16))
    assert period_bounds("2026-Q4", "quarter", SHANGHAI) == (utc(2026, 9, 30, 16), utc(2026, 12, 31, 16))
    assert period_bounds("2026-W53", "week", SHANGHAI) == (utc(2026, 12, 27, 16), utc(2027, 1, 3, 16))
    assert period_bounds("2026-12-01", "day", SHANGHAI) == (utc(2026, 11, 30, 16), utc(2026, 12, 1, 16))
    assert period_bounds("2026", "year", "UTC") == (utc(2026, 1, 1), utc(2027, 1, 1))
    start, end = period_bounds("2026-12", "month", SHANGHAI)
    assert start <= BOUNDARY < end


def test_periods_between_lists_the_empty_periods_too():
    assert periods_between(date(2026, 11, 15), date(2027, 2, 1), "month") == ["2026-11", "2026-12", "2027-01",
                                                                               "2027-02"]
    assert periods_between(date(2026, 12, 20), date(2027, 1, 10), "week") == ["2026-W51", "2026-W52", "2026-W53",
                                                                               "2027-W01"]
    assert periods_between(date(2026, 8, 1), date(2027, 1, 1), "quarter") == ["2026-Q3", "2026-Q4", "2027-Q1"]
    assert periods_between(date(2026, 12, 30), date(2027, 1, 1), "day") == ["2026-12-30", "2026-12-31",
                                                                            "2027-01-01"]
    assert periods_between(BOUNDARY, BOUNDARY, "day", tz=SHANGHAI) == ["2026-12-01"]
    assert periods_between(date(2027, 1, 1), date(2026, 1, 1), "year") == []
    with pytest.raises(ValueError):
        periods_between(BOUNDARY, BOUNDARY, "day")  # a datetime needs the zone


def test_last_periods_end_with_the_current_one():
    assert last_periods(date(2026, 3, 15), "month", 4) == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert last_periods(date(2026, 1, 1), "quarter", 2) == ["2025-Q4", "2026-Q1"]


def test_period_keys_read_in_the_readers_language():
    assert period_label("2026-12", "month", "zh_CN") == "2026年12月"
    assert period_label("2026-12", "month", "en") == "Dec 2026"
    assert period_label("2026-Q4", "quarter", "zh_CN") == "2026年第4季度"
    assert period_label("2026-12-01", "day", "en") == "Dec 1, 2026"
    assert period_label("2026-W49", "week", "en") == "Week 49 of 2026"
    assert period_start("2027-W01", "week") == date(2027, 1, 4)


def test_bad_periods_keys_and_zones_are_refused():
    with pytest.raises(ValueError):
        period_of(BOUNDARY, "fortnight", SHANGHAI)
    with pytest.raises(ValueError):
        period_start("2026-13x", "month")
    with pytest.raises(ZoneInfoNotFoundError):
        local_period(Column("at", UTCDateTime()), "day", "Mars/Olympus", "sqlite")
    with pytest.raises(ValueError):
        local_period(Column("at", UTCDateTime()), "day", "Asia/Shanghai", "oracle")


MOMENTS = [
    utc(2026, 11, 30, 15, 59),  # 23:59 on 30 Nov in Shanghai
    BOUNDARY,                   # 00:20 on 1 Dec
    utc(2026, 9, 30, 16, 0),    # midnight, 1 Oct: the fourth quarter
    utc(2026, 12, 27, 15, 59),  # Sunday 27 Dec, 23:59: ISO week 52
    utc(2026, 12, 27, 16, 0),   # Monday 28 Dec: ISO week 53 of 2026
    utc(2027, 1, 3, 15, 59),    # Sunday 3 Jan 2027, still week 53 of 2026
    utc(2027, 1, 3, 16, 0),     # Monday 4 Jan: week 1 of 2027
    utc(2026, 12, 31, 16, 0),   # New Year in Shanghai
]


@pytest.fixture
def moments(app):
    """A temporary table of timestamps (gone with the connection)."""
    table = Table("periods_probe", MetaData(), Column("id", Integer, primary_key=True),
                  Column("at", UTCDateTime()), prefixes=["TEMPORARY"])
    with app.app_context(), db.engine.connect() as connection:
        table.create(connection)
        connection.execute(insert(table), [{"at": moment} for moment in MOMENTS])
        yield connection, table


@pytest.mark.parametrize("period", ["day", "week", "month", "quarter", "year"])
def test_sql_groups_by_the_local_period_on_both_databases(moments, period):
    connection, table = moments
    key = local_period(table.c.at, period, "Asia/Shanghai", connection.dialect)
    grouped = dict(connection.execute(select(key, func.count()).group_by(key).order_by(key)).all())
    expected: dict[str, int] = {}
    for moment in MOMENTS:
        expected[period_of(moment, period, SHANGHAI)] = expected.get(period_of(moment, period, SHANGHAI), 0) + 1
    assert grouped == expected
    one = connection.execute(select(key).where(table.c.id == 2)).scalar_one()
    assert one == {"day": "2026-12-01", "week": "2026-W49", "month": "2026-12", "quarter": "2026-Q4",
                   "year": "2026"}[period]


def test_daylight_saving_time_is_exact_on_postgresql_and_follows_at_on_sqlite(moments, backend):
    connection, table = moments
    winter_evening = utc(2026, 1, 15, 22, 30)  # 23:30 on 15 January in Berlin (UTC+1)
    connection.execute(insert(table), [{"id": 100, "at": winter_evening}])
    row = table.c.id == 100

    def day(**kwargs):
        return connection.execute(select(local_period(table.c.at, "day", "Europe/Berlin", connection.dialect,
                                                      **kwargs)).where(row)).scalar_one()

    assert day(at=utc(2026, 1, 1)) == "2026-01-15"
    if backend == "postgresql":
        assert day(at=utc(2026, 7, 1)) == "2026-01-15"  # each row gets its own offset
    else:
        assert day(at=utc(2026, 7, 1)) == "2026-01-16"  # summer's offset (UTC+2): the documented limitation
