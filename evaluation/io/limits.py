"""The limits on every input file, in one place, and reading a file's bytes once within them.

A project folder, a parameter file or a workbook comes from people outside the code: a file
of a few hundred bytes must not be able to take gigabytes of memory or hours of time. Every
YAML reader (``project.yaml``, parameter files) and every table reader (CSV and Excel, also
``evaluation import``) checks these limits before it builds anything, and a file over a limit
is one :class:`~evaluation.core.errors.Problem` (exit 2) naming the limit.

Each reader reads a file's bytes once (:func:`read_bytes`), hashes those bytes
(:func:`sha256_hex`) and parses the same bytes, so that the hash a provenance record shows is
the hash of what was read, even if the file changes while a report runs.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from evaluation.core import paths
from evaluation.core.errors import ProblemCollector


@dataclass(frozen=True)
class Limits:
    """How large an input may be. The defaults are far above any real project's files."""

    yaml_bytes: int = 2_000_000
    """Size of a YAML file (project.yaml, a parameter file)."""
    yaml_depth: int = 50
    """Lists and mappings inside each other in a YAML file."""
    yaml_aliases: int = 200
    """Uses of an anchor (``*name``) in a YAML file."""
    yaml_nodes: int = 200_000
    """Values in a YAML file once every alias is written out (stops "billion laughs")."""
    table_bytes: int = 50_000_000
    """Size of a table file (CSV or Excel) or of a workbook given to ``evaluation import``."""
    workbook_unpacked_bytes: int = 250_000_000
    """Size of an Excel workbook's parts once unpacked (an .xlsx file is a zip archive)."""
    table_rows: int = 200_000
    """The last row holding a value in a table or sheet."""
    table_columns: int = 100
    """The last column holding a value in a table or sheet."""
    cell_chars: int = 32_767
    """Characters in one cell or one YAML value (Excel's own limit for a cell)."""


LIMITS = Limits()
"""The limits every reader applies."""


def sha256_hex(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def shown_path(path: Path | str) -> str:
    """A path as messages and provenance show it: relative to the project home, as the user named it.

    Symbolic links are not followed (a table linked to a file elsewhere is shown by its name in
    the project folder, never by its target); ``..`` is folded. A path outside the home is shown
    as it is.
    """
    home = paths.home()
    plain = Path(os.path.abspath(path))
    for base in (home, None):
        try:
            return plain.relative_to(home.resolve() if base is None else base).as_posix()  # resolved only when needed
        except ValueError:
            continue
    return plain.as_posix()


def too_large(size: int) -> str:
    """``size`` bytes as the "got" of a problem: ``a file of 52 000 000 bytes``."""
    return f"a file of {size:,} bytes".replace(",", " ")


def read_bytes(path: Path, file: str, limit: int, problems: ProblemCollector, what: str = "a readable file") -> bytes | None:
    """The bytes of ``path`` (at most ``limit``), or None after adding one problem to ``problems``.

    Never reads more than ``limit + 1`` bytes, whatever the file claims to be.
    """
    try:
        with open(path, "rb") as handle:
            # as handle.read(limit + 1), without a buffer of limit + 1 bytes for a small file (its allocation costs more
            # than reading it): the size the file claims plus one byte, then on only if the file was longer than it claimed
            first = min(os.fstat(handle.fileno()).st_size, limit) + 1
            data = handle.read(first)
            if len(data) == first < limit + 1:
                data += handle.read(limit + 1 - first)
            size = os.fstat(handle.fileno()).st_size
    except OSError as exc:
        problems.add(file, "file", what, f"{type(exc).__name__}: {exc.strerror or exc}")
        return None
    if len(data) > limit:
        problems.add(file, "file", f"at most {limit:,} bytes".replace(",", " "), too_large(max(size, len(data))))
        return None
    return data


def long_text(value: str) -> str:
    """A text too long for a cell, as the "got" of a problem (its length and beginning, never all of it)."""
    return f"a text of {len(value):,} characters starting {value[:40]!r}".replace(",", " ")
