"""The rules of tasks 任务跟踪, without Flask. The document service keeps each task's
number and status; the moves below are the handbook's: one owner, a goal and an acceptance
standard, progress, delivery and acceptance by the requester, and a delay over
``tasks.delay_after_days`` that needs a reason and a new plan."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from intranet import N_, Conflict, Forbidden, Invalid
from intranet.documents import DocumentService
from intranet.notify import notify
from intranet.org import Department, User

from .documents import CANCELLED, DELAYED, DONE, IN_PROGRESS, NOT_STARTED, OPEN, REVIEW
from .models import Milestone, Task, TaskDelay, TaskDependency, TaskHelper

MAX_TEXT = 5000
#: How far a chain of dependencies is followed when looking for a loop.
MAX_CHAIN = 200

Link = Callable[[Task], str]


@dataclass
class MilestoneData:
    title: str
    due_on: date | None
    done: bool = False


@dataclass
class TaskData:
    """What the task form (or another module) gives."""

    title: str
    owner_id: int | None
    due_on: date | None
    start_on: date | None = None
    goal: str = ""
    acceptance: str = ""
    helper_ids: list[int] = field(default_factory=list)
    milestones: list[MilestoneData] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)  # task numbers


def is_vague(goal: str, min_length: int) -> bool:
    """A goal of one short line says too little to be checked against (目标不明确)."""
    text = (goal or "").strip()
    return "\n" not in text and len(text) < min_length


def _active_users(session: Session, ids: Iterable[int]) -> dict[int, User]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted), User.active.is_(True)))}


def _apply(session: Session, task: Task, data: TaskData, settings, today: date) -> Task:
    """Check ``data`` and write it into ``task``; nothing is written when it is refused."""
    title = (data.title or "").strip()
    if not title:
        raise Invalid(N_("Give the task a name."), field="title")
    if not data.owner_id:
        raise Invalid(N_("Name the one person who owns the task."), field="owner_id")
    people = _active_users(session, [data.owner_id, *data.helper_ids])
    if data.owner_id not in people:
        raise Invalid(N_("Name the one person who owns the task."), field="owner_id")
    helpers = [i for i in dict.fromkeys(data.helper_ids) if i != data.owner_id]
    if any(i not in people for i in helpers):
        raise Invalid(N_("Choose helpers among the active staff."), field="helper_ids")
    if len(helpers) > settings["tasks.max_helpers"]:
        raise Invalid(N_("At most %(count)s helpers."), field="helper_ids", count=settings["tasks.max_helpers"])
    start = data.start_on or task.start_on or today
    if data.due_on is None:
        raise Invalid(N_("Give a due date."), field="due_on")
    if data.due_on < start:
        raise Invalid(N_("The due date cannot be before the start."), field="due_on")
    if len(data.goal or "") > MAX_TEXT or len(data.acceptance or "") > MAX_TEXT:
        raise Invalid(N_("At most %(count)s characters."), field="goal", count=MAX_TEXT)
    milestones = [m for m in data.milestones if (m.title or "").strip() or m.due_on]
    if len(milestones) > settings["tasks.max_milestones"]:
        raise Invalid(N_("At most %(count)s milestones."), field="milestones", count=settings["tasks.max_milestones"])
    for milestone in milestones:
        if not (milestone.title or "").strip() or milestone.due_on is None:
            raise Invalid(N_("Each milestone needs a name and a date."), field="milestones")
    predecessors = _predecessors(session, task, data.depends_on)

    task.title, task.owner_id, task.start_on, task.due_on = title[:200], data.owner_id, start, data.due_on
    task.goal, task.acceptance = (data.goal or "").strip(), (data.acceptance or "").strip()
    task.goal_vague = is_vague(task.goal, settings["tasks.goal_min_length"])
    if task.planned_due_on is None:
        task.planned_due_on = data.due_on
    known = {h.user_id: h for h in task.helpers}
    task.helpers = [known.get(i) or TaskHelper(user_id=i) for i in helpers]
    task.milestones = [Milestone(position=i, title=m.title.strip()[:200], due_on=m.due_on, done=bool(m.done))
                       for i, m in enumerate(milestones)]
    linked = {d.depends_on_id: d for d in task.predecessors}
    task.predecessors = [linked.get(p.id) or TaskDependency(depends_on_id=p.id) for p in predecessors]
    return task


def _predecessors(session: Session, task: Task, numbers: list[str]) -> list[Task]:
    """The tasks named by number; refused when one is unknown, the task itself, or would close a loop."""
    numbers = [n.strip() for n in dict.fromkeys(numbers) if n and n.strip()]
    if not numbers:
        return []
    found = {t.number: t for t in session.scalars(select(Task).where(Task.number.in_(numbers)))}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise Invalid(N_("There is no task %(number)s."), field="depends_on", number=missing[0])
    if task.id is not None:
        if task.id in {t.id for t in found.values()} or task.id in _upstream_of_many(session, found.values()):
            raise Invalid(N_("A task cannot wait for itself, even through other tasks."), field="depends_on")
    return list(found.values())


def _upstream_of_many(session: Session, tasks) -> set[int]:
    """Every task the given ones wait for, directly or not (one query per level, bounded)."""
    seen, frontier = set(), {t.id for t in tasks}
    while frontier and len(seen) < MAX_CHAIN:
        above = set(session.scalars(select(TaskDependency.depends_on_id).where(TaskDependency.task_id.in_(frontier))))
        frontier = above - seen
        seen |= above
    return seen


def create(documents: DocumentService, data: TaskData, requester, settings, *, source: str = "",
           link: Link | None = None) -> Task:
    """A new task, assigned by ``requester``; its owner hears of it."""
    today = documents.engine.calendar.today(documents.now)
    task = _apply(documents.session, Task(source=(source or "")[:120]), data, settings, today)
    owner = documents.session.get(User, task.owner_id)
    task.department_id = owner.department_id
    documents.create(task, requester)
    if task.owner_id != requester.id:
        notify(documents.session, [task.owner_id], N_("You own a new task %(number)s: %(title)s"),
               params={"number": task.number, "title": task.title}, url=link(task) if link else "", module="tasks")
    return task


def update(documents: DocumentService, task: Task, data: TaskData, actor_id: int, settings) -> Task:
    """The requester changes the task while it is open."""
    documents.check_editable(task, actor_id)
    _apply(documents.session, task, data, settings, documents.engine.calendar.today(documents.now))
    documents.session.flush()
    return task


# -- the owner's work ------------------------------------------------------------------
def _check_owner(task: Task, actor_id: int, *, helpers: bool = False) -> None:
    if actor_id == task.owner_id or (helpers and any(h.user_id == actor_id for h in task.helpers)):
        return
    raise Forbidden(N_("Only the task's owner can do this."))


def record_progress(documents: DocumentService, task: Task, actor_id: int, progress, stage: str) -> Task:
    """The owner (or a helper) says how far the task is; a first step starts it."""
    _check_owner(task, actor_id, helpers=True)
    try:
        value = int(str(progress).strip().rstrip("%"))
    except ValueError:
        raise Invalid(N_("Enter a whole number from 0 to 100."), field="progress") from None
    if not 0 <= value <= 100:
        raise Invalid(N_("Enter a whole number from 0 to 100."), field="progress")
    documents.lock(task)
    if task.status not in OPEN:
        raise Conflict(N_("This task is no longer open."))
    task.progress, task.stage = value, (stage or "").strip()[:100]
    if task.status == NOT_STARTED and value > 0:
        documents.move(task, IN_PROGRESS, actor_id=actor_id)
    documents.session.flush()
    return task


def start(documents: DocumentService, task: Task, actor_id: int) -> Task:
    """The owner (or a helper) starts the task (the board's move)."""
    _check_owner(task, actor_id, helpers=True)
    documents.move(task, IN_PROGRESS, actor_id=actor_id)
    return task


def deliver(documents: DocumentService, task: Task, actor_id: int, note: str, *, link: Link | None = None) -> Task:
    """The owner hands in the deliverable; the requester is asked to accept it."""
    _check_owner(task, actor_id)
    note = (note or "").strip()
    if not note and not task.attachments:
        raise Invalid(N_("Describe the deliverable or attach it."), field="note")
    documents.lock(task)
    if task.status not in OPEN:
        raise Conflict(N_("This task is no longer open."))
    task.delivery_note, task.progress = note[:MAX_TEXT], 100
    documents.move(task, REVIEW, actor_id=actor_id)
    notify(documents.session, [task.requester_id], N_("Task %(number)s is delivered: please accept it"),
           params={"number": task.number}, url=link(task) if link else "", module="tasks")
    return task


def review(documents: DocumentService, task: Task, actor_id: int, accepted: bool, comment: str, *,
           link: Link | None = None) -> Task:
    """The requester accepts the deliverable, or refuses it with the changes required (the task reopens)."""
    if actor_id != task.requester_id:
        raise Forbidden(N_("Only the person who assigned the task accepts it."))
    comment = (comment or "").strip()
    if not accepted and not comment:
        raise Invalid(N_("Say what must change before you can accept it."), field="comment")
    if len(comment) > MAX_TEXT:
        raise Invalid(N_("At most %(count)s characters."), field="comment", count=MAX_TEXT)
    documents.lock(task)
    if task.status != REVIEW:
        raise Conflict(N_("This task is not waiting for acceptance."))
    task.review_comment = comment
    if accepted:
        task.finished_on = documents.engine.calendar.today(documents.now)
        documents.move(task, DONE, actor_id=actor_id)
        message = N_("Task %(number)s was accepted")
    else:
        task.progress = min(task.progress, 90)
        documents.move(task, IN_PROGRESS, actor_id=actor_id)
        message = N_("Task %(number)s was not accepted: see the changes required")
    notify(documents.session, [task.owner_id], message, params={"number": task.number},
           url=link(task) if link else "", module="tasks")
    return task


def cancel(documents: DocumentService, task: Task, actor_id: int) -> Task:
    if actor_id != task.requester_id:
        raise Forbidden(N_("Only the person who assigned the task can cancel it."))
    documents.move(task, CANCELLED, actor_id=actor_id)
    return task


# -- delays ------------------------------------------------------------------------
def overdue_since(task: Task, settings) -> date:
    """The first day on which the task counts as delayed."""
    return task.due_on + timedelta(days=settings["tasks.delay_after_days"] + 1)


def mark_delayed(documents: DocumentService, settings, today: date) -> list[Task]:
    """Open tasks overdue by more than ``tasks.delay_after_days`` become delayed."""
    limit = today - timedelta(days=settings["tasks.delay_after_days"] + 1)
    late = documents.session.scalars(select(Task).where(Task.status.in_((NOT_STARTED, IN_PROGRESS)),
                                                        Task.due_on <= limit).order_by(Task.due_on, Task.id)).all()
    for task in late:
        task.delayed_on = today
        documents.move(task, DELAYED)
    return late


def explain_delay(documents: DocumentService, task: Task, actor_id: int, reason: str, plan: str,
                  new_due_on: date | None, *, shift_milestones: bool = True, link: Link | None = None) -> TaskDelay:
    """The owner of a delayed task gives the reason and a new plan; the task goes on with the new
    due date, its open milestones move with it, and the owners of the tasks waiting for it are warned."""
    _check_owner(task, actor_id)
    reason, plan = (reason or "").strip(), (plan or "").strip()
    today = documents.engine.calendar.today(documents.now)
    if not reason:
        raise Invalid(N_("Say why the task is late."), field="reason")
    if not plan:
        raise Invalid(N_("Give the new plan."), field="plan")
    if len(reason) > MAX_TEXT or len(plan) > MAX_TEXT:
        raise Invalid(N_("At most %(count)s characters."), field="plan", count=MAX_TEXT)
    if new_due_on is None or new_due_on < today:
        raise Invalid(N_("Give a new due date from today on."), field="new_due_on")
    documents.lock(task)
    if task.status != DELAYED:
        raise Conflict(N_("This task is not delayed."))
    delay = TaskDelay(task_id=task.id, reason=reason, plan=plan, old_due_on=task.due_on, new_due_on=new_due_on,
                      author_id=actor_id, created_at=documents.now)
    documents.session.add(delay)
    shift = new_due_on - task.due_on
    if shift_milestones:
        for milestone in task.milestones:
            if not milestone.done:
                milestone.due_on += shift
    task.due_on, task.delayed_on = new_due_on, None
    documents.move(task, IN_PROGRESS, actor_id=actor_id)
    waiting = [t for t in dependants(documents.session, [task.id]).get(task.id, []) if needed_shift(t, today) > 0]
    if waiting:
        notify(documents.session, {t.owner_id for t in waiting},
               N_("Task %(number)s you wait for is now due on %(due)s: check your dates"),
               params={"number": task.number, "due": new_due_on.isoformat()},
               url=link(task) if link else "", module="tasks")
    return delay


def dependants(session: Session, task_ids: Iterable[int]) -> dict[int, list[Task]]:
    """The open tasks waiting for each of ``task_ids``, in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = session.execute(select(TaskDependency.depends_on_id, Task).join(Task, Task.id == TaskDependency.task_id)
                           .where(TaskDependency.depends_on_id.in_(ids), Task.status.in_(OPEN))
                           .options(selectinload(Task.predecessors).selectinload(TaskDependency.depends_on))).all()
    found: dict[int, list[Task]] = {}
    for upstream, task in rows:
        found.setdefault(upstream, []).append(task)
    return found


def needed_shift(task: Task, today: date) -> int:
    """Days the task must move so that it starts after every unfinished task it waits for."""
    if task.status not in OPEN:
        return 0
    earliest = None
    for link in task.predecessors:
        upstream = link.depends_on
        if upstream.status in (DONE, CANCELLED):
            continue
        end = max(upstream.due_on, today) if upstream.status == DELAYED else upstream.due_on
        earliest = max(earliest or end, end)
    if earliest is None:
        return 0
    return max(0, (earliest - task.start_on).days + 1)


def shift(documents: DocumentService, task: Task, actor_id: int, days: int, today: date) -> Task:
    """Move a waiting task (start, due date and open milestones) by the days its predecessors
    need, after one confirmation; refused when the dates moved since the warning was shown."""
    if actor_id not in (task.owner_id, task.requester_id):
        raise Forbidden(N_("Only the task's owner can do this."))
    documents.lock(task)
    if needed_shift(task, today) != days or days <= 0:
        raise Conflict(N_("The dates changed meanwhile: look again before moving the task."))
    delta = timedelta(days=days)
    task.start_on += delta
    task.due_on += delta
    for milestone in task.milestones:
        if not milestone.done:
            milestone.due_on += delta
    documents.session.flush()
    return task


def escalation_target(session: Session, owner: User) -> int | None:
    """Whom a delay without a reason escalates to: the owner's manager, else their department head."""
    if owner.manager_id:
        return owner.manager_id
    if owner.department_id:
        head = session.scalar(select(Department.head_id).where(Department.id == owner.department_id))
        if head and head != owner.id:
            return head
    return None


# -- for other modules -------------------------------------------------------------
def of_source(session: Session, prefix: str, limit: int = 500) -> list[Task]:
    if not prefix:
        return []
    return list(session.scalars(select(Task).where(Task.source.startswith(prefix, autoescape=True))
                                .order_by(Task.id).limit(limit)))

