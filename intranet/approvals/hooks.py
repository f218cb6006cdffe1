"""The approval engine's contributions: inbox menu, widget, settings, deadlines."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from ..auth.permissions import Permission
from ..db import db, utcnow
from ..errors import N_
from ..i18n import lazy_gettext as _l
from ..notify import Reminder, ReminderScanner
from ..org.models import User
from ..pagination import paginate
from ..plugins import BADGE_LIMIT, MenuItem, Widget, hookimpl
from ..settings import Setting
from ..web import enabled_modules
from ..web.context import snapshot, state
from . import inbox
from .delegation import delegators_in
from .inbox import modules_to_show, waiting_tasks
from .models import ApprovalAction, ApprovalRequest, ApprovalTask, TaskStatus
from .views import bp
from .widgets import requests_by_month


@hookimpl
def intranet_blueprints():
    return [bp]


@hookimpl
def intranet_permissions():
    return [
        Permission("core.approvals.policies", _l("Edit approval policies and use the simulator"),
                   default_roles=("sysadmin",)),
        Permission("core.approvals.view_all", _l("See every approval request"),
                   default_roles=("sysadmin", "general_manager", "ceo")),
    ]


@hookimpl
def intranet_settings():
    return [
        Setting("core.approval_fallback_role", "sysadmin", _l("Role that decides when a policy finds nobody"),
                type="role"),
        Setting("core.approval_escalate_after_hours", 8,
                _l("Working hours after the due time before the approver's manager is told"),
                type="int", minimum=1, maximum=400),
    ]


@hookimpl
def intranet_settings_changed(session, settings, changed, actor_id):
    """Policies that follow a changed setting get a new version with its new value."""
    from ..i18n import force_locale, gettext
    from .context import current_engine
    from .following import follow_settings

    def note(keys: set[str]) -> str:
        # Like a note an administrator types, written once in the company's language.
        with force_locale(settings["core.default_language"]):
            return "; ".join(gettext("Follows the setting %(key)s: %(old)s → %(new)s", key=key,
                                     old=_shown(changed[key][0]), new=_shown(changed[key][1])) for key in sorted(keys))

    follow_settings(current_engine(settings), changed, actor_id, note)


def _shown(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _waiting(user) -> tuple[dict, frozenset[str] | None]:
    """Whose approvals the user signs now, and in which modules: once per request, for the menu and the widget."""
    if "approvals_waiting" not in g:
        g.approvals_waiting = (delegators_in(snapshot()["delegations"], user.id, utcnow()),
                               modules_to_show(state().approval_types, enabled_modules()))
    return g.approvals_waiting


@hookimpl
def intranet_menu_items(user):
    items = [MenuItem(_l("Approvals"), "approvals.inbox", icon="inbox", order=1, badge=waiting_tasks(*_waiting(user)))]
    if user.can("core.approvals.policies"):
        items.append(MenuItem(_l("Approval policies"), "approvals.policies", icon="route", order=5, section="admin"))
    return items


@hookimpl
def intranet_dashboard_widgets(user):
    def render():
        delegators, modules = _waiting(user)
        count = inbox.waiting_count(db.session, user.id, delegators, modules, BADGE_LIMIT)
        page = paginate(db.session, inbox.waiting(user.id, delegators, modules, inbox.InboxFilter(), utcnow()),
                        page=1, per_page=5, scalars=False)
        return {"rows": page.items, "more": page.has_next, "now": utcnow(), "count": count}

    return [Widget("core.approvals", _l("Waiting for my approval"), "approvals/_widget.html", render, order=1,
                   wide=True),
            Widget("core.my_requests", _l("My requests by month"), "approvals/_by_month.html",
                   lambda: requests_by_month(user), order=2)]


def _overdue(ctx):
    """Approvers of overdue steps hear once; their managers hear once after a further delay."""
    rows = ctx.session.execute(
        select(ApprovalTask.id, ApprovalTask.assignee_id, ApprovalTask.step_id, ApprovalTask.due_at,
               ApprovalRequest.id, ApprovalRequest.title, ApprovalRequest.round, ApprovalRequest.module)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalTask.request_id)
        .where(ApprovalTask.status == TaskStatus.PENDING, ApprovalTask.due_at < ctx.now,
               ApprovalTask.module.in_(sorted(ctx.enabled)))).all()
    managers = dict(ctx.session.execute(select(User.id, User.manager_id).where(
        User.id.in_({row[1] for row in rows}))).all()) if rows else {}
    hours = ctx.settings["core.approval_escalate_after_hours"]
    for task_id, assignee, step_id, due_at, request_id, title, round_, module in rows:
        url = ctx.url_for("approvals.request_page", request_id=request_id)
        due = ctx.calendar.local(due_at).strftime("%Y-%m-%d %H:%M")
        yield Reminder(key=f"approvals.overdue:{task_id}", user_id=assignee, module=module, url=url,
                       message=N_("Overdue: %(title)s was due at %(due)s"), params={"title": title, "due": due})
        manager = managers.get(assignee)
        if manager and ctx.calendar.add_working_hours(due_at, hours) <= ctx.now:
            def record(session, request_id=request_id, step_id=step_id, round_=round_, manager=manager,
                       assignee=assignee):
                session.add(ApprovalAction(request_id=request_id, step_id=step_id, round=round_, action="escalate",
                                           target_user_id=manager, on_behalf_of_id=assignee, at=ctx.now))

            yield Reminder(key=f"approvals.escalate:{task_id}", user_id=manager, module=module, url=url,
                           message=N_("Escalated to you: %(title)s has waited for your report since %(due)s"),
                           params={"title": title, "due": due}, on_first_delivery=record)


@hookimpl
def intranet_reminder_scanners():
    return [ReminderScanner("approvals.overdue", _l("Overdue approval steps"), _overdue)]
