"""Declared statuses of a document type: their labels, colours and allowed moves.

The status pill, list filters, exports and printed forms read a document's
status from its type's :class:`StatusSet`; the core keeps no closed list of
module statuses.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..errors import N_, Conflict
from ..i18n import lazy_gettext as _l

TONES = ("info", "ok", "warn", "danger", "muted")


@dataclass(frozen=True)
class Status:
    """One status: its stored ``key``, translated ``label`` and pill ``tone``.

    ``editable``: the requester may change the document and send it (again).
    """

    key: str
    label: Any
    tone: str = "muted"
    editable: bool = False

    def __post_init__(self):
        if self.tone not in TONES:
            raise ValueError(f"status {self.key}: tone {self.tone!r} is not one of {TONES}")


class StatusSet:
    """The statuses of a document type and the moves between them.

    ``moves`` maps a status to the statuses it may move to. The approval engine's
    decisions move a document along these (see :data:`APPROVAL_STATUSES`).
    """

    def __init__(self, statuses: Iterable[Status], moves: Mapping[str, Iterable[str]], initial: str = "draft"):
        self.statuses = {s.key: s for s in statuses}
        self.moves = {key: frozenset(targets) for key, targets in moves.items()}
        self.initial = initial
        unknown = ({initial} | set(self.moves) | {t for ts in self.moves.values() for t in ts}) - set(self.statuses)
        if unknown:
            raise ValueError(f"moves name undeclared statuses: {sorted(unknown)}")

    def __getitem__(self, key: str) -> Status:
        return self.statuses[key]

    def __contains__(self, key: str) -> bool:
        return key in self.statuses

    def __iter__(self):
        return iter(self.statuses.values())

    def get(self, key: str) -> Status | None:
        return self.statuses.get(key)

    def can_move(self, source: str, target: str) -> bool:
        return target in self.moves.get(source, ())

    def check_move(self, source: str, target: str) -> None:
        if not self.can_move(source, target):
            raise Conflict(N_("A document that is “%(source)s” cannot become “%(target)s”."),
                           source=self.name_of(source), target=self.name_of(target))

    def name_of(self, key: str) -> str:
        status = self.statuses.get(key)
        return str(status.label) if status else key

    def editable(self, key: str) -> bool:
        status = self.statuses.get(key)
        return bool(status and status.editable)

    def editable_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self if s.editable)

    def choices(self) -> list[tuple[str, Any]]:
        return [(s.key, s.label) for s in self]

    def extend(self, statuses: Iterable[Status] = (), moves: Mapping[str, Iterable[str]] | None = None) -> "StatusSet":
        """This set with more statuses and moves (moves from a status are added to, not replaced)."""
        merged = {k: set(v) for k, v in self.moves.items()}
        for key, targets in (moves or {}).items():
            merged.setdefault(key, set()).update(targets)
        return StatusSet([*self, *statuses], merged, self.initial)


DRAFT = Status("draft", _l("Draft"), "muted", editable=True)
PENDING = Status("pending", _l("Pending"), "info")
APPROVED = Status("approved", _l("Approved"), "ok")
REJECTED = Status("rejected", _l("Rejected"), "danger", editable=True)
RETURNED = Status("returned", _l("Returned"), "warn", editable=True)
WITHDRAWN = Status("withdrawn", _l("Withdrawn"), "muted", editable=True)

#: The life of a document that is approved: drafted, sent, decided by the engine;
#: a returned, rejected or withdrawn one is edited and sent again.
APPROVAL_STATUSES = StatusSet(
    (DRAFT, PENDING, APPROVED, REJECTED, RETURNED, WITHDRAWN),
    {"draft": ("pending",), "pending": ("approved", "rejected", "returned", "withdrawn"),
     "returned": ("pending", "withdrawn"), "rejected": ("pending",), "withdrawn": ("pending",)})
