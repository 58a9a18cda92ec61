"""Tests for evaluation.io.tables: cell parsers and row-accurate reading of CSV and Excel tables."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import write_table

from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.io.tables import (
    Column,
    RawRow,
    _Invalid,
    choice,
    detect_separator,
    find_table,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    parse_str,
    read_raw,
    read_rows,
    read_table,
)

NUMBER = "a number (e.g. 16 713 030 or 159,5)"
DATE = "a date written YYYY-MM-DD, YYYY-MM or like okt-22"
ENCODING = "text in UTF-8 or Windows-1252 (save as 'CSV UTF-8')"

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


@pytest.mark.parametrize("text", ["fyra", "1,466.5", "12 st", "", "1.2.3", "1,2,3", "12abc", "kr", "1 23", "12 kr kr", "1e999", "--2"])
def test_parse_float_rejects_non_numbers(text: str) -> None:
    """Text that is not a number raises with the expectation naming two Swedish examples."""
    with pytest.raises(_Invalid) as info:
        parse_float(text)
    assert str(info.value) == NUMBER


@pytest.mark.parametrize("text", ["nan", "NaN", "inf"])
def test_parse_float_rejects_nan_and_inf(text: str) -> None:
    """'nan' and 'inf' are not numbers a project can report."""
    with pytest.raises(_Invalid):
        parse_float(text)


def test_parse_int_whole_numbers_only() -> None:
    """parse_int accepts '4', '4.0' and '4,0' and rejects '4.5' as not whole and 'fyra' as no number."""
    assert parse_int("4") == 4 and parse_int("4.0") == 4 and isinstance(parse_int("4.0"), int)
    assert parse_int("4,0") == 4
    with pytest.raises(_Invalid, match="^a whole number$"):
        parse_int("4.5")
    with pytest.raises(_Invalid) as info:
        parse_int("fyra")
    assert str(info.value) == NUMBER


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


@pytest.mark.parametrize(
    "text", ["2022-02-30", "2022-13", "31/12/2022", "2022/10/31", "31.10.2022", "22", "2022-1-5", "okt22", "foo-22", "okt-2", "mån-22"]
)
def test_parse_date_rejects_bad_dates(text: str) -> None:
    """Impossible dates, other orders and unknown month words raise with the full date expectation."""
    with pytest.raises(_Invalid) as info:
        parse_date(text)
    assert str(info.value) == DATE


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
        ("when", 2, DATE, "2024-13-01"),
        ("when", 4, DATE, "soon"),
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
    """A .xlsx file that is no workbook is one 'file' problem saying why, and no rows."""
    path = tmp_path / "t.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    problems = ProblemCollector()
    assert read_table(path, COLUMNS, problems) == []
    [p] = problems.problems
    assert p.message() == f"'file' in {p.file} must be an Excel workbook (.xlsx) (got 'not a valid workbook: File is not a zip file')"


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


# --------------------------------------------------------------------------- Swedish numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("159,5", 159.5),
        ("16 713 030", 16713030.0),
        ("16\u00a0713\u00a0030", 16713030.0),
        ("16\u202f713\u202f030", 16713030.0),
        ("16.713.030,50", 16713030.5),
        ("16.713.030", 16713030.0),
        ("1.234,5", 1234.5),
        ("16 713 030,25", 16713030.25),
        ("\u22122", -2.0),
        ("\u2212 1 466", -1466.0),
        ("\u20133", -3.0),
        ("+3", 3.0),
        ("+1,5", 1.5),
        ("1 200:-", 1200.0),
        ("1200:-", 1200.0),
        ("12 kr", 12.0),
        ("12 KR", 12.0),
        ("3 SEK", 3.0),
        ("3 sek", 3.0),
        ("2 tkr", 2000.0),
        ("2,5 TKR", 2500.0),
        ("1,5 MSEK", 1500000.0),
        ("1,5 mnkr", 1500000.0),
        ("2 Mkr", 2000000.0),
        ("16,71303 Mkr", 16713030.0),
        ("49,7 %", 49.7),
        ("49,7\u00a0%", 49.7),
        ("27%", 27.0),
        ("-2 tkr", -2000.0),
        ("1.234", 1.234),
    ],
)
def test_parse_float_swedish_forms_and_units(text: str, expected: float) -> None:
    """Swedish groupings, signs and units (kr, SEK, :-, tkr, MSEK/mnkr/Mkr, %) give the number meant."""
    assert parse_float(text) == expected


def test_parse_float_comma_with_three_digits_is_decimal() -> None:
    """'1,234' is 1.234 (a comma is always a decimal comma), never 1234."""
    assert parse_float("1,234") == 1.234


def test_parse_float_scaling_is_exact_for_whole_kronor() -> None:
    """Scaling by tkr/MSEK goes through Decimal, so 16,713030 MSEK is exactly 16 713 030 kronor."""
    assert parse_float("16,713030 MSEK") == 16713030.0
    assert parse_float("0,1 tkr") == 100.0
    assert parse_float("1,001 mnkr") == 1001000.0
    assert parse_int("4,5 tkr") == 4500 and isinstance(parse_int("4,5 tkr"), int)


def test_read_table_keeps_original_text_in_number_problem(tmp_path: Path) -> None:
    """A rejected number is reported with the full message and the cell text as written."""
    path = write_table(tmp_path / "t.csv", "name;amount\nA;1,2,3\nB;12 äpplen\n")
    problems = ProblemCollector()
    read_table(path, COLUMNS, problems)
    assert [p.message() for p in problems.problems] == [
        f"'amount' in {problems.problems[0].file} row 2 must be {NUMBER} (got '1,2,3')",
        f"'amount' in {problems.problems[0].file} row 3 must be {NUMBER} (got '12 äpplen')",
    ]


# --------------------------------------------------------------------------- dates with month words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("okt-22", date(2022, 10, 31)),
        ("Okt-22", date(2022, 10, 31)),
        ("okt 2022", date(2022, 10, 31)),
        ("okt. 2022", date(2022, 10, 31)),
        ("oktober 2022", date(2022, 10, 31)),
        ("maj-21", date(2021, 5, 31)),
        ("feb-24", date(2024, 2, 29)),
        ("mars 2023", date(2023, 3, 31)),
        ("sept 2021", date(2021, 9, 30)),
        ("oct-22", date(2022, 10, 31)),
        ("May 2021", date(2021, 5, 31)),
        ("december-19", date(2019, 12, 31)),
    ],
)
def test_parse_date_month_words(text: str, expected: date) -> None:
    """Swedish and English month names/abbreviations with a 2- or 4-digit year give the month's last day."""
    assert parse_date(text) == expected


