"""Published "before / after / change" tables, pasted from a report, read and checked.

Final reports publish their firms' development as a table such as the NIS 6.0 report's::

    Företagsnamn            2019   okt-22  Ökning
    Automattolerans/...     2,5    4       1,5
    ...
    Summa antal anställda   159,5  202     43,5

:func:`read_change_table` reads it (pasted text or a CSV/Excel file; tab, semicolon or comma
separated; Swedish numbers), :func:`check_change_table` checks its arithmetic (each row's change,
each column's total, the total change) and :func:`to_firms_frame` turns it into the long format
of a project's ``firms`` table.

Rows are numbered as the user sees them: the header is row 1 and blank lines are counted (for
pasted text, blank lines before the header are dropped first).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pandas as pd

from evaluation.core import fmt
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.fmt import Number
from evaluation.core.i18n import N_
from evaluation.io.tables import NUMBER_EXPECTATION, RawTable, _Invalid, parse_date, parse_float, read_rows, rows_from_text

PASTED = "<pasted table>"
"""The name used for pasted text in problems when no ``file`` is given."""

_TOTAL = re.compile(r"(?:summa|totalt)(?:\W.*)?|(?:total|sum)\W*", re.IGNORECASE | re.DOTALL)
"""A total row's name: ``Summa ...`` or ``Totalt ...`` (whole word), or just ``Total`` / ``Sum``."""

FindingKind = Literal["row_change", "column_total", "change_total"]
Basis = Literal["after_minus_before", "sum_of_rows", "sum_of_changes", "change_of_totals"]


@dataclass(frozen=True)
class ChangeRow:
    """One firm (or other unit): its values before and after and the change the table states."""

    name: str
    before: float
    after: float
    stated_change: float
    row: int

    @property
    def change(self) -> float:
        """The change computed from the row: ``after - before``."""
        return self.after - self.before


@dataclass(frozen=True)
class ChangeTotal:
    """The table's stated total row (e.g. ``Summa antal anställda``)."""

    label: str
    before: float
    after: float
    stated_change: float
    row: int


@dataclass(frozen=True)
class ChangeTable:
    """A before / after / change table as published."""

    file: str
    name_label: str
    before_label: str
    after_label: str
    change_label: str
    before_date: date | None  # the label read as a date (``2019`` -> 2019-12-31), if it is one
    after_date: date | None  # ``okt-22`` -> 2022-10-31
    rows: tuple[ChangeRow, ...]
    total: ChangeTotal | None

    @property
    def sum_before(self) -> float:
        return math.fsum(r.before for r in self.rows)

    @property
    def sum_after(self) -> float:
        return math.fsum(r.after for r in self.rows)

    @property
    def sum_stated_change(self) -> float:
        return math.fsum(r.stated_change for r in self.rows)


@dataclass(frozen=True)
class ChangeFinding(fmt.Translated):
    """A stated number that differs from the number computed from the table by more than ``tolerance``.

    ``subject`` is the row's name (``row_change``), the column label (``column_total``) or the
    total row's label (``change_total``); ``row`` is the row the stated number is on. Its sentence
    is an English message id and its values, translated by :meth:`text`.
    """

    kind: FindingKind
    basis: Basis
    row: int
    subject: str
    stated: float
    computed: float
    tolerance: float
    message: str
    values: tuple[tuple[str, object], ...] = ()

    @property
    def difference(self) -> float:
        """``stated - computed``."""
        return self.stated - self.computed



# --------------------------------------------------------------------------- reading


def _drop_leading_blank_lines(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines)


def _number(cell: str, file: str, field: str, row: int, problems: ProblemCollector) -> float | None:
    if cell == "":
        problems.add(file, field, NUMBER_EXPECTATION, cell, row=row)
        return None
    try:
        return parse_float(cell)
    except _Invalid as exc:
        problems.add(file, field, str(exc), cell, row=row)
        return None


def _label_date(label: str) -> date | None:
    try:
        return parse_date(label)
    except _Invalid:
        return None


def _is_total(name: str) -> bool:
    return _TOTAL.fullmatch(name) is not None


