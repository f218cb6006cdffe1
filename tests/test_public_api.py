"""Modules meet the core through its public API only, and never import each other:
``intranet`` and each core sub-package's ``__init__``."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "intranet"
#: The core's sub-packages: a module may import each of them, not the files inside.
PUBLIC = {"intranet"} | {f"intranet.{p.name}" for p in CORE.iterdir() if (p / "__init__.py").is_file()}
MODULES = sorted([p for p in (ROOT / "plugins").iterdir() if (p / "__init__.py").is_file()] +
                 [ROOT / "tests" / name for name in ("example_module", "thrifty_module", "needy_module")])


def imports_of(package: Path):
    """(file, line, imported module) of every import in a module's package."""
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.parts:  # Alembic scripts run outside the app
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield path, node.lineno, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name


@pytest.mark.parametrize("package", MODULES, ids=lambda p: p.name)
def test_a_module_imports_only_the_public_api_and_no_other_module(package):
    own = f"{package.parent.name}.{package.name}"
    wrong = []
    for path, line, name in imports_of(package):
        where = f"{path.relative_to(ROOT)}:{line} imports {name}"
        if name.startswith("intranet") and name not in PUBLIC:
            wrong.append(where)
        elif name.startswith(("plugins.", "tests.")) and not name.startswith(own):
            wrong.append(where)
    assert wrong == []


def test_the_check_knows_what_is_public():
    assert {"intranet.web", "intranet.documents", "intranet.approvals"} <= PUBLIC
    assert "intranet.web.lists" not in PUBLIC and "intranet.i18n" not in PUBLIC
