"""Start-up refuses modules that break the one-key rule."""
from __future__ import annotations

import importlib.metadata
from dataclasses import replace

import pluggy
import pytest

from intranet.plugins import Module, ModuleInfo, ModuleRuleError, _check_migrations, _check_tables, build_registry


def registry_with(*paths):
    return build_registry(entry_points=False, extra=paths)


@pytest.mark.parametrize("path, message", [
    ("tests.bad_modules.wrong_blueprint", "registers blueprint 'something_else'; name it 'wrongbp'"),
    ("tests.bad_modules.wrong_permission", "declares permission 'approve_everything'; it must start with 'wrongperm.'"),
    ("tests.bad_modules.reserved_key", "module key 'admin' is reserved"),
    ("tests.bad_modules.stray_templates", "keeps templates outside templates/stray/"),
])
def test_modules_breaking_the_key_rule_are_refused(path, message):
    with pytest.raises(ModuleRuleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        registry_with(path)


def test_a_misspelled_hook_fails_loudly():
    with pytest.raises(pluggy.PluginValidationError, match="intranet_menu_itmes"):
        registry_with("tests.bad_modules.misspelled_hook")


def test_a_module_whose_dependency_is_not_installed_is_refused():
    with pytest.raises(ModuleRuleError, match="'lonely' depends on 'nowhere', which is not installed"):
        registry_with("tests.bad_modules.missing_dependency")


def test_two_modules_cannot_share_a_key():
    with pytest.raises(ValueError, match="example"):
        registry_with("tests.example_module", "tests.example_module")


def test_the_entry_point_name_must_be_the_module_key(monkeypatch):
    fake = importlib.metadata.EntryPoint("renamed", "tests.example_module", "intranet.plugins")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda group: [fake])
    with pytest.raises(ModuleRuleError, match="entry point 'renamed' registers module 'example'"):
        build_registry(entry_points=True)


def test_tables_must_carry_the_module_prefix():
    module = Module(key="needy", info=ModuleInfo("needy", "Needy"), plugin=None, package="tests.needy_module",
                    tables=["other_things"])
    with pytest.raises(ModuleRuleError, match="table 'other_things'; prefix it 'needy_'"):
        _check_tables(module)


def test_a_module_with_tables_needs_its_migration_branch():
    module = Module(key="needy", info=ModuleInfo("needy", "Needy"), plugin=None, package="tests.needy_module",
                    tables=["needy_things"])
    with pytest.raises(ModuleRuleError, match=r"no migration with branch_labels=\('needy',\)"):
        _check_migrations(module)


def test_the_example_module_passes_every_rule():
    registry = registry_with("tests.example_module", "tests.needy_module")
    assert sorted(registry.modules) == ["example", "needy"]
    assert registry.dependants("example") == ["needy"]
    assert registry.blueprint_module["example"] == "example"


def test_the_core_never_imports_a_plugin():
    import pathlib
    import re

    core = pathlib.Path(__file__).parent.parent / "intranet"
    offenders = [str(p) for p in core.rglob("*.py")
                 if re.search(r"^\s*(from|import)\s+plugins\b", p.read_text(encoding="utf-8"), re.M)]
    assert offenders == []


def test_a_model_the_module_does_not_declare_is_refused():
    """Tables are read from intranet_models, never found by the accident of an import."""
    from intranet.plugins import _check_undeclared
    from tests.example_module.models import ExampleItem, ExampleOrder, ExampleOrderLine

    module = Module(key="example", info=ModuleInfo("example", "Example"), plugin=None, package="tests.example_module",
                    models=[ExampleItem, ExampleOrder])
    with pytest.raises(ModuleRuleError, match="defines model ExampleOrderLine but does not list it"):
        _check_undeclared(module)
    module.models.append(ExampleOrderLine)
    _check_undeclared(module)


@pytest.mark.parametrize("path, error, message", [
    ("tests.bad_modules.misspelled_declared_hook", pluggy.PluginValidationError, "example_stok"),
    ("tests.bad_modules.wrong_shape_hook", pluggy.PluginValidationError, "warehouse"),
    ("tests.bad_modules.unprefixed_hook", ModuleRuleError, "declares hook 'stock_level'; its name must start with"),
])
def test_implementations_of_module_declared_hooks_are_checked_at_start(path, error, message):
    with pytest.raises(error, match=message):
        registry_with("tests.example_module", path)


def test_uses_orders_modules_after_what_they_use():
    registry = registry_with("tests.thrifty_module", "tests.example_module")
    assert registry.in_dependency_order() == ["example", "thrifty"]
    assert registry.users_of("example") == ["thrifty"]
    assert registry.hook_owner == {"example_stock": "example"}


def test_a_dependency_comes_before_a_module_that_only_uses_its_dependant():
    """example uses thrifty while thrifty depends on example: example still comes first, in either
    order of discovery (procurement uses the warehouse, which depends on procurement)."""
    registry = registry_with("tests.thrifty_module", "tests.example_module")
    registry.modules["thrifty"].info = replace(registry.modules["thrifty"].info, depends_on=("example",), uses=())
    registry.modules["example"].info = replace(registry.modules["example"].info, uses=("thrifty",))
    assert registry.in_dependency_order() == ["example", "thrifty"]
