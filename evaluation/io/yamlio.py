"""YAML reading that remembers where every key is, so errors can name the line."""

from __future__ import annotations

import re
from pathlib import Path
from types import GeneratorType
from typing import Any

import yaml

from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.io.limits import LIMITS, long_text, read_bytes, sha256_hex, shown_path, too_large

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


def read_yaml(path: Path, *, digests: dict[str, str] | None = None, file: str | None = None) -> tuple[Any, dict[LinePath, int]]:
    """Parse ``path``; a syntax error, text that is not UTF-8, a key given twice, a tag
    (``!!python/...``, never executed) or a file over a limit of :data:`~evaluation.io.limits.LIMITS`
    becomes an :class:`InputError` naming the line.

    The file is read once; the sha256 of the bytes parsed is recorded in ``digests`` under
    ``file`` (default: the path as shown to users), when given.
    """
    shown = file if file is not None else shown_path(path)
    problems = ProblemCollector()
    raw = read_bytes(path, shown, LIMITS.yaml_bytes, problems, "a readable YAML file")
    problems.raise_if_any()
    assert raw is not None
    if digests is not None:
        digests[shown] = sha256_hex(raw)
    return parse_yaml(raw, shown)


def parse_yaml(raw: bytes, shown: str) -> tuple[Any, dict[LinePath, int]]:
    """Parse the bytes of a YAML file named ``shown`` (see :func:`read_yaml`): the data and its line map."""
    if len(raw) > LIMITS.yaml_bytes:
        raise InputError([Problem(shown, "file", f"at most {LIMITS.yaml_bytes:,} bytes".replace(",", " "), too_large(len(raw)))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        found = ("UTF-16 text" if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
                 else f"the byte 0x{raw[exc.start]:02x}, which is not UTF-8 (Windows-1252 or another encoding?)")
        row = raw[: exc.start].count(b"\n") + 1
        raise InputError([Problem(shown, "encoding", "text saved as UTF-8", found, row=row)]) from None
    fast = _parse_fast(text)
    if fast is not None:
        return fast
    return _parse_checked(text, shown)


def _parse_checked(text: str, shown: str) -> tuple[Any, dict[LinePath, int]]:
    """The reference parse (pure-Python PyYAML): every check, every problem with its line."""
    try:
        _check_events(text, shown)
        root = yaml.compose(text, Loader=_Loader)
        lines = _lines(root)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, shown)]) from None
    structure = structure_problems(root, shown)
    if structure:
        raise InputError(structure)
    limits = limit_problems(root, shown)
    if limits:
        raise InputError(limits)
    try:
        data = load(text)
    except yaml.YAMLError as exc:
        raise InputError([_yaml_problem(exc, shown)]) from None
    return data, lines


# --------------------------------------------------------------------------- the fast path

_CLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):  # the C parser of the installed PyYAML wheel (libyaml)

    class _CLoaderClass(yaml.CSafeLoader):
        """libyaml's parser with the resolvers of :class:`_Loader` (dates kept as text)."""

        _plain_tags: dict[str, str] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            """``BaseResolver.resolve``, remembering the tag of each plain scalar's text (it depends on the text alone)."""
            if kind is not yaml.ScalarNode or not implicit[0] or self.yaml_path_resolvers:
                return super().resolve(kind, value, implicit)
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain_tags) > 50_000:
                    self._plain_tags.clear()
                self._plain_tags[value] = tag
            return tag

    _CLoaderClass.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader = _CLoaderClass

_PLAIN_TEXT = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
"""A character the fast path leaves to the reference parser: tabs, carriage returns, control
characters, the Unicode line breaks (U+0085, U+2028, U+2029), a byte-order mark and characters
beyond U+FFFF, where libyaml and the pure-Python parser might count lines or read text differently."""

_FAST_INDICATORS = 2000
"""At most this many of ``[ { : - ?`` in a file for the fast path: each list or mapping begins at
one of them, so the nesting cannot be deep enough to exhaust libyaml's (recursive) composer."""


class _NotPlain(Exception):
    """A document the fast path does not vouch for: the reference parse decides."""


def _parse_fast(text: str) -> tuple[Any, dict[LinePath, int]] | None:
    """The data and line map of a plain, well-formed document parsed by libyaml; None otherwise.

    Only documents that pass every check of :func:`_parse_checked` without a problem get a
    result here, and for them it is the same data and the same line map: plain text (see
    :data:`_PLAIN_TEXT`), no alias, no merge key, no key given twice or not plain, no value
    longer than a cell, nesting and size within :data:`~evaluation.io.limits.LIMITS`. Anything
    else (including every syntax error and tag) returns None, so that the pure-Python parser
    reports it with the same words and lines as before. About ten times faster.
    """
    if _CLoader is None or _PLAIN_TEXT.search(text) is not None:
        return None
    if sum(text.count(c) for c in "[{:-?") > _FAST_INDICATORS:
        return None
    loader = _CLoader(text)
    try:
        root = loader.get_single_node()
        data, lines = _plain_document(loader, root)
    except (yaml.YAMLError, _NotPlain, RecursionError, ValueError, TypeError):
        return None
    finally:
        loader.dispose()
    return data, lines


_MAP, _SEQ, _STR = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"


