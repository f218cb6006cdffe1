from ..i18n import lazy_gettext as _l
from ..plugins import BADGE_LIMIT, MenuItem, hookimpl


@hookimpl
def intranet_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def intranet_menu_items(user):
    from ..db import db
    from .services import unread_count

    return [MenuItem(_l("Notifications"), "notify.notifications", icon="bell", order=1, section="top",
                     badge=unread_count(db.session, user.id, BADGE_LIMIT))]
