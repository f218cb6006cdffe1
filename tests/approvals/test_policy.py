"""The policy language: parsing refuses anything malformed, evaluation never runs code."""
from __future__ import annotations

from decimal import Decimal

import pytest

from intranet.approvals.checker import check_bands, check_people
from intranet.approvals.policy import Condition, holds, parse_rules
from intranet.approvals.types import PolicyField
from intranet.errors import Invalid
from intranet.org.chart import DepartmentNode, OrgChart

FIELDS = (PolicyField("amount", "Amount", "money"), PolicyField("category", "Category", "choice", ("IT", "办公")),
          PolicyField("department", "Department", "department"), PolicyField("urgent", "Urgent", "bool"))
ORG = OrgChart([DepartmentNode(1, "总经办", "GMO", None, 10, None, True),
                DepartmentNode(2, "研发部", "RD", 1, 20, 30, True),
                DepartmentNode(3, "测试组", "QA", 2, None, None, True),
                DepartmentNode(4, "财务部", "FIN", 1, None, None, True)])


class People:
    """A directory without a database."""

    people = {10: ("总经理", True), 20: ("研发主管", True), 30: ("副总", True), 40: ("离职的人", False)}

    def person(self, user_id):
        if user_id not in self.people:
            return None
        name, active = self.people[user_id]
        return type("P", (), {"id": user_id, "name": name, "active": active, "manager_id": None,
                              "department_id": 2})()

    def role_members(self, role):
        return {"finance_manager": [], "vp": [30]}.get(role, [])

    def role_exists(self, role):
        return role in ("finance_manager", "vp")

    def by_number(self, number):
        return {"E10": 10, "E40": 40}.get(number)


def parse(raw):
    return parse_rules(raw, FIELDS, People(), ORG)


def rule(*conditions, steps=None):
    return {"conditions": list(conditions), "steps": steps or [{"name": "主管", "approvers": {"kind": "manager"}}]}


@pytest.mark.parametrize("raw, message", [
    ([], "at least one rule"),
    ("DROP TABLE", "at least one rule"),
    ([{"conditions": [], "steps": []}], "needs 1 to 20 steps"),
    ([rule({"field": "salary", "op": "=", "value": 1})], "unknown field “salary”"),
    ([rule({"field": "amount", "op": "~=", "value": 1})], "operator “~=” does not apply"),
    ([rule({"field": "category", "op": "<", "value": "IT"})], "operator “<” does not apply"),
    ([rule({"field": "amount", "op": "<", "value": "__import__('os')"})], "is not a number"),
    ([rule({"field": "amount", "op": "<", "value": "1e400"})], "is not a number"),
    ([rule({"field": "amount", "op": "between", "value": [5000, 1000]})], "low end"),
    ([rule({"field": "amount", "op": "between", "value": [1]})], "needs two values"),
    ([rule({"field": "category", "op": "=", "value": "游艇"})], "is not one of IT, 办公"),
    ([rule({"field": "department", "op": "in", "value": ["XX"]})], "no department has code XX"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "eval"}}])], "choose who approves"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "role", "value": "king"}}])], "there is no role king"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "head_of", "value": "ZZ"}}])], "no department has code ZZ"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "user", "value": "E99"}}])], "no employee has number E99"),
    ([rule(steps=[{"name": "", "approvers": {"kind": "manager"}}])], "give the step a name"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "manager"}, "mode": "some"}])], "any-one or all"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "manager"}, "due": {"amount": 0, "unit": "days"}}])],
     "due time is 1 to"),
    ([rule(steps=[{"name": "x", "approvers": {"kind": "manager"}, "due": {"amount": 2, "unit": "weeks"}}])],
     "due time is 1 to"),
])
def test_malformed_policies_are_refused_with_the_reason(raw, message):
    with pytest.raises(Invalid) as caught:
        parse(raw)
    assert message in str(caught.value)


