"""The JSON of a report: every key figure the notebook published, its parameters and its provenance.

Every :class:`~evaluation.report.display.KeyFigures` output is merged in notebook order (later
keys win) and written next to the parameters and the provenance record, with sorted keys and
an indent of 2, so the same report always gives the same text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from evaluation.report.display import KEY_FIGURES_MIME
from evaluation.report.params import ReportParams
from evaluation.report.provenance import project_input_files, provenance


def collect_key_figures(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Every KeyFigures output of the notebook merged into one dict (later keys win)."""
    merged: dict[str, Any] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if KEY_FIGURES_MIME in data:
                value = data[KEY_FIGURES_MIME]
                if isinstance(value, str):  # some writers store JSON MIME data as text
                    value = json.loads(value)
                merged.update(value)
    return merged


def default_input_files(params: ReportParams) -> list[Path]:
    """Inputs recorded in the provenance: every file under data/<project>/ plus the notebook."""
    return [*project_input_files(params.project), params.notebook_path()]


def render_json(
    nb: nbformat.NotebookNode,
    params: ReportParams,
    *,
    input_files: Iterable[Path] | None = None,
    prov: Mapping[str, Any] | None = None,
) -> str:
    """``{"key_figures", "params", "provenance"}`` as JSON (with ``status`` and ``missing`` when the report
    states them: ``"draft"`` until the evaluator has finished it): sorted keys, indent 2, UTF-8 text."""
    if prov is None:
        files = list(input_files) if input_files is not None else default_input_files(params)
        prov = provenance(files, params)
    key_figures = collect_key_figures(nb)
    document: dict[str, Any] = {
        "key_figures": key_figures,
        "params": params.notebook_parameters(),
        "provenance": dict(prov),
    }
    if "status" in key_figures:  # "draft" (with what is missing) or "final", also at the top
        document["status"] = key_figures["status"]
        document["missing"] = key_figures.get("missing", [])
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
