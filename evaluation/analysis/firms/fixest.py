"""pyfixest, imported without its side effect on logging.

pyfixest 0.60 calls ``logging.basicConfig(level=INFO)`` when it is imported
(``pyfixest/estimation/models/feols_compressed_.py``), which would print every library's INFO lines
(WeasyPrint's font subsetting, ...) on the user's terminal. This module imports it and restores the
root logger as it was; the toolkit imports pyfixest only from here.
"""

from __future__ import annotations

import logging

_root = logging.getLogger()
_handlers, _level = list(_root.handlers), _root.level

import pyfixest as pf  # noqa: E402
from pyfixest.estimation import demean as pf_demean  # noqa: E402

for _handler in [h for h in _root.handlers if h not in _handlers]:
    _root.removeHandler(_handler)
_root.setLevel(_level)

__all__ = ["pf", "pf_demean"]
