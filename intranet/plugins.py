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
import importlib.metadata
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterable

import pluggy
from sqlalchemy import Select
from sqlalchemy import inspect as sa_inspect

from . import hookspecs
from .db import Model
from .pagination import count_each_up_to

hookimpl = pluggy.HookimplMarker("intranet")

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,30}$")

#: Names the core uses for its own blueprints, tables and permissions.
RESERVED_KEYS = frozenset({
    "core", "auth", "org", "admin", "audit", "notify", "approvals", "pdf", "web",
    "static", "api", "settings", "files", "verify", "search", "me", "documents", "dashboard",
    "intranet",
})

#: The core's own features, wired through the same hooks as any module.
CORE_HOOK_MODULES = (
    "intranet.dashboard.hooks",
    "intranet.settings.hooks",
    "intranet.auth.hooks",
    "intranet.org.hooks",
    "intranet.admin.hooks",
    "intranet.audit.hooks",
    "intranet.notify.hooks",
    "intranet.approvals.hooks",
    "intranet.pdf.hooks",
    "intranet.documents.hooks",
)


class ModuleRuleError(RuntimeError):
    """A module breaks the one-key rule or clashes with another module."""


@dataclass(frozen=True)
class ModuleInfo:
    """What ``intranet_module`` returns: the identity of a module."""

    key: str
    title: Any
    version: str = "1.0"
    #: modules this one cannot work without (switched on first, never switched off under it)
    depends_on: tuple[str, ...] = ()
    icon: str = "box"
    description: Any = ""
    #: modules this one uses when they are on ("shows the remaining budget when budget is on")
    uses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Permission:
    """A permission a module declares (``intranet_permissions``) and checks; ``default_roles`` get it on first sight."""

    key: str
    label: Any
    description: Any = ""
    default_roles: tuple[str, ...] = ()

    @property
    def module(self) -> str:
        return self.key.split(".", 1)[0]


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
class Answer:
    """What asking another module's hook gave.

    ``available`` is False when the module that declares the hook is switched off or
    not installed (say "no budget check was made"); otherwise ``value`` is the hook's
    answer, which may itself be None ("no budget line").
    """

    available: bool
    value: Any = None


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
    models: list[type] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    #: names of the hooks the module declares for others (``intranet_addhooks``)
    declares: list[str] = field(default_factory=list)

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
        #: hook name -> the module that declares it
        self.hook_owner: dict[str, str] = {}
        for module in modules.values():
            for bp in module.blueprints:
                self.blueprint_module[bp.name] = module.key
            for name in module.declares:
                self.hook_owner[name] = module.key

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

    def ask(self, enabled: Iterable[str], hook_name: str, **kwargs) -> "Answer":
        """Call a hook another module declared, telling "that module is off or absent"
        from "no answer" (see :func:`intranet.ask`)."""
        owner = self.hook_owner.get(hook_name)
        if owner is None or owner not in frozenset(enabled):
            return Answer(available=False)
        return Answer(available=True, value=getattr(self.hooks(enabled), hook_name)(**kwargs))

    # -- dependencies ---------------------------------------------------------
    def dependants(self, key: str) -> list[str]:
        """Modules that declare ``key`` in ``depends_on``."""
        return sorted(m.key for m in self.modules.values() if key in m.info.depends_on)

    def call_in_order(self, hook_name: str, enabled: Iterable[str], **kwargs) -> None:
        """Call a hook on the switched-on modules one by one, each after those it depends on or uses."""
        enabled = frozenset(enabled)
        for key in self.in_dependency_order():
            if key not in enabled:
                continue
            for impl in getattr(self.pm.hook, hook_name).get_hookimpls():
                if impl.plugin is self.modules[key].plugin:
                    impl.function(**{name: kwargs[name] for name in impl.argnames})

    def users_of(self, key: str) -> list[str]:
        """Modules that use ``key`` when it is on (``uses``)."""
        return sorted(m.key for m in self.modules.values() if key in m.info.uses)

    def in_dependency_order(self) -> list[str]:
        """Module keys, each after the modules it depends on or uses (demo data runs so).

        When two modules name each other (procurement uses the warehouse's delivery figures,
        the warehouse depends on procurement's orders), the dependency wins: a module it
        depends on comes first, a module that only uses the other comes later."""
        done: list[str] = []

        def visit(key: str, path: tuple[str, ...]) -> None:
            if key in done or key not in self.modules or key in path:
                return
            info = self.modules[key].info
            used = [dep for dep in info.uses if dep not in self.modules or key not in self.modules[dep].info.depends_on]
            for dep in (*info.depends_on, *used):
                visit(dep, (*path, key))
            done.append(key)

        for key in sorted(self.modules):
            visit(key, ())
        return done


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
    declared = {name: _add_hooks(pm, name, plugin) for name, plugin in pm.list_name_plugin()
                if name not in CORE_HOOK_MODULES}
    pm.check_pending()
    modules = {}
    for name, plugin in pm.list_name_plugin():
        if name in CORE_HOOK_MODULES:
            continue
        module = _describe(pm, name, plugin)
        module.declares = declared[name]
        if module.key in modules:
            raise ModuleRuleError(f"module key {module.key!r} is used twice")
        modules[module.key] = module
    for module in modules.values():
        _check_dependencies(module, modules)
    return PluginRegistry(pm, modules)


