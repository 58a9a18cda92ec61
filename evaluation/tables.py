"""Reading the tables of a project folder (CSV or Excel) with row-accurate validation.

Each table has a column specification. Every cell is parsed; every problem is collected as a
:class:`~evaluation.errors.Problem` naming the file, the row (as a spreadsheet shows it: the
header is row 1, the first data row is row 2), the column, what was expected and what was
found. Empty cells are "not reported" (``None``) where a column allows it, never zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

import pandas as pd

from .errors import ProblemCollector
from .paths import display_path

Parser = Callable[[str], Any]


class _Invalid(ValueError):
    """Raised by a cell parser; the message is the expectation."""


def parse_float(text: str) -> float:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        raise _Invalid("a number") from None
    if not math.isfinite(value):
        raise _Invalid("a finite number")
    return value


def parse_int(text: str) -> int:
    value = parse_float(text)
    if not float(value).is_integer():
        raise _Invalid("a whole number")
    return int(value)


_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` (a time of day after it, as Excel writes, is allowed), ``YYYY-MM`` or ``YYYY``."""
    t = text.strip()
    try:
        match = _DATE.match(t)
        if match:
            return date.fromisoformat(match.group(1))
        if len(t) <= 7:
            return _month_end(t)
        raise ValueError(t)
    except ValueError:
        raise _Invalid("a date written YYYY-MM-DD") from None


def _month_end(text: str) -> date:
    """``YYYY-MM`` as the month's last day, ``YYYY`` as 31 December."""
    parts = text.split("-")
    if len(parts) == 1 and len(parts[0]) == 4:
        return date(int(parts[0]), 12, 31)
    if len(parts) == 2:
        start = pd.Timestamp(year=int(parts[0]), month=int(parts[1]), day=1)
        return (start + pd.offsets.MonthEnd(0)).date()
    raise ValueError(text)


def parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in {"1", "true", "yes", "ja", "y", "j"}:
        return True
    if t in {"0", "false", "no", "nej", "n"}:
        return False
    raise _Invalid("yes or no (true/false, 1/0)")


def parse_str(text: str) -> str:
    return text.strip()


def choice(*options: str) -> Parser:
    def parse(text: str) -> str:
        t = text.strip()
        if t not in options:
            raise _Invalid("one of " + ", ".join(options))
        return t

    return parse


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser = parse_str
    required: bool = True  # the column must exist
    allow_empty: bool = True  # a cell may be empty (-> None)
    default: Any = None


def read_raw(path: Path) -> pd.DataFrame:
    """A table as strings, exactly as written (no type guessing, no NA conversion)."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame.fillna("")


def find_table(folder: Path, name: str) -> Path | None:
    """``<name>.csv`` or ``<name>.xlsx`` inside ``folder``; None if neither exists."""
    for suffix in (".csv", ".xlsx"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_table(path: Path, columns: Sequence[Column], problems: ProblemCollector) -> list[dict[str, Any]]:
    """Parse every row of ``path`` against ``columns``; problems go to ``problems``.

    Returns one dict per row, with a ``_row`` key holding the spreadsheet row number and a
    ``_failed`` set naming the cells that could not be parsed (so that follow-up checks skip them).
    Unknown columns are problems too (a misspelt header would otherwise be ignored).
    """
    shown = display_path(path)
    try:
        raw = read_raw(path)
    except Exception as exc:  # unreadable file: one problem, nothing else to check
        problems.add(shown, "file", "a readable CSV (UTF-8) or Excel table", f"{type(exc).__name__}: {exc}")
        return []
    known = {c.name for c in columns}
    for col in raw.columns:
        if col not in known:
            problems.add(shown, col, "a known column (" + ", ".join(c.name for c in columns) + ")", col, row=1)
    missing = [c.name for c in columns if c.required and c.name not in raw.columns]
    for name in missing:
        problems.add(shown, name, "present as a column", "no such column", row=1)
    rows: list[dict[str, Any]] = []
    for i, record in enumerate(raw.to_dict("records")):
        row_no = i + 2
        parsed: dict[str, Any] = {"_row": row_no, "_failed": set()}
        for col in columns:
            text = str(record.get(col.name, "")).strip()
            if text == "":
                if not col.allow_empty and col.name in raw.columns:
                    problems.add(shown, col.name, "filled in", "", row=row_no)
                parsed[col.name] = col.default
                continue
            try:
                parsed[col.name] = col.parse(text)
            except _Invalid as exc:
                problems.add(shown, col.name, str(exc), text, row=row_no)
                parsed[col.name] = col.default
                parsed["_failed"].add(col.name)
        rows.append(parsed)
    return rows
