"""The install paths agree: pyproject.toml, requirements.lock, environment.yml, Makefile, CI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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
