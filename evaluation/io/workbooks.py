"""Reading the cells of an Excel workbook within the limits of :mod:`evaluation.io.limits`.

A sheet declares its size (``<dimension ref="A1:XFD1048576"/>``) and may hold formatted cells
without a value anywhere; both are ignored. Only cells holding a value count: the rows of a
sheet are those that hold one, each as long as its last value, and a value beyond the row or
column limit, a cell longer than the cell limit or a workbook too large once unpacked is a
problem. The sheet's XML is streamed, so a sheet of a million empty formatted rows costs
time in proportion to its file, never a grid of a million rows.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from evaluation.core.errors import ProblemCollector
from evaluation.io.limits import LIMITS, long_text

WORKBOOK_EXPECTATION = "an Excel workbook (.xlsx)"


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
    from openpyxl.worksheet._reader import WorkSheetParser

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
            try:
                with sheet._get_source() as source:  # the sheet's XML, streamed (as openpyxl's own reader does)
                    parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                             date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
                    rows = _value_rows(parser.parse(), label, problems)
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


def _value_rows(parsed: Any, label: str, problems: ProblemCollector) -> tuple[tuple[int, tuple[Any, ...]], ...] | None:
    """The rows holding values of a parsed sheet, or None after one problem for a value beyond a limit."""
    from openpyxl.utils import get_column_letter

    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, cells in parsed:
        values = [(c["column"], c["value"]) for c in cells if c["value"] is not None and c["value"] != ""]
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
    return tuple(rows)
