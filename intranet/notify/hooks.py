from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, hookimpl


@hookimpl
def intranet_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def intranet_menu_items(user):
    from .services import UNREAD

    return [MenuItem(_l("Notifications"), "notify.notifications", icon="bell", order=1, section="top", badge=UNREAD)]
