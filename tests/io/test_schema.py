"""Tests for evaluation.io.schema: the shape of project.yaml and how pydantic errors become Problems."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from conftest import minimal_spec
from pydantic import ValidationError

from evaluation.core.errors import Problem
from evaluation.io.schema import EffectLinkIn, IndicatorIn, ProjectIn, pydantic_problems
from evaluation.io.yamlio import line_map


def problems_for(data: dict[str, Any], text: str = "") -> list[Problem]:
    with pytest.raises(ValidationError) as info:
        ProjectIn.model_validate(data)
    return pydantic_problems(info.value, "project.yaml", line_map(text) if text else {})


def by_field(problems: list[Problem]) -> dict[str, Problem]:
    return {p.field: p for p in problems}


def test_minimal_spec_validates_with_defaults() -> None:
    """The minimal spec is valid; omitted keys take their documented defaults."""
    spec = ProjectIn.model_validate(minimal_spec())
    assert spec.start == date(2024, 1, 1)
    assert spec.budget.currency == "SEK" and spec.budget.tolerance == 0.005
    assert spec.data_status == "published" and spec.dates_status == "published"
    assert spec.indicators[0].aggregation == "cumulative"
    assert spec.partners == [] and spec.key_persons == []


def test_effect_link_reads_from_and_to() -> None:
    """Links are written with 'from'/'to' and exposed as source/target."""
    link = EffectLinkIn.model_validate({"from": "a", "to": "b"})
    assert (link.source, link.target, link.assumption) == ("a", "b", None)


def test_iso_date_strings_become_dates() -> None:
    """Quoted ISO dates are accepted as dates."""
    data = minimal_spec()
    data["start"] = "2024-01-01"
    assert ProjectIn.model_validate(data).start == date(2024, 1, 1)


def test_unknown_key_is_forbidden_everywhere() -> None:
    """Extra keys are rejected at the top level and in nested objects."""
    data = minimal_spec()
    data["budjet"] = {}
    data["indicators"][0]["target"]["datum"] = "2025"
    fields = by_field(problems_for(data))
    assert set(fields) == {"budjet", "indicators[0].target.datum"}
    assert fields["budjet"].expectation == "a known key (did you mean 'budget'?)"
    assert fields["indicators[0].target.datum"].expectation == "a known key (this one is not part of the format)"


def test_problem_rows_come_from_the_line_map() -> None:
    """Each problem carries the line of its key (or of the nearest parent for a missing key)."""
    text = "id: mini\nname: n\nfund: EU\nprogramme: p\nstart: 2024-01-01\nend: 2024-12-31\nevaluation:\n  evaluator: x\n"
    fields = by_field(problems_for(yaml.safe_load(text), text))
    assert fields["fund"].row == 3
    assert fields["evaluation.form"].row == 7
    assert fields["evaluation.form"].expectation == "present"


@pytest.mark.parametrize(
    ("path", "value", "field", "expectation"),
    [
        (("fund",), "EU", "fund", "one of 'ERUF', 'ESF+', 'Interreg', 'national', 'regional' or 'municipal'"),
        (("id",), "NIS60", "id", "text matching ^[a-z][a-z0-9_]*$"),
        (("start",), "2024-13-01", "start", "a date written YYYY-MM-DD"),
        (("budget", "tolerance"), 2, "budget.tolerance", "less than or equal to 1"),
        (("budget", "total"), "16 miljoner", "budget.total", "a number"),
        (("goal_tree",), "og", "goal_tree", "a list"),
        (("evaluation", "form"), "intern", "evaluation.form", "one of 'self' or 'external'"),
        (("financiers", 0, "kind"), "kommun", "financiers[0].kind", "one of 'eu', 'state', 'region', 'municipality', 'private' or 'other'"),
        (("financiers", 0, "in_kind"), "kanske", "financiers[0].in_kind", "true or false"),
        (("indicators", 0, "level"), "result", "indicators[0].level", "one of 'activity', 'output', 'short_term' or 'long_term'"),
        (("indicators", 0, "aggregation"), "sum", "indicators[0].aggregation", "one of 'cumulative', 'per_period', 'level' or 'ratio'"),
        (("indicators", 0, "code"), "RC01", "indicators[0].code", r"text matching ^(RCO|RCR|EECO|EECR|PSO|PSR)\d{2,3}$"),
        (("horizontal", 0, "criterion"), "equality", "horizontal[0].criterion", "one of 'gender_equality', 'equal_opportunities' or 'sustainable_development'"),
        (("goal_tree", 0, "level"), "main", "goal_tree[0].level", "one of 'overall', 'project', 'sub' or 'activity'"),
        (("name",), 123, "name", "text"),
    ],
)
def test_type_problems_name_field_expectation_and_value(path: tuple[Any, ...], value: Any, field: str, expectation: str) -> None:
    """A wrong value is one problem with the dotted field, a readable expectation and the value found."""
    data = minimal_spec()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    (p,) = problems_for(data)
    assert (p.field, p.expectation, p.got) == (field, expectation, value)


def test_container_values_are_shown_by_type_name() -> None:
    """When a mapping or list is found where text was expected, 'got' names its type."""
    data = minimal_spec()
    data["name"] = {"sv": "x"}
    (p,) = problems_for(data)
    assert p.got == "dict"


def test_valid_eu_codes() -> None:
    """Output and result codes of ERUF/ESF+ (RCO01, RCR01, EECO01, EECR01, PSO01, PSR01) are accepted."""
    for code in ("RCO01", "RCR01", "EECO01", "EECR01", "PSO01", "PSR01"):
        ind = IndicatorIn.model_validate({"id": "i", "name": "n", "level": "output", "code": code})
        assert ind.code == code


def test_all_problems_of_a_document_are_listed() -> None:
    """pydantic_problems lists every error of the document, not only the first."""
    data = minimal_spec()
    data["fund"] = "EU"
    data["end"] = "snart"
    del data["programme"]
    assert sorted(p.field for p in problems_for(data)) == ["end", "fund", "programme"]
