"""IT and system administration: modules, settings, roles, work calendar."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth.permissions import save_matrix
from ..calendar import CalendarDay
from ..db import db, utcnow
from ..errors import DomainError, Invalid
from ..i18n import gettext as _
from ..org.models import Role, role_label
from ..settings import MAX_ROWS, Settings, SettingValue, load_overrides
from ..web import calendar, enabled_hooks, form_status, permission_required, render, settings, snapshot
from ..web.context import forget_snapshot, state
from . import switchboard
from .forms import CalendarDayForm, RoleForm
from ..approvals.queries import pending_by_module

bp = Blueprint("admin", __name__, url_prefix="/admin")


# -- modules -----------------------------------------------------------------------
def _module_rows():
    return switchboard.overview(state().registry, switchboard.load_module_states(db.session),
                                pending_by_module(db.session))


@bp.get("/modules")
@permission_required("core.modules.manage")
def modules():
    return render("admin/modules.html", "admin/_modules.html", rows=_module_rows())


@bp.get("/modules/<key>/switch-off")
@permission_required("core.modules.manage")
def confirm_off(key: str):
    """What switching a module off affects, shown before IT confirms."""
    row = next((r for r in _module_rows() if r.key == key), None) or abort(404)
    return render("admin/module_off.html", "admin/_module_off.html", row=row)


@bp.post("/modules/<key>")
@permission_required("core.modules.manage")
def switch(key: str):
    enabled = request.form.get("enabled") == "1"
    try:
        switchboard.set_enabled(db.session, state().registry, key, enabled, actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        flash(error.translate(_), "error")
        return render("admin/modules.html", "admin/_modules.html", rows=_module_rows(), status=error.status)
    db.session.commit()
    forget_snapshot()
    module = state().registry.modules[key]
    flash((_("%(title)s is switched on.") if enabled else _("%(title)s is switched off; its data is kept."))
          % {"title": module.info.title}, "success")
    response = render("admin/modules.html", "admin/_modules.html", rows=_module_rows())
    response.headers["HX-Refresh"] = "true"  # the navigation changes with the module
    return response


# -- settings ----------------------------------------------------------------------
def _setting_groups():
    registry, values = state().registry, settings()
    titles = {key: module.info.title for key, module in registry.modules.items()}
    groups: dict[str, list] = {}
    for setting, value in ((s, values[k]) for k, s in state().settings.items() if not s.hidden):
        groups.setdefault(setting.module, []).append((setting, value))
    order = ["core"] + sorted(k for k in groups if k != "core")
    return [(key, titles.get(key, _("Core")), groups[key]) for key in order if key in groups]


def _save_settings(declared, changes: dict) -> dict[str, str]:
    """Store changed settings and tell the modules, in one transaction; problems by setting key."""
    before = settings()
    for key, value in changes.items():
        row = db.session.get(SettingValue, key) or SettingValue(key=key)
        row.value, row.updated_by_id = value, current_user.id
        db.session.add(row)
    db.session.flush()
    after = Settings(declared, load_overrides(db.session))
    try:
        enabled_hooks().intranet_settings_changed(
            session=db.session, settings=after, changed={key: (before[key], after[key]) for key in changes},
            actor_id=current_user.id)
    except Invalid as error:  # e.g. a policy that follows the setting cannot take the new value
        db.session.rollback()
        return {error.field if error.field in changes else next(iter(changes)): error.translate(_)}
    db.session.commit()
    return {}


@bp.route("/settings", methods=["GET", "POST"])
@permission_required("core.settings.manage")
def settings_page():
    errors: dict[str, str] = {}
    submitted: dict[str, str] = {}
    spots: dict[str, tuple] = {}  # which limit or cell of a structured setting the error is about
    if request.method == "POST":
        declared = state().settings
        changes = {}
        for key, setting in declared.items():
            if setting.hidden or (key not in request.form and setting.type != "bool"):
                continue
            if setting.type == "bool":
                raw = key in request.form
            elif setting.type == "list" and setting.choices:  # ticked boxes, after an empty marker
                raw = [item for item in request.form.getlist(key) if item]
            elif setting.type == "bands":  # one field per limit
                raw = request.form.getlist(key)
            elif setting.type == "table":
                raw = _posted_rows(setting)
            else:
                raw = request.form.get(key, "")
            submitted[key] = raw
            try:
                value = setting.parse(raw)
            except Invalid as error:
                errors[key] = error.translate(_)
                spots[key] = (error.params.get("row"), error.params.get("cell"))
                continue
            if value != settings()[key]:
                changes[key] = setting.to_json(value)
        if not errors and changes:
            errors = _save_settings(declared, changes)
        if not errors:
            forget_snapshot()
            flash(_("Settings saved (%(count)s changed).", count=len(changes)), "success")
            return redirect(url_for("admin.settings_page", module=request.args.get("module")))
    module = request.args.get("module")
    groups = [g for g in _setting_groups() if not module or g[0] == module]
    roles = db.session.scalars(select(Role).order_by(Role.sort_order, Role.key)).all()
    return render("admin/settings.html", groups=groups, errors=errors, submitted=submitted, spots=spots,
                  structured=_structured(groups, submitted),
                  role_names={role.key: role_label(role) for role in roles}, status=422 if errors else 200)


def _posted_rows(setting) -> list[dict]:
    """A table setting's rows as posted (fields ``<key>-<row>-<column>``), in order."""
    rows = []
    for index in range(MAX_ROWS + 1):
        row = {c.key: request.form.get(f"{setting.key}-{index}-{c.key}") for c in setting.columns}
        if any(v is not None for v in row.values()):
            rows.append({k: v or "" for k, v in row.items()})
    return rows


