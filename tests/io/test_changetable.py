"""Tests for evaluation.io.changetable: published before / after / change tables, read, checked and made into firms tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from evaluation.core.errors import InputError
from evaluation.io.changetable import (
    ChangeRow,
    ChangeTotal,
    check_change_table,
    read_change_table,
    to_firms_frame,
)
from evaluation.io.loader import load_project

# The firm table of the NIS 6.0 final report, pasted verbatim (tabs, decimal commas, the blank
# line inside the paste and the total row included).
NIS60_TABLE = (
    "Företagsnamn\t2019\tokt-22\tÖkning\n"
    "Automattolerans/Smejtec AB\t2,5\t4\t1,5\n"
    "Brandts Blommor\t4\t8\t4\n"
    "Bäcknäset Consulting\t1\t1\t0\n"
    "Café Ljuslyktan\t1\t1\t0\n"
    "Din Glasman\t2\t3\t1\n"
    "Frekab i Bjurholm AB\t19\t25\t6\n"
    "Friluftsbutiken Skog & Rök\t2\t0\t-2\n"
    "Grönåkers farm\t1\t2\t1\n"
    "GS-Teknik\t6\t6\t0\n"
    "Hotell Vännäs\t19\t17\t-2\n"
    "Johansson Maskin\t26\t30\t4\n"
    "JSG-produkter\t4\t4\t0\n"
    "Lavashbageriet\t1\t1\t0\n"
    "Lergrova\t1\t1\t0\n"
    "\n"
    "Makeover by Jannika\t0\t1\t1\n"
    "Malin i Ratan AB\t3\t4\t1\n"
    "Mapec\t6\t7\t1\n"
    "Maskin och Industriteknik AB\t6\t7\t1\n"
    "Norrlands fruktvin\t1\t1\t1\n"
    "Norrskenet Service\t0\t3\t3\n"
    "Nyåkers Lack\t3\t4\t1\n"
    "Orientalfalafel i Bjurholm AB\t9\t8\t-1\n"
    "Ortophedium Foot & Body\t6\t3\t-3\n"
    "Racoon\t9\t10\t1\n"
    "Smide & Industrimontage I Norr AB\t1\t2\t1\n"
    "Stockhus\t1\t1\t0\n"
    "Strömdahla\t5\t3\t-2\n"
    "Svenska Dynor AB\t9\t16\t7\n"
    "Tegsnäshus\t0\t6\t6\n"
    "TSSolar\t0\t7\t7\n"
    "Villapool Nord\t0\t3\t3\n"
    "Vännfors Bygg\t11\t13\t2\n"
    "Summa antal anställda\t159,5\t202\t43,5\n"
)

NUMBER = "a number (e.g. 16 713 030 or 159,5)"


@pytest.fixture(scope="module")
def nis60():
    return read_change_table(NIS60_TABLE)


# --------------------------------------------------------------------------- reading


def test_nis60_table_reads_32_firms_with_labels_and_dates(nis60) -> None:
    """The pasted NIS 6.0 table gives 32 firms, its four labels and the label dates 2019-12-31 / 2022-10-31."""
    assert len(nis60.rows) == 32
    assert (nis60.name_label, nis60.before_label, nis60.after_label, nis60.change_label) == ("Företagsnamn", "2019", "okt-22", "Ökning")
    assert (nis60.before_date, nis60.after_date) == (date(2019, 12, 31), date(2022, 10, 31))
    assert nis60.file == "<pasted table>"
    assert nis60.rows[0] == ChangeRow("Automattolerans/Smejtec AB", 2.5, 4.0, 1.5, 2)
    assert nis60.rows[-1] == ChangeRow("Vännfors Bygg", 11.0, 13.0, 2.0, 34)


def test_nis60_rows_count_the_blank_line(nis60) -> None:
    """Row numbers follow the pasted lines: Lergrova is row 15, the blank line 16, Makeover by Jannika 17."""
    rows = {r.name: r.row for r in nis60.rows}
    assert rows["Lergrova"] == 15 and rows["Makeover by Jannika"] == 17
    assert rows["Norrlands fruktvin"] == 21


def test_nis60_total_row(nis60) -> None:
    """The 'Summa antal anställda' row is the stated total (159,5; 202; 43,5) on row 35, not a firm."""
    assert nis60.total == ChangeTotal("Summa antal anställda", 159.5, 202.0, 43.5, 35)
    assert "Summa antal anställda" not in {r.name for r in nis60.rows}


# --------------------------------------------------------------------------- checking


def test_nis60_column_sums_match_stated_totals(nis60) -> None:
    """The firms add up to 159.5 and 202, the stated totals, so there is no column_total finding."""
    assert (nis60.sum_before, nis60.sum_after) == (159.5, 202.0)
    assert [f for f in check_change_table(nis60) if f.kind == "column_total"] == []


def test_nis60_one_row_change_finding_norrlands_fruktvin(nis60) -> None:
    """Exactly one row contradicts itself: Norrlands fruktvin, 1 -> 1 stated +1 (computed 0), row 21."""
    [f] = [f for f in check_change_table(nis60) if f.kind == "row_change"]
    assert (f.basis, f.row, f.subject, f.stated, f.computed, f.difference) == ("after_minus_before", 21, "Norrlands fruktvin", 1.0, 0.0, 1.0)
    assert f.sv == "Rad 21 (Norrlands fruktvin): angiven förändring +1, men okt-22 − 2019 = 1 − 1 = 0 (tolerans 0,05)."
    assert f.en == "Row 21 (Norrlands fruktvin): stated change +1, but okt-22 − 2019 = 1 − 1 = 0 (tolerance 0.05)."
    assert f.text("sv") == f.sv and f.text("en") == f.en


def test_nis60_total_change_is_sum_of_changes_not_change_of_totals(nis60) -> None:
    """43,5 equals the sum of the stated changes but not 202 − 159,5 = 42,5: one change_total finding."""
    assert nis60.sum_stated_change == 43.5
    [f] = [f for f in check_change_table(nis60) if f.kind == "change_total"]
    assert (f.basis, f.row, f.subject, f.stated, f.computed) == ("change_of_totals", 35, "Summa antal anställda", 43.5, 42.5)
    assert f.sv == (
        "Rad 35 (Summa antal anställda): angiven total förändring +43,5, men summorna ger 202 − 159,5 = +42,5 (tolerans 0,05)."
    )
    assert f.en == "Row 35 (Summa antal anställda): stated total change +43.5, but the totals give 202 − 159.5 = +42.5 (tolerance 0.05)."


def test_nis60_findings_in_order(nis60) -> None:
    """All findings on the NIS 6.0 table, in order: the row change, then the total change."""
    assert [(f.kind, f.row) for f in check_change_table(nis60)] == [("row_change", 21), ("change_total", 35)]


def test_column_total_and_sum_of_changes_findings() -> None:
    """A wrong stated total gives a column_total finding for that column only, and both change_total findings."""
    text = "Namn\t2019\t2022\tÖkning\nA\t1,5\t2\t0,5\nB\t3\t4\t1\nSumma\t5\t6\t2\n"
    findings = check_change_table(read_change_table(text))
    assert [(f.kind, f.basis, f.subject, f.stated, f.computed) for f in findings] == [
        ("column_total", "sum_of_rows", "2019", 5.0, 4.5),
        ("change_total", "sum_of_changes", "Summa", 2.0, 1.5),
        ("change_total", "change_of_totals", "Summa", 2.0, 1.0),
    ]
    assert findings[0].sv == "Rad 4 (Summa): angiven summa för 2019 är 5, men raderna summerar till 4,5 (tolerans 0,05)."
    assert findings[0].en == "Row 4 (Summa): stated total for 2019 is 5, but the rows add up to 4.5 (tolerance 0.05)."
    assert findings[1].sv == (
        "Rad 4 (Summa): angiven total förändring +2, men radernas angivna förändringar summerar till +1,5 (tolerans 0,05)."
    )


def test_tolerance_is_absolute_and_stated() -> None:
    """A difference within the absolute tolerance is no finding; beyond it, the tolerance is in the text."""
    table = read_change_table("Namn\tFöre\tEfter\tÄndring\nA\t10\t12\t2,4\nB\t5\t3\t−2\n")
    assert check_change_table(table, tolerance=0.5) == ()
    [f] = check_change_table(table, tolerance=0.25)
    assert (f.subject, f.stated, f.computed, f.tolerance) == ("A", 2.4, 2.0, 0.25)
    assert f.sv.endswith("(tolerans 0,25).") and f.en.endswith("(tolerance 0.25).")


def test_negative_changes_use_minus_sign_in_text() -> None:
    """A stated change written with U+2212 is read as negative; negative numbers are written as fmt.number writes them."""
    [f] = check_change_table(read_change_table("Namn\t2019\t2022\tÖkning\nA\t5\t3\t−1\n"))
    assert (f.stated, f.computed) == (-1.0, -2.0)
    assert f.sv == "Rad 2 (A): angiven förändring -1, men 2022 − 2019 = 3 − 5 = -2 (tolerans 0,5)."
    assert f.en == "Row 2 (A): stated change -1, but 2022 − 2019 = 3 − 5 = -2 (tolerance 0.5)."


def test_no_total_row_checks_rows_only() -> None:
    """Without a total row, total is None and only rows are checked."""
    table = read_change_table("Namn;2019;2022;Ökning\nA;1;2;1\nB;2;2;1\n")
    assert table.total is None
    assert [(f.kind, f.subject) for f in check_change_table(table)] == [("row_change", "B")]


@pytest.mark.parametrize("tolerance", [-1.0, float("nan"), "0"])
def test_bad_tolerance_is_an_input_error(nis60, tolerance: object) -> None:
    """A negative, NaN or non-number tolerance raises InputError naming the argument."""
    with pytest.raises(InputError) as info:
        check_change_table(nis60, tolerance=tolerance)  # type: ignore[arg-type]
    assert str(info.value) == f"'tolerance' in check_change_table() arguments must be a number >= 0 (got {tolerance!r})"


# --------------------------------------------------------------------------- problems


def test_every_non_numeric_cell_is_listed_with_its_row() -> None:
    """All bad cells are raised at once, each with the column label and the row as pasted (blank lines counted)."""
    text = "Namn\t2019\tokt-22\tÖkning\nA\t1\tett\t0\n\nB\t\t2\t2 st\n"
    with pytest.raises(InputError) as info:
        read_change_table(text, file="rapport.txt")
    assert str(info.value) == "\n".join(
        [
            "3 problems in the input:",
            f"  - 'okt-22' in rapport.txt row 2 must be {NUMBER} (got 'ett')",
            f"  - '2019' in rapport.txt row 4 must be {NUMBER} (got '')",
            f"  - 'Ökning' in rapport.txt row 4 must be {NUMBER} (got '2 st')",
        ]
    )


def test_leading_blank_lines_of_a_paste_are_not_counted() -> None:
    """A paste starting with a line break still has its header as row 1."""
    table = read_change_table("\n\nNamn\t2019\t2022\tÖkning\nA\t1\t2\t1\n")
    assert table.rows == (ChangeRow("A", 1.0, 2.0, 1.0, 2),)


def test_ragged_row_and_wrong_header_are_problems() -> None:
    """A header without four columns is a problem on row 1; a short row is a problem naming its row."""
    with pytest.raises(InputError) as info:
        read_change_table("Namn\t2019\t2022\nA\t1\t2\n")
    assert str(info.value) == (
        "'header' in <pasted table> row 1 must be 4 columns: name, before, after, change "
        "(e.g. Företagsnamn, 2019, okt-22, Ökning) (got '3 columns')"
    )
    with pytest.raises(InputError) as info:
        read_change_table("Namn\t2019\t2022\tÖkning\nA\t1\t2\n")
    assert str(info.value) == "'row' in <pasted table> row 2 must be 4 cells as in the header (got '3 cells')"


def test_total_row_must_be_last() -> None:
    """A 'Summa' row followed by more rows is a problem naming its row."""
    with pytest.raises(InputError) as info:
        read_change_table("Namn\t2019\t2022\tÖkning\nSumma\t1\t2\t1\nA\t1\t2\t1\n")
    assert str(info.value) == "'Namn' in <pasted table> row 2 must be on the last row (a total row ends the table) (got 'Summa')"


def test_firm_names_that_only_begin_like_totals_are_firms() -> None:
    """'Summaföretaget AB' and 'Total Bygg AB' are firms, not total rows."""
    table = read_change_table("Namn\t2019\t2022\tÖkning\nSummaföretaget AB\t1\t2\t1\nTotal Bygg AB\t1\t1\t0\n")
    assert [r.name for r in table.rows] == ["Summaföretaget AB", "Total Bygg AB"] and table.total is None


def test_header_only_is_a_problem() -> None:
    """A header with no rows under it is a problem on row 1."""
    with pytest.raises(InputError) as info:
        read_change_table("Namn\t2019\t2022\tÖkning\n")
    assert str(info.value) == "'Namn' in <pasted table> row 1 must be at least one row under the header (got 'no rows')"


# --------------------------------------------------------------------------- files


def test_file_cp1252_semicolon_reads_like_the_paste(tmp_path: Path, nis60) -> None:
    """The same table saved by Swedish Excel (cp1252, semicolons) reads to the same rows and total."""
    path = tmp_path / "nis60.csv"
    path.write_bytes(NIS60_TABLE.replace("\t", ";").replace("\n", "\r\n").encode("cp1252"))
    table = read_change_table(path)
    assert table.rows == nis60.rows and table.total == nis60.total
    assert table.file.endswith("nis60.csv")
    assert read_change_table(str(path), file="nis60.csv").file == "nis60.csv"


def test_xlsx_file(tmp_path: Path) -> None:
    """An Excel sheet with numbers typed as numbers reads as a change table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in (["Företagsnamn", 2019, "okt-22", "Ökning"], ["A", 2.5, 4, 1.5], ["Summa", 2.5, 4, 1.5]):
        ws.append(row)
    path = tmp_path / "t.xlsx"
    wb.save(path)
    table = read_change_table(path)
    assert table.before_label == "2019" and table.rows == (ChangeRow("A", 2.5, 4.0, 1.5, 2),)
    assert check_change_table(table) == ()


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    """A str without a line break is a path; a missing file is one 'file' problem."""
    with pytest.raises(InputError) as info:
        read_change_table(str(tmp_path / "nope.csv"), file="nope.csv")
    [p] = info.value.problems
    assert (p.file, p.field, p.expectation) == ("nope.csv", "file", "a readable file")


