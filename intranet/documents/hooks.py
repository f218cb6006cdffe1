"""The module kit's own pages: attachments and comments of any document."""
from __future__ import annotations

from ..plugins import hookimpl
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]