def test_read_table_date_problem_message(tmp_path: Path) -> None:
    """A date in another order is one problem with the full expectation text."""
    path = write_table(tmp_path / "t.csv", "name,when\nA,2022/10/31\n")
    problems = ProblemCollector()
    read_table(path, COLUMNS, problems)
    p = next(p for p in problems.problems if p.field == "when")
    assert p.message() == f"'when' in {p.file} row 2 must be {DATE} (got '2022/10/31')"


# --------------------------------------------------------------------------- separators and encodings


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("a,b,c", ","),
        ("a;b;c", ";"),
        ("Företagsnamn\t2019\tokt-22\tÖkning", "\t"),
        ("namn;belopp (kr, inkl. moms);datum", ";"),
        ('"namn, ort";belopp', ";"),
        ("a,b;c", ","),
        ("a;b\tc", ";"),
        ("one column", ","),
    ],
)
def test_detect_separator_from_header_line(line: str, expected: str) -> None:
    """The most frequent separator outside quotes wins; ties and single columns go to comma, then semicolon."""
    assert detect_separator(line) == expected


def test_read_raw_semicolon_windows_1252(tmp_path: Path) -> None:
    """A Swedish Excel 'CSV (semikolonavgränsad)' file (cp1252, semicolons) reads with å, ä, ö intact."""
    path = tmp_path / "t.csv"
    path.write_bytes("namn;belopp\r\nÅkesson & Söner;1 200,5\r\nBäck;3\r\n".encode("cp1252"))
    raw = read_raw(path)
    assert list(raw.columns) == ["namn", "belopp"]
    assert raw.values.tolist() == [["Åkesson & Söner", "1 200,5"], ["Bäck", "3"]]


def test_read_raw_utf8_bom_semicolon(tmp_path: Path) -> None:
    """A UTF-8 file with BOM and semicolons (Excel 'CSV UTF-8') reads without the BOM in the header."""
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffnamn;belopp\nÖrn;2,5\n".encode("utf-8"))
    raw = read_raw(path)
    assert list(raw.columns) == ["namn", "belopp"]
    assert raw.values.tolist() == [["Örn", "2,5"]]


