"""The approval inbox, the request page, delegations and the policy pages."""
from __future__ import annotations

from datetime import timezone
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..db import db, utcnow
from ..errors import N_, DomainError, Invalid
from ..files import FileRules, StoredFile, download_response, save_upload
from ..i18n import gettext as _
from ..i18n import ngettext
from ..org.models import Role, User, role_label
from ..pagination import clamp, paginate
from ..web import (calendar, employee, enabled_modules, form_error, form_status, org_chart, permission_required,
                   render, safe_next, settings, wants_fragment, writes)
from ..web.context import state
from ..web.filters import money
from ..web.forms import options
from . import checker
from . import inbox as queries
from .context import current_engine
from .forms import (AddSignerForm, CommentForm, DecisionForm, DelegationForm, PolicyForm, ReasonForm, TransferForm,
                    edit_rules, form_to_rules, rules_to_form_data)
from .models import ApprovalAction, ApprovalPolicy, ApprovalRequest, Delegation, StepStatus
from .policy import OPERATOR_SIGNS, SELECTOR_KINDS, SELECTORS_WITH_VALUE, setting_key, setting_value

bp = Blueprint("approvals", __name__, url_prefix="/approvals")

POLICIES = "core.approvals.policies"


def _types():
    """Approval types of switched-on modules."""
    enabled = enabled_modules()
    return {key: kind for key, kind in state().approval_types.items() if kind.module in enabled}


# -- the inbox ---------------------------------------------------------------------
def _filter() -> queries.InboxFilter:
    args = request.args

    def amount(name):
        try:
            value = Decimal(args.get(name, "").replace(",", ""))
        except InvalidOperation:
            return None
        return value if value.is_finite() and abs(value) < Decimal("1e13") else None

    days = args.get("older", "")
    return queries.InboxFilter(module=args.get("module") or None, type_key=args.get("type") or None,
                             older_than_days=int(days) if days.isdigit() and int(days) < 3650 else None,
                             amount_min=amount("min"), amount_max=amount("max"), text=(args.get("q") or "")[:50])


def _page(tab: str, flt: queries.InboxFilter):
    engine = current_engine()
    number, per_page = clamp(request.args.get("page"), request.args.get("per_page"), settings()["core.page_size"])
    modules, now = queries.modules_to_show(state().approval_types, enabled_modules()), utcnow()
    if tab == "waiting":
        query = queries.waiting(current_user.id, engine.delegators(current_user.id), modules, flt, now)
    else:
        query = getattr(queries, tab)(current_user.id, modules, flt, now)
    rows = paginate(db.session, query, page=number, per_page=per_page, scalars=tab in ("submitted", "copied"))
    if tab in ("submitted", "copied"):
        rows.items = [(None, r) for r in rows.items]
    documents = queries.documents(db.session, _types(), (r for _t, r in rows.items))
    return rows, documents


@bp.get("/")
@employee
def inbox():
    tab = request.args.get("tab", "waiting")
    if tab not in queries.TABS:
        tab = "waiting"
    flt = _filter()
    rows, documents = _page(tab, flt)
    types = _types()
    titles = {key: module.info.title for key, module in state().registry.modules.items()}
    modules = [(key, titles.get(key, key)) for key in sorted({k.module for k in types.values()})]
    return render("approvals/inbox.html", "approvals/_inbox_rows.html", tab=tab, page=rows, documents=documents,
                  types=types, modules=modules, now=utcnow(), args=request.args)


