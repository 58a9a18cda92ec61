"""Reading the tables of a project folder (CSV or Excel) with row-accurate validation.

Each table has a column specification. Every cell is parsed; every problem is collected as a
:class:`~evaluation.core.errors.Problem` naming the file, the row (as a spreadsheet or text editor
shows it: the header is row 1, the first data row is row 2, blank lines are counted), the column,
what was expected and what was found. Empty cells are "not reported" (``None``) where a column
allows it, never zero.

Tables are taken as they really come from project staff, Excel and survey tools:

* CSV separated by comma, semicolon (Swedish Excel) or tab, detected from the header line
  (:func:`detect_separator`); an Excel ``sep=;`` first line is honoured.
* UTF-8 (with or without BOM) or Windows-1252 (Swedish Excel's "CSV (semikolonavgränsad)");
  UTF-16 and binary files are one clear problem (:func:`decode_text`).
* Excel workbooks (``.xlsx``/``.xlsm``, first sheet) read as the text of each cell.
* Swedish numbers (:func:`parse_float`) and dates such as ``okt-22`` (:func:`parse_date`).

Blank lines (and rows whose cells are all empty) are skipped but keep their place in the row
numbering.

Speed: :func:`read_table` first tries a clean CSV text (no quotes, no space at a cell's edge,
every row as wide as the header, every cell parsing) column by column (:func:`_fast_table`,
:mod:`evaluation.io.columnar`); anything else is read by the per-cell reference code, which names
every problem. Both give the same rows. :func:`read_table_lazy` keeps the columns of a table read the
fast way (:class:`~evaluation.io.columnar.Rows`, for the loader); :func:`read_table` gives a list.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import repeat
from pathlib import Path
from typing import Any

import pandas as pd

from evaluation.core.errors import ProblemCollector
from evaluation.io import columnar
from evaluation.io.limits import LIMITS, long_text, read_bytes, sha256_hex, shown_path
from evaluation.io.workbooks import read_sheets

Parser = Callable[[str], Any]


class _Invalid(ValueError):
    """Raised by a cell parser; the message is the expectation."""


# --------------------------------------------------------------------------- numbers

NUMBER_EXPECTATION = "a number (e.g. 16 713 030 or 159,5)"
WHOLE_NUMBER_EXPECTATION = "a whole number"

_SIGNS = {"+": 1, "-": -1, "\u2212": -1, "\u2013": -1}  # plus, hyphen-minus, minus sign, en dash
_GROUP_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_UNITS: tuple[tuple[str, Decimal], ...] = (  # longest first, so that "tkr" is not read as "kr"
    ("msek", Decimal(1_000_000)),
    ("mnkr", Decimal(1_000_000)),
    ("mkr", Decimal(1_000_000)),
    ("tkr", Decimal(1000)),
    ("sek", Decimal(1)),
    ("kr", Decimal(1)),
    (":-", Decimal(1)),
    ("%", Decimal(1)),
)
_PLAIN = re.compile(r"\d*[.,]?\d+(?:[eE][+-]?\d+)?")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?")
_DOT_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}")
_SIMPLE_NUMBER = re.compile(r"(?=.{1,24}$)[+-]?\d+(?:[.,]\d+)?")
"""``-12``, ``159,5``, ``0.25``: digits, one decimal separator, a sign, at most 24 characters. For
these the exact Decimal of :func:`_parse_decimal` needs no rounding (fewer than 28 digits), so
``float()`` of the text is the same number, read faster."""
_SIMPLE_INT = re.compile(r"(?=.{1,24}$)[+-]?\d+")
_COLUMN_NUMBERS = re.compile(r"(?:[+-]?+[0-9]++(?:[.,][0-9]++)?+\n)*+[+-]?+[0-9]++(?:[.,][0-9]++)?+")
_COLUMN_INTS = re.compile(r"(?:[+-]?+[0-9]++\n)*+[+-]?+[0-9]++")
"""A column of :data:`_SIMPLE_NUMBER` (:data:`_SIMPLE_INT`) cells of ASCII digits joined by newlines (their
length is checked apart; possessive, as nothing in them can match two ways)."""


def _parse_decimal(text: str) -> Decimal:
    """The exact value of a number cell (see :func:`parse_float` for the forms accepted)."""
    t = text.strip()
    factor = Decimal(1)
    lower = t.lower()
    for unit, scale in _UNITS:
        if lower.endswith(unit):
            t = t[: -len(unit)].rstrip()
            factor = scale
            break
    sign = 1
    if t[:1] in _SIGNS:
        sign = _SIGNS[t[0]]
        t = t[1:].lstrip()
    t = t.translate(_GROUP_SPACES)
    if _PLAIN.fullmatch(t):
        canonical = t.replace(",", ".")
    elif _SPACE_GROUPED.fullmatch(t):
        canonical = t.replace(" ", "").replace(",", ".")
    elif _DOT_GROUPED.fullmatch(t):
        canonical = t.replace(".", "").replace(",", ".")
    else:
        raise _Invalid(NUMBER_EXPECTATION)
    try:
        value = Decimal(canonical) * factor * sign
    except InvalidOperation:  # pragma: no cover - the patterns admit only valid literals
        raise _Invalid(NUMBER_EXPECTATION) from None
    if not math.isfinite(float(value)):
        raise _Invalid(NUMBER_EXPECTATION)
    return value


def parse_float(text: str) -> float:
    """A number as Swedish staff, Excel and reports write it.

    Accepted: ``159,5`` and ``159.5``; spaces, no-break spaces (U+00A0) and narrow no-break
    spaces (U+202F) between groups of three digits (``16 713 030``); dots between groups of
    three with a decimal comma (``16.713.030,50``, or two or more dots: ``16.713.030``); a
    leading ``+``, ``-``, minus sign (U+2212) or en dash; ``1e3``; and a unit after the number,
    in any case: ``kr``, ``SEK``, ``:-`` (as written), ``tkr`` (x 1 000), ``MSEK``, ``mnkr``,
    ``Mkr`` (x 1 000 000) and ``%`` (the number as written: ``49,7 %`` is 49.7; the column's
    unit says what it means). Scaling is exact (``Decimal``) before the conversion to float.

    A single comma is always a decimal comma (Swedish convention), so ``1,234`` is 1.234, never
    one thousand two hundred and thirty-four; a comma before a dot (``1,466.5``), several commas
    (``1,2,3``), text (``12abc``), ``nan`` and ``inf`` are not numbers.
    """
    if _SIMPLE_NUMBER.fullmatch(text):  # the common case, the same float without Decimal arithmetic
        return float(text.replace(",", "."))
    return float(_parse_decimal(text))


def parse_int(text: str) -> int:
    """A whole number, in any form :func:`parse_float` accepts (``4``, ``4,0``, ``2 tkr``)."""
    if _SIMPLE_INT.fullmatch(text):
        return int(text)
    value = _parse_decimal(text)
    if value != value.to_integral_value():
        raise _Invalid(WHOLE_NUMBER_EXPECTATION)
    return int(value)


# --------------------------------------------------------------------------- dates

DATE_EXPECTATION = "a date written YYYY-MM-DD, YYYY-MM or like okt-22"

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_YEAR = re.compile(r"\d{4}")
_NAMED_MONTH = re.compile(r"([^\W\d_]+)\.?(?:-|\s+)(\d{2}|\d{4})")
MONTHS: dict[str, int] = {
    **{name: i for i, name in enumerate(("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"), 1)},
    **{name: i for i, name in enumerate(("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"), 1)},
    **{name: i for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)},
    **{name: i for i, name in enumerate(("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"), 1)},
    "sept": 9,
}
"""Swedish and English month names and abbreviations (lower case) -> month number."""


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    start = pd.Timestamp(year=year, month=month, day=1)
    return (start + pd.offsets.MonthEnd(0)).date()


def parse_date(text: str) -> date:
    """A date: ``YYYY-MM-DD`` (a time of day after it, as Excel writes, is allowed), ``YYYY-MM``
    (the month's last day), ``YYYY`` (31 December) or a month written in words as the NIS 6.0
    report's table header does: ``okt-22``, ``okt 2022``, ``oktober 2022``, ``maj-21``, ``oct-22``
    (the month's last day; Swedish or English names, any case; a two-digit year is 20yy).

    Other forms (``2022/10/31``, ``31.10.2022``, ``22``) are rejected rather than guessed.
    """
    t = text.strip()
    try:
        if match := _DATE.fullmatch(t):
            return date.fromisoformat(match.group(1))
        if match := _YEAR_MONTH.fullmatch(t):
            return month_end(int(match.group(1)), int(match.group(2)))
        if _YEAR.fullmatch(t):
            return date(int(t), 12, 31)
        if (match := _NAMED_MONTH.fullmatch(t)) and match.group(1).lower() in MONTHS:
            year = int(match.group(2))
            return month_end(2000 + year if year < 100 else year, MONTHS[match.group(1).lower()])
    except ValueError:
        pass
    raise _Invalid(DATE_EXPECTATION)


# --------------------------------------------------------------------------- other cells


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


# --------------------------------------------------------------------------- raw text of a table

ENCODING_EXPECTATION = "text in UTF-8 or Windows-1252 (save as 'CSV UTF-8')"
BOM_EXPECTATION = ("text in one encoding: the file starts with a UTF-8 byte-order mark but is not UTF-8 "
                   "(save it again as 'CSV UTF-8')")
HEADER_EXPECTATION = "a table with a header row"
SEPARATORS: tuple[str, ...] = (",", ";", "\t")
"""Candidate CSV separators, in the order that breaks ties."""

_NOT_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)


@dataclass(frozen=True)
class RawRow:
    """One data row: its number as the file shows it and its cells as text (stripped)."""

    row: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A table as text: the header (stripped names), its row number and the data rows."""

    file: str
    header: tuple[str, ...]
    header_row: int
    rows: tuple[RawRow, ...]
    separator: str | None = None  # None for Excel workbooks


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a BOM: NUL bytes in (nearly) every other position and nowhere else."""
    sample = data[:2000]
    if len(sample) < 4:
        return False
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    return max(zeros_even, zeros_odd) >= 0.3 * (len(sample) / 2) and min(zeros_even, zeros_odd) == 0


def decode_text(data: bytes, file: str, problems: ProblemCollector) -> str | None:
    """The text of a CSV file, or None after adding one problem to ``problems``.

    UTF-8 (a BOM is dropped) is tried first; bytes that are not UTF-8 are read as Windows-1252
    only if they are plausible Windows-1252 text (no byte undefined there -- 0x81, 0x8D, 0x8F,
    0x90, 0x9D -- no NUL and no control characters other than tab and line breaks). UTF-16 and
    binary data are a problem for the field ``encoding``; an empty file (or only whitespace) is a
    problem for the field ``file``.
    """
    if data.startswith(b"PK\x03\x04"):
        problems.add(file, "encoding", ENCODING_EXPECTATION, "binary data (a zip file, such as an Excel workbook: name it .xlsx)")
        return None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\x00" in data and _looks_utf16(data)):
        problems.add(file, "encoding", ENCODING_EXPECTATION, "UTF-16 text")
        return None
    if b"\x00" in data:
        problems.add(file, "encoding", ENCODING_EXPECTATION, "binary data")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 mark in front of text in another encoding: read either way, it is wrong
            at = exc.start + 3  # the error's position counts from after the mark
            row = data[:at].count(b"\n") + 1  # the line of the first byte that is not UTF-8
            problems.add(file, "encoding", BOM_EXPECTATION, f"byte 0x{data[at]:02x} on row {row}")
            return None
        if _NOT_CP1252.intersection(data):
            problems.add(file, "encoding", ENCODING_EXPECTATION, "binary data")
            return None
        text = data.decode("cp1252")
        if _CONTROL.search(text):
            problems.add(file, "encoding", ENCODING_EXPECTATION, "binary data")
            return None
    if not text.strip():
        problems.add(file, "file", HEADER_EXPECTATION, "an empty file")
        return None
    return text


def detect_separator(header_line: str) -> str:
    """The separator of a CSV header line: comma, semicolon or tab.

    Each candidate is counted outside double quotes; the most frequent one wins (it gives the
    most columns). A tie, or a line with none of them (one column), goes to comma, then
    semicolon, then tab. Only the header line is looked at, so the result does not depend on
    the data.
    """
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    return next(sep for sep in SEPARATORS if counts[sep] == best)


def _check_width(file: str, width: int, row: int, cells: list[str], problems: ProblemCollector, *, pad: bool) -> tuple[str, ...] | None:
    """``cells`` cut to ``width``; extra cells may only be empty; fewer cells are padded if ``pad``."""
    while len(cells) > width and cells[-1] == "":
        cells.pop()
    if len(cells) > width or (len(cells) < width and not pad):
        problems.add(file, "row", f"{width} cells as in the header", f"{len(cells)} cells", row=row)
        return None
    return tuple(cells) + ("",) * (width - len(cells))


def _build(file: str, numbered: list[tuple[int, list[str]]], problems: ProblemCollector, *, separator: str | None) -> RawTable | None:
    """A :class:`RawTable` from numbered rows of cells (blank rows already left out)."""
    if not numbered:
        problems.add(file, "file", HEADER_EXPECTATION, "an empty file" if separator is not None else "an empty sheet")
        return None
    header_row, header_cells = numbered[0]
    header = [c.strip() for c in header_cells]
    while header and header[-1] == "":
        header.pop()
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.add(file, name, "a column name used once", name, row=header_row)
        seen.add(name)
    rows: list[RawRow] = []
    for row, cells in numbered[1:]:
        fitted = _check_width(file, len(header), row, [c.strip() for c in cells], problems, pad=separator is None)
        if fitted is not None:
            rows.append(RawRow(row, fitted))
    return RawTable(file=file, header=tuple(header), header_row=header_row, rows=tuple(rows), separator=separator)


def rows_from_text(text: str, file: str, problems: ProblemCollector) -> RawTable | None:
    """Split CSV text into a :class:`RawTable`, or None after adding a problem.

    The separator comes from the header line (:func:`detect_separator`), unless the first line
    is Excel's ``sep=;``. Line 1 of ``text`` is row 1; blank lines and rows of empty cells are
    skipped but counted. A row with a different number of cells than the header is a problem
    naming its row (extra cells that are empty are allowed) and is left out.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        problems.add(file, "file", HEADER_EXPECTATION, "an empty file")
        return None
    explicit = _SEP_LINE.fullmatch(lines[first].strip())
    if explicit:
        separator = explicit.group(1)
        first += 1
        while first < len(lines) and not lines[first].strip():
            first += 1
        if first == len(lines):
            problems.add(file, "file", HEADER_EXPECTATION, "an empty file")
            return None
    else:
        separator = detect_separator(lines[first])
    reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=separator, quotechar='"', strict=False)
    numbered: list[tuple[int, list[str]]] = []
    try:
        while True:
            start = first + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if any(c.strip() for c in cells):
                if not _within_limits(file, start, cells, problems):
                    return None
                numbered.append((start, cells))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # the csv module's own limit (131 072) is above a cell's
            problems.add(file, "cell", f"a text of at most {LIMITS.cell_chars:,} characters".replace(",", " "),
                         f"a text of more than {csv.field_size_limit():,} characters".replace(",", " "), row=first + reader.line_num)
            return None
        problems.add(file, "file", "a readable CSV table", str(exc), row=first + reader.line_num)
        return None
    return _build(file, numbered, problems, separator=separator)


def _edge_space(sep: str) -> re.Pattern[str]:
    space, other = ("[^\\S\\n\\t]", "[^\\t\\n]") if sep == "\t" else ("[^\\S\\n]", f"[^{re.escape(sep)}\\n]")
    return re.compile(rf"{space}(?:(?<!{other}{space})|(?!{other}))")  # a space not after (or not before) a cell's text


_EDGE_SPACE = {sep: _edge_space(sep) for sep in SEPARATORS}
"""Per separator: whitespace at the edge of a cell (which the reference strips)."""
_OTHER_SPACES = ("\t", "\x0b", "\x0c", "\r", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u1680",
                 *map(chr, range(0x2000, 0x200B)), "\u2028", "\u2029", "\u202f", "\u205f", "\u3000")
"""Every character ``str.strip`` removes (``str.isspace``) but space and newline."""


def _has_edge_space(text: str, sep: str) -> bool:
    """Whether a cell of ``text`` (rows split by newlines, cells by ``sep``) starts or ends with whitespace."""
    if any(ch in text for ch in _OTHER_SPACES if ch != sep):
        return _EDGE_SPACE[sep].search(text) is not None
    # only spaces (U+0020): one at the edge of a cell is one at an end of the text or next to a separator or a newline
    return text[:1] == " " or text[-1:] == " " or any(pair in text for pair in (" " + sep, sep + " ", " \n", "\n "))


def _clean_csv(text: str) -> tuple[tuple[str, ...], list[int], list[Sequence[str]]] | None:
    """The header, the data rows' numbers and the cells of each column of a clean CSV text, as
    :func:`rows_from_text` reads them.

    Clean: no ``sep=`` line, no double quote, no whitespace at the edge of a cell, every row as wide as
    the header (whose names are all given, once), far within :data:`~evaluation.io.limits.LIMITS`. For
    such a text ``str.split`` gives the cells the csv module gives. Anything else is None (the reference
    reads it and names its problems).
    """
    lines = (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text).split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines) or _SEP_LINE.fullmatch(lines[first].strip()):
        return None
    separator = detect_separator(lines[first])
    body = lines[first:]
    while not body[-1]:  # trailing blank lines (the header is not blank)
        body.pop()
    joined = "\n".join(body)
    if ('"' in joined or first + len(body) > LIMITS.table_rows
            or max(map(len, body)) > min(LIMITS.cell_chars, csv.field_size_limit()) or _has_edge_space(joined, separator)):
        return None
    header = tuple(body[0].split(separator))
    width = len(header)
    if "" in header or width > LIMITS.table_columns or len(set(header)) < width:
        return None
    if len(body) > 1 and all(map(str.strip, body, repeat(separator))):  # no row of empty cells (the common case)
        if set(map(str.count, body, repeat(separator))) != {width - 1}:  # every row as wide as the header
            return None
        cells = separator.join(body[1:]).split(separator)  # row after row
        return header, list(range(first + 2, first + 1 + len(body))), [cells[i::width] for i in range(width)]
    numbers = [first + 1 + j for j, line in enumerate(body) if line.strip(separator)][1:]
    rows = [body[n - first - 1].split(separator) for n in numbers]
    if set(map(len, rows)) - {width}:
        return None
    return header, numbers, [list(c) for c in zip(*rows)] if rows else [[] for _ in header]


