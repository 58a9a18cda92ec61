"""YAML reading that remembers where every key is, so errors can name the line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from evaluation.core.errors import InputError, Problem
from evaluation.core.paths import display_path

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
    return _lines(yaml.compose(text, Loader=_Loader))


def _lines(root: yaml.Node | None) -> dict[LinePath, int]:
    lines: dict[LinePath, int] = {}
    if root is None:
        return lines
    seen: set[int] = set()  # a node reached again through an alias is not walked twice

    def walk(node: yaml.Node, path: LinePath) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):  # a complex key is a problem of structure_problems
                    sub = (*path, key.value)
                    lines.setdefault(sub, key.start_mark.line + 1)
                    walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(root, ())
    return lines


def structure_problems(root: yaml.Node | None, file: str) -> list[Problem]:
    """Keys given twice in one mapping and aliases that contain themselves, each as a problem.

    PyYAML silently keeps the last of two equal keys, so a repeated ``name:`` (a copy-paste
    slip) would hide the first value; and an alias inside its own anchor makes an endless
    structure. Both are reported with the line where they occur.
    """
    problems: list[Problem] = []
    if root is None:
        return problems
    done: set[int] = set()

    def walk(node: yaml.Node, path: LinePath, ancestors: frozenset[int], line: int) -> None:
        if id(node) in ancestors:
            problems.append(Problem(file, field_name(path), "a value that does not contain itself "
                                    "(an alias *name inside its own &name anchor)", "a recursive alias", row=line))
            return
        if id(node) in done:
            return
        done.add(id(node))
        inner = ancestors | {id(node)}
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                at = key.start_mark.line + 1
                if not isinstance(key, yaml.ScalarNode):
                    problems.append(Problem(file, field_name(path), "a mapping whose keys are plain text",
                                            "a list or mapping used as a key", row=at))
                    continue
                if key.value in first and key.tag != "tag:yaml.org,2002:merge":
                    problems.append(Problem(file, field_name((*path, key.value)),
                                            f"given only once (it is already given on row {first[key.value]})",
                                            key.value, row=at))
                first.setdefault(key.value, at)
                walk(value, (*path, key.value), inner, at)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i), inner, line if id(item) in inner else item.start_mark.line + 1)

    walk(root, (), frozenset(), root.start_mark.line + 1)
    return problems


def line_of(lines: dict[LinePath, int], loc: tuple[Any, ...]) -> int | None:
    """The line of the longest prefix of ``loc`` present in ``lines``."""
    path = tuple(loc)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get(())


def read_yaml(path: Path) -> tuple[Any, dict[LinePath, int]]:
    """Parse ``path``; a syntax error, text that is not UTF-8, a key given twice or a tag
    (``!!python/...``, never executed) becomes an :class:`InputError` naming the line."""
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(shown, "file", "a readable YAML file", str(exc))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        found = ("UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
                 else f"the byte 0x{raw[exc.start]:02x}, which is not UTF-8 (Windows-1252 or another encoding?)")
        row = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(shown, "encoding", "text saved as UTF-8", found, row=row)]) from None
    try:
        root = yaml.compose(text, Loader=_Loader)
        lines = _lines(root)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, shown)]) from None
    structure = structure_problems(root, shown)
    if structure:
        raise InputError(structure)
    try:
        data = load(text)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, shown)]) from None
    return data, lines


_TAG = re.compile(r"could not determine a constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'")


def _yaml_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    """One problem for a YAML error, on the line the parser names."""
    mark = getattr(exc, "problem_mark", None)
    row = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    tag = _TAG.search(problem)
    if tag is not None:  # !!python/object/apply:os.system and the like: refused, never run
        found = ("!!" if "tag:yaml.org,2002:" in problem else "") + tag.group(1)
        return Problem(shown, "yaml", "plain YAML without tags (tags such as !!python/... are not allowed)", found, row=row)
    return Problem(shown, "yaml", "valid YAML", problem, row=row)


def field_name(loc: tuple[Any, ...]) -> str:
    """``('goal_tree', 3, 'level')`` -> ``goal_tree[3].level``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "document"
