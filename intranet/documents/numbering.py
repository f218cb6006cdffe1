"""The setting through which administrators change a document type's number format."""
from __future__ import annotations

from ..i18n import lazy_gettext as _l
from ..settings import Setting
from .types import DocumentType


def number_format_setting(kind: DocumentType) -> Setting:
    series = kind.numbering
    tokens = ", ".join("{%s}" % t for t in ("prefix", "yyyy", "mm", "dd", "seq:06", *series.values))
    return Setting(f"{kind.key}.number_format", series.format, _l("Number format: %(title)s", title=kind.title),
                   _l("Parts: %(tokens)s. New numbers follow a changed format.", tokens=tokens), type="str",
                   check=series.check)
