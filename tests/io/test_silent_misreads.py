"""Inputs that used to load without a word (issue 13): each is now one clear error, or read as the sheet shows it.

Every case is run through ``validate`` and ``report`` (the same message, exit 2, no kernel
started), and the workbook cases also through ``import`` of the Excel template, where the
message names the workbook's sheet and row instead of the project's file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, no_kernel_home, write_project, write_table
from openpyxl import Workbook, load_workbook

from evaluation.authoring.workbook import import_workbook, workbook_bytes
from evaluation.cli.main import main
from evaluation.core.errors import InputError
from evaluation.io.loader import load_project

HEADER = ["indicator", "period_end", "value", "status", "source"]
ROW = ["out1", "2024-06-30", 5, "verified", "src"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An EVALUATION_HOME with params/mini_final.yaml; no kernel can start."""
    no_kernel_home(tmp_path, monkeypatch)
    (tmp_path / "params" / "mini_final.yaml").write_text("project: mini\nkind: final\nas_of: 2025-12-31\n", encoding="utf-8")
    return tmp_path


def mini(home: Path, mutate: Callable[[dict[str, Any]], None] | None = None, tables: dict[str, Any] | None = None) -> Path:
    spec = minimal_spec()
    if mutate is not None:
        mutate(spec)
    return write_project(home / "data", spec, tables)


def workbook(path: Path, rows: list[list[Any]], edit: Callable[[Any, Any], None] = lambda wb, ws: None) -> None:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    edit(wb, ws)
    wb.save(path)


def errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """stderr of a command that must fail with exit 2 and print nothing on stdout."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert (code, out) == (2, ""), (code, out, err)
    assert "Traceback" not in err
    return err


def same_through_validate_and_report(message: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``validate`` and ``report`` both give exactly ``error: <message>``."""
    assert errors(["validate", "mini"], capsys) == f"error: {message}\n"
    assert errors(["report", "params/mini_final.yaml"], capsys) == f"error: {message}\n"


# --------------------------------------------------------------------------- Excel cells


def test_formula_without_cached_value_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A formula cell that was never calculated (no saved result) is refused, not read as an empty cell."""
    folder = mini(home)
    workbook(folder / "indicator_values.xlsx", [HEADER, ROW], lambda wb, ws: ws.__setitem__("C2", "=1+2"))
    same_through_validate_and_report(
        "'value' in data/mini/indicator_values.xlsx row 2 must be a value, not a formula without a saved result "
        "(open the file in Excel and save it, or type the value) (got '=1+2')", capsys)


def test_merged_cells_are_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Merged cells (the lower rows would be read as blank) are refused, naming the column and the range."""
    folder = mini(home)
    workbook(folder / "indicator_values.xlsx", [HEADER, ROW, ["out1", "2024-09-30", 6, "verified", "src"]],
             lambda wb, ws: ws.merge_cells("A2:A3"))
    same_through_validate_and_report(
        "'indicator' in data/mini/indicator_values.xlsx row 2 must be one cell per row, not merged cells "
        "(unmerge them and fill in every row) (got 'A2:A3 merged')", capsys)


def test_percent_formatted_cell_is_read_as_the_sheet_shows_it(home: Path) -> None:
    """43,5 % stored by Excel as 0,435 in a percent-formatted cell is read as 43,5, as the sheet shows it."""
    spec = minimal_spec()
    spec["indicators"][0]["unit"] = "%"
    folder = write_project(home / "data", spec)

    def percent(wb: Any, ws: Any) -> None:
        ws["C2"].number_format = "0.0%"

    workbook(folder / "indicator_values.xlsx", [HEADER, ["out1", "2024-06-30", 0.435, "verified", "src"]], percent)
    values = load_project(folder).indicator("out1").values
    assert [m.value for m in values] == [43.5]


def test_hidden_first_sheet_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A hidden first sheet is not taken as the table's data."""
    folder = mini(home)

    def hide(wb: Any, ws: Any) -> None:
        ws.sheet_state = "hidden"
        visible = wb.create_sheet("Data")
        visible.append(HEADER)
        visible.append(ROW)

    workbook(folder / "indicator_values.xlsx", [HEADER, ["out1", "2024-06-30", 99, "verified", "src"]], hide)
    same_through_validate_and_report(
        "'sheet' in data/mini/indicator_values.xlsx must be a visible first sheet: a table is read from the first sheet, "
        "and a hidden sheet is not taken as data (unhide it, or move the data sheet first) (got \"hidden sheet 'Sheet'\")", capsys)


# --------------------------------------------------------------------------- files


