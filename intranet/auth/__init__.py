"""Sign-in, roles and permissions."""
from ..org.models import role_label
from ..plugins import Permission
from .permissions import BUILTIN_ROLES, RoleSpec, holders
from .scope import can_see, visible_clause

__all__ = ["BUILTIN_ROLES", "Permission", "RoleSpec", "can_see", "holders", "role_label", "visible_clause"]
