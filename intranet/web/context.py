"""Request-time access to the intranet's state: the one place views and
templates get settings, the calendar, the org chart and the hooks from."""
from __future__ import annotations

from flask import current_app, g
from flask_login import current_user

from ..calendar import WorkCalendar
from ..db import db
from ..settings import Settings


def state():
    """The :class:`intranet.app.IntranetState` of the current app."""
    return current_app.extensions["intranet"]


def signed_in_user():
    """The signed-in user itself rather than Flask-Login's proxy, for hooks and services:
    each attribute read through the proxy looks the user up in the request context again."""
    return current_user._get_current_object()


def snapshot(generation: int | None = None):
    """This request's configuration snapshot; ``generation`` when already read (see RuntimeCache)."""
    if "intranet_snapshot" not in g:
        g.intranet_snapshot = state().runtime.snapshot(db.session, generation)
    return g.intranet_snapshot


def settings() -> Settings:
    return snapshot().derive("settings", lambda snap: Settings(state().settings, snap["settings"]))


def calendar() -> WorkCalendar:
    return snapshot().derive("calendar", lambda snap: WorkCalendar.from_settings(settings(), snap["calendar"]))


def org_chart():
    return snapshot()["org"]


def enabled_modules() -> frozenset[str]:
    return snapshot()["modules"]


def enabled_hooks():
    """Hooks of the core and the switched-on modules."""
    return state().registry.hooks(enabled_modules())


def forget_snapshot() -> None:
    """Drop this request's snapshot after changing cached configuration."""
    g.pop("intranet_snapshot", None)


def ask(hook_name: str, **kwargs):
    """Call a hook another module declared (``budget_remaining``): an
    :class:`intranet.Answer` whose ``available`` is False when that module is off or absent."""
    return state().registry.ask(enabled_modules(), hook_name, **kwargs)
