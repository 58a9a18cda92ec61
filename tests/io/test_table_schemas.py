"""Tests for evaluation.io.table_schemas: one schema per table, every rule with its full message.

Each rule is pinned through the loader (so through ``validate``, ``import`` and ``report``) with
one bad row; a table with several bad rows reports them all at once (lazy validation); good
tables pass; the survey schemas give the same messages through ``validate_survey``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis.surveys import validate_survey
from evaluation.core.errors import InputError, ProblemCollector
from evaluation.io import table_schemas
from evaluation.io.loader import load_project

IV = {"indicator": "out1", "period_end": "2024-06-30", "status": "verified", "source": "src"}
FIRM = {"firm_id": "f1", "year": 2023, "employees": 3, "turnover": 10, "participant": "yes", "participation_start": 2023}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An EVALUATION_HOME in which files are shown as data/mini/<table>.csv."""
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def problems_of(home: Path, tables: dict[str, Any], mutate: Callable[[dict[str, Any]], None] | None = None) -> list[str]:
    """The messages load_project raises for a minimal project with ``tables`` (none: [])."""
    spec = minimal_spec()
    if mutate is not None:
        mutate(spec)
    folder = write_project(home / "data", spec, tables, folder="mini")
    try:
        load_project(folder)
    except InputError as exc:
        return [p.message() for p in exc.problems]
    return []


def percent(spec: dict[str, Any], maximum: float | None = None) -> None:
    spec["indicators"][0]["unit"] = "%"
    if maximum is not None:
        spec["indicators"][0]["maximum"] = maximum


def survey(*answers: tuple[str, str, str, Any]) -> list[dict[str, Any]]:
    return [{"wave": w, "respondent": r, "item": i, "answer": a} for w, r, i, a in answers]


INVITED = [{"wave": "w1", "invited": 10}]

CASES: list[tuple[str, dict[str, Any], Callable[[dict[str, Any]], None] | None, str]] = [
    ("share above 100 %", {"indicator_values": [{**IV, "value": 143}]}, percent,
     "'value' in data/mini/indicator_values.csv row 2 must be a share from 0 to 100 % (indicator out1 is measured in %) (got 143)"),
    ("negative share", {"indicator_values": [{**IV, "value": -1.5}]}, percent,
     "'value' in data/mini/indicator_values.csv row 2 must be a share from 0 to 100 % (indicator out1 is measured in %) (got -1.5)"),
    ("share above a stated maximum", {"indicator_values": [{**IV, "value": 600}]}, lambda s: percent(s, 500),
     "'value' in data/mini/indicator_values.csv row 2 must be at most the indicator's maximum 500 (indicator out1) (got 600)"),
    ("negative cost budget", {"costs": [{"category": "Personal", "budget": -5, "outcome": 1}]}, None,
     "'budget' in data/mini/costs.csv row 2 must be a number >= 0 (got -5)"),
    ("negative activity count", {"activities": [{"activity": "a1", "period_end": "2024-06-30", "count": 2, "women": -1}]}, None,
     "'women' in data/mini/activities.csv row 2 must be a count >= 0 (got -1)"),
    ("negative funnel count", {"funnel": [{"order": 1, "stage": "Kontakt", "count": -2}]}, None,
     "'count' in data/mini/funnel.csv row 2 must be a count >= 0 (got -2)"),
    ("firm year out of range", {"firms": [{**FIRM, "year": 3022}]}, None,
     "'year' in data/mini/firms.csv row 2 must be an integer year between 1900 and 2100 (got 3022)"),
    ("negative employees", {"firms": [{**FIRM, "employees": -3}]}, None,
     "'employees' in data/mini/firms.csv row 2 must be a count >= 0 (got -3)"),
    ("negative turnover", {"firms": [{**FIRM, "turnover": -10}]}, None,
     "'turnover' in data/mini/firms.csv row 2 must be a number >= 0 or empty (got -10)"),
    ("participation start out of range", {"firms": [{**FIRM, "participation_start": 2}]}, None,
     "'participation_start' in data/mini/firms.csv row 2 must be an integer year between 1900 and 2100 or empty (got 2)"),
    ("participant flag changes within a firm", {"firms": [{**FIRM, "participation_start": ""}, {**FIRM, "year": 2024, "participant": "no", "participation_start": ""}]},
     None, "'participant' in data/mini/firms.csv row 3 must be the same on every row of a firm (as on the firm's first row) (got 'no')"),
    ("participation start changes within a firm", {"firms": [FIRM, {**FIRM, "year": 2024, "participation_start": 2024}]}, None,
     "'participation_start' in data/mini/firms.csv row 3 must be the same on every row of a firm (as on the firm's first row) "
     "(got 2024)"),
    ("comparison firm with a participation start", {"firms": [{**FIRM, "participant": "no"}]}, None,
     "'participation_start' in data/mini/firms.csv row 2 must be empty for a comparison firm (participant false) (got 2023)"),
    ("survey answer off the scale", {"survey": survey(("w1", "r1", "q1", 9)), "survey_invited": INVITED}, None,
     "'answer' in data/mini/survey.csv row 2 must be an integer in [1, 2, 3, 4, 5] or a text category (got 9)"),
    ("item answered with numbers and text",
     {"survey": survey(("w1", "r1", "q1", 4), ("w1", "r2", "q1", 5), ("w1", "r3", "q1", "ja")), "survey_invited": INVITED}, None,
     "'answer' in data/mini/survey.csv row 4 must be of the same kind as the other answers to item 'q1' (numbers) (got 'ja')"),
    ("responding wave not invited", {"survey": survey(("w1", "r1", "q1", 4), ("w2", "r1", "q1", 4), ("w2", "r2", "q1", 4)),
                                     "survey_invited": INVITED}, None,
     "'wave' in data/mini/survey.csv row 3 must be a wave listed in survey_invited (got 'w2')"),
    ("wave invited twice", {"survey": survey(("w1", "r1", "q1", 4)), "survey_invited": [*INVITED, {"wave": "w1", "invited": 12}]}, None,
     "'wave' in data/mini/survey_invited.csv row 3 must be listed once (got 'w1')"),
    ("fewer invited than respondents", {"survey": survey(*[("w1", f"r{i}", "q1", 4) for i in range(3)]),
                                        "survey_invited": [{"wave": "w1", "invited": 2}]}, None,
     "'invited' in data/mini/survey_invited.csv row 2 must be at least the number of respondents in wave 'w1' (3) (got 2)"),
    ("negative invited", {"survey": survey(("w1", "r1", "q1", 4)), "survey_invited": [{"wave": "w1", "invited": -10}]}, None,
     "'invited' in data/mini/survey_invited.csv row 2 must be a count >= 0 (got -10)"),
    ("negative financing amount", {"financing": [{"name": "EU", "kind": "eu", "amount": -5}]}, lambda s: s.__setitem__("financiers", []),
     "'amount' in data/mini/financing.csv row 2 must be a number >= 0 (got -5)"),
    ("negative payment", {"payments": [{"date": "2024-06-30", "financier": "EU", "amount": -5}]}, None,
     "'amount' in data/mini/payments.csv row 2 must be a number >= 0 (got -5)"),
]


