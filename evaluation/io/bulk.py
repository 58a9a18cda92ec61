"""Loading many projects at once, in worker processes: the portfolio of a region or a programme.

:func:`load_many` gives what loading each project with
:func:`evaluation.io.loader.load_project` one after the other gives -- the same projects in the
same order, or one :class:`~evaluation.core.errors.InputError` listing every problem of every
project in the order of ``ids`` -- but spreads the work over ``workers`` processes in chunks,
which pays off from a few dozen projects on. Each worker runs under the caller's settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from evaluation.core import settings
from evaluation.core.errors import InputError, Problem
from evaluation.core.model import Project
from evaluation.io.loader import load_project

__all__ = ["PARALLEL_FROM", "load_many"]

PARALLEL_FROM = 40
"""Fewer projects than this are loaded in this process (starting workers costs more than it saves)."""

_Loaded = tuple[Project | None, list[Problem]]


def _load(pid: str | Path, data_dir: Path | None) -> _Loaded:
    try:
        return load_project(pid, data_dir=data_dir), []
    except InputError as err:
        return None, list(err.problems)


def _load_chunk(chunk: Sequence[str | Path], data_dir: Path | None, chosen: settings.Settings) -> list[_Loaded]:
    with settings.use(chosen):
        return [_load(pid, data_dir) for pid in chunk]


def load_many(ids: Sequence[str | Path], *, data_dir: Path | None = None, workers: int | None = None) -> list[Project]:
    """Every project of ``ids`` loaded (see the module docstring); ``workers`` None: the settings'
    ``workers``, else 2. An unexpected fault in a worker is raised here as it would be in a loop."""
    wanted = workers if workers is not None else (settings.current().workers or 2)
    items = list(ids)
    if wanted <= 1 or len(items) < PARALLEL_FROM:
        results = [_load(pid, data_dir) for pid in items]
    else:
        size = max(1, -(-len(items) // (wanted * 4)))  # four chunks a worker: an even finish
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=wanted) as pool:
            futures = [pool.submit(_load_chunk, chunk, data_dir, settings.current()) for chunk in chunks]
            results = [r for f in futures for r in f.result()]
    problems = [p for _, found in results for p in found]
    if problems:
        raise InputError(problems)
    return [p for p, _ in results if p is not None]
