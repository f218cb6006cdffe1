"""Settings: every number of the handbooks is a setting with a default.

Modules declare :class:`Setting` objects through ``intranet_settings``;
administrators override values on the settings page; code reads them through
:class:`Settings`, which the request context and the reminder job provide.
"""
from .models import SettingValue
from .registry import MAX_ROWS, Column, Setting, Settings, SettingError, load_overrides

__all__ = ["Column", "MAX_ROWS", "Setting", "Settings", "SettingError", "SettingValue", "load_overrides"]