@pytest.mark.parametrize(("tables", "mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_gives_its_message(home: Path, tables: dict[str, Any], mutate: Any, message: str) -> None:
    """One bad row breaks one rule of its table's schema: exactly one problem, with the full message."""
    assert problems_of(home, tables, mutate) == [message]


def test_good_tables_pass(home: Path) -> None:
    """A project whose every table keeps its schema's rules loads without a problem."""
    tables = {
        "indicator_values": [{**IV, "value": 43.5}, {**IV, "indicator": "res1", "value": 250}],
        "costs": [{"category": "Personal", "budget": 0, "outcome": 1}],
        "activities": [{"activity": "a1", "period_end": "2024-06-30", "count": 2, "women": 1, "men": 1}],
        "funnel": [{"order": 1, "stage": "Kontakt", "count": 0}],
        "firms": [FIRM, {**FIRM, "year": 2024},
                  {**FIRM, "firm_id": "f2", "participant": "no", "participation_start": ""},
                  {**FIRM, "firm_id": "f3", "year": 1900, "participation_start": "", "turnover": ""}],
        "participation": [{"activity": "a1", "firm_id": "f1"}],
        "survey": survey(("w1", "r1", "q1", 5), ("w1", "r2", "q1", 1), ("w1", "r1", "kön", "kvinna"), ("w2", "r1", "q1", 3)),
        "survey_invited": [{"wave": "w1", "invited": 2}, {"wave": "w2", "invited": 1}],
        "payments": [{"date": "2024-06-30", "financier": "EU", "amount": 0}],
    }
    assert problems_of(home, tables, percent) == []


def test_all_problems_of_a_table_come_together(home: Path) -> None:
    """Lazy validation: every failing row of every rule of a table is reported in one error, in row order."""
    firms = [{**FIRM, "year": 3022}, {**FIRM, "year": 2024, "employees": -1, "participant": "no"},
             {**FIRM, "firm_id": "f2", "participant": "no", "turnover": -4}]
    assert problems_of(home, {"firms": firms}) == [
        "'year' in data/mini/firms.csv row 2 must be an integer year between 1900 and 2100 (got 3022)",
        "'employees' in data/mini/firms.csv row 3 must be a count >= 0 (got -1)",
        "'participant' in data/mini/firms.csv row 3 must be the same on every row of a firm (as on the firm's first row) (got 'no')",
        "'participation_start' in data/mini/firms.csv row 3 must be empty for a comparison firm (participant false) (got 2023)",
        "'turnover' in data/mini/firms.csv row 4 must be a number >= 0 or empty (got -4)",
        "'participation_start' in data/mini/firms.csv row 4 must be empty for a comparison firm (participant false) (got 2023)",
    ]


def test_problems_of_several_tables_come_together(home: Path) -> None:
    """A bad cost line and a bad funnel row are both reported by one load."""
    found = problems_of(home, {"costs": [{"category": "Personal", "budget": -5, "outcome": 1}],
                               "funnel": [{"order": 1, "stage": "Kontakt", "count": -2}]})
    assert found == ["'budget' in data/mini/costs.csv row 2 must be a number >= 0 (got -5)",
                     "'count' in data/mini/funnel.csv row 2 must be a count >= 0 (got -2)"]


def test_unparsable_cell_is_reported_once(home: Path) -> None:
    """A cell the column spec cannot parse is the parser's problem only; no schema rule repeats it."""
    found = problems_of(home, {"firms": [{**FIRM, "year": "tjugo"}]})
    assert len(found) == 1 and found[0].startswith("'year' in data/mini/firms.csv row 2 must be ")
    assert "between 1900 and 2100" not in found[0]


def test_uninvited_wave_reported_once_per_wave(home: Path) -> None:
    """Each responding wave missing from survey_invited is named once, at its first row."""
    found = problems_of(home, {"survey": survey(("w2", "r1", "q1", 4), ("w2", "r2", "q1", 4), ("w3", "r1", "q1", 4)),
                               "survey_invited": INVITED})
    assert found == ["'wave' in data/mini/survey.csv row 2 must be a wave listed in survey_invited (got 'w2')",
                     "'wave' in data/mini/survey.csv row 4 must be a wave listed in survey_invited (got 'w3')"]


def test_duplicate_answer_is_left_to_the_rule_book(home: Path) -> None:
    """A respondent answering an item twice loads (the review's stop check survey_duplicate_answer reports it)."""
    assert table_schemas.LEFT_TO_REVIEW == {"survey": ("one answer per respondent and item",)}
    assert problems_of(home, {"survey": survey(("w1", "r1", "q1", 4), ("w1", "r1", "q1", 5)), "survey_invited": INVITED}) == []


def test_validate_survey_uses_the_survey_schemas() -> None:
    """validate_survey gives the schema's messages, naming its own files and CSV rows (index + 2)."""
    responses = pd.DataFrame({"wave": ["w1", "w1", "w1", "w2"], "respondent": ["r1", "r1", "r2", "r1"],
                              "item": ["q1", "q1", "q1", "q1"], "answer": [4, 5, 7, 3]})
    invited = pd.DataFrame({"wave": ["w1", "w1"], "invited": [1, 1]})
    with pytest.raises(InputError) as info:
        validate_survey(responses, invited, file="svar.csv", invited_file="inbjudna.csv")
    assert [p.message() for p in info.value.problems] == [
        "'wave, respondent, item' in svar.csv row 3 must be unique (one answer per respondent and item) (got ('w1', 'r1', 'q1'))",
        "'answer' in svar.csv row 4 must be an integer in [1, 2, 3, 4, 5] or a text category (got 7)",
        "'wave' in svar.csv row 5 must be a wave listed in inbjudna.csv (got 'w2')",
        "'invited' in inbjudna.csv row 2 must be at least the number of respondents in wave 'w1' (2) (got 1)",
        "'wave' in inbjudna.csv row 3 must be listed once (got 'w1')",
        "'invited' in inbjudna.csv row 3 must be at least the number of respondents in wave 'w1' (2) (got 1)",
    ]


def test_schema_on_a_frame_indexed_by_file_rows() -> None:
    """A schema applied to a frame names the row by the frame's index (the row as the file shows it)."""
    frame = table_schemas.table_frame([{"_row": 7, "_failed": set(), "budget": -2.0}], ["budget"])
    problems = ProblemCollector()
    table_schemas.schemas()["costs"].problems(frame, "costs.xlsx", problems)
    assert [p.message() for p in problems.problems] == ["'budget' in costs.xlsx row 7 must be a number >= 0 (got -2)"]


def test_every_table_has_a_schema() -> None:
    """The ten tables of a project folder each have one schema."""
    assert set(table_schemas.schemas()) == set(table_schemas.SCHEMAS) == {
        "indicator_values", "costs", "activities", "funnel", "firms", "participation", "survey", "survey_invited",
        "financing", "payments"}


def test_schema_is_a_pandera_schema_validated_lazily() -> None:
    """Each table's checks form a pandera DataFrameSchema; lazy validation returns every failure case at once."""
    import pandera.pandas as pa

    schema = table_schemas.schemas()["firms"].schema
    assert isinstance(schema, pa.DataFrameSchema)
    frame = table_schemas.table_frame([{"_row": 2, "_failed": set(), "firm_id": "f1", "year": 3022, "employees": -1}],
                                      ["firm_id", "year", "employees"])
    with pytest.raises(pa.errors.SchemaErrors) as info:
        schema.validate(frame, lazy=True)
    assert sorted(info.value.failure_cases["check"]) == ["employees >= 0", "year range"]
