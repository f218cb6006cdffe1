"""The plugin manager: discovery, the one-key rule, and the module switchboard.

Every process area is a pluggy plugin found through the ``intranet.plugins``
entry-point group. :func:`build_registry` runs inside ``create_app`` and keeps
the result on ``app.extensions["intranet"]`` so tests can build apps with
different plugin sets side by side.

Whether a module is switched on lives in the database (``core_module``) and is
read per request through :mod:`intranet.runtime`; :meth:`PluginRegistry.hooks`
then calls run-time hooks on the switched-on modules only.
"""
from __future__ import annotations

import ast
import importlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import pluggy
from sqlalchemy import Select

from . import hookspecs
from .pagination import count_each_up_to

hookimpl = pluggy.HookimplMarker("intranet")

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,30}$")

#: Names the core uses for its own blueprints, tables and permissions.
RESERVED_KEYS = frozenset({
    "core", "auth", "org", "admin", "audit", "notify", "approvals", "pdf", "web",
    "static", "api", "settings", "files", "verify", "search", "me",
})

#: The core's own features, wired through the same hooks as any module.
CORE_HOOK_MODULES = (
    "intranet.web.hooks",
    "intranet.auth.hooks",
    "intranet.org.hooks",
    "intranet.admin.hooks",
    "intranet.audit.hooks",
    "intranet.notify.hooks",
    "intranet.approvals.hooks",
    "intranet.pdf.hooks",
)


class ModuleRuleError(RuntimeError):
    """A module breaks the one-key rule or clashes with another module."""


@dataclass(frozen=True)
class ModuleInfo:
    """What ``intranet_module`` returns: the identity of a module."""

    key: str
    title: Any
    version: str = "1.0"
    depends_on: tuple[str, ...] = ()
    icon: str = "box"
    description: Any = ""


@dataclass(frozen=True)
class MenuItem:
    """A navigation entry with an optional ``badge``: a count shown beside it.

    Give the badge as the rows to count, a ``SELECT`` built once at import whose
    only bind parameter is ``:user_id`` (the signed-in user): the layout counts
    every badge of the menu in one statement, each no further than
    :data:`BADGE_LIMIT`. A plain ``int`` is shown as it is.
    """

    label: Any
    endpoint: str
    icon: str = "dot"
    order: int = 100
    badge: int | Select | None = None
    section: str = "main"
    url_values: dict = field(default_factory=dict)


#: Menu badges count this far and then read "99+": every page shows them, and counting
#: an approver's queue of thousands on each would cost time and tell nothing more.
BADGE_LIMIT = 100


@dataclass(frozen=True)
class Widget:
    """A dashboard card. ``render`` returns the context for ``template``."""

    key: str
    title: Any
    template: str
    render: Callable[[], dict]
    order: int = 100
    wide: bool = False


@dataclass(frozen=True)
class SearchResult:
    title: str
    url: str
    kind: Any = ""
    snippet: str = ""


@dataclass
class Module:
    """An installed module: its identity and where its code lives."""

    key: str
    info: ModuleInfo
    plugin: ModuleType | object
    package: str
    blueprints: list = field(default_factory=list)
    tables: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return Path(importlib.import_module(self.package).__file__).parent

    @property
    def migrations_dir(self) -> Path:
        return self.root / "migrations"


class PluginRegistry:
    """Installed modules and the hooks to call them through."""

    def __init__(self, pm: pluggy.PluginManager, modules: dict[str, Module]):
        self.pm = pm
        self.modules = modules
        self._subset_callers: dict[frozenset[str], "_Hooks"] = {}
        self.blueprint_module: dict[str, str] = {}
        for module in modules.values():
            for bp in module.blueprints:
                self.blueprint_module[bp.name] = module.key

    # -- calling hooks --------------------------------------------------------
    @property
    def all_hooks(self):
        """Hooks of every installed module (start-up and installation hooks)."""
        return self.pm.hook

    def hooks(self, enabled: Iterable[str]) -> "_Hooks":
        """Hooks of the core plus the switched-on modules among ``enabled``."""
        disabled = frozenset(self.modules) - frozenset(enabled)
        callers = self._subset_callers.get(disabled)
        if callers is None:
            removed = [self.modules[key].plugin for key in disabled]
            callers = _Hooks(self.pm, removed)
            self._subset_callers[disabled] = callers
        return callers

    # -- dependencies ---------------------------------------------------------
    def dependants(self, key: str) -> list[str]:
        """Modules that declare ``key`` in ``depends_on``."""
        return sorted(m.key for m in self.modules.values() if key in m.info.depends_on)


class _Hooks:
    """Attribute access to hook callers that skip some plugins."""

    def __init__(self, pm: pluggy.PluginManager, removed: list):
        self._pm = pm
        self._removed = removed
        self._callers: dict[str, Any] = {}

    def __getattr__(self, name: str):
        caller = self._callers.get(name)
        if caller is None:
            if self._removed:
                caller = self._pm.subset_hook_caller(name, remove_plugins=self._removed)
            else:
                caller = getattr(self._pm.hook, name)
            self._callers[name] = caller
        return caller


