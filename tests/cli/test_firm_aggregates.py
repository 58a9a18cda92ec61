"""Tests for evaluation/cli/firm_aggregates.py (with io/firm_aggregates.py and io/firm_panel.py): the remote aggregates workflow.

A synthetic staggered panel (18 participants starting 2022 or 2024, 6 of them in 2022; 15
comparison firms, 4 of which applied; names and valid organisation numbers) is run through
``evaluation firm-aggregates`` as inside a remote system; the file that leaves must hold no
firm and no cell under the threshold, and a report made from it must show the firm section a
report made from the panel shows.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis.firms.register import luhn_valid
from evaluation.cli.main import main
from evaluation.core.errors import InputError
from evaluation.io.loader import load_project
from evaluation.report import sections
from evaluation.report.params import validate_notebook_parameters
from evaluation.report.sections import ReportContext


def _org_nr(i: int) -> str:
    """A valid organisation number (Luhn check digit) for firm ``i``."""
    stem = f"55{i:07d}"
    return next(stem + str(d) for d in range(10) if luhn_valid(stem + str(d)))


def _panel() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    starts = [2024] * 12 + [2022] * 6
    for i, start in enumerate(starts):
        for y in range(2019, 2026):
            e = 4 + i + (y - 2019) * 0.5 + (2 + 0.5 * (y - start) if y >= start else 0) + (i % 3) * 0.25 * (y - 2019)
            rows.append({"firm_id": f"p{i:02d}", "name": f"Deltagare {i:02d} AB", "org_nr": _org_nr(i), "year": y,
                         "employees": e, "participant": "yes", "participation_start": start, "applicant": "yes"})
    for i in range(15):
        for y in range(2019, 2026):
            e = 3 + i + (y - 2019) * 0.5 + (i % 4) * 0.2 * (y - 2019)
            rows.append({"firm_id": f"c{i:02d}", "name": f"Jämförelse {i:02d} AB", "org_nr": _org_nr(100 + i), "year": y,
                         "employees": e, "participant": "no", "participation_start": None,
                         "applicant": "yes" if i < 4 else "no"})
    return rows


@pytest.fixture(scope="module")
def workflow(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The panel project, the aggregates written from its firms.csv, and the project holding only the aggregates."""
    root = tmp_path_factory.mktemp("remote")
    with_panel = write_project(root / "a", minimal_spec(), {"firms": _panel()})
    out = root / "firm_aggregates.json"
    assert main(["firm-aggregates", str(with_panel / "firms.csv"), "--out", str(out)]) == 0
    with_aggregates = write_project(root / "b", minimal_spec())
    shutil.copy(out, with_aggregates / "firm_aggregates.json")
    return {"panel": with_panel, "aggregates": with_aggregates, "file": out, "text": out.read_text(encoding="utf-8")}


def _report(folder: Path) -> ReportContext:
    p = validate_notebook_parameters(project=folder.name, kind="final", as_of="2025-12-31", project_exists=None)
    return ReportContext.build(p, load_project(folder))


