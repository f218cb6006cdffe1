"""Organisation: departments 部门, positions 岗位 and users 员工."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Model, utcnow
from ..i18n import gettext
from ..i18n import lazy_gettext as _l


class Department(Model):
    """A department 部门 in the tree, with its head 部门主管 and vice president in charge 分管副总."""

    __tablename__ = "core_department"
    __label__ = _l("Department")
    __runtime_cached__ = True  # the org chart is cached per process

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), index=True)
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_user.id", use_alter=True, ondelete="SET NULL"), index=True)
    vp_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_user.id", use_alter=True, ondelete="SET NULL"), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped["Department | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Department"]] = relationship(back_populates="parent", order_by="Department.sort_order")
    head: Mapped["User | None"] = relationship(foreign_keys=[head_id], post_update=True)
    vp: Mapped["User | None"] = relationship(foreign_keys=[vp_id], post_update=True)

    def __str__(self) -> str:
        return self.name


class Position(Model):
    """A position 岗位; fixed posts 固定岗位 are staffed permanently."""

    __tablename__ = "core_position"
    __label__ = _l("Position")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), index=True)
    is_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text, default="")

    department: Mapped[Department | None] = relationship()

    def __str__(self) -> str:
        return self.name


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(Model):
    """An employee 员工 who can sign in.

    ``session_token`` is part of the Flask-Login id, kept in the session and remember
    cookies: signing out or changing the password rotates it, which ends the user's
    other sessions and makes a replayed cookie worthless.
    """

    __tablename__ = "core_user"
    __label__ = _l("User")
    __audit_redact__ = ("password_hash",)
    # The session token turns at every sign-out and password change, each audited as such.
    __audit_skip__ = ("failed_logins", "last_login_at", "session_token")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("core_position.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True)
    language: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_login_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: an uploaded image of the handwritten signature, printed in approval trails
    signature_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_file.id", ondelete="SET NULL", use_alter=True))

    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    position: Mapped[Position | None] = relationship()
    manager: Mapped["User | None"] = relationship(remote_side=[id])
    roles: Mapped[list["Role"]] = relationship(secondary="core_user_role", order_by="Role.key")

    #: Permission keys granted through the user's roles; attached when the user
    #: is loaded for a request (see intranet.auth.permissions.attach).
    permissions: frozenset[str] = frozenset()

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def role_keys(self) -> frozenset[str]:
        return frozenset(role.key for role in self.roles)

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def __str__(self) -> str:
        return self.name


class Role(Model):
    """A role 角色. Built-in roles come from the handbooks; administrators may add more."""

    __tablename__ = "core_role"
    __label__ = _l("Role")
    __runtime_cached__ = True

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=100)


class UserRole(Model):
    __tablename__ = "core_user_role"
    __label__ = _l("Role of a user")

    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True)
    role_key: Mapped[str] = mapped_column(ForeignKey("core_role.key", ondelete="CASCADE"),
                                          primary_key=True, index=True)


def role_label(role: Role) -> str:
    """The translated name of a built-in role, or the name an admin gave."""
    return gettext(role.name) if role.builtin else role.name
