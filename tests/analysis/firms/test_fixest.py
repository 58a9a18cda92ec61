"""Importing the firm estimators leaves the root logger as it was (pyfixest's import-time basicConfig undone)."""

from __future__ import annotations

import subprocess
import sys


def test_import_adds_no_root_handler_and_keeps_the_level() -> None:
    """A fresh interpreter importing the estimators has no root handler and the WARNING level, so no INFO lines reach the terminal."""
    code = ("import logging, evaluation.analysis.firms.estimation; r = logging.getLogger(); "
            "print(len(r.handlers), r.level)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "30"]
