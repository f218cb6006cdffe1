"""Amounts as people in the company type them: ``1,234.50``, ``１２３４．５``, ``¥1,234``.

Without Flask, so forms, settings and services parse the same way.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(r"^[¥￥$€]|(元|CNY|RMB)$", re.IGNORECASE)


def parse_decimal(text, *, places: int = 2, quantize: bool = True) -> Decimal | None:
    """A number as people type it (grouping commas, full-width digits, a currency sign), or None
    for nothing typed; ValueError for anything else or more than ``places`` decimals.
    ``quantize``: give it exactly ``places`` decimals (money in a form); else as typed (a setting)."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    cleaned = _CURRENCY.sub("", cleaned).strip().replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or value.as_tuple().exponent < -places:
        raise ValueError(text)
    try:
        return value.quantize(Decimal(1).scaleb(-places)) if places and quantize else value
    except InvalidOperation:  # more digits than a Decimal holds: the range check refuses it
        return value
