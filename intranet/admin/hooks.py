from ..auth.permissions import Permission
from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, hookimpl
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission("core.modules.manage", _l("Switch modules on and off"), default_roles=("it_admin", "sysadmin")),
        Permission("core.settings.manage", _l("Change settings"), default_roles=("sysadmin",)),
        Permission("core.calendar.manage", _l("Edit the work calendar"), default_roles=("sysadmin", "hr_manager")),
    ]


@hookimpl
def intranet_menu_items(user):
    entries = (
        ("core.modules.manage", _l("Modules"), "admin.modules", "grid", 1),
        ("core.settings.manage", _l("Settings"), "admin.settings_page", "sliders", 2),
        ("core.roles.manage", _l("Roles & permissions"), "admin.roles", "shield", 3),
        ("core.calendar.manage", _l("Work calendar"), "admin.work_calendar", "calendar", 4),
    )
    return [MenuItem(label, endpoint, icon=icon, order=order, section="admin")
            for permission, label, endpoint, icon, order in entries if user.can(permission)]