def _task_id():
    value = request.form.get("task_id", "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _after_decision(request_id: int, message: str, row=None):
    """Answer a decision: the inbox ``row`` for htmx, otherwise back where the user came from."""
    if row is not None:
        response = row
    elif wants_fragment():
        response = Response(status=204)
        response.headers["HX-Refresh"] = "true"
        flash(message, "success")
    else:
        flash(message, "success")
        fallback = url_for("approvals.request_page", request_id=request_id)
        response = redirect(safe_next(request.form.get("next"), fallback))
    response.headers["HX-Trigger"] = "counts-changed"
    return response


def _refused(request_id: int, error: DomainError):
    db.session.rollback()
    message = error.translate(_)
    if wants_fragment() and request.form.get("row"):
        approval = db.session.get(ApprovalRequest, request_id)
        return render("approvals/_row_decided.html", approval=approval, message=message, failed=True,
                      status=error.status)
    if error.status == 422:  # show the form again with the message beside its field
        return _show_request(request_id, problem=(error.field, message), status=422)
    if error.status == 409:  # decided, withdrawn or switched off meanwhile: show where it stands
        flash(message, "error")
        return _show_request(request_id, status=409)
    raise error


def _decide(request_id: int, action, message: str):
    try:
        outcome = action(current_engine())
    except DomainError as error:
        return _refused(request_id, error)
    row = None
    if wants_fragment() and request.form.get("row"):
        # Drawn from the request the decision changed, before the commit expires it;
        # a message to flash waits until the decision is stored.
        approval = outcome if isinstance(outcome, ApprovalRequest) else db.session.get(ApprovalRequest, request_id)
        row = render("approvals/_row_decided.html", approval=approval, message=message)
    db.session.commit()
    return _after_decision(request_id, message, row)


@bp.post("/<int:request_id>/approve")
@employee
def approve(request_id: int):
    form = DecisionForm()
    return _decide(request_id, lambda engine: engine.approve(request_id, current_user.id, comment=form.comment.data,
                                                             task_id=_task_id()), _("Approved."))


@bp.post("/<int:request_id>/reject")
@employee
def reject(request_id: int):
    form = ReasonForm()
    return _decide(request_id, lambda engine: engine.reject(request_id, current_user.id, reason=form.reason.data,
                                                            task_id=_task_id()), _("Rejected."))


@bp.post("/<int:request_id>/return")
@employee
def return_(request_id: int):
    form = ReasonForm()
    position = request.form.get("to_position", "")
    return _decide(request_id, lambda engine: engine.return_(
        request_id, current_user.id, reason=form.reason.data,
        to_position=int(position) if position.isdigit() and len(position) < 4 else None, task_id=_task_id()),
        _("Returned."))


@bp.post("/<int:request_id>/withdraw")
@employee
def withdraw(request_id: int):
    return _decide(request_id, lambda engine: engine.withdraw(request_id, current_user.id,
                                                              reason=request.form.get("reason", "")),
                   _("Withdrawn."))


@bp.post("/<int:request_id>/remind")
@employee
def remind(request_id: int):
    return _decide(request_id, lambda engine: engine.remind(request_id, current_user.id),
                   _("The approvers have been reminded."))


def _employee_id(number: str, field: str) -> int:
    found = db.session.scalar(select(User.id).where(User.employee_no == (number or "").strip()))
    if found is None:
        raise Invalid(N_("No employee has number %(number)s."), field=field, number=(number or "").strip()[:32])
    return found


@bp.post("/<int:request_id>/transfer")
@employee
def transfer(request_id: int):
    form = TransferForm()
    return _decide(request_id, lambda engine: engine.transfer(
        request_id, current_user.id, to_user_id=_employee_id(form.to_user.data, "to_user"),
        comment=form.comment.data, task_id=_task_id()), _("Handed over."))


@bp.post("/<int:request_id>/add-signer")
@employee
def add_signer(request_id: int):
    form = AddSignerForm()
    return _decide(request_id, lambda engine: engine.add_signer(
        request_id, current_user.id, user_id=_employee_id(form.user.data, "user"), where=form.where.data,
        comment=form.comment.data, task_id=_task_id()), _("Signer added."))


@bp.post("/<int:request_id>/comment")
@employee
def comment(request_id: int):
    form = CommentForm()
    engine = current_engine()
    approval = db.session.get(ApprovalRequest, request_id) or abort(404)
    if not engine.can_view(current_user, approval):
        abort(403)

    def add(engine):
        attachment = None
        upload = form.file.data
        if upload and upload.filename:
            attachment = save_upload(db.session, filename=upload.filename, data=upload.read(
                FileRules.attachments(settings()).max_bytes + 1), rules=FileRules.attachments(settings()),
                created_by_id=current_user.id).id
        engine.comment(request_id, current_user.id, text=form.text.data, attachment_id=attachment)

    return _decide(request_id, add, _("Comment added."))


# -- bulk approval -----------------------------------------------------------------
def _selected_ids() -> list[int]:
    values = request.values.getlist("ids")
    return sorted({int(v) for v in values if v.isdigit() and len(v) < 10})[:100]


@bp.route("/bulk", methods=["GET", "POST"])
@employee
def bulk():
    """Approve several requests: a confirmation that lists them, then each one on its own."""
    ids = _selected_ids()
    engine = current_engine()
    modules = queries.modules_to_show(state().approval_types, enabled_modules())
    # Only what waits for the user's decision is shown or decided: anything else would
    # show a stranger's request to whoever guesses its id.
    approvals = db.session.scalars(queries.decidable(current_user.id, engine.delegators(current_user.id), modules,
                                                     ids)).all() if ids else []
    left_out = len(ids) - len(approvals)
    if request.method == "GET":
        return render("approvals/bulk.html", approvals=approvals, results=None, left_out=left_out)
    results = []
    for approval in approvals:
        try:
            engine.approve(approval.id, current_user.id, comment=request.form.get("comment", ""))
        except DomainError as error:
            db.session.rollback()
            results.append((approval, False, error.translate(_)))
        else:
            db.session.commit()
            results.append((approval, True, _("Approved.")))
    response = render("approvals/bulk.html", approvals=approvals, results=results, left_out=left_out)
    response.headers["HX-Trigger"] = "counts-changed"
    return response


# -- the request page --------------------------------------------------------------
@bp.get("/<int:request_id>")
@employee
def request_page(request_id: int):
    return _show_request(request_id)


def _show_request(request_id: int, problem: tuple[str | None, str] | None = None, status: int = 200):
    """The request page; a refused decision shows it again with the ``problem`` and its ``status``."""
    engine = current_engine()
    approval = db.session.get(ApprovalRequest, request_id) or abort(404)
    if not engine.can_view(current_user, approval):
        abort(403)
    kind = state().approval_types.get(approval.type_key)
    if kind is None or kind.module not in enabled_modules():
        abort(404)
    document = kind.load_one(db.session, approval.document_id)
    trail = queries.trail(db.session, approval)
    my_task = engine.waiting_task(approval, current_user.id)
    earlier = [s for s in trail["steps"] if s.round == approval.round and s.status == StepStatus.APPROVED
               and my_task is not None and s.position < my_task.step.position]
    reason_form = ReasonForm()
    reason_form.to_position.choices = options([("", _("The requester"))] + [(s.position, s.name) for s in earlier])
    resubmitted = next((a for a in reversed(trail["actions"]) if a.action == "resubmit"), None)
    changes = _what_changed(kind, approval, (resubmitted.details or {}).get("changes") if resubmitted else None)
    return render("approvals/request.html", approval=approval, document=document, kind=kind, trail=trail,
                  my_task=my_task, reason_form=reason_form, decision_form=DecisionForm(),
                  transfer_form=TransferForm(), signer_form=AddSignerForm(), comment_form=CommentForm(),
                  changes=changes, now=utcnow(), problem=problem, status=status)


def _what_changed(kind, approval: ApprovalRequest, changes: dict | None) -> list[tuple[str, str, str]]:
    """A resubmission's changes as (label, before, after), each value as its reader says it:
    labels and types from the approval type's ``content_fields``; other keys as they are."""
    if not changes:
        return []
    fields = kind.content_map
    people = {value for key, pair in changes.items() if key in fields and fields[key].type == "person"
              for value in pair if isinstance(value, int)}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(people))).all()) if people else {}
    chart = org_chart()

    def show(kind_of_value: str, value) -> str:
        if value is None or value == "" or value == []:
            return "∅"
        if kind_of_value == "money":
            return money(value, approval.currency or "CNY")
        if kind_of_value == "person":
            return names.get(value, str(value))
        if kind_of_value == "department":
            node = chart.get(value)
            return node.name if node else str(value)
        if kind_of_value == "files" and isinstance(value, list):
            return ngettext("%(num)s file", "%(num)s files", len(value))
        return str(value)

    rows = []
    for key, pair in changes.items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        field = fields.get(key)
        type_ = field.type if field else "text"
        rows.append((str(field.label) if field else key, show(type_, before), show(type_, after)))
    return rows


