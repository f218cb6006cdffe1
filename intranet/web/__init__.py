"""The web layer: rendering, access rules and helpers every view uses."""
from .access import employee, permission_required, public, writes
from .context import calendar, enabled_hooks, enabled_modules, org_chart, settings, signed_in_user, snapshot
from .rendering import arg_id, form_error, form_status, render, safe_next, wants_fragment


def init_app(app) -> None:
    from . import errors, filters

    errors.init_app(app)
    filters.init_app(app)


__all__ = ["arg_id", "calendar", "employee", "enabled_hooks", "enabled_modules", "form_error", "form_status",
           "org_chart", "permission_required", "public", "render", "safe_next", "settings", "signed_in_user",
           "snapshot", "wants_fragment", "writes"]