def build_registry(*, entry_points: bool, only: Iterable[str] | None = None,
                   extra: Iterable[str] = ()) -> PluginRegistry:
    """Discover and validate the plugins; the core's hook modules come first.

    :param entry_points: load the ``intranet.plugins`` entry points.
    :param only: when given, the entry-point names to load (others are ignored).
    :param extra: import paths of further plugin packages (used by tests).
    """
    pm = pluggy.PluginManager("intranet")
    pm.add_hookspecs(hookspecs)
    for name in CORE_HOOK_MODULES:
        pm.register(importlib.import_module(name), name=name)
    if entry_points:
        _load_entry_points(pm, only)
    for path in extra:
        plugin = importlib.import_module(path)
        # Not registered yet, so ask the module directly for the key to register it under.
        pm.register(plugin, name=plugin.intranet_module().key)
    pm.check_pending()
    modules = {}
    for name, plugin in pm.list_name_plugin():
        if name in CORE_HOOK_MODULES:
            continue
        module = _describe(pm, name, plugin)
        if module.key in modules:
            raise ModuleRuleError(f"module key {module.key!r} is used twice")
        modules[module.key] = module
    for module in modules.values():
        _check_dependencies(module, modules)
    return PluginRegistry(pm, modules)


def _load_entry_points(pm: pluggy.PluginManager, only: Iterable[str] | None) -> None:
    from importlib.metadata import entry_points

    wanted = None if only is None else set(only)
    for ep in entry_points(group="intranet.plugins"):
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is None:
            pm.register(ep.load(), name=ep.name)


def _module_info(pm: pluggy.PluginManager, plugin) -> ModuleInfo:
    impls = [i for i in pm.hook.intranet_module.get_hookimpls() if i.plugin is plugin]
    if not impls:
        raise ModuleRuleError(f"plugin {plugin!r} does not implement intranet_module")
    return impls[0].function()


def _describe(pm: pluggy.PluginManager, name: str, plugin) -> Module:
    info = _module_info(pm, plugin)
    key = info.key
    if not KEY_PATTERN.match(key) or key in RESERVED_KEYS:
        raise ModuleRuleError(f"module key {key!r} is reserved or not a lowercase identifier")
    if name != key:
        raise ModuleRuleError(f"entry point {name!r} registers module {key!r}; they must match")
    package = plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__
    blueprints = _call_one(pm, "intranet_blueprints", plugin)
    module = Module(key=key, info=info, plugin=plugin, package=package, blueprints=blueprints)
    _check_blueprints(module)
    module.tables = _tables_of(package)
    _check_tables(module)
    _check_migrations(module)
    for kind, items in (("permission", _call_one(pm, "intranet_permissions", plugin)),
                        ("setting", _call_one(pm, "intranet_settings", plugin)),
                        ("approval type", _call_one(pm, "intranet_approval_types", plugin)),
                        ("PDF template", _call_one(pm, "intranet_pdf_templates", plugin))):
        check_prefixed(key, kind, (item.key for item in items))
    return module


def _call_one(pm: pluggy.PluginManager, hook_name: str, plugin) -> list:
    """Call one plugin's implementation of a list-returning hook."""
    hook = getattr(pm.hook, hook_name)
    results = []
    for impl in hook.get_hookimpls():
        if impl.plugin is plugin:
            results.extend(impl.function() or [])
    return results


def check_prefixed(key: str, kind: str, names: Iterable[str]) -> None:
    """Refuse names of a module that do not start with ``<key>.``."""
    for name in names:
        if not name.startswith(f"{key}."):
            raise ModuleRuleError(f"module {key!r} declares {kind} {name!r}; it must start with '{key}.'")


def _check_blueprints(module: Module) -> None:
    for bp in module.blueprints:
        if bp.name != module.key:
            raise ModuleRuleError(f"module {module.key!r} registers blueprint {bp.name!r}; name it {module.key!r}")
        if bp.template_folder:
            folder = Path(bp.root_path) / bp.template_folder
            entries = {p.name for p in folder.iterdir() if not p.name.startswith((".", "__"))}
            if entries - {module.key}:
                raise ModuleRuleError(
                    f"module {module.key!r} keeps templates outside templates/{module.key}/: {sorted(entries)}")


def _tables_of(package: str) -> list[str]:
    from .db import db

    tables = set()
    for mapper in db.Model.registry.mappers:
        owner = mapper.class_.__module__
        if owner == package or owner.startswith(package + "."):
            tables.update(t.name for t in mapper.tables)
    return sorted(tables)


def _check_tables(module: Module) -> None:
    for table in module.tables:
        if not table.startswith(f"{module.key}_"):
            raise ModuleRuleError(f"module {module.key!r} defines table {table!r}; prefix it '{module.key}_'")


def _check_migrations(module: Module) -> None:
    if not module.tables:
        return
    versions = module.migrations_dir / "versions"
    labels = set()
    for script in versions.glob("*.py") if versions.is_dir() else ():
        labels.update(_branch_labels(script))
    if module.key not in labels:
        raise ModuleRuleError(
            f"module {module.key!r} has tables but no migration with branch_labels=({module.key!r},) "
            f"under {versions}")


def _branch_labels(script: Path) -> set[str]:
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == "branch_labels" for t in targets):
                value = ast.literal_eval(node.value) if node.value is not None else None
                if isinstance(value, str):
                    return {value}
                return set(value or ())
    return set()


def _check_dependencies(module: Module, modules: dict[str, Module]) -> None:
    for dep in module.info.depends_on:
        if dep not in modules:
            raise ModuleRuleError(f"module {module.key!r} depends on {dep!r}, which is not installed")


def count_badges(session, items: Iterable[MenuItem], user_id: int) -> list[MenuItem]:
    """``items`` with each badge given as rows to count replaced by its count."""
    items = list(items)
    counted = [i for i, item in enumerate(items) if isinstance(item.badge, Select)]
    counts = count_each_up_to(session, [items[i].badge for i in counted], {"user_id": user_id}, BADGE_LIMIT)
    for i, count in zip(counted, counts):
        items[i] = replace(items[i], badge=count)
    return items
