"""Where a batch's tasks run: worker processes on this machine, or an existing Dask cluster.

Both executors run ``fn(task)`` for every task and report each outcome as it finishes
(:meth:`LocalExecutor.run`, :meth:`DaskExecutor.run`); a worker that dies fails only its own
task. A task carries everything it needs (its :class:`~evaluation.core.settings.Settings`
included); a worker keeps only its warm-kernel state (:class:`WorkerState`), created when the
worker starts (process pool) or on first use (Dask workers).

Local workers are ``spawn``-ed processes that share one kernel zygote started here, so the
kernels' imports are paid once per batch; a Dask worker starts its own zygote and stops it at
the end of the batch (:func:`close_worker`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.run.kernels import KernelZygote, wait_for_zygote
from evaluation.run.outcomes import ReportOutcome
from evaluation.run.startup import leave_out_unused_imports

__all__ = ["WorkerState", "LocalExecutor", "DaskExecutor", "open_executor", "ensure_worker", "close_worker"]

_WORKER_PRELOAD: tuple[str, ...] = (
    "papermill", "nbclient", "nbconvert", "weasyprint", "evaluation.run.report", "evaluation.render.html", "evaluation.render.pdf", "evaluation.render.keyfigures", "evaluation.render.word",
    "evaluation.io.loader",
)
"""Modules each worker process imports once, before its first report."""


# --------------------------------------------------------------------------- worker side


@dataclass
class WorkerState:
    """A worker process's warm kernels: its own zygote, or ``shared`` = (folder, pid) of the driver's."""

    zygote: KernelZygote | None = None
    shared: tuple[str, int] | None = None

    @property
    def kernel_dir(self) -> Path | None:
        """The folder of the warm kernelspec reports of this worker use (None: cold kernels)."""
        if self.shared is not None:
            return Path(self.shared[0])
        if self.zygote is not None:
            return self.zygote.folder
        return None

    @property
    def own_processes(self) -> tuple[int, ...]:
        """Processes below this worker that are not a report's kernel (its own zygote)."""
        if self.zygote is not None and self.zygote.process is not None:
            return (self.zygote.process.pid,)
        return ()


_STATE: WorkerState | None = None
"""Per worker process: the warm kernel zygote. Never set in the process that calls run_batch."""


def _stop_worker(code: int = 143) -> None:
    """Stop this local worker now: its kernels first, then the process (a report it was writing is
    not half-written: its files change as one set, see :class:`evaluation.io.atomic.FileSet`)."""
    from evaluation.run.kernels import _kernel_processes

    keep = _STATE.own_processes if _STATE is not None else ()
    for proc in _kernel_processes(keep):
        with contextlib.suppress(Exception):  # already gone
            proc.kill()
    os._exit(code)


def _watch_parent(parent: int, interval: float = 0.2) -> None:
    """In a local worker: stop it as soon as the batch that started it is gone (even after kill -9)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        _stop_worker(1)

    threading.Thread(target=watch, name="evaluation-parent-watch", daemon=True).start()


def _init_local_worker(warm: bool, shared: tuple[str, int] | None, parent: int) -> None:
    """Process-pool initializer of a local worker: the batch alone decides when to stop. Ctrl-C (which the
    terminal sends to the whole process group) is left to it; its SIGTERM stops the worker and its
    kernels at once; and the worker stops when the batch is gone. Then as :func:`_init_worker`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: _stop_worker())
    _watch_parent(parent)
    _init_worker(warm, shared)