@pytest.mark.parametrize("op, value, amount, expected", [
    ("=", "5000", "5000", True), ("!=", "5000", "5000", False), ("<", "5000", "4999.99", True),
    ("<=", "5000", "5000", True), (">", "5000", "5000", False), (">=", "5000", "5000", True),
    ("in", "1000, 2000", "2000", True), ("not_in", "1000, 2000", "2000", False),
    ("between", ["2000", "4999.99"], "4999.99", True), ("between", ["2000", "4999.99"], "5000", False),
])
def test_every_operator(op, value, amount, expected):
    [parsed] = parse([rule({"field": "amount", "op": op, "value": value})])
    fields = {f.key: f for f in FIELDS}
    assert holds(parsed.conditions[0], {"amount": Decimal(amount)}, fields, ORG) is expected


def test_department_in_matches_sub_departments_and_missing_values_never_match():
    fields = {f.key: f for f in FIELDS}
    inside = Condition("department", "in", ("RD",))
    assert holds(inside, {"department": "QA"}, fields, ORG)
    assert not holds(inside, {"department": "FIN"}, fields, ORG)
    assert not holds(Condition("amount", "<", Decimal(5)), {}, fields, ORG)
    assert holds(Condition("urgent", "=", True), {"urgent": True}, fields, ORG)


def test_the_checker_finds_the_procurement_gap_and_overlaps():
    rules = parse([rule({"field": "amount", "op": "<", "value": "1000"}),
                   rule({"field": "amount", "op": ">=", "value": "1000"}, {"field": "amount", "op": "<", "value": "2000"}),
                   rule({"field": "amount", "op": ">=", "value": "5000"})])
    notes = [n.message % n.params for n in check_bands(rules, {f.key: f for f in FIELDS})]
    assert notes == ["No rule covers amount 2,000 – 4,999.99."]
    rules = parse([rule({"field": "amount", "op": "<=", "value": "2000"}),
                   rule({"field": "amount", "op": "between", "value": ["1500", "9000"]}), rule()])
    notes = [n.message % n.params for n in check_bands(rules, {f.key: f for f in FIELDS})]
    assert notes == ["Rules 1 and 2 both cover amount 1,500 – 2,000; only rule 1 applies there."]


def test_the_checker_finds_steps_whose_approvers_are_nobody():
    rules = parse([rule(steps=[{"name": "财务", "approvers": {"kind": "role", "value": "finance_manager"}},
                               {"name": "财务主管", "approvers": {"kind": "head_of", "value": "FIN"}},
                               {"name": "离职", "approvers": {"kind": "user", "value": "E40"}},
                               {"name": "副总", "approvers": {"kind": "department_vp"}}])])
    notes = [n.message % n.params for n in check_people(rules, People(), ORG)]
    assert "Rule 1, step 1 (财务): nobody has the role finance_manager." in notes
    assert "Rule 1, step 3 (离职): E40 has left." in notes
    assert any("no vice president in charge of 总经办" in n for n in notes)
    assert not any("财务部 has no head" in n for n in notes)  # 总经办's head is above it


def test_a_step_can_be_approved_by_a_person_the_document_names():
    """A meeting's minutes are approved by its chair: the selector reads the document's value."""
    from intranet.approvals.policy import Resolver, route

    rules = parse([rule(steps=[{"name": "主持人", "approvers": {"kind": "person", "value": "chair"}}])])
    requester = People().person(20)
    fields = {f.key: f for f in FIELDS}
    chosen = route(rules, {"chair": 30}, fields, Resolver(People(), ORG, requester, "vp", {"chair": 30}))
    assert [s.approver_ids for s in chosen.steps] == [[30]]
    # the chair is the requester (or has left): the next one up decides instead
    chosen = route(rules, {"chair": 20}, fields, Resolver(People(), ORG, requester, "vp", {"chair": 20}))
    assert chosen.steps[0].approver_ids == [10]
    with pytest.raises(Invalid):
        parse([rule(steps=[{"name": "主持人", "approvers": {"kind": "person", "value": "chair id; drop"}}])])
