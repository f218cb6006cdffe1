"""People and roles as routing needs them (the policy's ``Directory``), read from the database."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..org.models import Role, User, UserRole


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    active: bool
    manager_id: int | None
    department_id: int | None


class DatabaseDirectory:
    """People and roles as routing needs them, cached for one unit of work."""

    def __init__(self, session: Session):
        self.session = session
        self._people: dict[int, Person | None] = {}
        self._roles: dict[str, list[int]] = {}

    def person(self, user_id: int | None) -> Person | None:
        if user_id is None:
            return None
        if user_id not in self._people:
            row = self.session.execute(select(User.id, User.name, User.active, User.manager_id, User.department_id)
                                       .where(User.id == user_id)).first()
            self._people[user_id] = Person(*row) if row else None
        return self._people[user_id]

    def role_members(self, role: str) -> list[int]:
        if role not in self._roles:
            self._roles[role] = list(self.session.scalars(
                select(UserRole.user_id).join(User, User.id == UserRole.user_id)
                .where(UserRole.role_key == role, User.active).order_by(UserRole.user_id)))
        return self._roles[role]

    def role_exists(self, role: str) -> bool:
        return bool(role) and self.session.get(Role, role) is not None

    def by_number(self, employee_no: str) -> int | None:
        return self.session.scalar(select(User.id).where(User.employee_no == employee_no)) if employee_no else None