def _init_worker(warm: bool, shared: tuple[str, int] | None = None) -> None:
    """Process-pool initializer: import the report libraries, use warm kernels.

    ``shared`` is ``(folder, pid)`` of a zygote started by the driver for all workers;
    without it (Dask workers) the worker starts its own.
    """
    global _STATE
    leave_out_unused_imports()  # a spawned worker imports nbformat again
    zygote: KernelZygote | None = None
    if warm and shared is None:
        try:
            zygote = KernelZygote().launch()
        except Exception:  # noqa: BLE001 - cold kernels still work
            zygote = None
    for name in _WORKER_PRELOAD:  # while the zygote imports its own
        with contextlib.suppress(Exception):  # imported (and failing properly) in the report
            __import__(name)
    if warm and shared is not None:
        # The launcher falls back to a cold kernel whenever the zygote does not answer.
        wait_for_zygote(*shared)
    elif zygote is not None:
        try:
            zygote.wait_ready()
        except Exception:  # noqa: BLE001 - cold kernels still work
            zygote = None
    _STATE = WorkerState(zygote=zygote, shared=shared if warm else None)
    if zygote is not None:
        import multiprocessing.util

        multiprocessing.util.Finalize(None, zygote.close, exitpriority=10)


def ensure_worker(warm: bool) -> WorkerState:
    """The state of this worker, created on first use (Dask workers have no initializer)."""
    if _STATE is None:
        _init_worker(warm)
    assert _STATE is not None
    if _STATE.zygote is not None and not _STATE.zygote.alive():
        _STATE.zygote.close()
        _STATE.zygote = None
    return _STATE


def close_worker() -> bool:
    """Stop this worker's zygote (run on every Dask worker at the end of a batch)."""
    global _STATE
    if _STATE is not None and _STATE.zygote is not None:
        _STATE.zygote.close()
    _STATE = None
    return True


def crashed(task: Any, exc: BaseException) -> ReportOutcome:
    """The outcome of a task whose worker process died under it."""
    project = getattr(task, "project", "portfolio")
    kind = getattr(task, "kind", "portfolio")
    params_file = Path(task.params_file) if hasattr(task, "params_file") else None
    return ReportOutcome(params_file, project, kind, "failed",
                         f"the worker process running it ended unexpectedly: {type(exc).__name__}: {exc}", 0.0)


CONNECT_TIMEOUT: float = 30.0
"""Seconds to wait for a Dask scheduler to answer before its address counts as wrong."""

Task = Any
OnDone = Callable[[int, ReportOutcome], None]


# --------------------------------------------------------------------------- executors


class LocalExecutor:
    """``workers`` spawned worker processes on this machine, sharing one warm-kernel zygote when ``warm``."""

    def __init__(self, workers: int, warm: bool = True):
        self.workers = workers
        self.warm = warm
        self._pool: Any = None
        self._zygote: KernelZygote | None = None

    def __enter__(self) -> LocalExecutor:
        return self

    def _new_pool(self) -> Any:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        shared: tuple[str, int] | None = None
        if self.warm:
            # One zygote for all workers: its imports are paid once, and forking is cheap.
            if self._zygote is None or not self._zygote.alive():
                try:
                    self._zygote = KernelZygote().launch()
                except Exception:  # noqa: BLE001 - cold kernels still work
                    self._zygote = None
            if self._zygote is not None and self._zygote.folder is not None:
                shared = (str(self._zygote.folder), int(self._zygote.process.pid))
        # spawn: workers never inherit this (possibly threaded) process; their imports are
        # paid once per worker, the kernels' once per batch (the zygote).
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"),
                                   initializer=_init_local_worker, initargs=(self.warm, shared, os.getpid()))

    def run(self, fn: Callable[[Any], ReportOutcome], tasks: Sequence[Task], on_done: OnDone) -> None:
        """Run ``fn(task)`` for each task; ``on_done(i, outcome)`` as each finishes."""
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        # A worker process that dies breaks the whole pool: every unfinished task gets
        # BrokenProcessPool. Those are run again in a new pool; a task caught twice is then
        # run alone, and only a task that breaks the pool alone is reported as the culprit.
        pending = list(range(len(tasks)))
        breaks: dict[int, int] = {}
        alone: list[int] = []
        while pending or alone:
            if self._pool is None:
                self._pool = self._new_pool()
            batch_now = pending if pending else [alone.pop(0)]
            isolated = not pending
            pending = []
            futures = {self._pool.submit(fn, tasks[i]): i for i in batch_now}
            broken = False
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    outcome = fut.result()
                except BrokenProcessPool as exc:
                    broken = True
                    breaks[i] = breaks.get(i, 0) + 1
                    if not isolated:
                        (alone if breaks[i] >= 2 else pending).append(i)
                        continue
                    outcome = crashed(tasks[i], exc)
                except Exception as exc:  # noqa: BLE001
                    outcome = crashed(tasks[i], exc)
                on_done(i, outcome)
            if broken:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            pending.sort()
            alone.sort()

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._pool is not None:
            if exc_type is None:
                self._pool.shutdown(wait=True)
            else:  # interrupted (Ctrl-C, SIGTERM) or failed: stop everything now
                self.abort()
            self._pool = None
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None

    def abort(self, grace: float = 5.0) -> None:
        """Stop at once: no further report starts, the workers (SIGTERM: each stops its kernels) and
        every kernel below this process end; a worker that does not end within ``grace`` s is killed."""
        from evaluation.run.kernels import _kernel_processes

        pool = self._pool
        if pool is None:
            return
        keep = (self._zygote.process.pid,) if self._zygote is not None and self._zygote.process is not None else ()
        kernels = _kernel_processes(keep)
        workers = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in workers:
            with contextlib.suppress(Exception):
                proc.terminate()
        deadline = time.monotonic() + grace
        for proc in workers:
            with contextlib.suppress(Exception):
                proc.join(max(0.0, deadline - time.monotonic()))
                if proc.is_alive():
                    proc.kill()
        for kernel in kernels:
            with contextlib.suppress(Exception):  # already gone
                kernel.kill()
        self._pool = None


