"""Tests for evaluation.report.provenance: hashes, versions, git state; deterministic and safe outside git."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from evaluation.core import paths
from evaluation.report.params import ReportParams
from evaluation.report.provenance import (
    git_state,
    params_sha256,
    project_input_files,
    provenance,
    provenance_table,
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home (not a git checkout) with two data files for project 'demo'."""
    data = tmp_path / "data" / "demo"
    data.mkdir(parents=True)
    (data / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (data / "firms.csv").write_text("id\n1\n", encoding="utf-8")
    (data / ".hidden").write_text("x", encoding="utf-8")
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


PARAMS = ReportParams(project="demo", kind="final", as_of=dt.date(2022, 12, 31))


def test_input_files_hashed_relative_and_sorted(home: Path) -> None:
    """Inputs are keyed by path relative to the home, sorted, with their sha256."""
    prov = provenance(project_input_files("demo"), PARAMS)
    assert list(prov["input_files"]) == ["data/demo/firms.csv", "data/demo/project.yaml"]
    assert prov["input_files"]["data/demo/project.yaml"] == hashlib.sha256(b"id: demo\n").hexdigest()


def test_params_hash_same_for_model_and_mapping() -> None:
    """The params hash is of the canonical parameters, whether given as model or mapping."""
    assert params_sha256(PARAMS) == params_sha256(PARAMS.notebook_parameters())
    other = PARAMS.model_copy(update={"language": "en"})
    assert params_sha256(PARAMS) != params_sha256(other)


def test_versions_recorded(home: Path) -> None:
    """Versions of the key packages (and evaluation itself) are recorded, sorted."""
    packages = provenance([], PARAMS)["packages"]
    assert list(packages) == sorted(packages)
    assert {"pandas", "numpy", "matplotlib", "statsmodels", "papermill", "nbconvert", "weasyprint",
            "evaluation"} <= set(packages)
    assert packages["evaluation"] != "unknown"


def test_outside_git_is_unknown_not_failure(home: Path) -> None:
    """Outside a git checkout the commit is 'unknown' and nothing fails."""
    assert git_state() == {"commit": "unknown", "dirty": None}


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_commit_and_dirty_flag(home: Path) -> None:
    """In a git checkout the commit is recorded and a changed tracked file marks it dirty."""
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(home), "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run(["git", *a], cwd=home, env=env, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("add", "data/demo/project.yaml")
    run("commit", "-q", "-m", "init")
    head = run("rev-parse", "HEAD").stdout.decode().strip()
    assert git_state() == {"commit": head, "dirty": False}
    (home / "data" / "demo" / "project.yaml").write_text("id: changed\n", encoding="utf-8")
    assert git_state() == {"commit": head, "dirty": True}


def test_deterministic(home: Path) -> None:
    """Two records of the same inputs are identical as JSON."""
    a = json.dumps(provenance(project_input_files("demo"), PARAMS), sort_keys=True)
    b = json.dumps(provenance(reversed(project_input_files("demo")), PARAMS), sort_keys=True)
    assert a == b


def test_missing_input_file_recorded(home: Path) -> None:
    """A listed input that does not exist is recorded as 'missing', not a crash."""
    prov = provenance([home / "data" / "demo" / "gone.csv"], PARAMS)
    assert prov["input_files"] == {"data/demo/gone.csv": "missing"}


def test_table_in_both_languages(home: Path) -> None:
    """The display table has translated headers and short hashes."""
    prov = provenance(project_input_files("demo"), PARAMS)
    sv = provenance_table(prov, "sv")
    en = provenance_table(prov, "en")
    assert list(sv.columns) == ["Uppgift", "Värde"] and list(en.columns) == ["Item", "Value"]
    code = git_state(paths.PACKAGE_DIR.parent)["commit"]
    assert sv.iloc[0].tolist() == ["Kodversion (git)", "okänd" if code == "unknown" else code[:12]]
    assert sv.iloc[2].tolist() == ["Dataversion (git)", "okänd"]  # the home is apart from the code, and no checkout
    row = en[en["Item"] == "Input file: data/demo/project.yaml"]["Value"].tolist()
    assert row == [hashlib.sha256(b"id: demo\n").hexdigest()[:12]]


def test_hashes_of_what_was_read_win_over_the_file_now(home: Path) -> None:
    """A file changed after it was read: the provenance shows the hash of the bytes read, not of the new file."""
    yaml_path = home / "data" / "demo" / "project.yaml"
    read = hashlib.sha256(yaml_path.read_bytes()).hexdigest()
    yaml_path.write_text("id: changed while the report ran\n", encoding="utf-8")
    prov = provenance(project_input_files("demo"), PARAMS, hashes=(("data/demo/project.yaml", read),))
    assert prov["input_files"]["data/demo/project.yaml"] == read
    assert prov["input_files"]["data/demo/firms.csv"] == hashlib.sha256(b"id\n1\n").hexdigest()


def test_loaded_project_hashes_reach_the_provenance(home: Path) -> None:
    """load_project's input_hashes, given to provenance, name every file parsed by its path in the home."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1]))
    from conftest import minimal_spec, write_project

    from evaluation.io.loader import load_project

    write_project(home / "data", minimal_spec())
    project = load_project("mini")
    (home / "data" / "mini" / "project.yaml").write_text("changed", encoding="utf-8")
    prov = provenance(project.files, PARAMS, hashes=project.input_hashes)
    assert prov["input_files"] == dict(project.input_hashes)
    assert list(prov["input_files"]) == ["data/mini/project.yaml"]


def test_linked_input_is_shown_by_its_place_in_the_home(home: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A data file that is a symbolic link to a file outside the home is recorded as data/<id>/<name>, never its target."""
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("id\n2\n", encoding="utf-8")
    (home / "data" / "demo" / "linked.csv").symlink_to(outside)
    prov = provenance(project_input_files("demo"), PARAMS)
    assert "data/demo/linked.csv" in prov["input_files"]
    assert str(outside.parent) not in json.dumps(prov)
    assert all(not name.startswith("/") for name in prov["input_files"])