@bp.get("/files/<int:file_id>")
@employee
@writes
def attachment(file_id: int):
    action = db.session.scalar(select(ApprovalAction).where(ApprovalAction.attachment_id == file_id).limit(1))
    if action is None or not current_engine().can_view(current_user, action.request):
        abort(404)
    return download_response(db.session.get(StoredFile, file_id), module=action.request.module)


# -- delegation --------------------------------------------------------------------
@bp.route("/delegations", methods=["GET", "POST"])
@employee
def delegations():
    form = DelegationForm()
    titles = {key: module.info.title for key, module in state().registry.modules.items()}
    form.module.choices = options([("", _("All my approvals"))] + sorted(titles.items()))
    if form.validate_on_submit():
        tz = calendar().tz
        starts = form.starts_at.data.replace(tzinfo=tz).astimezone(timezone.utc)
        ends = form.ends_at.data.replace(tzinfo=tz).astimezone(timezone.utc)
        try:
            delegate = _employee_id(form.delegate.data, "delegate")
            if delegate == current_user.id:
                raise Invalid(N_("Choose someone other than yourself."), field="delegate")
            if ends <= starts:
                raise Invalid(N_("The end must come after the start."), field="ends_at")
        except Invalid as error:
            form_error(form, error)
        else:
            db.session.add(Delegation(user_id=current_user.id, delegate_id=delegate, module=form.module.data or None,
                                      starts_at=starts, ends_at=ends))
            db.session.commit()
            flash(_("Your approvals go to the delegate during that time."), "success")
            return redirect(url_for("approvals.delegations"))
    mine = db.session.scalars(select(Delegation).where(
        (Delegation.user_id == current_user.id) | (Delegation.delegate_id == current_user.id))
        .order_by(Delegation.starts_at.desc()).limit(50)).all()
    return render("approvals/delegations.html", form=form, delegations=mine, titles=titles, now=utcnow(),
                  status=form_status(form))


