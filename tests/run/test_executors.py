"""Tests for evaluation.run.executors: a worker that dies fails only its own task."""

from __future__ import annotations

import os

import pytest

from evaluation.run.executors import DaskExecutor, LocalExecutor, open_executor
from evaluation.run.outcomes import ReportOutcome


def _echo_or_die(task: str) -> ReportOutcome:
    """Worker function for the crash test: ends its worker process on 'die'."""
    if task == "die":
        os._exit(3)
    return ReportOutcome(None, task, "k", "ok", "", 0.0)


@pytest.mark.slow
def test_a_crashing_worker_fails_only_its_own_report() -> None:
    """A worker process that dies is replaced; its report fails, the others still run."""
    done: dict[int, ReportOutcome] = {}
    with open_executor(1, None, warm=False) as executor:
        executor.run(_echo_or_die, ["a", "die", "b"], lambda i, o: done.__setitem__(i, o))
    assert sorted(done) == [0, 1, 2]
    assert done[0].status == "ok" and done[2].status == "ok"
    assert done[1].status == "failed" and "ended unexpectedly" in done[1].message


def test_open_executor_picks_dask_for_a_scheduler() -> None:
    """A scheduler address gives the Dask executor (not connected until entered); otherwise local workers."""
    local = open_executor(3, None, warm=False)
    assert isinstance(local, LocalExecutor) and local.workers == 3 and not local.warm
    assert isinstance(open_executor(3, "tcp://127.0.0.1:1"), DaskExecutor)