def _load_entry_points(pm: pluggy.PluginManager, only: Iterable[str] | None) -> None:
    wanted = None if only is None else set(only)
    for ep in importlib.metadata.entry_points(group="intranet.plugins"):
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is None:
            pm.register(ep.load(), name=ep.name)


def _add_hooks(pm: pluggy.PluginManager, name: str, plugin) -> list[str]:
    """Let one plugin declare hooks of its own; they must carry its key."""
    before = _specified(pm)
    for impl in pm.hook.intranet_addhooks.get_hookimpls():
        if impl.plugin is plugin:
            impl.function(pluginmanager=pm)
    added = sorted(_specified(pm) - before)
    key = _module_info(pm, plugin).key
    for hook_name in added:
        if not hook_name.startswith(f"{key}_"):
            raise ModuleRuleError(f"module {key!r} declares hook {hook_name!r}; its name must start with '{key}_'")
    return added


def _specified(pm: pluggy.PluginManager) -> set[str]:
    """Hooks with a specification (an implementation alone also makes a caller, without one)."""
    return {name for name, caller in vars(pm.hook).items() if getattr(caller, "spec", None) is not None}


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
    models = _call_one(pm, "intranet_models", plugin)
    blueprints = _call_one(pm, "intranet_blueprints", plugin)
    module = Module(key=key, info=info, plugin=plugin, package=package, blueprints=blueprints, models=models)
    _check_blueprints(module)
    module.tables = sorted({table.name for model in models for table in _mapper_tables(model)})
    _check_undeclared(module)
    _check_tables(module)
    _check_migrations(module)
    for kind, items in (("permission", _call_one(pm, "intranet_permissions", plugin)),
                        ("setting", _call_one(pm, "intranet_settings", plugin)),
                        ("approval type", _call_one(pm, "intranet_approval_types", plugin)),
                        ("PDF template", _call_one(pm, "intranet_pdf_templates", plugin)),
                        ("document type", _call_one(pm, "intranet_document_types", plugin))):
        check_prefixed(key, kind, (item.key for item in items))
    for role in _call_one(pm, "intranet_roles", plugin):
        if not role.key.startswith(f"{key}_"):
            raise ModuleRuleError(f"module {key!r} declares role {role.key!r}; it must start with '{key}_'")
    for dep in info.uses:
        if dep == key:
            raise ModuleRuleError(f"module {key!r} cannot use itself")
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


def _mapper_tables(model) -> list:
    return list(sa_inspect(model).tables)


def _check_undeclared(module: Module) -> None:
    """A model of the module's package that ``intranet_models`` does not list would
    escape the table, migration and audit checks: refuse it."""
    declared = set(module.models)
    for mapper in Model.registry.mappers:
        owner = mapper.class_.__module__
        if (owner == module.package or owner.startswith(module.package + ".")) and mapper.class_ not in declared:
            raise ModuleRuleError(f"module {module.key!r} defines model {mapper.class_.__name__} but does not "
                                  f"list it in intranet_models")


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
    # ``uses`` may name a module that is not installed: the module then works without it.


def count_badges(session, items: Iterable[MenuItem], user_id: int) -> list[MenuItem]:
    """``items`` with each badge given as rows to count replaced by its count."""
    items = list(items)
    counted = [i for i, item in enumerate(items) if isinstance(item.badge, Select)]
    counts = count_each_up_to(session, [items[i].badge for i in counted], {"user_id": user_id}, BADGE_LIMIT)
    for i, count in zip(counted, counts):
        items[i] = replace(items[i], badge=count)
    return items
