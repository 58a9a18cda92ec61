"""``firm_aggregates.json``: the disclosure-checked firm figures made where the register data live.

A project whose firm data may not leave a remote microdata system keeps, instead of
``firms.csv``, the file ``evaluation firm-aggregates`` wrote there (see
:mod:`evaluation.cli.firm_aggregates`). This module reads and validates it: its format and
version, the threshold and dominance rule it was checked with (the threshold at least the
project's ``disclosure.min_cell``), and that it holds figures and aggregate cells only. The
figures themselves are decoded by :func:`evaluation.analysis.firm_figures.from_json`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from evaluation.core.errors import ProblemCollector
from evaluation.io.limits import read_bytes, sha256_hex, shown_path
from evaluation.io.schema import pydantic_problems

AGGREGATES_FILE = "firm_aggregates.json"
"""The file name in a project folder."""
FORMAT = "evaluation-firm-aggregates"
"""The ``format`` a file must state."""
VERSION = 1
"""The version of the file this toolkit writes and reads."""
MAX_BYTES = 20_000_000
"""The largest aggregates file read."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _DominanceIn(_Strict):
    n: StrictInt = Field(ge=1)
    k: float = Field(gt=0, le=100)
    p: float | None = Field(default=None, gt=0, le=100)


class _CellIn(_Strict):
    outcome: str
    year: StrictInt
    group: Literal["participants", "participants_balanced", "comparison", "all"]
    n_firms: StrictInt | None = Field(ge=0)
    total: float | None
    mean: float | None
    shown: bool
    reason: Literal["shown", "too_few", "dominated", "differencing"]


class _FileIn(_Strict):
    format: Literal["evaluation-firm-aggregates"]
    version: Literal[1]
    threshold: StrictInt = Field(ge=1)
    dominance: _DominanceIn
    created_with: str = ""
    panel_sha256: str = ""
    figures: dict[str, Any]
    cells: list[_CellIn] = []


@dataclass(frozen=True)
class FirmAggregates:
    """A validated aggregates file: the threshold and dominance rule (n, k, p) it was checked with, its figures and cells."""

    file: str
    threshold: int
    dominance: tuple[int, float, float | None]
    figures: dict[str, Any]
    cells: tuple[dict[str, Any], ...] = ()
    created_with: str = ""
    sha256: str = ""


def read_firm_aggregates(path: Path, min_cell: int, problems: ProblemCollector) -> FirmAggregates | None:
    """The aggregates file at ``path``, or None after adding its problems (threshold below ``min_cell`` is one)."""
    file = shown_path(path)
    data = read_bytes(path, file, MAX_BYTES, problems)
    if data is None:
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(file, "document", "JSON written by evaluation firm-aggregates", f"{type(exc).__name__}: {exc}")
        return None
    if not isinstance(raw, dict):
        problems.add(file, "document", "a JSON object", type(raw).__name__)
        return None
    try:
        spec = _FileIn.model_validate(raw)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, file, {}))
        return None
    if spec.threshold < min_cell:
        problems.add(file, "threshold", f"at least the project's disclosure.min_cell ({min_cell}); run evaluation "
                     f"firm-aggregates again with --threshold {min_cell}", spec.threshold)
        return None
    for i, cell in enumerate(spec.cells):
        if cell.shown and cell.n_firms is not None and cell.n_firms < spec.threshold:
            problems.add(file, f"cells[{i}].n_firms", f"at least the threshold {spec.threshold} for a shown cell", cell.n_firms)
        if not cell.shown and (cell.n_firms is not None or cell.total is not None or cell.mean is not None):
            problems.add(file, f"cells[{i}]", "empty (n_firms, total, mean) when the cell is not shown", cell.reason)
    if problems:
        return None
    d = spec.dominance
    return FirmAggregates(file=file, threshold=spec.threshold, dominance=(d.n, d.k, d.p), figures=dict(spec.figures),
                          cells=tuple(c.model_dump() for c in spec.cells), created_with=spec.created_with,
                          sha256=sha256_hex(data))


def aggregates_path(folder: Path) -> Path:
    """Where a project folder keeps its aggregates file."""
    return folder / AGGREGATES_FILE


def read_project_aggregates(folder: Path, spec: Any, has_firms: bool, problems: ProblemCollector,
                            digests: dict[str, str]) -> FirmAggregates | None:
    """The aggregates file of a project folder, if it has one (None otherwise or after adding its problems).

    ``spec`` is the validated ``project.yaml`` (None when it was not valid: the file is then only
    read once the project is). A folder holding both firm data and an aggregates file is a
    problem: the report would not know which to use.
    """
    path = aggregates_path(folder)
    if not path.is_file():
        return None
    file = shown_path(path)
    if has_firms:
        problems.add(file, "file", "absent when the project has a firms table (give the panel or its aggregates, not both)",
                     AGGREGATES_FILE)
        return None
    if spec is None:
        return None
    found = read_firm_aggregates(path, int(spec.disclosure.min_cell), problems)
    if found is not None:
        digests[file] = found.sha256
    return found
