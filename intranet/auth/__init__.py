"""Sign-in, roles and permissions."""
from .permissions import BUILTIN_ROLES, Permission, role_label
from .scope import can_see, visible_clause

__all__ = ["BUILTIN_ROLES", "Permission", "can_see", "role_label", "visible_clause"]
