"""Document numbers people can read and say: ``GR-2026-000123``, ``T20261201-001``,
``ZD-HR-20261201-员工考勤制度-V1``.

A module registers a :class:`NumberSeries` per document type (Odoo's
``ir.sequence``): a format of tokens in braces, its default given by the module
and changed by administrators in the module's settings. The running number
``{seq}`` counts per distinct rest of the number, so ``{prefix}-{yyyy}-{seq:06}``
starts again each year and ``T{yyyymmdd}-{seq:03}`` each day.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Integer, String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Model
from .errors import N_, Invalid

#: Tokens every format may use; a series may name more (``values``), given at numbering.
DATE_TOKENS = ("yyyy", "yy", "mm", "dd", "yyyymmdd", "yyyymm")
BUILT_IN_TOKENS = ("prefix", "seq", *DATE_TOKENS)
_SEQ_SPEC = re.compile(r"^0?[1-9]$|^$")


class DocumentSequence(Model):
    """The last number given out per series and period (the number without its ``{seq}``)."""

    __tablename__ = "core_sequence"
    __audit__ = False

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class NumberSeries:
    """How the documents of one type are numbered.

    :param prefix: the series' letters, e.g. ``PR``; the ``{prefix}`` token.
    :param format: the default format; administrators change it in the module's settings
        (``<type key>.number_format``). Tokens: ``{prefix}``, ``{yyyy}``, ``{yy}``, ``{mm}``,
        ``{dd}``, ``{yyyymm}``, ``{yyyymmdd}`` (in the company's time zone), ``{seq:06}``
        (the running number, zero-padded to 6), and the names in ``values``.
    :param values: further tokens the module passes when numbering (``dept``, ``category``,
        ``name``, ``version``...).
    :param running: whether the format must carry the running number; a series of names
        (archives' ``{category}-{yyyymmdd}-{name}-V{version}``) is unique by its values instead.
    """

    prefix: str
    format: str = "{prefix}-{yyyy}-{seq:06}"
    values: tuple[str, ...] = ()
    running: bool = True

    def check(self, text: str) -> str:
        """A format an administrator typed, or Invalid saying what is wrong."""
        text = (text or "").strip()
        if not text or len(text) > 100:
            raise Invalid(N_("Give a format of at most %(count)s characters."), field="format", count=100)
        try:
            parts = list(string.Formatter().parse(text))
        except ValueError:
            raise Invalid(N_("Braces must come in pairs, e.g. {yyyy}."), field="format") from None
        seen = set()
        for _literal, name, spec, conversion in parts:
            if name is None:
                continue
            if name not in (*BUILT_IN_TOKENS, *self.values) or conversion:
                raise Invalid(N_("Unknown part {%(name)s}; use %(known)s."), field="format", name=name,
                              known=", ".join("{%s}" % t for t in (*BUILT_IN_TOKENS, *self.values)))
            if name == "seq" and not _SEQ_SPEC.match(spec or ""):
                raise Invalid(N_("Write the running number as {seq} or {seq:06} (up to 9 digits)."),
                              field="format")
            seen.add(name)
        if self.running and "seq" not in seen:
            raise Invalid(N_("The format needs the running number {seq}."), field="format")
        return text


def render_number(fmt: str, *, prefix: str, at: datetime, tz: tzinfo, seq: int | None,
                  values: dict[str, Any] | None = None) -> str:
    local = at.astimezone(tz)
    tokens = {"prefix": prefix, "yyyy": f"{local:%Y}", "yy": f"{local:%y}", "mm": f"{local:%m}",
              "dd": f"{local:%d}", "yyyymm": f"{local:%Y%m}", "yyyymmdd": f"{local:%Y%m%d}",
              **{k: "" if v is None else str(v) for k, v in (values or {}).items()}}
    out = []
    for literal, name, spec, _conversion in string.Formatter().parse(fmt):
        out.append(literal)
        if name == "seq":
            out.append("{seq}" if seq is None else f"{seq:{spec or ''}}")
        elif name is not None:
            out.append(tokens.get(name, ""))
    return "".join(out)


def _insert(session: Session):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)


def next_in_sequence(session: Session, key: str) -> int:
    """The next value of the counter ``key``; the row lock keeps it unique under concurrency."""
    session.execute(_insert(session)(DocumentSequence).values(key=key[:200], value=0).on_conflict_do_nothing())
    return session.execute(update(DocumentSequence).where(DocumentSequence.key == key[:200])
                           .values(value=DocumentSequence.value + 1).returning(DocumentSequence.value)).scalar_one()


def issue_number(session: Session, series_key: str, fmt: str, *, prefix: str, at: datetime, tz: tzinfo,
                 values: dict[str, Any] | None = None) -> str:
    """The next number of a series in format ``fmt`` at the moment ``at``."""
    pattern = render_number(fmt, prefix=prefix, at=at, tz=tz, seq=None, values=values)
    if "{seq}" not in pattern:
        return pattern
    value = next_in_sequence(session, f"{series_key}|{pattern}")
    return render_number(fmt, prefix=prefix, at=at, tz=tz, seq=value, values=values)


def next_number(session: Session, prefix: str, year: int, digits: int = 6) -> str:
    """``PREFIX-YEAR-000123`` (the fixed format of numbers that have no series of their own)."""
    return f"{prefix}-{year}-{next_in_sequence(session, f'{prefix}-{year}'):0{digits}d}"
