"""Tests for evaluation.io.bulk: many projects loaded in worker processes, as a loop would load them."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.authoring.synthetic import write_synthetic_project
from evaluation.core import settings
from evaluation.core.errors import InputError
from evaluation.io import bulk
from evaluation.io.loader import load_project


def test_workers_load_the_projects_a_loop_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three synthetic projects loaded by two workers equal those loaded one by one, in the order given."""
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    for i, pid in enumerate(("syn03", "syn01", "syn02"), start=1):
        write_synthetic_project(tmp_path / "data", pid, 7000 + i)
    with settings.use(home=tmp_path):
        many = bulk.load_many(["syn03", "syn01", "syn02"], workers=2)
        one_by_one = [load_project(pid) for pid in ("syn03", "syn01", "syn02")]
    assert [p.id for p in many] == ["syn03", "syn01", "syn02"]
    for a, b in zip(many, one_by_one):
        assert a.indicators == b.indicators and a.budget == b.budget and a.input_hashes == b.input_hashes
        assert a.firms is not None and b.firms is not None and a.firms.equals(b.firms)


def test_problems_of_every_project_are_raised_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two broken projects among good ones: one InputError listing the problems of both, in the order of the ids."""
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    write_synthetic_project(tmp_path / "data", "syn01", 7001)
    write_synthetic_project(tmp_path / "data", "syn02", 7002, broken=True)
    write_synthetic_project(tmp_path / "data", "syn03", 7003, broken=True)
    with settings.use(home=tmp_path), pytest.raises(InputError) as caught:
        bulk.load_many(["syn03", "syn01", "syn02"], workers=2)
    files = [p.file for p in caught.value.problems]
    assert files and all("syn03" in f for f in files[: len(files) // 2]) and "syn02" in files[-1]
