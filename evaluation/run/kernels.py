"""Kernels for reports: start-up retries, the wall-clock guard, warm kernels forked from a zygote,
and the kernel manager that hands a report's settings to its kernel.

Warm kernels. Starting a kernel and importing pandas, matplotlib and statsmodels in it costs
more than most small reports take to run. A batch therefore keeps a *kernel zygote*
(:class:`KernelZygote`): a process that has imported those libraries once and forks a fresh
IPython kernel for every report. The fork shares the imported modules (copy on write) but is a
new process with an empty namespace, so reports stay isolated exactly as with a cold kernel: a
crash, a hang or a global change in one report cannot reach another. The zygote is reached
through a kernelspec named ``python3`` in the zygote's folder, whose launcher hands the
connection file to the zygote and falls back to a cold ``ipykernel_launcher`` whenever the
zygote is not there; the executed notebooks are identical either way.

Provisioning. :func:`kernel_manager_class` gives papermill a kernel manager that (1) looks for
kernelspecs first in :attr:`Settings.kernel_dir <evaluation.core.settings.Settings.kernel_dir>`
(a worker's zygote folder) and (2) starts the kernel with the current settings serialised in
one variable of the kernel's own environment, ``EVALUATION_SETTINGS``, which the kernel reads
once where it starts (:meth:`Settings.from_environ <evaluation.core.settings.Settings.from_environ>`).
Neither changes ``os.environ`` of the process that starts the kernel, and nothing is written
into the notebook. (:meth:`KernelZygote.activate` is the other way to reach the zygote, for
interactive use: it puts its folder first on ``JUPYTER_PATH`` of this process.)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from evaluation.core import paths
from evaluation.core.settings import SETTINGS_VARIABLE, Settings, current

__all__ = [
    "DEFAULT_PRELOAD",
    "KernelZygote",
    "WallClockGuard",
    "call_with_startup_retries",
    "is_kernel_startup_error",
    "kernel_manager_class",
    "wait_for_zygote",
    "wall_limit",
]

T = TypeVar("T")

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
    "evaluation.analysis.firms.fixest:_load",
)
"""Modules the kernel zygote imports once (``evaluation.*``: every module of the package that
notebooks use, see :data:`_NOT_IN_KERNELS`; ``module:function``: the module imported and the function
called, e.g. pyfixest, which the toolkit imports on first use and guarded, imported in the zygote)."""

_NOT_IN_KERNELS: tuple[str, ...] = ("evaluation.run", "evaluation.cli", "evaluation.render", "evaluation.authoring")
"""Package layers that run outside the kernels (not worth importing into the zygote)."""

_KERNEL_STARTUP_MARKERS: tuple[str, ...] = (
    "Address already in use",
    "Kernel died before replying",
    "Kernel didn't respond",
    "kernel died before replying",
    "Kernel did not respond",
    "Kernel failed to start",
)


def is_kernel_startup_error(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it was raised from) is a kernel that could not start.

    The batch runner retries these ("Address already in use", "Kernel died before replying").
    """
    seen: set[int] = set()
    current_exc: BaseException | None = exc
    while current_exc is not None and id(current_exc) not in seen:
        seen.add(id(current_exc))
        text = str(current_exc)
        if any(marker in text for marker in _KERNEL_STARTUP_MARKERS):
            return True
        current_exc = current_exc.__cause__ or current_exc.__context__
    return False


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
    defaults to :func:`is_kernel_startup_error`. Returns ``(result,
    attempts)``; any other error, or the last start-up error, is raised unchanged.
    """
    retryable = is_retryable if is_retryable is not None else is_kernel_startup_error
    attempt = 0
    while True:
        attempt += 1
        try:
            return fn(), attempt
        except Exception as exc:  # noqa: BLE001 - classified below
            if attempt > retries or not retryable(exc):
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


class WallClockGuard:
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
            with contextlib.suppress(Exception):  # already gone
                proc.kill()

    def __enter__(self) -> WallClockGuard:
        if self.limit is not None:
            self._timer = threading.Timer(self.limit, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()


def wall_limit(timeout: float | None) -> float | None:
    """The wall-clock limit of a whole report: the cell timeout plus time to start and render."""
    if timeout is None:
        return None
    return float(timeout) + min(60.0, 0.25 * float(timeout)) + 5.0


# --------------------------------------------------------------------------- warm kernels

_LAUNCHER_MARK = "evaluation-warm-kernel-launcher"

_LAUNCHER_SOURCE = (
    f"# {_LAUNCHER_MARK}\n"
    r'''import json, os, signal, socket, struct, sys, threading, time
parent = os.getppid()
pid = None
def orphaned():
    while os.getppid() == parent:
        time.sleep(0.2)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    os._exit(1)
threading.Thread(target=orphaned, daemon=True).start()
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
The write end of a pipe it holds tells the forked kernel when the launcher is gone; when the
process that started it (a batch worker) is gone, it stops the kernel and exits."""