def _fast_table(text: str, columns: Sequence[Column]) -> columnar.Rows | None:
    """:func:`read_table`'s rows of a clean CSV text whose cells all parse (whole columns at once, kept as columns), else None."""
    clean = _clean_csv(text)
    if clean is None:
        return None
    header, numbers, by_position = clean
    known = {c.name for c in columns}
    if any(h not in known for h in header) or any(c.required and c.name not in header for c in columns):
        return None
    position = {name: i for i, name in enumerate(header)}
    values: list[list[Any]] = []
    for col in columns:
        at = position.get(col.name)
        if at is None:
            values.append([col.default] * len(numbers))
            continue
        texts = by_position[at]
        if not col.allow_empty and "" in texts:
            return None
        column: list[Any] | None
        if col.parse is parse_float:
            column = columnar.numbers(texts, _COLUMN_NUMBERS, float, col.default)
        elif col.parse is parse_int:
            column = columnar.numbers(texts, _COLUMN_INTS, int, col.default)
        elif col.parse is parse_str:  # the cells are stripped already
            column = columnar.fill(texts, columnar.shared_texts(filter(None, texts)), col.default)
        else:
            column = None
        if column is None:
            try:
                column = columnar.parsed(texts, col.parse, col.default)
            except _Invalid:
                return None
        values.append(column)
    return columnar.Rows(numbers, [c.name for c in columns], values)


