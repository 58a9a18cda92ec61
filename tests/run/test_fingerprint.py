"""Tests for evaluation.run.fingerprint: what makes a report (and the code) count as changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evaluation.authoring.synthetic import write_synthetic_programme
from evaluation.core import paths
from evaluation.run.fingerprint import (
    code_fingerprint,
    fingerprint_path,
    portfolio_fingerprint,
    read_fingerprint,
    report_fingerprint,
    write_fingerprint,
)

REPO = Path(__file__).resolve().parents[2]
TEST_NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "batch"


def _make_home(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = root / "home"
    (home / "notebooks").mkdir(parents=True)
    for kind in ("midterm", "final"):
        shutil.copy(TEST_NOTEBOOKS / f"{kind}.ipynb", home / "notebooks" / f"{kind}.ipynb")
    shutil.copy(REPO / "notebooks" / "portfolio.ipynb", home / "notebooks" / "portfolio.ipynb")
    monkeypatch.setenv("EVALUATION_HOME", str(home))
    return home



def test_report_fingerprint_follows_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Data files, the params file and the notebook change the fingerprint; re-reading does not."""
    home = _make_home(tmp_path, monkeypatch)
    files = write_synthetic_programme(home, 1, 3, formats=("html",))
    params = files[0]
    base = report_fingerprint(params, "syn01", "final", code="c")
    assert report_fingerprint(params, "syn01", "final", code="c") == base
    assert report_fingerprint(params, "syn01", "final", code="d")["fingerprint"] != base["fingerprint"]
    with open(home / "data" / "syn01" / "costs.csv", "a", encoding="utf-8") as fh:
        fh.write("Övrigt,1000,900,wp1,illustrative\n")
    after_data = report_fingerprint(params, "syn01", "final", code="c")
    assert after_data["fingerprint"] != base["fingerprint"]
    assert after_data["components"]["inputs"]["costs.csv"] != base["components"]["inputs"]["costs.csv"]
    params.write_text(params.read_text(encoding="utf-8").replace("language: sv", "language: en"), encoding="utf-8")
    after_params = report_fingerprint(params, "syn01", "final", code="c")
    assert after_params["components"]["params_file"] != after_data["components"]["params_file"]
    (home / "notebooks" / "final.ipynb").write_text("{}", encoding="utf-8")
    assert report_fingerprint(params, "syn01", "final", code="c")["components"]["notebook"] != \
        after_params["components"]["notebook"]


def test_code_fingerprint_follows_python_files_and_templates(tmp_path: Path) -> None:
    """Editing a module or a template changes the code hash; other files do not."""
    package = tmp_path / "evaluation"
    shutil.copytree(paths.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    base = code_fingerprint(package)
    assert code_fingerprint(package) == base
    (package / "notes.txt").write_text("not code", encoding="utf-8")
    assert code_fingerprint(package) == base
    with open(package / "fmt.py", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    changed = code_fingerprint(package)
    assert changed != base
    css = next((package / "templates").rglob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    assert code_fingerprint(package) != changed



def test_portfolio_fingerprint_follows_projects_and_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portfolio's fingerprint changes with a project's data and with its parameters, not otherwise."""
    home = _make_home(tmp_path, monkeypatch)
    write_synthetic_programme(home, 2, 3, formats=("html",))
    notebook = home / "notebooks" / "portfolio.ipynb"
    base = portfolio_fingerprint(notebook, ["syn01", "syn02"], "2024-12-31", "sv", ["html"], code="c")
    assert portfolio_fingerprint(notebook, ["syn01", "syn02"], "2024-12-31", "sv", ["html"], code="c") == base
    assert portfolio_fingerprint(notebook, ["syn01", "syn02"], "2024-12-31", "en", ["html"], code="c") != base
    with open(home / "data" / "syn02" / "costs.csv", "a", encoding="utf-8") as fh:
        fh.write("Övrigt,1000,900,wp1,illustrative\n")
    changed = portfolio_fingerprint(notebook, ["syn01", "syn02"], "2024-12-31", "sv", ["html"], code="c")
    assert changed["fingerprint"] != base["fingerprint"]
    assert changed["components"]["inputs"]["syn01"] == base["components"]["inputs"]["syn01"]


def test_fingerprint_file_round_trip(tmp_path: Path) -> None:
    """A recorded fingerprint is read back; a missing or unreadable record reads as None."""
    stem = tmp_path / "reports" / "p1" / "final"
    path = fingerprint_path(stem)
    assert path == tmp_path / "reports" / "p1" / "final.fingerprint.json"
    assert read_fingerprint(path) is None
    write_fingerprint(path, {"fingerprint": "abc", "components": {}})
    assert read_fingerprint(path) == "abc"
    path.write_text("not json", encoding="utf-8")
    assert read_fingerprint(path) is None
    assert [p.name for p in path.parent.iterdir()] == ["final.fingerprint.json"]
