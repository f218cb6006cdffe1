from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Model


class AuditEntry(Model):
    """One append-only audit entry, chained to the previous one by ``hash``.

    ``id`` is assigned in sequence under a lock when the transaction commits,
    so the chain has no forks and a missing id shows a deleted row. There are
    deliberately no foreign keys: entries outlive what they describe.
    """

    __tablename__ = "core_audit_entry"
    __audit__ = False
    __table_args__ = (
        Index("ix_core_audit_entry_entity", "entity", "entity_id"),
        Index("ix_core_audit_entry_actor_at", "actor_id", "at"),
        Index("ix_core_audit_entry_module_at", "module", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(100), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")
    module: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(80), default="")
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditAnchor(Model):
    """Where the audit chain stood at a backup or a reminder run 审计锚点: its last id, count and head hash,
    signed with the audit key. A chain shorter than an anchor was cut off at its end.

    The latest anchor is also kept outside the database (``AUDIT_ANCHOR_FILE``), since whoever
    cuts entries off the table could delete the newest anchors too.
    """

    __tablename__ = "core_audit_anchor"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column()
    source: Mapped[str] = mapped_column(String(20))
    last_id: Mapped[int] = mapped_column(Integer, index=True)
    count: Mapped[int] = mapped_column(Integer)
    head_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64))
