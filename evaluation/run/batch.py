"""Batch runs: many reports in parallel, skipping the unchanged ones, then a portfolio report.

:func:`run_batch` runs :func:`evaluation.run.report.run_report` for every parameter file in
worker processes (:class:`concurrent.futures.ProcessPoolExecutor`, ``spawn`` context) or
on an existing Dask cluster (``scheduler="tcp://host:port"``). Each report writes only its
own folder ``reports/<project>/``; a report that fails (bad parameters, bad data, a failing
cell, a dead or hung kernel) is recorded as ``failed`` with its reason and never stops the
others. Kernel start-up collisions ("Address already in use") are retried with a short
back-off. A report whose inputs are unchanged since its last successful run is ``skipped``
(see :func:`report_fingerprint`). After the reports, ``notebooks/portfolio.ipynb`` is run
over every project of the batch into ``reports/portfolio.{ipynb,html,pdf,json,docx}`` and
``reports/index.html`` lists everything with links.

Warm kernels. Starting a kernel and importing pandas, matplotlib and statsmodels in it
costs more than most small reports take to run. Each worker therefore keeps a *kernel
zygote*: a process that has imported those libraries once and forks a fresh IPython kernel
for every report. The fork shares the imported modules (copy on write) but is a new
process with an empty namespace, so reports stay isolated exactly as with a cold kernel: a
crash, a hang or a global change in one report cannot reach another. The zygote is
reached through a kernelspec named ``python3`` placed first on ``JUPYTER_PATH`` in the
worker, whose launcher hands the connection file to the zygote and falls back to a cold
``ipykernel_launcher`` whenever the zygote is not there; the executed notebooks are
identical either way. ``warm_kernels=False`` switches this off.
"""

from __future__ import annotations

import argparse
import glob as _glob
import hashlib
import html
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import quote

from evaluation.core import paths
from evaluation.core.errors import EvaluationError, InputError, ParameterError, Problem, ReportError
from evaluation.io.atomic import write_atomically
from evaluation.report.provenance import sha256_file

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "Status",
    "ReportOutcome",
    "BatchResult",
    "run_batch",
    "write_index",
    "format_table",
    "code_fingerprint",
    "report_fingerprint",
    "call_with_startup_retries",
    "KernelZygote",
    "DEFAULT_PRELOAD",
    "PORTFOLIO_NOTEBOOK",
    "add_cli",
]

Status = Literal["ok", "failed", "skipped"]
T = TypeVar("T")

PORTFOLIO_NOTEBOOK = "portfolio.ipynb"
"""The portfolio notebook, in ``notebooks/``."""

FINGERPRINT_VERSION = 1

DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "scipy.stats",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.pyplot",
    "seaborn",
    "statsmodels.api",
    "statsmodels.formula.api",
    "networkx",
    "babel.numbers",
    "babel.dates",
    "pydantic",
    "yaml",
    "IPython",
    "IPython.display",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "evaluation.*",
)
"""Modules the kernel zygote imports once (``evaluation.*``: every module of the package that
notebooks use, see :data:`_NOT_IN_KERNELS`)."""

_NOT_IN_KERNELS = frozenset({"evaluation.run.batch", "evaluation.cli.main", "evaluation.run.report", "evaluation.render.html",
                             "evaluation.authoring.synthetic"})
"""Package modules that run outside the kernels (not worth importing into the zygote)."""