def _structured(groups, submitted) -> dict[str, list]:
    """What the fields of bands and tables show: the limits or rows as typed (or stored), and room for more."""
    shown = {}
    for _module, _title, items in groups:
        for setting, value in items:
            if setting.type == "bands":
                limits = submitted.get(setting.key)
                limits = [f"{limit:,}" for limit in value] if limits is None else [v for v in limits if v.strip()]
                shown[setting.key] = limits + ["", ""]
            elif setting.type == "table":
                rows = submitted.get(setting.key)
                if rows is None:
                    rows = [{k: "" if v is None else f"{v:,}" if isinstance(v, Decimal) else str(v)
                             for k, v in row.items()} for row in value]
                shown[setting.key] = list(rows) + [{}]
    return shown


# -- roles -------------------------------------------------------------------------
def _roles() -> list[Role]:
    return list(db.session.scalars(select(Role).order_by(Role.sort_order, Role.key)))


@bp.route("/roles", methods=["GET", "POST"])
@permission_required("core.roles.manage")
def roles():
    roles = _roles()
    permissions = sorted(state().permissions.values(), key=lambda p: p.key)
    form = RoleForm()
    granted, matrix_error = snapshot()["grants"], None
    if request.method == "POST" and request.form.get("matrix") == "1":
        wanted = {tuple(cell.split("|", 1)) for cell in request.form.getlist("grant") if "|" in cell}
        try:
            save_matrix(db.session, wanted, (r.key for r in roles), (p.key for p in permissions))
        except Invalid as error:
            db.session.rollback()
            roles, matrix_error = _roles(), error.translate(_)
            granted = {}  # show what was ticked, to correct it
            for role_key, permission in wanted:
                granted.setdefault(role_key, set()).add(permission)
        else:
            db.session.commit()
            forget_snapshot()
            flash(_("Permissions saved."), "success")
            return redirect(url_for("admin.roles"))
    elif form.validate_on_submit():
        key = form.key.data.strip().lower()
        if db.session.get(Role, key) is not None:
            form.key.errors.append(_("A role with this key exists."))
        else:
            db.session.add(Role(key=key, name=form.name.data.strip(), builtin=False, sort_order=1000))
            db.session.commit()
            flash(_("Role %(name)s added.", name=form.name.data.strip()), "success")
            return redirect(url_for("admin.roles"))
    modules = {key: m.info.title for key, m in state().registry.modules.items()}
    grouped: dict[str, list] = {}
    for permission in permissions:
        grouped.setdefault(permission.module, []).append(permission)
    return render("admin/roles.html", roles=roles, grouped=grouped, granted=granted, form=form,
                  modules=modules, role_label=role_label, matrix_error=matrix_error,
                  status=422 if matrix_error else form_status(form))


# -- work calendar -----------------------------------------------------------------
@bp.route("/calendar", methods=["GET", "POST"])
@permission_required("core.calendar.manage")
def work_calendar():
    year = request.args.get("year", type=int) or calendar().today(utcnow()).year
    year = min(max(year, 2000), 2100)
    form = CalendarDayForm()
    if form.validate_on_submit():
        day = db.session.get(CalendarDay, form.day.data) or CalendarDay(day=form.day.data)
        day.name, day.is_workday = form.name.data.strip(), form.is_workday.data
        db.session.add(day)
        db.session.commit()
        forget_snapshot()
        flash(_("Saved %(day)s.", day=form.day.data.isoformat()), "success")
        return redirect(url_for("admin.work_calendar", year=form.day.data.year))
    days = db.session.scalars(select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                        CalendarDay.day <= date(year, 12, 31))
                              .order_by(CalendarDay.day)).all()
    weekend = state().settings["core.weekend_days"].describe(settings()["core.weekend_days"])
    company_calendar = calendar()
    return render("admin/calendar.html", form=form, days=days, year=year, weekend_names=weekend,
                  official=company_calendar.official_days(year), official_setting=company_calendar.official,
                  status=form_status(form))


@bp.post("/calendar/<day>/delete")
@permission_required("core.calendar.manage")
def delete_calendar_day(day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    db.session.delete(db.session.get(CalendarDay, parsed) or abort(404))
    db.session.commit()
    forget_snapshot()
    return redirect(url_for("admin.work_calendar", year=parsed.year))
