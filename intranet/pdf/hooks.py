"""Printing's contributions: the approval record form, settings, pages, commands."""
from __future__ import annotations

from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, hookimpl
from ..settings import Setting
from .approval_record import approval_record
from .cli import pdf_group, print_command
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_settings():
    return [
        Setting("core.signature_max_kb", 512, _l("Largest signature image (KB)"), type="int", minimum=16,
                maximum=4096),
        Setting("core.company_logo", 0, _l("Company logo on printed forms"), type="int", hidden=True),
    ]


@hookimpl
def intranet_menu_items(user):
    if user.can("core.settings.manage"):
        return [MenuItem(_l("Printing"), "pdf.printing", icon="printer", order=6, section="admin")]
    return []


@hookimpl
def intranet_pdf_templates():
    return [approval_record()]


@hookimpl
def intranet_cli_commands():
    return [print_command, pdf_group]
