"""Deadline scanners of tasks: due soon, overdue → delayed (owner, then manager), dependants warned."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from intranet import N_
from intranet import lazy_gettext as _l
from intranet.documents import DocumentService, current_documents
from intranet.notify import Reminder, ReminderScanner

from . import services
from .documents import DELAYED, OPEN
from .models import Task


def _documents(ctx) -> DocumentService:
    """The document service at the job's time (the job runs inside the app, like a request)."""
    documents = current_documents()
    documents.now = documents.engine.now = ctx.now
    return documents


def scanners() -> list[ReminderScanner]:

    def due_soon(ctx):
        today = ctx.calendar.today(ctx.now)
        limit = today + timedelta(days=ctx.settings["tasks.remind_before_days"])
        for task in ctx.session.scalars(select(Task).where(Task.status.in_(OPEN[:2]), Task.due_on >= today,
                                                           Task.due_on <= limit)):
            yield Reminder(key=f"tasks.due:{task.id}:{task.due_on.isoformat()}", user_id=task.owner_id,
                           module="tasks", message=N_("Task %(number)s %(title)s is due on %(due)s"),
                           params={"number": task.number, "title": task.title, "due": task.due_on.isoformat()},
                           url=ctx.url_for("tasks.detail", document_id=task.id))

    def delayed(ctx):
        today = ctx.calendar.today(ctx.now)
        services.mark_delayed(_documents(ctx), ctx.settings, today)
        ctx.session.flush()
        late = ctx.session.scalars(select(Task).where(Task.status == DELAYED).order_by(Task.id)
                                   .options(selectinload(Task.owner))).all()
        waiting = services.dependants(ctx.session, [t.id for t in late])
        escalate_after = ctx.settings["tasks.escalate_after_days"]
        for task in late:
            since = task.delayed_on or today
            url = ctx.url_for("tasks.detail", document_id=task.id)
            params = {"number": task.number, "title": task.title, "due": task.due_on.isoformat()}
            yield Reminder(key=f"tasks.delayed:{task.id}:{since.isoformat()}", user_id=task.owner_id, module="tasks",
                           message=N_("Task %(number)s %(title)s is delayed: give the reason and a new plan"),
                           params=params, url=url)
            if ctx.calendar.working_days_between(since, today) >= escalate_after:
                boss = services.escalation_target(ctx.session, task.owner)
                if boss:
                    yield Reminder(key=f"tasks.delayed.escalated:{task.id}:{since.isoformat()}", user_id=boss,
                                   module="tasks", params={**params, "owner": task.owner.name}, url=url,
                                   message=N_("Task %(number)s %(title)s of %(owner)s is delayed without a new plan"))
            for dependant in waiting.get(task.id, []):
                yield Reminder(key=f"tasks.waiting:{dependant.id}:{task.id}:{since.isoformat()}",
                               user_id=dependant.owner_id, module="tasks",
                               message=N_("Task %(number)s that your task %(mine)s waits for is delayed"),
                               params={**params, "mine": dependant.number},
                               url=ctx.url_for("tasks.detail", document_id=dependant.id))

    return [ReminderScanner("tasks.due", _l("Tasks due soon"), due_soon),
            ReminderScanner("tasks.delayed", _l("Delayed tasks"), delayed)]

