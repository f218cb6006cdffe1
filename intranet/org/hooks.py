from flask import url_for
from sqlalchemy import or_, select

from ..db import contains, db
from ..i18n import lazy_gettext as _l
from ..plugins import MenuItem, Permission, SearchResult, hookimpl
from .models import User
from .views import bp


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission("core.org.manage", _l("Manage departments, positions and users (incl. CSV import)"),
                   default_roles=("sysadmin", "hr_manager")),
    ]


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("People"), "org.directory", icon="users", order=80)]
    if user.can("core.org.manage"):
        items.append(MenuItem(_l("Users"), "org.users", icon="user-cog", order=10, section="admin"))
        items.append(MenuItem(_l("Departments"), "org.departments", icon="sitemap", order=11, section="admin"))
        items.append(MenuItem(_l("Positions"), "org.positions", icon="briefcase", order=12, section="admin"))
    return items


@hookimpl
def intranet_search(query, user, limit):
    people = db.session.execute(select(User.id, User.name, User.employee_no, User.email).where(User.active, or_(
        contains(User.name, query), contains(User.employee_no, query), contains(User.email, query)))
        .order_by(User.employee_no).limit(limit))
    return [SearchResult(title=f"{p.name} ({p.employee_no})", url=url_for("org.person", user_id=p.id),
                         kind=_l("People"), snippet=p.email or "") for p in people]
