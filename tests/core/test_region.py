"""Tests for evaluation.core.region: strategy look-ups, keys, and a key's illustrative inputs making a project illustrative."""

from __future__ import annotations

from datetime import date

import pytest

from evaluation.core.model import Project
from evaluation.core.region import CofinancingKey, EffectGoal, KeyParty, PriorityArea, Programme, Region, Strategy

RUS = Strategy("RUS 2020-2030", "2020-2030", "prot", (
    PriorityArea("a", "Område A", (EffectGoal("g1", "Mål 1"), EffectGoal("g2", "Mål 2"))),
    PriorityArea("b", "Område B", (EffectGoal("g3", "Mål 3"),)),
    PriorityArea("c", "Område C"),
))


def test_strategy_lookups() -> None:
    """Goal ids in area order; a goal's area; an unknown id is a KeyError."""
    assert RUS.goal_ids() == ("g1", "g2", "g3")
    assert RUS.effect_goal("g3").statement == "Mål 3"
    assert RUS.area_of("g2").id == "a"
    with pytest.raises(KeyError):
        RUS.effect_goal("g9")


def test_region_programme_and_source_lookups() -> None:
    """A region finds its programmes by id; an unknown source id gives None."""
    region = Region("r", "Region R", RUS, (Programme("p", "Program P", "ERUF", "2021-2027"),))
    assert region.programme("p").fund == "ERUF"
    assert region.source("nope") is None


def test_illustrative_key_input_makes_the_project_illustrative() -> None:
    """A project whose only illustrative data is a key party's population is illustrative."""
    key = CofinancingKey("k", 100, "population", (KeyParty("A", input=1, data_status="illustrative"), KeyParty("B", input=1)))
    base = Project(id="p", name="P", fund="regional", programme="x", owner=None, start=date(2023, 1, 1), end=date(2024, 1, 1))
    assert base.is_illustrative() is False
    assert Project(**{**base.__dict__, "cofinancing": (key,)}).is_illustrative() is True
    assert key.party("B").input == 1
