"""Tests for evaluation.io.loader: loading the example projects, types, and one clear InputError
listing every problem (file, row/line, field, expectation, what was found)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import Builder, line_of_text, minimal_spec, write_project

from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, ProjectNotFoundError
from evaluation.core.model import Measurement, Project
from evaluation.io.loader import available_projects, load_project, project_folder

EXAMPLES = ("hso", "nba", "nis60", "sam")


def problems_of(run: Callable[[], Any]) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        run()
    return info.value.problems


def only(problems: tuple[Problem, ...], field: str) -> Problem:
    hits = [p for p in problems if p.field == field]
    assert len(hits) == 1, (field, problems)
    return hits[0]


def load_problems(build: Builder, spec: dict[str, Any] | None = None, tables: dict[str, Any] | None = None, folder: str | None = None) -> tuple[Problem, ...]:
    folder_path = build(spec, tables, folder)
    return problems_of(lambda: load_project(folder_path))


def values_row(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"indicator": "out1", "period_end": "2024-12-31", "value": 4, "status": "verified", "source": "src"}
    row.update(over)
    return row


# --------------------------------------------------------------------------- the example projects


@pytest.mark.parametrize("project_id", EXAMPLES)
def test_every_example_project_loads(examples: dict[str, Project], project_id: str) -> None:
    """Each shipped example folder loads into a Project whose id is its folder name."""
    project = examples[project_id]
    assert isinstance(project, Project)
    assert project.id == project_id
    assert project.folder == paths.data_dir().resolve() / project_id


def test_available_projects_lists_the_examples_sorted(tmp_path: Path) -> None:
    """available_projects() returns the ids of folders holding project.yaml, sorted: the examples among any of the user's own."""
    found = available_projects()
    assert set(EXAMPLES) <= set(found) and list(found) == sorted(found)
    for pid in EXAMPLES:
        shutil.copytree(paths.data_dir() / pid, tmp_path / pid)
    (tmp_path / "notes").mkdir()  # a folder without project.yaml is no project
    assert available_projects(tmp_path) == EXAMPLES


def test_dates_are_date_objects(examples: dict[str, Project]) -> None:
    """Project, goal, indicator and measurement dates load as datetime.date."""
    project = examples["nis60"]
    assert project.start == date(2019, 1, 1) and type(project.start) is date
    assert project.end == date(2022, 12, 31) and type(project.end) is date
    assert project.goal_tree.node("a12").deadline == date(2022, 9, 30)
    jobs = project.indicator("jobs")
    assert jobs.baseline_date == date(2019, 12, 31) and jobs.target_date == date(2022, 12, 31)
    m = jobs.values[0]
    assert type(m.period_end) is date and m.period_end == date(2022, 10, 31)
    assert m.period_start == date(2019, 12, 31)
    assert type(project.activities[0].period_end) is date


def test_not_reported_is_none_never_zero(examples: dict[str, Project]) -> None:
    """Empty cells and null keys load as None, not 0 (owner, cost budgets, counts, values)."""
    nis = examples["nis60"]
    assert nis.owner is None
    assert all(line.budget is None for line in nis.budget.lines)
    a11 = [a for a in nis.activities if a.activity == "a11"]
    assert len(a11) == 1 and a11[0].count is None
    assert nis.indicator("participants").target_value is None
    assert nis.indicator("participants").values[0].non_binary is None
    nba = examples["nba"]
    jobs = nba.indicator("jobs").values[0]
    assert jobs.value is None and jobs.status == "not_reported"
    assert all(f.amount is None for f in nba.financiers)
    assert nba.financing_total() is None
    assert nba.budget.outcome_total is None


def test_numbers_load_as_floats(examples: dict[str, Project]) -> None:
    """Numeric cells load as float, with decimals kept (43.5 jobs)."""
    nis = examples["nis60"]
    value = nis.indicator("jobs").values[0].value
    assert isinstance(value, float) and value == 43.5


