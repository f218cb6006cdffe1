"""Who may open a view. Every view declares exactly one of these.

The check for being signed in happens once, before every request (see
``intranet.app``); these decorators add the permission check and leave a
mark (``view.access``) that the route-protection test reads, so a view that
forgets to declare its access fails the test suite.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user


def public(view):
    """Open without signing in (sign-in page, health check, static files)."""
    view.access = ("public",)
    return view


def employee(view):
    """Open to every signed-in employee; object checks happen in the view."""
    view.access = ("employee",)
    return view


def permission_required(*keys: str):
    """Open to users holding any of the permission ``keys``."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not any(current_user.can(key) for key in keys):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = ("permission", keys)
        return wrapped

    return decorator


def writes(view):
    """Mark a GET view that writes (an audited print or download), so its
    transaction takes the write lock up front on SQLite."""
    view.writes = True
    return view


def access_of(view) -> tuple | None:
    return getattr(view, "access", None)
