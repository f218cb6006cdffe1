"""One helper decides between the full page and the fragment htmx asked for."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import make_response, render_template, request
from wtforms import FieldList, FormField

from ..extensions import htmx
from ..i18n import gettext


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of a page; boosted navigation
    and history restores need the whole page."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, fragment: str | None = None, *, status: int = 200, **context):
    """Render ``template``, or only ``fragment`` (which the page includes) for htmx."""
    name = fragment if fragment and wants_fragment() else template
    response = make_response(render_template(name, **context), status)
    response.vary.add("HX-Request")
    return response


def form_status(form) -> int:
    """422 when a submitted form has errors, else 200."""
    return 422 if request.method != "GET" and form.errors else 200


def form_error(form, error) -> None:
    """Put a service's :class:`intranet.errors.DomainError` beside its field."""
    message = error.translate(gettext)
    field = getattr(form, error.field, None) if error.field else None
    if field is None or isinstance(field, (FieldList, FormField)):  # no single place beside a field
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


MAX_ID = 2**31 - 1


def arg_id(name: str) -> int | None:
    """A positive id from the query string, or None for anything else."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


def safe_next(target: str | None, fallback: str = "/") -> str:
    """``target`` when it is a path on this site, else ``fallback``: every redirect
    target taken from a request (``next``, a referrer, a stored link) goes through here.

    Browsers read a backslash as a slash and drop tabs and line breaks inside a URL,
    so ``/\\evil.example`` or ``/<tab>/evil.example`` would leave the site: refused too.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