def test_firms_frame_types(examples: dict[str, Project]) -> None:
    """firms.csv loads as a frame: Int64 year, bool participant, float employees, str firm_id."""
    firms = examples["nis60"].firms
    assert firms is not None and len(firms) == 64
    assert str(firms["year"].dtype) == "Int64"
    assert firms["participant"].dtype == bool and bool(firms["participant"].all())
    assert firms["employees"].dtype == float
    assert firms["published_change"].isna().sum() == 32
    assert firms.loc[0, "firm_id"] == "ptv01"


def test_optional_tables_absent_are_none_or_empty(examples: dict[str, Project]) -> None:
    """Tables a folder lacks leave the frames None and the tuples empty."""
    nba = examples["nba"]
    assert nba.firms is None and nba.survey is None and nba.survey_invited is None
    assert nba.budget.lines == ()
    nis = examples["nis60"]
    assert nis.funnel == ()


def test_project_files_lists_yaml_and_tables(examples: dict[str, Project]) -> None:
    """Project.files names project.yaml, every table read and the evaluator's assessment files."""
    names = sorted(p.name for p in examples["nis60"].files)
    assert names == ["activities.csv", "costs.csv", "dissemination.csv", "final.yaml", "firms.csv", "indicator_values.csv",
                     "project.yaml"]


def test_short_name_defaults_to_name(spec: dict[str, Any], build: Builder) -> None:
    """A project without short_name gets its name as short_name."""
    project = load_project(build(spec))
    assert project.short_name == "Miniprojekt"


def test_loading_twice_gives_equal_projects(examples: dict[str, Project]) -> None:
    """Loading is deterministic: a second load compares equal to the first."""
    assert load_project("nis60") == examples["nis60"]


def test_indicator_values_attached_in_period_order(spec: dict[str, Any], build: Builder) -> None:
    """Values are attached to their indicator, sorted by period_end whatever the row order."""
    rows = [values_row(period_end="2025-06-30", value=8), values_row(period_end="2024-06-30", value=2)]
    project = load_project(build(spec, {"indicator_values": rows}))
    assert [m.value for m in project.indicator("out1").values] == [2.0, 8.0]
    assert project.indicator("res1").values == ()


# --------------------------------------------------------------------------- by id, by path


def test_load_by_id_and_by_folder_path_give_the_same_project(examples: dict[str, Project]) -> None:
    """load_project accepts an id or a folder path (str or Path)."""
    by_id = examples["nba"]
    folder = paths.data_dir() / "nba"
    assert load_project(folder) == by_id
    assert load_project(str(folder)) == by_id


def test_load_by_id_with_data_dir(minimal_project_dir: Path) -> None:
    """With data_dir, an id is looked up in that folder."""
    project = load_project("mini", data_dir=minimal_project_dir.parent)
    assert project.id == "mini"
    assert project.folder == minimal_project_dir.resolve()


def test_id_resolves_under_data_dir_not_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bare id is looked up under data_dir even when the cwd holds a folder of that name."""
    data = tmp_path / "data"
    write_project(data, minimal_spec())
    elsewhere = tmp_path / "cwd"
    other = minimal_spec()
    other["name"] = "Fel projekt"
    write_project(elsewhere, other)
    monkeypatch.chdir(elsewhere)
    assert load_project("mini", data_dir=data).name == "Miniprojekt"


def test_unknown_id_lists_known_ids() -> None:
    """An unknown id raises ProjectNotFoundError naming the id and every known id."""
    with pytest.raises(ProjectNotFoundError) as info:
        load_project("nis70")
    msg = str(info.value)
    assert "nis70" in msg
    assert f"(known: {', '.join(available_projects())})" in msg and set(EXAMPLES) <= set(available_projects())
    assert isinstance(info.value, InputError)
    assert info.value.problems[0].field == "project"


def test_unknown_id_in_empty_data_dir_says_none(tmp_path: Path) -> None:
    """With no projects under data_dir the known list reads 'none'."""
    with pytest.raises(ProjectNotFoundError, match=r"known: none"):
        project_folder("x", data_dir=tmp_path)


def test_folder_without_project_yaml_is_not_found(tmp_path: Path) -> None:
    """A folder path lacking project.yaml is not a project."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjectNotFoundError):
        load_project(tmp_path / "empty", data_dir=tmp_path)


