"""The extractor sits below the API: no module under extractor/ imports `api` (issue 13).

The command line wires the two together (stayform/cli.py gives `stayform batch --queue` the
review queue); a module of the extractor reaching up into the API would tie the library to the
service's database and web stack.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACTOR = Path(__file__).resolve().parents[2] / "extractor"
FORBIDDEN = "api"


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) of every import in `tree`, at any depth (functions, TYPE_CHECKING ...);
    a name imported from a module counts as `module.name` too (it may be a submodule)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
              in ("import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


def _reaches_up(module: str) -> bool:
    return module == FORBIDDEN or module.startswith(FORBIDDEN + ".")


def test_no_extractor_module_imports_the_api() -> None:
    modules = sorted(EXTRACTOR.rglob("*.py"))
    assert len(modules) > 10, "the extractor's modules were not found"
    offenders = [f"{path.relative_to(EXTRACTOR.parent)}:{line} imports {name}"
                 for path in modules
                 for line, name in _imported(ast.parse(path.read_text(encoding="utf-8")))
                 if _reaches_up(name)]
    assert offenders == []


@pytest.mark.parametrize(("source", "caught"), [
    ("import api", True),
    ("import api.batch_queue as q", True),
    ("from api.batch_queue import QueueWriter", True),
    ("def f():\n    from api import store", True),
    ("import importlib\nimportlib.import_module('api.db')", True),
    ("from extractor.form import FIELDS", False),
    ("import apis", False),
    ("from . import api", False),  # extractor's own (relative) module named api
])
def test_the_check_sees_every_kind_of_import(source: str, caught: bool) -> None:
    assert any(_reaches_up(name) for _, name in _imported(ast.parse(source))) is caught


# -- the shape of the package (issue 13) -------------------------------------------------------

MAX_LINES = 350


def _module_name(path: Path) -> str:
    parts = path.relative_to(EXTRACTOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    """extractor module -> the extractor modules it imports (lazy imports included)."""
    modules = {_module_name(p): p for p in EXTRACTOR.rglob("*.py")}
    return {name: {m for _, m in _imported(ast.parse(path.read_text(encoding="utf-8")))
                   if m in modules and m != name}
            for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of `graph`, each as the path that closes it."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append(path[path.index(nxt):] + [node, nxt] if nxt in path
                             else [node, nxt])
            elif nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    return found


def test_no_two_extractor_modules_import_each_other() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_sees_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) != []
    assert _cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_extractor_module_is_over_350_lines() -> None:
    long = {str(p.relative_to(EXTRACTOR.parent)): n for p in EXTRACTOR.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
