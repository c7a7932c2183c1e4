"""The bundle package's parts import only the parts below them, and no module imports itself
back: engine ← documents ← kinds ← compose (see the package docstring)."""

from __future__ import annotations

import ast
from pathlib import Path

from support import REPO

BUNDLE = REPO / "src" / "screenkit" / "bundle"
PACKAGE = "screenkit.bundle"
BELOW = {
    "engine": set(),
    "documents": {"engine"},
    "kinds": {"engine", "documents"},
    "compose": {"engine", "documents", "kinds"},
}


def _module(path: Path) -> str:
    parts = path.relative_to(BUNDLE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in sorted(BUNDLE.rglob("*.py"))}


def imports(path: Path, known: set[str], *, runtime_only: bool = False) -> set[str]:
    """The bundle modules ``path`` imports (``from pkg import sub`` is the submodule);
    ``runtime_only`` leaves out what is imported for type checking only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return {name for name in found if name in known}


def _part(module: str) -> str | None:
    rest = module.removeprefix(PACKAGE + ".")
    head = rest.split(".")[0]
    return head if head in BELOW else None


def test_each_part_imports_only_the_parts_below_it() -> None:
    modules = _modules()
    known = set(modules)
    wrong = []
    for name, path in modules.items():
        part = _part(name)
        if part is None:
            continue
        for imported in imports(path, known):
            other = _part(imported)
            if other is not None and other != part and other not in BELOW[part]:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_no_import_cycle() -> None:
    modules = _modules()
    known = set(modules)
    graph = {
        name: imports(path, known, runtime_only=True) - {name} for name, path in modules.items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            cycles.append([*trail[trail.index(node) :], node])
            return
        state[node] = 1
        for nxt in sorted(graph[node]):
            visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []
