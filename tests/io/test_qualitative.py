"""Tests for evaluation.io.qualitative: the dissemination, interviews, excerpts and themes tables
as the loader reads them, and every problem named with file, row, field, expectation and value."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from conftest import Builder

from evaluation.core.errors import InputError, Problem
from evaluation.core.model import Project
from evaluation.io.loader import load_project

DISSEMINATION = [
    {"id": "d1", "date": "2024-05-02", "channel": "conference", "audience": "Regionens näringslivsfrämjare",
     "title": "Presentation på konferens", "reach": "120", "source": "src", "data_status": "published"},
    {"id": "d2", "date": "2025-01", "channel": "media", "audience": "Allmänheten", "title": "Artikel i lokaltidningen",
     "reach": "", "source": "src", "data_status": "published"},
]
INTERVIEWS = [
    {"id": "i1", "date": "2024-10-01", "group": "project_manager", "role": "Projektledare", "method": "individual",
     "consent_to_quote": "ja", "data_status": "illustrative"},
    {"id": "i2", "date": "2024-10-02", "group": "participating_firm", "role": "VD", "method": "phone",
     "consent_to_quote": "nej", "data_status": "illustrative"},
]
EXCERPTS = [
    {"interview": "i1", "theme": "networks", "stance": "positive", "excerpt": "Nätverken har gett mycket."},
    {"interview": "i2", "theme": "networks", "stance": "negative", "excerpt": "Träffarna låg fel i tid."},
]
THEMES = [{"code": "networks", "label": "Nätverk"}]


def tables(**changes: Any) -> dict[str, Any]:
    """The four valid tables, with any of them replaced."""
    out: dict[str, Any] = {"dissemination": DISSEMINATION, "interviews": INTERVIEWS, "excerpts": EXCERPTS, "themes": THEMES}
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def problems_of(run: Callable[[], Any]) -> tuple[Problem, ...]:
    with pytest.raises(InputError) as info:
        run()
    return info.value.problems


def one(build: Builder, field: str, **changes: Any) -> Problem:
    folder = build(None, tables(**changes))
    hits = [p for p in problems_of(lambda: load_project(folder)) if p.field == field]
    assert len(hits) == 1, hits
    return hits[0]


def test_the_four_tables_load_into_the_model(load: Callable[..., Project]) -> None:
    """Each table becomes its model objects: dates, reach None when empty, consent as a bool, theme labels."""
    p = load(None, tables())
    assert [d.id for d in p.dissemination] == ["d1", "d2"]
    assert p.dissemination[0].reach == 120.0 and p.dissemination[0].date == date(2024, 5, 2)
    assert p.dissemination[1].reach is None and p.dissemination[1].date == date(2025, 1, 31)
    assert [(i.id, i.group, i.consent_to_quote) for i in p.interviews] == [("i1", "project_manager", True),
                                                                          ("i2", "participating_firm", False)]
    assert [(e.interview, e.theme, e.stance) for e in p.excerpts] == [("i1", "networks", "positive"), ("i2", "networks", "negative")]
    assert p.themes[0].label == "Nätverk"
    assert any(f.name == "interviews.csv" for f in p.files)


def test_without_the_tables_the_fields_are_empty(load: Callable[..., Project]) -> None:
    """A project with none of the tables has empty qualitative fields."""
    p = load()
    assert p.dissemination == () and p.interviews == () and p.excerpts == () and p.themes == ()


def test_illustrative_interviews_make_the_project_illustrative(load: Callable[..., Project]) -> None:
    """Interviews marked illustrative count as illustrative data (the report's banner)."""
    assert load(None, tables()).is_illustrative()
    published = [{**r, "data_status": "published"} for r in INTERVIEWS]
    assert not load(None, tables(interviews=published)).is_illustrative()


def test_an_unknown_interview_in_excerpts_is_named(build: Builder) -> None:
    """An excerpt naming an interview that is not in the interviews table: file, row, field and value."""
    bad = [*EXCERPTS, {"interview": "i9", "theme": "networks", "stance": "neutral", "excerpt": ""}]
    p = one(build, "interview", excerpts=bad)
    assert (p.file.endswith("excerpts.csv"), p.row, p.got) == (True, 4, "i9")
    assert "interview" in p.expectation


def test_a_name_column_is_refused_with_a_clear_message(build: Builder) -> None:
    """A `name` column in interviews is refused: interviews never hold a person's name."""
    named = [{**r, "name": "Anna Andersson"} for r in INTERVIEWS]
    p = one(build, "name", interviews=named)
    assert p.file.endswith("interviews.csv") and p.row == 1
    assert "person's name" in p.expectation
    assert "Anna" not in p.message()


@pytest.mark.parametrize(("table", "column", "value", "expect"), [
    ("interviews", "group", "journalist", "one of project_manager"),
    ("interviews", "consent_to_quote", "kanske", "yes or no"),
    ("interviews", "method", "letter", "one of individual"),
    ("interviews", "date", "31.10.2024", "a date"),
    ("excerpts", "stance", "great", "one of positive, neutral, negative"),
    ("dissemination", "date", "2024/05/02", "a date"),
    ("dissemination", "channel", "carrier pigeon", "one of conference"),
    ("dissemination", "reach", "many", "a number"),
])
def test_bad_values_are_named(build: Builder, table: str, column: str, value: str, expect: str) -> None:
    """A bad cell is one problem naming file, row 3 (the second data row), the field, the expectation and the value."""
    rows = {"interviews": INTERVIEWS, "excerpts": EXCERPTS, "dissemination": DISSEMINATION}[table]
    bad = [rows[0], {**rows[1], column: value}]
    p = one(build, column, **{table: bad})
    assert p.file.endswith(f"{table}.csv") and p.row == 3 and p.got == value
    assert p.expectation.startswith(expect)


def test_negative_reach_is_refused(build: Builder) -> None:
    """Reach is a count >= 0; empty is not reported."""
    p = one(build, "reach", dissemination=[DISSEMINATION[0], {**DISSEMINATION[1], "reach": "-3"}])
    assert (p.row, p.got) == (3, -3) and "not reported" in p.expectation


def test_repeated_ids_are_refused(build: Builder) -> None:
    """An interview id used twice names the row that had it first."""
    p = one(build, "id", interviews=[INTERVIEWS[0], {**INTERVIEWS[1], "id": "i1"}])
    assert (p.row, p.got) == (3, "i1") and "row 2" in p.expectation


def test_an_excerpt_theme_missing_from_the_themes_table_is_named(build: Builder) -> None:
    """With a themes table, every excerpt's theme must be one of its codes."""
    p = one(build, "theme", excerpts=[EXCERPTS[0], {**EXCERPTS[1], "theme": "ghost"}])
    assert (p.row, p.got) == (3, "ghost")


def test_all_problems_are_collected_at_once(build: Builder) -> None:
    """Problems in several tables come in one InputError."""
    folder = build(None, tables(interviews=[{**INTERVIEWS[0], "group": "x"}, INTERVIEWS[1]],
                                dissemination=[{**DISSEMINATION[0], "reach": "-1"}]))
    fields = {p.field for p in problems_of(lambda: load_project(folder))}
    assert {"group", "reach"} <= fields
