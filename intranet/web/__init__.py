"""The web toolkit every view uses: rendering, access rules, request context,
fields, lists, forms, line items and exports."""
from . import errors, filters
from .access import employee, permission_required, public, writes
from .context import calendar, enabled_hooks, enabled_modules, org_chart, settings, signed_in_user, snapshot
from .export import export_response
from .fields import Field
from .forms import MultiCheckboxField, optional_int, options
from .lines import DecimalText, LinesField, MoneyField, QuantityField, edit_lines, parse_decimal, total
from .lists import NEWEST, Filter, ListParams, ListView, Listing, Sort
from .rendering import arg_id, form_error, form_status, render, safe_next, wants_fragment


def init_app(app) -> None:
    errors.init_app(app)
    filters.init_app(app)


__all__ = ["DecimalText", "Field", "Filter", "LinesField", "ListParams", "ListView", "Listing", "MoneyField",
           "MultiCheckboxField", "NEWEST", "QuantityField", "Sort", "arg_id", "calendar", "edit_lines", "employee",
           "enabled_hooks", "enabled_modules", "export_response", "form_error", "form_status", "optional_int",
           "options", "org_chart", "parse_decimal", "permission_required", "public", "render", "safe_next",
           "settings", "signed_in_user", "snapshot", "total", "wants_fragment", "writes"]
