"""Shared fixtures: a minimal, perfectly coherent project folder built from a plain dict.

``minimal_spec()`` returns a fresh dict of ``project.yaml``; mutate it in a test and write it
with ``write_project`` (or the ``build`` / ``load`` fixtures). The minimal project loads
without problems, gives no logic findings and a coherence score of 100.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from evaluation.core import paths
from evaluation.core.model import Project
from evaluation.io.loader import load_project


def kernel_env(mp: pytest.MonkeyPatch, home: Path) -> None:
    """Point the toolkit and the kernel (which inherits the environment) at ``home``."""
    mp.setenv("EVALUATION_HOME", str(home))
    repo = str(paths.PACKAGE_DIR.parent)
    mp.setenv("PYTHONPATH", os.pathsep.join(p for p in (repo, os.environ.get("PYTHONPATH")) if p))


NIS_FINANCIERS: list[tuple[str, str, int]] = [
    ("Tillväxtverket", "state", 7_735_351),
    ("Region Västerbotten", "region", 2_443_502),
    ("Robertsfors kommun", "municipality", 1_793_734),
    ("Vindelns kommun", "municipality", 962_036),
    ("Nordmalings kommun", "municipality", 877_014),
    ("Vännäs kommun", "municipality", 871_396),
    ("Bjurholms kommun", "municipality", 794_841),
]
"""NIS 6.0's financiers with their amounts, as published in its final report (in published order)."""


START = date(2024, 1, 1)
END = date(2025, 12, 31)

_MINIMAL: dict[str, Any] = {
    "id": "mini",
    "name": "Miniprojekt",
    "fund": "ERUF",
    "programme": "Testprogram",
    "owner": "Testkommun",
    "start": START,
    "end": END,
    "evaluation": {"form": "external", "evaluator": "Testutvärderare"},
    "sources": [{"id": "src", "title": "Testkälla"}],
    "work_packages": [{"id": "wp1", "name": "Arbetspaket 1", "budget": 1000}],
    "financiers": [{"name": "EU", "kind": "eu", "amount": 1000}],
    "budget": {"total": 1000, "outcome_total": 1000},
    "goal_tree": [
        {"id": "og", "level": "overall", "statement": "Övergripande mål"},
        {"id": "pg1", "level": "project", "parent": "og", "statement": "Projektmål"},
        {"id": "a1", "level": "activity", "parent": "pg1", "work_package": "wp1", "statement": "Aktivitet"},
    ],
    "effect_logic": {
        "nodes": [
            {"id": "e_act", "level": "activity", "statement": "Aktivitet", "goals": ["a1"]},
            {"id": "e_out", "level": "output", "statement": "Output", "goals": ["pg1"]},
            {"id": "e_st", "level": "short_term", "statement": "Kort sikt", "goals": ["pg1"]},
            {"id": "e_lt", "level": "long_term", "statement": "Lång sikt", "goals": ["og"]},
        ],
        "links": [
            {"from": "e_act", "to": "e_out", "assumption": "A leder till O"},
            {"from": "e_out", "to": "e_st", "assumption": "O leder till S"},
            {"from": "e_st", "to": "e_lt", "assumption": "S leder till L"},
        ],
    },
    "indicators": [
        {
            "id": "out1",
            "name": "Output-indikator",
            "unit": "st",
            "level": "output",
            "measures": ["e_out"],
            "baseline": {"value": 0, "date": START},
            "target": {"value": 10, "date": END},
            "aggregation": "cumulative",
            "source": "src",
        },
        {
            "id": "res1",
            "name": "Resultatindikator",
            "unit": "st",
            "level": "short_term",
            "measures": ["pg1", "e_st"],
            "baseline": {"value": 0, "date": START},
            "target": {"value": 5, "date": END},
            "aggregation": "cumulative",
            "source": "src",
        },
    ],
    "horizontal": [
        {"criterion": "gender_equality", "aim": "Jämställdhet", "actions": ["Åtgärd"], "indicators": ["out1"]},
        {"criterion": "equal_opportunities", "aim": "Lika möjligheter", "actions": ["Åtgärd"], "indicators": ["out1"]},
        {"criterion": "sustainable_development", "aim": "Hållbarhet", "actions": ["Åtgärd"], "indicators": ["res1"]},
    ],
}

Rows = Sequence[Mapping[str, Any]]
Table = Rows | str


class _NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Writes shared objects (the same date twice) in full instead of as YAML anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def minimal_spec() -> dict[str, Any]:
    """A fresh deep copy of the minimal project.yaml dict (safe to mutate)."""
    return copy.deepcopy(_MINIMAL)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_table(path: Path, table: Table) -> Path:
    """Write rows (list of dicts, header = union of keys in order) or raw text to ``path``.

    ``.xlsx`` paths are written with openpyxl with the cell values as given (numbers stay
    numbers, dates stay dates), ``None`` as an empty cell.
    """
    if isinstance(table, str):
        path.write_text(table, encoding="utf-8")
        return path
    header: list[str] = []
    for row in table:
        header += [k for k in row if k not in header]
    if path.suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for row in table:
            ws.append([row.get(k) for k in header])
        wb.save(path)
        return path
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in table:
            writer.writerow([_cell(row.get(k)) for k in header])
    return path


def write_project(root: Path, spec: Mapping[str, Any], tables: Mapping[str, Table] | None = None, folder: str | None = None) -> Path:
    """Write ``spec`` as ``<root>/<folder or spec id>/project.yaml`` plus tables; return the folder.

    An existing folder of that name is replaced.
    Table keys are file names (``"costs.csv"``, ``"indicator_values.xlsx"``); a key without a
    suffix gets ``.csv``.
    """
    target = root / (folder or str(spec.get("id", "mini")))
    if target.exists():
        shutil.rmtree(target)  # a rebuilt project never keeps tables of an earlier build
    target.mkdir(parents=True)
    (target / "project.yaml").write_text(yaml.dump(dict(spec), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for name, table in (tables or {}).items():
        write_table(target / (name if "." in name else f"{name}.csv"), table)
    return target


def line_of_text(folder: Path, needle: str, file: str = "project.yaml") -> int:
    """1-based number of the first line of ``file`` containing ``needle``."""
    for i, line in enumerate((folder / file).read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {file}")


Builder = Callable[..., Path]
EXAMPLE_IDS = ("hso", "nba", "nis60", "sam")


@pytest.fixture(scope="session")
def examples() -> dict[str, Project]:
    """The four example projects of data/, loaded once per test session (they are frozen)."""
    return {pid: load_project(pid) for pid in EXAMPLE_IDS}


@pytest.fixture
def spec() -> dict[str, Any]:
    """A fresh minimal spec dict to mutate in the test."""
    return minimal_spec()


@pytest.fixture
def minimal_project_dir(tmp_path: Path) -> Path:
    """The unmodified minimal project written to ``tmp_path/mini``."""
    return write_project(tmp_path, minimal_spec())


@pytest.fixture
def build(tmp_path: Path) -> Builder:
    """``build(spec=None, tables=None, folder=None)`` writes a project under tmp_path."""

    def _build(spec: Mapping[str, Any] | None = None, tables: Mapping[str, Table] | None = None, folder: str | None = None) -> Path:
        return write_project(tmp_path, minimal_spec() if spec is None else spec, tables, folder)

    return _build


@pytest.fixture
def load(build: Builder) -> Callable[..., Project]:
    """``load(spec=None, tables=None)`` writes the project and loads it."""

    def _load(spec: Mapping[str, Any] | None = None, tables: Mapping[str, Table] | None = None) -> Project:
        return load_project(build(spec, tables))

    return _load
