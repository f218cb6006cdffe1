"""The dashboard's own contributions through the plugin hooks: its pages and its menu entry."""
from __future__ import annotations

from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, hookimpl
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("Dashboard"), "dashboard.dashboard", icon="home", order=0)]
