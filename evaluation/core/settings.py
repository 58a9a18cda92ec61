"""The toolkit's configuration: one frozen :class:`Settings`, made current for a block with :func:`use`.

Settings are read from the environment at an entry point and handed down, never looked up deep
inside. The entry points are the ``evaluation`` command (:func:`evaluation.cli.main.main` reads
``EVALUATION_HOME`` and ``EVALUATION_TRACEBACK`` once with :meth:`Settings.from_environ`) and a
report's kernel (below). Everything under them asks :func:`current`; :mod:`evaluation.core.paths`
resolves every folder from it and never reads ``os.environ``. Like pandera's
``config_context``, :func:`use` holds settings for a block, nests, and restores the outer ones
on the way out; it is a context variable, so threads and asyncio tasks (Dask workers run tasks
in threads) each see their own::

    from evaluation.core import paths, settings

    with settings.use(settings.Settings(home="/srv/evaluations")):
        paths.data_dir()            # /srv/evaluations/data
    with settings.use(traceback=True):   # the current settings with one change
        ...

Outside every ``use`` block no entry point has configured the process (the Python API in a
user's own session or notebook, a test): :func:`current` then reads the environment itself, with
:meth:`Settings.from_environ` at the moment it is asked. That is the only other place that reads
the environment.

Kernels. A report's kernel receives the settings of the process that starts it as one serialised
variable, ``EVALUATION_SETTINGS`` (the JSON of :meth:`Settings.to_json`), in the kernel's own
environment: the kernel manager of :func:`evaluation.run.kernels.kernel_manager_class` adds it
when it starts the kernel, and the starting process's ``os.environ`` is not changed. Nothing is
injected into the notebook, so no absolute path can reach an output (notebook, HTML, JSON). The
kernel reads it once, where it starts: :meth:`Settings.from_environ` prefers it to the single
variables and parses a given value only once.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["SETTINGS_VARIABLE", "Settings", "current", "default_home", "use"]

SETTINGS_VARIABLE = "EVALUATION_SETTINGS"
"""The environment variable that carries serialised :class:`Settings` into a report's kernel."""

HOME_VARIABLE = "EVALUATION_HOME"
TRACEBACK_VARIABLE = "EVALUATION_TRACEBACK"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def default_home() -> Path:
    """The repository the package was installed from (editable install): the home without ``EVALUATION_HOME``."""
    return _PACKAGE_DIR.parent


def _optional_path(value: object) -> Path | None:
    return None if value is None or value == "" else Path(str(value)).resolve()


@dataclass(frozen=True)
class Settings:
    """Where the toolkit works and how it reports, for one run.

    ``home`` holds ``data/``, ``params/``, ``notebooks/`` and (by default) ``reports/``.
    ``reports_dir`` overrides the reports folder (:attr:`reports`). ``traceback`` shows the
    Python traceback of an error. ``workers`` is the number of batch worker processes (None: one
    per CPU). ``kernel_dir`` is a folder holding ``kernels/<name>/kernel.json`` searched before
    Jupyter's own kernelspecs when a report starts its kernel (a batch worker's warm-kernel
    zygote); None: Jupyter's kernelspecs only. Paths are made absolute when the settings are made.
    """

    home: Path = field(default_factory=default_home)
    reports_dir: Path | None = None
    traceback: bool = False
    workers: int | None = None
    kernel_dir: Path | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home).resolve())
        object.__setattr__(self, "reports_dir", _optional_path(self.reports_dir))
        object.__setattr__(self, "kernel_dir", _optional_path(self.kernel_dir))
        if not isinstance(self.traceback, bool):
            raise ValueError(f"traceback must be True or False (got {self.traceback!r})")
        if self.workers is not None and (isinstance(self.workers, bool) or not isinstance(self.workers, int)
                                         or self.workers < 1):
            raise ValueError(f"workers must be a whole number >= 1 or None (got {self.workers!r})")

    @property
    def reports(self) -> Path:
        """The reports folder: ``reports_dir`` if given, else ``<home>/reports``."""
        return self.reports_dir if self.reports_dir is not None else self.home / "reports"

    def replace(self, **changes: Any) -> Settings:
        """A copy with ``changes`` (field names as keywords)."""
        return dataclasses.replace(self, **changes)

    def to_json(self) -> str:
        """The settings as one line of JSON (what :data:`SETTINGS_VARIABLE` carries)."""
        return json.dumps({
            "home": str(self.home),
            "reports_dir": None if self.reports_dir is None else str(self.reports_dir),
            "traceback": self.traceback,
            "workers": self.workers,
            "kernel_dir": None if self.kernel_dir is None else str(self.kernel_dir),
        }, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Settings:
        """The settings :meth:`to_json` wrote (unknown keys are ignored; missing ones take their defaults)."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"{SETTINGS_VARIABLE} must hold a JSON object (got {text!r})")
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known and v is not None})

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """The settings an entry point reads from ``environ``.

        ``EVALUATION_SETTINGS`` (serialised settings, set for a report's kernel) wins; otherwise
        ``EVALUATION_HOME`` (the home; unset or empty: :func:`default_home`) and
        ``EVALUATION_TRACEBACK`` (anything but empty or ``0`` shows tracebacks).
        """
        serialised = environ.get(SETTINGS_VARIABLE)
        if serialised:
            return _parsed(serialised)
        return _from_variables(environ.get(HOME_VARIABLE) or "", environ.get(TRACEBACK_VARIABLE, ""),
                               os.getcwd())


@functools.lru_cache(maxsize=16)
def _parsed(serialised: str) -> Settings:
    return Settings.from_json(serialised)


@functools.lru_cache(maxsize=64)
def _from_variables(home: str, traceback: str, cwd: str) -> Settings:
    """Settings from the single variables (cached: ``home`` is resolved against ``cwd``)."""
    return Settings(home=Path(cwd, home) if home else default_home(), traceback=traceback not in ("", "0"))


_ACTIVE: ContextVar[Settings | None] = ContextVar("evaluation_settings", default=None)


def current() -> Settings:
    """The settings in force: the innermost :func:`use` block's, else those of the environment."""
    active = _ACTIVE.get()
    return active if active is not None else Settings.from_environ(os.environ)


@contextmanager
def use(settings: Settings | None = None, /, **changes: Any) -> Iterator[Settings]:
    """Make ``settings`` (default: the current ones) with ``changes`` current inside the block; yields them."""
    base = settings if settings is not None else current()
    chosen = base.replace(**changes) if changes else base
    token = _ACTIVE.set(chosen)
    try:
        yield chosen
    finally:
        _ACTIVE.reset(token)
