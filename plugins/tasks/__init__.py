"""任务跟踪 Tasks: one owner per task, a goal and an acceptance standard, progress, delays
that need a reason and a new plan, and acceptance by the person who assigned it. Other
modules (meetings) create tasks through the declared hook ``tasks_create``."""
from __future__ import annotations

from flask import has_request_context

from intranet import MenuItem, ModuleInfo, SearchResult, Widget, db, hookimpl
from intranet import lazy_gettext as _l
from intranet.auth import Permission
from intranet.documents import current_documents, url_of
from intranet.org import User

from . import demo, hookspecs, reminders, services
from .documents import TASK, VIEW_ALL
from .models import Milestone, Task, TaskDelay, TaskDependency, TaskHelper
from .settings import SETTINGS
from .views import TASKS, WAITING_FOR_ME, bp, link, my_work


@hookimpl
def intranet_module():
    return ModuleInfo(key="tasks", title=_l("Tasks"), version="1.0", icon="check",
                      description=_l("Tasks with one owner, milestones, delays and acceptance"))


@hookimpl
def intranet_models():
    return [Task, TaskHelper, Milestone, TaskDependency, TaskDelay]


@hookimpl
def intranet_document_types():
    return [TASK]


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [Permission(VIEW_ALL, _l("See every task"), default_roles=("sysadmin", "general_manager", "ceo"))]


@hookimpl
def intranet_settings():
    return SETTINGS


@hookimpl
def intranet_menu_items(user):
    return [MenuItem(_l("Tasks"), "tasks.tasks", icon="check", order=25, badge=WAITING_FOR_ME)]


@hookimpl
def intranet_dashboard_widgets(user):
    return [Widget("tasks.mine", _l("My tasks"), "tasks/_widget.html", lambda: my_work(user), order=15)]


@hookimpl
def intranet_reminder_scanners():
    return reminders.scanners()


@hookimpl
def intranet_search(query, user, limit):
    return [SearchResult(title=f"{t.number} {t.title}", url=url_of(TASK, t), kind=_l("Tasks"), snippet=t.stage)
            for t in TASKS.find(query, user, limit)]


@hookimpl
def intranet_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def tasks_create(source, title, owner_id, due, requester_id, goal="", acceptance=""):
    documents = current_documents()
    requester = db.session.get(User, requester_id)
    data = services.TaskData(title=title, owner_id=owner_id, due_on=due, goal=goal or "", acceptance=acceptance or "")
    # Outside a request (demo data, a command) there is no address to put in the notification.
    return services.create(documents, data, requester, documents.settings, source=source,
                           link=link if has_request_context() else None).id


@hookimpl
def tasks_of_source(prefix):
    return [{"id": t.id, "number": t.number, "title": t.title, "owner_id": t.owner_id, "due": t.due_on,
             "status": t.status, "progress": t.progress, "url": link(t) if has_request_context() else ""}
            for t in services.of_source(db.session, prefix)]


@hookimpl
def intranet_demo_data(session, company):
    demo.create(session, company)
