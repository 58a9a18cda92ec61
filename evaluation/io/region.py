"""Read regions (``regions/<id>/region.yaml``) and check a project's links to them.

A region file is validated like project.yaml: every problem with file and line, collected and
raised once as an :class:`~evaluation.core.errors.InputError`. A project's ``region`` names a
region by its id when it is written as one (lower case, ``gavleborg``); any other text
(``Västerbotten``) is a free description of the area, as before regions existed, and links to
nothing. A project linked to a region must name only effect goals of that region's strategy
in ``rus_goals`` (and in its goal tree's ``rus_goals``); an unknown id is bad input naming the
file, the line, the id and the known ids.

Regions are read once per process and file version (path, size, modification time), so that
loading a thousand projects of one region reads its file once.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.region import CofinancingKey, Region
from evaluation.io.limits import sha256_hex, shown_path
from evaluation.io.region_schema import REGION_ID_PATTERN, CofinancingKeyIn, RegionIn
from evaluation.io.schema import ProjectIn, pydantic_problems
from evaluation.io.yamlio import LinePath, field_name, line_of, read_yaml

REGION_FILE = "region.yaml"
_ID = re.compile(REGION_ID_PATTERN)


def regions_root(data_dir: Path | None = None) -> Path:
    """The regions folder: next to ``data_dir`` when one is given, else that of the project home."""
    return data_dir.parent / "regions" if data_dir is not None else paths.regions_dir()


def available_regions(root: Path | None = None) -> tuple[str, ...]:
    """Ids of the region folders under ``root`` (those holding a region.yaml)."""
    folder = root or paths.regions_dir()
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name for p in folder.iterdir() if (p / REGION_FILE).is_file()))


def is_region_id(text: str) -> bool:
    """True when ``text`` is written as a region id (and so must name a region folder)."""
    return bool(_ID.match(text))


def load_region(region_id: str, root: Path | None = None) -> Region:
    """The region ``region_id`` under ``root`` (default: the project home's ``regions/``).

    An unknown id or a bad region file is an :class:`InputError` naming file, line and value.
    """
    folder = root or paths.regions_dir()
    path = folder / region_id / REGION_FILE
    if not is_region_id(region_id) or not path.is_file():
        known = ", ".join(available_regions(folder)) or "none"
        raise InputError([Problem(paths.display_path(folder), "region",
                                  f"the id of a folder holding {REGION_FILE} (known: {known})", region_id)])
    stat = path.stat()
    return _load(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _load(path: Path, size: int, mtime_ns: int) -> Region:  # size and mtime: a changed file is read again
    shown = shown_path(path)
    data, lines = read_yaml(path, file=shown)
    problems = ProblemCollector()
    if not isinstance(data, dict):
        found = "an empty file" if data is None else type(data).__name__
        problems.add(shown, "document", "a mapping of keys", found, row=1)
        problems.raise_if_any()
    try:
        spec = RegionIn.model_validate(data)
    except ValidationError as exc:
        raise InputError(pydantic_problems(exc, shown, lines)) from None
    _check_region(spec, path.parent.name, shown, lines, problems)
    problems.raise_if_any()
    return Region(
        id=spec.id,
        name=spec.name,
        rus=spec.rus.to_model(),
        programmes=tuple(p.to_model() for p in spec.programmes),
        sources=tuple(s.to_model() for s in spec.sources),
        data_status=spec.data_status,
        notes=tuple(spec.notes),
        folder=path.parent,
    )


@functools.lru_cache(maxsize=64)
def _digest(path: Path, size: int, mtime_ns: int) -> str:  # size and mtime: a changed file is hashed again
    return sha256_hex(path.read_bytes())


def _check_region(spec: RegionIn, folder_name: str, file: str, lines: dict[LinePath, int], problems: ProblemCollector) -> None:
    def add(loc: tuple[Any, ...], expectation: str, got: object) -> None:
        problems.add(file, field_name(loc), expectation, got, row=line_of(lines, loc))

    if spec.id != folder_name:
        add(("id",), f"the folder's name '{folder_name}'", spec.id)
    source_ids = {s.id for s in spec.sources}
    seen: dict[str, tuple[Any, ...]] = {}

    def unique(loc: tuple[Any, ...], ident: str, among: str) -> None:
        if ident in seen:
            was = seen[ident]
            add((*loc, "id"), f"an id not used before in {among} ({field_name((*was, 'id'))} on row "
                              f"{line_of(lines, (*was, 'id'))} has it)", ident)
        else:
            seen[ident] = loc

    def cited(loc: tuple[Any, ...], source: str) -> None:
        if source and source not in source_ids:
            known = ", ".join(sorted(source_ids)) or "none"
            add((*loc, "source"), f"the id of one of the region's sources (known: {known})", source)

    cited(("rus",), spec.rus.source)
    for i, area in enumerate(spec.rus.priority_areas):
        unique(("rus", "priority_areas", i), area.id, "the strategy's priority areas and effect goals")
        cited(("rus", "priority_areas", i), area.source)
        for j, goal in enumerate(area.effect_goals):
            loc = ("rus", "priority_areas", i, "effect_goals", j)
            unique(loc, goal.id, "the strategy's priority areas and effect goals")
            cited(loc, goal.source)
    programme_ids: dict[str, tuple[Any, ...]] = {}
    for i, prog in enumerate(spec.programmes):
        if prog.id in programme_ids:
            add(("programmes", i, "id"), "an id not used before in the programmes", prog.id)
        programme_ids.setdefault(prog.id, ("programmes", i))
        cited(("programmes", i), prog.source)


def check_project_links(spec: ProjectIn, file: str, lines: dict[LinePath, int], problems: ProblemCollector,
                        root: Path | None = None, digests: dict[str, str] | None = None) -> Region | None:
    """Check project.yaml's ``region``, ``rus_goals`` (also in the goal tree) and ``cofinancing``.

    Returns the project's region when ``region`` names one (else None). Every problem is added
    to ``problems`` with the file and line. The region file's sha256 is recorded in ``digests``
    (the project's input hashes, shown in a report's provenance), when given.
    """
    def add(loc: tuple[Any, ...], expectation: str, got: object) -> None:
        problems.add(file, field_name(loc), expectation, got, row=line_of(lines, loc))

    _check_keys(spec.cofinancing, add)
    region: Region | None = None
    if spec.region and is_region_id(spec.region):
        try:
            region = load_region(spec.region, root)
        except InputError as exc:
            for p in exc.problems:
                if p.field == "region" and p.row is None:  # no such folder: say where project.yaml names it
                    add(("region",), p.expectation, p.got)
                else:
                    problems.extend([p])
            return None
    if region is None:
        return None
    if digests is not None and region.folder is not None:
        path = region.folder / REGION_FILE
        stat = path.stat()
        digests[shown_path(path)] = _digest(path, stat.st_size, stat.st_mtime_ns)
    known = region.rus.goal_ids()
    shown_known = ", ".join(known) or "none"
    expectation = f"ids of effect goals of {region.id}'s strategy (known: {shown_known})"
    for i, goal_id in enumerate(spec.rus_goals):
        if goal_id not in known:
            add(("rus_goals", i), expectation, goal_id)
    for i, node in enumerate(spec.goal_tree):
        for j, goal_id in enumerate(node.rus_goals):
            if goal_id not in known:
                add(("goal_tree", i, "rus_goals", j), expectation, goal_id)
    return region


def _check_keys(keys: list[CofinancingKeyIn], add: Any) -> None:
    """Key ids unique, party names unique within a key, inputs present where the basis needs them,
    and ``splits`` naming a party of another key."""
    parties = {(k.id, p.name) for k in keys for p in k.parties}
    names = {p.name for k in keys for p in k.parties}
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key.id in seen:
            add(("cofinancing", i, "id"), "an id not used before in cofinancing", key.id)
        seen.add(key.id)
        party_names: set[str] = set()
        for j, party in enumerate(key.parties):
            if party.name in party_names:
                add(("cofinancing", i, "parties", j, "name"), "a party named once in its key", party.name)
            party_names.add(party.name)
            if party.input is None:
                need = {"population": "the party's population (a number >= 0)", "shares": "the party's share (a number >= 0)",
                        "fixed": "the party's amount (a number >= 0)"}[key.basis]
                add(("cofinancing", i, "parties", j, "input"), f"{need} for a key with basis {key.basis}", None)
        if key.splits is not None:
            own = {(key.id, p.name) for p in key.parties}
            if key.splits not in names or all((k, n) in own for k, n in parties if n == key.splits):
                known = ", ".join(sorted(n for k, n in parties if k != key.id)) or "none"
                add(("cofinancing", i, "splits"), f"the name of a party of another key (known: {known})", key.splits)


def cofinancing_keys(spec: ProjectIn) -> tuple[CofinancingKey, ...]:
    """The project's co-financing keys as model objects."""
    return tuple(k.to_model() for k in spec.cofinancing)


def region_of(region: str, root: Path | None = None) -> Region | None:
    """The region a project's ``region`` names, or None when it is free text (an area's name)."""
    if not region or not is_region_id(region):
        return None
    return load_region(region, root)
