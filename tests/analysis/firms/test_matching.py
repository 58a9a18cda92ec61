"""Tests for evaluation.analysis.firms.matching: balance tables, common support and matching."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis import firms as F


def test_balance_table_smd_hand_checked(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """SMD = (4 - 2) / sqrt((4 + 2) / 2) = 1.1547 for participants 2,4,6 and comparison 1,3."""
    panel = make_panel(
        [("P1", 2019, 2, True, 2020), ("P2", 2019, 4, True, 2020), ("P3", 2019, 6, True, 2020),
         ("C1", 2019, 1, False, None), ("C2", 2019, 3, False, None), ("C3", 2020, 99, False, None)]
    )
    table = F.balance_table(panel, ["employees"], 2019)
    row = table.loc["employees"]
    assert row["mean_participants"] == 4.0
    assert row["mean_comparison"] == 2.0
    assert row["smd"] == pytest.approx(2 / math.sqrt(3), abs=1e-12)
    assert (row["n_participants"], row["n_comparison"]) == (3, 2)


def test_nearest_matching_hand_checked_pairs_support_and_caliper(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """Nearest-neighbour matching picks the closest free control; outside support is dropped."""
    panel = make_panel(
        [("T1", 2019, 10, True, 2020), ("T2", 2019, 20, True, 2020), ("T3", 2019, 50, True, 2020),
         ("C1", 2019, 9, False, None), ("C2", 2019, 12, False, None), ("C3", 2019, 19, False, None),
         ("C4", 2019, 30, False, None)]
    )
    res = F.match(panel, ["employees"], 2019, method="nearest", caliper=None)
    assert res.support.n_outside == 1 and res.support.outside == ("T3",)
    assert list(zip(res.pairs["treated_id"], res.pairs["control_id"])) == [("T1", "C1"), ("T2", "C3")]
    assert res.n_matched == 2
    # a tight caliper (in Mahalanobis units: sd of employees is about 14.6) leaves T1 without C1?
    sd = np.std([10, 20, 50, 9, 12, 19, 30], ddof=1)
    res2 = F.match(panel, ["employees"], 2019, method="nearest", caliper=0.5 / sd)
    assert res2.pairs.empty and res2.n_no_match_within_caliper == 2


def test_propensity_matching_improves_balance_on_confounded_sample(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """On a sample where bigger firms participate more, matching shrinks |SMD| below 0.1."""
    rng = np.random.default_rng(11)
    n = 1200
    size = rng.normal(20, 6, n)
    growth = rng.normal(0, 1, n)
    p = 1 / (1 + np.exp(-(-4.0 + 0.15 * size + 0.5 * growth)))
    part = rng.random(n) < p
    rows = [(f"F{i:04d}", 2019, max(size[i], 0.0), bool(part[i]), 2020 if part[i] else None) for i in range(n)]
    panel = make_panel(rows)
    panel["turnover"] = 2.0 * panel["employees"] + growth
    res = F.match(panel, ["employees", "turnover"], 2019, method="propensity", caliper=0.2)
    before = res.balance_before["smd"].abs()
    after = res.balance_after["smd"].abs()
    assert (before > 0.3).all()
    assert (after < 0.1).all()
    assert (after < before).all()
    assert res.pairs["control_id"].is_unique  # without replacement
    assert res.n_matched == len(res.pairs)
    assert res.n_matched + res.support.n_outside + res.n_no_match_within_caliper == res.n_participants
    again = F.match(panel, ["employees", "turnover"], 2019, method="propensity", caliper=0.2)
    pd.testing.assert_frame_equal(res.pairs, again.pairs)


def test_balance_tables_name_the_firms_behind_their_means(make_panel: Callable[[list[tuple]], pd.DataFrame]) -> None:
    """balance_table and match give attrs["units"]: the year and each group's firms with their values (for disclosure)."""
    rows = [(f"p{i}", 2020, 10.0 + i, True, 2021) for i in range(3)] + [(f"c{i}", 2020, 9.0 + i, False, None) for i in range(4)]
    panel = make_panel(rows)
    units = F.balance_table(panel, ["employees"], 2020).attrs["units"]
    assert units["year"] == 2020
    assert units["participants"]["employees"] == {"p0": 10.0, "p1": 11.0, "p2": 12.0}
    assert set(units["comparison"]["employees"]) == {"c0", "c1", "c2", "c3"}
    result = F.match(panel, ["employees"], 2020, method="nearest", caliper=None)
    after = result.balance_after.attrs["units"]
    assert set(after["participants"]["employees"]) == set(result.pairs["treated_id"])
    assert set(after["comparison"]["employees"]) == set(result.pairs["control_id"])
