"""Tests for evaluation.review.coherence: the "röd tråd" score, its components, a component with
nothing to test left out, the example projects, and the component labels in the reader's language."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from conftest import minimal_spec

from evaluation.core.model import Project
from evaluation.review.checks import raw_findings
from evaluation.review.coherence import coherence_score, coherence_value

Mutator = Callable[[dict[str, Any]], None]

_LOADED: dict[str, Project] = {}  # projects are frozen: equal inputs can share one load


@pytest.fixture
def project_of(load: Callable[..., Project]) -> Callable[..., Project]:
    """``project_of(mutate=None, tables=None)``: the minimal project, mutated, loaded."""

    def _project(mutate: Mutator | None = None, tables: dict[str, Any] | None = None) -> Project:
        spec = minimal_spec()
        if mutate is not None:
            mutate(spec)
        key = repr((spec, tables))
        if key not in _LOADED:
            _LOADED[key] = load(spec, tables)
        return _LOADED[key]

    return _project


def test_coherence_perfect_minimal_project_is_100(project_of: Callable[..., Project]) -> None:
    """Every component of the minimal project passes: score 100, with the item counts shown."""
    coherence = coherence_score(project_of())
    assert coherence.score == 100.0
    frame = coherence.components
    assert frame["component"].tolist() == [
        "activities_linked", "goals_with_activity", "goals_measured", "links_with_assumption", "chain_carried_forward", "indicators_complete",
    ]
    assert frame["n"].tolist() == [1, 2, 1, 3, 3, 2]
    assert frame["share"].tolist() == [1.0] * 6


def test_coherence_one_link_without_assumption(project_of: Callable[..., Project]) -> None:
    """One of three links without assumption: mean(1, 1, 1, 2/3, 1, 1) * 100 = 94.4."""
    coherence = coherence_score(project_of(lambda s: s["effect_logic"]["links"][1].update(assumption=None)))
    assert coherence.score == 94.4
    assert coherence.components.set_index("component").loc["links_with_assumption", "share"] == pytest.approx(2 / 3)


def test_coherence_one_incomplete_indicator(project_of: Callable[..., Project]) -> None:
    """One of two indicators without source: mean(1, 1, 1, 1, 1, 1/2) * 100 = 91.7."""
    assert coherence_score(project_of(lambda s: s["indicators"][0].update(source=None))).score == 91.7


def test_coherence_component_without_items_is_left_out(project_of: Callable[..., Project]) -> None:
    """With no indicators the indicator component is NaN and left out: mean(1, 1, 0, 1, 1) * 100 = 80."""
    def no_indicators(s: dict[str, Any]) -> None:
        s["indicators"] = []
        for h in s["horizontal"]:
            h["indicators"] = []

    coherence = coherence_score(project_of(no_indicators))
    assert coherence.score == 80.0
    shares = coherence.components.set_index("component")["share"]
    assert math.isnan(shares["indicators_complete"]) and shares["goals_measured"] == 0.0


def test_coherence_of_examples(examples: dict[str, Project]) -> None:
    """NIS 6.0 loses points for unmeasured goals (4 of 8) and incomplete indicators (2 of 5)."""
    coherence = coherence_score(examples["nis60"])
    shares = coherence.components.set_index("component")["share"]
    assert shares["goals_measured"] == 0.5 and shares["indicators_complete"] == 0.4
    assert coherence.score == round((1 + 1 + 0.5 + 1 + 1 + 0.4) / 6 * 100, 1) == 81.7


def test_component_labels_in_the_readers_language(project_of: Callable[..., Project]) -> None:
    """table(lang) shows each component's label in the chosen language, with its share and count."""
    coherence = coherence_score(project_of())
    sv, en = coherence.table("sv"), coherence.table("en")
    assert list(sv.columns) == ["label", "share", "n"]
    assert sv["label"].tolist()[0] == "Aktiviteter kopplade till ett mål"
    assert en["label"].tolist()[-1] == "Indicators with baseline, target, unit and source"
    assert en["share"].tolist() == coherence.components["share"].tolist()


def test_coherence_value_is_the_score_alone(project_of: Callable[..., Project]) -> None:
    """coherence_value gives coherence_score's score: 94.4 with one link of three without assumption, 100 without."""
    one_missing = project_of(lambda s: s["effect_logic"]["links"][1].update(assumption=None))
    assert coherence_value(one_missing) == coherence_score(one_missing).score == 94.4
    assert coherence_value(project_of()) == 100.0


def test_coherence_value_from_the_checks_findings(project_of: Callable[..., Project], examples: dict[str, Project]) -> None:
    """coherence_value with raw_findings (as review_project passes them) is the score without: the example projects,
    a project with no indicators (goals unmeasured, 80.0), one with a link without assumption (94.4)."""
    def no_indicators(s: dict[str, Any]) -> None:
        s["indicators"] = []
        for h in s["horizontal"]:
            h["indicators"] = []

    unmeasured = project_of(no_indicators)
    assert coherence_value(unmeasured, raw_findings(unmeasured)) == coherence_value(unmeasured) == 80.0
    one_missing = project_of(lambda s: s["effect_logic"]["links"][1].update(assumption=None))
    assert coherence_value(one_missing, raw_findings(one_missing)) == 94.4
    for project in examples.values():
        assert coherence_value(project, raw_findings(project)) == coherence_score(project).score
    assert coherence_value(examples["nis60"], raw_findings(examples["nis60"])) == 81.7
