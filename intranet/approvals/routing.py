"""Routing: a type's versioned policy, and the route it gives a document (审批流程).

Pure routing lives in :mod:`.policy`; this part reads and writes the stored policy versions and
refuses a route nobody can walk.
"""
from __future__ import annotations

from typing import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import N_, Invalid
from ..org.chart import OrgChart
from .directory import DatabaseDirectory, Person
from .models import ApprovalPolicy
from .policy import Resolver, Route, Rule, parse_rules, route, rules_to_json
from .types import ApprovalType


class Routing:
    def __init__(self, session: Session, types: Mapping[str, ApprovalType], directory: DatabaseDirectory,
                 org: OrgChart, settings):
        self.session, self.types, self.directory, self.org, self.settings = session, types, directory, org, settings

    def current_policy(self, type_key: str) -> ApprovalPolicy:
        policy = self.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                                  ApprovalPolicy.is_current))
        if policy is None:
            policy = self.seed_policy(type_key)
        return policy

    def seed_policy(self, type_key: str) -> ApprovalPolicy:
        """Version 1 of a type's policy, from the module's defaults and settings."""
        kind = self.types[type_key]
        rules = self.parse(kind, kind.default_policy(self.settings))
        # No note: a note is what an administrator wrote; the page says this version is the module's default.
        policy = ApprovalPolicy(type_key=type_key, version=1, rules=rules_to_json(rules), is_current=True, note="")
        self.session.add(policy)
        self.session.flush()
        return policy

    def parse(self, kind: ApprovalType, raw) -> list[Rule]:
        return parse_rules(raw, kind.fields, self.directory, self.org, self.settings)

    def save_policy(self, type_key: str, raw, *, note: str, actor_id: int | None) -> ApprovalPolicy:
        """A new version; requests in flight keep the version they were routed by."""
        kind = self.types[type_key]
        rules = self.parse(kind, raw)
        current = self.session.scalar(select(ApprovalPolicy).where(ApprovalPolicy.type_key == type_key,
                                                                   ApprovalPolicy.is_current).with_for_update())
        version = (current.version if current else 0) + 1
        if current is not None:
            current.is_current = False
            self.session.flush()
        policy = ApprovalPolicy(type_key=type_key, version=version, rules=rules_to_json(rules), is_current=True,
                                note=note[:500], created_by_id=actor_id)
        self.session.add(policy)
        self.session.flush()
        return policy

    def simulate(self, type_key: str, values: dict, requester_id: int, policy: ApprovalPolicy | None = None
                 ) -> Route:
        """Who would approve this document, and why."""
        kind = self.types[type_key]
        policy = policy or self.current_policy(type_key)
        requester = self.directory.person(requester_id)
        if requester is None:
            raise Invalid(N_("Choose an existing employee."), field="requester")
        return route(self.parse(kind, policy.rules), values, kind.field_map, self.resolver(requester))

    def resolver(self, requester: Person) -> Resolver:
        return Resolver(self.directory, self.org, requester, self.settings["core.approval_fallback_role"])

    def plan(self, kind: ApprovalType, policy: ApprovalPolicy, values: dict, requester: Person) -> Route:
        """The route a submitted document takes; refuses one that no rule gives or nobody can approve."""
        planned = route(self.parse(kind, policy.rules), values, kind.field_map, self.resolver(requester))
        if planned.rule_index is None:
            raise Invalid(N_("No rule of the approval policy applies to this document; ask an administrator."))
        for step in planned.steps:
            if not step.approver_ids and step.origin != "skipped":
                raise Invalid(N_("Nobody can approve the step “%(name)s”; ask an administrator."), name=step.name)
        return planned
