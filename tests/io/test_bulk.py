"""Tests for evaluation.io.bulk: many projects loaded in worker processes, as a loop would load them."""

from __future__ import annotations

import operator
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


def test_then_runs_in_the_workers_as_a_loop_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_many_then gives each project with then(project), in the order given, as calling then afterwards does."""
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    for i, pid in enumerate(("syn03", "syn01", "syn02"), start=1):
        write_synthetic_project(tmp_path / "data", pid, 7000 + i)
    with settings.use(home=tmp_path):
        pairs = bulk.load_many_then(["syn03", "syn01", "syn02"], operator.attrgetter("id", "indicators"), workers=2)
    assert [p.id for p, _ in pairs] == ["syn03", "syn01", "syn02"]
    assert all(out == (p.id, p.indicators) for p, out in pairs)


def test_then_leaves_the_problems_of_broken_projects_as_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With then, a broken project still gives the same one InputError as load_many."""
    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    write_synthetic_project(tmp_path / "data", "syn01", 7001)
    write_synthetic_project(tmp_path / "data", "syn02", 7002, broken=True)
    with settings.use(home=tmp_path), pytest.raises(InputError) as with_then:
        bulk.load_many_then(["syn01", "syn02"], operator.attrgetter("id"), workers=2)
    with settings.use(home=tmp_path), pytest.raises(InputError) as without:
        bulk.load_many(["syn01", "syn02"], workers=2)
    assert with_then.value.problems == without.value.problems and with_then.value.problems


def _collector_on(project: object) -> bool:
    import gc

    return gc.isenabled()


def test_the_garbage_collector_is_paused_only_while_loading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector is off while a worker loads and back as it was afterwards, also after a load that fails."""
    import gc

    monkeypatch.setattr(bulk, "PARALLEL_FROM", 1)
    write_synthetic_project(tmp_path / "data", "syn01", 7001)
    write_synthetic_project(tmp_path / "data", "syn02", 7002, broken=True)
    with settings.use(home=tmp_path):
        assert [on for _, on in bulk.load_many_then(["syn01"], _collector_on, workers=2)] == [False]
        assert gc.isenabled()
        with pytest.raises(InputError):
            bulk.load_many(["syn01", "syn02"], workers=2)
        assert gc.isenabled()
        gc.disable()
        try:
            bulk.load_many(["syn01"], workers=1)
            assert not gc.isenabled()
        finally:
            gc.enable()


@pytest.mark.parametrize(("count", "processes"), [(1, 2), (3, 2), (1000, 2), (997, 5)])
def test_chunks_cover_every_item_once_and_shrink_where_the_ends_meet(count: int, processes: int) -> None:
    """Front and back chunks, taken in turns, cover 0..count-1 once; the last ones hold at most LEAST_CHUNK items."""
    ends = bulk._Ends(count, processes)
    taken: list[range] = []
    while True:
        front = ends.front()
        if front is not None:
            taken.append(front)
        back = ends.back()
        if back is not None:
            taken.append(back)
        if front is None and back is None:
            break
    assert sorted(i for chunk in taken for i in chunk) == list(range(count))
    assert all(len(chunk) <= bulk.LEAST_CHUNK for chunk in taken[-2:])
    if count >= 1000:
        assert len(taken[0]) > 10 * bulk.LEAST_CHUNK  # few round trips while much is left
