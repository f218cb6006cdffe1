"""Reading and checking the audit log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..pagination import Page, paginate
from .capture import GENESIS, entry_hash
from .models import AuditEntry


@dataclass(frozen=True)
class ChainProblem:
    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry #{self.entry_id}: {self.reason}"


def verify_chain(session: Session, batch: int = 2000) -> ChainProblem | None:
    """Recompute the chain; return the first entry that was edited or whose
    predecessor was deleted, or None when the log is intact."""
    expected_id, prev_hash = 1, GENESIS
    last_id = 0
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.id > last_id)
                               .order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            return None
        for entry in rows:
            if entry.id != expected_id:
                return ChainProblem(entry.id, f"entries #{expected_id} to #{entry.id - 1} are missing (deleted)")
            if entry.prev_hash != prev_hash:
                return ChainProblem(entry.id, "does not follow the previous entry (a row before it was changed or deleted)")
            row = {c: getattr(entry, c) for c in ("id", "at", "actor_id", "actor_name", "ip", "module",
                                                  "entity", "entity_id", "action", "changes")}
            if entry_hash(entry.prev_hash, row) != entry.hash:
                return ChainProblem(entry.id, "was edited after it was written (hash mismatch)")
            prev_hash, expected_id, last_id = entry.hash, entry.id + 1, entry.id
        session.expunge_all()


def history(session: Session, entity: str, entity_id, limit: int = 100) -> list[AuditEntry]:
    """The changes of one record, newest first (for the history fragment)."""
    return list(session.scalars(
        select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.id.desc()).limit(limit)))


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    module: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def search(session: Session, flt: AuditFilter, *, page: int, per_page: int, tz) -> Page:
    """Entries matching the filter, newest first."""
    query = select(AuditEntry)
    if flt.actor_id:
        query = query.where(AuditEntry.actor_id == flt.actor_id)
    for column, value in ((AuditEntry.module, flt.module), (AuditEntry.entity, flt.entity),
                          (AuditEntry.entity_id, flt.entity_id), (AuditEntry.action, flt.action)):
        if value:
            query = query.where(column == value)
    if flt.date_from:
        query = query.where(AuditEntry.at >= _start_of(flt.date_from, tz))
    if flt.date_to:
        query = query.where(AuditEntry.at < _start_of(flt.date_to + timedelta(days=1), tz))
    return paginate(session, query.order_by(AuditEntry.id.desc()), page=page, per_page=per_page)


def _start_of(day: date, tz) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(timezone.utc)
