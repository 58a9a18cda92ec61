"""Tests for evaluation.tables: cell parsers and row-accurate reading of CSV and Excel tables."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest

from conftest import write_table
from evaluation.errors import ProblemCollector
from evaluation.tables import (
    Column,
    _Invalid,
    choice,
    find_table,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_str,
    read_raw,
    read_table,
)

COLUMNS = (
    Column("name", allow_empty=False),
    Column("amount", parse_float),
    Column("when", parse_date, required=False),
    Column("note", required=False, default=""),
)


# --------------------------------------------------------------------------- parsers


@pytest.mark.parametrize(
    ("text", "expected"),
    [("503", 503.0), ("43.5", 43.5), ("43,5", 43.5), ("1 466", 1466.0), ("16\u00a0713\u00a0030", 16713030.0), (" -2 ", -2.0), ("1e3", 1000.0)],
)
def test_parse_float_accepts_swedish_and_spaced_numbers(text: str, expected: float) -> None:
    """Decimal comma, spaces and no-break spaces as thousands separators are read as numbers."""
    assert parse_float(text) == expected


@pytest.mark.parametrize("text", ["fyra", "1,466.5", "12 kr", "", "1.2.3"])
def test_parse_float_rejects_non_numbers(text: str) -> None:
    """Text that is not a number raises with the expectation 'a number'."""
    with pytest.raises(_Invalid, match="^a number$"):
        parse_float(text)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf"])
def test_parse_float_rejects_nan_and_inf(text: str) -> None:
    """'nan' and 'inf' are not numbers a project can report."""
    with pytest.raises(_Invalid):
        parse_float(text)


def test_parse_int_whole_numbers_only() -> None:
    """parse_int accepts '4' and '4.0' and rejects '4.5' as not whole."""
    assert parse_int("4") == 4 and parse_int("4.0") == 4 and isinstance(parse_int("4.0"), int)
    with pytest.raises(_Invalid, match="^a whole number$"):
        parse_int("4.5")
    with pytest.raises(_Invalid, match="^a number$"):
        parse_int("fyra")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-10-31", date(2022, 10, 31)),
        ("2022-10-31 00:00:00", date(2022, 10, 31)),
        ("2022-10", date(2022, 10, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("2022", date(2022, 12, 31)),
        (" 2019-01-01 ", date(2019, 1, 1)),
    ],
)
def test_parse_date_full_month_and_year(text: str, expected: date) -> None:
    """Full dates, Excel date-times, YYYY-MM (month end) and YYYY (31 December) are dates."""
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13", "31/12/2022", "okt-22", "22", "2022-1-5"])
def test_parse_date_rejects_bad_dates(text: str) -> None:
    """Impossible or non-ISO dates raise with the expectation 'a date written YYYY-MM-DD'."""
    with pytest.raises(_Invalid, match="^a date written YYYY-MM-DD$"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2022-12-311", "2022-12-31x"])
def test_parse_date_rejects_trailing_garbage(text: str) -> None:
    """A date followed by anything but a time of day is rejected."""
    with pytest.raises(_Invalid):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [("yes", True), ("Ja", True), ("1", True), ("j", True), ("nej", False), ("FALSE", False), ("0", False)])
def test_parse_bool_swedish_and_english(text: str, expected: bool) -> None:
    """parse_bool accepts yes/no, ja/nej, true/false, 1/0 in any case."""
    assert parse_bool(text) is expected


def test_parse_bool_rejects_other_text() -> None:
    """Anything else is a problem naming the accepted forms."""
    with pytest.raises(_Invalid, match="yes or no"):
        parse_bool("kanske")


def test_choice_and_parse_str() -> None:
    """choice() accepts only its options (stripped); parse_str strips."""
    parse = choice("a", "b")
    assert parse(" b ") == "b"
    with pytest.raises(_Invalid, match="^one of a, b$"):
        parse("c")
    assert parse_str("  x y ") == "x y"


# --------------------------------------------------------------------------- read_table


def test_read_table_parses_and_numbers_rows(tmp_path: Path) -> None:
    """Rows come back parsed with _row = spreadsheet row; empty cells get the column default."""
    path = write_table(tmp_path / "t.csv", "name,amount,when,note\nA,1 000,2024-06,\nB,,,hej\n")
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert not problems
    assert rows == [
        {"_row": 2, "_failed": set(), "name": "A", "amount": 1000.0, "when": date(2024, 6, 30), "note": ""},
        {"_row": 3, "_failed": set(), "name": "B", "amount": None, "when": None, "note": "hej"},
    ]


def test_read_table_collects_every_problem(tmp_path: Path) -> None:
    """Bad cells, an empty required cell, an unknown and a missing column are all collected."""
    path = write_table(tmp_path / "t.csv", "name,when,extra\nA,2024-13-01,x\n,2024-01-01,y\nC,soon,z\n")
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    got = sorted((p.field, p.row, p.expectation, p.got) for p in problems.problems)
    assert got == [
        ("amount", 1, "present as a column", "no such column"),
        ("extra", 1, "a known column (name, amount, when, note)", "extra"),
        ("name", 3, "filled in", ""),
        ("when", 2, "a date written YYYY-MM-DD", "2024-13-01"),
        ("when", 4, "a date written YYYY-MM-DD", "soon"),
    ]
    assert [r["when"] for r in rows] == [None, date(2024, 1, 1), None]


def test_read_table_keeps_text_as_written(tmp_path: Path) -> None:
    """No type guessing: 'NA' and '007' stay text, a UTF-8 BOM and padded headers are removed."""
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeff name ,amount\nNA,007\n".encode("utf-8"))
    raw = read_raw(path)
    assert list(raw.columns) == ["name", "amount"]
    assert raw.loc[0, "name"] == "NA" and raw.loc[0, "amount"] == "007"


def test_read_table_unreadable_file_is_one_problem(tmp_path: Path) -> None:
    """A file that cannot be parsed is one 'file' problem and no rows."""
    path = tmp_path / "t.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    problems = ProblemCollector()
    assert read_table(path, COLUMNS, problems) == []
    assert [p.field for p in problems.problems] == ["file"]
    assert problems.problems[0].expectation == "a readable CSV (UTF-8) or Excel table"


def test_read_table_xlsx_typed_cells(tmp_path: Path) -> None:
    """Excel cells typed as numbers and dates are read like their CSV text."""
    path = write_table(
        tmp_path / "t.xlsx",
        [{"name": "A", "amount": 2931397, "when": datetime(2022, 12, 31)}, {"name": "B", "amount": 43.5, "when": None}],
    )
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert not problems
    assert [(r["_row"], r["name"], r["amount"], r["when"]) for r in rows] == [
        (2, "A", 2931397.0, date(2022, 12, 31)),
        (3, "B", 43.5, None),
    ]


def test_find_table_prefers_csv_then_xlsx(tmp_path: Path) -> None:
    """find_table returns name.csv, else name.xlsx, else None."""
    assert find_table(tmp_path, "costs") is None
    write_table(tmp_path / "costs.xlsx", [{"category": "A"}])
    assert find_table(tmp_path, "costs") == tmp_path / "costs.xlsx"
    write_table(tmp_path / "costs.csv", "category\nA\n")
    assert find_table(tmp_path, "costs") == tmp_path / "costs.csv"


def test_float_nan_is_not_produced_for_empty_cells(tmp_path: Path) -> None:
    """An empty number cell is None (not reported), never NaN or 0."""
    path = write_table(tmp_path / "t.csv", "name,amount\nA,\n")
    rows = read_table(path, COLUMNS, ProblemCollector())
    assert rows[0]["amount"] is None
    assert not (isinstance(rows[0]["amount"], float) and math.isnan(rows[0]["amount"]))
