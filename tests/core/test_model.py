"""Tests for evaluation.core.model: navigation of the goal tree and effect chain, indicator values,
financing totals, frozen objects and the illustrative-data flag."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from evaluation.core.model import (
    CRITERIA,
    EFFECT_LEVELS,
    GOAL_LEVELS,
    ActivityRecord,
    Budget,
    CostLine,
    EffectChain,
    EffectLink,
    EffectNode,
    Financier,
    FunnelStage,
    GoalNode,
    GoalTree,
    Indicator,
    Measurement,
    Project,
    WorkPackage,
)

TREE = GoalTree(
    (
        GoalNode("og", "overall", "O"),
        GoalNode("pg1", "project", "P1", parent="og"),
        GoalNode("pg2", "project", "P2", parent="og"),
        GoalNode("sg1", "sub", "S1", parent="pg1"),
        GoalNode("a1", "activity", "A1", parent="sg1"),
        GoalNode("a2", "activity", "A2", parent="pg2"),
    )
)
CHAIN = EffectChain(
    nodes=(EffectNode("e_a", "activity", "A"), EffectNode("e_o", "output", "O"), EffectNode("e_s", "short_term", "S")),
    links=(EffectLink("e_a", "e_o", "x"), EffectLink("e_o", "e_s"), EffectLink("e_a", "e_s")),
)


def measurement(day: date, value: float | None, **kw: Any) -> Measurement:
    status = "not_reported" if value is None else "verified"
    return Measurement(indicator="i", period_end=day, value=value, status=status, source="s", **kw)


def indicator(values: tuple[Measurement, ...] = ()) -> Indicator:
    return Indicator(
        id="i", name="I", unit="st", level="output", measures=("pg1",), baseline_value=0, baseline_date=date(2024, 1, 1),
        target_value=10, target_date=date(2025, 12, 31), aggregation="cumulative", values=values,
    )


def project(**kw: Any) -> Project:
    base: dict[str, Any] = dict(id="p", name="P", fund="ERUF", programme="x", owner=None, start=date(2024, 1, 1), end=date(2025, 12, 31))
    base.update(kw)
    return Project(**base)


def test_closed_sets() -> None:
    """The level and criterion tuples list the closed sets in their documented order."""
    assert GOAL_LEVELS == ("overall", "project", "sub", "activity")
    assert EFFECT_LEVELS == ("activity", "output", "short_term", "long_term")
    assert CRITERIA == ("gender_equality", "equal_opportunities", "sustainable_development")


def test_goal_tree_navigation() -> None:
    """node, ids, children and by_level find nodes; an unknown id raises KeyError."""
    assert TREE.node("sg1").parent == "pg1"
    assert TREE.ids() == ("og", "pg1", "pg2", "sg1", "a1", "a2")
    assert [n.id for n in TREE.children("og")] == ["pg1", "pg2"]
    assert [n.id for n in TREE.by_level("activity")] == ["a1", "a2"]
    with pytest.raises(KeyError):
        TREE.node("zz")


def test_descendants_breadth_first() -> None:
    """descendants() lists every node below, nearest first."""
    assert [n.id for n in TREE.descendants("og")] == ["pg1", "pg2", "sg1", "a2", "a1"]
    assert TREE.descendants("a1") == ()


def test_descendants_safe_on_cycles() -> None:
    """A cycle in the parent links does not loop forever and never lists the start node."""
    tree = GoalTree((GoalNode("x", "sub", "X", parent="y"), GoalNode("y", "sub", "Y", parent="x")))
    assert [n.id for n in tree.descendants("x")] == ["y"]


def test_effect_chain_navigation() -> None:
    """outgoing/incoming list the links leaving and entering a node; by_level filters nodes."""
    assert [(link.source, link.target) for link in CHAIN.outgoing("e_a")] == [("e_a", "e_o"), ("e_a", "e_s")]
    assert [link.source for link in CHAIN.incoming("e_s")] == ["e_o", "e_a"]
    assert CHAIN.incoming("e_a") == ()
    assert [n.id for n in CHAIN.by_level("output")] == ["e_o"]
    assert CHAIN.ids() == ("e_a", "e_o", "e_s")
    with pytest.raises(KeyError):
        CHAIN.node("nope")


def test_reported_skips_not_reported_and_sorts() -> None:
    """Indicator.reported() keeps only values that are not None, in period order."""
    ind = indicator((measurement(date(2025, 6, 30), 7), measurement(date(2024, 12, 31), None), measurement(date(2024, 6, 30), 3)))
    assert [m.value for m in ind.reported()] == [3, 7]


def test_values_frame_nan_for_not_reported() -> None:
    """values_frame() has NaN where a value or a gender part is not reported, rows in period order."""
    ind = indicator((measurement(date(2025, 6, 30), 7, women=4, men=3), measurement(date(2024, 12, 31), None)))
    frame = ind.values_frame()
    assert list(frame.columns) == ["period_end", "value", "status", "source", "data_status", "women", "men", "non_binary",
                                   "numerator", "denominator"]
    assert frame["period_end"].tolist() == [pd.Timestamp("2024-12-31"), pd.Timestamp("2025-06-30")]
    assert math.isnan(frame.loc[0, "value"]) and frame.loc[1, "value"] == 7.0
    assert frame.loc[1, "women"] == 4.0 and math.isnan(frame.loc[1, "non_binary"])
    assert frame["status"].tolist() == ["not_reported", "verified"]


def test_ratio_parts_and_maximum() -> None:
    """A ratio measurement carries numerator and denominator into values_frame(); "%" scales by 100; maximum defaults to None."""
    m = measurement(date(2024, 6, 30), 40.0, numerator=4.0, denominator=10.0)
    ind = dataclasses.replace(indicator((m,)), aggregation="ratio", unit="%", maximum=100.0)
    frame = ind.values_frame()
    assert (frame.loc[0, "numerator"], frame.loc[0, "denominator"]) == (4.0, 10.0)
    assert ind.ratio_scale() == 100.0 and ind.maximum == 100.0
    assert dataclasses.replace(ind, unit="företag").ratio_scale() == 1.0
    assert indicator().maximum is None and math.isnan(indicator((measurement(date(2024, 6, 30), 1),)).values_frame().loc[0, "numerator"])


def test_values_frame_empty_has_columns() -> None:
    """An indicator without values gives an empty frame with the same columns."""
    frame = indicator().values_frame()
    assert frame.empty and "value" in frame.columns


def test_measurement_parts() -> None:
    """gender() and size_classes() return the parts by name, None when not reported."""
    m = measurement(date(2024, 1, 1), 5, women=2, men=3, micro=5)
    assert m.gender() == {"women": 2, "men": 3, "non_binary": None}
    assert m.size_classes() == {"micro": 5, "small": None, "medium": None, "large": None}


def test_project_lookups() -> None:
    """indicator(), indicator_by_code() and work_package() find by id/code."""
    ind = dataclasses.replace(indicator(), code="RCO01")
    p = project(indicators=(ind,), work_packages=(WorkPackage("wp1", "W"),))
    assert p.indicator("i") is ind
    assert p.indicator_by_code("RCO01") is ind and p.indicator_by_code("RCR01") is None
    assert p.work_package("wp1").name == "W"
    with pytest.raises(KeyError):
        p.indicator("x")
    with pytest.raises(KeyError):
        p.work_package("wp2")


def test_financing_total_ignores_not_reported_and_none_when_nothing() -> None:
    """financing_total() sums reported amounts and is None (not 0) when none is reported."""
    assert project().financing_total() is None
    assert project(financiers=(Financier("A", "state"),)).financing_total() is None
    p = project(financiers=(Financier("A", "state", 7_735_351), Financier("B", "region", None), Financier("C", "region", 2_443_502)))
    assert p.financing_total() == 10_178_853.0


def test_defaults_are_empty_not_zero() -> None:
    """A bare Project has no budget figures (None), empty tree, chain and tuples."""
    p = project()
    assert p.budget.total is None and p.budget.outcome_total is None and p.budget.lines == ()
    assert p.goal_tree.nodes == () and p.effect_chain.links == ()
    assert p.evaluation_form == "external" and p.data_status == "published"


def test_objects_are_frozen() -> None:
    """Domain objects cannot be changed after construction."""
    p = project()
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.name = "Q"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        TREE.nodes[0].parent = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        indicator().target_value = 1  # type: ignore[misc]


def test_project_equality_ignores_folder_and_frames() -> None:
    """Projects compare on content, not on folder, files or the firm/survey frames."""
    a = project(folder=None, firms=pd.DataFrame({"x": [1]}))
    b = project(folder=None, firms=None)
    assert a == b
    assert project() != project(name="Q")


def test_not_illustrative_by_default() -> None:
    """A project whose parts are all published is not illustrative."""
    assert project().is_illustrative() is False


ILLUSTRATIVE: dict[str, Callable[[], dict[str, Any]]] = {
    "project": lambda: {"data_status": "illustrative"},
    "budget": lambda: {"budget": Budget(1, None, data_status="illustrative")},
    "financier": lambda: {"financiers": (Financier("A", "eu", 1, data_status="illustrative"),)},
    "measurement": lambda: {"indicators": (indicator((measurement(date(2024, 1, 1), 1, data_status="illustrative"),)),)},
    "activity": lambda: {"activities": (ActivityRecord("a1", date(2024, 1, 1), 1, data_status="illustrative"),)},
    "cost_line": lambda: {"budget": Budget(1, 1, lines=(CostLine("c", 1, 1, data_status="illustrative"),))},
    "firms": lambda: {"firms": pd.DataFrame({"data_status": ["published", "illustrative"]})},
    "survey": lambda: {"survey": pd.DataFrame({"data_status": ["illustrative"]})},
}


@pytest.mark.parametrize("part", sorted(ILLUSTRATIVE))
def test_is_illustrative_when_any_part_is(part: str) -> None:
    """One illustrative part (project, budget, financier, value, activity, cost line, firm, survey) marks the project."""
    assert project(**ILLUSTRATIVE[part]()).is_illustrative() is True


def test_is_illustrative_when_a_work_package_is() -> None:
    """An illustrative work-package budget marks the project as illustrative."""
    assert project(work_packages=(WorkPackage("wp1", "W", 1000, data_status="illustrative"),)).is_illustrative() is True


def test_is_illustrative_when_a_funnel_stage_is() -> None:
    """An illustrative funnel stage marks the project as illustrative."""
    assert project(funnel=(FunnelStage(1, "Kontakter", 100, data_status="illustrative"),)).is_illustrative() is True


def test_totals_are_none_unless_every_part_is_reported(examples) -> None:
    """Financing and cost-line totals exist only when every amount is reported (NIS 6.0 yes, NBA no)."""
    nis, nba = examples["nis60"], examples["nba"]
    assert nis.complete_financing_total() == 15477874 and nis.cost_lines_outcome() == 15470694
    assert nba.complete_financing_total() is None and nba.cost_lines_outcome() is None
