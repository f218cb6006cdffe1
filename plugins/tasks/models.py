"""Tasks 任务跟踪: who does what by when, how far it is, and whether the requester accepted it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model
from intranet import lazy_gettext as _l
from intranet.documents import Document
from intranet.org import User


class Task(Document, Model):
    """任务: one piece of work with exactly one owner 负责人, helpers 协助人, a goal 目标 and an
    acceptance standard 验收标准. The requester (who assigned it) accepts the deliverable 交付物."""

    __tablename__ = "tasks_task"
    __document_type__ = "tasks.task"
    __label__ = _l("Task")
    __labels__ = {"goal": _l("Goal"), "acceptance": _l("Acceptance standard"), "owner_id": _l("Owner"),
                  "owner": _l("Owner"), "start_on": _l("Start"), "due_on": _l("Due"), "progress": _l("Progress"),
                  "stage": _l("Stage"), "source": _l("Source"), "planned_due_on": _l("First planned due date"),
                  "goal_vague": _l("Vague goal"), "delivery_note": _l("Delivery note"),
                  "review_comment": _l("Acceptance comment"), "delayed_on": _l("Delayed since"),
                  "finished_on": _l("Finished")}
    __extra_table_args__ = (
        # My tasks: the owner's own rows in each offered order.
        Index("ix_tasks_task_owner_created", "owner_id", "created_at", "id"),
        Index("ix_tasks_task_owner_due", "owner_id", "due_on", "id"),
        Index("ix_tasks_task_due", "due_on", "id"),
        Index("ix_tasks_task_requester_due", "requester_id", "due_on", "id"),
        Index("ix_tasks_task_department_due", "department_id", "due_on", "id"),
        # The board reads each status column of a department, the timeline a department by start.
        Index("ix_tasks_task_department_status_due", "department_id", "status", "due_on", "id"),
        Index("ix_tasks_task_department_start", "department_id", "start_on", "id"),
        # The delay scanner reads open tasks by due date.
        Index("ix_tasks_task_status_due", "status", "due_on", "id"),
        Index("ix_tasks_task_source", "source", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    acceptance: Mapped[str] = mapped_column(Text, default="")
    goal_vague: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    start_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    planned_due_on: Mapped[date] = mapped_column(Date)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    stage: Mapped[str] = mapped_column(String(100), default="")
    #: where the task came from, "<module>.<document>:<id>:<item>", e.g. "meetings.minutes:42:3"
    source: Mapped[str] = mapped_column(String(120), default="")
    delivery_note: Mapped[str] = mapped_column(Text, default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    delayed_on: Mapped[date | None] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    helpers: Mapped[list["TaskHelper"]] = relationship(order_by="TaskHelper.id", cascade="all, delete-orphan")
    milestones: Mapped[list["Milestone"]] = relationship(order_by="Milestone.position", cascade="all, delete-orphan")
    delays: Mapped[list["TaskDelay"]] = relationship(order_by="TaskDelay.id", cascade="all, delete-orphan")
    predecessors: Mapped[list["TaskDependency"]] = relationship(
        foreign_keys="TaskDependency.task_id", order_by="TaskDependency.id", cascade="all, delete-orphan")


class TaskHelper(Model):
    """协助人: someone who helps the owner; they see the task too."""

    __tablename__ = "tasks_helper"
    __label__ = _l("Helper")
    __table_args__ = (UniqueConstraint("task_id", "user_id"), Index("ix_tasks_helper_user", "user_id", "task_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks_task.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))

    user: Mapped[User] = relationship()


class Milestone(Model):
    """里程碑: a dated checkpoint of a task."""

    __tablename__ = "tasks_milestone"
    __label__ = _l("Milestone")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks_task.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class TaskDependency(Model):
    """前置任务: ``task`` cannot start before ``depends_on`` is finished."""

    __tablename__ = "tasks_dependency"
    __label__ = _l("Dependency")
    __table_args__ = (UniqueConstraint("task_id", "depends_on_id"),
                      Index("ix_tasks_dependency_depends_on", "depends_on_id", "task_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks_task.id", ondelete="CASCADE"))
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("tasks_task.id", ondelete="CASCADE"))

    depends_on: Mapped[Task] = relationship(foreign_keys=[depends_on_id])


class TaskDelay(Model):
    """延期说明: why a task ran late and the owner's new plan, one per delay."""

    __tablename__ = "tasks_delay"
    __label__ = _l("Delay")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks_task.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    plan: Mapped[str] = mapped_column(Text)
    old_due_on: Mapped[date] = mapped_column(Date)
    new_due_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column()
