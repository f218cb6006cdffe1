"""Dashboard cards of the approval engine that are not the inbox itself."""
from __future__ import annotations

from flask_babel import get_locale

from ..calendar import last_periods, period_label
from ..charts import BarChart, Series
from ..db import db, utcnow
from ..i18n import gettext as _
from ..web import calendar, enabled_modules
from ..web.context import state
from ..web.filters import STATUSES
from .inbox import modules_to_show
from .models import RequestStatus
from .queries import requests_by_period

#: Bottom to top in the stacked bars: settled first, then what is still moving.
_STATUS_ORDER = (RequestStatus.APPROVED, RequestStatus.PENDING, RequestStatus.RETURNED, RequestStatus.REJECTED,
                 RequestStatus.WITHDRAWN)


def requests_by_month(user, months: int = 6) -> dict:
    """The user's own requests of the last ``months`` months by status, on the company's calendar."""
    company = calendar()
    keys = last_periods(company.today(utcnow()), "month", months)
    counts = requests_by_period(db.session, user.id, keys, "month", company.tz.key,
                                modules_to_show(state().approval_types, enabled_modules()))
    series = [Series(_(STATUSES[status][0]), [counts.get((key, status), 0) for key in keys], STATUSES[status][1])
              for status in _STATUS_ORDER if any(counts.get((key, status)) for key in keys)]
    chart = BarChart(_("My requests by month"), [period_label(key, "month", get_locale()) for key in keys],
                     series, stacked=True, category_label=_("Month"), legend=True)
    return {"chart": chart, "total": sum(counts.values())}