_WORKER_PRELOAD: tuple[str, ...] = (
    "papermill", "nbclient", "nbconvert", "weasyprint", "evaluation.run.report", "evaluation.render.html",
    "evaluation.io.loader",
)
"""Modules each worker process imports once, before its first report."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ReportOutcome:
    """What happened to one report (or the portfolio) of a batch.

    ``outputs`` are the files the report has on disk afterwards (for a failed report the
    kept notebook, if any); ``duration`` is wall time in seconds (0 for skipped).
    ``attempts`` counts kernel start-up retries plus one.
    """

    params_file: Path | None
    project: str
    kind: str
    status: Status
    message: str
    duration: float
    outputs: tuple[Path, ...] = ()
    attempts: int = 1


@dataclass(frozen=True)
class BatchResult:
    """The outcome of every report of a batch, in parameter-file order, plus the portfolio."""

    outcomes: tuple[ReportOutcome, ...]
    reports_dir: Path
    portfolio: ReportOutcome | None = None
    index: Path | None = None
    wall_time: float = 0.0

    def __iter__(self) -> Iterator[ReportOutcome]:
        return iter(self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def with_status(self, status: Status) -> tuple[ReportOutcome, ...]:
        """The report outcomes (not the portfolio) with ``status``."""
        return tuple(o for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> tuple[ReportOutcome, ...]:
        return self.with_status("failed")

    @property
    def ok(self) -> bool:
        """True when no report and not the portfolio failed."""
        return not self.failed and (self.portfolio is None or self.portfolio.status != "failed")

    def exit_code(self) -> int:
        """0 when nothing failed, else 1 (the exit code of a failed report)."""
        return 0 if self.ok else 1

    def table(self) -> pd.DataFrame:
        """One row per report (and the portfolio): project, kind, status, seconds, message, params_file."""
        import pandas as pd

        rows = list(self.outcomes) + ([self.portfolio] if self.portfolio is not None else [])
        return pd.DataFrame(
            [
                {
                    "project": o.project,
                    "kind": o.kind,
                    "status": o.status,
                    "seconds": round(o.duration, 1),
                    "message": o.message,
                    "params_file": "" if o.params_file is None else paths.display_path(o.params_file),
                }
                for o in rows
            ],
            columns=["project", "kind", "status", "seconds", "message", "params_file"],
        )


# --------------------------------------------------------------------------- fingerprints


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()




def _tree_hashes(root: Path, suffixes: tuple[str, ...] | None = None) -> dict[str, str]:
    """``{relative path: sha256}`` of the regular files under ``root`` (no __pycache__)."""
    out: dict[str, str] = {}
    if not root.is_dir():
        return out
    for p in sorted(root.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts:
            continue
        if suffixes is not None and p.suffix not in suffixes:
            continue
        out[p.relative_to(root).as_posix()] = sha256_file(p)
    return out


def code_fingerprint(package_dir: Path | None = None) -> str:
    """sha256 over the package's code and templates (``evaluation/**/*.py`` and ``templates/**``).

    ``package_dir`` defaults to the installed package (its ``templates/`` folder included).
    """
    root = Path(package_dir) if package_dir is not None else paths.PACKAGE_DIR
    parts = {"py": _tree_hashes(root, (".py",)), "templates": _tree_hashes(root / "templates")}
    return _sha256_bytes(json.dumps(parts, sort_keys=True).encode("utf-8"))


def report_fingerprint(
    params_file: Path, project: str, kind: str, *, code: str | None = None, data_dir: Path | None = None,
    reference_docx: Path | None = None,
) -> dict[str, Any]:
    """What a report's outputs depend on: every file of ``data/<project>/``, the params file,
    ``notebooks/<kind>.ipynb``, the package code and the Word reference document if there is one.
    ``fingerprint`` hashes the rest."""
    folder = (data_dir or paths.data_dir()) / project
    notebook = paths.notebooks_dir() / f"{kind}.ipynb"
    components = {
        "version": FINGERPRINT_VERSION,
        "code": code if code is not None else code_fingerprint(),
        "params_file": sha256_file(params_file) if params_file.is_file() else "missing",
        "notebook": sha256_file(notebook) if notebook.is_file() else "missing",
        "inputs": _tree_hashes(folder),
    }
    if reference_docx is not None:
        components["reference_docx"] = sha256_file(reference_docx) if reference_docx.is_file() else "missing"
    digest = _sha256_bytes(json.dumps(components, sort_keys=True).encode("utf-8"))
    return {"fingerprint": digest, "components": components}


def _fingerprint_path(stem: Path) -> Path:
    return stem.parent / f"{stem.name}.fingerprint.json"


def _read_fingerprint(path: Path) -> str | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _write_fingerprint(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    tmp.write_text(json.dumps(record, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


# --------------------------------------------------------------------------- retries and guard


def call_with_startup_retries(
    fn: Callable[[], T],
    *,
    retries: int = 3,
    backoff: float = 0.5,
    is_retryable: Callable[[BaseException], bool] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T, int]:
    """Call ``fn``; retry up to ``retries`` times while it fails with a kernel start-up error.

    The wait before retry ``i`` (1-based) is ``backoff * i`` seconds. ``is_retryable``
    defaults to :func:`evaluation.run.report.is_kernel_startup_error`. Returns ``(result,
    attempts)``; any other error, or the last start-up error, is raised unchanged.
    """
    if is_retryable is None:
        from evaluation.run.report import is_kernel_startup_error as is_retryable  # noqa: N813
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn(), attempt
        except Exception as exc:  # noqa: BLE001 - classified below
            if attempt > retries or not is_retryable(exc):
                raise
        sleep(backoff * attempt)


def _kernel_processes(exclude: Iterable[int] = ()) -> list[Any]:
    """Kernel processes below this process: launchers, cold kernels and zygote-forked kernels."""
    import psutil

    skip = set(exclude)
    found = []
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return []
    for child in children:
        if child.pid in skip:
            continue
        try:
            cmd = " ".join(child.cmdline())
            ppid = child.ppid()
        except psutil.Error:
            continue
        if _LAUNCHER_MARK in cmd or "ipykernel" in cmd or ppid in skip:
            found.append(child)
    return found


class _WallClockGuard:
    """Kills the kernels below this process if the report has not finished after ``limit`` s.

    The killed kernel makes papermill raise (dead kernel), so the report fails instead of
    hanging. Assumes one report at a time per process (true for the process pool and for
    Dask workers with one thread).
    """

    def __init__(self, limit: float | None, keep: Iterable[int] = ()):
        self.limit = limit
        self.keep = tuple(keep)
        self.fired = False
        self._timer: threading.Timer | None = None

    def _fire(self) -> None:
        self.fired = True
        for proc in _kernel_processes(self.keep):
            try:
                proc.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass

    def __enter__(self) -> _WallClockGuard:
        if self.limit is not None:
            self._timer = threading.Timer(self.limit, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _wall_limit(timeout: float | None) -> float | None:
    """The wall-clock limit of a whole report: the cell timeout plus time to start and render."""
    if timeout is None:
        return None
    return float(timeout) + min(60.0, 0.25 * float(timeout)) + 5.0


# --------------------------------------------------------------------------- warm kernels

_LAUNCHER_MARK = "evaluation-warm-kernel-launcher"

_LAUNCHER_SOURCE = (
    f"# {_LAUNCHER_MARK}\n"
    r'''import json, os, signal, socket, struct, sys
def cold():
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[2:]])
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
except OSError:
    cold()
r, w = os.pipe()
body = json.dumps({"argv": sys.argv[2:], "env": dict(os.environ), "cwd": os.getcwd()}).encode()
line = b""
try:
    socket.send_fds(s, [b"K" + struct.pack("!Q", len(body))], [0, 1, 2, r])
    s.sendall(body)
    f = s.makefile("rb")
    line = f.readline()
except OSError:
    pass
os.close(r)
if not line.startswith(b"pid "):
    s.close()
    os.close(w)
    cold()
pid = int(line.split()[1])
def forward(signum, frame):
    try:
        os.kill(pid, signum)
    except OSError:
        pass
for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"):
    signal.signal(getattr(signal, name), forward)
code = 1
try:
    line = f.readline()
    if line.startswith(b"exit "):
        code = int(line.split()[1])
except (OSError, ValueError):
    pass
os._exit(code)
'''
)
"""The kernelspec's launcher: hands the kernel's stdio and connection file to the zygote,
forwards signals to the forked kernel and exits with its status; a cold kernel otherwise.
The write end of a pipe it holds tells the forked kernel when the launcher is gone."""


def _expand_preload(preload: Sequence[str]) -> list[str]:
    import pkgutil

    names: list[str] = []
    for name in preload:
        if name.endswith(".*"):
            package = name[:-2]
            try:
                module = __import__(package, fromlist=["__path__"])
            except Exception:  # noqa: BLE001 - best effort
                continue
            subs = sorted(m.name for m in pkgutil.iter_modules(getattr(module, "__path__", [])))
            names += [f"{package}.{s}" for s in subs if not s.startswith("_") and f"{package}.{s}" not in _NOT_IN_KERNELS]
        else:
            names.append(name)
    return names


def _recv_exact(conn: Any, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise OSError("connection closed")
        buf += chunk
    return buf


def _kernel_child(request: dict[str, Any], fds: list[int], close: list[Any]) -> None:
    """In the forked child: become the launcher's kernel process and run ipykernel; never returns."""
    import signal
    import traceback

    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for item in close:  # sockets are detached first, so their objects never close a reused fd
            try:
                os.close(item if isinstance(item, int) else item.detach())
            except OSError:
                pass
        os.setsid()
        for target, fd in zip((0, 1, 2), fds[:3]):
            os.dup2(fd, target)
        for fd in fds[:3]:
            if fd > 2:
                os.close(fd)
        death = fds[3]

        def exit_with_launcher() -> None:
            while True:
                try:
                    if not os.read(death, 1):
                        os._exit(1)
                except InterruptedError:
                    continue
                except OSError:
                    os._exit(1)

        threading.Thread(target=exit_with_launcher, daemon=True).start()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if hasattr(time, "tzset"):
            time.tzset()  # the kernel's TZ, not the zygote's
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # a cold kernel's global RNG is seeded from the OS, not shared
        sys.argv = ["ipykernel_launcher", *request["argv"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _zygote_main() -> None:
    """Entry point of the zygote process: ``python -c ... <socket> <folder> <module> ...``.

    Imports the modules, then forks a kernel per launcher request until its stdin closes
    (the worker that started it ended), then removes its folder.
    """
    sock_path, folder, preload = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        _zygote_serve(sock_path, preload)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _zygote_serve(sock_path: str, preload: Sequence[str]) -> None:
    """The zygote's work: import, listen, fork kernels; returns when its stdin closes."""
    import gc
    import importlib
    import select
    import signal
    import socket
    import struct

    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; the kernel adds the cwd back
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that cannot be imported is imported cold later
            pass
    # ipykernel.kernelapp is imported in each kernel, not here: its traitlet defaults read the
    # environment (JPY_PARENT_PID) at import time, and each kernel has its own environment.
    gc.collect()
    gc.freeze()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(128)
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # clean up on a plain kill too
    signal.set_wakeup_fd(wake_w)
    stdin_fd = sys.stdin.fileno()
    children: dict[int, Any] = {}
    try:
        sys.stdout.write("ready\n")
        sys.stdout.flush()
    except OSError:  # the process that started us is gone
        listener.close()
        return

    def reap() -> None:
        while children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = children.pop(pid, None)
            code = os.waitstatus_to_exitcode(status)
            if code < 0:
                code = 128 - code
            if conn is not None:
                try:
                    conn.sendall(b"exit %d\n" % code)
                except OSError:
                    pass
                conn.close()

    def serve(conn: Any) -> None:
        fds: list[int] = []
        try:
            conn.settimeout(10)
            msg, fds, _flags, _addr = socket.recv_fds(conn, 9, 4)
            msg += _recv_exact(conn, 9 - len(msg)) if 0 < len(msg) < 9 else b""
            if len(msg) != 9 or msg[:1] != b"K" or len(fds) != 4:
                raise OSError("bad request")
            (size,) = struct.unpack("!Q", msg[1:])
            request = json.loads(_recv_exact(conn, size))
        except (OSError, ValueError):
            for fd in fds:
                os.close(fd)
            conn.close()
            return
        close: list[Any] = [listener, wake_r, wake_w, conn, *children.values()]
        pid = os.fork()
        if pid == 0:
            _kernel_child(request, fds, close)
        for fd in fds:
            os.close(fd)
        try:
            conn.settimeout(None)
            conn.sendall(b"pid %d\n" % pid)
        except OSError:
            pass
        children[pid] = conn

    try:
        while True:
            try:
                ready, _, _ = select.select([listener, stdin_fd, wake_r], [], [], 1.0)
            except InterruptedError:
                ready = []
            if wake_r in ready:
                try:
                    while os.read(wake_r, 4096):
                        pass
                except (BlockingIOError, OSError):
                    pass
            reap()
            if stdin_fd in ready:
                try:
                    data = os.read(stdin_fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
            if listener in ready:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    continue
                serve(conn)
    finally:
        listener.close()
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                pass


_ZYGOTE_BOOT = "from evaluation.run.batch import _zygote_main; _zygote_main()"


class KernelZygote:
    """A process that has imported the report libraries and forks a fresh kernel per report.

    :meth:`start` launches it and writes a kernelspec ``name`` (default ``python3``) into a
    private folder; :meth:`activate` puts that folder first on ``JUPYTER_PATH`` in this
    process, so every kernel papermill starts here is forked from the zygote. The zygote
    ends when :meth:`close` is called or when this process ends (its stdin closes).
    """

    def __init__(self, preload: Sequence[str] = DEFAULT_PRELOAD, name: str = "python3"):
        self.preload = tuple(preload)
        self.name = name
        self.folder: Path | None = None
        self.process: Any = None
        self._saved_path: str | None = None
        self._active = False

    @property
    def socket_path(self) -> Path:
        assert self.folder is not None
        return self.folder / "zygote.sock"

    def start(self, timeout: float = 180.0) -> KernelZygote:
        """Start the zygote and wait until it has imported everything; raise RuntimeError if it cannot."""
        self.launch()
        self.wait_ready(timeout)
        return self

    def launch(self) -> KernelZygote:
        """Start the zygote process without waiting for it (see :meth:`wait_ready`)."""
        import subprocess

        # A short path: AF_UNIX socket paths are limited to about 100 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="evz-", dir="/tmp" if Path("/tmp").is_dir() else None))
        spec_dir = self.folder / "kernels" / self.name
        spec_dir.mkdir(parents=True)
        spec = {
            "argv": [sys.executable, "-c", _LAUNCHER_SOURCE, str(self.socket_path), "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "interrupt_mode": "signal",
            "metadata": {"debugger": True},
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [str(paths.PACKAGE_DIR.parent), env.get("PYTHONPATH", "")] if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _ZYGOTE_BOOT, str(self.socket_path), str(self.folder), *_expand_preload(self.preload)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=str(self.folder),
            start_new_session=True,
        )
        return self

    def wait_ready(self, timeout: float = 180.0) -> KernelZygote:
        """Wait until the zygote has imported everything; close it and raise RuntimeError if it does not."""
        if self.process is None:
            raise RuntimeError("the kernel zygote was not launched")
        ready = threading.Event()

        def wait_ready() -> None:
            line = self.process.stdout.readline()
            if line.strip() == b"ready":
                ready.set()

        waiter = threading.Thread(target=wait_ready, daemon=True)
        waiter.start()
        waiter.join(timeout)
        if not ready.is_set():
            self.close()
            raise RuntimeError("the kernel zygote did not start")
        return self

    def activate(self) -> None:
        """Put the zygote's kernelspec first on ``JUPYTER_PATH`` in this process."""
        if self.folder is None or self._active:
            return
        self._saved_path = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in [str(self.folder), self._saved_path or ""] if p)
        self._active = True

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def close(self) -> None:
        """Stop the zygote (kernels it forked end with their launchers) and restore JUPYTER_PATH."""
        if self._active:
            if self._saved_path is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = self._saved_path
            self._active = False
        if self.process is not None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except Exception:  # noqa: BLE001
                self.process.kill()
            try:
                self.process.stdout.close()
            except Exception:  # noqa: BLE001
                pass
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# --------------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class _Task:
    """One unit of work sent to a worker (picklable)."""

    params_file: str
    project: str
    kind: str
    home: str
    reports_dir: str
    timeout: float | None
    retries: int
    warm: bool


@dataclass(frozen=True)
class _PortfolioTask:
    projects: tuple[str, ...]
    as_of: str
    language: str
    formats: tuple[str, ...]
    home: str
    reports_dir: str
    timeout: float | None
    retries: int
    warm: bool


@dataclass
class _WorkerState:
    home: str
    zygote: KernelZygote | None = None
    shared: tuple[str, int] | None = None


_STATE: _WorkerState | None = None
"""Per worker process: the warm kernel zygote. Never set in the process that calls run_batch."""


def _prepend_jupyter_path(folder: str) -> None:
    current = os.environ.get("JUPYTER_PATH", "")
    if current.split(os.pathsep)[0] != folder:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in [folder, current] if p)


def _wait_for_zygote(folder: str, pid: int, timeout: float = 180.0) -> bool:
    """Wait until the shared zygote listens (its socket exists); False if it died or took too long."""
    sock = Path(folder) / "zygote.sock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sock.exists():
            return True
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        time.sleep(0.05)
    return False


def _init_worker(home: str, warm: bool, shared: tuple[str, int] | None = None) -> None:
    """Process-pool initializer: set the home, import the report libraries, use warm kernels.

    ``shared`` is ``(folder, pid)`` of a zygote started by the driver for all workers;
    without it (Dask workers) the worker starts its own.
    """
    global _STATE
    os.environ["EVALUATION_HOME"] = home
    zygote: KernelZygote | None = None
    if warm and shared is None:
        try:
            zygote = KernelZygote().launch()
        except Exception:  # noqa: BLE001 - cold kernels still work
            zygote = None
    for name in _WORKER_PRELOAD:  # while the zygote imports its own
        try:
            __import__(name)
        except Exception:  # noqa: BLE001 - imported (and failing properly) in the report
            pass
    if warm and shared is not None:
        # The launcher falls back to a cold kernel whenever the zygote does not answer.
        _prepend_jupyter_path(shared[0])
        _wait_for_zygote(*shared)
    elif zygote is not None:
        try:
            zygote.wait_ready()
            zygote.activate()
        except Exception:  # noqa: BLE001 - cold kernels still work
            zygote = None
    _STATE = _WorkerState(home=home, zygote=zygote, shared=shared if warm else None)
    if zygote is not None:
        import multiprocessing.util

        multiprocessing.util.Finalize(None, zygote.close, exitpriority=10)


def _ensure_worker(home: str, warm: bool) -> _WorkerState:
    """The state of this worker, created on first use (Dask workers have no initializer)."""
    if _STATE is None:
        _init_worker(home, warm)
    assert _STATE is not None
    if _STATE.zygote is not None and not _STATE.zygote.alive():
        _STATE.zygote.close()
        _STATE.zygote = None
    return _STATE


def _close_worker() -> bool:
    """Stop this worker's zygote (run on every Dask worker at the end of a batch)."""
    global _STATE
    if _STATE is not None and _STATE.zygote is not None:
        _STATE.zygote.close()
    _STATE = None
    return True


def _existing(paths_: Iterable[Path]) -> tuple[Path, ...]:
    return tuple(p for p in paths_ if p.is_file())


def _failed_outputs(stem: Path) -> tuple[Path, ...]:
    """What a failed run leaves: its executed notebook (the previous good report stays as it was)."""
    from evaluation.run.report import failed_notebook_path

    return _existing([failed_notebook_path(stem)])


def _guarded(fn: Callable[[], T], task: Any, state: _WorkerState) -> tuple[T, int]:
    keep = (state.zygote.process.pid,) if state.zygote is not None and state.zygote.process is not None else ()
    guard = _WallClockGuard(_wall_limit(task.timeout), keep=keep)
    try:
        with guard:
            return call_with_startup_retries(fn, retries=task.retries)
    except Exception as exc:
        if guard.fired:
            raise _TimedOut(f"did not finish within {_wall_limit(task.timeout):g} s (wall-clock limit); "
                            f"the kernel was stopped ({exc})") from exc
        raise


class _TimedOut(Exception):
    pass


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, (EvaluationError, _TimedOut)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _run_one(task: _Task) -> ReportOutcome:
    """Run one report in a worker; never raises (a failure is an outcome)."""
    state = _ensure_worker(task.home, task.warm)
    previous_home = os.environ.get("EVALUATION_HOME")
    os.environ["EVALUATION_HOME"] = task.home
    started = time.monotonic()
    reports_dir = Path(task.reports_dir)
    try:
        from evaluation.run.report import run_report

        def attempt() -> Any:
            return run_report(Path(task.params_file), reports_dir=reports_dir, timeout=task.timeout)

        result, attempts = _guarded(attempt, task, state)
        outputs = tuple(Path(p) for p in result.paths.values())
        return ReportOutcome(Path(task.params_file), task.project, task.kind, "ok", "",
                             time.monotonic() - started, outputs, attempts)
    except Exception as exc:  # noqa: BLE001 - one report's failure is its own
        return ReportOutcome(Path(task.params_file), task.project, task.kind, "failed", _failure_message(exc),
                             time.monotonic() - started, _failed_outputs(reports_dir / task.project / task.kind))
    finally:
        if previous_home is None:
            os.environ.pop("EVALUATION_HOME", None)
        else:
            os.environ["EVALUATION_HOME"] = previous_home


def _portfolio_stem(reports_dir: Path) -> Path:
    return reports_dir / "portfolio"


def _failed_cell_text(nb: Any) -> str:
    for index, cell in enumerate(c for c in nb.cells if "injected-parameters" not in c.get("metadata", {}).get("tags", [])):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
                return f"cell {index} ({first!r}): {output.get('ename', '')}: {output.get('evalue', '')}"
    return "a cell"


def _run_portfolio(task: _PortfolioTask) -> ReportOutcome:
    """Execute and render notebooks/portfolio.ipynb in a worker; never raises."""
    state = _ensure_worker(task.home, task.warm)
    previous_home = os.environ.get("EVALUATION_HOME")
    os.environ["EVALUATION_HOME"] = task.home
    started = time.monotonic()
    reports_dir = Path(task.reports_dir)
    stem = _portfolio_stem(reports_dir)
    try:
        _render_portfolio(task, stem, state)
        outputs = _existing(stem.parent / f"{stem.name}{s}" for s in (".ipynb", ".html", ".pdf", ".json", ".docx"))
        return ReportOutcome(None, "portfolio", "portfolio", "ok", "", time.monotonic() - started, outputs)
    except Exception as exc:  # noqa: BLE001
        return ReportOutcome(None, "portfolio", "portfolio", "failed", _failure_message(exc),
                             time.monotonic() - started, _failed_outputs(stem))
    finally:
        if previous_home is None:
            os.environ.pop("EVALUATION_HOME", None)
        else:
            os.environ["EVALUATION_HOME"] = previous_home


def _render_portfolio(task: _PortfolioTask, stem: Path, state: _WorkerState) -> None:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from evaluation.render import html as render
    from evaluation.report.params import ReportParams
    from evaluation.report.provenance import project_input_files, provenance
    from evaluation.run.report import normalise_notebook

    notebook = paths.notebooks_dir() / PORTFOLIO_NOTEBOOK
    if not notebook.is_file():
        raise ParameterError([Problem(paths.display_path(notebook), "notebook", "the portfolio notebook", "missing")])
    stem.parent.mkdir(parents=True, exist_ok=True)
    ipynb = stem.parent / f"{stem.name}.ipynb"
    failed_nb = stem.parent / f"{stem.name}.failed.ipynb"
    outputs = {fmt: stem.parent / f"{stem.name}.{fmt}" for fmt in ("html", "pdf", "json", "docx")}
    raw = json.loads(notebook.read_text(encoding="utf-8"))
    source_ids = [str(c.get("id")) for c in raw.get("cells", []) if c.get("id")]
    parameters = {"projects": list(task.projects), "as_of": task.as_of, "language": task.language}
    tmp_nb = stem.parent / f".{stem.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp.ipynb"

    def execute() -> Any:
        return papermill.execute_notebook(
            str(notebook), str(tmp_nb), parameters=parameters, kernel_name="python3", progress_bar=False,
            log_output=False, execution_timeout=task.timeout, cwd=str(paths.notebooks_dir()),
        )

    try:
        try:
            nb, _ = _guarded(execute, task, state)
        except PapermillExecutionError as err:
            failed = nbformat.read(tmp_nb, as_version=4) if tmp_nb.is_file() else None
            if failed is not None:
                normalise_notebook(failed, source_ids, failed_nb)
                write_atomically({failed_nb: nbformat.writes(failed).encode("utf-8") + b"\n"})
            where = _failed_cell_text(failed) if failed is not None else f"cell {err.cell_index}"
            raise ReportError(f"{paths.display_path(notebook)} failed in {where}. The executed notebook is kept "
                              f"at {paths.display_path(failed_nb)}; the previous portfolio, if any, is untouched.") from err
    finally:
        _remove(tmp_nb)
    normalise_notebook(nb, source_ids, ipynb)
    params = ReportParams(project="portfolio", kind="final", as_of=date.fromisoformat(task.as_of),
                          language=task.language, formats=task.formats)  # type: ignore[arg-type]
    files: dict[Path, bytes] = {ipynb: (nbformat.writes(nb).rstrip("\n") + "\n").encode("utf-8")}
    html_text = (render.render_html(nb, params)
                 if any(f in task.formats for f in ("html", "pdf", "docx")) else None)
    if "html" in task.formats and html_text is not None:
        files[outputs["html"]] = html_text.encode("utf-8")
    if "pdf" in task.formats and html_text is not None:
        files[outputs["pdf"]] = render.render_pdf(html_text, base_url=paths.home())
    if "docx" in task.formats and html_text is not None:
        from evaluation.render.word import render_docx

        files[outputs["docx"]] = render_docx(html_text, title=render.report_title(nb, params),
                                             lang=task.language, date=params.as_of)
    if "json" in task.formats:
        inputs = [p for project in task.projects for p in project_input_files(project)] + [notebook]
        document = {
            "key_figures": render.collect_key_figures(nb),
            "params": parameters,
            "provenance": provenance(inputs, parameters),
        }
        files[outputs["json"]] = (json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False,
                                             allow_nan=False) + "\n").encode("utf-8")
    write_atomically(files)
    for fmt, path in outputs.items():  # formats not asked for this time would be stale
        if fmt not in task.formats:
            _remove(path)
    _remove(failed_nb)


# --------------------------------------------------------------------------- driver


@dataclass
class _Planned:
    index: int
    params_file: Path
    project: str
    kind: str
    fingerprint: dict[str, Any] | None = None
    outcome: ReportOutcome | None = None
    params: Any = None


def _stem_guess(path: Path) -> tuple[str, str]:
    stem, _, kind = path.stem.rpartition("_")
    return (stem, kind) if stem else (path.stem, "")


def _plan(param_files: Sequence[Path], reports_dir: Path, force: bool, code: str) -> list[_Planned]:
    from evaluation.report.params import load_params

    planned: list[_Planned] = []
    seen: dict[tuple[str, str], Path] = {}
    for i, raw in enumerate(param_files):
        path = Path(raw).resolve()
        project, kind = _stem_guess(path)
        item = _Planned(i, path, project, kind)
        planned.append(item)
        try:
            params = load_params(path)
        except EvaluationError as exc:
            item.outcome = ReportOutcome(path, project, kind, "failed", str(exc), 0.0)
            continue
        item.project, item.kind, item.params = params.project, params.kind, params
        key = (params.project, params.kind)
        if key in seen:
            item.outcome = ReportOutcome(path, params.project, params.kind, "failed",
                                         f"the same report as {paths.display_path(seen[key])} (one parameter file "
                                         f"per project and kind in a batch)", 0.0)
            continue
        seen[key] = path
        stem = reports_dir / params.project / params.kind
        item.fingerprint = report_fingerprint(path, params.project, params.kind, code=code,
                                              reference_docx=params.reference_path())
        fp_path = _fingerprint_path(stem)
        wanted = [stem.parent / f"{stem.name}.ipynb", *(stem.parent / f"{stem.name}.{f}" for f in params.formats)]
        if (not force and _read_fingerprint(fp_path) == item.fingerprint["fingerprint"]
                and all(p.is_file() for p in wanted)):
            item.outcome = ReportOutcome(path, params.project, params.kind, "skipped",
                                         "unchanged since the last successful run", 0.0, tuple(wanted))
        else:
            _remove(fp_path)
    return planned


class _Executor:
    """Submits tasks to a process pool or a Dask cluster and yields outcomes as they finish."""

    def __init__(self, workers: int, scheduler: str | None, home: str, warm: bool):
        self.scheduler = scheduler
        self.workers = workers
        self.home = home
        self.warm = warm
        self._pool: Any = None
        self._client: Any = None
        self._zygote: KernelZygote | None = None

    def __enter__(self) -> _Executor:
        if self.scheduler is not None:
            from distributed import Client

            self._client = Client(self.scheduler, timeout=30)
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
                                   initializer=_init_worker, initargs=(self.home, self.warm, shared))

    def run(self, fn: Callable[[Any], ReportOutcome], tasks: Sequence[Any],
            on_done: Callable[[int, ReportOutcome], None]) -> None:
        """Run ``fn(task)`` for each task; ``on_done(i, outcome)`` as each finishes."""
        if not tasks:
            return
        if self._client is not None:
            from distributed import as_completed

            futures = {self._client.submit(fn, t, pure=False, key=f"evaluation-{uuid.uuid4().hex}"): i
                       for i, t in enumerate(tasks)}
            for fut in as_completed(list(futures)):
                i = futures[fut]
                try:
                    outcome = fut.result()
                except Exception as exc:  # noqa: BLE001 - the worker itself died
                    outcome = _crashed(tasks[i], exc)
                on_done(i, outcome)
            return
        from concurrent.futures import as_completed as pool_completed
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
            for fut in pool_completed(futures):
                i = futures[fut]
                try:
                    outcome = fut.result()
                except BrokenProcessPool as exc:
                    broken = True
                    breaks[i] = breaks.get(i, 0) + 1
                    if not isolated:
                        (alone if breaks[i] >= 2 else pending).append(i)
                        continue
                    outcome = _crashed(tasks[i], exc)
                except Exception as exc:  # noqa: BLE001
                    outcome = _crashed(tasks[i], exc)
                on_done(i, outcome)
            if broken:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
            pending.sort()
            alone.sort()

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None
        if self._client is not None:
            try:
                self._client.run(_close_worker)
            except Exception:  # noqa: BLE001 - workers may be gone
                pass
            self._client.close()
            self._client = None


