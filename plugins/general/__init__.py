"""通用审批 General requests: anything no other module covers, approved by the
department head and, from a set amount on, the vice president in charge."""
from __future__ import annotations

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import url_of

from . import demo
from .documents import GENERAL_REQUEST, VIEW_ALL
from .models import GeneralRequest
from .settings import SETTINGS
from .views import REQUESTS, bp, my_requests


@hookimpl
def intranet_module():
    return ModuleInfo(key="general", title=_l("General requests"), version="1.1", icon="file",
                      description=_l("Free-form requests for anything no other module covers"))


@hookimpl
def intranet_models():
    return [GeneralRequest]


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission(VIEW_ALL, _l("See every general request"), default_roles=("sysadmin", "general_manager", "ceo"))]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_document_types():
    return [GENERAL_REQUEST]


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("General requests"), "general.requests", icon="file", order=20)]


@hookimpl
def intranet_dashboard_widgets(user):
    return [Widget("general.mine", _l("My general requests"), "general/_widget.html",
                   lambda: my_requests(user), order=20)]


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{d.display_number} {d.title}", url=url_of(GENERAL_REQUEST, d),
                         kind=_l("General requests"), snippet=d.category) for d in REQUESTS.find(query, user, limit)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)
