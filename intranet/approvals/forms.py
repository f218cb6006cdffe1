"""Forms of the inbox, the request page, delegations and the policy editor."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateTimeLocalField, FieldList, Form, FormField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..i18n import lazy_gettext as _l
from ..web.forms import optional_int, options
from .policy import DUE_UNITS, MODES, OPERATOR_SIGNS, SELECTORS_WITH_VALUE

MODE_LABELS = {"any": _l("Any one (或签)"), "all": _l("Everyone (会签)")}
UNIT_LABELS = {"hours": _l("working hours"), "days": _l("working days")}


class DecisionForm(FlaskForm):
    task_id = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class ReasonForm(FlaskForm):
    task_id = HiddenField()
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=2000)])
    to_position = SelectField(_l("Send back to"), coerce=optional_int, validate_choice=False)


class TransferForm(FlaskForm):
    task_id = HiddenField()
    to_user = StringField(_l("Hand over to (employee number)"), validators=[InputRequired(), Length(max=32)])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class AddSignerForm(FlaskForm):
    task_id = HiddenField()
    user = StringField(_l("Add (employee number)"), validators=[InputRequired(), Length(max=32)])
    where = SelectField(_l("When"), choices=options([("before", _l("Before me (前加签)")),
                                                    ("after", _l("After me (后加签)"))]))
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[Length(max=2000)])
    file = FileField(_l("Attachment"))


class DelegationForm(FlaskForm):
    delegate = StringField(_l("Delegate (employee number)"), validators=[InputRequired(), Length(max=32)])
    module = SelectField(_l("For"), validate_choice=True)
    starts_at = DateTimeLocalField(_l("From"), validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Until"), validators=[InputRequired()])


# -- the policy editor -------------------------------------------------------------
class ConditionForm(Form):
    field = SelectField(_l("Field"), validate_choice=False)
    op = SelectField(_l("Operator"), choices=options(OPERATOR_SIGNS.items()), validate_choice=False)
    value = StringField(_l("Value"), validators=[Length(max=500)])


class StepForm(Form):
    name = StringField(_l("Step"), validators=[Length(max=100)])
    approvers = SelectField(_l("Approvers"), validate_choice=False)
    user = StringField(_l("Employee number"), validators=[Length(max=32)])
    mode = SelectField(_l("Mode"), choices=options((m, MODE_LABELS[m]) for m in MODES), validate_choice=False)
    cc = SelectMultipleField(_l("Copy to (抄送)"), validate_choice=False)
    due_amount = IntegerField(_l("Due within"), validators=[Optional(), NumberRange(1, 1000)])
    due_unit = SelectField(_l("Unit"), choices=options((u, UNIT_LABELS[u]) for u in DUE_UNITS), validate_choice=False)
    allow_repeat = BooleanField(_l("Ask again even if already asked in an earlier step"))
    conditions = FieldList(FormField(ConditionForm))


class RuleForm(Form):
    label = StringField(_l("Rule"), validators=[Length(max=100)])
    conditions = FieldList(FormField(ConditionForm))
    steps = FieldList(FormField(StepForm), min_entries=1)


class PolicyForm(FlaskForm):
    rules = FieldList(FormField(RuleForm), min_entries=1)
    note = StringField(_l("What changed"), validators=[Length(max=500)])
    confirm = BooleanField(_l("Save despite the warnings above"))


def selector_value(selector: dict) -> tuple[str, str]:
    """Stored selector -> (option value, employee number field)."""
    kind, value = selector.get("kind", ""), selector.get("value", "")
    if kind == "user":
        return "user", value
    return (f"{kind}:{value}" if kind in SELECTORS_WITH_VALUE else kind), ""


def selector_data(option: str, user: str = "") -> dict:
    kind, _, value = (option or "").partition(":")
    if kind == "user":
        return {"kind": "user", "value": (user or "").strip()}
    return {"kind": kind, "value": value} if value else {"kind": kind}


def value_text(value) -> str:
    """A stored value as typed in the editor: a setting it follows as ``@key``."""
    if isinstance(value, dict):
        return f"@{value.get('setting', '')}"
    return str(value)


def rules_to_form_data(rules: list[dict]) -> dict:
    """Stored rules -> data for PolicyForm."""
    def condition(c):
        value = c.get("value")
        return {"field": c.get("field"), "op": c.get("op"),
                "value": ", ".join(map(value_text, value)) if isinstance(value, list) else value_text(value)}

    def step(s):
        approvers, user = selector_value(s.get("approvers") or {})
        due = s.get("due") or {}
        return {"name": s.get("name"), "approvers": approvers, "user": user, "mode": s.get("mode", "any"),
                "cc": [selector_value(c)[0] for c in s.get("cc") or []], "due_amount": due.get("amount"),
                "due_unit": due.get("unit", "days"), "allow_repeat": s.get("allow_repeat", False),
                "conditions": [condition(c) for c in s.get("conditions") or []]}

    return {"rules": [{"label": r.get("label", ""), "conditions": [condition(c) for c in r.get("conditions") or []],
                       "steps": [step(s) for s in r.get("steps") or []]} for r in rules]}


def form_to_rules(form: PolicyForm) -> list[dict]:
    """PolicyForm -> rules in the stored format (then checked by policy.parse_rules)."""
    def conditions(entries):
        return [{"field": c.form.field.data, "op": c.form.op.data, "value": c.form.value.data} for c in entries]

    rules = []
    for rule in form.rules:
        steps = []
        for step in rule.steps:
            data = step.form
            due = {"amount": data.due_amount.data, "unit": data.due_unit.data} if data.due_amount.data else None
            steps.append({"name": data.name.data, "approvers": selector_data(data.approvers.data, data.user.data),
                          "mode": data.mode.data, "cc": [selector_data(c) for c in data.cc.data or []],
                          "due": due, "allow_repeat": data.allow_repeat.data})
            if data.conditions.entries:
                steps[-1]["conditions"] = conditions(data.conditions)
        rules.append({"label": rule.form.label.data, "conditions": conditions(rule.conditions), "steps": steps})
    return rules


def edit_rules(rules: list[dict], action: str) -> list[dict]:
    """Apply an editor button (add/remove/move) to the rules; unknown actions change nothing."""
    name, _, where = action.partition("-")
    try:
        at = [int(part) for part in where.split("-")] if where else []
    except ValueError:
        return rules
    blank_step = {"name": "", "approvers": {"kind": "department_head"}, "mode": "any", "cc": []}
    try:
        if name == "add_rule":
            rules.append({"label": "", "conditions": [], "steps": [dict(blank_step)]})
        elif name == "remove_rule" and len(rules) > 1:
            rules.pop(at[0])
        elif name == "up_rule" and at[0] > 0:
            rules[at[0] - 1], rules[at[0]] = rules[at[0]], rules[at[0] - 1]
        elif name == "add_condition":
            rules[at[0]]["conditions"].append({"field": "", "op": ">=", "value": ""})
        elif name == "remove_condition":
            rules[at[0]]["conditions"].pop(at[1])
        elif name == "add_step":
            rules[at[0]]["steps"].append(dict(blank_step))
        elif name == "remove_step" and len(rules[at[0]]["steps"]) > 1:
            rules[at[0]]["steps"].pop(at[1])
        elif name == "add_step_condition":
            rules[at[0]]["steps"][at[1]].setdefault("conditions", []).append({"field": "", "op": "=", "value": ""})
        elif name == "remove_step_condition":
            rules[at[0]]["steps"][at[1]]["conditions"].pop(at[2])
    except IndexError:
        pass
    return rules
