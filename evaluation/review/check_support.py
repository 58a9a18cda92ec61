"""Cheap helpers for :mod:`evaluation.review.checks`: the same answers with less work for the common case.

A portfolio checks every project of a region (issue 14), so the checks' fixed costs count: a goal
tree's descendants found node by node, and a firm panel (a row per firm and year) walked row by row
for the few distinct (firm, name) pairs. Each helper here gives exactly what the
straightforward code gives; tests/review/test_check_support.py pins that.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
import pandas as pd

from evaluation.core.model import GoalNode, GoalTree

__all__ = ["descendants_of", "named_firms"]


def named_firms(firms: pd.DataFrame | None) -> list[tuple[object, object]]:
    """The distinct (firm_id, name) pairs of a firm table with a name (not missing, not ""), in the order of their first
    row: what ``dict.fromkeys`` over every row's (firm_id, name, name missing) gives, with the rows that repeat the row
    before them (a firm's next year) skipped first."""
    if firms is None or firms.empty:
        return []
    ids = firms["firm_id"].to_numpy()
    names = firms["name"].to_numpy()
    if len(ids) > 1:
        try:
            changed = np.ones(len(ids), dtype=bool)
            changed[1:] = (ids[1:] != ids[:-1]) | (names[1:] != names[:-1])
        except TypeError:  # pd.NA has no truth value: every row then
            changed = np.ones(len(ids), dtype=bool)
        ids, names = ids[changed], names[changed]
    return [(firm_id, name) for firm_id, name in dict.fromkeys(zip(ids.tolist(), names.tolist()))
            if (type(name) is str or not pd.isna(name)) and name != ""]  # a str is never missing: no pd.isna call


def descendants_of(tree: GoalTree) -> Callable[[str], tuple[GoalNode, ...]]:
    """``tree.descendants`` (breadth first, safe on cycles, the same nodes in the same order) with the children of
    every node found in one pass over the tree rather than one pass per node visited."""
    children: dict[str | None, list[GoalNode]] = {}
    for n in tree.nodes:
        children.setdefault(n.parent, []).append(n)

    return functools.partial(tree.descendants, children=lambda pid: children.get(pid, ()))
