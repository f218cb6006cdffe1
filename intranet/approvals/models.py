"""Approval requests 审批, their steps, the people asked, and the signed trail."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Model, utcnow
from ..i18n import lazy_gettext as _l
from ..org.models import User

END_OF_TIME = datetime(9999, 12, 31, tzinfo=timezone.utc)


class RequestStatus:
    """Where an approval request (审批) stands; stored as these strings."""

    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    RETURNED, WITHDRAWN = "returned", "withdrawn"
    #: still waiting for someone: an approver (pending) or the requester (returned)
    OPEN = (PENDING, RETURNED)


class StepStatus:
    """Where one step of a request's route stands."""

    WAITING, ACTIVE, SKIPPED = "waiting", "active", "skipped"
    APPROVED, REJECTED, RETURNED = "approved", "rejected", "returned"


class TaskStatus:
    """Where one person's task (待办) in a step stands."""

    PENDING, APPROVED, REJECTED, RETURNED = "pending", "approved", "rejected", "returned"
    TRANSFERRED, CANCELLED = "transferred", "cancelled"
    #: decided by the person asked (or on their behalf), as the "done" tab lists them
    DECIDED = (APPROVED, REJECTED, RETURNED, TRANSFERRED)


class ApprovalPolicy(Model):
    """One version of the routing rules of an approval type; never edited, only superseded."""

    __tablename__ = "core_approval_policy"
    __label__ = _l("Approval policy")
    __table_args__ = (UniqueConstraint("type_key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    rules: Mapped[list] = mapped_column()
    note: Mapped[str] = mapped_column(String(500), default="")
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id", ondelete="SET NULL"))

    created_by: Mapped[User | None] = relationship()


class ApprovalRequest(Model):
    """A document sent for approval, routed by one policy version."""

    __tablename__ = "core_approval_request"
    __label__ = _l("Approval request")
    __table_args__ = (
        Index("ix_core_approval_request_document", "type_key", "document_id"),
        Index("ix_core_approval_request_requester", "requester_id", "submitted_at"),
        Index("ix_core_approval_request_status_module", "status", "module"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(80))
    module: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    requester_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"))
    amount: Mapped[Decimal | None] = mapped_column()
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    fields: Mapped[dict] = mapped_column(default=dict)
    policy_id: Mapped[int] = mapped_column(ForeignKey("core_approval_policy.id"))
    rule_index: Mapped[int] = mapped_column(Integer)
    #: pending, approved, rejected, returned (to the requester), withdrawn
    status: Mapped[str] = mapped_column(String(16))
    round: Mapped[int] = mapped_column(Integer, default=1)
    #: what was submitted (the type's canonical content) and its SHA-256
    content: Mapped[dict] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    last_signature: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    policy: Mapped[ApprovalPolicy] = relationship()
    steps: Mapped[list["ApprovalStep"]] = relationship(
        back_populates="request", order_by="(ApprovalStep.round, ApprovalStep.position)")
    actions: Mapped[list["ApprovalAction"]] = relationship(
        back_populates="request", order_by="ApprovalAction.id")


class ApprovalStep(Model):
    """A step of one round: who is asked (resolved at submission), how, by when."""

    __tablename__ = "core_approval_step"
    __label__ = _l("Approval step")
    __table_args__ = (Index("ix_core_approval_step_request", "request_id", "round", "position"),
                      Index("ix_core_approval_step_active_due", "status", "due_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("core_approval_request.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    #: "any" (或签: one decision settles the step) or "all" (会签: everyone must approve)
    mode: Mapped[str] = mapped_column(String(3))
    approver_ids: Mapped[list] = mapped_column(default=list)
    cc_ids: Mapped[list] = mapped_column(default=list)
    #: waiting, active, approved, rejected, returned, skipped
    status: Mapped[str] = mapped_column(String(10), default=StepStatus.WAITING)
    due_amount: Mapped[int | None] = mapped_column(Integer)
    due_unit: Mapped[str] = mapped_column(String(5), default="days")
    due_at: Mapped[datetime | None] = mapped_column()
    activated_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    #: policy, before (加签 before someone), after (加签 after), fallback (nobody found)
    origin: Mapped[str] = mapped_column(String(10), default="policy")
    #: why these people: [[message id, params], ...] from routing, shown in the trail
    notes: Mapped[list] = mapped_column(default=list)
    last_reminded_on: Mapped[date | None] = mapped_column(Date)

    request: Mapped[ApprovalRequest] = relationship(back_populates="steps")
    tasks: Mapped[list["ApprovalTask"]] = relationship(back_populates="step", order_by="ApprovalTask.id")


class ApprovalTask(Model):
    """One person asked to decide one active step: a row of someone's inbox."""

    __tablename__ = "core_approval_task"
    __label__ = _l("Approval task")
    __table_args__ = (
        Index("ix_core_approval_task_inbox", "assignee_id", "status", "queue_at", "id"),
        Index("ix_core_approval_task_done", "acted_by_id", "decided_at"),
        Index("ix_core_approval_task_step", "step_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("core_approval_request.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("core_approval_step.id", ondelete="CASCADE"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    module: Mapped[str] = mapped_column(String(40))
    type_key: Mapped[str] = mapped_column(String(80))
    #: pending, approved, rejected, returned, transferred, cancelled
    status: Mapped[str] = mapped_column(String(12), default=TaskStatus.PENDING)
    due_at: Mapped[datetime | None] = mapped_column()
    #: the inbox order: the due time, or the end of time for a step without one (never
    #: NULL, so the first page of a long inbox is read in index order)
    queue_at: Mapped[datetime] = mapped_column(default=lambda: END_OF_TIME)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))

    step: Mapped[ApprovalStep] = relationship(back_populates="tasks")
    request: Mapped[ApprovalRequest] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    acted_by: Mapped[User | None] = relationship(foreign_keys=[acted_by_id])


class ApprovalAction(Model):
    """An entry of the trail. Decisions carry a signature chained to the previous one."""

    __tablename__ = "core_approval_action"
    __label__ = _l("Approval action")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("core_approval_request.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("core_approval_step.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    #: submit, approve, reject, return, resubmit, withdraw, transfer, add_signer,
    #: comment, remind, escalate, skip
    action: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("core_file.id", ondelete="SET NULL"))
    details: Mapped[dict] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    prev_signature: Mapped[str | None] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(String(64))

    request: Mapped[ApprovalRequest] = relationship(back_populates="actions")
    step: Mapped[ApprovalStep | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])


class ApprovalCopy(Model):
    """A person copied (抄送) on a request."""

    __tablename__ = "core_approval_copy"
    __label__ = _l("Copy of an approval")
    __table_args__ = (Index("ix_core_approval_copy_user", "user_id", "created_at"),)

    request_id: Mapped[int] = mapped_column(ForeignKey("core_approval_request.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[ApprovalRequest] = relationship()


class Delegation(Model):
    """While away, a user's approvals go to a delegate (for one module or all)."""

    __tablename__ = "core_approval_delegation"
    __label__ = _l("Delegation")
    __runtime_cached__ = True  # every page asks "whose approvals may I sign?"
    __table_args__ = (Index("ix_core_approval_delegation_delegate", "delegate_id", "ends_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("core_user.id", ondelete="CASCADE"))
    module: Mapped[str | None] = mapped_column(String(40))
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])