def _crashed(task: Any, exc: BaseException) -> ReportOutcome:
    project = getattr(task, "project", "portfolio")
    kind = getattr(task, "kind", "portfolio")
    params_file = Path(task.params_file) if hasattr(task, "params_file") else None
    return ReportOutcome(params_file, project, kind, "failed",
                         f"the worker process running it ended unexpectedly: {type(exc).__name__}: {exc}", 0.0)


def _portfolio_plan(
    planned: Sequence[_Planned], reports_dir: Path, timeout: float | None, retries: int, warm: bool, code: str,
    force: bool,
) -> tuple[_PortfolioTask | None, ReportOutcome | None, dict[str, Any] | None]:
    """The portfolio task (or an outcome saying why there is none) and its fingerprint."""
    from evaluation.io.loader import load_project

    loaded = [p for p in planned if p.params is not None]
    projects: list[str] = []
    left_out: list[str] = []
    for pid in sorted({p.project for p in loaded}):
        try:
            load_project(pid)
        except EvaluationError:
            left_out.append(pid)
            continue
        projects.append(pid)
    if not projects:
        return None, ReportOutcome(None, "portfolio", "portfolio", "skipped", "no project of the batch loads", 0.0), None
    as_of = max(p.params.as_of for p in loaded if p.project in projects)
    languages = {p.params.language for p in loaded if p.project in projects}
    language = languages.pop() if len(languages) == 1 else "sv"
    formats = tuple(f for f in ("html", "pdf", "json", "docx") if any(f in p.params.formats for p in loaded))
    task = _PortfolioTask(tuple(projects), as_of.isoformat(), language, formats, str(paths.home()), str(reports_dir),
                          timeout, retries, warm)
    notebook = paths.notebooks_dir() / PORTFOLIO_NOTEBOOK
    components = {
        "version": FINGERPRINT_VERSION,
        "code": code,
        "notebook": sha256_file(notebook) if notebook.is_file() else "missing",
        "params": {"projects": list(projects), "as_of": task.as_of, "language": language, "formats": list(formats)},
        "inputs": {pid: _tree_hashes(paths.data_dir() / pid) for pid in projects},
    }
    record = {"fingerprint": _sha256_bytes(json.dumps(components, sort_keys=True).encode("utf-8")),
              "components": components}
    stem = _portfolio_stem(reports_dir)
    fp_path = _fingerprint_path(stem)
    wanted = [stem.parent / f"{stem.name}.ipynb", *(stem.parent / f"{stem.name}.{f}" for f in formats)]
    note = f" (left out, they do not load: {', '.join(left_out)})" if left_out else ""
    if not force and _read_fingerprint(fp_path) == record["fingerprint"] and all(p.is_file() for p in wanted):
        return None, ReportOutcome(None, "portfolio", "portfolio", "skipped",
                                   "unchanged since the last successful run" + note, 0.0, tuple(wanted)), record
    _remove(fp_path)
    return task, None, {**record, "note": note}


