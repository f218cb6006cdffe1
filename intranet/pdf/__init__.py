"""Printable signed forms: one builder for every module.

Modules declare :class:`PdfTemplate` objects (``intranet_pdf_templates``) that
describe content with :class:`PrintableDocument`; :func:`label` makes the
bilingual labels of paper forms ("金额 Amount").
"""
from babel.numbers import format_currency

from ..i18n import force_locale, gettext
from .content import LineTable, PdfTemplate, PrintableDocument
from .services import latest_approval


def label(message: str, **params) -> str:
    """A label in Chinese and English, as printed forms carry both."""
    with force_locale("zh_CN"):
        chinese = gettext(message, **params)
    english = message % params if params else message
    return english if chinese == english else f"{chinese} {english}"


def amount(value, currency: str = "CNY") -> str:
    """Money as printed on the company's forms: ¥8,000.00 whatever the reader's language."""
    return "—" if value is None else format_currency(value, currency, locale="zh_CN")


__all__ = ["LineTable", "PdfTemplate", "PrintableDocument", "amount", "label", "latest_approval"]