class DaskExecutor:
    """The workers of the Dask distributed cluster at ``scheduler`` (``tcp://host:port``)."""

    def __init__(self, scheduler: str):
        self.scheduler = scheduler
        self._client: Any = None

    def __enter__(self) -> DaskExecutor:
        """Connect to the scheduler; an address that does not answer is bad input (InputError), not a fault."""
        from evaluation.core.errors import InputError, Problem

        expectation = "the address of a running Dask scheduler, such as tcp://host:8786"
        try:
            from distributed import Client
        except ImportError:
            raise InputError([Problem("command line", "--scheduler", "given only where the Dask 'distributed' "
                                      "package is installed", self.scheduler)]) from None
        try:
            self._client = Client(self.scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError([Problem("command line", "--scheduler", expectation,
                                      f"{self.scheduler}: {reason}")]) from None
        return self

    def run(self, fn: Callable[[Any], ReportOutcome], tasks: Sequence[Task], on_done: OnDone) -> None:
        """Run ``fn(task)`` for each task; ``on_done(i, outcome)`` as each finishes."""
        from distributed import as_completed

        futures = {self._client.submit(fn, t, pure=False, key=f"evaluation-{uuid.uuid4().hex}"): i
                   for i, t in enumerate(tasks)}
        for fut in as_completed(list(futures)):
            i = futures[fut]
            try:
                outcome = fut.result()
            except Exception as exc:  # noqa: BLE001 - the worker itself died
                outcome = crashed(tasks[i], exc)
            on_done(i, outcome)

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if self._client is not None:
            if exc_type is not None:  # interrupted: no further report starts on the cluster
                with contextlib.suppress(Exception):
                    self._client.cancel(list(self._client.futures.values()), force=True)
            with contextlib.suppress(Exception):  # workers may be gone
                self._client.run(close_worker)
            self._client.close()
            self._client = None


def open_executor(workers: int, scheduler: str | None = None, warm: bool = True) -> LocalExecutor | DaskExecutor:
    """The Dask executor for ``scheduler`` when given, else ``workers`` local worker processes."""
    if scheduler is not None:
        return DaskExecutor(scheduler)
    return LocalExecutor(workers, warm)
