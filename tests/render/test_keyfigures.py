"""Tests for evaluation.render.keyfigures: the report's JSON of key figures, parameters and provenance."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from nbformat.v4 import new_output
from render.render_fixtures import PARAMS, executed_report, nb_with

from evaluation.render.keyfigures import collect_key_figures, render_json
from evaluation.report.display import KEY_FIGURES_MIME


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One real run of tests/data/notebooks/report_ok.ipynb; yields its home, notebook and files."""
    yield from executed_report(tmp_path_factory)


@pytest.mark.slow
def test_json_holds_key_figures_params_provenance(report: dict) -> None:
    """The JSON merges key figures in order and carries params and provenance, sorted, indent 2."""
    text = report["json"]
    data = json.loads(text)
    assert data["key_figures"] == {"budget_sek": 16713030, "firms": 2, "share_women": 0.5}
    assert data["params"] == PARAMS.notebook_parameters()
    assert set(data["provenance"]) == {"code", "data", "input_files", "packages", "params_sha256"}
    assert set(data["provenance"]["input_files"]) == {"data/demo/project.yaml", "notebooks/final.ipynb"}
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_collect_key_figures_merges_in_order() -> None:
    """Later KeyFigures outputs override earlier keys; display_data and execute_result both count."""
    nb = nb_with([
        new_output("display_data", data={KEY_FIGURES_MIME: {"a": 1, "b": 2}, "text/plain": "kf"}),
        new_output("execute_result", data={KEY_FIGURES_MIME: {"b": 3, "namn": "Ågren"}}, execution_count=1),
    ])
    assert collect_key_figures(nb) == {"a": 1, "b": 3, "namn": "Ågren"}
    text = render_json(nb, PARAMS, prov={"code": {}})
    assert '"namn": "Ågren"' in text
