"""The setting through which administrators change a document type's number format."""
from __future__ import annotations

from ..i18n import lazy_gettext as _l
from ..settings import Setting
from .types import DocumentType


def number_format_setting(kind: DocumentType) -> Setting:
    return Setting(f"{kind.key}.number_format", kind.numbering.format,
                   _l("Number format: %(title)s", title=kind.title),
                   _l("Parts in braces, as in the default: prefix, year, month, day and the running number "
                      "(with its digits). New numbers follow a changed format."),
                   type="str", check=kind.numbering.check)
