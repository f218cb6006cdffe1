"""Sign-in, roles and permissions."""
from .permissions import BUILTIN_ROLES, Permission, RoleSpec, holders, role_label
from .scope import can_see, visible_clause

__all__ = ["BUILTIN_ROLES", "Permission", "RoleSpec", "can_see", "holders", "role_label", "visible_clause"]