def _plain_document(loader: Any, root: yaml.Node | None) -> tuple[Any, dict[LinePath, int]]:
    """The data and :func:`_lines` of a tree, in one walk; raises :class:`_NotPlain` at anything :func:`_parse_checked` might refuse.

    The data are what ``loader.construct_document`` builds: each scalar through the loader's own
    constructor for its tag, mappings as dicts (in order) and sequences as lists; a collection with
    another tag, a scalar whose tag has no plain constructor, an alias or a merge key is not plain.
    """
    lines: dict[LinePath, int] = {}
    if root is None:
        return None, lines
    seen: set[int] = set()
    merge = "tag:yaml.org,2002:merge"
    max_depth, max_nodes, max_chars = LIMITS.yaml_depth, LIMITS.yaml_nodes, LIMITS.cell_chars
    constructors = loader.yaml_constructors
    plain_str = constructors.get(_STR) is yaml.constructor.SafeConstructor.construct_yaml_str

    def scalar(node: yaml.Node) -> Any:
        if node.tag == _STR and plain_str:  # what construct_yaml_str gives a scalar node: its text
            return node.value
        construct = constructors.get(node.tag)
        if construct is None:
            raise _NotPlain
        value = construct(loader, node)
        if isinstance(value, GeneratorType):  # a collection's constructor (``!!set`` on a scalar, ...)
            raise _NotPlain
        return value

    def walk(node: yaml.Node, path: LinePath, depth: int, flow: bool = False) -> Any:
        if id(node) in seen:  # an alias
            raise _NotPlain
        seen.add(id(node))
        if len(seen) > max_nodes:
            raise _NotPlain
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if depth >= max_depth or node.tag != _MAP:
                raise _NotPlain
            keys: set[str] = set()
            inner = flow or bool(node.flow_style)
            mapping: dict[Any, Any] = {}
            for key, value in node.value:
                if (not isinstance(key, yaml.ScalarNode) or key.tag == merge or key.value in keys
                        or id(key) in seen or len(key.value) > max_chars or (inner and _flow_plain_differs(key))):
                    raise _NotPlain
                keys.add(key.value)
                seen.add(id(key))
                sub = (*path, key.value)
                lines.setdefault(sub, key.start_mark.line + 1)
                built = scalar(key)
                mapping[built] = walk(value, sub, depth + 1, inner)
            return mapping
        if isinstance(node, yaml.SequenceNode):
            if depth >= max_depth or node.tag != _SEQ:
                raise _NotPlain
            inner = flow or bool(node.flow_style)
            return [walk(item, (*path, i), depth + 1, inner) for i, item in enumerate(node.value)]
        if len(node.value) > max_chars or (flow and _flow_plain_differs(node)):
            raise _NotPlain
        return scalar(node)

    return walk(root, (), 0), lines


_FLOW_RISK = re.compile(r"[?#]|:(?:[ ,\[\]{}]|$)")


def _flow_plain_differs(node: yaml.Node) -> bool:
    """True for a plain scalar inside ``[...]`` or ``{...}`` that libyaml may read where PyYAML refuses it:
    a ``?`` or ``#`` in it (as in ``{a: b?c}``), a ``:`` before a space, a bracket, a comma or the end,
    or a scalar that spans lines. (``1:1-medel`` is read alike by both.)"""
    return not getattr(node, "style", None) and (_FLOW_RISK.search(node.value) is not None or node.start_mark.line != node.end_mark.line)


def _check_events(text: str, shown: str) -> None:
    """Refuse a document nested deeper than the limit or using anchors more often, before it is composed.

    PyYAML's parser works without recursion, its composer does not: the depth is checked on the
    parser's events, so that no deep document ever reaches the composer.
    """
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > LIMITS.yaml_depth:
                raise InputError([Problem(shown, "yaml", f"lists and mappings nested at most {LIMITS.yaml_depth} deep",
                                          f"more than {LIMITS.yaml_depth} levels",
                                          row=event.start_mark.line + 1 if event.start_mark is not None else None)])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
    if aliases > LIMITS.yaml_aliases:
        raise InputError([Problem(shown, "yaml", f"at most {LIMITS.yaml_aliases} uses of an anchor (*name)",
                                  f"{aliases} uses")])


def limit_problems(root: yaml.Node | None, file: str) -> list[Problem]:
    """A document too large once its aliases are written out, and values longer than a cell, as problems.

    ``root`` must hold no recursive alias (see :func:`structure_problems`).
    """
    problems: list[Problem] = []
    if root is None:
        return problems
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, path: LinePath) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = (*path, key.value) if isinstance(key, yaml.ScalarNode) else path
                total += size(key, path) + size(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                total += size(item, (*path, i))
        elif isinstance(node.value, str) and len(node.value) > LIMITS.cell_chars:
            problems.append(Problem(file, field_name(path), f"a text of at most {LIMITS.cell_chars:,} characters".replace(",", " "),
                                    long_text(node.value), row=node.start_mark.line + 1))
        sizes[id(node)] = min(total, LIMITS.yaml_nodes + 1)  # capped: a billion is not counted to the end
        return sizes[id(node)]

    if size(root, ()) > LIMITS.yaml_nodes:
        problems.append(Problem(file, "yaml", f"at most {LIMITS.yaml_nodes:,} values once every alias is written out".replace(",", " "),
                                "more (aliases that repeat aliases)"))
    return problems


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