@bp.post("/delegations/<int:delegation_id>/cancel")
@employee
def cancel_delegation(delegation_id: int):
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.user_id != current_user.id:
        abort(404)
    delegation.cancelled = True
    db.session.commit()
    return redirect(url_for("approvals.delegations"))


# -- policies ----------------------------------------------------------------------
def _kind_or_404(type_key: str):
    kind = state().approval_types.get(type_key)
    if kind is None:
        abort(404)
    return kind


@bp.get("/policies")
@permission_required(POLICIES)
@writes
def policies():
    engine = current_engine()
    rows = [(kind, engine.current_policy(key)) for key, kind in sorted(state().approval_types.items())]
    db.session.commit()  # a first visit seeds missing policies from the modules' defaults
    return render("approvals/policies.html", rows=rows)


def _selector_options():
    labels = {"department_head": _("Requester's department head"), "manager": _("Requester's manager"),
              "department_vp": _("Vice president in charge"), "user": _("A named employee")}
    choices = [(kind, labels[kind]) for kind in SELECTOR_KINDS if kind not in SELECTORS_WITH_VALUE or kind == "user"]
    choices += [(f"head_of:{node.code}", _("Head of %(department)s", department=node.name))
                for _depth, node in org_chart().tree()]
    choices += [(f"role:{role.key}", _("Everyone with role %(role)s", role=role_label(role)))
                for role in db.session.scalars(select(Role).order_by(Role.sort_order, Role.key))]
    return choices


def _prepare(form: PolicyForm, kind) -> dict[str, str]:
    """Fill the editor's choices; return what each value that follows a setting reads now, by field id."""
    fields = options((f.key, f.label) for f in kind.fields)
    selectors = _selector_options()
    hints = {}
    for rule in form.rules:
        conditions = list(rule.conditions)
        for step in rule.steps:
            step.form.approvers.choices = options(selectors)
            step.form.cc.choices = options((v, label) for v, label in selectors if v != "user")
            conditions += list(step.form.conditions)
        for condition in conditions:
            condition.form.field.choices = fields
            refs = [item.strip()[1:].strip() for item in (condition.form.value.data or "").split(",")
                    if item.strip().startswith("@")]
            if refs:
                hints[condition.form.value.id] = "; ".join(_followed(ref) for ref in refs)
    return hints


def _followed(ref: str) -> str:
    """A setting a policy value follows, as the editor and the simulator name it."""
    setting = state().settings.get(setting_key(ref))
    if setting is None:
        return _("no setting %(key)s", key=ref)
    value = setting_value(ref, settings())
    return _("follows “%(setting)s” (now %(value)s)", setting=setting.label if ref == setting.key else
             _("%(setting)s, limit %(number)s", setting=setting.label, number=ref.partition("[")[2].rstrip("]")),
             value="—" if value is None else value)


