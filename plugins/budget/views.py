"""Budget pages: annual budgets, actual costs and their import, the cost calendar, the
execution report, variance explanations and adjustment requests. Views parse, call one
service and render; the rules are in services.py and report.py."""
from __future__ import annotations

from datetime import date
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from intranet import N_, DomainError, Invalid, db, force_locale, utcnow
from intranet import gettext as _
from intranet import lazy_gettext as _l
from intranet.charts import BarChart, DonutChart, Series, Slice
from intranet.documents import (Scope, current_documents, document_page, editable_by_me, save_document,
                                visible_document)
from intranet.reference import cost_categories, cost_category_label
from intranet.web import (NEWEST, Field, Filter, ListView, Sort, calendar, edit_lines, employee, export_response,
                          form_error, form_status, options, org_chart, permission_required, render, settings,
                          signed_in_user, total, writes)

from . import report as reports
from . import services
from .documents import ADJUSTMENT, BUDGET_PLAN, CATEGORIES, MANAGE, PLAN_STATUSES, VARIANCE, VIEW_ALL
from .forms import ActualForm, AdjustmentForm, ImportForm, MonthForm, PlanForm, VarianceForm
from .models import BudgetActual, BudgetPeriod, BudgetPlan

bp = Blueprint("budget", __name__, template_folder="templates")


def _years():
    this = date.today().year
    return [(str(y), str(y)) for y in range(this + 1, this - 4, -1)]


def _departments():
    return [(str(node.id), node.name) for _depth, node in org_chart().tree()]


CATEGORY = Field("category", format="choice", choices=CATEGORIES)

PLANS = ListView(
    "budget.plans", BUDGET_PLAN,
    (Field("number"), Field("year", _l("Year")), Field("department_id", format="department"),
     Field("submitted_total", _l("Submitted total"), "money"), Field("total", format="money"),
     Field("requester", format="person"), Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=PLAN_STATUSES.choices),
             Filter("year", _l("Year"), choices=_years, clause=lambda value, user: BudgetPlan.year == int(value)),
             Filter("department", _l("Department"), column="department_id", choices=_departments)),
    sorts=(NEWEST, Sort("total", _l("Amount"), "total")), search=("title", "number"), selectable=True,
    export="budget.export_plans")

ACTUALS = ListView(
    "budget.actuals", BudgetActual,
    (Field("period", _l("Month")), Field("department_id", format="department"), CATEGORY,
     Field("amount", format="money"), Field("description", _l("Description")),
     Field("source", _l("Source"), "choice", choices={"entry": _l("Entered"), "import": _l("Imported")}),
     Field("created_at", format="datetime")),
    filters=(Filter("year", _l("Year"), choices=_years, clause=lambda value, user: BudgetActual.year == int(value)),
             Filter("department", _l("Department"), column="department_id", choices=_departments),
             Filter("category", _l("Category"), choices=cost_categories)),
    sorts=(NEWEST, Sort("amount", _l("Amount"), "amount")), search=("description",),
    scope=Scope(owner="created_by_id", widen=VIEW_ALL), export="budget.export_actuals")

VARIANCES = ListView(
    "budget.variances", VARIANCE,
    (Field("number"), Field("title"), Field("department_id", format="department"), CATEGORY,
     Field("overrun", _l("Overrun"), "money"), Field("controllable", _l("Controllable"), "bool"),
     Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=VARIANCE.statuses.choices),
             Filter("category", _l("Category"), choices=cost_categories)),
    sorts=(NEWEST, Sort("overrun", _l("Overrun"), "overrun")), search=("title", "number"), selectable=True,
    export="budget.export_variances")

ADJUSTMENTS = ListView(
    "budget.adjustments", ADJUSTMENT,
    (Field("number"), Field("title"), Field("from_department_id", _l("From department"), "department"),
     Field("to_department_id", _l("To department"), "department"), Field("amount", format="money"),
     Field("status", format="status"), Field("created_at", format="datetime")),
    filters=(Filter("status", _l("Status"), choices=ADJUSTMENT.statuses.choices),),
    sorts=(NEWEST, Sort("amount", _l("Amount"), "amount")), search=("title", "number"), selectable=True,
    export="budget.export_adjustments")


def _month(text: str) -> tuple[int, int]:
    """"2027-03" as (2027, 3), or Invalid beside the month field."""
    parts = (text or "").strip().replace("/", "-").split("-")
    if len(parts) == 2 and all(p.isdigit() for p in parts) and 2000 <= int(parts[0]) <= 2100 \
            and 1 <= int(parts[1]) <= 12:
        return int(parts[0]), int(parts[1])
    raise Invalid(N_("Enter a month such as 2027-03."), field="month")


