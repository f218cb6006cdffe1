"""Rules for departments and users, shared by the admin forms and CSV import."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..auth.permissions import someone_manages_roles
from ..errors import N_, Invalid
from .models import Department, Position, Role, User

USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
CODE = re.compile(r"^[A-Za-z0-9_\-]{1,30}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^[0-9+\-() ]{0,32}$")
LANGUAGES = ("", "zh_CN", "en")


@dataclass
class DepartmentData:
    name: str
    code: str
    parent_id: int | None = None
    head_id: int | None = None
    vp_id: int | None = None
    sort_order: int = 0
    active: bool = True


@dataclass
class UserData:
    username: str
    employee_no: str
    name: str
    email: str = ""
    phone: str = ""
    department_id: int | None = None
    position_id: int | None = None
    manager_id: int | None = None
    language: str = ""
    active: bool = True
    left_on: date | None = None
    role_keys: list[str] = field(default_factory=list)


def _text(value: str | None) -> str:
    return (value or "").strip()


def _unique(session: Session, column, value, exclude_id, id_column) -> bool:
    query = select(func.count()).where(column == value)
    if exclude_id is not None:
        query = query.where(id_column != exclude_id)
    return not session.scalar(query)


def check_department(session: Session, data: DepartmentData, department: Department | None,
                     parents: dict[int, int | None] | None = None) -> list[Invalid]:
    """Every problem with ``data``; ``parents`` (id -> parent id) checks for cycles."""
    problems = []
    own_id = department.id if department else None
    name, code = _text(data.name), _text(data.code)
    if not name:
        problems.append(Invalid(N_("Enter a name."), field="name"))
    elif len(name) > 100:
        problems.append(Invalid(N_("At most %(count)s characters."), field="name", count=100))
    elif not _unique(session, Department.name, name, own_id, Department.id):
        problems.append(Invalid(N_("Another department already has this name."), field="name"))
    if not CODE.match(code):
        problems.append(Invalid(N_("Use 1-30 letters, digits, - or _."), field="code"))
    elif not _unique(session, Department.code, code, own_id, Department.id):
        problems.append(Invalid(N_("Another department already has this code."), field="code"))
    if data.parent_id is not None:
        if session.get(Department, data.parent_id) is None:
            problems.append(Invalid(N_("Choose an existing department."), field="parent_id"))
        elif own_id is not None and creates_cycle(own_id, data.parent_id, parents or _parents(session)):
            problems.append(Invalid(N_("A department cannot sit below itself."), field="parent_id"))
    for attr in ("head_id", "vp_id"):
        user_id = getattr(data, attr)
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None or not user.active:
                problems.append(Invalid(N_("Choose an active employee."), field=attr))
    return problems


def _parents(session: Session) -> dict[int, int | None]:
    return dict(session.execute(select(Department.id, Department.parent_id)).all())


def creates_cycle(own_id: int, parent_id: int, parents: dict[int, int | None]) -> bool:
    seen = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == own_id:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def save_department(session: Session, data: DepartmentData, department: Department | None = None) -> Department:
    problems = check_department(session, data, department)
    if problems:
        raise problems[0]
    department = department or Department()
    department.name, department.code = _text(data.name), _text(data.code)
    department.parent_id, department.head_id, department.vp_id = data.parent_id, data.head_id, data.vp_id
    department.sort_order, department.active = data.sort_order, data.active
    session.add(department)
    session.flush()
    return department


def check_user(session: Session, data: UserData, user: User | None,
               managers: dict[int, int | None] | None = None) -> list[Invalid]:
    """Every problem with ``data``; the admin form and the CSV import both use this."""
    problems = []
    own_id = user.id if user else None
    username, number, name = _text(data.username), _text(data.employee_no), _text(data.name)
    email, phone = _text(data.email).lower(), _text(data.phone)
    if not USERNAME.match(username):
        problems.append(Invalid(N_("Use 2-64 letters, digits, '.', '-' or '_'."), field="username"))
    elif not _unique(session, User.username, username, own_id, User.id):
        problems.append(Invalid(N_("This user name is taken."), field="username"))
    if not CODE.match(number):
        problems.append(Invalid(N_("Use 1-30 letters, digits, - or _."), field="employee_no"))
    elif not _unique(session, User.employee_no, number, own_id, User.id):
        problems.append(Invalid(N_("Another employee has this number."), field="employee_no"))
    if not name:
        problems.append(Invalid(N_("Enter a name."), field="name"))
    elif len(name) > 100:
        problems.append(Invalid(N_("At most %(count)s characters."), field="name", count=100))
    if email:
        if len(email) > 254 or not EMAIL.match(email):
            problems.append(Invalid(N_("Enter an e-mail address."), field="email"))
        elif not _unique(session, func.lower(User.email), email, own_id, User.id):
            problems.append(Invalid(N_("Another employee has this e-mail address."), field="email"))
    if not PHONE.match(phone):
        problems.append(Invalid(N_("Use digits, spaces and + - ( ) only."), field="phone"))
    if data.language not in LANGUAGES:
        problems.append(Invalid(N_("Choose a language."), field="language"))
    if data.department_id is not None and session.get(Department, data.department_id) is None:
        problems.append(Invalid(N_("Choose an existing department."), field="department_id"))
    if data.position_id is not None and session.get(Position, data.position_id) is None:
        problems.append(Invalid(N_("Choose an existing position."), field="position_id"))
    if data.manager_id is not None:
        if data.manager_id == own_id:
            problems.append(Invalid(N_("Nobody is their own manager."), field="manager_id"))
        elif session.get(User, data.manager_id) is None:
            problems.append(Invalid(N_("Choose an existing employee."), field="manager_id"))
        elif own_id is not None and creates_cycle(own_id, data.manager_id, managers or _managers(session)):
            problems.append(Invalid(N_("This would make the employee their own manager's manager."),
                                    field="manager_id"))
    known_roles = set(session.scalars(select(Role.key)))
    unknown = [key for key in data.role_keys if key not in known_roles]
    if unknown:
        problems.append(Invalid(N_("Unknown role: %(roles)s."), field="role_keys", roles=", ".join(unknown)))
    return problems


def _managers(session: Session) -> dict[int, int | None]:
    return dict(session.execute(select(User.id, User.manager_id)).all())


def apply_user(session: Session, user: User, data: UserData) -> User:
    """Copy checked data onto a user (no checks; call check_user first)."""
    user.username, user.employee_no, user.name = _text(data.username), _text(data.employee_no), _text(data.name)
    user.email = _text(data.email).lower() or None
    user.phone = _text(data.phone)
    user.department_id, user.position_id, user.manager_id = data.department_id, data.position_id, data.manager_id
    user.language = data.language or None
    user.active = data.active
    user.left_on = data.left_on if not data.active else None
    wanted = set(data.role_keys)
    if {role.key for role in user.roles} != wanted:
        user.roles = list(session.scalars(select(Role).where(Role.key.in_(wanted)))) if wanted else []
    session.add(user)
    return user


LAST_ROLE_MANAGER = N_("%(name)s is the last active person who may manage roles and permissions; give that "
                       "to someone else first.")


def save_user(session: Session, user: User, data: UserData) -> User:
    """:func:`apply_user`, refused when it would leave no active user who may manage roles
    and permissions (their last holder losing the role, or leaving); the caller rolls back."""
    managed = someone_manages_roles(session)
    user = apply_user(session, user, data)
    if managed and not someone_manages_roles(session):
        raise Invalid(LAST_ROLE_MANAGER, field="role_keys", name=user.name)
    return user
