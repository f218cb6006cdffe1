"""Task pages: lists (mine, assigned by me), the form, the detail page with the owner's and the
requester's steps, the department board and the timeline."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from intranet import db, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.charts import DonutChart, Slice
from intranet.documents import (attach, current_documents, document_page, editable_by_me, run_step, save_document,
                                uploads, url_of, visible_document, visible_to)
from intranet.files import FileRules
from intranet.org import people_by_numbers
from intranet.web import (Field, Filter, ListView, NEWEST, Sort, arg_id, calendar, edit_lines, employee,
                          form_status, org_chart, render, settings, signed_in_user, writes)

from . import gantt, services
from .documents import DELAYED, DONE, IN_PROGRESS, NOT_STARTED, OPEN, REVIEW, STATUSES, TASK
from .forms import DelayForm, DeliverForm, ProgressForm, ReviewForm, TaskForm
from .models import Task

bp = Blueprint("tasks", __name__, template_folder="templates")

DUE = Sort("due", _l("Due date"), "due_on")

TASKS = ListView(
    "tasks.tasks", TASK,
    (Field("number"), Field("title"), Field("owner", format="person"), Field("requester", _l("Assigned by"), "person"),
     Field("due_on", format="date"), Field("progress", format="percent"), Field("stage"),
     Field("status", format="status"), Field("goal_vague", format="bool")),
    filters=(Filter("status", _l("Status"), choices=STATUSES.choices),
             Filter("mine", _l("My tasks"), column="owner_id", kind="mine"),
             Filter("assigned", _l("Assigned by me"), column="requester_id", kind="mine"),
             Filter("vague", _l("Vague goal"), column="goal_vague", kind="bool"),
             Filter("due", _l("Due"), column="due_on", kind="date")),
    sorts=(NEWEST, DUE), search=("title", "number"), selectable=True, export="tasks.export")

#: The menu badge: tasks waiting for the signed-in person (a delay to explain, a deliverable to accept).
WAITING_FOR_ME = select(Task.id).where(or_(and_(Task.owner_id == bindparam("user_id"), Task.status == DELAYED),
                                           and_(Task.requester_id == bindparam("user_id"), Task.status == REVIEW)))


def link(task: Task) -> str:
    return url_for("tasks.detail", document_id=task.id)


def _today():
    return calendar().today(utcnow())


@bp.get("/")
@employee
def tasks():
    return TASKS.render("tasks/list.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export(fmt: str):
    return TASKS.export(fmt)


# -- the form -------------------------------------------------------------------------
def _data(form: TaskForm) -> services.TaskData:
    session = db.session
    owners = people_by_numbers(session, form.owner.data, "owner")
    return services.TaskData(
        title=form.title.data, owner_id=owners[0] if owners else None, due_on=form.due_on.data,
        start_on=form.start_on.data, goal=form.goal.data or "", acceptance=form.acceptance.data or "",
        helper_ids=people_by_numbers(session, form.helpers.data, "helpers"),
        milestones=[services.MilestoneData(row["title"] or "", row["due_on"], row["done"])
                    for row in form.milestones.data],
        depends_on=(form.depends_on.data or "").replace(",", " ").split())


def _form_page(task: Task | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = TaskForm(formdata=formdata, obj=task)
    if request.method == "GET" and task is not None:
        form.owner.data = task.owner.employee_no
        form.helpers.data = " ".join(h.user.employee_no for h in task.helpers)
        form.depends_on.data = " ".join(d.depends_on.number for d in task.predecessors)
    elif request.method == "GET":
        form.start_on.data = _today()
    if not line_button:
        def apply(documents, document):
            data = _data(form)
            if document is None:
                return services.create(documents, data, signed_in_user(), settings(), link=link)
            return services.update(documents, document, data, current_user.id, settings())

        saved = save_document(TASK, task, form, apply)
        if saved is not None:
            return saved
    status = 200 if line_button else form_status(form)
    vague = services.is_vague(form.goal.data or "", settings()["tasks.goal_min_length"]) if form.goal.data else False
    return render("tasks/form.html", form=form, document=task, status=status, vague=vague)


@bp.route("/new", methods=["GET", "POST"])
@employee
def new():
    return _form_page(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit(document_id: int):
    task = visible_document(TASK, document_id)
    if not editable_by_me(TASK, task):
        return redirect(url_of(TASK, task))
    return _form_page(task)


# -- the detail page and its steps ------------------------------------------------------
def _detail(task: Task, *, status: int = 200, **forms):
    today = _today()
    waiting = services.dependants(db.session, [task.id]).get(task.id, [])
    shift = services.needed_shift(task, today) if current_user.id in (task.owner_id, task.requester_id) else 0
    context = dict(progress_form=ProgressForm(obj=task), deliver_form=DeliverForm(), review_form=ReviewForm(),
                   delay_form=DelayForm(new_due_on=today + timedelta(days=7)))
    context.update({k: v for k, v in forms.items() if v is not None})
    return render("tasks/detail.html", **document_page(TASK, task), waiting=waiting, shift=shift, today=today,
                  status=status, **context)


@bp.get("/<int:document_id>")
@employee
def detail(document_id: int):
    return _detail(visible_document(TASK, document_id))


def _step(document_id: int, form_class, name: str, action):
    """Run one of the task's steps from its form: 422 beside the field, 409 for a second click."""
    task = visible_document(TASK, document_id)
    form = form_class()
    if run_step(form, lambda: action(current_documents(), task, form)):
        return redirect(url_of(TASK, task))
    return _detail(visible_document(TASK, document_id), status=422, **{name: form})


@bp.post("/<int:document_id>/progress")
@employee
def progress(document_id: int):
    return _step(document_id, ProgressForm, "progress_form", lambda documents, task, form: services.record_progress(
        documents, task, current_user.id, form.progress.data, form.stage.data))


