"""A cache of rendered figures by content: the same figure is drawn to PNG once.

Drawing a figure to PNG (``savefig``: layout, text, rasterising) is most of a report's time in
the kernel, and the same figure comes back often: the mid-term and the final report of a
project share most of their charts, and an evaluator re-runs one report many times while
writing it. :func:`png_for` keys a figure by its *content* and returns the PNG bytes stored
under that key, or draws them and stores them.

The key is a SHA-256 of a deterministic pickle of the whole matplotlib figure (every artist
with its data and properties; functions such as tick formatters by their code, constants and
captured values; transforms without their process-specific parent links; the figure without
pyplot's figure number), the ``savefig``
arguments, every rcParam, and the versions of matplotlib, NumPy and Pillow and the font list.
Two figures with the same key draw the same pixels, so a hit gives exactly the bytes a fresh
``savefig`` would give (tested). A figure that cannot be pickled is simply drawn (no caching).

The cache is off until :func:`enable` names its folder; :func:`evaluation.report.context.open_report`
(the first cell of every report notebook) turns it on for the report's reports folder, so entries
are files ``<sha256>.png`` in ``<reports folder>/.cache/figures`` (written atomically, shared by
every kernel and worker of a batch); delete the folder to empty the cache. Figures made outside a
report (``figure()`` called directly) are simply drawn.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import pickle
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evaluation.io.atomic import store_cache_entry

CACHE_SUBDIR = Path(".cache") / "figures"
"""Where the cache lives, below the reports folder."""

_ENVIRONMENT: bytes | None = None

_NOT_DRAWING = frozenset({"backend", "backend_fallback", "interactive", "webagg.port", "webagg.address",
                          "webagg.open_in_browser", "webagg.port_retries", "figure.max_open_warning"})
"""rcParams that do not change a PNG written by ``savefig`` (the interactive backend, GUI settings)."""


def _function_key(*parts: Any) -> None:
    """Stands for a function in the key pickle (never called)."""


def _transform_key(*parts: Any) -> None:
    """Stands for a matplotlib figure or transform in the key pickle (never called)."""


class _KeyPickler(pickle.Pickler):
    """A pickler whose output depends only on what a figure draws, never on object addresses."""

    def reducer_override(self, obj: Any) -> Any:
        if obj is _function_key or obj is _transform_key:
            return NotImplemented
        if isinstance(obj, types.FunctionType):
            code = obj.__code__
            cells = tuple(c.cell_contents for c in obj.__closure__ or ())
            return _function_key, (obj.__module__, obj.__qualname__, code.co_code, repr(code.co_consts),
                                   code.co_names, cells, obj.__defaults__, obj.__kwdefaults__)
        from matplotlib.figure import Figure
        from matplotlib.transforms import TransformNode

        if isinstance(obj, Figure):  # without pyplot's figure number (the n-th figure of the process)
            figure_state: dict[str, Any] = dict(obj.__getstate__())  # type: ignore[call-overload]
            drop = ("_number", "_restore_to_pylab")
            return _transform_key, ("Figure",), {k: v for k, v in figure_state.items() if k not in drop}
        if isinstance(obj, TransformNode):
            state: dict[str, Any] = dict(obj.__getstate__() or {})  # type: ignore[call-overload]
            state.pop("_parents", None)  # ids of other objects
            return _transform_key, (type(obj).__module__, type(obj).__qualname__), state
        return NotImplemented


def _environment() -> bytes:
    """What besides the figure decides its pixels: library versions and the fonts matplotlib knows."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        import matplotlib
        import numpy
        import PIL
        from matplotlib import font_manager

        fonts = sorted(f"{f.fname}|{f.name}|{f.style}|{f.weight}" for f in font_manager.fontManager.ttflist)
        _ENVIRONMENT = repr((matplotlib.__version__, numpy.__version__, PIL.__version__, fonts)).encode("utf-8")
    return _ENVIRONMENT


def figure_key(fig: Any, savefig_kwargs: dict[str, Any]) -> str | None:
    """The content key of ``fig`` drawn with ``savefig_kwargs``, or None when it cannot be made."""
    import matplotlib

    buf = io.BytesIO()
    try:
        _KeyPickler(buf, protocol=5).dump(fig)
    except Exception:  # noqa: BLE001 - an unpicklable artist: no key, the figure is simply drawn
        return None
    h = hashlib.sha256()
    h.update(_environment())
    h.update(repr(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k not in _NOT_DRAWING)).encode("utf-8"))
    h.update(repr(sorted((k, repr(v)) for k, v in savefig_kwargs.items())).encode("utf-8"))
    h.update(buf.getvalue())
    return h.hexdigest()


_FOLDER: Path | None = None
"""The cache folder of this process (a report's kernel), or None: no cache."""


def enable(folder: Path | None) -> None:
    """Use ``folder`` as this process's figure cache (None: draw every figure)."""
    global _FOLDER
    _FOLDER = folder


def enable_for_reports() -> Path:
    """Cache figures in ``<reports folder of the current settings>/.cache/figures``; returns that folder."""
    from evaluation.core import settings

    folder = settings.current().reports / CACHE_SUBDIR
    enable(folder)
    return folder


def png_for(fig: Any, draw: Callable[[], bytes], savefig_kwargs: dict[str, Any], folder: Path | None = None) -> bytes:
    """The PNG of ``fig``: from the cache (``folder``, default the enabled one) when the same content was
    drawn before, else ``draw()`` (then stored). Without a cache folder: ``draw()``."""
    folder = folder if folder is not None else _FOLDER
    if folder is None:
        return draw()
    key = figure_key(fig, savefig_kwargs)
    if key is None:
        return draw()
    where = folder / f"{key}.png"
    with contextlib.suppress(OSError):
        return where.read_bytes()
    png = draw()
    store_cache_entry(where, png)
    return png