def read_change_table(source: Path | str, *, file: str | None = None) -> ChangeTable:
    """Read a before / after / change table.

    ``source`` is the pasted text itself when it is a ``str`` containing a line break, else a
    path to a CSV or Excel file (separator and encoding as :func:`evaluation.io.tables.read_rows`).
    The header has four columns: the name column, the "before" label (``2019``), the "after"
    label (``okt-22``) and the change label (``Ökning``). Every other row is a unit with three
    numbers (Swedish forms such as ``2,5`` are accepted); a row whose name starts with ``Summa``
    (or ``Totalt``, ``Total``, ``Sum``) is the stated total and must be the last row. Blank
    lines are skipped. ``file`` names the source in problems.

    Raises :class:`~evaluation.core.errors.InputError` listing every problem (each non-numeric cell
    with its row, rows with the wrong number of cells, a misplaced total row).
    """
    problems = ProblemCollector()
    raw: RawTable | None
    if isinstance(source, str) and "\n" in source:
        shown = file if file is not None else PASTED
        raw = rows_from_text(_drop_leading_blank_lines(source), shown, problems)
    else:
        path = Path(source)
        raw = read_rows(path, problems, file=file)
        shown = raw.file if raw is not None else (file or str(path))
    if raw is None:
        problems.raise_if_any()
        raise AssertionError("unreachable: no table and no problem")  # pragma: no cover
    if len(raw.header) != 4:
        problems.add(
            shown,
            "header",
            "4 columns: name, before, after, change (e.g. Företagsnamn, 2019, okt-22, Ökning)",
            f"{len(raw.header)} columns",
            row=raw.header_row,
        )
        problems.raise_if_any()
    name_label, before_label, after_label, change_label = raw.header
    rows: list[ChangeRow] = []
    total: ChangeTotal | None = None
    for i, record in enumerate(raw.rows):
        name, *cells = record.cells
        if name == "":
            problems.add(shown, name_label, "filled in", name, row=record.row)
        values = [_number(c, shown, label, record.row, problems) for c, label in zip(cells, (before_label, after_label, change_label))]
        if _is_total(name) and i != len(raw.rows) - 1:
            problems.add(shown, name_label, "on the last row (a total row ends the table)", name, row=record.row)
            continue
        if any(v is None for v in values):
            continue
        before, after, change = (float(v) for v in values)  # type: ignore[arg-type]
        if _is_total(name):
            total = ChangeTotal(name, before, after, change, record.row)
        else:
            rows.append(ChangeRow(name, before, after, change, record.row))
    if not problems and not rows:
        problems.add(shown, name_label, "at least one row under the header", "no rows", row=raw.header_row)
    problems.raise_if_any()
    return ChangeTable(
        file=shown,
        name_label=name_label,
        before_label=before_label,
        after_label=after_label,
        change_label=change_label,
        before_date=_label_date(before_label),
        after_date=_label_date(after_label),
        rows=tuple(rows),
        total=total,
    )


# --------------------------------------------------------------------------- checking


def _tol(x: float) -> Number:
    """The tolerance with every decimal it has (``1e-9 -> '0,000000001'``, ``0.25 -> '0,25'``)."""
    exponent = Decimal(repr(x)).normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Number(x, decimals)


def _differs(stated: float, computed: float, tolerance: float) -> bool:
    return abs(stated - computed) > tolerance


def written_tolerance(table: ChangeTable) -> float:
    """Half a unit in the last decimal the table writes (0,5 for whole numbers, 0,05 for one decimal).

    Numbers written with ``d`` decimals differ by at least one unit in that place when they differ
    at all, so this tolerance finds every real disagreement and none caused by binary floating
    point, and it prints the way a person would state it.
    """
    numbers = [x for r in table.rows for x in (r.before, r.after, r.stated_change)]
    if table.total is not None:
        numbers += [table.total.before, table.total.after, table.total.stated_change]
    decimals = 0
    for x in numbers:
        exponent = Decimal(repr(float(x))).normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            decimals = max(decimals, -exponent)
    return float(Decimal(5) * Decimal(10) ** -(decimals + 1))