def _setting_refs() -> list[tuple[str, str]]:
    """The settings a policy value may follow, as editor suggestions (``@key``, label)."""
    found, values = [], settings()
    for key, setting in sorted(state().settings.items()):
        if setting.type in ("int", "decimal") and not setting.hidden:
            found.append((f"@{key}", str(setting.label)))
        elif setting.type == "bands":
            found += [(f"@{key}[{n}]", _("%(setting)s, limit %(number)s", setting=setting.label, number=n))
                      for n in range(1, len(values[key]) + 1)]
    return found


def _because(conditions, kind) -> list[dict]:
    """Conditions as the simulator shows them: the field's label, the sign, the values and what they follow."""
    shown = []
    for condition in conditions:
        field = kind.field_map.get(condition.field)
        values = [(_("yes") if value is True else _("no") if value is False else str(value), _followed(ref) if ref else "")
                  for value, ref in condition.items()]
        shown.append({"field": field.label if field else condition.field, "values": values,
                      "sign": OPERATOR_SIGNS[condition.op].split(" ")[0],
                      "joint": " – " if condition.op == "between" else ", "})
    return shown


@bp.route("/policies/<type_key>", methods=["GET", "POST"])
@permission_required(POLICIES)
@writes
def policy(type_key: str):
    kind = _kind_or_404(type_key)
    engine = current_engine()
    current = engine.current_policy(type_key)
    warnings, status = [], 200
    if request.method == "GET":
        form = PolicyForm(formdata=None, data=rules_to_form_data(current.rules))
    else:
        form = PolicyForm()
        action = request.form.get("action", "save")
        if action != "save":  # an editor button: add, remove or move a row, then show the form again
            form = PolicyForm(formdata=None, data={**rules_to_form_data(edit_rules(form_to_rules(form), action)),
                                                   "note": form.note.data})
        elif form.validate_on_submit():
            raw = form_to_rules(form)
            try:
                rules = engine.parse(kind, raw)
                warnings = checker.check(rules, kind.field_map, engine.directory, engine.org)
                if warnings and not form.confirm.data:
                    raise Invalid(N_("Check the warnings, then tick the box to save anyway."), field="confirm")
                saved = engine.save_policy(type_key, raw, note=form.note.data or "", actor_id=current_user.id)
            except Invalid as error:
                db.session.rollback()
                form_error(form, error)
                status = 422
            else:
                db.session.commit()
                flash(_("Saved as version %(version)s. Requests already in flight keep their version.",
                        version=saved.version), "success")
                return redirect(url_for("approvals.policy", type_key=type_key))
        else:
            status = 422
    hints = _prepare(form, kind)
    versions = db.session.scalars(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key)
                                  .order_by(ApprovalPolicy.version.desc()).limit(20)).all()
    if request.method == "GET":
        warnings = checker.check(engine.parse(kind, current.rules), kind.field_map, engine.directory, engine.org)
    return render("approvals/policy.html", kind=kind, form=form, current=current, versions=versions,
                  warnings=warnings, hints=hints, setting_refs=_setting_refs(), status=status)


@bp.get("/policies/<type_key>/simulate")
@permission_required(POLICIES)
@writes
def simulate(type_key: str):
    """Who would approve a document with these values, sent by this person, and why."""
    kind = _kind_or_404(type_key)
    engine = current_engine()
    version = request.args.get("version", "")
    policy = None
    if version.isdigit() and len(version) < 6:
        policy = db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                                ApprovalPolicy.version == int(version)))
    policy = policy or engine.current_policy(type_key)
    values = {f.key: request.args.get(f.key, "").strip()[:100] for f in kind.fields}
    requester_no = request.args.get("requester", "").strip()[:32]
    planned, error, people, because, step_because = None, None, {}, [], {}
    if requester_no:
        try:
            requester_id = _employee_id(requester_no, "requester")
            planned = engine.simulate(type_key, values, requester_id, policy)
        except Invalid as problem:
            error = problem.translate(_)
        else:
            ids = {uid for step in planned.steps for uid in (*step.approver_ids, *step.cc_ids)}
            people = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}
            if planned.rule_index is not None:
                rule = engine.parse(kind, policy.rules)[planned.rule_index]
                because = _because(rule.conditions, kind)
                step_because = {n: _because(step.conditions, kind) for n, step in enumerate(rule.steps)
                                if step.conditions}
    return render("approvals/simulate.html", "approvals/_simulation.html", kind=kind, policy=policy, values=values,
                  requester=requester_no, planned=planned, error=error, people=people, because=because,
                  step_because=step_because, status=422 if error else 200)