def _within_limits(file: str, row: int, cells: list[str], problems: ProblemCollector) -> bool:
    """True when a CSV row is within :data:`~evaluation.io.limits.LIMITS`; else one problem is added."""
    if row > LIMITS.table_rows:
        problems.add(file, "file", f"a table of at most {LIMITS.table_rows:,} rows holding values".replace(",", " "),
                     f"a value in row {row:,}".replace(",", " "))
        return False
    if len(cells) > LIMITS.table_columns:  # only then can a value lie beyond the last column allowed
        used = max((i for i, c in enumerate(cells, start=1) if c.strip()), default=0)
        if used > LIMITS.table_columns:
            problems.add(file, "file", f"a table of at most {LIMITS.table_columns} columns holding values",
                         f"a value in column {used}", row=row)
            return False
    if cells and max(map(len, cells)) > LIMITS.cell_chars:
        for cell in cells:
            if len(cell) > LIMITS.cell_chars:
                problems.add(file, "cell", f"a text of at most {LIMITS.cell_chars:,} characters".replace(",", " "), long_text(cell), row=row)
                return False
    return True


def _cell_text(value: object) -> str:
    """An Excel cell as text, as pandas' ``dtype=str`` writes it (``159.5``, ``2022-10-31 00:00:00``)."""
    return "" if value is None else str(value)