# --------------------------------------------------------------------------- project.yaml problems


def test_unknown_yaml_key_names_field_and_line(spec: dict[str, Any], build: Builder) -> None:
    """A misspelt key is an error naming its dotted path and its line in project.yaml."""
    spec["goal_tree"][1]["colour"] = "red"
    folder = build(spec)
    p = only(problems_of(lambda: load_project(folder)), "goal_tree[1].colour")
    assert p.row == line_of_text(folder, "colour:")
    assert p.expectation.startswith("a known key")
    assert p.got == "red"
    assert p.file.endswith("project.yaml")


def test_wrong_literal_lists_allowed_values(spec: dict[str, Any], build: Builder) -> None:
    """fund: EU is rejected with the allowed funds and the line of 'fund:'."""
    spec["fund"] = "EU"
    folder = build(spec)
    p = only(problems_of(lambda: load_project(folder)), "fund")
    assert p.got == "EU"
    assert p.row == line_of_text(folder, "fund:")
    assert "'ERUF'" in p.expectation and "'ESF+'" in p.expectation and "'Interreg'" in p.expectation
    assert p.message() == f"'fund' in {p.file} row {p.row} must be {p.expectation} (got 'EU')"


def test_bad_date_text_is_a_problem(spec: dict[str, Any], build: Builder) -> None:
    """A date that is not YYYY-MM-DD is reported with the line and the text found."""
    spec["start"] = "1 januari 2024"
    folder = build(spec)
    p = only(problems_of(lambda: load_project(folder)), "start")
    assert p.expectation == "a date written YYYY-MM-DD"
    assert p.got == "1 januari 2024"
    assert p.row == line_of_text(folder, "start:")


