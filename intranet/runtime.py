"""Configuration that lives in the database, cached in each worker process.

Which modules are switched on, the role/permission matrix, setting values, the
work calendar and the department tree change rarely but must agree across all
worker processes and servers at once. Each process keeps one immutable
snapshot and compares a single generation counter (``core_generation``) per
request; whoever changes such configuration calls :func:`bump` in the same
transaction, so every process reloads on its next request.
"""
from __future__ import annotations

import threading
from types import MappingProxyType
from typing import Any, Callable

from sqlalchemy import Integer, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Model, read_scalar

Loader = Callable[[Session], Any]


class Generation(Model):
    """One row whose counter moves whenever cached configuration changes."""

    __tablename__ = "core_generation"
    __audit__ = False

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


#: Read on every request; built once (building a statement costs more than running this one).
CURRENT_GENERATION = select(Generation.value).where(Generation.id == 1)


class Snapshot:
    """Read-only mapping of loader name to loaded value, with its generation."""

    __slots__ = ("generation", "_data", "_derived")

    def __init__(self, generation: int, data: dict):
        self.generation = generation
        self._data = MappingProxyType(data)
        self._derived: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        return self._data[name]

    def derive(self, name: str, factory: Callable[["Snapshot"], Any]) -> Any:
        """A value computed from this snapshot once per process (a calendar, settings)."""
        if name not in self._derived:
            self._derived[name] = factory(self)
        return self._derived[name]


class RuntimeCache:
    """Per-process cache of the configuration snapshot."""

    def __init__(self) -> None:
        self._loaders: dict[str, Loader] = {}
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def register(self, name: str, loader: Loader) -> None:
        self._loaders[name] = loader

    def snapshot(self, session: Session, generation: int | None = None) -> Snapshot:
        """Return the current snapshot, reloading it if another process bumped it.

        ``generation`` is the counter when the caller has already read it in the
        same transaction (the signed-in user's row carries it); otherwise it is read.
        """
        if generation is None:
            generation = read_scalar(session, CURRENT_GENERATION)
        generation = generation or 0
        current = self._snapshot
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            data = {name: loader(session) for name, loader in self._loaders.items()}
            self._snapshot = Snapshot(generation, data)
            return self._snapshot


def bump(session: Session) -> None:
    """Invalidate every process's snapshot when this transaction commits."""
    result = session.execute(update(Generation).where(Generation.id == 1)
                             .values(value=Generation.value + 1))
    if result.rowcount == 0:
        session.execute(insert(Generation).values(id=1, value=1))


@event.listens_for(Session, "after_flush")
def _bump_on_cached_change(session: Session, _context) -> None:
    """Models marked ``__runtime_cached__`` invalidate the snapshot when written,
    so no service can forget to."""
    for obj in (*session.new, *session.dirty, *session.deleted):
        if getattr(obj, "__runtime_cached__", False):
            bump(session)
            return
