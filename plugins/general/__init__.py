"""通用审批 General requests: anything no other module covers, approved by the
department head and, from a set amount on, the vice president in charge."""
from __future__ import annotations


from intranet import MenuItem, ModuleInfo, SearchResult, Widget, hookimpl
from intranet.auth import Permission
from intranet.i18n import lazy_gettext as _l


@hookimpl
def intranet_module():
    return ModuleInfo(key="general", title=_l("General requests"), version="1.0", icon="file",
                      description=_l("Free-form requests for anything no other module covers"))


@hookimpl
def intranet_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission("general.view_all", _l("See every general request"),
                       default_roles=("sysadmin", "general_manager", "ceo"))]


@hookimpl
def intranet_settings():
    from .settings import SETTINGS

    return SETTINGS


@hookimpl
def intranet_approval_types():
    from .policies import approval_type

    return [approval_type()]


@hookimpl
def intranet_pdf_templates():
    from .pdf import pdf_template

    return [pdf_template()]


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("General requests"), "general.requests", icon="file", order=20)]


@hookimpl
def intranet_dashboard_widgets(user):
    from .widgets import my_requests

    return [Widget("general.mine", _l("My general requests"), "general/_widget.html", lambda: my_requests(user),
                   order=20)]


@hookimpl
def intranet_search(query, user, limit):
    from .widgets import search

    return [SearchResult(title=f"{d.display_number} {d.title}", url=url, kind=_l("General requests"),
                         snippet=d.category) for d, url in search(user, query, limit)]


@hookimpl
def intranet_demo_data(session, company):
    from .demo import create

    create(session, company)
