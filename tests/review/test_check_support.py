"""Tests for evaluation.review.check_support: the cheap helpers give what the straightforward code gives."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from evaluation.core.model import GoalNode, GoalTree
from evaluation.review.check_support import descendants_of, named_firms


def _named_plainly(firms: pd.DataFrame | None) -> list[tuple[object, object]]:
    """What checks._duplicates computed before check_support (every row through dict.fromkeys)."""
    if firms is None or firms.empty:
        return []
    return [(firm_id, name) for firm_id, name, blank in dict.fromkeys(zip(
        firms["firm_id"].tolist(), firms["name"].tolist(), firms["name"].isna().tolist())) if not blank and name != ""]


@pytest.mark.parametrize("names", [
    ["A AB", "A AB", "B AB", "B AB", "C AB"],
    ["A AB", None, None, "", "a ab"],
    ["A AB", float("nan"), "B AB", float("nan"), "A AB"],
    ["x", pd.NA, pd.NA, "y", "x"],
])
@pytest.mark.parametrize("dtype", ["str", "object"])
def test_named_firms_are_the_rows_first_distinct_pairs(names: list[object], dtype: str) -> None:
    """named_firms keeps each (id, name) once in first-row order and leaves out missing and empty names, for str
    and object columns (pd.NA included), as dict.fromkeys over every row did."""
    firms = pd.DataFrame({"firm_id": ["f1", "f1", "f2", "f2", "f3"], "name": pd.Series(names, dtype=dtype)})
    assert named_firms(firms) == _named_plainly(firms)


def test_named_firms_on_a_panel_and_edge_cases() -> None:
    """A panel (a row per firm and year, names changing back and forth) gives the plain pairs; empty and None give []."""
    rng = random.Random(3)
    ids = [f"f{rng.randint(0, 14):02d}" for _ in range(300)]
    names = [rng.choice(["Ett AB", "ett ab", "Två AB", "", None]) for _ in ids]
    firms = pd.DataFrame({"firm_id": ids, "name": pd.Series(names, dtype="str")}).sort_values("firm_id", kind="stable")
    assert named_firms(firms) == _named_plainly(firms) and len(named_firms(firms)) > 15
    assert named_firms(pd.DataFrame({"firm_id": [101, 101, 102], "name": ["X", "X", "Y"]})) == [(101, "X"), (102, "Y")]
    assert named_firms(pd.DataFrame({"firm_id": ["f1"], "name": ["Solo AB"]})) == [("f1", "Solo AB")]
    assert named_firms(pd.DataFrame(columns=["firm_id", "name"])) == [] and named_firms(None) == []


def test_descendants_of_is_goal_tree_descendants() -> None:
    """On 500 random goal trees (cycles, self-parents, repeated ids, unknown parents) descendants_of gives
    GoalTree.descendants for every id: the same nodes in the same order."""
    rng = random.Random(7)
    levels = ("overall", "project", "sub", "activity")
    compared = 0
    for _ in range(500):
        ids = [f"g{rng.randint(0, 6)}" for _ in range(rng.randint(0, 9))]
        nodes = tuple(GoalNode(id=i, level=rng.choice(levels), statement=i,  # type: ignore[arg-type]
                               parent=rng.choice([None, "g9", *ids]) if ids else None) for i in ids)
        tree = GoalTree(nodes)
        below = descendants_of(tree)
        for node_id in [*ids, "g9", "nowhere"]:
            assert below(node_id) == tree.descendants(node_id)
            compared += bool(tree.descendants(node_id))
    assert compared > 500

