"""The install paths agree: pyproject.toml, requirements.lock, environment.yml, Makefile, CI."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.strip().lower())


def _lock() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==")
            out[_norm(name)] = version
    return out


def _direct() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(meta["dependencies"]) + [d for extra in meta["optional-dependencies"].values() for d in extra]
    return [_norm(re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0]) for d in deps]


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            out[_norm(name)] = version
    return out


def test_every_direct_dependency_is_pinned_in_the_lock():
    """Each dependency named in pyproject.toml has an exact version in requirements.lock."""
    lock = _lock()
    missing = [d for d in _direct() if d not in lock]
    assert missing == []


def test_environment_yml_lists_the_same_packages_at_the_locked_versions():
    """environment.yml (conda) pins exactly the pip path's direct dependencies, at the lock's versions."""
    conda, lock = _conda(), _lock()
    conda.pop("python")
    assert sorted(conda) == sorted(_direct())
    assert {n: v for n, v in conda.items() if lock.get(n) != v} == {}


def test_environment_yml_uses_python_311_and_conda_forge():
    """The conda environment targets the same Python as the pip path, from conda-forge."""
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_ci_runs_the_readme_test_command():
    """.ci/run calls `make test`, the test command the README gives."""
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in (ROOT / "README.md").read_text()
    assert re.search(r"^test: setup\n\t\$\(BIN\)/python -m pytest", (ROOT / "Makefile").read_text(), re.M)


def test_make_lint_runs_ruff_and_mypy_from_the_venv():
    """`make lint` runs the pinned ruff over evaluation, tests and benchmarks, then mypy with its pyproject config."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lint: setup\n\t\$\(BIN\)/ruff check evaluation tests benchmarks\n\t\$\(BIN\)/mypy\n", makefile, re.M)
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert {_norm(d) for d in meta["project"]["optional-dependencies"]["lint"]} == {"ruff", "mypy", "types-pyyaml"}
    assert "lint" in re.search(r"-e '\.\[([\w,]+)\]'", makefile).group(1).split(",")  # make lock freezes the lint tools too
    assert {"ruff", "mypy"} <= set(meta["tool"])


@pytest.mark.parametrize("failing, expected", [(None, 0), ("test", 1), ("lint", 1)])
def test_ci_runs_tests_and_lint_and_fails_if_either_fails(tmp_path, failing, expected):
    """.ci/run runs `make test` and `make lint` (both, even after a failure) and exits non-zero if either fails."""
    (tmp_path / ".ci").mkdir()
    shutil.copy2(ROOT / ".ci" / "run", tmp_path / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    fake = bin_dir / "make"
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n[ "$1" != "{failing}" ]\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(tmp_path / ".ci" / "run")], env=env, capture_output=True, text=True)
    assert (result.returncode != 0) == bool(expected)
    assert log.read_text().split() == ["test", "lint"]
