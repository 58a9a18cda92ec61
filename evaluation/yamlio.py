"""YAML reading that remembers where every key is, so errors can name the line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem
from .paths import display_path

LinePath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so that an impossible date (2024-02-30) is reported
    by the schema with its field and line instead of crashing the YAML parser."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str):  # noqa: ANN201 - YAML documents are any shape
    """Parse YAML text with dates kept as strings."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass


def line_map(text: str) -> dict[LinePath, int]:
    """Map each key path (keys and list indices) to its 1-based line in the document."""
    lines: dict[LinePath, int] = {}
    root = yaml.compose(text)
    if root is None:
        return lines

    def walk(node: yaml.Node, path: LinePath) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value)
                lines[sub] = key.start_mark.line + 1
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(root, ())
    return lines


def line_of(lines: dict[LinePath, int], loc: tuple[Any, ...]) -> int | None:
    """The line of the longest prefix of ``loc`` present in ``lines``."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), None)


def read_yaml(path: Path) -> tuple[Any, dict[LinePath, int]]:
    """Parse ``path``; a syntax error becomes an :class:`InputError` naming the line."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(shown, "file", "a readable YAML file", str(exc))]) from None
    try:
        data = load(text)
        lines = line_map(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(shown, "yaml", "valid YAML", problem, row=row)]) from None
    return data, lines


def field_name(loc: tuple[Any, ...]) -> str:
    """``('goal_tree', 3, 'level')`` -> ``goal_tree[3].level``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "document"
