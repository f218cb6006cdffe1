"""The task as a declared document: number, statuses and their moves, scope, printed form."""
from __future__ import annotations

from sqlalchemy import select

from intranet import lazy_gettext as _l
from intranet.documents import DocumentType, Field, LineTableSpec, NumberSeries, PrintForm, Scope, ScopeRule, Status, \
    StatusSet

from .models import Task, TaskHelper

VIEW_ALL = "tasks.view_all"

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
REVIEW = "review"
DONE = "done"
DELAYED = "delayed"
CANCELLED = "cancelled"
OPEN = (NOT_STARTED, IN_PROGRESS, DELAYED)

#: 未开始 → 进行中 → 待验收 → 已完成; overdue → 已延期 until the owner gives a reason and a new plan;
#: a refused acceptance goes back to 进行中. The requester may change the task until it is delivered.
STATUSES = StatusSet(
    (Status(NOT_STARTED, _l("Not started"), "muted", editable=True),
     Status(IN_PROGRESS, _l("In progress"), "info", editable=True),
     Status(DELAYED, _l("Delayed"), "danger", editable=True),
     Status(REVIEW, _l("Awaiting acceptance"), "warn"),
     Status(DONE, _l("Done"), "ok"),
     Status(CANCELLED, _l("Cancelled"), "muted")),
    {NOT_STARTED: (IN_PROGRESS, REVIEW, DELAYED, CANCELLED),
     IN_PROGRESS: (REVIEW, DELAYED, CANCELLED),
     DELAYED: (IN_PROGRESS, REVIEW, CANCELLED),
     REVIEW: (DONE, IN_PROGRESS)},
    initial=NOT_STARTED)


#: The owner and the helpers see the task: two rules, so that a list reads each way by an index
#: of its own (an OR of both would scan).
OWNER = ScopeRule(clause=lambda user, model: model.owner_id == user.id,
                  allows=lambda user, task: task.owner_id == user.id)
HELPER = ScopeRule(
    clause=lambda user, model: model.id.in_(select(TaskHelper.task_id).where(TaskHelper.user_id == user.id)),
    allows=lambda user, task: any(h.user_id == user.id for h in task.helpers))

TASK = DocumentType(
    model=Task, title=_l("Task"), endpoint="tasks.detail", edit_endpoint="tasks.edit",
    numbering=NumberSeries(prefix="T", format="{prefix}{yyyymmdd}-{seq:03}"), statuses=STATUSES,
    lines=("milestones",), load_options=(),
    scope=Scope(widen=VIEW_ALL, also=(OWNER, HELPER)),
    printing=PrintForm(
        title_zh="任务单",
        fields=("title", Field("owner", format="person"), Field("requester", format="person"),
                Field("department_id", format="department"), Field("start_on", format="date"),
                Field("due_on", format="date"), Field("planned_due_on", format="date"),
                Field("progress", format="percent"), "stage", Field("status", format="status"),
                Field("finished_on", format="date")),
        tables=(LineTableSpec("milestones", _l("Milestones"),
                              (Field("title", _l("Milestone")), Field("due_on", _l("Due"), "date"),
                               Field("done", _l("Reached"), "bool"))),),
        text=("goal", "acceptance", "delivery_note", "review_comment")))
