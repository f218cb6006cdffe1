"""Reading and checking the audit log."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..errors import N_
from ..pagination import Page, paginate
from .capture import GENESIS, entry_hash
from .models import AuditAnchor, AuditEntry


@dataclass(frozen=True)
class ChainProblem:
    """The first thing wrong with the audit log: the entry it shows at, and why (an N_ message)."""

    entry_id: int
    reason: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.translate(lambda message, **params: message % params if params else message)

    def translate(self, gettext) -> str:
        return gettext("audit entry #%(id)s: %(reason)s", id=self.entry_id, reason=gettext(self.reason, **self.params))


@dataclass(frozen=True)
class Anchor:
    """Where the chain stood (see :class:`AuditAnchor`), as stored in the table or the anchor file."""

    at: str
    source: str
    last_id: int
    count: int
    head_hash: str
    signature: str = ""

    def signed(self, key: bytes) -> Anchor:
        return replace(self, signature=_sign(key, self))

    def sound(self, key: bytes) -> bool:
        return hmac.compare_digest(self.signature, _sign(key, self))

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)


def _sign(key: bytes, anchor: Anchor) -> str:
    message = json.dumps([anchor.at, anchor.source, anchor.last_id, anchor.count, anchor.head_hash])
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def take_anchor(session: Session, key: bytes, source: str, now: datetime) -> Anchor | None:
    """Record where the chain stands now (signed) in the anchors table; None while the log is empty.

    A second run while no entry was added records nothing new and returns the latest anchor.
    """
    head = session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    if head is None:
        return None
    latest = session.scalars(select(AuditAnchor).order_by(AuditAnchor.id.desc()).limit(1)).first()
    if latest is not None and (latest.last_id, latest.head_hash) == (head.id, head.hash):
        return _anchor_of(latest)
    count = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= head.id))
    anchor = Anchor(at=now.astimezone(timezone.utc).isoformat(), source=source[:20], last_id=head.id, count=count,
                    head_hash=head.hash).signed(key)
    session.add(AuditAnchor(at=now, source=anchor.source, last_id=anchor.last_id, count=anchor.count,
                            head_hash=anchor.head_hash, signature=anchor.signature))
    return anchor


def _anchor_of(row: AuditAnchor) -> Anchor:
    return Anchor(at=row.at.astimezone(timezone.utc).isoformat(), source=row.source, last_id=row.last_id,
                  count=row.count, head_hash=row.head_hash, signature=row.signature)


def read_anchor_file(path: Path) -> Anchor | None:
    """The anchor kept outside the database, None when there is none yet.

    Raises ValueError when the file is unreadable (which verify reports as tampering).
    """
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Anchor(**{name: data[name] for name in Anchor.__dataclass_fields__})
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise ValueError(str(error)) from None


def write_anchor_file(path: Path, anchor: Anchor) -> None:
    """Replace the anchor file at once (a reader never sees half of it; two writers never mix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, scratch = tempfile.mkstemp(prefix=path.name, suffix=".new", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(anchor.as_json())
        os.replace(scratch, path)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise


def verify_chain(session: Session, key: bytes, anchors: Iterable[Anchor] = (), batch: int = 2000) \
        -> ChainProblem | None:
    """Recompute the keyed chain and hold it against every anchor (the table's and ``anchors``);
    return the first entry that was edited, deleted, unreadable or cut off, or None when the log is intact."""
    anchored: dict[int, Anchor] = {}
    stored = session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)).all()
    for anchor in [*map(_anchor_of, stored), *anchors]:
        if not anchor.sound(key):
            return ChainProblem(anchor.last_id, N_("the anchor of %(at)s (%(source)s) that names it was forged or "
                                                   "edited (its signature does not match)"),
                                {"at": anchor.at, "source": anchor.source})
        if anchor.count != anchor.last_id:
            return ChainProblem(anchor.last_id, N_("its anchor counts %(count)s entries up to it"),
                                {"count": anchor.count})
        anchored.setdefault(anchor.last_id, anchor)
    session.expunge_all()
    expected_id, prev_hash, last_id = 1, GENESIS, 0
    for entry in _raw_entries(session, batch):
        if isinstance(entry, ChainProblem):
            return entry
        if entry["id"] != expected_id:
            return ChainProblem(entry["id"], N_("entries #%(first)s to #%(last)s are missing (deleted)"),
                                {"first": expected_id, "last": entry["id"] - 1})
        if entry["prev_hash"] != prev_hash:
            return ChainProblem(entry["id"], N_("does not follow the previous entry (a row before it was changed "
                                                "or deleted)"))
        if not hmac.compare_digest(str(entry["hash"]), entry_hash(entry["prev_hash"], entry, key)):
            return ChainProblem(entry["id"], N_("was edited after it was written (hash mismatch)"))
        anchor = anchored.get(entry["id"])
        if anchor is not None and anchor.head_hash != entry["hash"]:
            return ChainProblem(entry["id"], N_("differs from the anchor of %(at)s (%(source)s)"),
                                {"at": anchor.at, "source": anchor.source})
        prev_hash, expected_id, last_id = entry["hash"], entry["id"] + 1, entry["id"]
    beyond = [anchor for anchor in anchored.values() if anchor.last_id > last_id]
    if beyond:
        anchor = max(beyond, key=lambda a: a.last_id)
        return ChainProblem(last_id + 1, N_("entries #%(first)s to #%(last)s were cut off the end of the log (the "
                                            "anchor of %(at)s, %(source)s, counts %(count)s)"),
                            {"first": last_id + 1, "last": anchor.last_id, "at": anchor.at, "source": anchor.source,
                             "count": anchor.count})
    return None


_COLUMNS = ("id", "at", "actor_id", "actor_name", "ip", "module", "entity", "entity_id", "action", "changes",
            "prev_hash", "hash")


def _raw_entries(session: Session, batch: int):
    """Every entry as a dict, read without the ORM so one corrupted value (a broken JSON text,
    a date that is no date) is reported as a problem of that entry instead of failing the read."""
    table = AuditEntry.__table__
    dialect = session.get_bind().dialect
    processors = {name: table.c[name].type.dialect_impl(dialect).result_processor(dialect, None)
                  for name in _COLUMNS}
    query = text(f"SELECT {', '.join(_COLUMNS)} FROM {table.name} WHERE id > :after ORDER BY id LIMIT :batch")
    after = 0
    while True:
        rows = session.execute(query, {"after": after, "batch": batch}).all()
        if not rows:
            return
        for raw in rows:
            entry = {}
            for name, value in zip(_COLUMNS, raw):
                try:
                    entry[name] = processors[name](value) if processors[name] and value is not None else value
                except (ValueError, TypeError) as error:
                    yield ChainProblem(raw[0], N_("its %(column)s holds an unreadable value (%(error)s)"),
                                       {"column": name, "error": str(error)[:80]})
                    return
            if not isinstance(entry["at"], datetime) or not isinstance(entry["id"], int):
                yield ChainProblem(raw[0], N_("its %(column)s holds an unreadable value (%(error)s)"),
                                   {"column": "at", "error": repr(entry["at"])[:80]})
                return
            yield entry
            after = entry["id"]


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
