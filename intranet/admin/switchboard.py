"""Switching modules on and off: dependencies both ways, data always kept."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import N_, Conflict, NotFound
from ..plugins import PluginRegistry
from .models import ModuleState


def load_module_states(session: Session) -> Mapping[str, bool]:
    """Runtime loader: module key -> switched on (as stored)."""
    return dict(session.execute(select(ModuleState.key, ModuleState.enabled)).all())


def enabled_modules(registry: PluginRegistry, states: Mapping[str, bool]) -> frozenset[str]:
    """Installed modules that are on and whose dependencies are all on."""
    wanted = {key for key in registry.modules if states.get(key, True)}
    changed = True
    while changed:  # a module whose dependency is off is off too
        changed = False
        for key in list(wanted):
            if any(dep not in wanted for dep in registry.modules[key].info.depends_on):
                wanted.discard(key)
                changed = True
    return frozenset(wanted)


@dataclass(frozen=True)
class ModuleRow:
    key: str
    title: Any
    version: str
    icon: str
    description: Any
    enabled: bool
    depends_on: tuple[str, ...]
    dependants: list[str]
    pending: int


def overview(registry: PluginRegistry, states: Mapping[str, bool],
             pending: Mapping[str, int]) -> list[ModuleRow]:
    enabled = enabled_modules(registry, states)
    return [ModuleRow(key=m.key, title=m.info.title, version=m.info.version, icon=m.info.icon,
                      description=m.info.description, enabled=m.key in enabled,
                      depends_on=m.info.depends_on, dependants=registry.dependants(m.key),
                      pending=pending.get(m.key, 0))
            for m in sorted(registry.modules.values(), key=lambda m: m.key)]


def set_enabled(session: Session, registry: PluginRegistry, key: str, enabled: bool,
                *, actor_id: int | None = None) -> None:
    """Switch a module on or off. Turning off never touches the module's data."""
    if key not in registry.modules:
        raise NotFound(N_("There is no module %(key)s."), key=key)
    states = load_module_states(session)
    current = enabled_modules(registry, states)
    if enabled:
        missing = [dep for dep in registry.modules[key].info.depends_on if dep not in current]
        if missing:
            raise Conflict(N_("Switch on %(modules)s first: %(key)s needs it."),
                           modules=", ".join(missing), key=key)
    else:
        needed_by = [dep for dep in registry.dependants(key) if dep in current]
        if needed_by:
            raise Conflict(N_("%(modules)s needs %(key)s; switch it off first."),
                           modules=", ".join(needed_by), key=key)
    state = session.get(ModuleState, key)
    if state is None:
        state = ModuleState(key=key, version=registry.modules[key].info.version)
        session.add(state)
    state.enabled = enabled
    state.changed_by_id = actor_id
    session.flush()
