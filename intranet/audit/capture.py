"""Capture every model change centrally and write the hash chain at commit.

Changes are collected after each flush (when new rows have their ids) and
written once, just before the transaction commits, under a database-wide
lock: a PostgreSQL advisory lock, or on SQLite the write lock the transaction
already holds. The lock is taken last so it is held only for the insert and
the commit, never while other rows are being locked.
"""
from __future__ import annotations

import contextvars
import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from enum import Enum

from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from ..db import utcnow
from .models import AuditEntry

GENESIS = "0" * 64
_ADVISORY_LOCK_KEY = 0x1A0D17  # any constant shared by all writers


@dataclass(frozen=True)
class Actor:
    """Who acts in the current unit of work, and from where."""

    id: int | None = None
    name: str = "system"
    ip: str = ""


_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("intranet_audit_actor", default=Actor())


def current_actor() -> Actor:
    return _actor.get()


def set_actor(actor: Actor) -> contextvars.Token:
    return _actor.set(actor)


def reset_actor(token: contextvars.Token) -> None:
    _actor.reset(token)


@contextmanager
def acting_as(actor: Actor):
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def jsonable(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(value)} bytes>"
    return str(value)


def _identity(obj) -> str:
    # primary_key_from_instance also works in after_flush, before new rows join the identity map
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in key if part is not None)


def _module_key(obj) -> str:
    return getattr(type(obj), "__module_key__", "core")


def _changes(obj, action: str) -> dict:
    cls = type(obj)
    mapper = inspect(cls)
    loaded = inspect(obj).dict  # what the object holds; never triggers a load
    redact = set(cls.__audit_redact__)
    skip = set(cls.__audit_skip__)
    changes: dict = {}
    for attr in mapper.column_attrs:
        name = attr.key
        if name in skip:
            continue
        if action in ("create", "delete"):
            value = loaded.get(name)
            if value is not None:
                changes[name] = "***" if name in redact else jsonable(value)
            continue
        history = get_history(obj, name)
        if history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if before == after:
                continue
            changes[name] = "***" if name in redact else [jsonable(before), jsonable(after)]
    for rel in mapper.relationships:
        if rel.secondary is None or rel.viewonly or action == "delete":
            continue
        history = get_history(obj, rel.key, passive=PASSIVE_NO_INITIALIZE)
        added = sorted(_identity(o) for o in history.added)
        removed = sorted(_identity(o) for o in history.deleted)
        if added or removed:
            changes[rel.key] = {"added": added, "removed": removed}
    return changes


def _audited(obj) -> bool:
    return getattr(type(obj), "__audit__", False)


def _pending(session: Session) -> list[dict]:
    return session.info.setdefault("audit_pending", [])


def _queue(session: Session, *, module, entity, entity_id, action, changes) -> None:
    actor = _actor.get()
    _pending(session).append({
        "at": utcnow(), "actor_id": actor.id, "actor_name": actor.name[:100], "ip": actor.ip[:45],
        "module": module, "entity": entity, "entity_id": str(entity_id)[:64], "action": action,
        "changes": changes,
    })


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context) -> None:
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not _audited(obj):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=True):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            _queue(session, module=_module_key(obj), entity=obj.__tablename__,
                   entity_id=_identity(obj), action=action, changes=changes)


def record(session: Session, action: str, *, module: str = "core", entity: str = "",
           entity_id="", details: dict | None = None) -> None:
    """Record an event that is not a model change (sign-in, print, export...).

    The entry is written with the transaction; call ``session.commit()`` as usual.
    """
    _queue(session, module=module, entity=entity, entity_id=entity_id, action=action,
           changes=jsonable(details or {}))


def record_export(_sender, *, session: Session, module: str, name: str, fmt: str, rows: int) -> None:
    """An export as the log keeps it (connected to ``intranet.web.export.exported`` by create_app)."""
    record(session, "export", module=module, entity=name, details={"format": fmt, "rows": rows})


def entry_hash(prev_hash: str, row: dict) -> str:
    payload = [prev_hash, row["id"], row["at"].astimezone(timezone.utc).isoformat(),
               row["actor_id"], row["actor_name"], row["ip"], row["module"], row["entity"],
               row["entity_id"], row["action"], row["changes"]]
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@event.listens_for(Session, "before_commit")
def _write_chain(session: Session) -> None:
    if session.info.get("audit_pending") or session.new or session.dirty or session.deleted:
        session.flush()
    pending = session.info.pop("audit_pending", None)
    if not pending:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
    last = connection.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    last_id, prev_hash = (last.id, last.hash) if last else (0, GENESIS)
    rows = []
    for offset, entry in enumerate(pending, start=1):
        row = dict(entry, id=last_id + offset, prev_hash=prev_hash)
        row["hash"] = prev_hash = entry_hash(row["prev_hash"], row)
        rows.append(row)
    connection.execute(insert(AuditEntry), rows)


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop("audit_pending", None)
