"""Apps depend one way: peersupport <- members <- groups <- sessions <- finders <- feedback
<- space.

Every module of an app may import its own app and the apps below it at module level, never
one above. A lower app that must react to a higher one offers a hook (a registry the higher
app fills in its `AppConfig.ready()`, like `members.hooks` or `peersupport.home`).
The README's "Layout" section says what each app owns.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Lowest first; `sessions` is the meetings app (label "meetings"). `finders` (meeting
# finder feeds) builds on meetings and needs nothing of feedback; the order is one line, so
# it sits between them: feedback (and the space above it) may use it, it uses neither.
LAYERS = ["peersupport", "members", "groups", "sessions", "finders", "feedback", "space"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}
# Development-only apps and tools fill every app with demo or benchmark data: they sit
# above all apps by nature (and are not installed in production).
DEVELOPMENT_APPS = {"devdata"}
DEVELOPMENT_TOOLS = {
    "peersupport/scale.py",
    "peersupport/management/commands/seed_demo.py",
}


def _modules(app: str) -> list[pathlib.Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.relative_to(ROOT).parts
        and path.relative_to(ROOT).as_posix() not in DEVELOPMENT_TOOLS
    )


def _all_imports(tree: ast.Module) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _module_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of the imports that run when the module loads: its top level and the
    blocks directly in it (`if TYPE_CHECKING:` is left out, it never runs)."""
    found: list[tuple[int, str]] = []
    pending = list(tree.body)
    while pending:
        node = pending.pop(0)
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.If) and not _is_type_checking(node.test):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
        elif isinstance(node, ast.With):
            pending += node.body
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def upward_imports(app: str, *, inside_functions: bool = False) -> list[str]:
    """Each module-level import in `app` of an app above it, as 'path:line imports module'
    (`inside_functions`: every import, also those that run only when a function is called)."""
    upward = []
    read = _all_imports if inside_functions else _module_level_imports
    for path in _modules(app):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in read(tree):
            target = module.split(".")[0]
            if RANK.get(target, -1) > RANK[app]:
                upward.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return upward


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_no_app_above_it(app):
    assert upward_imports(app) == []


# Modules still reaching up from inside a function: the MFA rule reads groups' memberships
# and roles, the cache table reads which meeting fields a private feed shows. Each should
# go behind a hook filled by the app above, and then leave this list.
REACHING_UP_INSIDE_FUNCTIONS = {"peersupport/mfa.py", "peersupport/cache_scopes.py"}


@pytest.mark.parametrize("app", LAYERS)
def test_app_imports_no_app_above_it_even_inside_a_function(app):
    """An import inside a function that dodges a cycle is still an upward dependency."""
    found = {
        entry.split(":")[0]
        for entry in upward_imports(app, inside_functions=True)
        if entry.split(":")[0] not in REACHING_UP_INSIDE_FUNCTIONS
    }
    assert found == set()


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The walk itself: an upward import at the top or in a module-level block is found,
    one inside a function or under TYPE_CHECKING is not (those never run on import)."""
    package = tmp_path / "members"
    package.mkdir()
    (package / "bad.py").write_text(
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "from sessions.models import Meeting\n"
        "try:\n    import feedback.services\nexcept ImportError:\n    pass\n"
        "if TYPE_CHECKING:\n    from groups.models import PeerGroup\n"
        "def later():\n    from groups.models import PeerGroup\n"
        "from peersupport import tasks\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert upward_imports("members") == [
        "members/bad.py:3 imports sessions.models",
        "members/bad.py:5 imports feedback.services",
    ]


def test_every_app_is_in_the_order():
    """A new app must take its place in LAYERS (and in the README's layout)."""
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if (path.parent / "__init__.py").exists()
    }
    assert apps <= set(LAYERS) | DEVELOPMENT_APPS
