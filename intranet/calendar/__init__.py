"""The company work calendar: weekends, holidays, make-up days, working hours."""
from .models import CalendarDay
from .services import CalendarDays, WorkCalendar, load_calendar_days

__all__ = ["CalendarDay", "CalendarDays", "WorkCalendar", "load_calendar_days"]