def _rows_from_workbook(data: bytes, file: str, problems: ProblemCollector) -> RawTable | None:
    """The first sheet of a workbook's bytes as a :class:`RawTable` (only cells holding values count)."""
    sheets = read_sheets(data, file, problems, first_only=True)
    if sheets is None:
        return None
    if not sheets:
        problems.add(file, "file", HEADER_EXPECTATION, "an empty sheet")
        return None
    numbered = [(row, [_cell_text(v) for v in values]) for row, values in sheets[0].rows]
    return _build(file, numbered, problems, separator=None)


def read_rows(path: Path, problems: ProblemCollector, *, file: str | None = None,
              digests: dict[str, str] | None = None) -> RawTable | None:
    """The text of every cell of ``path`` (CSV or ``.xlsx``/``.xlsm``) with row numbers.

    Returns None when the file cannot be read as a table at all or is over a limit of
    :data:`~evaluation.io.limits.LIMITS` (the one problem is added to ``problems``); rows with
    the wrong number of cells are problems and are left out. ``file`` is the name used in
    problems (default: the path as shown to users, relative to the project home). The file is
    read once; the sha256 of the bytes parsed is recorded in ``digests`` under that name.
    """
    shown = file if file is not None else shown_path(path)
    data = read_bytes(path, shown, LIMITS.table_bytes, problems)
    if data is None:
        return None
    if digests is not None:
        digests[shown] = sha256_hex(data)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _rows_from_workbook(data, shown, problems)
    text = decode_text(data, shown, problems)
    if text is None:
        return None
    return rows_from_text(text, shown, problems)


