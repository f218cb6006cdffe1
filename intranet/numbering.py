"""Document numbers people can read and say: ``GR-2026-000123``."""
from __future__ import annotations

from sqlalchemy import Integer, String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Model


class DocumentSequence(Model):
    """The last number given out per prefix and year."""

    __tablename__ = "core_sequence"
    __audit__ = False

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


def next_number(session: Session, prefix: str, year: int, digits: int = 6) -> str:
    """The next number of a series; the row lock keeps it unique under concurrency."""
    key = f"{prefix}-{year}"
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(DocumentSequence).values(key=key, value=0).on_conflict_do_nothing())
    value = session.execute(update(DocumentSequence).where(DocumentSequence.key == key)
                            .values(value=DocumentSequence.value + 1).returning(DocumentSequence.value)).scalar_one()
    return f"{key}-{value:0{digits}d}"
