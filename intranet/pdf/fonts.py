"""The embedded CJK font, registered once per process."""
from __future__ import annotations

import threading
from pathlib import Path

FONT_NAME = "IntranetCJK"
INSTALL_HINT = ("No CJK TrueType font at {path}. Install it (Debian: apt-get install fonts-wqy-microhei) "
                "or point INTRANET_PDF_FONT_PATH at a .ttf/.ttc font; OpenType CJK fonts (.otf) do not embed.")
_lock = threading.Lock()
_registered: str | None = None


class FontMissing(RuntimeError):
    """Printing needs a CJK font that is not installed; the message says what to install."""


def font_problem(path: str) -> str | None:
    """Why the font cannot be used, or None."""
    if not Path(path).is_file():
        return INSTALL_HINT.format(path=path)
    if Path(path).suffix.lower() not in (".ttf", ".ttc"):
        return INSTALL_HINT.format(path=path)
    return None


def ensure_font(path: str) -> str:
    """Register the font with reportlab once; returns its name."""
    global _registered
    if _registered == path:
        return FONT_NAME
    with _lock:
        if _registered != path:
            problem = font_problem(path)
            if problem:
                raise FontMissing(problem)
            # reportlab loads on the first print, not at start-up.
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
            _registered = path
    return FONT_NAME