def _expand_preload(preload: Sequence[str]) -> list[str]:
    """The module names to import: ``package.*`` is every module below ``package`` (recursively,
    without private modules and :data:`_NOT_IN_KERNELS`). The modules are listed from the package's
    folders, not imported: importing is the zygote's work, on the other core (importing them here
    to list them took about 3 s before a single report's kernel could start)."""
    import importlib.util
    import pkgutil

    def below(package: str, folders: Sequence[str]) -> list[str]:
        names: list[str] = []
        for info in sorted(pkgutil.iter_modules(list(folders)), key=lambda m: m.name):
            name = f"{package}.{info.name}"
            if info.name.startswith("_") or any(name == x or name.startswith(x + ".") for x in _NOT_IN_KERNELS):
                continue
            inner = [str(Path(folder) / info.name) for folder in folders if (Path(folder) / info.name).is_dir()]
            names += [name, *below(name, inner)] if info.ispkg else [name]
        return names

    names: list[str] = []
    for name in preload:
        if not name.endswith(".*"):
            names.append(name)
            continue
        try:
            spec = importlib.util.find_spec(name[:-2])  # a top-level package: found, not imported
        except (ImportError, ValueError):
            spec = None
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        names += below(name[:-2], folders)
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
            with contextlib.suppress(OSError):
                os.close(item if isinstance(item, int) else item.detach())
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
        with contextlib.suppress(Exception):  # a module that cannot be imported is imported cold later
            module_name, _, function = name.partition(":")
            module = importlib.import_module(module_name)
            if function:
                getattr(module, function)()
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
                with contextlib.suppress(OSError):
                    conn.sendall(b"exit %d\n" % code)
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
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)


_ZYGOTE_BOOT = "from evaluation.run.kernels import _zygote_main; _zygote_main()"


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
            with contextlib.suppress(Exception):
                self.process.stdout.close()
            self.process = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None



def wait_for_zygote(folder: str, pid: int, timeout: float = 180.0) -> bool:
    """Wait until the zygote ``pid`` listens in ``folder`` (its socket exists); False if it died or took too long."""
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


# --------------------------------------------------------------------------- provisioning


def _ipc_available() -> bool:
    """True where kernels can be reached over Unix sockets (ZeroMQ's ipc transport)."""
    import socket

    return hasattr(socket, "AF_UNIX") and sys.platform != "win32"


_IPC_FOLDER: list[Path] = []


def _ipc_folder() -> Path:
    """A folder only this user can enter, for the kernels' sockets: Jupyter's runtime folder, or a
    private temporary one when that path is too long for a Unix socket (about 100 bytes)."""
    if _IPC_FOLDER and _IPC_FOLDER[0].is_dir():
        return _IPC_FOLDER[0]
    from jupyter_core.paths import jupyter_runtime_dir

    folder = Path(jupyter_runtime_dir())
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        usable = len(str(folder)) <= 70 and os.access(folder, os.W_OK)
    except OSError:
        usable = False
    if not usable:
        folder = Path(tempfile.mkdtemp(prefix="evk-", dir="/tmp" if Path("/tmp").is_dir() else None))
    _IPC_FOLDER[:] = [folder]
    return folder


def kernel_manager_class(settings: Settings | None = None) -> type:
    """A jupyter_client kernel manager class (for papermill's ``kernel_manager_class``) that starts
    kernels with ``settings`` (default: the current ones).

    Kernelspecs are looked up first in ``settings.kernel_dir`` (when given), then where Jupyter
    looks. The kernel's environment is this process's plus ``EVALUATION_SETTINGS`` holding
    ``settings.to_json()``; this process's ``os.environ`` is left as it is.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    chosen = settings if settings is not None else current()
    variables = {SETTINGS_VARIABLE: chosen.to_json()}
    first = [str(chosen.kernel_dir / "kernels")] if chosen.kernel_dir is not None else []

    class SettingsKernelManager(AsyncKernelManager):
        """Starts kernels with the run's settings (and its warm kernelspec, if any), talking to them
        over local (Unix) sockets where the platform has them, not TCP."""

        @default("transport")
        def _transport_default(self) -> str:
            return "ipc" if _ipc_available() else "tcp"

        @default("ip")
        def _ip_default(self) -> str:
            if self.transport == "ipc":
                return str(_ipc_folder() / f"k-{uuid.uuid4().hex[:12]}")
            return "127.0.0.1"

        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self) -> KernelSpecManager:
            manager = KernelSpecManager(data_dir=self.data_dir)
            if first:
                manager.kernel_dirs = [*first, *(d for d in manager.kernel_dirs if d not in first)]
            return manager

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts every kernel it shuts down; an idle kernel only answers by
            # printing "KeyboardInterrupt caught in kernel" on the user's terminal. A kernel that is
            # shut down is asked to stop, then stopped with a signal; no interrupt is needed.
            if getattr(self, "shutting_down", False):
                return
            await super()._async_interrupt_kernel()

        interrupt_kernel = _async_interrupt_kernel

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            env = dict(kw.pop("env", None) or os.environ)
            env.update(variables)
            await super().start_kernel(env=env, **kw)

    return SettingsKernelManager