def check_change_table(table: ChangeTable, tolerance: float | None = None) -> tuple[ChangeFinding, ...]:
    """Every stated number that the table's own numbers contradict, beyond an absolute ``tolerance``
    (by default :func:`written_tolerance`: half a unit in the last decimal the table writes).

    * ``row_change``: a row's stated change vs ``after - before``;
    * ``column_total``: the total row's before / after vs the sum of the rows (one per column);
    * ``change_total``: the stated total change vs the sum of the rows' stated changes
      (``basis="sum_of_changes"``) and vs the change in the stated totals, after total - before
      total (``basis="change_of_totals"``).

    Without a total row only ``row_change`` is checked. Findings come in that order, rows in
    table order.
    """
    if tolerance is None:
        tolerance = written_tolerance(table)
    if not isinstance(tolerance, (int, float)) or isinstance(tolerance, bool) or not math.isfinite(tolerance) or tolerance < 0:
        raise InputError([Problem("check_change_table() arguments", "tolerance", "a number >= 0", tolerance)])
    tol = float(tolerance)
    findings: list[ChangeFinding] = []

    def found(kind: FindingKind, basis: Basis, at: int, subject: str, stated: float, computed: float, message: str, /, **values: object) -> None:
        findings.append(ChangeFinding(kind, basis, at, subject, stated, computed, tol, message, (*values.items(), ("tolerance", _tol(tol)))))

    for r in table.rows:
        computed = r.after - r.before
        if _differs(r.stated_change, computed, tol):
            found(
                "row_change", "after_minus_before", r.row, r.name, r.stated_change, computed,
                N_("Row {row} ({name}): stated change {stated}, but {after_label} − {before_label} = {after} − {before} = {computed} (tolerance {tolerance})."),
                row=r.row, name=r.name, stated=Number(r.stated_change, signed=True), after_label=table.after_label,
                before_label=table.before_label, after=Number(r.after), before=Number(r.before), computed=Number(computed, signed=True),
            )
    total = table.total
    if total is None:
        return tuple(findings)
    for label, stated, computed in ((table.before_label, total.before, table.sum_before), (table.after_label, total.after, table.sum_after)):
        if _differs(stated, computed, tol):
            found(
                "column_total", "sum_of_rows", total.row, label, stated, computed,
                N_("Row {row} ({label}): stated total for {column} is {stated}, but the rows add up to {computed} (tolerance {tolerance})."),
                row=total.row, label=total.label, column=label, stated=Number(stated), computed=Number(computed),
            )
    sum_changes = table.sum_stated_change
    if _differs(total.stated_change, sum_changes, tol):
        found(
            "change_total", "sum_of_changes", total.row, total.label, total.stated_change, sum_changes,
            N_("Row {row} ({label}): stated total change {stated}, but the rows' stated changes add up to {computed} (tolerance {tolerance})."),
            row=total.row, label=total.label, stated=Number(total.stated_change, signed=True), computed=Number(sum_changes, signed=True),
        )
    change_of_totals = total.after - total.before
    if _differs(total.stated_change, change_of_totals, tol):
        found(
            "change_total", "change_of_totals", total.row, total.label, total.stated_change, change_of_totals,
            N_("Row {row} ({label}): stated total change {stated}, but the totals give {after} − {before} = {computed} (tolerance {tolerance})."),
            row=total.row, label=total.label, stated=Number(total.stated_change, signed=True), after=Number(total.after),
            before=Number(total.before), computed=Number(change_of_totals, signed=True),
        )
    return tuple(findings)


# --------------------------------------------------------------------------- firms table

FIRMS_COLUMNS: tuple[str, ...] = (
    "firm_id",
    "name",
    "year",
    "period_label",
    "employees",
    "participant",
    "participation_start",
    "published_change",
    "data_status",
)
"""The columns of a project's ``firms`` table that :func:`to_firms_frame` fills in."""

DataStatus = Literal["published", "illustrative", "estimated"]


def to_firms_frame(
    table: ChangeTable,
    before_year: int,
    after_year: int,
    data_status: DataStatus = "published",
    *,
    id_prefix: str = "firm",
) -> pd.DataFrame:
    """The table in the long format of a project's ``firms`` table (as ``data/nis60/firms.csv``).

    Two rows per firm, in table order: ``before_year`` (``period_label`` the before label, no
    ``published_change``) and ``after_year`` (the after label, the stated change). Firm ids are
    ``id_prefix`` and the firm's position, zero-padded to at least two digits (``firm01``);
    every firm is a participant with no ``participation_start``. The total row is not a firm.
    Types follow :func:`evaluation.io.loader.load_project`'s ``firms`` frame.
    """
    problems = ProblemCollector()
    where = "to_firms_frame() arguments"
    for field, year in (("before_year", before_year), ("after_year", after_year)):
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
            problems.add(where, field, "a whole year from 1900 to 2100", year)
    if not problems and before_year >= after_year:
        problems.add(where, "after_year", f"later than before_year ({before_year})", after_year)
    if data_status not in ("published", "illustrative", "estimated"):
        problems.add(where, "data_status", "one of published, illustrative, estimated", data_status)
    problems.raise_if_any()
    width = max(2, len(str(len(table.rows))))
    records: list[dict[str, object]] = []
    for i, r in enumerate(table.rows, start=1):
        firm_id = f"{id_prefix}{i:0{width}d}"
        for year, label, employees, change in (
            (before_year, table.before_label, r.before, None),
            (after_year, table.after_label, r.after, r.stated_change),
        ):
            records.append(
                {
                    "firm_id": firm_id,
                    "name": r.name,
                    "year": year,
                    "period_label": label,
                    "employees": employees,
                    "participant": True,
                    "participation_start": None,
                    "published_change": change,
                    "data_status": data_status,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(FIRMS_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["participation_start"] = pd.array([None] * len(frame), dtype="Int64")
    frame["participant"] = frame["participant"].astype(bool)
    for col in ("employees", "published_change"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("firm_id", "name", "period_label", "data_status"):
        frame[col] = frame[col].astype(str)
    return frame
