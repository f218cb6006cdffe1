"""Budget and cost control 预算与成本: annual budgets by department and cost category,
actual costs per month, commitments other modules reserve, variance explanations and
adjustment requests."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from intranet import Model, utcnow
from intranet import lazy_gettext as _l
from intranet.documents import Document

MONTHS = 12


class BudgetPlan(Document, Model):
    """年度预算: one department's budget for one year, a line per cost category.

    The department submits it (bottom-up), finance consolidates it (each line keeps the
    submitted figure beside the consolidated one), then it is approved by its total.
    """

    __tablename__ = "budget_plan"
    __document_type__ = "budget.plan"
    __label__ = _l("Annual budget")
    __labels__ = {"year": _l("Year"), "submitted_total": _l("Submitted total"), "lines": _l("Budget lines"),
                  "published_at": _l("Published")}
    __extra_table_args__ = (
        UniqueConstraint("department_id", "year", name="uq_budget_plan_department_year"),
        Index("ix_budget_plan_total", "total", "id"),
        Index("ix_budget_plan_requester_total", "requester_id", "total", "id"),
        Index("ix_budget_plan_department_total", "department_id", "total", "id"),
    )

    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    submitted_total: Mapped[Decimal] = mapped_column(default=Decimal(0))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    published_at: Mapped[datetime | None] = mapped_column()

    lines: Mapped[list["BudgetLine"]] = relationship(order_by="BudgetLine.position", cascade="all, delete-orphan",
                                                     back_populates="plan")


class BudgetLine(Model):
    """预算明细: one cost category of a department's year. ``submitted_amount`` is what the
    department asked for, ``amount`` what finance consolidated, ``adjustment`` the approved
    transfers since; ``phasing`` spreads amount + adjustment over the twelve months."""

    __tablename__ = "budget_line"
    __label__ = _l("Budget line")
    __labels__ = {"submitted_amount": _l("Submitted figure"), "amount": _l("Budget"), "adjustment": _l("Adjustments"),
                  "justification": _l("Justification"), "adjust_reason": _l("Reason for the change"),
                  "phasing": _l("Monthly phasing")}
    __table_args__ = (UniqueConstraint("department_id", "year", "category", name="uq_budget_line_department_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("budget_plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(30))
    submitted_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    adjustment: Mapped[Decimal] = mapped_column(default=Decimal(0))
    justification: Mapped[str] = mapped_column(Text, default="")
    adjust_reason: Mapped[str] = mapped_column(String(500), default="")
    phasing: Mapped[list] = mapped_column(default=list)

    plan: Mapped[BudgetPlan] = relationship(back_populates="lines")

    @property
    def budget(self) -> Decimal:
        return self.amount + self.adjustment

    def month_budget(self, month: int) -> Decimal:
        return Decimal(self.phasing[month - 1]) if len(self.phasing) == MONTHS else self.budget / MONTHS


class BudgetActual(Model):
    """实际发生: one actual cost of a department, category and month, entered or imported."""

    __tablename__ = "budget_actual"
    __label__ = _l("Actual cost")
    __labels__ = {"year": _l("Year"), "month": _l("Month"), "source": _l("Source")}
    __table_args__ = (
        # The list's orders (newest, amount), each also within the scope columns.
        Index("ix_budget_actual_created", "created_at", "id"),
        Index("ix_budget_actual_department_created", "department_id", "created_at", "id"),
        Index("ix_budget_actual_created_by_created", "created_by_id", "created_at", "id"),
        Index("ix_budget_actual_amount", "amount", "id"),
        Index("ix_budget_actual_department_amount", "department_id", "amount", "id"),
        Index("ix_budget_actual_created_by_amount", "created_by_id", "amount", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    category: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column()
    description: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(10), default="entry")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def period(self) -> str:
        return f"{self.year}-{self.month:02d}"


class BudgetActualTotal(Model):
    """The month's actual costs of a department and category, kept with every entry so the
    execution report and the remaining-budget hook never add up a million rows."""

    __tablename__ = "budget_actual_total"
    __table_args__ = (UniqueConstraint("year", "department_id", "category", "month",
                                       name="uq_budget_actual_total"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    category: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(default=Decimal(0))


class BudgetPeriod(Model):
    """A month of the cost calendar: closed by finance (月度成本结账), reopened only by
    finance, and its execution report issued."""

    __tablename__ = "budget_period"
    __label__ = _l("Cost month")
    __labels__ = {"closed": _l("Closed"), "closed_at": _l("Closed at"), "report_issued_at": _l("Report issued")}
    __table_args__ = (UniqueConstraint("year", "month", name="uq_budget_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column()
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))
    report_issued_at: Mapped[datetime | None] = mapped_column()
    report_issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"))


class BudgetCommitment(Model):
    """预算占用: money an approved document of any module reserves until it is spent or released."""

    __tablename__ = "budget_commitment"
    __label__ = _l("Budget commitment")
    __table_args__ = (
        UniqueConstraint("type_key", "document_id", name="uq_budget_commitment_document"),
        Index("ix_budget_commitment_line", "year", "department_id", "category", "open"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(60))
    document_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(60), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    category: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column()
    released: Mapped[Decimal] = mapped_column(default=Decimal(0))
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.released


class BudgetVariance(Document, Model):
    """预算差异说明: why a budget line overran in a month, whether it was controllable and
    what will be done."""

    __tablename__ = "budget_variance"
    __document_type__ = "budget.variance"
    __label__ = _l("Variance explanation")
    __labels__ = {"year": _l("Year"), "month": _l("Month"), "budget": _l("Budget"), "actual": _l("Actual"),
                  "overrun": _l("Overrun"), "cause": _l("Cause"), "controllable": _l("Controllable"),
                  "remedy": _l("Remedy")}
    __extra_table_args__ = (
        Index("ix_budget_variance_line", "year", "month", "department_id", "category"),
        Index("ix_budget_variance_overrun", "overrun", "id"),
        Index("ix_budget_variance_requester_overrun", "requester_id", "overrun", "id"),
        Index("ix_budget_variance_department_overrun", "department_id", "overrun", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(30))
    budget: Mapped[Decimal] = mapped_column(default=Decimal(0))
    actual: Mapped[Decimal] = mapped_column(default=Decimal(0))
    overrun: Mapped[Decimal] = mapped_column(default=Decimal(0))
    cause: Mapped[str] = mapped_column(Text, default="")
    controllable: Mapped[bool] = mapped_column(Boolean, default=True)
    remedy: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")


class BudgetAdjustment(Document, Model):
    """预算调剂申请表: move money from one budget line to another (another category or
    department), approved by the same tiers as the budget."""

    __tablename__ = "budget_adjustment"
    __document_type__ = "budget.adjustment"
    __label__ = _l("Budget adjustment")
    __labels__ = {"year": _l("Year"), "month": _l("From month"), "from_department_id": _l("From department"),
                  "from_category": _l("From category"), "to_department_id": _l("To department"),
                  "to_category": _l("To category"), "reason": _l("Reason")}
    __extra_table_args__ = (
        Index("ix_budget_adjustment_amount", "amount", "id"),
        Index("ix_budget_adjustment_requester_amount", "requester_id", "amount", "id"),
        Index("ix_budget_adjustment_department_amount", "department_id", "amount", "id"),
    )

    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    from_department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    from_category: Mapped[str] = mapped_column(String(30))
    to_department_id: Mapped[int] = mapped_column(ForeignKey("core_department.id"))
    to_category: Mapped[str] = mapped_column(String(30))
    amount: Mapped[Decimal] = mapped_column()
    reason: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")


MODELS = [BudgetPlan, BudgetLine, BudgetActual, BudgetActualTotal, BudgetPeriod, BudgetCommitment, BudgetVariance,
          BudgetAdjustment]
