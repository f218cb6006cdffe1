"""Installation: seed what the installed modules declare. Safe to run again.

``flask --app intranet init`` runs this after ``flask db upgrade``; a new
module's permissions get their default roles and its state row appears.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..approvals.context import engine_for
from ..approvals.models import ApprovalPolicy
from ..auth.permissions import BUILTIN_ROLES, sync_permissions
from ..errors import Invalid
from ..org.models import Role
from ..runtime import Generation
from .models import ModuleState


def install(session: Session, state) -> list[str]:
    """Seed roles, permissions and module states; return what was new."""
    news: list[str] = []
    if session.get(Generation, 1) is None:
        session.add(Generation(id=1, value=0))
    existing = set(session.scalars(select(Role.key)))
    declared = [(key, label) for key, label in BUILTIN_ROLES]
    declared += [(role.key, role.name) for group in state.registry.all_hooks.intranet_roles() for role in group or ()]
    for order, (key, label) in enumerate(declared):
        if key not in existing:
            session.add(Role(key=key, name=label, builtin=True, sort_order=order))
            news.append(f"role {key}")
    session.flush()
    roles = set(session.scalars(select(Role.key)))
    news += [f"permission {key}" for key in sync_permissions(session, state.permissions.values(), roles)]
    states = {s.key: s for s in session.scalars(select(ModuleState))}
    for key, module in state.registry.modules.items():
        if key not in states:
            session.add(ModuleState(key=key, enabled=True, version=module.info.version))
            news.append(f"module {key}")
        elif states[key].version != module.info.version:
            states[key].version = module.info.version
    session.flush()
    news += _seed_policies(session, state)
    return news


def _seed_policies(session: Session, state) -> list[str]:
    """Version 1 of each approval type's policy, where the organisation already
    has what the defaults name (otherwise the first use seeds it)."""
    seeded = set(session.scalars(select(ApprovalPolicy.type_key)))
    engine = engine_for(session, state, enabled=state.registry.modules)
    news = []
    for type_key in sorted(set(state.approval_types) - seeded):
        try:
            with session.begin_nested():
                engine.seed_policy(type_key)
        except Invalid:
            continue
        news.append(f"approval policy {type_key}")
    return news
