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


def test_pyfixest_is_imported_only_when_an_estimate_is_made() -> None:
    """Opening a report imports no pyfixest (about 1 s); the first estimate does, and the root logger stays as it was."""
    code = ("import logging, sys, evaluation.report.sections, evaluation.analysis.firms.estimation as e; "
            "print('pyfixest' in sys.modules); from evaluation.analysis.firms import fixest; fixest.pf.ssc; "
            "print('pyfixest' in sys.modules, callable(fixest.pf_demean)); r = logging.getLogger(); print(len(r.handlers), r.level)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "True", "0", "30"]
