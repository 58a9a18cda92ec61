"""What a process that runs reports does once when it starts.

jsonschema, which nbformat imports, imports ``rfc3987_syntax`` when it is installed (it comes with
JupyterLab, through jupyter-events) only to check strings of the JSON-schema format ``iri``. That
import builds a parser for the RFC 3987 grammar and takes about 1 s of every start of the command
line, of each batch worker and of each notebook conversion (python-jsonschema/jsonschema#1392 and
#1521: a lazy fork exists, jsonschema does not use it). No schema a report process validates (the
notebook format's) has an ``iri`` format, so such a process does without that module; its
notebooks are validated exactly as before.
"""

from __future__ import annotations

import sys

__all__ = ["UNUSED_MODULES", "leave_out_unused_imports"]

UNUSED_MODULES: tuple[str, ...] = ("rfc3987_syntax",)
"""Modules a report process never needs, which would otherwise be imported as a side effect."""


def leave_out_unused_imports() -> None:
    """Make :data:`UNUSED_MODULES` unavailable in this process (an ``import`` of them raises ImportError,
    which the libraries importing them expect when they are not installed); one already imported stays."""
    for name in UNUSED_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
