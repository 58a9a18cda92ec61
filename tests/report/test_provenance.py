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
