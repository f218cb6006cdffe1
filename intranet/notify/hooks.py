from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, hookimpl
from .services import UNREAD
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("Notifications"), "notify.notifications", icon="bell", order=1, section="top", badge=UNREAD)]
