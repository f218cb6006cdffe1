"""The role/permission matrix as stored data."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Model, utcnow
from ..i18n import lazy_gettext as _l


class RolePermission(Model):
    """A cell of the role/permission matrix that is ticked."""

    __tablename__ = "core_role_permission"
    __label__ = _l("Permission of a role")
    __runtime_cached__ = True

    role_key: Mapped[str] = mapped_column(ForeignKey("core_role.key", ondelete="CASCADE"), primary_key=True)
    permission: Mapped[str] = mapped_column(String(80), primary_key=True)


class KnownPermission(Model):
    """Permission keys already seen, so default grants are applied only once."""

    __tablename__ = "core_known_permission"
    __audit__ = False

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
