"""Who sees which documents: one declaration gives the list filter and the detail check.

The core rule (intranet.auth.scope): one's own records, one's departments' as their
head or vice president in charge, everything with a widening permission. A module's
:class:`Scope` adds the people asked to approve a document, further ways in (a
warehouse keeper sees every receipt) and restrictions (secret files).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Integer, and_, cast, false, or_, select, true, union
from sqlalchemy.sql.elements import ColumnElement

from ..approvals.models import ApprovalCopy, ApprovalRequest, ApprovalTask
from ..auth.scope import scope_departments


@dataclass(frozen=True)
class ScopeRule:
    """A further rule of a scope: the list's WHERE clause and the same rule for one record.

    ``clause(user, model) -> SQL condition``; ``allows(user, record) -> bool``.
    """

    clause: Callable[[Any, Any], ColumnElement[bool] | None]  # None: no way in (or no restriction) for this user
    allows: Callable[[Any, Any], bool]

    @classmethod
    def holding(cls, permission: str) -> "ScopeRule":
        """A way in for everyone who holds ``permission`` through a role (warehouse keepers see
        every receipt): unlike ``widen``, they still obey the scope's restrictions (``only``)."""
        return cls(clause=lambda user, model: true() if user.can(permission) else None,
                   allows=lambda user, record: user.can(permission))


@dataclass(frozen=True)
class Scope:
    """Which records of a model a person sees.

    :param owner: the column of the record's owner (the requester), or None.
    :param department: the column of its department; heads and vice presidents in charge
        see their departments' records.
    :param widen: a permission whose holders see every record.
    :param approvers: the approval type whose participants (asked, decided, copied) see the
        record, or None.
    :param also: further ways in (:class:`ScopeRule`), e.g. a role that sees everything of a kind.
    :param only: restrictions that everyone without ``widen`` obeys, e.g. secrecy levels.
    """

    owner: str | None = "requester_id"
    department: str | None = "department_id"
    widen: str | None = None
    approvers: str | None = None
    also: tuple[ScopeRule, ...] = ()
    only: tuple[ScopeRule, ...] = ()

    def branches(self, user, org, model, *, split: bool = False) -> list[ColumnElement[bool]]:
        """The ways a row can be visible. With ``split``, one condition per department, so
        that each reads in the order of an index of its own (see intranet.web.lists)."""
        found = []
        if self.owner:
            found.append(getattr(model, self.owner) == user.id)
        if self.department:
            departments = sorted(scope_departments(user, org))
            column = getattr(model, self.department)
            if split:
                found += [column == department for department in departments]
            elif departments:
                found.append(column.in_(departments))
        if self.approvers:
            found.append(model.id.in_(_approved_by(user.id, self.approvers)))
        found += [c for c in (rule.clause(user, model) for rule in self.also) if c is not None]
        return found

    def restrictions(self, user, model) -> list[ColumnElement[bool]]:
        return [c for c in (rule.clause(user, model) for rule in self.only) if c is not None]

    def clause(self, user, org, model) -> ColumnElement[bool]:
        """A WHERE clause for the rows ``user`` may see."""
        if user is None:
            return false()
        if self.widen and user.can(self.widen):
            return true()
        branches = self.branches(user, org, model)
        return and_(or_(*branches) if branches else false(), *self.restrictions(user, model))

    def allows(self, user, org, record, *, approval_viewer: Callable[[Any, Any], bool] | None = None) -> bool:
        """Whether ``user`` may open ``record``: the same rule as :meth:`clause`.

        ``approval_viewer(user, record)`` answers for the approvers branch (the engine knows).
        """
        if user is None:
            return False
        if self.widen and user.can(self.widen):
            return True
        if not all(rule.allows(user, record) for rule in self.only):
            return False
        if self.owner and getattr(record, self.owner) == user.id:
            return True
        if self.department and getattr(record, self.department) in scope_departments(user, org):
            return True
        if any(rule.allows(user, record) for rule in self.also):
            return True
        return bool(self.approvers and approval_viewer is not None and approval_viewer(user, record))


def _approved_by(user_id: int, type_key: str):
    """Ids of the documents of a type whose approval the user was asked, decided or copied on."""
    asked = (select(ApprovalTask.request_id).where(ApprovalTask.type_key == type_key,
                                                   or_(ApprovalTask.assignee_id == user_id,
                                                       ApprovalTask.acted_by_id == user_id)))
    copied = select(ApprovalCopy.request_id).where(ApprovalCopy.user_id == user_id)
    requests = union(asked, copied).subquery()
    return (select(cast(ApprovalRequest.document_id, Integer))
            .where(ApprovalRequest.type_key == type_key, ApprovalRequest.id.in_(select(requests.c[0]))))