@bp.post("/<int:document_id>/deliver")
@employee
def deliver(document_id: int):
    def action(documents, task, form):
        rules = FileRules.attachments(settings())
        if task.owner_id == current_user.id:
            for upload in uploads("files", rules):
                attach(db.session, TASK, task, upload, rules=rules, user_id=current_user.id, slot="deliverable")
        services.deliver(documents, task, current_user.id, form.note.data, link=link)
    return _step(document_id, DeliverForm, "deliver_form", action)


@bp.post("/<int:document_id>/review")
@employee
def review(document_id: int):
    return _step(document_id, ReviewForm, "review_form", lambda documents, task, form: services.review(
        documents, task, current_user.id, form.decision.data == "accept", form.comment.data, link=link))


@bp.post("/<int:document_id>/delay")
@employee
def delay(document_id: int):
    return _step(document_id, DelayForm, "delay_form", lambda documents, task, form: services.explain_delay(
        documents, task, current_user.id, form.reason.data, form.plan.data, form.new_due_on.data,
        shift_milestones=form.shift_milestones.data, link=link))


@bp.post("/<int:document_id>/shift")
@employee
def shift(document_id: int):
    """Move a waiting task by the days its predecessor needs: the one confirmation."""
    task = visible_document(TASK, document_id)
    days = _int(request.form.get("days"))
    services.shift(current_documents(), task, current_user.id, days, _today())
    db.session.commit()
    flash(_("The task, its due date and its open milestones moved by %(n)s days.", n=days), "success")
    return redirect(url_of(TASK, task))


@bp.post("/<int:document_id>/cancel")
@employee
def cancel(document_id: int):
    task = visible_document(TASK, document_id)
    services.cancel(current_documents(), task, current_user.id)
    db.session.commit()
    return redirect(url_of(TASK, task))


def _int(text) -> int:
    try:
        return int(str(text))
    except ValueError:
        return 0  # refused by the service as "the dates changed"


# -- the department board ------------------------------------------------------------
BOARD_COLUMNS = (NOT_STARTED, IN_PROGRESS, DELAYED, REVIEW, DONE)


def _department() -> int | None:
    chosen = arg_id("department")
    if chosen is not None and org_chart().get(chosen) is not None:
        return chosen
    return current_user.department_id


def board_columns(department_id: int | None) -> list[tuple]:
    """Each status's newest cards of the department, as far as the reader may see them (one read per column)."""
    user, limit = signed_in_user(), settings()["tasks.board_cards"]
    columns = []
    for key in BOARD_COLUMNS:
        cards = db.session.scalars(select(Task).where(Task.department_id == department_id, Task.status == key,
                                                      visible_to(TASK, user))
                                   .options(selectinload(Task.owner)).order_by(Task.due_on, Task.id).limit(limit)).all()
        columns.append((STATUSES[key], cards))
    return columns


@bp.get("/board")
@employee
def board():
    department_id = _department()
    departments = sorted(org_chart().nodes.values(), key=lambda n: n.code)
    return render("tasks/board.html", "tasks/_board.html", columns=board_columns(department_id),
                  departments=departments, department_id=department_id, statuses=STATUSES)


@bp.post("/<int:document_id>/move")
@employee
def move(document_id: int):
    """A card moved on the board: a task started, or sent back to not started is refused (409)."""
    task = visible_document(TASK, document_id)
    target = request.form.get("status", "")
    if target != IN_PROGRESS:
        abort(400)
    services.start(current_documents(), task, current_user.id)
    db.session.commit()
    return render("tasks/board.html", "tasks/_board.html", columns=board_columns(task.department_id),
                  departments=sorted(org_chart().nodes.values(), key=lambda n: n.code),
                  department_id=task.department_id, statuses=STATUSES)


# -- the timeline --------------------------------------------------------------------
@bp.get("/timeline")
@employee
def timeline_page():
    user, today = signed_in_user(), _today()
    department_id = _department()
    mine = request.args.get("mine") == "1"
    query = select(Task).where(visible_to(TASK, user), Task.status.in_((*OPEN, REVIEW)))
    query = query.where(Task.owner_id == user.id) if mine else query.where(Task.department_id == department_id)
    tasks = db.session.scalars(query.options(selectinload(Task.milestones), selectinload(Task.predecessors),
                                             selectinload(Task.owner))
                               .order_by(Task.start_on, Task.id).limit(settings()["tasks.timeline_rows"])).all()
    return render("tasks/timeline.html", chart=gantt.layout(tasks, today), mine=mine, department_id=department_id,
                  statuses=STATUSES,
                  departments=sorted(org_chart().nodes.values(), key=lambda n: n.code))


# -- the dashboard widget ------------------------------------------------------------
def my_work(user) -> dict:
    """What the person must do today: their open tasks by due date, deliverables to accept, and a donut of theirs."""
    mine = db.session.scalars(select(Task).where(Task.owner_id == user.id, Task.status.in_(OPEN))
                              .order_by(Task.due_on, Task.id).limit(5)).all()
    to_accept = db.session.scalars(select(Task).where(Task.requester_id == user.id, Task.status == REVIEW)
                                   .order_by(Task.due_on, Task.id).limit(5)).all()
    counts = dict(db.session.execute(select(Task.status, func.count()).where(Task.owner_id == user.id)
                                     .group_by(Task.status)).all())
    chart = DonutChart(_("My tasks by status"), [Slice(STATUSES[key].label, counts.get(key, 0), STATUSES[key].tone)
                                                   for key in BOARD_COLUMNS])
    return {"mine": mine, "to_accept": to_accept, "chart": chart, "statuses": STATUSES, "today": _today()}