def test_same_table_as_csv_and_xlsx_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table given both as .csv and .xlsx is refused instead of silently reading one of them."""
    folder = mini(home, tables={"indicator_values": [dict(zip(HEADER, ROW))]})
    workbook(folder / "indicator_values.xlsx", [HEADER, ROW])
    same_through_validate_and_report(
        "'file' in data/mini/indicator_values.xlsx must be the only file of the table indicator_values "
        "(delete one of them) (got 'indicator_values.csv and indicator_values.xlsx')", capsys)


def test_unknown_table_file_name_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A table file whose name matches no table (cost.csv) is refused, listing the table names."""
    folder = mini(home)
    (folder / "cost.csv").write_text("category,budget,outcome\nx,1,1\n", encoding="utf-8")
    err = errors(["validate", "mini"], capsys)
    assert err.startswith("error: 'file' in data/mini/cost.csv must be named after one of the tables (")
    assert "costs, " in err and err.endswith(") as .csv or .xlsx (got 'cost.csv')\n")
    assert errors(["report", "params/mini_final.yaml"], capsys) == err


def test_bom_in_front_of_windows_1252_text_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A UTF-8 byte-order mark in front of Windows-1252 text is one clear encoding error, not mojibake."""
    folder = mini(home)
    (folder / "activities.csv").write_bytes(b"\xef\xbb\xbfactivity,period_end,count,description\na1,2024-06-30,3,M\xf6te\n")
    same_through_validate_and_report(
        "'encoding' in data/mini/activities.csv must be text in one encoding: the file starts with a UTF-8 byte-order mark "
        "but is not UTF-8 (save it again as 'CSV UTF-8') (got 'byte 0xf6 on row 2')", capsys)


# --------------------------------------------------------------------------- values


def test_negative_cost_budget_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A negative cost-line budget is refused."""
    mini(home, tables={"costs": [{"category": "Personal", "budget": -5, "outcome": 1}]})
    same_through_validate_and_report("'budget' in data/mini/costs.csv row 2 must be a number >= 0 (got -5)", capsys)


def test_target_date_before_baseline_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A target date before the baseline date is refused at load time, naming file and line."""
    folder = mini(home, lambda s: s["indicators"][0]["target"].__setitem__("date", "2020-01-01"))
    line = next(i for i, t in enumerate((folder / "project.yaml").read_text(encoding="utf-8").splitlines(), 1) if "2020-01-01" in t)
    same_through_validate_and_report(
        f"'indicators[0].target.date' in data/mini/project.yaml row {line} must be on or after the baseline date "
        "2024-01-01 (got '2020-01-01')", capsys)


def test_share_above_100_percent_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A value above 100 of an indicator measured in % is refused unless the indicator states a higher maximum."""
    rows = [{"indicator": "out1", "period_end": "2024-06-30", "value": 143, "status": "verified", "source": "src"}]
    mini(home, lambda s: s["indicators"][0].__setitem__("unit", "%"), {"indicator_values": rows})
    same_through_validate_and_report(
        "'value' in data/mini/indicator_values.csv row 2 must be a share from 0 to 100 % (indicator out1 is measured in %) "
        "(got 143)", capsys)


def test_share_above_100_allowed_with_stated_maximum(home: Path) -> None:
    """A percent indicator whose stated maximum is above 100 (a growth rate) may exceed 100."""
    rows = [{"indicator": "out1", "period_end": "2024-06-30", "value": 143, "status": "verified", "source": "src"}]
    folder = mini(home, lambda s: s["indicators"][0].update(unit="%", maximum=500), {"indicator_values": rows})
    assert load_project(folder).indicator("out1").values[0].value == 143


def test_survey_answer_off_scale_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A numeric survey answer off the 1-5 scale is refused when the project is loaded."""
    mini(home, tables={"survey": [{"wave": "w1", "respondent": "r1", "item": "q1", "answer": 9}],
                       "survey_invited": [{"wave": "w1", "invited": 10}]})
    same_through_validate_and_report(
        "'answer' in data/mini/survey.csv row 2 must be an integer in [1, 2, 3, 4, 5] or a text category (got 9)", capsys)


def test_fewer_invited_than_respondents_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """More respondents than invited (a response rate of 150 %) is refused."""
    mini(home, tables={"survey": [{"wave": "w1", "respondent": f"r{i}", "item": "q1", "answer": 4} for i in range(3)],
                       "survey_invited": [{"wave": "w1", "invited": 2}]})
    same_through_validate_and_report(
        "'invited' in data/mini/survey_invited.csv row 2 must be at least the number of respondents in wave 'w1' (3) (got 2)",
        capsys)


def test_participant_flag_changing_within_a_firm_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A firm marked participant on one row and not on another is refused."""
    mini(home, tables={"firms": [{"firm_id": "f1", "year": 2023, "employees": 3, "participant": "yes"},
                                 {"firm_id": "f1", "year": 2024, "employees": 3, "participant": "no"}]})
    same_through_validate_and_report(
        "'participant' in data/mini/firms.csv row 3 must be the same on every row of a firm (as on the firm's first row) "
        "(got 'no')", capsys)


