"""Tests for evaluation.run.startup: a report process leaves out an import it never uses."""

from __future__ import annotations

import subprocess
import sys


def test_nbformat_validates_without_the_iri_grammar() -> None:
    """After leave_out_unused_imports, nbformat imports and validates notebooks (good and bad) without rfc3987_syntax."""
    code = ("import sys; from evaluation.run.startup import leave_out_unused_imports; leave_out_unused_imports(); "
            "import nbformat; from nbformat.v4 import new_notebook, new_code_cell; "
            "nbformat.validate(new_notebook(cells=[new_code_cell('1')])); nb = new_notebook(); nb.cells.append({'x': 1}); "
            "bad = not nbformat.validator.isvalid(nb); print(sys.modules.get('rfc3987_syntax'), 'jsonschema' in sys.modules, bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["None", "True", "True"]


def test_the_command_line_leaves_it_out() -> None:
    """`evaluation --help` runs without importing rfc3987_syntax (about 1 s of every start)."""
    code = ("import sys; from evaluation.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sys.modules.get('rfc3987_syntax', 'absent'), file=sys.stderr)")
    err = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stderr.strip().splitlines()
    assert err[-1] == "None"
