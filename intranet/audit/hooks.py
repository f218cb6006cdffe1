from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, Permission, hookimpl
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission("core.audit.view", _l("Read the audit log"), default_roles=("sysadmin",))]


@hookimpl
def intranet_menu_items(user):
    if user.can("core.audit.view"):
        return [MenuItem(_l("Audit log"), "audit.entries", icon="list", order=20, section="admin")]
    return []
