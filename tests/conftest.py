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

import pandas as pd
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


def no_kernel_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` as an empty EVALUATION_HOME (data/, params/) and the current directory, where starting a
    kernel fails the test: bad input must be refused before any kernel."""
    import papermill

    def no_kernel(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel was started for a bad input")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    (tmp_path / "data").mkdir()
    (tmp_path / "params").mkdir()
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    monkeypatch.delenv("EVALUATION_TRACEBACK", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


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


# --------------------------------------------------------------------------- portfolio projects (analysis, plots, report)


def portfolio_indicator(ind_id: str, unit: str, level: str, code: str | None, target: float | None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "id": ind_id, "name": ind_id.capitalize(), "unit": unit, "level": level,
        "measures": ["e_out" if level == "output" else "e_st"],
        "baseline": {"value": 0, "date": date(2024, 1, 1)}, "aggregation": "cumulative", "source": "src",
    }
    if target is not None:
        spec["target"] = {"value": target, "date": date(2025, 12, 31)}
    if ind_id == "participants":  # the role the reports and the portfolio use (no EU code here)
        spec["role"] = "participants"
    if code is not None:
        spec["code"] = code
    return spec


def portfolio_project(root: Path, pid: str, indicators: list[dict[str, Any]], values: list[dict[str, Any]],
             outcome: float | None, status: str = "published") -> Project:
    spec = minimal_spec()
    spec["id"] = pid
    spec["name"] = f"Projekt {pid}"
    spec["data_status"] = status
    spec["budget"] = {"total": 1000} if outcome is None else {"total": 1000, "outcome_total": outcome}
    spec["indicators"] = indicators
    first = indicators[0]["id"]
    for crit in spec["horizontal"]:
        crit["indicators"] = [first]
    tables = {"indicator_values": [{"source": "src", "status": "verified", **v} for v in values]} if values else {}
    return load_project(write_project(root, spec, tables))


@pytest.fixture
def three(tmp_path: Path) -> list[Project]:
    """Three portfolio projects: alpha reports everything; beta has no outcome and jobs in another unit; gamma reports nothing."""
    alpha = portfolio_project(
        tmp_path, "alpha",
        [portfolio_indicator("firms", "företag", "output", "RCO01", 10), portfolio_indicator("jobs", "årsarbetskrafter", "short_term", "RCR01", 5),
         portfolio_indicator("participants", "personer", "output", None, None)],
        [{"indicator": "firms", "period_end": "2024-06-30", "value": 4},
         {"indicator": "firms", "period_end": "2024-12-31", "value": 8},
         {"indicator": "jobs", "period_end": "2024-12-31", "value": 2},
         {"indicator": "participants", "period_end": "2024-12-31", "value": 20, "women": 12, "men": 8}],
        outcome=800,
    )
    beta = portfolio_project(
        tmp_path, "beta",
        [portfolio_indicator("firms", "företag", "output", "RCO01", 10), portfolio_indicator("jobs", "heltidstjänster", "short_term", "RCR01", None)],
        [{"indicator": "firms", "period_end": "2024-12-31", "value": 6},
         {"indicator": "jobs", "period_end": "2024-12-31", "value": 3}],
        outcome=None,
    )
    gamma = portfolio_project(
        tmp_path, "gamma",
        [portfolio_indicator("firms", "företag", "output", "RCO01", 10)],
        [{"indicator": "firms", "period_end": "2024-12-31", "value": "", "status": "not_reported"}],
        outcome=500, status="illustrative",
    )
    return [gamma, alpha, beta]


# --------------------------------------------------------------------------- activities (analysis and plots of the process)

ACTIVITIES = [
    {"activity": "a1", "period_start": "2024-01-01", "period_end": "2024-03-31", "count": 2, "participants": 10},
    {"activity": "a1", "period_start": "2024-04-01", "period_end": "2024-06-30", "count": 3, "participants": None},
    {"activity": "a1", "period_start": "2025-01-01", "period_end": "2025-03-31", "count": None},  # not reported
    {"activity": "a2", "period_start": "2024-10-01", "period_end": "2024-12-31", "count": 1, "participants": 5},
    {"activity": "a2", "period_start": "2025-04-01", "period_end": "2025-06-30", "count": 4, "participants": 7},
    {"activity": "a3", "period_start": "2025-04-01", "period_end": "2025-06-30", "count": None},  # not reported
]


def activities_spec(work_packages: bool = True) -> dict:
    spec = minimal_spec()
    spec["work_packages"].append({"id": "wp2", "name": "Arbetspaket 2", "budget": 0})
    spec["goal_tree"] += [
        {"id": "a2", "level": "activity", "parent": "pg1", "work_package": "wp2", "statement": "Aktivitet två"},
        {"id": "a3", "level": "activity", "parent": "pg1", "work_package": "wp2", "statement": "Aktivitet tre"},
    ]
    spec["effect_logic"]["nodes"][0]["goals"] = ["a1", "a2", "a3"]
    if not work_packages:
        spec["work_packages"] = []
        for node in spec["goal_tree"]:
            node.pop("work_package", None)
    return spec


def activities_project(tmp_path: Path) -> Project:
    """Two work packages, three activities, two not-reported counts."""
    return load_project(write_project(tmp_path, activities_spec(), {"activities": ACTIVITIES}))


# --------------------------------------------------------------------------- published economics (analysis and plots)

NIS_COSTS = {
    "Externa tjänster": 2_931_397,
    "Material och lokaler": 565_350,
    "Personal": 7_095_150,
    "Resor o logi": 120_266,
    "Schablonkostnader": 4_758_531,
}


@pytest.fixture
def nis_lines() -> pd.DataFrame:
    """NIS 6.0 cost lines: outcome per category published, budget per category not."""
    return pd.DataFrame({"category": list(NIS_COSTS), "budget": [float("nan")] * 5, "outcome": list(NIS_COSTS.values())})


@pytest.fixture
def nis_financiers() -> pd.DataFrame:
    """NIS 6.0 financiers with their published amounts."""
    return pd.DataFrame(NIS_FINANCIERS, columns=["name", "kind", "amount"])


@pytest.fixture
def nba_stages() -> pd.DataFrame:
    """North Business Arena published pyramid: contacts/visits -> 220 -> 70 -> 20 deep dives."""
    return pd.DataFrame(
        {
            "order": [1, 2, 3, 4],
            "stage": ["Kontakter/besök", "Möten", "Analyser", "Fördjupningar"],
            "count": [1200, 220, 70, 20],
        }
    )


# --------------------------------------------------------------------------- published arithmetic