def test_read_raw_tab_separated(tmp_path: Path) -> None:
    """A tab-separated file splits on tabs only (commas stay inside cells)."""
    path = write_table(tmp_path / "t.csv", "name\tamount\nA, B\t1,5\n")
    raw = read_raw(path)
    assert raw.values.tolist() == [["A, B", "1,5"]]


def test_read_raw_excel_sep_line(tmp_path: Path) -> None:
    """An Excel 'sep=;' first line sets the separator and the header is the next line (row 2)."""
    path = write_table(tmp_path / "t.csv", "sep=;\nname;amount\nA;x\n")
    problems = ProblemCollector()
    table = read_rows(path, problems)
    assert not problems and table is not None
    assert table.header == ("name", "amount") and table.header_row == 2
    assert table.rows == (RawRow(3, ("A", "x")),)


def test_read_table_semicolon_cp1252_parses_swedish_numbers(tmp_path: Path) -> None:
    """read_table on a cp1252 semicolon file parses '16 713 030' and '159,5' with no problems."""
    path = tmp_path / "t.csv"
    path.write_bytes("name;amount;when\nSjöbo;16\xa0713\xa0030;okt-22\nÅre;159,5;2022\n".encode("cp1252"))
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert not problems
    assert [(r["name"], r["amount"], r["when"]) for r in rows] == [
        ("Sjöbo", 16713030.0, date(2022, 10, 31)),
        ("Åre", 159.5, date(2022, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("data", "got"),
    [
        ("name,amount\nÅre,1\n".encode("utf-16"), "UTF-16 text"),
        ("name,amount\nÅre,1\n".encode("utf-16-le"), "UTF-16 text"),
        (b"name,amount\nA,\x00\x01\x02\n", "binary data"),
        (b"name,amount\nA,\x81\x8d\xff\n", "binary data"),
        (b"name,amount\nA,\xe5\x02\x03\n", "binary data"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary data (a zip file, such as an Excel workbook: name it .xlsx)"),
    ],
)
def test_read_table_rejects_utf16_and_binary(tmp_path: Path, data: bytes, got: str) -> None:
    """UTF-16 and binary files are one 'encoding' problem asking for UTF-8 or Windows-1252."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    problems = ProblemCollector()
    assert read_table(path, COLUMNS, problems) == []
    [p] = problems.problems
    assert p.message() == f"'encoding' in {p.file} must be {ENCODING} (got {got!r})"
    assert p.file.endswith("t.csv")


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t\n", "\ufeff\n".encode("utf-8")])
def test_read_table_empty_file_is_one_problem(tmp_path: Path, data: bytes) -> None:
    """An empty or whitespace-only file is one problem: a header row is expected."""
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    problems = ProblemCollector()
    assert read_table(path, COLUMNS, problems) == []
    [p] = problems.problems
    assert p.message() == f"'file' in {p.file} must be a table with a header row (got 'an empty file')"


def test_read_raw_empty_file_raises_input_error(tmp_path: Path) -> None:
    """read_raw raises InputError with the same message for an empty file."""
    path = tmp_path / "t.csv"
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        read_raw(path)
    assert str(info.value) == f"'file' in {info.value.problems[0].file} must be a table with a header row (got 'an empty file')"


def test_read_raw_header_only_is_no_rows(tmp_path: Path) -> None:
    """A file with only a header row is a table with columns and no rows, not a problem."""
    path = write_table(tmp_path / "t.csv", "name;amount\n")
    raw = read_raw(path)
    assert list(raw.columns) == ["name", "amount"] and len(raw) == 0


def test_read_table_ragged_rows_name_their_row(tmp_path: Path) -> None:
    """Rows with fewer or more cells than the header are problems naming the row; other rows are parsed."""
    path = write_table(tmp_path / "t.csv", "name,amount,note\nA,1,x\nB,2\nC,3,y,z\nD,4,w,,\n")
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    file = problems.problems[0].file
    assert [p.message() for p in problems.problems] == [
        f"'row' in {file} row 3 must be 3 cells as in the header (got '2 cells')",
        f"'row' in {file} row 4 must be 3 cells as in the header (got '4 cells')",
    ]
    assert [(r["_row"], r["name"], r["amount"]) for r in rows] == [(2, "A", 1.0), (5, "D", 4.0)]


def test_read_raw_ragged_rows_raise(tmp_path: Path) -> None:
    """read_raw raises one InputError listing every ragged row."""
    path = write_table(tmp_path / "t.csv", "a;b\n1\n2;3;4\n")
    with pytest.raises(InputError) as info:
        read_raw(path)
    assert [(p.row, p.got) for p in info.value.problems] == [(2, "1 cells"), (3, "3 cells")]


def test_read_table_counts_blank_lines_in_row_numbers(tmp_path: Path) -> None:
    """Blank lines and rows of empty cells are skipped but keep their place in the row numbers."""
    path = write_table(tmp_path / "t.csv", "name,amount\nA,1\n\n,\nB,x\n")
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert [r["_row"] for r in rows] == [2, 5]
    assert [(p.field, p.row, p.got) for p in problems.problems] == [("amount", 5, "x")]


def test_read_table_quoted_cells_keep_separators_and_line_breaks(tmp_path: Path) -> None:
    """Quoted cells may hold separators and line breaks; the next row's number counts the physical lines."""
    path = write_table(tmp_path / "t.csv", 'name;amount\n"A; B\nC";1\nD;x\n')
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert [(r["_row"], r["name"]) for r in rows] == [(2, "A; B\nC"), (4, "D")]
    assert [(p.row, p.got) for p in problems.problems] == [(4, "x")]


def test_read_table_repeated_column_is_a_problem(tmp_path: Path) -> None:
    """A column name used twice in the header is a problem on row 1."""
    path = write_table(tmp_path / "t.csv", "name,amount,amount\nA,1,2\n")
    problems = ProblemCollector()
    read_table(path, COLUMNS, problems)
    assert [p.message() for p in problems.problems] == [
        f"'amount' in {problems.problems[0].file} row 1 must be a column name used once (got 'amount')"
    ]


def test_read_raw_xlsx_numbers_and_dates_as_text(tmp_path: Path) -> None:
    """Excel numbers come back as '159.5', dates as '2022-10-31 00:00:00'; blank rows keep their number."""
    path = write_table(
        tmp_path / "t.xlsx",
        [{"name": "A", "amount": 159.5, "when": datetime(2022, 10, 31)}, {"name": None}, {"name": "B", "amount": "x"}],
    )
    raw = read_raw(path)
    assert raw.values.tolist() == [["A", "159.5", "2022-10-31 00:00:00"], ["B", "x", ""]]
    problems = ProblemCollector()
    read_table(path, COLUMNS, problems)
    assert [(p.field, p.row, p.got) for p in problems.problems] == [("amount", 4, "x")]


def test_read_table_xlsx_cell_without_header_is_a_problem(tmp_path: Path) -> None:
    """An Excel value to the right of the last header cell is a problem naming its row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["name", "amount"])
    ws.append(["A", 1])
    ws.append(["B", 2, None, "stray"])
    path = tmp_path / "t.xlsx"
    wb.save(path)
    problems = ProblemCollector()
    rows = read_table(path, COLUMNS, problems)
    assert [(p.field, p.row, p.expectation, p.got) for p in problems.problems] == [("row", 3, "2 cells as in the header", "4 cells")]
    assert [r["name"] for r in rows] == ["A"]


def test_problem_message_shape_for_file_level_problem() -> None:
    """A file-level problem (no row) reads '<field>' in <file> must be ... (got ...)."""
    assert Problem("t.csv", "encoding", ENCODING, "UTF-16 text").message() == (
        "'encoding' in t.csv must be text in UTF-8 or Windows-1252 (save as 'CSV UTF-8') (got 'UTF-16 text')"
    )


# --------------------------------------------------------------------------- limits


def _styled_far_corner(path: Path, **extra: object) -> Path:
    """A small table whose sheet also holds one formatted, empty cell at XFD1048576 (the declared size is all of Excel)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.append(["name", "amount"])
    ws.append(["A", 1])
    for ref, value in extra.items():
        ws[ref] = value
    ws["XFD1048576"].font = Font(bold=True)
    wb.save(path)
    assert path.stat().st_size < 10_000
    return path


def test_formatted_cell_at_the_last_cell_of_excel_is_ignored(tmp_path: Path) -> None:
    """A 5 KB workbook formatted at XFD1048576 reads only the cells holding values (not a grid of 17 billion cells)."""
    problems = ProblemCollector()
    rows = read_table(_styled_far_corner(tmp_path / "t.xlsx"), COLUMNS, problems)
    assert not problems and [(r["_row"], r["name"], r["amount"]) for r in rows] == [(2, "A", 1.0)]


def test_value_beyond_the_row_limit_is_one_problem(tmp_path: Path) -> None:
    """A value in row 1 048 576 of a sheet is one problem naming the limit."""
    problems = ProblemCollector()
    assert read_rows(_styled_far_corner(tmp_path / "t.xlsx", A1048576="x"), problems) is None
    (p,) = problems.problems
    assert (p.field, p.expectation, p.got) == ("file", "a table of at most 200 000 rows holding values", "a value in row 1 048 576")


def test_value_beyond_the_column_limit_is_one_problem(tmp_path: Path) -> None:
    """A value in column XFD is one problem naming the column."""
    problems = ProblemCollector()
    assert read_rows(_styled_far_corner(tmp_path / "t.xlsx", XFD2="x"), problems) is None
    (p,) = problems.problems
    assert (p.field, p.row, p.got) == ("file", 2, "a value in column XFD")


def test_too_many_csv_rows_or_columns(tmp_path: Path) -> None:
    """A CSV table with a value beyond the row or the column limit is one problem."""
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(101)) + "\n", encoding="utf-8")
    problems = ProblemCollector()
    assert read_rows(wide, problems) is None
    assert problems.problems[0].expectation == "a table of at most 100 columns holding values"
    long = tmp_path / "long.csv"
    long.write_text("name\n" + "x\n" * 200_000, encoding="utf-8")
    problems = ProblemCollector()
    assert read_rows(long, problems) is None
    assert problems.problems[0].got == "a value in row 200 001"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_cell_longer_than_excel_allows_is_one_short_problem(tmp_path: Path, suffix: str) -> None:
    """A cell of 20 million characters is one problem showing its length and start, not the cell."""
    path = tmp_path / f"t{suffix}"
    big = "x" * 20_000_000
    if suffix == ".csv":
        path.write_text(f'name,amount\n"{big}",1\n', encoding="utf-8")
    else:  # openpyxl cuts what it writes to Excel's limit: put the long text into the saved file's strings
        import zipfile

        write_table(tmp_path / "small.xlsx", [{"name": "PLACEHOLDER", "amount": 1}])
        with zipfile.ZipFile(tmp_path / "small.xlsx") as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename).replace(b"PLACEHOLDER", big.encode()))
    problems = ProblemCollector()
    assert read_table(path, COLUMNS, problems) == []
    (p,) = problems.problems
    assert p.row == 2 and str(p.got).startswith("a text of ") and len(p.message()) < 300
    assert "at most 32 767 characters" in p.expectation


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path, suffix: str) -> None:
    """A table file over 50 MB is one problem naming its size (at most the limit is ever read)."""
    path = tmp_path / f"t{suffix}"
    with open(path, "wb") as f:
        f.truncate(60_000_000)
    problems = ProblemCollector()
    assert read_rows(path, problems) is None
    (p,) = problems.problems
    assert (p.field, p.expectation, p.got) == ("file", "at most 50 000 000 bytes", "a file of 60 000 000 bytes")


def test_read_table_records_the_hash_of_the_bytes_it_parsed(tmp_path: Path) -> None:
    """read_table records the sha256 of exactly the bytes it parsed."""
    import hashlib

    path = tmp_path / "t.csv"
    path.write_bytes(b"name,amount\nA,1\n")
    digests: dict[str, str] = {}
    read_table(path, COLUMNS, ProblemCollector(), digests=digests)
    assert list(digests.values()) == [hashlib.sha256(b"name,amount\nA,1\n").hexdigest()]


@pytest.mark.parametrize("text", ["0", "-0", "+4", "007", "159,5", "-159.5", "0,1", "9007199254740993", "1" * 24,
                                  "12345678901234567890.1234", "-" + "9" * 23])
def test_simple_numbers_read_as_by_the_exact_decimal_path(text: str) -> None:
    """The fast reading of plain numbers gives the float (and int) of the exact Decimal reading, bit for bit."""
    from evaluation.io import tables

    exact = tables._parse_decimal(text)
    assert repr(parse_float(text)) == repr(float(exact))
    if exact == exact.to_integral_value():
        assert tables.parse_int(text) == int(exact)
