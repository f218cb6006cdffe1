"""Warnings about a policy before it is saved: bands that leave amounts
uncovered or cover them twice, and steps whose approvers are nobody.

Amounts are compared in cents: "< 2000" ends at 1,999.99, so a next band
"between 2000 and 4999.99" follows without a gap.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..errors import N_
from ..org.chart import OrgChart
from .policy import ORDERED_TYPES, Condition, Directory, Note, Rule
from .types import PolicyField

CENT = Decimal("0.01")
NEG, POS = Decimal("-Infinity"), Decimal("Infinity")


@dataclass(frozen=True)
class Band:
    """A closed range of amounts, unbounded at the infinities."""

    low: Decimal = NEG
    high: Decimal = POS

    def empty(self) -> bool:
        return self.low > self.high

    def meet(self, other: "Band") -> "Band":
        return Band(max(self.low, other.low), min(self.high, other.high))


def band_of(condition: Condition) -> Band | None:
    """The amounts a condition accepts, or None when it is not one range (≠, in)."""
    value = condition.value
    return {
        "<": lambda: Band(NEG, value - CENT), "<=": lambda: Band(NEG, value),
        ">": lambda: Band(value + CENT, POS), ">=": lambda: Band(value, POS),
        "=": lambda: Band(value, value), "between": lambda: Band(value[0], value[1]),
    }.get(condition.op, lambda: None)()


def rule_band(rule: Rule, key: str, domain: Band) -> Band | None:
    band = domain
    for condition in rule.conditions:
        if condition.field == key:
            piece = band_of(condition)
            if piece is None:
                return None
            band = band.meet(piece)
    return band


def _others(rule: Rule, key: str) -> frozenset:
    return frozenset((c.field, c.op, str(c.value)) for c in rule.conditions if c.field != key)


def _mentions(rule: Rule, key: str) -> bool:
    return any(c.field == key for c in rule.conditions)


def gaps(bands: list[Band], domain: Band) -> list[Band]:
    """Parts of ``domain`` that no band covers."""
    holes, cursor = [], domain.low  # cursor: the first amount not known to be covered
    for band in sorted((b for b in bands if not b.empty()), key=lambda b: b.low):
        if band.high < cursor:
            continue
        if band.low > cursor:
            holes.append(Band(cursor, band.low - CENT))
        cursor = max(cursor, band.high + CENT)
        if cursor > domain.high or cursor == POS:
            return holes
    holes.append(Band(cursor, domain.high))
    return [hole for hole in holes if not hole.empty()]


def _text(band: Band) -> dict:
    def amount(value: Decimal) -> str:
        return f"{value:,.2f}".removesuffix(".00")
    if band.high == POS:
        return {"range": f"≥ {amount(band.low)}" if band.low != NEG else "—"}
    if band.low == NEG:
        return {"range": f"≤ {amount(band.high)}"}
    if band.low == band.high:
        return {"range": amount(band.low)}
    return {"range": f"{amount(band.low)} – {amount(band.high)}"}


def check_bands(rules: list[Rule], fields: dict[str, PolicyField]) -> list[Note]:
    notes = []
    for key, policy_field in fields.items():
        if policy_field.type not in ORDERED_TYPES or not any(_mentions(r, key) for r in rules):
            continue
        domain = Band(Decimal(0), POS) if policy_field.type == "money" else Band()
        unconditional = [rule_band(r, key, domain) for r in rules if not _others(r, key)]
        if None not in unconditional:
            for hole in gaps(unconditional, domain):
                notes.append(Note(N_("No rule covers %(field)s %(range)s."), {"field": key, **_text(hole)}))
        for i, first in enumerate(rules):
            for j in range(i + 1, len(rules)):
                second = rules[j]
                if _others(first, key) != _others(second, key):
                    continue
                if not (_mentions(first, key) and _mentions(second, key)):
                    continue
                a, b = rule_band(first, key, domain), rule_band(second, key, domain)
                if a is None or b is None:
                    continue
                both = a.meet(b)
                if not both.empty():
                    notes.append(Note(N_("Rules %(first)s and %(second)s both cover %(field)s %(range)s; "
                                         "only rule %(first)s applies there."),
                                      {"first": i + 1, "second": j + 1, "field": key, **_text(both)}))
    return notes


def check_people(rules: list[Rule], directory: Directory, org: OrgChart) -> list[Note]:
    """Steps whose selector can find nobody, for some or all requesters."""
    notes = []
    active = [node for node in org.nodes.values() if node.active]
    for rule_no, rule in enumerate(rules, start=1):
        for step_no, step in enumerate(rule.steps, start=1):
            for selector in (step.approvers, *step.cc):
                where = {"rule": rule_no, "step": step_no, "name": step.name}
                kind, value = selector.kind, selector.value
                if kind == "role" and not [m for m in directory.role_members(value)
                                           if directory.person(m).active]:
                    notes.append(Note(N_("Rule %(rule)s, step %(step)s (%(name)s): nobody has the role %(role)s."),
                                      {**where, "role": value}))
                elif kind == "head_of" and not any(n.head_id for n in org.ancestors(org.by_code(value).id)):
                    notes.append(Note(N_("Rule %(rule)s, step %(step)s (%(name)s): %(department)s has no head."),
                                      {**where, "department": org.by_code(value).name}))
                elif kind == "user":
                    person = directory.person(directory.by_number(value))
                    if person is None or not person.active:
                        notes.append(Note(N_("Rule %(rule)s, step %(step)s (%(name)s): %(number)s has left."),
                                          {**where, "number": value}))
                elif kind == "department_head":
                    missing = [n.name for n in active if not any(a.head_id for a in org.ancestors(n.id))]
                    if missing:
                        notes.append(Note(N_("Rule %(rule)s, step %(step)s (%(name)s): no head for requests from "
                                             "%(departments)s."), {**where, "departments": ", ".join(missing)}))
                elif kind == "department_vp":
                    missing = [n.name for n in active if org.vp_of(n.id) is None]
                    if missing:
                        notes.append(Note(N_("Rule %(rule)s, step %(step)s (%(name)s): no vice president in charge "
                                             "of %(departments)s."), {**where, "departments": ", ".join(missing)}))
    return notes


def check(rules: list[Rule], fields: dict[str, PolicyField], directory: Directory, org: OrgChart) -> list[Note]:
    """Everything an administrator should confirm before saving this policy."""
    return check_bands(rules, fields) + check_people(rules, directory, org)
