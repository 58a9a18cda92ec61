"""Loading many projects at once, in worker processes: the portfolio of a region or a programme.

:func:`load_many` gives what loading each project with
:func:`evaluation.io.loader.load_project` one after the other gives -- the same projects in the
same order, or one :class:`~evaluation.core.errors.InputError` listing every problem of every
project in the order of ``ids`` -- but spreads the work over ``workers`` processes in chunks,
which pays off from a few dozen projects on. Each worker runs under the caller's settings.

:func:`load_many_then` also applies a picklable top-level callable to each project right after loading it, in the
same worker (e.g. the portfolio's checks, passed from above: io knows nothing of them), and gives each project with
what the callable returned -- what calling it on each project in a loop afterwards gives.
"""

from __future__ import annotations

import contextlib
import gc
import pickle
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from evaluation.core import settings
from evaluation.core.errors import InputError, Problem
from evaluation.core.model import Project
from evaluation.io.loader import load_project

__all__ = ["PARALLEL_FROM", "load_many", "load_many_then"]

PARALLEL_FROM = 40
"""Fewer projects than this are loaded in this process (starting workers costs more than it saves)."""

LEAST_CHUNK = 2
"""The fewest projects a chunk holds while more are left (see :class:`_Ends`)."""

T = TypeVar("T")
_Loaded = tuple[Project | None, list[Problem], Any]


def _load(pid: str | Path, data_dir: Path | None, then: Callable[[Project], Any] | None = None) -> _Loaded:
    try:
        project = load_project(pid, data_dir=data_dir)
    except InputError as err:
        return None, list(err.problems), None
    return project, [], (None if then is None else then(project))


@contextlib.contextmanager
def _collector_paused(then_on: bool = False, keep: bool = False) -> Iterator[None]:
    """Python's cyclic garbage collector off while many long-lived objects are made (loaded projects, or
    their copies unpickled from the workers): every collection would walk all of them again, about a
    fifth of the loading and two thirds of the unpickling. Nothing is freed later than it would be:
    the objects stay alive anyway, and the collector runs again as soon as the block ends (``then_on``:
    in a worker process, which inherits the paused collector from the process that forked it). ``keep``: the
    objects alive at the end (the loaded portfolio) are moved to the collector's permanent generation
    (:func:`gc.freeze`), so that its next full collections do not walk the whole portfolio again (about 0,7 s
    for 1 000 projects); they are still freed as soon as nothing refers to them."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if was_on or then_on:
            gc.enable()


def _load_chunk(chunk: Sequence[str | Path], data_dir: Path | None, chosen: settings.Settings,
                then: Callable[[Project], Any] | None = None) -> list[bytes]:
    """The chunk's results, each pickled on its own: one pickle of the whole chunk keeps a memo of every
    object in it and takes about twice as long to write (and longer to read)."""
    with settings.use(chosen), _collector_paused(then_on=True):
        return [pickle.dumps(_load(pid, data_dir, then), protocol=pickle.HIGHEST_PROTOCOL) for pid in chunk]


class _Ends:
    """The items still to load, ``lo`` to ``hi``, taken in chunks from the front (the workers) and from the back (this
    process) until they meet. A chunk is an eighth of what is left per process (at least :data:`LEAST_CHUNK`): large
    while much is left (few round trips), small where the two ends meet, so that no process waits long for the last
    chunk of another (with eight fixed chunks a process, this process waited about a tenth of the load at the end)."""

    def __init__(self, count: int, processes: int) -> None:
        self.lo, self.hi, self.processes = 0, count, processes

    def _size(self) -> int:
        left = self.hi - self.lo
        return min(left, max(LEAST_CHUNK, -(-left // (4 * self.processes))))

    def front(self) -> range | None:
        """The next chunk from the front, or None when nothing is left."""
        size = self._size()
        if not size:
            return None
        self.lo += size
        return range(self.lo - size, self.lo)

    def back(self) -> range | None:
        """The next chunk from the back, or None when nothing is left."""
        size = self._size()
        if not size:
            return None
        self.hi -= size
        return range(self.hi, self.hi + size)


def _parallel(items: list[str | Path], data_dir: Path | None, wanted: int,
              then: Callable[[Project], Any] | None) -> list[_Loaded]:
    """The results of ``items`` in their order, loaded by ``wanted`` processes: ``wanted - 1`` workers and this
    one, in chunks (:class:`_Ends`): the workers take theirs from the front, this process from the back. This
    process's own results need no pickling at all."""
    ends = _Ends(len(items), wanted)
    running: dict[int, Future[list[bytes]]] = {}
    done: dict[int, list[_Loaded]] = {}
    chosen = settings.current()
    with ProcessPoolExecutor(max_workers=wanted - 1) as pool:

        def feed() -> None:  # two chunks queued a worker: none waits for this process
            while len(running) < 2 * (wanted - 1) and (chunk := ends.front()) is not None:
                running[chunk.start] = pool.submit(_load_chunk, items[chunk.start:chunk.stop], data_dir, chosen, then)

        def harvest(wait: bool) -> None:
            for start in [s for s, f in running.items() if wait or f.done()]:
                done[start] = [pickle.loads(r) for r in running.pop(start).result()]

        feed()
        while (own := ends.back()) is not None:
            done[own.start] = [_load(pid, data_dir, then) for pid in items[own.start:own.stop]]
            harvest(wait=False)
            feed()
        harvest(wait=True)
    return [r for start in sorted(done) for r in done[start]]


def _run(ids: Sequence[str | Path], data_dir: Path | None, workers: int | None,
         then: Callable[[Project], Any] | None) -> list[tuple[Project, Any]]:
    wanted = workers if workers is not None else (settings.current().workers or 2)
    items = list(ids)
    if wanted <= 1 or len(items) < PARALLEL_FROM:
        with _collector_paused(keep=len(items) >= PARALLEL_FROM):
            results = [_load(pid, data_dir, then) for pid in items]
    else:
        with _collector_paused(keep=True):
            results = _parallel(items, data_dir, wanted, then)
    problems = [p for _, found, _ in results for p in found]
    if problems:
        raise InputError(problems)
    return [(p, out) for p, _, out in results if p is not None]


def load_many(ids: Sequence[str | Path], *, data_dir: Path | None = None, workers: int | None = None) -> list[Project]:
    """Every project of ``ids`` loaded (see the module docstring); ``workers`` None: the settings'
    ``workers``, else 2. An unexpected fault in a worker is raised here as it would be in a loop."""
    return [p for p, _ in _run(ids, data_dir, workers, None)]


def load_many_then(ids: Sequence[str | Path], then: Callable[[Project], T], *, data_dir: Path | None = None,
                   workers: int | None = None) -> list[tuple[Project, T]]:
    """Each project of ``ids`` loaded as by :func:`load_many`, with ``then(project)`` computed in the process that
    loaded it (``then`` must pickle: a module-level function or a ``functools.partial`` of one; so must its result).
    ``then`` runs on each project that loads; one InputError still lists the problems of those that do not. A
    fault in ``then`` is raised here as it would be in a loop."""
    return _run(ids, data_dir, workers, then)
