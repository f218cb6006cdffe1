"""Object-level access: a user sees their own records, a head (or the vice
president in charge) their departments', and a widening permission everything.

Lists filter with :func:`visible_clause`; detail pages check with
:func:`can_see`. Both take the same arguments so the two never disagree.
"""
from __future__ import annotations

from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from ..org.chart import OrgChart


def scope_departments(user, org: OrgChart) -> set[int]:
    """Departments whose records the user sees as their head or vice president in charge."""
    return org.in_charge_of(user.id)


def visible_clause(user, org: OrgChart, *, owner_column, department_column=None,
                   widen: str | None = None) -> ColumnElement[bool]:
    """A WHERE clause for the rows of a list that ``user`` may see."""
    if user is None:
        return false()
    if widen and user.can(widen):
        return true()
    clauses = [owner_column == user.id]
    departments = scope_departments(user, org) if department_column is not None else set()
    if departments:
        clauses.append(department_column.in_(sorted(departments)))
    return or_(*clauses)


def can_see(user, org: OrgChart, *, owner_id, department_id=None, widen: str | None = None) -> bool:
    """Whether ``user`` may open one record (same rule as :func:`visible_clause`)."""
    if user is None:
        return False
    if widen and user.can(widen):
        return True
    if owner_id == user.id:
        return True
    return department_id is not None and department_id in scope_departments(user, org)
