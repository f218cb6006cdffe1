"""Administration: the module switchboard, settings, roles and the work calendar."""
from .models import ModuleState

__all__ = ["ModuleState"]
