"""Reading the cells of an Excel workbook within the limits of :mod:`evaluation.io.limits`.

A sheet declares its size (``<dimension ref="A1:XFD1048576"/>``) and may hold formatted cells
without a value anywhere; both are ignored. Only cells holding a value count: the rows of a
sheet are those that hold one, each as long as its last value, and a value beyond the row or
column limit, a cell longer than the cell limit or a workbook too large once unpacked is a
problem. The sheet's XML is streamed, so a sheet of a million empty formatted rows costs
time in proportion to its file, never a grid of a million rows.

Nothing is read differently from what the sheet shows: a formula without a saved result (never
calculated, so it would read as empty), merged cells (the lower rows would read as blank) and a
hidden sheet taken as data are problems; a number in a percent-formatted cell is read as the
sheet shows it (43,5 % stored as 0,435 is read as 43,5).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evaluation.core.errors import ProblemCollector
from evaluation.io.limits import LIMITS, long_text

WORKBOOK_EXPECTATION = "an Excel workbook (.xlsx)"
FORMULA_EXPECTATION = "a value, not a formula without a saved result (open the file in Excel and save it, or type the value)"
MERGED_EXPECTATION = "one cell per row, not merged cells (unmerge them and fill in every row)"
HIDDEN_FIRST_EXPECTATION = ("a visible first sheet: a table is read from the first sheet, and a hidden sheet is not taken as "
                            "data (unhide it, or move the data sheet first)")
HIDDEN_EXPECTATION = "a visible sheet: a hidden sheet is not taken as data (unhide it or delete it)"


@dataclass(frozen=True)
class SheetCells:
    """The values of one sheet: (row number, values up to the last one in that row), rows holding a value only."""

    title: str
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def _unpacked_size(data: bytes) -> int | None:
    """The size of a zip archive's members once unpacked, or None when ``data`` is not a zip archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def read_sheets(
    data: bytes,
    file: str,
    problems: ProblemCollector,
    *,
    first_only: bool = False,
    skip: Collection[str] | Callable[[Sequence[str]], Collection[str]] = (),
    expectation: str = WORKBOOK_EXPECTATION,
) -> list[SheetCells] | None:
    """The cells holding values of every sheet (or only the first) of the workbook ``data``.

    Returns None after adding one problem when ``data`` is not a workbook or is too large
    unpacked. A sheet over a limit adds one problem (named ``file`` when ``first_only``, else
    ``file[sheet]``) and is left out. Sheets named in ``skip`` (or returned by ``skip`` called
    with every sheet's name) are not read. Formulas give their cached values.
    """
    from openpyxl import load_workbook

    unpacked = _unpacked_size(data)
    if unpacked is not None and unpacked > LIMITS.workbook_unpacked_bytes:
        problems.add(file, "file", f"a workbook of at most {LIMITS.workbook_unpacked_bytes:,} bytes unpacked".replace(",", " "),
                     f"{unpacked:,} bytes unpacked".replace(",", " "))
        return None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) for a bad file
        problems.add(file, "file", expectation, f"not a valid workbook: {exc or type(exc).__name__}")
        return None
    out: list[SheetCells] = []
    try:
        if callable(skip):
            skip = skip(workbook.sheetnames)
        for sheet in workbook.worksheets[:1] if first_only else workbook.worksheets:
            if sheet.title in skip:
                continue
            label = file if first_only else f"{file}[{sheet.title}]"
            if sheet.sheet_state != "visible":
                problems.add(file if first_only else label, "sheet", HIDDEN_FIRST_EXPECTATION if first_only else HIDDEN_EXPECTATION,
                             f"{sheet.sheet_state} sheet '{sheet.title}'")
                if first_only:
                    return None
                continue
            try:
                with sheet._get_source() as source:  # the sheet's XML, streamed (as openpyxl's own reader does)
                    parser = _parser_class()(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
                    before = len(problems.problems)
                    rows = _value_rows(parser.parse(), label, problems, _percent_styles(workbook))
                    if rows is not None:
                        rows = _refuse_merged(rows, parser.merged_cells, label, problems)
                    if len(problems.problems) > before:  # a formula without a result or merged cells: the sheet is not read
                        rows = None
            except Exception as exc:  # a damaged sheet: XML, a shared string that is not there, ...
                problems.add(label, "file", expectation, f"not a valid workbook: {exc or type(exc).__name__}")
                rows = None
            if rows is not None:
                out.append(SheetCells(sheet.title, rows))
            elif first_only:
                return None
    finally:
        workbook.close()
    return out


def _parser_class() -> Any:
    """openpyxl's streaming sheet parser, also noting a formula whose saved result is missing."""
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class _Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    cell["formula"] = "=" + (formula.text or "(shared formula)")
            return cell

    return _Parser


def _percent_styles(workbook: Any) -> frozenset[int]:
    """The style ids of the workbook whose number format shows a percentage."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS

    out = set()
    for style_id, style in enumerate(getattr(workbook, "_cell_styles", ())):
        fmt_id = style.numFmtId
        if fmt_id in BUILTIN_FORMATS:
            code = BUILTIN_FORMATS[fmt_id]
        else:
            custom = getattr(workbook, "_number_formats", ())
            code = custom[fmt_id - 164] if 0 <= fmt_id - 164 < len(custom) else ""
        if "%" in re.sub(r'"[^"]*"|\\.', "", str(code)):  # a % outside quoted or escaped text
            out.add(style_id)
    return frozenset(out)


def _as_shown(value: Any, style_id: Any, percent: frozenset[int]) -> Any:
    """A number in a percent-formatted cell as the sheet shows it (0,435 -> 43,5)."""
    if style_id in percent and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(Decimal(repr(value)) * 100)
    return value


def _column_names(rows: Sequence[tuple[int, tuple[Any, ...]]]) -> dict[int, str]:
    """Column number -> the header text of the first row holding values."""
    if not rows:
        return {}
    return {i: str(v).strip() for i, v in enumerate(rows[0][1], start=1) if v is not None and str(v).strip()}


def _refuse_merged(rows: tuple[tuple[int, tuple[Any, ...]], ...], merged: Any, label: str,
                   problems: ProblemCollector) -> tuple[tuple[int, tuple[Any, ...]], ...] | None:
    """``rows``, or None after one problem per merged range below the header (the lower rows would read as blank)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    ranges = [m.ref for m in getattr(merged, "mergeCell", ())] if merged is not None else []
    header_row = rows[0][0] if rows else 1
    names = _column_names(rows)
    found = False
    for ref in ranges:
        min_col, min_row, _, max_row = range_boundaries(str(ref))
        if max_row is None or max_row <= header_row:
            continue
        found = True
        problems.add(label, names.get(min_col, f"{get_column_letter(min_col)}"), MERGED_EXPECTATION, f"{ref} merged",
                     row=min_row)
    return None if found else rows


def _value_rows(parsed: Any, label: str, problems: ProblemCollector,
                percent: frozenset[int] = frozenset()) -> tuple[tuple[int, tuple[Any, ...]], ...] | None:
    """The rows holding values of a parsed sheet, or None after one problem for a value beyond a limit;
    one problem for each formula without a saved result."""
    from openpyxl.utils import get_column_letter

    rows: list[tuple[int, tuple[Any, ...]]] = []
    formulas: list[tuple[int, int, str]] = []
    for number, cells in parsed:
        formulas += [(number, c["column"], c["formula"]) for c in cells if "formula" in c]
        values = [(c["column"], _as_shown(c["value"], c.get("style_id"), percent))
                  for c in cells if c["value"] is not None and c["value"] != ""]
        if not values:
            continue
        if number > LIMITS.table_rows:
            problems.add(label, "file", f"a table of at most {LIMITS.table_rows:,} rows holding values".replace(",", " "),
                         f"a value in row {number:,}".replace(",", " "))
            return None
        last = max(column for column, _ in values)
        if last > LIMITS.table_columns:
            problems.add(label, "file", f"a table of at most {LIMITS.table_columns} columns holding values",
                         f"a value in column {get_column_letter(last)}", row=number)
            return None
        row: list[Any] = [None] * last
        for column, value in values:
            if isinstance(value, str) and len(value) > LIMITS.cell_chars:
                problems.add(label, f"{get_column_letter(column)}{number}",
                             f"a text of at most {LIMITS.cell_chars:,} characters".replace(",", " "), long_text(value), row=number)
                return None
            row[column - 1] = value
        rows.append((number, tuple(row)))
    names = _column_names(rows)
    for number, column, formula in formulas:
        problems.add(label, names.get(column, get_column_letter(column)), FORMULA_EXPECTATION, formula, row=number)
    return tuple(rows)