def test_implausible_firm_year_is_an_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A firm row dated 3022 is refused (it made the final report say 'De 1 deltagande företagen')."""
    mini(home, tables={"firms": [{"firm_id": "f1", "year": 3022, "employees": 3, "participant": "yes"}]})
    same_through_validate_and_report(
        "'year' in data/mini/firms.csv row 2 must be an integer year between 1900 and 2100 (got 3022)", capsys)


# --------------------------------------------------------------------------- through import


def template(home: Path) -> tuple[Path, Any]:
    folder = mini(home)
    path = home / "book.xlsx"
    path.write_bytes(workbook_bytes(load_project(folder)))
    return path, load_workbook(path)


def imported_problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        import_workbook("mini", path)
    return [p.message() for p in info.value.problems]


def test_import_refuses_formula_and_merged_cells_naming_the_sheet(home: Path) -> None:
    """Through import the same rules hold, named by workbook sheet and row."""
    path, wb = template(home)
    ws = wb["Indikatorvärden"]
    for r, row in enumerate([ROW, ["out1", "2024-09-30", 6, "verified", "src"]], start=2):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c, v)
    ws["C2"] = "=1+2"
    ws.merge_cells("E2:E3")
    wb.save(path)
    assert imported_problems(path) == [
        "'value' in book.xlsx[Indikatorvärden] row 2 must be a value, not a formula without a saved result "
        "(open the file in Excel and save it, or type the value) (got '=1+2')",
        "'source' in book.xlsx[Indikatorvärden] row 2 must be one cell per row, not merged cells "
        "(unmerge them and fill in every row) (got 'E2:E3 merged')",
    ]


def test_import_applies_table_rules_naming_the_sheet(home: Path) -> None:
    """A negative budget typed into the template's Budget sheet gives the table rule's message at the sheet's row."""
    path, wb = template(home)
    ws = wb["Budget"]
    ws["A2"], ws["B2"], ws["C2"] = "Personal", -5, 1
    wb.save(path)
    assert imported_problems(path) == ["'budget' in book.xlsx[Budget] row 2 must be a number >= 0 (got -5)"]


def test_write_table_helper_still_writes_plain_workbooks(tmp_path: Path) -> None:
    """The test helper's plain workbook (no merges, formulas or percent formats) loads as before."""
    folder = write_project(tmp_path, minimal_spec())
    write_table(folder / "indicator_values.xlsx", [dict(zip(HEADER, ROW))])
    assert [m.value for m in load_project(folder).indicator("out1").values] == [5.0]


def _fill(ws: Any, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` under the sheet's header (row 1), from row 2."""
    header = [c.value for c in ws[1]]
    for r, row in enumerate(rows, start=2):
        for name, v in row.items():
            ws.cell(r, header.index(name) + 1, v)


IMPORT_CASES = {
    "share above 100 %": (
        {"Indikatorvärden": [dict(zip(HEADER, ["res1", "2024-06-30", 143, "verified", "src"]))]},
        "'value' in book.xlsx[Indikatorvärden] row 2 must be a share from 0 to 100 % (indicator res1 is measured in %) (got 143)"),
    "firm year 3022": (
        {"Företagsdata": [{"firm_id": "f1", "year": 3022, "employees": 3, "participant": "ja"}]},
        "'year' in book.xlsx[Företagsdata] row 2 must be an integer year between 1900 and 2100 (got 3022)"),
    "participant flag changing": (
        {"Företagsdata": [{"firm_id": "f1", "year": 2023, "employees": 3, "participant": "ja"},
                          {"firm_id": "f1", "year": 2024, "employees": 3, "participant": "nej"}]},
        "'participant' in book.xlsx[Företagsdata] row 3 must be the same on every row of a firm (as on the firm's first "
        "row) (got 'no')"),
    "answer off the scale": (
        {"Enkätsvar": [{"wave": "w1", "respondent": "r1", "item": "q1", "answer": 9}],
         "Enkät inbjudna": [{"wave": "w1", "invited": 10}]},
        "'answer' in book.xlsx[Enkätsvar] row 2 must be an integer in [1, 2, 3, 4, 5] or a text category (got 9)"),
    "fewer invited than respondents": (
        {"Enkätsvar": [{"wave": "w1", "respondent": f"r{i}", "item": "q1", "answer": 4} for i in range(3)],
         "Enkät inbjudna": [{"wave": "w1", "invited": 2}]},
        "'invited' in book.xlsx[Enkät inbjudna] row 2 must be at least the number of respondents in wave 'w1' (3) (got 2)"),
}


@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_import_gives_the_table_rule_message_at_the_sheet_row(home: Path, case: str) -> None:
    """Each value rule holds through import of the Excel template too, with the same message at the sheet's row."""
    sheets, message = IMPORT_CASES[case]
    spec = minimal_spec()
    spec["indicators"][1]["unit"] = "%"
    folder = write_project(home / "data", spec)
    path = home / "book.xlsx"
    path.write_bytes(workbook_bytes(load_project(folder)))
    wb = load_workbook(path)
    for sheet, rows in sheets.items():
        _fill(wb[sheet], rows)
    wb.save(path)
    assert imported_problems(path) == [message]