def read_raw(path: Path) -> pd.DataFrame:
    """A table as strings, exactly as written (no type guessing, no NA conversion).

    Raises :class:`~evaluation.core.errors.InputError` with every problem found while reading
    (encoding, empty file, rows with the wrong number of cells, repeated column names).
    """
    problems = ProblemCollector()
    table = read_rows(path, problems)
    problems.raise_if_any()
    assert table is not None
    return pd.DataFrame([list(r.cells) for r in table.rows], columns=list(table.header), dtype=str)


def find_table(folder: Path, name: str) -> Path | None:
    """``<name>.csv`` or ``<name>.xlsx`` inside ``folder``; None if neither exists."""
    for suffix in (".csv", ".xlsx"):
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def read_table(path: Path, columns: Sequence[Column], problems: ProblemCollector, *,
               digests: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Parse every row of ``path`` against ``columns``; problems go to ``problems``.

    Returns one dict per row, with a ``_row`` key holding the row number as the file shows it
    and a ``_failed`` set naming the cells that could not be parsed or whose required column is missing (so that follow-up checks
    skip them). Unknown columns are problems too (a misspelt header would otherwise be ignored).
    ``digests`` records the hash of the bytes read (see :func:`read_rows`).
    """
    return columnar.as_list(read_table_lazy(path, columns, problems, digests=digests))


def read_table_lazy(path: Path, columns: Sequence[Column], problems: ProblemCollector, *,
                    digests: dict[str, str] | None = None) -> Sequence[dict[str, Any]]:
    """:func:`read_table`'s rows, as a :class:`~evaluation.io.columnar.Rows` (its columns kept, the row dicts built
    only when asked for) when the fast path reads the file, else as a list."""
    if not columnar.fast() or path.suffix.lower() in {".xlsx", ".xlsm"}:
        raw = read_rows(path, problems, digests=digests)
    else:  # read_rows' steps for a CSV file, with a fast path for a clean text
        shown = shown_path(path)
        data = read_bytes(path, shown, LIMITS.table_bytes, problems)
        if data is None:
            return []
        if digests is not None:
            digests[shown] = sha256_hex(data)
        text = decode_text(data, shown, problems)
        if text is None:
            return []
        fast = _fast_table(text, columns)
        if fast is not None:
            return fast
        raw = rows_from_text(text, shown, problems)
    if raw is None:
        return []
    shown = raw.file
    known = {c.name for c in columns}
    for heading in raw.header:
        if heading not in known:
            problems.add(shown, heading, "a known column (" + ", ".join(c.name for c in columns) + ")", heading, row=raw.header_row)
    missing = [c.name for c in columns if c.required and c.name not in raw.header]
    for name in missing:
        problems.add(shown, name, "present as a column", "no such column", row=raw.header_row)
    position: dict[str, int] = {}
    for i, name in enumerate(raw.header):
        position.setdefault(name, i)
    rows: list[dict[str, Any]] = []
    placed = [(col, position.get(col.name)) for col in columns]
    for record in raw.rows:
        row_no = record.row
        cells = record.cells
        parsed: dict[str, Any] = {"_row": row_no, "_failed": set(missing)}  # a missing column fails every row
        for col, at in placed:
            text = cells[at] if at is not None else ""
            if text == "":
                if not col.allow_empty and at is not None:
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
