"""Geometry without a browser: how wide a label is, where it wraps, which ticks an axis gets."""
from __future__ import annotations

import math
import re
import unicodedata

# A CJK character is about 1 em wide; Latin letters and digits about 0.55 em (narrow ones less).
_NARROW = set("il.,:;|!'`()[] ")
_WIDE_LATIN = set("mwMW%@")
# A wrapped line breaks after any CJK character and at spaces, never inside a Latin word,
# and a Latin run (a number, mostly) keeps the CJK character after it (2026年 / 7月, not 2026年7 / 月).
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+(?:[{_CJK}]|\\s*)|\\s+")


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def text_width(text: str, size: float) -> float:
    """A generous estimate of ``text``'s width at font ``size`` (user units)."""
    ems = 0.0
    for char in text:
        if is_wide(char):
            ems += 1.0
        elif char in _NARROW:
            ems += 0.32
        elif char in _WIDE_LATIN or char.isupper():
            ems += 0.72
        else:
            ems += 0.58
    return ems * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` where it can break; a Latin word longer
    than a line keeps its own line whole (the layout makes room rather than cutting it)."""
    if text_width(text, size) <= width:
        return [text]
    lines, line = [], ""
    for token in _TOKENS.findall(text):
        if line and text_width((line + token).rstrip(), size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines or [text]


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering
    ``low``..``high`` and zero; ``integer`` keeps steps whole (counts of things)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    if integer:
        step = max(1, math.ceil(step))
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    digits = max(0, -math.floor(math.log10(step)) + 1)
    return [round(i * step, digits) for i in range(first, last + 1)]
