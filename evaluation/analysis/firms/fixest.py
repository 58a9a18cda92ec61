"""pyfixest, imported when first used and without its side effect on logging.

pyfixest 0.60 calls ``logging.basicConfig(level=INFO)`` when it is imported
(``pyfixest/estimation/models/feols_compressed_.py``), which would print every library's INFO lines
(WeasyPrint's font subsetting, ...) on the user's terminal. This module imports it and restores the
root logger as it was; the toolkit imports pyfixest only from here. The import (about 1 s, numba
included) happens on first use of ``fixest.pf`` or ``fixest.pf_demean``, not when a report or the
command line starts: most reports never estimate a fixed-effects model.
"""

from __future__ import annotations

import logging
from typing import Any

_LAZY = ("pf", "pf_demean")
_LOADED: dict[str, Any] = {}


def _load() -> dict[str, Any]:
    if not _LOADED:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        try:
            import pyfixest
            from pyfixest.estimation import demean
        finally:
            for handler in [h for h in root.handlers if h not in handlers]:
                root.removeHandler(handler)
            root.setLevel(level)
        _LOADED.update(pf=pyfixest, pf_demean=demean)
    return _LOADED


def __getattr__(name: str) -> Any:
    """``pf`` (the pyfixest module) and ``pf_demean`` (``pyfixest.estimation.demean``), imported on first use."""
    if name in _LAZY:
        return _load()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
