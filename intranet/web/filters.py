"""Template helpers: formatting in the reader's language and time zone."""
from __future__ import annotations

from decimal import Decimal

from urllib.parse import urlsplit

from flask import g, request
from babel import dates, numbers
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from ..charts import render_chart
from ..db import db
from ..errors import N_
from ..i18n import gettext, ungettext
from ..plugins import BADGE_LIMIT, count_badges
from .context import calendar, enabled_hooks, settings, signed_in_user
from .rendering import safe_next


# Babel directly, with the request's locale and the company's time zone (both cached):
# Flask-Babel's wrappers resolve them again on every call, which shows on long lists.
def money(value, currency: str = "CNY") -> str:
    if value is None or value == "":
        return ""
    return numbers.format_currency(Decimal(value), currency, locale=get_locale())


def local_datetime(value, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    return dates.format_datetime(value, fmt, tzinfo=calendar().tz, locale=get_locale()) if value else ""


def local_date(value, fmt: str = "yyyy-MM-dd") -> str:
    return dates.format_date(value, fmt, locale=get_locale()) if value else ""


def message(text: str, params: dict | None = None) -> str:
    """Translate a stored message id with its parameters (notifications, trail)."""
    translated = gettext(text)
    try:
        return translated % (params or {})
    except (KeyError, ValueError, TypeError):
        return translated


def chart(value):
    """A chart drawn for the reader's locale (the ``chart`` macro of charts/_chart.html calls it)."""
    return render_chart(value, locale=get_locale())


def nav_items(section: str = "main"):
    """Menu entries of one section; the hook runs once per request (its badges cost a query)."""
    if not current_user.is_authenticated:
        return []
    if "intranet_menu" not in g:
        user = signed_in_user()
        items = [item for group in enabled_hooks().intranet_menu_items(user=user) for item in group or ()]
        g.intranet_menu = sorted(count_badges(db.session, items, user.id), key=lambda i: (i.order, i.endpoint))
    return [item for item in g.intranet_menu if item.section == section]


def badge(count: int) -> str:
    """A count as menu badges show it: "99+" once it reaches the limit it is counted to."""
    return f"{BADGE_LIMIT - 1}+" if count >= BADGE_LIMIT else str(count)


def ui_language() -> str:
    """The interface language as our own code: "zh_CN" or "en"."""
    locale = get_locale()
    return "zh_CN" if locale is not None and locale.language == "zh" else "en"


def company_name() -> str:
    return settings()["core.company_name" if ui_language() == "zh_CN" else "core.company_name_en"]


def icon(name: str, size: int = 18) -> Markup:
    return Markup(f'<svg class="icon" width="{size}" height="{size}" aria-hidden="true">'
                  f'<use href="/static/icons.svg#{name}"></use></svg>')


#: Status words of documents, approvals, steps and tasks: (message id, pill tone).
STATUSES = {
    "pending": (N_("Pending"), "info"), "approved": (N_("Approved"), "ok"), "rejected": (N_("Rejected"), "danger"),
    "returned": (N_("Returned"), "warn"), "withdrawn": (N_("Withdrawn"), "muted"), "waiting": (N_("Waiting"), "muted"),
    "active": (N_("In progress"), "info"), "skipped": (N_("Skipped"), "muted"),
    "cancelled": (N_("Not needed"), "muted"), "transferred": (N_("Handed over"), "muted"),
    "draft": (N_("Draft"), "muted"), "superseded": (N_("Superseded"), "muted"),
}


def back_url() -> str | None:
    """The page the reader came from, when it is on this site (an error page links back to it)."""
    referrer = request.referrer if request else None
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc and parts.netloc != request.host:
        return None
    target = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), "")
    return target if target and target != request.path else None


def init_app(app) -> None:
    app.jinja_env.install_gettext_callables(gettext, ungettext, newstyle=True)
    app.jinja_env.filters.update(badge=badge, money=money, datetime=local_datetime, date=local_date,
                                 message=message)
    app.jinja_env.globals.update(nav_items=nav_items, icon=icon, ui_language=ui_language, STATUSES=STATUSES,
                                 company_name=company_name, setting=lambda key: settings()[key],
                                 render_chart=chart, back_url=back_url)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _layout():
        return {"current_path": request.full_path.rstrip("?") if request else "/"}
