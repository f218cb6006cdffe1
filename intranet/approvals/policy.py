"""Approval policies as data: rules of (field, operator, value) conditions and steps.

A policy is a list of rules; the first rule whose conditions all hold gives
the steps. Stored as JSON::

    [{"label": "5,000 and above",
      "conditions": [{"field": "amount", "op": ">=", "value": "5000"}],
      "steps": [{"name": "Department head", "approvers": {"kind": "department_head"},
                 "mode": "any", "cc": [{"kind": "role", "value": "finance_manager"}],
                 "due": {"amount": 1, "unit": "days"}, "allow_repeat": false}]},
     {"label": "Everything else", "conditions": [], "steps": [...]}]

A value may follow a setting instead of being typed in: ``{"setting": "general.vp_threshold"}``
(or ``"@general.vp_threshold"`` in the editor; ``procurement.bands[2]`` is the second limit of an
amount-bands setting). Each stored version keeps the value the setting had when the version was
made (``{"setting": ..., "value": "5000"}``), so requests in flight keep their routing; when an
administrator changes the setting, a new version follows it (see :func:`thaw`).

A step may carry conditions of its own (``"conditions": [...]`` in the step, in the same form as a
rule's): it is asked only when they all hold, e.g. an "over budget" step in every band.

Nothing here is ever evaluated as code: conditions are compared by the
operators below, and unknown fields, operators or selectors are refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Protocol

from ..errors import N_, Invalid
from ..org.chart import OrgChart
from .types import PolicyField

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "not_in", "between")
OPERATOR_SIGNS = {"=": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "in": "∈", "not_in": "∉",
                  "between": "∈ [ , ]"}
ORDERED_TYPES = ("money", "number")
OPERATORS_BY_TYPE = {
    "money": OPERATORS, "number": OPERATORS,
    "choice": ("=", "!=", "in", "not_in"), "text": ("=", "!=", "in", "not_in"),
    "department": ("=", "!=", "in", "not_in"), "bool": ("=",),
}
SELECTOR_KINDS = ("department_head", "manager", "department_vp", "head_of", "role", "user")
SELECTORS_WITH_VALUE = ("head_of", "role", "user")
MODES = ("any", "all")
DUE_UNITS = ("hours", "days")
MAX_RULES, MAX_STEPS, MAX_CONDITIONS, MAX_DUE = 50, 20, 20, 1000
#: a setting a value follows: its key, and for a list of limits (amount bands) the limit's number from 1
SETTING_REF = re.compile(r"^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)(?:\[([1-9][0-9]?)\])?$")


@dataclass(frozen=True)
class Selector:
    """Who approves: a kind and, for head_of / role / user, a department code,
    role key or employee number."""

    kind: str
    value: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "value": self.value} if self.value else {"kind": self.kind}


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any  # Decimal, str, bool, tuple of those, or (low, high) for between
    #: the setting each value follows ("" for one typed in), item by item; empty when none follows one
    refs: tuple[str, ...] = ()

    def to_json(self) -> dict:
        def dump(v, ref):
            v = str(v) if isinstance(v, Decimal) else v
            return {"setting": ref, "value": v} if ref else v
        if isinstance(self.value, tuple):
            refs = self.refs or ("",) * len(self.value)
            value = [dump(v, ref) for v, ref in zip(self.value, refs)]
        else:
            value = dump(self.value, self.refs[0] if self.refs else "")
        return {"field": self.field, "op": self.op, "value": value}

    def items(self) -> list[tuple[Any, str]]:
        """(value, setting it follows or "") for each value, for display."""
        values = self.value if isinstance(self.value, tuple) else (self.value,)
        return list(zip(values, self.refs or ("",) * len(values)))


@dataclass(frozen=True)
class Step:
    name: str
    approvers: Selector
    mode: str = "any"
    cc: tuple[Selector, ...] = ()
    due_amount: int | None = None
    due_unit: str = "days"
    allow_repeat: bool = False
    #: the step is asked only when all of these hold (none: always)
    conditions: tuple[Condition, ...] = ()

    def to_json(self) -> dict:
        data = {"name": self.name, "approvers": self.approvers.to_json(), "mode": self.mode,
                "cc": [c.to_json() for c in self.cc], "allow_repeat": self.allow_repeat}
        if self.due_amount is not None:
            data["due"] = {"amount": self.due_amount, "unit": self.due_unit}
        if self.conditions:
            data["conditions"] = [c.to_json() for c in self.conditions]
        return data


@dataclass(frozen=True)
class Rule:
    label: str
    conditions: tuple[Condition, ...]
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        return {"label": self.label, "conditions": [c.to_json() for c in self.conditions],
                "steps": [s.to_json() for s in self.steps]}


def rules_to_json(rules: Iterable[Rule]) -> list[dict]:
    return [rule.to_json() for rule in rules]


class Directory(Protocol):
    """What routing needs to know about people (see directory.DatabaseDirectory)."""

    def person(self, user_id: int): ...  # -> object with id, name, active, manager_id, department_id
    def role_members(self, role: str) -> list[int]: ...
    def role_exists(self, role: str) -> bool: ...
    def by_number(self, employee_no: str) -> int | None: ...


# -- parsing ---------------------------------------------------------------------
def _where(rule_no: int, step_no: int | None = None) -> dict:
    return {"rule": rule_no, "step": step_no or ""}


def _parse_scalar(kind: str, raw: Any, where: dict, policy_field: PolicyField) -> Any:
    if kind in ORDERED_TYPES:
        try:
            value = Decimal(str(raw).replace(",", "").strip())
        except (InvalidOperation, ValueError):
            raise Invalid(N_("Rule %(rule)s: “%(value)s” is not a number."), field="rules",
                          value=str(raw)[:40], **where) from None
        if not value.is_finite() or abs(value) >= Decimal("1e13"):
            raise Invalid(N_("Rule %(rule)s: “%(value)s” is not a number."), field="rules", value=str(raw)[:40],
                          **where)
        return value
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).strip().lower() in ("true", "yes", "1"):
            return True
        if str(raw).strip().lower() in ("false", "no", "0"):
            return False
        raise Invalid(N_("Rule %(rule)s: %(name)s is yes or no."), field="rules", name=policy_field.key, **where)
    text = str(raw).strip()
    if not text or len(text) > 100:
        raise Invalid(N_("Rule %(rule)s: give a value for %(name)s."), field="rules", name=policy_field.key,
                      **where)
    if kind == "choice" and policy_field.choices and text not in policy_field.choices:
        raise Invalid(N_("Rule %(rule)s: “%(value)s” is not one of %(choices)s."), field="rules",
                      value=text, choices=", ".join(policy_field.choices), **where)
    return text


def setting_value(ref: str, settings) -> Any:
    """The value of the setting ``ref`` names (``key`` or ``key[n]``, the n-th limit), or None."""
    match = SETTING_REF.match(ref or "")
    if match is None or settings is None:
        return None
    value = settings.get(match.group(1))
    if match.group(2) is None:
        return value
    index = int(match.group(2)) - 1
    return value[index] if isinstance(value, (list, tuple)) and index < len(value) else None


def setting_key(ref: str) -> str:
    """The key of the setting a reference names (``procurement.bands[2]`` -> ``procurement.bands``)."""
    return ref.partition("[")[0]


def _parse_item(kind: str, raw: Any, where: dict, policy_field: PolicyField, settings) -> tuple[Any, str]:
    """One value, typed in or following a setting: (typed value, reference or "")."""
    ref, stored = "", None
    if isinstance(raw, dict) and "setting" in raw:
        ref, stored = str(raw.get("setting") or "").strip(), raw.get("value")
    elif isinstance(raw, str) and raw.strip().startswith("@"):
        ref = raw.strip()[1:].strip()
    if not ref:
        return _parse_scalar(kind, raw, where, policy_field), ""
    # A stored version keeps the value it was made with; a reference without one takes the setting's.
    value = stored if stored is not None else setting_value(ref, settings)
    if value is None or isinstance(value, (list, tuple, dict)) or SETTING_REF.match(ref) is None:
        raise Invalid(N_("Rule %(rule)s: there is no setting %(value)s with one value."), field="rules",
                      value=ref[:60], **where)
    return _parse_scalar(kind, value, where, policy_field), ref


def parse_condition(raw: Any, fields: dict[str, PolicyField], where: dict, org: OrgChart,
                    settings=None) -> Condition:
    if not isinstance(raw, dict):
        raise Invalid(N_("Rule %(rule)s: a condition must name a field, an operator and a value."),
                      field="rules", **where)
    policy_field = fields.get(str(raw.get("field", "")))
    if policy_field is None:
        raise Invalid(N_("Rule %(rule)s: unknown field “%(name)s”."), field="rules",
                      name=str(raw.get("field"))[:40], **where)
    op = raw.get("op")
    if op not in OPERATORS_BY_TYPE[policy_field.type]:
        raise Invalid(N_("Rule %(rule)s: operator “%(op)s” does not apply to %(name)s."), field="rules",
                      op=str(op)[:10], name=policy_field.key, **where)
    value = raw.get("value")
    if op in ("in", "not_in", "between"):
        items = value if isinstance(value, (list, tuple)) else [v for v in str(value or "").split(",")]
        items = [v for v in items if str(v).strip()]
        if op == "between" and len(items) != 2:
            raise Invalid(N_("Rule %(rule)s: “between” needs two values, low and high."), field="rules", **where)
        if not items or len(items) > 200:
            raise Invalid(N_("Rule %(rule)s: list the values for %(name)s."), field="rules",
                          name=policy_field.key, **where)
        pairs = [_parse_item(policy_field.type, item, where, policy_field, settings) for item in items]
        parsed, refs = tuple(v for v, _ref in pairs), tuple(ref for _v, ref in pairs)
        if op == "between" and parsed[0] > parsed[1]:
            raise Invalid(N_("Rule %(rule)s: the low end of “between” is above the high end."), field="rules",
                          **where)
    else:
        parsed, ref = _parse_item(policy_field.type, value, where, policy_field, settings)
        refs = (ref,)
    if policy_field.type == "department":
        for code in parsed if isinstance(parsed, tuple) else (parsed,):
            if org.by_code(code) is None:
                raise Invalid(N_("Rule %(rule)s: no department has code %(value)s."), field="rules",
                              value=code, **where)
    return Condition(policy_field.key, op, parsed, refs if any(refs) else ())


def _parse_conditions(raw: Any, fields: dict[str, PolicyField], where: dict, org: OrgChart,
                      settings) -> tuple[Condition, ...]:
    raw = raw or []
    if not isinstance(raw, list) or len(raw) > MAX_CONDITIONS:
        raise Invalid(N_("Rule %(rule)s: at most %(count)s conditions."), field="rules", count=MAX_CONDITIONS,
                      **where)
    return tuple(parse_condition(c, fields, where, org, settings) for c in raw)


def parse_selector(raw: Any, directory: Directory, org: OrgChart, where: dict) -> Selector:
    if isinstance(raw, str):
        kind, _, value = raw.partition(":")
        raw = {"kind": kind, "value": value}
    if not isinstance(raw, dict) or raw.get("kind") not in SELECTOR_KINDS:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: choose who approves."), field="rules", **where)
    kind, value = raw["kind"], str(raw.get("value") or "").strip()
    if kind not in SELECTORS_WITH_VALUE:
        return Selector(kind)
    if kind == "head_of" and org.by_code(value) is None:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: no department has code %(value)s."), field="rules",
                      value=value[:30] or "—", **where)
    if kind == "role" and not directory.role_exists(value):
        raise Invalid(N_("Rule %(rule)s, step %(step)s: there is no role %(value)s."), field="rules",
                      value=value[:40] or "—", **where)
    if kind == "user" and directory.by_number(value) is None:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: no employee has number %(value)s."), field="rules",
                      value=value[:32] or "—", **where)
    return Selector(kind, value)


def parse_step(raw: Any, directory: Directory, org: OrgChart, where: dict,
               fields: dict[str, PolicyField] | None = None, settings=None) -> Step:
    if not isinstance(raw, dict):
        raise Invalid(N_("Rule %(rule)s, step %(step)s is not a step."), field="rules", **where)
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 100:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: give the step a name (at most 100 characters)."),
                      field="rules", **where)
    mode = raw.get("mode", "any")
    if mode not in MODES:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: the mode is any-one or all."), field="rules", **where)
    cc_raw = raw.get("cc") or []
    if not isinstance(cc_raw, (list, tuple)) or len(cc_raw) > 20:
        raise Invalid(N_("Rule %(rule)s, step %(step)s: list at most 20 people to copy."), field="rules", **where)
    due = raw.get("due") or {}
    due_amount, due_unit = due.get("amount") if isinstance(due, dict) else None, (due or {}).get("unit", "days")
    if due_amount in ("", None):
        due_amount = None
    else:
        try:
            due_amount = int(due_amount)
        except (TypeError, ValueError):
            due_amount = -1
        if not 0 < due_amount <= MAX_DUE or due_unit not in DUE_UNITS:
            raise Invalid(N_("Rule %(rule)s, step %(step)s: the due time is 1 to %(max)s working hours or days."),
                          field="rules", max=MAX_DUE, **where)
    return Step(name=name, approvers=parse_selector(raw.get("approvers"), directory, org, where), mode=mode,
                cc=tuple(parse_selector(c, directory, org, where) for c in cc_raw),
                due_amount=due_amount, due_unit=due_unit, allow_repeat=bool(raw.get("allow_repeat")),
                conditions=_parse_conditions(raw.get("conditions"), fields or {}, where, org, settings))


def parse_rules(raw: Any, fields: Iterable[PolicyField], directory: Directory, org: OrgChart,
                settings=None) -> list[Rule]:
    """Check and convert stored or submitted policy data; Invalid says what is wrong where.

    ``settings`` (a :class:`intranet.settings.Settings` or a mapping) gives the values of
    references that carry none yet (see the module's docstring).
    """
    fields = {f.key: f for f in fields}
    if not isinstance(raw, list) or not raw:
        raise Invalid(N_("A policy needs at least one rule."), field="rules")
    if len(raw) > MAX_RULES:
        raise Invalid(N_("A policy has at most %(count)s rules."), field="rules", count=MAX_RULES)
    rules = []
    for rule_no, rule in enumerate(raw, start=1):
        if not isinstance(rule, dict):
            raise Invalid(N_("Rule %(rule)s is not a rule."), field="rules", rule=rule_no)
        steps = rule.get("steps") or []
        if not isinstance(steps, list) or not steps or len(steps) > MAX_STEPS:
            raise Invalid(N_("Rule %(rule)s needs 1 to %(count)s steps."), field="rules", rule=rule_no,
                          count=MAX_STEPS)
        rules.append(Rule(
            label=str(rule.get("label") or "").strip()[:100],
            conditions=_parse_conditions(rule.get("conditions"), fields, _where(rule_no), org, settings),
            steps=tuple(parse_step(s, directory, org, _where(rule_no, n), fields, settings)
                        for n, s in enumerate(steps, start=1))))
    return rules


# -- following settings ------------------------------------------------------------
def _values_of(rules: list[dict]):
    """Every stored condition value of the rules and their steps, items of lists one by one."""
    for rule in rules if isinstance(rules, list) else []:
        if not isinstance(rule, dict):
            continue
        conditions = list(rule.get("conditions") or [])
        for step in rule.get("steps") or []:
            conditions += (step.get("conditions") or []) if isinstance(step, dict) else []
        for condition in conditions:
            value = condition.get("value") if isinstance(condition, dict) else None
            yield from value if isinstance(value, list) else [value]


def references(rules: list[dict]) -> set[str]:
    """The keys of the settings a stored policy follows."""
    return {setting_key(str(v.get("setting"))) for v in _values_of(rules) if isinstance(v, dict) and "setting" in v}


def thaw(rules: list[dict], keys: Iterable[str]) -> list[dict]:
    """A copy of stored rules whose references to the settings ``keys`` forget their values, so
    parsing them again takes the settings' current values (the next version after a change)."""
    keys = set(keys)

    def copy(value):
        if isinstance(value, dict) and "setting" in value and setting_key(str(value["setting"])) in keys:
            return {"setting": value["setting"]}
        if isinstance(value, dict):
            return {k: copy(v) for k, v in value.items()}
        if isinstance(value, list):
            return [copy(v) for v in value]
        return value

    return copy(rules)


# -- evaluation ------------------------------------------------------------------
def _department_in(code: str | None, codes: tuple, org: OrgChart) -> bool:
    node = org.by_code(code) if code else None
    if node is None:
        return False
    ancestors = {n.code for n in org.ancestors(node.id)}
    return any(c in ancestors for c in codes)


def holds(condition: Condition, values: dict, fields: dict[str, PolicyField], org: OrgChart) -> bool:
    """Whether one condition holds for the document's values (missing values never match)."""
    value = values.get(condition.field)
    if value is None or value == "":
        return False
    kind = fields[condition.field].type
    if kind in ORDERED_TYPES:
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return False
    elif kind == "bool":
        # A form sends text ("false" must not count as true); a document's values send booleans.
        value = value if isinstance(value, bool) else str(value).strip().lower() in ("true", "yes", "1", "on")
    else:
        value = str(value)
    op, expected = condition.op, condition.value
    if kind == "department" and op in ("in", "not_in"):
        inside = _department_in(value, expected, org)
        return inside if op == "in" else not inside
    return {
        "=": lambda: value == expected, "!=": lambda: value != expected,
        "<": lambda: value < expected, "<=": lambda: value <= expected,
        ">": lambda: value > expected, ">=": lambda: value >= expected,
        "in": lambda: value in expected, "not_in": lambda: value not in expected,
        "between": lambda: expected[0] <= value <= expected[1],
    }[op]()


def first_matching(rules: list[Rule], values: dict, fields: dict[str, PolicyField], org: OrgChart) -> int | None:
    """Index of the first rule whose conditions all hold, or None."""
    for index, rule in enumerate(rules):
        if all(holds(c, values, fields, org) for c in rule.conditions):
            return index
    return None


# -- routing ---------------------------------------------------------------------
@dataclass
class Note:
    """An explanation shown in the simulator and the trail (translated at display)."""

    message: str
    params: dict = field(default_factory=dict)


@dataclass
class ResolvedStep:
    name: str
    mode: str
    approver_ids: list[int]
    cc_ids: list[int]
    due_amount: int | None
    due_unit: str
    origin: str = "policy"  # policy, fallback, skipped
    notes: list[Note] = field(default_factory=list)


@dataclass
class Route:
    rule_index: int | None
    rule_label: str
    steps: list[ResolvedStep]
    #: every step of the rule in order, those whose own conditions do not hold too (origin "omitted"),
    #: for the simulator; submission creates only ``steps``
    plan: list[ResolvedStep] = field(default_factory=list)


def condition_text(condition: Condition) -> str:
    """A condition as the trail's notes say it, e.g. ``amount ≥ 20000``."""
    values = condition.value if isinstance(condition.value, tuple) else (condition.value,)
    shown = " – " if condition.op == "between" else ", "
    return f"{condition.field} {OPERATOR_SIGNS[condition.op].split(' ')[0]} " \
           f"{shown.join('yes' if v is True else 'no' if v is False else str(v) for v in values)}"


class Resolver:
    """Turns selectors into people for one requester. The requester never
    approves their own request: a selector that finds them moves up the organisation."""

    def __init__(self, directory: Directory, org: OrgChart, requester, fallback_role: str):
        self.directory, self.org, self.requester = directory, org, requester
        self.fallback_role = fallback_role

    def _usable(self, user_id: int | None) -> bool:
        if user_id is None or user_id == self.requester.id:
            return False
        person = self.directory.person(user_id)
        return person is not None and person.active

    def _up_from(self, user_id: int | None) -> int | None:
        """The first usable person on the manager chain from ``user_id``, then heads upward."""
        seen: set[int] = set()
        current = user_id
        while current is not None and current not in seen:
            seen.add(current)
            if self._usable(current):
                return current
            person = self.directory.person(current)
            current = person.manager_id if person else None
        start = self.directory.person(user_id) if user_id else None
        for head in self.org.heads_upward(start.department_id if start else self.requester.department_id):
            if self._usable(head):
                return head
        return None

    def _name(self, user_id: int) -> str:
        return self.directory.person(user_id).name

    def resolve(self, selector: Selector) -> tuple[list[int], list[Note]]:
        kind, requester, org = selector.kind, self.requester, self.org
        department = org.get(requester.department_id)
        if kind == "department_head":
            for node in org.ancestors(requester.department_id):
                if self._usable(node.head_id):
                    note = Note(N_("%(name)s: head of %(department)s"), {"name": self._name(node.head_id),
                                                                           "department": node.name})
                    return [node.head_id], [note]
            return [], [Note(N_("The requester's department has no other head above."))]
        if kind == "manager":
            found = self._up_from(requester.manager_id)
            if found is not None:
                return [found], [Note(N_("%(name)s: the requester's manager (or the next one up)"),
                                      {"name": self._name(found)})]
            return [], [Note(N_("The requester has no manager."))]
        if kind == "department_vp":
            vp = org.vp_of(requester.department_id)
            if self._usable(vp):
                return [vp], [Note(N_("%(name)s: vice president in charge of %(department)s"),
                                   {"name": self._name(vp), "department": department.name if department else ""})]
            found = self._up_from(vp if vp is not None else requester.manager_id)
            if found is not None:
                return [found], [Note(N_("%(name)s: the next one up, as the vice president in charge is the "
                                         "requester or not set"), {"name": self._name(found)})]
            return [], [Note(N_("No vice president is in charge of the requester's department."))]
        if kind == "head_of":
            node = org.by_code(selector.value)
            for ancestor in org.ancestors(node.id if node else None):
                if self._usable(ancestor.head_id):
                    return [ancestor.head_id], [Note(N_("%(name)s: head of %(department)s"),
                                                     {"name": self._name(ancestor.head_id),
                                                      "department": ancestor.name})]
            return [], [Note(N_("%(department)s has no head."), {"department": node.name if node else selector.value})]
        if kind == "role":
            members = [m for m in self.directory.role_members(selector.value) if self._usable(m)]
            if members:
                return members, [Note(N_("Everyone with the role %(role)s (%(count)s people)"),
                                      {"role": selector.value, "count": len(members)})]
            found = self._up_from(requester.manager_id) if requester.id in self.directory.role_members(
                selector.value) else None
            if found is not None:
                return [found], [Note(N_("%(name)s: the requester is the only %(role)s, so their manager approves"),
                                      {"name": self._name(found), "role": selector.value})]
            return [], [Note(N_("Nobody has the role %(role)s."), {"role": selector.value})]
        # a named user
        user_id = self.directory.by_number(selector.value)
        if self._usable(user_id):
            return [user_id], [Note(N_("%(name)s: named in the policy"), {"name": self._name(user_id)})]
        found = self._up_from(user_id)
        if found is not None:
            return [found], [Note(N_("%(name)s: the next one up from the person named in the policy"),
                                  {"name": self._name(found)})]
        return [], [Note(N_("The person named in the policy cannot approve."))]

    def fallback(self) -> list[int]:
        return [m for m in self.directory.role_members(self.fallback_role) if self._usable(m)]


def route(rules: list[Rule], values: dict, fields: dict[str, PolicyField], resolver: Resolver) -> Route:
    """The steps and people for a document, as submission would create them."""
    index = first_matching(rules, values, fields, resolver.org)
    if index is None:
        return Route(None, "", [])
    rule = rules[index]
    asked: set[int] = set()
    steps, plan = [], []
    for step in rule.steps:
        because = " ∧ ".join(condition_text(c) for c in step.conditions)
        if step.conditions and not all(holds(c, values, fields, resolver.org) for c in step.conditions):
            plan.append(ResolvedStep(step.name, step.mode, [], [], step.due_amount, step.due_unit, "omitted",
                                     [Note(N_("Not asked: only when %(condition)s."), {"condition": because})]))
            continue
        approvers, notes = resolver.resolve(step.approvers)
        if step.conditions:
            notes.insert(0, Note(N_("Asked because %(condition)s."), {"condition": because}))
        origin = "policy"
        if not approvers:
            approvers = resolver.fallback()
            origin = "fallback"
            notes.append(Note(N_("Nobody found, so the approval administrators (%(role)s) decide."),
                              {"role": resolver.fallback_role}))
        repeated = [a for a in approvers if a in asked] if not step.allow_repeat else []
        if repeated:
            approvers = [a for a in approvers if a not in repeated]
            notes.append(Note(N_("%(names)s already decide in an earlier step."),
                              {"names": ", ".join(resolver._name(a) for a in repeated)}))
            if not approvers:
                origin = "skipped"
        asked.update(approvers)
        cc = sorted({person for selector in step.cc for person in resolver.resolve(selector)[0]})
        steps.append(ResolvedStep(step.name, step.mode, approvers, cc, step.due_amount, step.due_unit, origin, notes))
        plan.append(steps[-1])
    return Route(index, rule.label, steps, plan)
