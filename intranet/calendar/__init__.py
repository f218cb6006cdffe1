"""The company work calendar: weekends, official and company holidays, make-up days,
working hours; and periods (day, week, month, quarter, year) in the company's time zone."""
from .models import CalendarDay
from .official import OFFICIAL_CALENDARS, OfficialHoliday, OfficialYear, official_year
from .periods import (PERIODS, last_periods, local_period, period_bounds, period_label, period_of,
                      period_start, periods_between)
from .services import CalendarDays, WorkCalendar, load_calendar_days

__all__ = ["OFFICIAL_CALENDARS", "PERIODS", "CalendarDay", "CalendarDays", "OfficialHoliday", "OfficialYear",
           "WorkCalendar", "last_periods", "load_calendar_days", "local_period", "official_year", "period_bounds",
           "period_label", "period_of", "period_start", "periods_between"]