def _numbers(document: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every (path, value) leaf of a JSON document."""
    if isinstance(document, dict):
        return [leaf for key, value in document.items() for leaf in _numbers(value, f"{path}.{key}")]
    if isinstance(document, list):
        return [leaf for i, value in enumerate(document) for leaf in _numbers(value, f"{path}[{i}]")]
    return [(path, document)]


def test_aggregates_file_holds_no_firm_id_name_or_org_nr(workflow: dict[str, Any]) -> None:
    """No firm id, name or organisation number of the panel is anywhere in the file that leaves."""
    text = workflow["text"]
    for row in _panel():
        assert row["firm_id"] not in text and row["name"] not in text and row["org_nr"] not in text
    assert "Deltagare" not in text and "Jämförelse" not in text


def test_aggregates_file_holds_no_cell_under_the_threshold(workflow: dict[str, Any]) -> None:
    """Every count of firms in the file is 0 or at least 5; event-time and cohort rows of the 6 early starters only are kept."""
    document = json.loads(workflow["text"])
    assert document["threshold"] == 5 and document["format"] == "evaluation-firm-aggregates" and document["version"] == 1
    for cell in document["cells"]:
        assert cell["n_firms"] is None or cell["n_firms"] >= 5, cell
        if not cell["shown"]:
            assert cell["total"] is None and cell["mean"] is None
    counts = [(p, v) for p, v in _numbers(document["figures"]) if re.search(r"\.(n_\w+|n)$", p) and isinstance(v, int)]
    assert counts
    for path, value in counts:
        if not path.endswith(("n_unknown_start", "n_always_treated", "n_cohorts_without_reference", "n_cohorts", "n_missing", "n_pre")):
            assert value == 0 or value >= 5, (path, value)
    summary = document["figures"]["summary"]
    assert summary["median_change"] == {"type": "float", "value": "nan"}  # a median is one firm's value: not kept


def test_report_from_aggregates_shows_the_same_firm_section(workflow: dict[str, Any]) -> None:
    """The firm section from firm_aggregates.json equals the one from the panel: the same sentences, tables and charts."""
    from_panel = sections.participating_firms(_report(workflow["panel"])).text()
    from_file = sections.participating_firms(_report(workflow["aggregates"])).text()
    remote = re.compile(r"\n?<p>Uppgifterna i detta avsnitt togs fram där företagens registeruppgifter finns;.*?</p>")
    assert remote.search(from_file) and not remote.search(from_panel)
    assert remote.sub("", from_file) == from_panel
    assert "Skattad effekt av deltagande" in from_panel and from_panel.count("<img") == 1
    assert "Callaway" in from_panel and "(likformigt band)" in from_panel  # staggered: the dynamic effects with their uniform band


def test_panel_and_aggregates_together_are_bad_input(workflow: dict[str, Any], tmp_path: Path) -> None:
    """A project folder with both firms.csv and firm_aggregates.json is an input error naming the aggregates file."""
    folder = write_project(tmp_path, minimal_spec(), {"firms": _panel()})
    shutil.copy(workflow["file"], folder / "firm_aggregates.json")
    with pytest.raises(InputError, match=r"'file' in \S*firm_aggregates\.json must be absent when the project has a firms table"):
        load_project(folder)


@pytest.mark.parametrize("change,field,expectation", [
    ({"threshold": 3}, "threshold", "at least the project's disclosure.min_cell (5)"),
    ({"version": 2}, "version", "1"),
    ({"format": "csv"}, "format", "evaluation-firm-aggregates"),
    ({"firm_rows": []}, "firm_rows", "a known key"),
])
def test_bad_aggregates_file_is_bad_input(workflow: dict[str, Any], tmp_path: Path, change: dict[str, Any], field: str,
                                          expectation: str) -> None:
    """A file of another version or format, a threshold below the project's or an unknown key: exit 2 naming the field."""
    document = {**json.loads(workflow["text"]), **change}
    folder = write_project(tmp_path, minimal_spec())
    (folder / "firm_aggregates.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_project(folder)
    assert err.value.exit_code == 2
    assert f"'{field}' in " in str(err.value) and expectation in str(err.value), str(err.value)


def test_stricter_report_threshold_does_not_use_a_laxer_file(workflow: dict[str, Any]) -> None:
    """A report with small_cell_threshold 10 does not show figures checked at 5: it says to run the command with 10."""
    p = validate_notebook_parameters(project="mini", kind="final", as_of="2025-12-31", project_exists=None, small_cell_threshold=10)
    text = sections.participating_firms(ReportContext.build(p, load_project(workflow["aggregates"]))).text()
    assert "Skattad effekt" not in text and "--threshold 10" in text


def test_bad_organisation_number_in_the_panel_is_exit_2_with_the_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong Luhn check digit in the remote panel stops the command with exit 2, naming file and row; nothing is written."""
    rows = _panel()
    rows[3]["org_nr"] = rows[3]["org_nr"][:-1] + str((int(rows[3]["org_nr"][-1]) + 1) % 10)
    path = tmp_path / "panel.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert main(["firm-aggregates", str(path), "--out", str(tmp_path / "out.json")]) == 2
    assert re.search(r"'org_nr' in \S*panel\.csv row 5 must be", capsys.readouterr().err)
    assert not (tmp_path / "out.json").exists()