def test_impossible_unquoted_yaml_date_is_an_input_error(build: Builder) -> None:
    """An unquoted impossible date (2024-02-30) gives an InputError naming the line, not a crash."""
    folder = build()
    text = (folder / "project.yaml").read_text(encoding="utf-8").replace("start: 2024-01-01", "start: 2024-02-30")
    (folder / "project.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_project(folder)
    assert info.value.problems[0].row == line_of_text(folder, "start:")


def test_missing_required_key(spec: dict[str, Any], build: Builder) -> None:
    """A missing required key (programme) is reported as 'present'."""
    del spec["programme"]
    p = only(load_problems(build, spec), "programme")
    assert p.expectation == "present"
    assert p.got is None


def test_id_must_match_folder_name(spec: dict[str, Any], build: Builder) -> None:
    """project.yaml's id must equal its folder's name."""
    spec["id"] = "other"
    folder = build(spec, folder="mini")
    p = only(problems_of(lambda: load_project(folder)), "id")
    assert p.expectation == "the folder's name 'mini'"
    assert p.got == "other"
    assert p.row == line_of_text(folder, "id: other")


def test_end_before_start(spec: dict[str, Any], build: Builder) -> None:
    """An end date before the start date is a problem on 'end'."""
    spec["end"] = date(2023, 12, 31)
    p = only(load_problems(build, spec), "end")
    assert p.expectation == "on or after the start date 2024-01-01"
    assert p.got == "2023-12-31"


def test_end_equal_to_start_is_allowed(spec: dict[str, Any], build: Builder) -> None:
    """A one-day project (end == start) loads."""
    spec["end"] = spec["start"]
    for ind in spec["indicators"]:
        ind["target"]["date"] = spec["start"]
    assert load_project(build(spec)).end == date(2024, 1, 1)


@pytest.mark.parametrize(
    ("mutate", "field", "got"),
    [
        (lambda s: s["goal_tree"][1].update(parent="nope"), "goal_tree[1].parent", "nope"),
        (lambda s: s["goal_tree"][2].update(work_package="wp9"), "goal_tree[2].work_package", "wp9"),
        (lambda s: s["effect_logic"]["links"][0].update({"from": "e_x"}), "effect_logic.links[0].from", "e_x"),
        (lambda s: s["effect_logic"]["links"][2].update({"to": "e_y"}), "effect_logic.links[2].to", "e_y"),
        (lambda s: s["effect_logic"]["nodes"][0].update(goals=["a1", "ghost"]), "effect_logic.nodes[0].goals", "ghost"),
        (lambda s: s["indicators"][1].update(measures=["pg1", "zz"]), "indicators[1].measures", "zz"),
        (lambda s: s["horizontal"][2].update(indicators=["nope"]), "horizontal[2].indicators", "nope"),
    ],
    ids=["parent", "work_package", "link_from", "link_to", "effect_goals", "measures", "horizontal_indicator"],
)
def test_dangling_references(spec: dict[str, Any], build: Builder, mutate: Callable[[dict[str, Any]], None], field: str, got: str) -> None:
    """A reference to an id that does not exist names the field, its line and the id."""
    mutate(spec)
    problems = load_problems(build, spec)
    assert len(problems) == 1
    p = only(problems, field)
    assert p.got == got
    assert p.row is not None and p.row > 1


def test_link_line_points_at_the_link(spec: dict[str, Any], build: Builder) -> None:
    """The line of a dangling link's 'to' is the line of that key in the file."""
    spec["effect_logic"]["links"][2]["to"] = "e_missing"
    folder = build(spec)
    p = only(problems_of(lambda: load_project(folder)), "effect_logic.links[2].to")
    assert p.row == line_of_text(folder, "to: e_missing")


@pytest.mark.parametrize(
    ("mutate", "field", "got", "first"),
    [
        (lambda s: s["goal_tree"].append({"id": "pg1", "level": "sub", "parent": "og", "statement": "x"}),
         "goal_tree[3].id", "pg1", "goal_tree[1].id"),
        (lambda s: s["effect_logic"]["nodes"].append({"id": "a1", "level": "activity", "statement": "x"}),
         "effect_logic.nodes[4].id", "a1", "goal_tree[2].id"),
        (lambda s: s["indicators"].append(dict(s["indicators"][0])), "indicators[2].id", "out1", "indicators[0].id"),
        (lambda s: s["work_packages"].append({"id": "wp1", "name": "dup"}), "work_packages[1].id", "wp1", "work_packages[0].id"),
    ],
    ids=["goal", "goal_vs_effect", "indicator", "work_package"],
)
def test_duplicate_ids(spec: dict[str, Any], build: Builder, mutate: Callable[[dict[str, Any]], None], field: str, got: str,
                       first: str) -> None:
    """A repeated id (also across goal tree and effect logic) is reported once, at the repeat, naming the first."""
    mutate(spec)
    p = only(load_problems(build, spec), field)
    assert p.got == got
    assert p.expectation.startswith("an id not used before in ") and f"({first} on row " in p.expectation


def test_yaml_not_a_mapping(build: Builder) -> None:
    """A project.yaml that is a list is one problem on 'document' at row 1."""
    folder = build()
    (folder / "project.yaml").write_text("- a\n- b\n", encoding="utf-8")
    p = only(problems_of(lambda: load_project(folder)), "document")
    assert p.expectation == "a mapping of keys" and p.got == "list" and p.row == 1


def test_yaml_syntax_error_names_line(build: Builder) -> None:
    """Broken YAML is one problem naming the line of the error."""
    folder = build()
    (folder / "project.yaml").write_text("id: mini\nname: [unclosed\nfund: ERUF\n", encoding="utf-8")
    p = only(problems_of(lambda: load_project(folder)), "yaml")
    assert p.expectation == "valid YAML"
    assert p.row == 3


def test_all_yaml_problems_raised_together(spec: dict[str, Any], build: Builder) -> None:
    """Several mistakes give one InputError listing all of them, with a count header."""
    spec["end"] = date(2020, 1, 1)
    spec["goal_tree"][1]["parent"] = "nope"
    spec["indicators"][0]["measures"] = ["nada"]
    with pytest.raises(InputError) as info:
        load_project(build(spec))
    fields = sorted(p.field for p in info.value.problems)
    assert fields == ["end", "goal_tree[1].parent", "indicators[0].measures"]
    assert str(info.value).startswith("3 problems in the input:\n  - '")


# --------------------------------------------------------------------------- table problems


def test_bad_number_names_spreadsheet_row(spec: dict[str, Any], build: Builder) -> None:
    """A non-number in a number column names the row as a spreadsheet shows it (header = 1)."""
    rows = [values_row(), values_row(period_end="2025-06-30", value="fyra")]
    folder = build(spec, {"indicator_values": rows})
    problems = problems_of(lambda: load_project(folder))
    p = only(problems, "value")
    assert p.row == 3
    assert p.got == "fyra"
    assert p.message() == f"'value' in {p.file} row 3 must be a number (e.g. 16 713 030 or 159,5) (got 'fyra')"
    assert p.file.endswith("indicator_values.csv")


def test_bad_number_is_reported_once(spec: dict[str, Any], build: Builder) -> None:
    """An unparseable value is one problem on 'value', not also a problem on 'status'."""
    problems = load_problems(build, spec, {"indicator_values": [values_row(value="fyra")]})
    assert [(p.field, p.row) for p in problems] == [("value", 2)]


def test_unknown_column(spec: dict[str, Any], build: Builder) -> None:
    """A column the table does not know is a problem at row 1 listing the known columns."""
    rows = [{**values_row(), "vaule": 3}]
    p = only(load_problems(build, spec, {"indicator_values": rows}), "vaule")
    assert p.row == 1
    assert p.expectation.startswith("a known column (indicator, period_end, value, status, source")


def test_missing_required_column(spec: dict[str, Any], build: Builder) -> None:
    """A required column that is absent is reported once, at row 1."""
    row = values_row()
    del row["source"]
    p = only(load_problems(build, spec, {"indicator_values": [row]}), "source")
    assert p.row == 1 and p.expectation == "present as a column" and p.got == "no such column"


def test_empty_required_cell(spec: dict[str, Any], build: Builder) -> None:
    """An empty cell in a column that must be filled names its row."""
    rows = [values_row(), values_row(source="")]
    p = only(load_problems(build, spec, {"indicator_values": rows}), "source")
    assert p.row == 3 and p.expectation == "filled in"


def test_unknown_indicator_id_in_values(spec: dict[str, Any], build: Builder) -> None:
    """indicator_values.csv rows must name an indicator of project.yaml."""
    rows = [values_row(), values_row(indicator="ghost")]
    p = only(load_problems(build, spec, {"indicator_values": rows}), "indicator")
    assert p.row == 3 and p.got == "ghost"
    assert p.expectation == "the id of an indicator in project.yaml"


def test_value_empty_but_status_verified(spec: dict[str, Any], build: Builder) -> None:
    """An empty value must carry status not_reported."""
    p = only(load_problems(build, spec, {"indicator_values": [values_row(value=None)]}), "status")
    assert p.row == 2 and p.got == "verified"
    assert p.expectation == "not_reported when the value is empty"


def test_value_given_but_status_not_reported(spec: dict[str, Any], build: Builder) -> None:
    """A value with status not_reported is contradictory."""
    p = only(load_problems(build, spec, {"indicator_values": [values_row(status="not_reported")]}), "value")
    assert p.got == 4.0 and p.expectation == "empty when the status is not_reported"


def test_empty_value_not_reported_loads_as_none(spec: dict[str, Any], build: Builder) -> None:
    """An empty value with status not_reported loads as value None."""
    project = load_project(build(spec, {"indicator_values": [values_row(value=None, status="not_reported")]}))
    m = project.indicator("out1").values[0]
    assert m.value is None and m.status == "not_reported"
    assert project.indicator("out1").reported() == ()


def test_bad_status_choice(spec: dict[str, Any], build: Builder) -> None:
    """A status outside the closed set lists the allowed values."""
    p = only(load_problems(build, spec, {"indicator_values": [values_row(status="klar")]}), "status")
    assert p.expectation == "one of preliminary, verified, not_reported" and p.got == "klar"


def test_unknown_activity_and_work_package_in_tables(spec: dict[str, Any], build: Builder) -> None:
    """activities.csv must name goal-tree nodes; costs.csv work packages must exist."""
    tables = {
        "activities": [{"activity": "a9", "period_end": "2024-12-31", "count": 2}],
        "costs": [{"category": "Personal", "budget": 800, "outcome": 1000, "work_package": "wp7"}],
    }
    problems = load_problems(build, spec, tables)
    assert only(problems, "activity").got == "a9"
    assert only(problems, "work_package").got == "wp7"


def test_duplicate_firm_year(spec: dict[str, Any], build: Builder) -> None:
    """Two rows for the same (firm_id, year) in firms.csv name both rows."""
    rows = [
        {"firm_id": "f1", "year": 2023, "employees": 2, "participant": "yes"},
        {"firm_id": "f1", "year": 2024, "employees": 3, "participant": "yes"},
        {"firm_id": "f1", "year": 2023, "employees": 4, "participant": "yes"},
    ]
    p = only(load_problems(build, spec, {"firms": rows}), "year")
    assert p.row == 4 and p.got == 2023
    assert "already has 2023 on row 2" in p.expectation


def test_survey_needs_survey_invited(spec: dict[str, Any], build: Builder) -> None:
    """A survey without survey_invited is a problem naming the missing table."""
    rows = [{"wave": "2025", "respondent": "r1", "item": "Nytta", "answer": 4}]
    p = only(load_problems(build, spec, {"survey": rows}), "survey_invited")
    assert p.got == "missing"


def test_survey_wave_must_be_invited(spec: dict[str, Any], build: Builder) -> None:
    """A survey wave absent from survey_invited is reported."""
    tables = {
        "survey": [{"wave": "2026", "respondent": "r1", "item": "Nytta", "answer": 4}],
        "survey_invited": [{"wave": "2025", "invited": 10}],
    }
    p = only(load_problems(build, spec, tables), "wave")
    assert p.got == "2026" and p.row == 2


def test_problems_in_several_files_raised_together(spec: dict[str, Any], build: Builder) -> None:
    """project.yaml, indicator_values.csv and costs.csv problems come in one InputError."""
    spec["fund"] = "EU"
    tables = {
        "indicator_values": [values_row(value="x")],
        "costs": [{"category": "Personal", "budget": "tusen", "outcome": 1000}],
    }
    problems = load_problems(build, spec, tables)
    files = {Path(p.file).name for p in problems}
    assert files == {"costs.csv", "indicator_values.csv", "project.yaml"}
    assert {("fund", "EU"), ("value", "x"), ("budget", "tusen")} <= {(p.field, p.got) for p in problems}


def test_table_parse_problems_reported_even_when_yaml_invalid(spec: dict[str, Any], build: Builder) -> None:
    """A schema error in project.yaml does not hide the table problems."""
    del spec["evaluation"]
    problems = load_problems(build, spec, {"activities": [{"activity": "a1", "period_end": "igår", "count": 1}]})
    assert {p.field for p in problems} == {"evaluation", "period_end"}


# --------------------------------------------------------------------------- Excel tables


def test_xlsx_table_reads_like_csv(spec: dict[str, Any], build: Builder, tmp_path: Path) -> None:
    """indicator_values.xlsx (typed cells: dates, ints, floats, empty) loads like the CSV."""
    rows_xlsx = [
        {"indicator": "out1", "period_end": date(2024, 12, 31), "value": 4, "status": "verified", "source": "src", "women": 2, "men": 2},
        {"indicator": "res1", "period_end": date(2025, 6, 30), "value": 2.5, "status": "preliminary", "source": "src", "women": None, "men": None},
        {"indicator": "res1", "period_end": date(2025, 12, 31), "value": None, "status": "not_reported", "source": "src", "women": None, "men": None},
    ]
    rows_csv = [{k: (v.isoformat() if isinstance(v, date) else v) for k, v in r.items()} for r in rows_xlsx]
    from_xlsx = load_project(build(spec, {"indicator_values.xlsx": rows_xlsx}))
    other = minimal_spec()
    other["id"] = "mini2"
    from_csv = load_project(write_project(tmp_path, other, {"indicator_values": rows_csv}))
    assert from_xlsx.indicators == from_csv.indicators
    assert from_xlsx.indicator("res1").values[0] == Measurement(
        indicator="res1", period_end=date(2025, 6, 30), value=2.5, status="preliminary", source="src"
    )
    assert from_xlsx.files[-1].name == "indicator_values.xlsx"


def test_xlsx_bad_cell_names_spreadsheet_row(spec: dict[str, Any], build: Builder) -> None:
    """A bad cell in an Excel table names the row as Excel shows it."""
    rows = [
        {"indicator": "out1", "period_end": date(2024, 12, 31), "value": 4, "status": "verified", "source": "src"},
        {"indicator": "out1", "period_end": date(2025, 6, 30), "value": "many", "status": "verified", "source": "src"},
    ]
    p = only(load_problems(build, spec, {"indicator_values.xlsx": rows}), "value")
    assert p.row == 3 and p.got == "many"
    assert p.file.endswith("indicator_values.xlsx")


def test_firms_frame_uses_none_for_missing_employees(spec: dict[str, Any], build: Builder) -> None:
    """An empty employees cell is NaN in the firms frame, never 0."""
    rows = [
        {"firm_id": "f1", "year": 2023, "employees": None, "participant": "ja"},
        {"firm_id": "f2", "year": 2024, "employees": 3, "participant": "nej"},
    ]
    firms = load_project(build(spec, {"firms": rows})).firms
    assert firms is not None
    assert pd.isna(firms.loc[0, "employees"]) and firms.loc[1, "employees"] == 3.0
    assert firms["participant"].tolist() == [True, False]


def test_negative_amounts_are_rejected(build, spec) -> None:
    """A negative financier amount, budget or work-package budget is an input error naming the field and line."""
    from evaluation.io.loader import load_project

    spec["financiers"][0]["amount"] = -1000
    spec["budget"]["total"] = -5
    folder = build(spec)
    with pytest.raises(InputError) as info:
        load_project(folder)
    fields = {p.field: p for p in info.value.problems}
    assert fields["financiers[0].amount"].expectation == "a number >= 0"
    assert fields["budget.total"].got == -5
    assert fields["financiers[0].amount"].row is not None


def test_participation_table_is_read_and_checked(build, spec) -> None:
    """participation.csv loads as a frame; an activity id not in the goal tree is an error naming its row."""
    folder = build(spec, {"participation": [{"activity": "a1", "firm_id": "x"}, {"activity": "nope", "firm_id": "y"}]})
    with pytest.raises(InputError) as info:
        load_project(folder)
    (problem,) = info.value.problems
    assert (problem.field, problem.row, problem.got) == ("activity", 3, "nope")
    spec["id"] = "ok"
    folder = build(spec, {"participation": [{"activity": "a1", "firm_id": "x"}, {"activity": "a1", "firm_id": "x"}]}, folder="ok")
    assert list(load_project(folder).participation["firm_id"]) == ["x", "x"]


def test_header_only_firm_participation_and_survey_tables_are_no_data(load) -> None:
    """firms, participation and survey tables with a header and no rows load as None (no data), like absent tables."""
    tables = {
        "firms": "firm_id,year,employees,participant\n",
        "participation": "activity,firm_id\n",
        "survey": "wave,respondent,item,answer\n",
        "survey_invited": "wave,invited\nw1,10\n",
    }
    project = load(None, tables)
    assert project.firms is None and project.participation is None and project.survey is None
    assert project.survey_invited is not None and len(project.survey_invited) == 1


# --------------------------------------------------------------------------- what was read


@pytest.fixture
def home_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project home at tmp_path/home (EVALUATION_HOME) with the minimal project in data/mini."""
    home = tmp_path / "home"
    monkeypatch.setenv("EVALUATION_HOME", str(home))
    write_project(home / "data", minimal_spec(), {"indicator_values": [values_row()]})
    return home


def test_loader_records_the_hash_of_every_file_it_parsed(home_data: Path) -> None:
    """input_hashes holds each file read, named relative to the home, with the sha256 of the bytes parsed."""
    import hashlib

    project = load_project("mini")
    folder = home_data / "data" / "mini"
    assert dict(project.input_hashes) == {
        f"data/mini/{name}": hashlib.sha256((folder / name).read_bytes()).hexdigest()
        for name in ("indicator_values.csv", "project.yaml")
    }


def test_a_linked_table_is_named_by_its_place_in_the_project(home_data: Path, tmp_path: Path) -> None:
    """A table that is a symbolic link to a file elsewhere is named data/<id>/<table> in problems and hashes, never by its target."""
    elsewhere = tmp_path / "secret" / "place"
    elsewhere.mkdir(parents=True)
    folder = home_data / "data" / "mini"
    target = elsewhere / "values.csv"
    target.write_bytes((folder / "indicator_values.csv").read_bytes())
    (folder / "indicator_values.csv").unlink()
    (folder / "indicator_values.csv").symlink_to(target)
    assert "data/mini/indicator_values.csv" in dict(load_project("mini").input_hashes)
    target.write_text("indicator,period_end,value,status,source\nout1,2024-12-31,x,verified,src\n", encoding="utf-8")
    problems = problems_of(lambda: load_project("mini"))
    assert [p.file for p in problems] == ["data/mini/indicator_values.csv"]
    assert str(elsewhere) not in str(problems)


def test_a_workbook_formatted_to_the_last_cell_of_excel_loads(home_data: Path) -> None:
    """A project table as a 5 KB .xlsx formatted at XFD1048576 loads (only cells holding values are read)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    folder = home_data / "data" / "mini"
    path = folder / "indicator_values.xlsx"
    from conftest import write_table

    write_table(path, [values_row()])
    (folder / "indicator_values.csv").unlink()
    wb = load_workbook(path)
    wb.active["XFD1048576"].font = Font(bold=True)
    wb.save(path)
    assert [m.value for m in load_project("mini").indicator("out1").values] == [4.0]


def test_ratio_rows_carry_numerator_and_denominator(tmp_path: Path) -> None:
    """A ratio indicator's rows load numerator and denominator (value derived in per cent); other indicators reject them."""
    spec = minimal_spec()
    spec["indicators"][0].update(aggregation="ratio", unit="%")
    spec["indicators"][1].update(aggregation="level", maximum=7)
    rows = [{"indicator": "out1", "period_end": "2024-06-30", "value": None, "status": "verified", "source": "src",
             "numerator": 1, "denominator": 4},
            {"indicator": "res1", "period_end": "2024-06-30", "value": 3, "status": "verified", "source": "src"}]
    project = load_project(write_project(tmp_path, spec, {"indicator_values": rows}))
    m = project.indicators[0].values[0]
    assert (m.value, m.numerator, m.denominator) == (25.0, 1.0, 4.0)
    assert project.indicators[1].aggregation == "level" and project.indicators[1].maximum == 7
    bad = [dict(rows[0], denominator=None), dict(rows[1], numerator=2)]
    found = problems_of(lambda: load_project(write_project(tmp_path, spec, {"indicator_values": bad})))
    assert only(found, "denominator").row == 2 and only(found, "numerator").row == 3