def run_batch(
    param_files: Sequence[Path | str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    reports_dir: Path | str | None = None,
    timeout: float | None = 600,
    force: bool = False,
    retries: int = 3,
    progress: bool = True,
    portfolio: bool = True,
    warm_kernels: bool = True,
) -> BatchResult:
    """Run the report of every parameter file, in parallel; then the portfolio and the index.

    ``workers`` worker processes (default ``os.cpu_count()``), or the Dask cluster at
    ``scheduler`` (``tcp://host:port``; ``workers`` is then ignored). ``timeout`` limits each
    cell (papermill) and, with a margin, each whole report (wall clock). ``force`` re-runs
    unchanged reports. ``retries`` is the number of retries after a kernel start-up error.
    ``progress`` shows a tqdm bar on stderr when stderr is a terminal. ``portfolio`` runs
    the portfolio notebook over the batch's projects. Never raises for a failing report:
    see :class:`BatchResult`.
    """
    started = time.monotonic()
    problems = []
    if workers is not None and (not isinstance(workers, int) or isinstance(workers, bool) or workers < 1):
        problems.append(Problem("run_batch() arguments", "workers", "a whole number >= 1", workers))
    if scheduler is not None and (not isinstance(scheduler, str) or "://" not in scheduler):
        problems.append(Problem("run_batch() arguments", "scheduler", "a scheduler address such as tcp://host:8786", scheduler))
    if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0):
        problems.append(Problem("run_batch() arguments", "timeout", "seconds > 0 or None", timeout))
    if not isinstance(retries, int) or isinstance(retries, bool) or retries < 0:
        problems.append(Problem("run_batch() arguments", "retries", "a whole number >= 0", retries))
    if problems:
        raise InputError(problems)
    out_dir = (Path(reports_dir) if reports_dir is not None else paths.reports_dir()).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    code = code_fingerprint()
    planned = _plan([Path(p) for p in param_files], out_dir, force, code)
    home = str(paths.home())
    todo = [p for p in planned if p.outcome is None]
    tasks = [_Task(str(p.params_file), p.project, p.kind, home, str(out_dir), timeout, retries, warm_kernels) for p in todo]
    n_workers = max(1, min(workers or os.cpu_count() or 1, max(1, len(tasks) + (1 if portfolio else 0))))

    from tqdm import tqdm

    bar = tqdm(total=len(planned), desc="reports", unit="report", file=sys.stderr,
               disable=not progress or not sys.stderr.isatty())
    bar.update(len(planned) - len(todo))
    portfolio_outcome: ReportOutcome | None = None
    try:
        with _Executor(n_workers, scheduler, home, warm_kernels) as executor:

            def done(i: int, outcome: ReportOutcome) -> None:
                item = todo[i]
                item.outcome = outcome
                if outcome.status == "ok" and item.fingerprint is not None:
                    _write_fingerprint(_fingerprint_path(out_dir / item.project / item.kind), item.fingerprint)
                bar.update(1)
                bar.set_postfix_str(f"{outcome.project}/{outcome.kind}: {outcome.status}")

            executor.run(_run_one, tasks, done)
            if portfolio:
                task, portfolio_outcome, record = _portfolio_plan(planned, out_dir, timeout, retries, warm_kernels,
                                                                  code, force)
                if task is not None and record is not None:
                    note = record.pop("note", "")
                    results: list[ReportOutcome] = []
                    executor.run(_run_portfolio, [task], lambda _i, o: results.append(o))
                    portfolio_outcome = results[0]
                    if portfolio_outcome.status == "ok":
                        _write_fingerprint(_fingerprint_path(_portfolio_stem(out_dir)), record)
                    if note:
                        portfolio_outcome = ReportOutcome(
                            None, "portfolio", "portfolio", portfolio_outcome.status,
                            (portfolio_outcome.message + note).strip(), portfolio_outcome.duration,
                            portfolio_outcome.outputs, portfolio_outcome.attempts)
    finally:
        bar.close()
    outcomes = tuple(p.outcome for p in planned if p.outcome is not None)
    result = BatchResult(outcomes=outcomes, reports_dir=out_dir, portfolio=portfolio_outcome,
                         wall_time=time.monotonic() - started)
    index = write_index(result, out_dir)
    return BatchResult(outcomes=outcomes, reports_dir=out_dir, portfolio=portfolio_outcome, index=index,
                       wall_time=time.monotonic() - started)


