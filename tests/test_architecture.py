"""Tests for the package's shape (docs/architecture.md): layers import only downward, no circles, no oversized rooms."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

import evaluation

PACKAGE = Path(evaluation.__file__).resolve().parent
LAYERS = ("core", "io", "analysis", "review", "plots", "report", "render", "run", "authoring", "cli")
RANK = {name: i for i, name in enumerate(LAYERS)}
MAX_MODULE_LINES = 800
MAX_CLASS_LINES = 400


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path) -> set[str]:
    """Every evaluation module ``name`` imports, at any depth of the file (function-level and TYPE_CHECKING included)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("evaluation")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if not module.startswith("evaluation"):
                continue
            found.add(module)
            found |= {f"{module}.{a.name}" for a in node.names}
    modules = _modules()
    return {m for m in found if m in modules and m != name}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


def test_every_module_sits_in_a_layer() -> None:
    """Every module is in one of the ten layers (the package root holds only __init__ and __main__)."""
    stray = [m for m in _modules() if _layer(m) is None and m not in ("evaluation", "evaluation.__main__")]
    assert stray == []


def test_layers_import_only_downward() -> None:
    """No module imports from a layer above its own."""
    upward = []
    for name, path in _modules().items():
        own = _layer(name)
        if own is None:
            continue
        for target in _imports(name, path):
            other = _layer(target)
            if other is not None and RANK[other] > RANK[own]:
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_no_import_circles() -> None:
    """The module import graph has no cycle (a package's __init__ re-exporting its own modules excepted)."""
    graph = nx.DiGraph()
    for name, path in _modules().items():
        for target in _imports(name, path):
            if target.startswith(name + "."):
                continue  # a package importing its own submodules
            graph.add_edge(name, target)
    assert list(nx.simple_cycles(graph)) == []


def test_no_module_over_800_lines_and_no_class_over_400() -> None:
    """Rooms of a sensible size: modules up to 800 lines, classes up to 400."""
    big = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            big.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                big.append(f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines")
    assert big == []


def test_language_is_defined_once() -> None:
    """`Language` is assigned only in evaluation/core/i18n.py; every other module imports it."""
    defined = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            if any(isinstance(t, ast.Name) and t.id == "Language" for t in targets):
                defined.append(name)
    assert defined == ["evaluation.core.i18n"]
