"""Translation functions for code on the request path.

They are Flask-Babel's, with its catalogue looked up once per request:
Flask-Babel resolves the domain, the locale and the catalogue again on every
call, and a page translates dozens of strings (menu, labels, buttons). Text in
another language than the page's (e-mails, printed forms) is written inside
this module's :func:`force_locale`, which these functions follow. Modules may
use these or Flask-Babel's own; the messages and catalogues are the same.
"""
from __future__ import annotations

from contextlib import contextmanager

import flask_babel
from babel import dates
from flask import g, has_app_context
from flask_babel import LazyString, get_locale, get_translations


def translations():
    """The catalogue of the current language (a null catalogue outside an app context)."""
    if not has_app_context():
        return get_translations()
    cached = g.get("intranet_translations")
    if cached is None:
        cached = g.intranet_translations = get_translations()
    return cached


@contextmanager
def force_locale(locale: str):
    """Flask-Babel's ``force_locale``, followed by these functions too."""
    with flask_babel.force_locale(locale):
        if not has_app_context():
            yield
            return
        page_catalogue = g.pop("intranet_translations", None)
        try:
            yield
        finally:
            g.pop("intranet_translations", None)
            if page_catalogue is not None:
                g.intranet_translations = page_catalogue


def gettext(message: str, **params) -> str:
    text = translations().ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, num: int, **params) -> str:
    params.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % params


def ungettext(singular: str, plural: str, num: int) -> str:
    """The translated singular or plural form, unformatted: Jinja's ``ngettext`` formats it
    with the template's own parameters (``n=page.total``...), which may differ from ``num``."""
    return translations().ungettext(singular, plural, num)


def lazy_gettext(message: str, **params) -> LazyString:
    """A message translated when shown (labels declared at import time)."""
    return LazyString(gettext, message, **params)


def _locale():
    return (get_locale() if has_app_context() else None) or "en"


def weekday_name(index: int) -> str:
    """Monday (0) to Sunday (6) in the reader's language, from Babel's locale data."""
    return dates.get_day_names("wide", locale=_locale())[index]


def timezone_name(zone: str) -> str:
    """A time zone as the reader knows it: "中国（上海）时间", "China (Shanghai) Time"."""
    if zone == "UTC":
        return gettext("Coordinated Universal Time (UTC)")
    return dates.get_timezone_location(zone, locale=_locale())


def lazy_weekday(index: int) -> LazyString:
    return LazyString(weekday_name, index)


def lazy_timezone(zone: str) -> LazyString:
    return LazyString(timezone_name, zone)
