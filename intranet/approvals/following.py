"""Policies that follow settings: a changed setting makes a new version of each policy
that refers to it, so requests in flight keep the version (and the limits) they started with."""
from __future__ import annotations

from typing import Callable, Iterable

from sqlalchemy import select

from ..errors import Invalid
from .models import ApprovalPolicy
from .policy import references, rules_to_json, thaw


def follow_settings(engine, changed: Iterable[str], actor_id: int | None,
                    note: Callable[[set[str]], str]) -> list[ApprovalPolicy]:
    """New versions of the current policies that follow any of the ``changed`` setting keys.

    ``engine`` carries the settings as they are after the change; ``note(keys)`` says what
    changed in the version list. A policy that cannot take the new values refuses the change
    (Invalid beside the first setting it follows).
    """
    changed = set(changed)
    saved = []
    current = engine.session.scalars(select(ApprovalPolicy).where(ApprovalPolicy.is_current)
                                     .order_by(ApprovalPolicy.type_key)).all()
    for policy in current:
        followed = references(policy.rules) & changed
        kind = engine.types.get(policy.type_key)
        if not followed or kind is None:
            continue
        raw = thaw(policy.rules, followed)
        try:
            fresh = rules_to_json(engine.parse(kind, raw))
        except Invalid as problem:
            raise Invalid(problem.message, field=sorted(followed)[0], **problem.params) from None
        if fresh != policy.rules:  # e.g. only another limit of the same bands changed
            saved.append(engine.save_policy(policy.type_key, raw, note=note(followed), actor_id=actor_id))
    return saved