def _this_month() -> tuple[int, int]:
    today = calendar().today(utcnow())
    return today.year, today.month


def _can_manage() -> bool:
    return current_user.can(MANAGE)


def _report_departments(user) -> list[int] | None:
    """The departments whose figures ``user`` reads: all with the widening permission, else
    those they head or are in charge of (their own department's head sees it)."""
    if user.can(VIEW_ALL):
        return None
    return sorted(org_chart().in_charge_of(user.id))


def remaining_now(department_id: int, category: str, on: date) -> dict | None:
    """The ``budget_remaining`` hook's answer."""
    return services.remaining(db.session, department_id, category, on, settings()["budget.over_policy"])


# -- annual budgets ------------------------------------------------------------------------
@bp.get("/")
@employee
def plans():
    return PLANS.render("budget/plans.html")


@bp.get("/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_plans(fmt: str):
    return PLANS.export(fmt)


def _lines(form) -> list[services.LineData]:
    return [services.LineData(category=row["category"], amount=row["amount"], justification=row["justification"],
                              phasing=row["phasing"]) for row in form.lines.data]


def _plan_form(document: BudgetPlan | None):
    formdata, line_button = edit_lines(request.form) if request.method == "POST" else (None, False)
    form = PlanForm(formdata=formdata, obj=document)
    if document is None and request.method == "GET":
        form.year.data = _this_month()[0] + 1
    for entry in form.lines.entries:
        entry.form.category.choices = options(cost_categories())
    categories = tuple(CATEGORIES)

    def apply(documents, document):
        if document is None:
            return services.create_plan(documents, form.year.data, _lines(form), signed_in_user(), categories,
                                        title=form.title.data)
        return services.update_plan(documents, document, form.year.data, _lines(form), current_user.id,
                                    categories, title=form.title.data)

    if not line_button:
        saved = _save(BUDGET_PLAN, document, form, apply)
        if saved is not None:
            return saved
    amounts = total(form.lines.data, "amount")
    status = 422 if request.method == "POST" and not line_button else 200
    return render("budget/plan_form.html", form=form, document=document, total=amounts, status=status)


def _save(kind, document, form, apply):
    """Save a budget (or send it to finance, with that button): the kit's approval
    submit does not apply, as a budget goes to finance before it is approved."""
    if not form.validate_on_submit():
        return None
    documents = current_documents()
    try:
        document = apply(documents, document)
        sending = bool(request.form.get("submit"))
        if sending:
            services.send_to_finance(documents, document, current_user.id)
    except DomainError as error:
        db.session.rollback()
        if error.status != 422:
            raise
        form_error(form, error)
        return None
    db.session.commit()
    flash(_("Sent to finance for consolidation.") if sending else _("Saved as a draft."), "success")
    return redirect(url_for("budget.plan", document_id=document.id))


@bp.route("/new", methods=["GET", "POST"])
@employee
def new_plan():
    return _plan_form(None)


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_plan(document_id: int):
    document = visible_document(BUDGET_PLAN, document_id)
    if not editable_by_me(BUDGET_PLAN, document):
        return redirect(url_for("budget.plan", document_id=document.id))
    return _plan_form(document)


@bp.get("/<int:document_id>")
@employee
def plan(document_id: int, errors: dict | None = None, status: int = 200):
    document = visible_document(BUDGET_PLAN, document_id)
    return render("budget/plan.html", **document_page(BUDGET_PLAN, document), manage=_can_manage(),
                  label=cost_category_label,
                  errors=errors or {}, status=status)


@bp.post("/<int:document_id>/send")
@employee
def send_plan(document_id: int):
    document = visible_document(BUDGET_PLAN, document_id)
    services.send_to_finance(current_documents(), document, current_user.id)
    db.session.commit()
    flash(_("Sent to finance for consolidation."), "success")
    return redirect(url_for("budget.plan", document_id=document.id))


@bp.post("/<int:document_id>/consolidate")
@permission_required(MANAGE)
def consolidate(document_id: int):
    """Finance's figures for the lines (and, with that button, send the budget for approval)."""
    document = visible_document(BUDGET_PLAN, document_id)
    documents = current_documents()
    changes, errors = [], {}
    for line in document.lines:
        try:
            amount = services.parse_amount(request.form.get(f"amount-{line.id}", ""))
        except Invalid as error:
            errors[f"amount-{line.id}"] = error.translate(_)
            continue
        changes.append(services.Consolidation(line.id, amount, request.form.get(f"reason-{line.id}", "")[:500]))
    try:
        if errors:
            raise Invalid(N_("Check the figures marked below."))
        services.consolidate(documents, document, changes)
        if request.form.get("forward"):
            services.forward_for_approval(documents, document, current_user.id)
    except Invalid as error:
        db.session.rollback()
        errors.setdefault(error.field or "form", error.translate(_))
        return plan(document_id, errors=errors, status=422)
    db.session.commit()
    flash(_("Sent for approval.") if request.form.get("forward") else _("The consolidated figures are saved."),
          "success")
    return redirect(url_for("budget.plan", document_id=document.id))


@bp.post("/<int:document_id>/return")
@permission_required(MANAGE)
def return_plan(document_id: int):
    document = visible_document(BUDGET_PLAN, document_id)
    services.return_to_department(current_documents(), document, current_user.id)
    db.session.commit()
    flash(_("Returned to the department."), "info")
    return redirect(url_for("budget.plan", document_id=document.id))


@bp.post("/<int:document_id>/publish")
@permission_required(MANAGE)
def publish_plan(document_id: int):
    document = visible_document(BUDGET_PLAN, document_id)
    services.publish(current_documents(), document, current_user.id)
    db.session.commit()
    flash(_("The budget is published."), "success")
    return redirect(url_for("budget.plan", document_id=document.id))


# -- actual costs ----------------------------------------------------------------------------
@bp.get("/actuals/")
@employee
def actuals():
    return ACTUALS.render("budget/actuals.html", manage=_can_manage())


@bp.get("/actuals/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_actuals(fmt: str):
    return ACTUALS.export(fmt)


def _department_ids() -> dict[str, int]:
    """A department by its code or its name, as an import names it."""
    found = {}
    for _depth, node in org_chart().tree():
        found[node.name] = found[node.code] = node.id
    return found


def _category_codes() -> dict[str, str]:
    found = {}
    for code, label in cost_categories():
        found[code] = code
        for language in ("en", "zh_CN"):
            found[_translated(label, language)] = code
    return found


def _translated(label, language: str) -> str:
    with force_locale(language):
        return str(label).lower() if language == "en" else str(label)


@bp.route("/actuals/new", methods=["GET", "POST"])
@permission_required(MANAGE)
def new_actual():
    form = ActualForm()
    form.department_id.choices = [(int(v), label) for v, label in _departments()]
    form.category.choices = options(cost_categories())
    if request.method == "GET":
        form.month.data = "%04d-%02d" % _this_month()
    if form.validate_on_submit():
        try:
            year, month = _month(form.month.data)
            services.add_actuals(db.session, [services.ActualData(
                form.department_id.data, form.category.data, year, month, form.amount.data, form.description.data)],
                current_user.id, categories=CATEGORIES, departments=[int(v) for v, _label in _departments()])
        except DomainError as error:
            db.session.rollback()
            if error.status != 422:
                raise
            form_error(form, error)
        else:
            db.session.commit()
            flash(_("The cost is recorded."), "success")
            return redirect(url_for("budget.actuals"))
    return render("budget/actual_form.html", form=form, status=form_status(form))


@bp.route("/actuals/import", methods=["GET", "POST"])
@permission_required(MANAGE)
def import_actuals():
    """Import actual costs from CSV or Excel: all rows or, with a report of every wrong row, none."""
    form, problems = ImportForm(), []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = services.read_import(upload.filename, upload.read(settings()["budget.import_max_rows"] * 400))
            records, problems = services.import_actuals(
                db.session, rows, current_user.id, departments=_department_ids(), categories=_category_codes(),
                max_rows=settings()["budget.import_max_rows"])
        except Invalid as error:
            db.session.rollback()
            form_error(form, error)
        else:
            if not problems:
                db.session.commit()
                flash(_("%(count)s costs imported.", count=len(records)), "success")
                return redirect(url_for("budget.actuals"))
            db.session.rollback()
            form.file.errors = [*form.file.errors, _("Nothing was imported: correct the rows below and try again.")]
    return render("budget/import.html", form=form, problems=problems, status=form_status(form) if not problems
                  else 422)


# -- the cost calendar ---------------------------------------------------------------------
@bp.route("/months/", methods=["GET", "POST"])
@employee
def months():
    year = int(request.args.get("year") or _this_month()[0]) if (request.args.get("year") or "0").isdigit() \
        else _this_month()[0]
    year = min(max(year, 2000), 2100)
    found = {p.month: p for p in db.session.scalars(select(BudgetPeriod).where(BudgetPeriod.year == year))}
    return render("budget/months.html", year=year, periods=found, form=MonthForm(), manage=_can_manage(),
                  close_day=settings()["budget.close_day"])


def _month_action(action, message):
    form = MonthForm()
    if not form.validate_on_submit():
        abort(422)
    try:
        year, month = _month(form.month.data)
    except Invalid:
        abort(422)
    action(db.session, year, month, current_user.id)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("budget.months", year=year))


@bp.post("/months/close")
@permission_required(MANAGE)
def close_month():
    return _month_action(services.close_month, _("The month is closed."))


@bp.post("/months/reopen")
@permission_required(MANAGE)
def reopen_month():
    return _month_action(services.reopen_month, _("The month is open again."))


@bp.post("/months/issue")
@permission_required(MANAGE)
def issue_report():
    return _month_action(services.issue_report, _("The execution report is issued."))


# -- the execution report --------------------------------------------------------------------
def _report_args():
    default = _this_month()
    year, month = default
    text = request.args.get("month", "")
    if text:
        try:
            year, month = _month(text)
        except Invalid:
            pass
    return year, month


def _build_report(user):
    year, month = _report_args()
    departments = _report_departments(user)
    chosen = request.args.get("department", "")
    if chosen.isdigit():
        departments = [int(chosen)] if departments is None or int(chosen) in departments else []
    found = reports.execution_report(db.session, year, month, departments=departments,
                                     overrun_margin=settings()["budget.overrun_forecast_margin"])
    return found, departments


def _charts(found) -> dict:
    labels = [f"{m}" for m in range(1, 13)]
    bars = BarChart(_("Budget, committed and actual by month"), categories=labels, series=[
        Series(_("Budget"), found.budget_by_month, tone="info"),
        Series(_("Committed"), found.committed_by_month, tone="warn"),
        Series(_("Actual"), found.actual_by_month, tone="ok")], format="money", category_label=_("Month"),
        id="budget-by-month", width=640)
    shares = DonutChart(_("Cost categories this month"), [
        Slice(cost_category_label(category), now or 0) for category, (now, _before) in found.shares.items()],
        format="percent", id="budget-shares")
    return {"by_month": bars, "shares": shares}


@bp.get("/report")
@employee
def execution():
    found, departments = _build_report(current_user)
    settings_ = settings()
    warnings = reports.labour_share_warnings(db.session, found.year, found.month,
                                             margin=settings_["budget.labour_share_margin"],
                                             months=settings_["budget.labour_share_months"],
                                             departments=departments)
    return render("budget/report.html", report=found, charts=_charts(found), warnings=warnings,
                  month_text=f"{found.year}-{found.month:02d}", departments=_departments(),
                  names={node.id: node.name for _depth, node in org_chart().tree()},
                  chosen=request.args.get("department", ""), label=cost_category_label)


REPORT_COLUMNS = (_l("Department"), _l("Category"), _l("Budget (year)"), _l("Budget (month)"), _l("Actual (month)"),
                  _l("Budget to date"), _l("Actual to date"), _l("Used"), _l("Committed"), _l("Remaining"),
                  _l("Forecast"), _l("Likely to overrun"))


@bp.get("/report.<any(csv, xlsx):fmt>")
@employee
@writes
def export_report(fmt: str):
    found, _departments_ = _build_report(current_user)
    org = org_chart()
    rows = [[(org.get(r.department_id).name if org.get(r.department_id) else r.department_id),
             cost_category_label(r.category), r.budget, r.budget_month, r.actual_month, r.budget_to_date,
             r.actual_to_date, (f"{r.used:.1%}" if r.used is not None else ""), r.committed, r.remaining, r.forecast,
             _("Yes") if r.likely_overrun else ""] for r in found.lines]
    return export_response(f"budget-report-{found.year}-{found.month:02d}", [str(c) for c in REPORT_COLUMNS], rows,
                           fmt, module="budget")


# -- variance explanations -------------------------------------------------------------------
@bp.get("/variances/")
@employee
def variances():
    return VARIANCES.render("budget/variances.html")


@bp.get("/variances/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_variances(fmt: str):
    return VARIANCES.export(fmt)


def _variance_form(document):
    form = VarianceForm(obj=document)
    form.category.choices = options(cost_categories())
    if request.method == "GET" and document is None:
        form.month.data = request.args.get("month", "")[:7]
        form.category.data = request.args.get("category", "")[:30]
    elif request.method == "GET":
        form.month.data = f"{document.year}-{document.month:02d}"

    def apply(documents, document):
        year, month = _month(form.month.data)
        data = services.VarianceData(year, month, form.category.data, form.cause.data, form.controllable.data,
                                     form.remedy.data)
        if document is None:
            return services.create_variance(documents, data, signed_in_user())
        return services.update_variance(documents, document, data, current_user.id)

    saved = save_document(VARIANCE, document, form, apply, files=None)
    return saved or render("budget/variance_form.html", form=form, document=document, status=form_status(form))


@bp.route("/variances/new", methods=["GET", "POST"])
@employee
def new_variance():
    return _variance_form(None)


@bp.route("/variances/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_variance(document_id: int):
    document = visible_document(VARIANCE, document_id)
    if not editable_by_me(VARIANCE, document):
        return redirect(url_for("budget.variance", document_id=document.id))
    return _variance_form(document)


@bp.get("/variances/<int:document_id>")
@employee
def variance(document_id: int):
    document = visible_document(VARIANCE, document_id)
    return render("budget/variance.html", **document_page(VARIANCE, document), label=cost_category_label)


# -- adjustment requests ---------------------------------------------------------------------
@bp.get("/adjustments/")
@employee
def adjustments():
    return ADJUSTMENTS.render("budget/adjustments.html")


@bp.get("/adjustments/export.<any(csv, xlsx):fmt>")
@employee
@writes
def export_adjustments(fmt: str):
    return ADJUSTMENTS.export(fmt)


def _adjustment_form(document):
    form = AdjustmentForm(obj=document)
    departments = [(int(v), label) for v, label in _departments()]
    form.from_department_id.choices = form.to_department_id.choices = departments
    form.from_category.choices = form.to_category.choices = options(cost_categories())
    if request.method == "GET" and document is None:
        form.month.data = "%04d-%02d" % _this_month()
        form.from_department_id.data = form.to_department_id.data = current_user.department_id
    elif request.method == "GET":
        form.month.data = f"{document.year}-{document.month:02d}"

    def apply(documents, document):
        year, month = _month(form.month.data)
        data = services.AdjustmentData(year, month, form.from_department_id.data, form.from_category.data,
                                       form.to_department_id.data, form.to_category.data, form.amount.data,
                                       form.reason.data)
        if document is None:
            return services.create_adjustment(documents, data, signed_in_user())
        return services.update_adjustment(documents, document, data, current_user.id)

    saved = save_document(ADJUSTMENT, document, form, apply, files=None)
    return saved or render("budget/adjustment_form.html", form=form, document=document, status=form_status(form))


@bp.route("/adjustments/new", methods=["GET", "POST"])
@employee
def new_adjustment():
    return _adjustment_form(None)


@bp.route("/adjustments/<int:document_id>/edit", methods=["GET", "POST"])
@employee
def edit_adjustment(document_id: int):
    document = visible_document(ADJUSTMENT, document_id)
    if not editable_by_me(ADJUSTMENT, document):
        return redirect(url_for("budget.adjustment", document_id=document.id))
    return _adjustment_form(document)


@bp.get("/adjustments/<int:document_id>")
@employee
def adjustment(document_id: int):
    document = visible_document(ADJUSTMENT, document_id)
    return render("budget/adjustment.html", **document_page(ADJUSTMENT, document), label=cost_category_label,
                  names={node.id: node.name for _depth, node in org_chart().tree()})


# -- the dashboard -----------------------------------------------------------------------------
def dashboard(user) -> dict:
    """The widget: this year's budget against committed and actual for what the person reads,
    and the overruns that still need an explanation."""
    year, month = _this_month()
    departments = _report_departments(user)
    if departments == []:
        departments = [user.department_id] if user.department_id else []
    found = reports.execution_report(db.session, year, month, departments=departments)
    chart = BarChart(_("Budget against actual this year"), categories=[_("Budget"), _("Committed"), _("Actual")],
                     series=[Series(_("Amount"), [found.total("budget"), found.total("committed"),
                                                  found.total("actual_to_date")], tone="info")],
                     format="money", id="budget-widget")
    unexplained = [line for line in found.overruns if not line.explained]
    last_year, last_month = (year, month - 1) if month > 1 else (year - 1, 12)
    config = settings()
    warned = reports.labour_share_warnings(db.session, last_year, last_month,
                                           margin=config["budget.labour_share_margin"],
                                           months=config["budget.labour_share_months"], departments=departments)
    org = org_chart()
    return {"chart": chart, "unexplained": unexplained, "year": year, "month": month, "label": cost_category_label,
            "warned": [(org.get(d).name if org.get(d) else d, rows) for d, rows in warned.items()],
            "last": f"{last_year}-{last_month:02d}"}
