from ..i18n import lazy_gettext as _l
from ..plugins import hookimpl
from ..settings import Setting
from .permissions import Permission
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission("core.roles.manage", _l("Manage roles and the permission matrix"), default_roles=("sysadmin",)),
        Permission("core.users.reset_password", _l("Reset users' passwords"),
                   default_roles=("sysadmin", "it_admin")),
    ]


@hookimpl
def intranet_settings():
    return [
        Setting("core.password_min_length", 8, _l("Shortest password"), type="int", minimum=6, maximum=64),
        Setting("core.login_max_failures", 5, _l("Failed sign-ins before the account is locked"),
                type="int", minimum=1, maximum=50),
        Setting("core.login_lockout_minutes", 15, _l("Minutes an account stays locked"),
                type="int", minimum=1, maximum=24 * 60),
        Setting("core.remember_days", 14, _l("Days “Keep me signed in” lasts"), type="int", minimum=1,
                maximum=365),
    ]
