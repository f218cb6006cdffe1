"""Policies that follow settings, and steps with conditions of their own."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from intranet.approvals import ApprovalPolicy, engine_for
from intranet.approvals.policy import parse_rules, references, route, rules_to_json, thaw
from intranet.audit import AuditEntry
from intranet.db import db
from intranet.errors import Invalid

from ..conftest import file_order
from .test_policy import FIELDS, ORG, People, rule

SETTINGS = {"m.head": Decimal("2000"), "m.vp": Decimal("5000"), "m.bands": (Decimal("1000"), Decimal("8000")),
            "m.name": "x"}
VP_BAND = rule({"field": "amount", "op": ">=", "value": {"setting": "m.vp"}})


def parse(raw, settings=SETTINGS):
    return parse_rules(raw, FIELDS, People(), ORG, settings)


# -- references ----------------------------------------------------------------------
def test_a_reference_takes_the_settings_value_and_the_version_keeps_it():
    rules = parse([VP_BAND, rule({"field": "amount", "op": "between", "value": ["@m.head", "@m.bands[2]"]})])
    assert rules[0].conditions[0].value == Decimal("5000") and rules[0].conditions[0].refs == ("m.vp",)
    assert rules[1].conditions[0].value == (Decimal("2000"), Decimal("8000"))
    stored = rules_to_json(rules)
    assert stored[0]["conditions"][0]["value"] == {"setting": "m.vp", "value": "5000"}
    assert stored[1]["conditions"][0]["value"][1] == {"setting": "m.bands[2]", "value": "8000"}
    # a stored version keeps its values whatever the settings say now (requests in flight keep theirs)
    again = parse(stored, {**SETTINGS, "m.vp": Decimal("9000")})
    assert again[0].conditions[0].value == Decimal("5000") and rules_to_json(again) == stored
    assert references(stored) == {"m.vp", "m.head", "m.bands"}
    # thawing the changed setting's references takes its new value, and leaves the others
    fresh = parse(thaw(stored, {"m.vp"}), {**SETTINGS, "m.vp": Decimal("9000"), "m.head": Decimal("1")})
    assert fresh[0].conditions[0].value == Decimal("9000") and fresh[1].conditions[0].value[0] == Decimal("2000")


@pytest.mark.parametrize("value, message", [
    ({"setting": "m.nothing"}, "there is no setting m.nothing"),
    ("@m.bands", "there is no setting m.bands with one value"),
    ("@m.bands[3]", "there is no setting m.bands[3]"),
    ("@DROP TABLE", "there is no setting DROP TABLE"),
    ("@m.name", "“x” is not a number"),
])
def test_references_to_missing_or_unfit_settings_are_refused(value, message):
    with pytest.raises(Invalid) as caught:
        parse([rule({"field": "amount", "op": ">=", "value": value})])
    assert message in str(caught.value)


def test_a_reference_can_make_between_upside_down_and_is_refused():
    with pytest.raises(Invalid, match="low end"):
        parse([rule({"field": "amount", "op": "between", "value": ["@m.vp", "@m.head"]})])


# -- steps with conditions -------------------------------------------------------------
class Resolver:
    """Everyone resolves to the vice president (30)."""

    org = ORG
    fallback_role = "sysadmin"

    def resolve(self, selector):
        return [30], []

    def fallback(self):
        return []

    def _name(self, user_id):
        return str(user_id)


STEPS = [{"name": "主管", "approvers": {"kind": "manager"}},
         {"name": "预算", "approvers": {"kind": "manager"}, "allow_repeat": True,
          "conditions": [{"field": "urgent", "op": "=", "value": "yes"}]},
         {"name": "财务", "approvers": {"kind": "manager"}, "allow_repeat": True,
          "conditions": [{"field": "amount", "op": ">=", "value": "@m.head"}]}]


def test_a_step_is_asked_only_when_its_own_conditions_hold():
    rules = parse([{"conditions": [], "steps": STEPS}])
    fields = {f.key: f for f in FIELDS}
    small = route(rules, {"amount": Decimal(100), "urgent": False}, fields, Resolver())
    assert [s.name for s in small.steps] == ["主管"]
    assert [(s.name, s.origin) for s in small.plan] == [("主管", "policy"), ("预算", "omitted"), ("财务", "omitted")]
    assert small.plan[1].notes[0].params == {"condition": "urgent = yes"}
    big = route(rules, {"amount": Decimal(3000), "urgent": "true"}, fields, Resolver())
    assert [s.name for s in big.steps] == ["主管", "预算", "财务"]
    assert big.steps[2].notes[0].message == "Asked because %(condition)s." and \
        big.steps[2].notes[0].params == {"condition": "amount ≥ 2000"}
    stored = rules_to_json(rules)
    assert stored[0]["steps"][2]["conditions"] == [
        {"field": "amount", "op": ">=", "value": {"setting": "m.head", "value": "2000"}}]
    assert "conditions" not in stored[0]["steps"][0]


def test_a_steps_conditions_are_checked_like_a_rules():
    bad = [{"conditions": [], "steps": [{**STEPS[1], "conditions": [{"field": "salary", "op": "=", "value": 1}]}]}]
    with pytest.raises(Invalid, match="unknown field “salary”"):
        parse(bad)
    with pytest.raises(Invalid, match="at most 20 conditions"):
        parse([{"conditions": [], "steps": [{**STEPS[1], "conditions": [STEPS[1]["conditions"][0]] * 21}]}])


# -- through the settings page ---------------------------------------------------------
def _current(type_key="example.order") -> ApprovalPolicy:
    return db.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                          ApprovalPolicy.is_current))


def _request(app, order_id: int):
    with app.app_context():
        from intranet.approvals import ApprovalRequest

        approval = db.session.scalar(select(ApprovalRequest).where(ApprovalRequest.type_key == "example.order",
                                                                   ApprovalRequest.document_id == str(order_id)))
        return approval.policy.version, len(approval.steps)


def test_changing_a_followed_setting_makes_a_new_version_and_requests_in_flight_keep_theirs(
        app, client, auth, company):
    auth.login("zhangwei")
    in_flight = file_order(client, amount="6000")  # version 1: 5000 and above asks the VP too
    assert _request(app, in_flight) == (1, 2)
    auth.logout()
    auth.login("hanmei")
    assert client.post("/admin/settings", data={"example.vp_threshold": "8000"}).status_code == 302
    with app.app_context():
        policy = _current()
        assert policy.version == 2 and policy.created_by_id == company["hanmei"]
        assert policy.rules[0]["conditions"][0]["value"] == {"setting": "example.vp_threshold", "value": "8000"}
        # written once in the company's language, like a note an administrator types
        assert policy.note == "随设置 example.vp_threshold 变更：5000 → 8000"
        assert db.session.scalar(select(func.count()).where(AuditEntry.entity == "core_approval_policy",
                                                            AuditEntry.action == "create",
                                                            AuditEntry.actor_id == company["hanmei"])) == 1
    # in flight: still version 1 and its two steps; a new order of 6000 now needs the head only
    assert _request(app, in_flight) == (1, 2)
    assert _request(app, file_order(client, amount="6000")) == (2, 1)
    # the same value again changes nothing; the editor shows the reference and what it reads now
    assert client.post("/admin/settings", data={"example.vp_threshold": "8000"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.max(ApprovalPolicy.version))) == 2
    page = client.get("/approvals/policies/example.order").get_data(as_text=True)
    assert 'value="@example.vp_threshold"' in page and "Amount from which the vice president also approves" in page
    assert "(now 8000)" in page and "随设置 example.vp_threshold 变更：5000 → 8000" in page
    page = client.get("/approvals/policies/example.order/simulate",
                      query_string={"requester": "E0302", "amount": "9000"}).get_data(as_text=True)
    assert "Amount ≥ 8000" in page and "follows “Amount from which the vice president also approves”" in page


def test_a_setting_the_policy_cannot_follow_is_refused_beside_the_field(app, client, auth, company):
    with app.app_context():
        state = app.extensions["intranet"]
        engine = engine_for(db.session, state, enabled=state.registry.modules)
        engine.save_policy("example.order", [rule({"field": "amount", "op": "between",
                                                   "value": ["@example.reminder_days", "@example.vp_threshold"]})],
                           note="", actor_id=None)
        db.session.commit()
    auth.login("hanmei")
    response = client.post("/admin/settings", data={"example.vp_threshold": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "the low end of “between” is above the high end" in page
    assert "Nothing was saved" in page
    with app.app_context():
        assert _current().version == 2
    with app.test_request_context():
        from intranet.web import settings

        assert settings()["example.vp_threshold"] == Decimal(5000)


def test_the_editor_saves_a_steps_condition_and_the_simulator_explains_it(app, client, auth, company):
    from .test_views import POLICY_FORM

    auth.login("hanmei")
    page = client.post("/approvals/policies/example.order",
                       data={**POLICY_FORM, "action": "add_step_condition-1-0"}).get_data(as_text=True)
    assert 'name="rules-1-steps-0-conditions-0-value"' in page and "Only when" in page
    form = {**POLICY_FORM, "rules-1-steps-1-name": "副总", "rules-1-steps-1-approvers": "department_vp",
            "rules-1-steps-1-mode": "any", "rules-1-steps-1-conditions-0-field": "amount",
            "rules-1-steps-1-conditions-0-op": ">=", "rules-1-steps-1-conditions-0-value": "@example.vp_threshold"}
    bad = client.post("/approvals/policies/example.order",
                      data={**form, "rules-1-steps-1-conditions-0-value": "@example.nothing"})
    assert bad.status_code == 422 and "there is no setting example.nothing" in bad.get_data(as_text=True)
    assert client.post("/approvals/policies/example.order", data=form).status_code == 302
    with app.app_context():
        policy = _current()
        assert policy.rules[1]["steps"][1]["conditions"] == [
        {"field": "amount", "op": ">=", "value": {"setting": "example.vp_threshold", "value": "5000"}}]
    page = client.get("/approvals/policies/example.order/simulate",
                      query_string={"requester": "E0302", "amount": "3000"}).get_data(as_text=True)
    assert "Rule 2 of version 2" in page and "not needed for this document" in page
    assert "Not asked: only when amount ≥ 5000." in page and "only when <code>Amount ≥ 5000" in page


def test_a_policy_follows_one_limit_of_amount_bands(app, client, auth, company):
    auth.login("hanmei")
    form = {**_editor_form(), "rules-0-conditions-0-value": "@example.bands[2]"}
    page = client.get("/approvals/policies/example.order").get_data(as_text=True)
    assert '<option value="@example.bands[2]">Order amount bands, limit 2</option>' in page
    assert client.post("/approvals/policies/example.order", data=form).status_code == 302
    # moving the first limit leaves the version; moving the second makes a new one
    assert client.post("/admin/settings", data={"example.bands": ["1000", "20,000"]}).status_code == 302
    with app.app_context():
        assert _current().version == 2
    assert client.post("/admin/settings", data={"example.bands": ["1000", "30,000"]}).status_code == 302
    with app.app_context():
        policy = _current()
        assert policy.version == 3 and policy.rules[0]["conditions"][0]["value"] == {
            "setting": "example.bands[2]", "value": "30000"}
    # a band the policy follows cannot disappear
    response = client.post("/admin/settings", data={"example.bands": ["1000", ""]})
    assert response.status_code == 422 and "there is no setting example.bands[2] with one value" in \
        response.get_data(as_text=True)
    page = client.get("/approvals/policies/example.order/simulate",
                      query_string={"requester": "E0302", "amount": "40000"}).get_data(as_text=True)
    assert "Amount ≥ 30000 <span class=\"follows\">(follows “Order amount bands, limit 2” (now 30000))" in page


def _editor_form():
    from .test_views import POLICY_FORM

    return dict(POLICY_FORM)
