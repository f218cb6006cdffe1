"""Company intranet: a small Flask core with process modules as plugins.

The public API for modules is what this package and each core sub-package's
``__init__`` export. Importing it builds nothing: call :func:`create_app`.
"""
from .db import Model, contains, db, utcnow
from .errors import N_, Conflict, DomainError, Forbidden, Invalid, NotFound
from .hookspecs import hookspec
from .i18n import force_locale, gettext, lazy_gettext, ngettext
from .plugins import BADGE_LIMIT, Answer, MenuItem, ModuleInfo, SearchResult, Widget, hookimpl
from .web.context import ask


def create_app(config: dict | None = None):
    """Build the intranet Flask app (see :mod:`intranet.app`)."""
    # Loaded here, not at the top: ``import intranet`` (modules, Alembic, the CLI's entry) stays light.
    from .app import create_app as factory

    return factory(config)


__all__ = ["BADGE_LIMIT", "Answer", "Conflict", "DomainError", "Forbidden", "Invalid", "MenuItem", "Model",
           "ModuleInfo", "N_", "NotFound", "SearchResult", "Widget", "ask", "contains", "create_app", "db",
           "force_locale", "gettext", "hookimpl", "hookspec", "lazy_gettext", "ngettext", "utcnow"]
