"""The directory every employee uses, and the organisation admin pages."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..audit.context import vocabulary as audit_vocabulary
from ..auth import services as auth_services
from ..auth.views import password_rules
from ..db import contains, db
from ..errors import N_, Invalid
from ..i18n import gettext as _
from ..pagination import clamp, paginate
from ..web import arg_id, employee, form_error, form_status, org_chart, permission_required, render, settings, writes
from ..web.export import export_response
from ..web.forms import options
from . import importing, services
from .forms import DepartmentForm, ImportForm, PositionForm, ProfileForm, UserForm
from .models import Department, Position, Role, User, role_label

bp = Blueprint("org", __name__, url_prefix="/org")

MANAGE = "core.org.manage"


def _page_args():
    return clamp(request.args.get("page"), request.args.get("per_page"), settings()["core.page_size"])


def _department_pairs():
    return [(None, "—")] + [(node.id, "　" * depth + node.name) for depth, node in org_chart().tree()]


def _position_pairs():
    rows = db.session.execute(select(Position.id, Position.name).order_by(Position.name))
    return [(None, "—")] + [(pid, name) for pid, name in rows]


def _role_pairs():
    return [(role.key, role_label(role)) for role in
            db.session.scalars(select(Role).order_by(Role.sort_order, Role.key))]


# -- directory -------------------------------------------------------------------
def _people_query(text: str, department_id: int | None, include_left: bool = False):
    query = select(User).options(selectinload(User.position), selectinload(User.roles))
    if not include_left:
        query = query.where(User.active)
    if text:
        query = query.where(or_(contains(User.name, text), contains(User.employee_no, text),
                                contains(User.username, text), contains(User.email, text)))
    if department_id:
        query = query.where(User.department_id.in_(sorted(org_chart().subtree(department_id))))
    return query


@bp.get("/people")
@employee
def directory():
    text = (request.args.get("q") or "").strip()[:50]
    department_id = arg_id("department")
    number, per_page = _page_args()
    page = paginate(db.session, _people_query(text, department_id).order_by(User.employee_no),
                    page=number, per_page=per_page)
    return render("org/directory.html", "org/_people.html", page=page, q=text, department_id=department_id,
                  departments=_department_pairs(), chart=org_chart())


@bp.get("/people/<int:user_id>")
@employee
def person(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    history = audit.history(db.session, "core_user", user.id) if current_user.can(MANAGE) else []
    return render("org/person.html", person=user, chart=org_chart(), history=history,
                  words=audit_vocabulary() if history else None)


@bp.get("/lookup")
@employee
def lookup():
    """Suggestions for employee-number fields (a <datalist>); the field sends its own name."""
    text = request.args.get("q") or next(iter(request.args.values()), "")
    return render("org/_lookup.html", people=services.find_employees(db.session, text))


@bp.get("/departments")
@employee
def departments():
    chart = org_chart()
    ids = {n.head_id for n in chart.nodes.values()} | {n.vp_id for n in chart.nodes.values()}
    ids.discard(None)
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
    counts = dict(db.session.execute(select(User.department_id, func.count()).where(User.active)
                                     .group_by(User.department_id)).all())
    return render("org/departments.html", tree=chart.tree(), names=names, counts=counts)


@bp.route("/me", methods=["GET", "POST"])
@employee
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if request.method == "GET":
        form.language.data = user.language or ""
    if form.validate_on_submit():
        if not services.PHONE.match(form.phone.data.strip()):
            form.phone.errors.append(_("Use digits, spaces and + - ( ) only."))
        else:
            user.language = form.language.data or None
            user.phone = form.phone.data.strip()
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("org.profile"))
    return render("org/profile.html", form=form, person=user, status=form_status(form))


# -- users (admin) ---------------------------------------------------------------
def _user_filters() -> dict:
    return {"q": (request.args.get("q") or "").strip()[:50],
            "department": arg_id("department"),
            "status": request.args.get("status", "active"),
            "role": request.args.get("role", "")}


def _users_query(filters: dict):
    query = _people_query(filters["q"], filters["department"], include_left=True)
    if filters["status"] in ("active", "left"):
        query = query.where(User.active.is_(filters["status"] == "active"))
    if filters["role"]:
        query = query.where(User.roles.any(Role.key == filters["role"]))
    return query.order_by(User.employee_no)


@bp.get("/admin/users")
@permission_required(MANAGE)
def users():
    filters = _user_filters()
    number, per_page = _page_args()
    page = paginate(db.session, _users_query(filters), page=number, per_page=per_page, count=True)
    return render("org/users.html", "org/_users.html", page=page, filters=filters,
                  departments=_department_pairs(), roles=_role_pairs(), chart=org_chart())


@bp.get("/admin/users/export.<any(csv, xlsx):fmt>")
@permission_required(MANAGE)
@writes
def export_users(fmt: str) -> Response:
    query = _users_query(_user_filters())
    chart = org_chart()
    columns = [_("Employee number"), _("User name"), _("Full name"), _("E-mail"), _("Phone"), _("Department"),
               _("Roles"), _("Employed")]
    rows = ([u.employee_no, u.username, u.name, u.email or "", u.phone,
             chart.get(u.department_id).name if chart.get(u.department_id) else "",
             "; ".join(r.key for r in u.roles), _("yes") if u.active else _("no")]
            for u in db.session.scalars(query.limit(50_000)))
    return export_response("users", columns, rows, fmt, module="core")


def _resolve_employee(form_field, employee_no: str) -> int | None:
    """Turn an employee number typed into a form into a user id (error beside the field)."""
    if not employee_no.strip():
        return None
    found = services.user_by_number(db.session, employee_no)
    if found is None:
        form_field.errors.append(_("No employee has number %(number)s.", number=employee_no.strip()))
    return found.id if found else None


@bp.route("/admin/users/new", methods=["GET", "POST"], endpoint="new_user")
@bp.route("/admin/users/<int:user_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit_user(user_id: int | None = None):
    user = db.session.get(User, user_id) or abort(404) if user_id else None
    form = UserForm(obj=user)
    form.department_id.choices = options(_department_pairs())
    form.position_id.choices = options(_position_pairs())
    form.role_keys.choices = options(_role_pairs())
    if request.method == "GET":
        form.language.data = (user.language or "") if user else ""
        form.role_keys.data = sorted(user.role_keys) if user else ["employee"]
        form.manager.data = user.manager.employee_no if user and user.manager else ""
    if form.validate_on_submit():
        manager_id = _resolve_employee(form.manager, form.manager.data)
        data = services.UserData(
            username=form.username.data, employee_no=form.employee_no.data, name=form.name.data,
            email=form.email.data, phone=form.phone.data, department_id=form.department_id.data,
            position_id=form.position_id.data, manager_id=manager_id, language=form.language.data,
            active=form.active.data, left_on=form.left_on.data, role_keys=form.role_keys.data)
        for problem in services.check_user(db.session, data, user):
            form_error(form, problem)
        if not form.errors:
            try:
                user = services.save_user(db.session, user or User(), data)
            except Invalid as error:
                db.session.rollback()
                form_error(form, error)
            else:
                db.session.commit()
                flash(_("Saved %(name)s.", name=user.name), "success")
                return redirect(url_for("org.person", user_id=user.id))
    return render("org/user_form.html", form=form, person=user, status=form_status(form))


@bp.post("/admin/users/<int:user_id>/reset-password")
@permission_required("core.users.reset_password")
def reset_password(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    temporary = auth_services.reset_password(db.session, user, password_rules())
    db.session.commit()
    return render("org/password_reset.html", person=user, temporary=temporary)


# -- departments and positions (admin) -------------------------------------------
@bp.route("/admin/departments/new", methods=["GET", "POST"], endpoint="new_department")
@bp.route("/admin/departments/<int:department_id>/edit", methods=["GET", "POST"])
@permission_required(MANAGE)
def edit_department(department_id: int | None = None):
    department = db.session.get(Department, department_id) or abort(404) if department_id else None
    form = DepartmentForm(obj=department)
    form.parent_id.choices = options(c for c in _department_pairs() if c[0] is None or c[0] != department_id)
    if request.method == "GET" and department:
        form.head.data = department.head.employee_no if department.head else ""
        form.vp.data = department.vp.employee_no if department.vp else ""
    if form.validate_on_submit():
        data = services.DepartmentData(
            name=form.name.data, code=form.code.data, parent_id=form.parent_id.data,
            head_id=_resolve_employee(form.head, form.head.data), vp_id=_resolve_employee(form.vp, form.vp.data),
            sort_order=form.sort_order.data or 0, active=form.active.data)
        for problem in services.check_department(db.session, data, department):
            form_error(form, problem)
        if not form.errors:
            services.save_department(db.session, data, department)
            db.session.commit()
            flash(_("Saved department %(name)s.", name=data.name.strip()), "success")
            return redirect(url_for("org.departments"))
    return render("org/department_form.html", form=form, department=department, status=form_status(form))


@bp.route("/admin/positions", methods=["GET", "POST"])
@bp.route("/admin/positions/<int:position_id>", methods=["GET", "POST"])
@permission_required(MANAGE)
def positions(position_id: int | None = None):
    position = db.session.get(Position, position_id) or abort(404) if position_id else None
    form = PositionForm(obj=position)
    form.department_id.choices = options(_department_pairs())
    if form.validate_on_submit():
        position = position or Position()
        form.populate_obj(position)
        position.name = position.name.strip()
        db.session.add(position)
        db.session.commit()
        flash(_("Saved position %(name)s.", name=position.name), "success")
        return redirect(url_for("org.positions"))
    number, per_page = _page_args()
    page = paginate(db.session, select(Position).order_by(Position.name), page=number, per_page=per_page)
    return render("org/positions.html", form=form, position=position, page=page, chart=org_chart(),
                  status=form_status(form))


# -- CSV import ------------------------------------------------------------------
IMPORTERS = {
    "users": (importing.import_users, importing.USER_COLUMNS,
              [["E1001", "zhangsan", "张三", "zhangsan@example.com", "13800000000", "RD", "", "E0001",
                "employee", "zh_CN", "yes"]]),
    "departments": (importing.import_departments, importing.DEPARTMENT_COLUMNS,
                    [["RD", "研发部", "GMO", "E0001", "", "10"]]),
}


@bp.route("/admin/import/<kind>", methods=["GET", "POST"])
@permission_required(MANAGE)
def import_csv(kind: str):
    if kind not in IMPORTERS:
        abort(404)
    importer, columns, _example = IMPORTERS[kind]
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(importing.MAX_ROWS * 1000 + 1)
        try:
            if len(data) > importing.MAX_ROWS * 1000:
                raise Invalid(N_("The file is too large."), field="file")
            report = importer(db.session, data)
        except Invalid as error:
            db.session.rollback()
            form_error(form, error)
        else:
            if report.ok:
                audit.record(db.session, "import", entity=f"core_{kind}", details={
                    "created": report.created, "updated": report.updated})
                db.session.commit()
                flash(_("Imported: %(created)s new, %(updated)s updated.", created=report.created,
                        updated=report.updated), "success")
                return redirect(url_for("org.users" if kind == "users" else "org.departments"))
            db.session.rollback()
    status = 422 if (report and not report.ok) else form_status(form)
    return render("org/import.html", form=form, kind=kind, columns=columns, report=report, status=status)


@bp.get("/admin/import/<kind>/template.csv")
@permission_required(MANAGE)
def import_template(kind: str):
    if kind not in IMPORTERS:
        abort(404)
    _importer, columns, example = IMPORTERS[kind]
    body = "\ufeff" + importing.template_csv(columns, example)
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={kind}-template.csv"})
