"""Permissions: keys declared by modules, granted to roles, checked per user."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import N_, Invalid
from ..org.models import Role, User, UserRole
from ..plugins import Permission
from .models import KnownPermission, RolePermission

#: Whoever holds it can give every other permission back, so someone active always must.
MANAGE_ROLES = "core.roles.manage"


@dataclass(frozen=True)
class RoleSpec:
    """A role a module needs (``intranet_roles``): its key ``<module>_<name>`` and its English
    name, marked with ``N_`` and translated when shown, like the built-in roles'."""

    key: str
    name: str


#: The core roles of the handbooks (PROCESSES.md), in display order, with
#: their English names (translated when shown).
BUILTIN_ROLES: tuple[tuple[str, str], ...] = (
    ("employee", N_("Employee")),
    ("dept_head", N_("Department head")),
    ("hr_specialist", N_("HR specialist")),
    ("hr_manager", N_("HR manager")),
    ("accountant", N_("Accountant")),
    ("chief_accountant", N_("Chief accountant")),
    ("finance_manager", N_("Finance manager")),
    ("vp", N_("Vice president in charge")),
    ("general_manager", N_("General manager")),
    ("ceo", N_("CEO")),
    ("legal", N_("Legal")),
    ("warehouse_keeper", N_("Warehouse keeper")),
    ("purchaser", N_("Purchaser")),
    ("sales", N_("Sales specialist")),
    ("sales_assistant", N_("Sales assistant")),
    ("archivist", N_("Archivist")),
    ("it_admin", N_("IT administrator")),
    ("sysadmin", N_("System administrator")),
)


def load_grants(session: Session) -> Mapping[str, frozenset[str]]:
    """Runtime loader: role key -> permission keys granted."""
    grants: dict[str, set[str]] = {}
    for role_key, permission in session.execute(select(RolePermission.role_key, RolePermission.permission)):
        grants.setdefault(role_key, set()).add(permission)
    return {role: frozenset(perms) for role, perms in grants.items()}


def permissions_for(role_keys: Iterable[str], grants: Mapping[str, frozenset[str]]) -> frozenset[str]:
    result: set[str] = set()
    for key in role_keys:
        result |= grants.get(key, frozenset())
    return frozenset(result)


def attach(user, role_keys: Iterable[str], grants: Mapping[str, frozenset[str]]):
    """Give a loaded user the permission keys of their roles."""
    user.permissions = permissions_for(role_keys, grants)
    return user


def sync_permissions(session: Session, declared: Iterable[Permission], existing_roles: set[str]) -> list[str]:
    """Grant newly seen permissions to their default roles; return the new keys."""
    known = set(session.scalars(select(KnownPermission.key)))
    new = [p for p in declared if p.key not in known]
    for permission in new:
        session.add(KnownPermission(key=permission.key))
        for role in permission.default_roles:
            if role in existing_roles:
                session.add(RolePermission(role_key=role, permission=permission.key))
    return [p.key for p in new]


def holders(session: Session, permission: str, *, department_id: int | None = None, org=None) -> list[int]:
    """Active people who hold ``permission`` through their roles, optionally only those in
    department ``department_id`` or below it (``org``: the org chart). Sorted by id."""
    query = (select(User.id).join(UserRole, UserRole.user_id == User.id)
             .join(RolePermission, RolePermission.role_key == UserRole.role_key)
             .where(RolePermission.permission == permission, User.active).distinct().order_by(User.id))
    if department_id is not None:
        query = query.where(User.department_id.in_(sorted(org.subtree(department_id))))
    return list(session.scalars(query))


NOBODY_MANAGES_ROLES = N_("Nobody active would be left to manage roles and permissions. Keep that permission "
                          "ticked for a role that an active user holds.")


def someone_manages_roles(session: Session) -> bool:
    """Whether an active user holds :data:`MANAGE_ROLES`, counting the session's pending changes.

    Whoever changes roles, grants or who is active checks this before committing and
    rolls back when it is false: nobody could give any permission back then.
    """
    return session.scalar(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .join(RolePermission, RolePermission.role_key == UserRole.role_key)
        .where(RolePermission.permission == MANAGE_ROLES, User.active.is_(True)).limit(1)) is not None


def save_matrix(session: Session, wanted: Iterable[tuple[str, str]], role_keys: Iterable[str],
                permission_keys: Iterable[str]) -> int:
    """Make the ticked cells of the role/permission matrix exactly ``wanted`` (unknown roles
    and permissions ignored); return how many cells changed.

    Raises Invalid when no active user would be left holding :data:`MANAGE_ROLES`;
    the caller then rolls back, and nothing is written.
    """
    roles, permissions = set(role_keys), set(permission_keys)
    wanted = {(role, permission) for role, permission in wanted if role in roles and permission in permissions}
    current = {(row.role_key, row.permission): row for row in session.scalars(select(RolePermission))}
    for cell in current.keys() - wanted:
        session.delete(current[cell])
    added = wanted - current.keys()
    session.add_all(RolePermission(role_key=role, permission=permission) for role, permission in sorted(added))
    if not someone_manages_roles(session):
        raise Invalid(NOBODY_MANAGES_ROLES, field="grant")
    return len(current.keys() - wanted) + len(added)


def restore_default_grants(session: Session, declared: Iterable[Permission]) -> list[tuple[str, str]]:
    """Give every role the permissions declared for it by default (``Permission.default_roles``)
    that it lacks; return the (role, permission) cells added. Grants beyond the defaults stay,
    so running it again adds nothing."""
    roles = set(session.scalars(select(Role.key)))
    current = {(row.role_key, row.permission)
               for row in session.execute(select(RolePermission.role_key, RolePermission.permission))}
    missing = sorted({(role, permission.key) for permission in declared for role in permission.default_roles
                      if role in roles} - current)
    session.add_all(RolePermission(role_key=role, permission=key) for role, key in missing)
    return missing


def active_holders(session: Session, permission: str) -> list[User]:
    """Active users whose roles grant ``permission``, by name."""
    return list(session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .join(RolePermission, RolePermission.role_key == UserRole.role_key)
        .where(RolePermission.permission == permission, User.active.is_(True)).distinct().order_by(User.name)))
