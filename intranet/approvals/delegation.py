"""Delegation while away (代理审批): whose approvals someone may sign, and who signs for whom."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable, Mapping

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..db import utcnow
from .models import ApprovalTask, Delegation


@dataclass(frozen=True)
class DelegationRow:
    user_id: int
    delegate_id: int
    module: str | None
    starts_at: datetime
    ends_at: datetime


def load_delegations(session: Session, now: datetime | None = None) -> list[DelegationRow]:
    """Delegations not yet over (runtime loader: cached per process until one changes)."""
    rows = session.execute(select(Delegation.user_id, Delegation.delegate_id, Delegation.module,
                                  Delegation.starts_at, Delegation.ends_at)
                           .where(Delegation.cancelled.is_(False), Delegation.ends_at > (now or utcnow())))
    return [DelegationRow(*row) for row in rows]


def delegators_in(rows: Iterable[DelegationRow], delegate_id: int, now: datetime,
                  module: str | None = None) -> dict[int, set[str | None]]:
    """Among delegation ``rows``, whose approvals ``delegate_id`` may sign at ``now``:
    user id -> modules (None: all)."""
    found: dict[int, set[str | None]] = {}
    for row in rows:
        if row.delegate_id == delegate_id and row.starts_at <= now < row.ends_at and \
                (module is None or row.module in (None, module)):
            found.setdefault(row.user_id, set()).add(row.module)
    return found


def delegation_clause(delegators: Mapping[int, set[str | None]]):
    """Tasks someone may decide for others: their delegators' tasks, per module."""
    clauses = []
    for user_id, modules in delegators.items():
        if None in modules:
            clauses.append(ApprovalTask.assignee_id == user_id)
        else:
            clauses.append(and_(ApprovalTask.assignee_id == user_id, ApprovalTask.module.in_(sorted(modules))))
    return clauses


class Delegates:
    """The delegations of one unit of work: given (the runtime's cached snapshot) or read on first use."""

    def __init__(self, session: Session, rows: list[DelegationRow] | None, clock: Callable[[], datetime]):
        self.session, self.given, self.clock = session, rows, clock

    def rows(self) -> list[DelegationRow]:
        return self.given if self.given is not None else load_delegations(self.session, self.clock())

    def delegators(self, delegate_id: int, module: str | None = None) -> dict[int, set[str | None]]:
        """Whose approvals ``delegate_id`` may sign now: user id -> modules (None: all)."""
        return delegators_in(self.rows(), delegate_id, self.clock(), module)

    def delegates_of(self, user_ids: list[int], module: str) -> list[int]:
        """Who signs now for any of ``user_ids`` in ``module`` (they are told of the tasks, too)."""
        now, wanted = self.clock(), set(user_ids)
        return sorted({row.delegate_id for row in self.rows() if row.user_id in wanted
                       and row.module in (None, module) and row.starts_at <= now < row.ends_at})