# --------------------------------------------------------------------------- firms table


def test_to_firms_frame_equals_nis60_firms_csv(nis60) -> None:
    """The pasted table becomes data/nis60/firms.csv as the loader reads it: same ids, names, years, employees."""
    frame = to_firms_frame(nis60, 2019, 2022, id_prefix="ptv")
    firms = load_project("nis60").firms
    assert firms is not None
    expected = firms[list(frame.columns)].reset_index(drop=True)
    assert frame["name"].tolist() == expected["name"].tolist()
    assert frame["year"].tolist() == expected["year"].tolist() == [2019, 2022] * 32
    assert frame["employees"].tolist() == expected["employees"].tolist()
    pd.testing.assert_frame_equal(frame, expected)


def test_to_firms_frame_layout() -> None:
    """Two rows per firm: before without, after with the stated change; default ids firm01..; participants."""
    table = read_change_table("Namn\t2019\tokt-22\tÖkning\nA\t1\t2\t1\nB\t3\t3\t0\nSumma\t4\t5\t1\n")
    frame = to_firms_frame(table, 2019, 2022, data_status="illustrative")
    assert list(frame.columns) == [
        "firm_id", "name", "year", "period_label", "employees", "participant", "participation_start", "published_change", "data_status",
    ]
    assert frame["firm_id"].tolist() == ["firm01", "firm01", "firm02", "firm02"]
    assert frame["period_label"].tolist() == ["2019", "okt-22", "2019", "okt-22"]
    assert frame["published_change"].isna().tolist() == [True, False, True, False]
    assert frame["published_change"].tolist()[1::2] == [1.0, 0.0]
    assert frame["participant"].tolist() == [True] * 4 and frame["participation_start"].isna().all()
    assert set(frame["data_status"]) == {"illustrative"}


def test_to_firms_frame_checks_its_arguments(nis60) -> None:
    """Years out of order and an unknown data status are raised together."""
    with pytest.raises(InputError) as info:
        to_firms_frame(nis60, 2022, 2019, data_status="guessed")  # type: ignore[arg-type]
    assert [(p.field, p.got) for p in info.value.problems] == [("after_year", 2019), ("data_status", "guessed")]


def test_default_tolerance_is_written_as_people_write_it() -> None:
    """The default tolerance is half a unit in the table's last decimal (0,5 for whole numbers), never 0,000000001."""
    whole = read_change_table("Företag\t2019\t2022\tFörändring\nA\t5\t3\t-1\n")
    [f] = check_change_table(whole)
    assert f.tolerance == 0.5 and f.sv.endswith("(tolerans 0,5).")
    decimals = read_change_table("Företag\t2019\t2022\tFörändring\nA\t5,25\t3\t-2,2\n")
    [g] = check_change_table(decimals)
    assert g.tolerance == 0.005 and g.sv.endswith("(tolerans 0,005).")