# --------------------------------------------------------------------------- index.html

_STATUS_LABELS = {"ok": "klar / ok", "failed": "misslyckades / failed", "skipped": "oförändrad / unchanged"}

_INDEX_CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #8c8c8c; padding: 0.35em 0.6em; text-align: left; vertical-align: top; }
th { background: #e0e0e0; }
tr.failed td.status { font-weight: bold; text-decoration: underline; }
td.message { white-space: pre-wrap; font-size: 0.9em; }
p.summary { font-size: 1.05em; }
"""


def _links(files: Iterable[Path], base: Path) -> str:
    out = []
    for f in files:
        if f.suffix not in (".html", ".pdf", ".json", ".docx") or not f.is_file():
            continue
        try:
            rel = f.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
        out.append(f'<a href="{html.escape(quote(rel), quote=True)}">{html.escape(f.suffix[1:].upper())}</a>')
    return " ".join(out)


def write_index(result: BatchResult, reports_dir: Path | str | None = None) -> Path:
    """Write ``reports/index.html``: every report with its status, reason and relative links.

    Self-contained (inline CSS, no scripts, nothing fetched), every name escaped, sorted by
    project and kind, without times, so the same outcomes give the same bytes.
    """
    base = Path(reports_dir) if reports_dir is not None else result.reports_dir
    base.mkdir(parents=True, exist_ok=True)
    rows = []
    ordered = sorted(result.outcomes, key=lambda o: (o.project, o.kind, str(o.params_file)))
    if result.portfolio is not None:
        ordered = [result.portfolio, *ordered]
    for o in ordered:
        candidates = [base / o.project / f"{o.kind}{s}" for s in (".html", ".pdf", ".json", ".docx")]
        if o.project == "portfolio" and o.kind == "portfolio":
            candidates = [base / f"portfolio{s}" for s in (".html", ".pdf", ".json", ".docx")]
        links = _links(candidates, base) if o.status != "failed" else ""
        rows.append(
            f'<tr class="{html.escape(o.status)}"><td>{html.escape(o.project)}</td><td>{html.escape(o.kind)}</td>'
            f'<td class="status">{html.escape(_STATUS_LABELS.get(o.status, o.status))}</td>'
            f'<td class="links">{links}</td><td class="message">{html.escape(o.message)}</td></tr>'
        )
    counts = {s: sum(1 for o in result.outcomes if o.status == s) for s in ("ok", "skipped", "failed")}
    summary = (f"{len(result.outcomes)} rapporter: {counts['ok']} klara, {counts['skipped']} oförändrade, "
               f"{counts['failed']} misslyckade / {len(result.outcomes)} reports: {counts['ok']} ok, "
               f"{counts['skipped']} unchanged, {counts['failed']} failed")
    doc = (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        "<title>Rapporter / Reports</title>\n"
        f"<style>{_INDEX_CSS}</style>\n</head>\n<body>\n"
        "<h1>Rapporter / Reports</h1>\n"
        f'<p class="summary">{html.escape(summary)}</p>\n'
        '<table>\n<thead><tr><th scope="col">Projekt / Project</th><th scope="col">Typ / Kind</th>'
        '<th scope="col">Status</th><th scope="col">Filer / Files</th><th scope="col">Meddelande / Message</th>'
        "</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</body>\n</html>\n"
    )
    target = base / "index.html"
    write_atomically({target: doc.encode("utf-8")})
    return target


# --------------------------------------------------------------------------- command line


def _expand(arguments: Sequence[str]) -> list[Path]:
    """Parameter files from the arguments (globs expanded, sorted); default: every params/*.yaml."""
    if not arguments:
        files = sorted(paths.params_dir().glob("*.yaml"))
        if not files:
            raise ParameterError([Problem(paths.display_path(paths.params_dir()), "PARAMS",
                                          "a folder holding <project>_<kind>.yaml files", "none found")])
        return files
    out: list[Path] = []
    problems = []
    for arg in arguments:
        if _glob.has_magic(arg):
            matches = sorted(Path(m) for m in _glob.glob(arg))
            if not matches:
                problems.append(Problem("command line", "PARAMS", "a pattern matching parameter files", arg))
            out += matches
        else:
            out.append(Path(arg))
    if problems:
        raise ParameterError(problems)
    unique: dict[Path, None] = {}
    for p in out:
        unique.setdefault(p.resolve(), None)
    return list(unique)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1 (got {text!r})") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1 (got {text!r})")
    return value


def format_table(result: BatchResult) -> str:
    """The final table as text: one line per report, then the full reason of each failure."""
    import pandas as pd

    frame = result.table()
    short = frame.assign(message=[m.splitlines()[0][:80] + ("…" if len(m) > 80 or "\n" in m else "") if m else ""
                                  for m in frame["message"]])
    with pd.option_context("display.max_colwidth", None, "display.width", 200):
        text = short.drop(columns=["params_file"]).to_string(index=False)
    failures = [o for o in [*result.outcomes, *([result.portfolio] if result.portfolio else [])] if o.status == "failed"]
    lines = [text]
    counts = {s: sum(1 for o in result.outcomes if o.status == s) for s in ("ok", "skipped", "failed")}
    lines.append(f"\n{len(result.outcomes)} reports: {counts['ok']} ok, {counts['skipped']} skipped (unchanged), "
                 f"{counts['failed']} failed; {result.wall_time:.1f} s")
    if failures:
        lines.append("\nFailures:")
        for o in failures:
            lines.append(f"- {o.project}/{o.kind}: {o.message}")
    if result.index is not None:
        lines.append(f"\nIndex: {paths.display_path(result.index)}")
    return "\n".join(lines)


def _handle(args: argparse.Namespace) -> int:
    try:
        files = _expand(args.params)
        result = run_batch(files, workers=args.workers, scheduler=args.scheduler, reports_dir=args.reports_dir,
                           timeout=args.timeout, force=args.force, portfolio=not args.no_portfolio,
                           progress=not args.no_progress)
    except EvaluationError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(format_table(result))
    return result.exit_code()


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation batch [PARAMS ...] [--workers N] [--scheduler tcp://...] [--timeout S]
    [--force] [--no-portfolio] [--reports-dir DIR]``."""
    from evaluation.run.report import timeout_arg

    parser = subparsers.add_parser(
        "batch",
        help="run many reports in parallel, then the portfolio report",
        description=("Run the report of every parameter file (default: every params/*.yaml) in parallel "
                     "worker processes or on a Dask cluster, skip reports whose inputs are unchanged, then "
                     "render the portfolio over all projects and write reports/index.html. Prints a table of "
                     "what succeeded and what failed and why; exit status 1 when any report failed."),
        epilog=("examples:\n  evaluation batch\n  evaluation batch 'params/*_final.yaml' --workers 2 --force\n"
                "  evaluation batch --scheduler tcp://10.0.0.5:8786"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("params", nargs="*", metavar="PARAMS",
                        help="parameter files or glob patterns (default: params/*.yaml)")
    parser.add_argument("--workers", type=_positive_int, default=None, metavar="N",
                        help="worker processes (default: the number of CPUs)")
    parser.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                        help="run on this Dask distributed scheduler instead of local processes")
    parser.add_argument("--timeout", type=timeout_arg, default=600.0, metavar="S",
                        help="seconds one report may run (default 600; 'none' for no limit)")
    parser.add_argument("--force", action="store_true", help="re-run reports whose inputs are unchanged")
    parser.add_argument("--no-portfolio", action="store_true", help="do not render the portfolio report")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--reports-dir", type=Path, default=None, metavar="DIR",
                        help="folder for the reports (default: reports/ in the project home)")
    parser.set_defaults(func=_handle)
    return parser
