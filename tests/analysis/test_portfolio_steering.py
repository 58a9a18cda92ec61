"""Tests for evaluation.analysis.portfolio_steering: the committee's views pinned on small known portfolios."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, portfolio_indicator, write_project

from evaluation.analysis import portfolio_steering as ps
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.review.findings import Finding

AS_OF = "2024-12-31"


def _project(root: Path, pid: str, *, rus: list[str] | None = None, fund: str = "ERUF", programme: str = "P",
             financiers: list[dict[str, Any]] | None = None, budget: dict[str, Any] | None = None,
             values: list[dict[str, Any]] | None = None, indicators: list[dict[str, Any]] | None = None,
             status: str = "published") -> Project:
    spec = minimal_spec()
    spec.update({"id": pid, "name": f"Projekt {pid}", "fund": fund, "programme": programme, "data_status": status,
                 "rus_goals": rus or [], "budget": budget or {"total": 1000}})
    if financiers is not None:
        spec["financiers"] = financiers
    if indicators is not None:
        spec["indicators"] = indicators
        for crit in spec["horizontal"]:
            crit["indicators"] = [indicators[0]["id"]]
    tables = {"indicator_values": [{"source": "src", "status": "verified", **v} for v in values]} if values else {}
    return load_project(write_project(root, spec, tables))


def _firms(values: list[tuple[str, float]]) -> dict[str, Any]:
    """Indicator 'firms' (target 10 by 2025-12-31, baseline 0 at 2024-01-01) and its values."""
    return {"indicators": [portfolio_indicator("firms", "företag", "output", "RCO01", 10)],
            "values": [{"indicator": "firms", "period_end": d, "value": v} for d, v in values]}


@pytest.mark.parametrize(("statuses", "expected"), [
    (["on_track", "off_track", "at_risk"], "off_track"),
    (["on_track", "at_risk", "too_early"], "at_risk"),
    (["on_track", "too_early", "not_reported"], "on_track"),
    (["too_early", "not_reported"], "too_early"),
    ([], "too_early"),
])
def test_status_rule_is_the_worst_judged_indicator(statuses: list[str], expected: str) -> None:
    """A project takes its worst judged indicator's status; with none judged it is too early to tell."""
    assert ps.aggregate_status(statuses) == expected


def test_project_status_from_projections(tmp_path: Path) -> None:
    """Fast progress is on track, a crawl off track, two values too early; every status is counted."""
    fast = _project(tmp_path, "fast", **_firms([("2024-03-31", 3), ("2024-06-30", 5), ("2024-09-30", 8)]))
    slow = _project(tmp_path, "slow", **_firms([("2024-03-31", 0.1), ("2024-06-30", 0.3), ("2024-09-30", 0.4)]))
    early = _project(tmp_path, "early", **_firms([("2024-03-31", 1), ("2024-06-30", 2)]))
    table = ps.project_status([slow, early, fast], "2024-09-30")
    assert dict(zip(table["project"], table["status"])) == {"early": "too_early", "fast": "on_track", "slow": "off_track"}
    counts = ps.status_counts(table)
    assert list(counts["n_projects"]) == [1, 0, 1, 1]  # on track, at risk, off track, too early
    assert list(counts["status"]) == list(ps.PROJECT_STATUSES)


def test_projects_by_effect_goal_count_each_link(tmp_path: Path) -> None:
    """A project under two goals counts under both; unlinked projects come last; unused goals show 0."""
    a = _project(tmp_path, "a", rus=["g1", "g2"], budget={"total": 1000})
    b = _project(tmp_path, "b", rus=["g1"], budget={"total": 500})
    c = _project(tmp_path, "c", budget={"total": 200})
    frame = ps.by_effect_goal([c, b, a], {"g1": "Goal one", "g2": "Goal two", "g3": "Goal three"})
    assert list(frame["goal"]) == ["g1", "g2", "g3", ps.UNLINKED]
    assert list(frame["n_projects"]) == [2, 1, 0, 1]
    assert list(frame["projects"]) == ["a, b", "a", "", "c"]
    assert frame["budget"].iloc[0] == 1500.0 and frame["budget"].iloc[1] == 1000.0
    assert math.isnan(frame["budget"].iloc[2]) and frame["budget"].iloc[3] == 200.0
    assert frame["label"].iloc[0] == "Goal one"


def test_funds_and_financiers_sum_what_is_reported(tmp_path: Path) -> None:
    """Budgets per fund and amounts per financier sum over reporting projects; a missing amount is not 0."""
    a = _project(tmp_path, "a", fund="ERUF", financiers=[{"name": "Region", "kind": "region", "amount": 300},
                                                         {"name": "EU", "kind": "eu", "amount": 700}])
    b = _project(tmp_path, "b", fund="ERUF", financiers=[{"name": "Region", "kind": "region", "amount": None}])
    c = _project(tmp_path, "c", fund="ESF+", budget={"total": 400}, financiers=[{"name": "Region", "kind": "region", "amount": 100}])
    fund = ps.by_fund([a, b, c]).set_index("fund")
    assert fund.loc["ERUF", "budget"] == 2000.0 and fund.loc["ERUF", "n_projects"] == 2 and fund.loc["ESF+", "budget"] == 400.0
    fin = ps.by_financier([a, b, c]).set_index("name")
    assert fin.loc["Region", "amount"] == 400.0 and fin.loc["Region", "n_not_reported"] == 1
    assert fin.loc["Region", "n_projects"] == 3 and fin.loc["EU", "amount"] == 700.0
    only_missing = ps.by_financier([b])
    assert math.isnan(only_missing["amount"].iloc[0])


def test_spending_rate_and_time_passed(three: list[Project]) -> None:
    """Outcome over decided budget, and the share of the period passed (2024-01-01..2025-12-31 at 2024-12-31)."""
    frame = ps.spending(three, AS_OF).set_index("project")
    assert frame.loc["alpha", "rate"] == pytest.approx(0.8) and frame.loc["gamma", "rate"] == pytest.approx(0.5)
    assert math.isnan(frame.loc["beta", "outcome"]) and math.isnan(frame.loc["beta", "rate"])
    assert frame.loc["alpha", "elapsed"] == pytest.approx(365 / 730)
    figures = ps.summary(ps.spending(three, AS_OF), ps.project_status(three, AS_OF),
                         ps.attention(three, {}, {}, None))
    assert figures["decided"] == 3000.0 and figures["outcome"] == 1300.0
    assert figures["rate"] == pytest.approx(1300 / 2000)  # only the projects reporting both
    assert figures["n_projects"] == 3 and figures["n_illustrative"] == 1


def test_cost_per_outcome_divides_the_outcome(three: list[Project]) -> None:
    """Cost per firm, participant and job = outcome / count; no outcome or no count gives no figure."""
    frame = ps.cost_per_outcome(three, AS_OF).set_index("project")
    assert frame.loc["alpha", "cost_per_firm"] == 100.0  # 800 / 8
    assert frame.loc["alpha", "cost_per_participant"] == 40.0  # 800 / 20
    assert frame.loc["alpha", "cost_per_job"] == 400.0  # 800 / 2
    assert math.isnan(frame.loc["beta", "cost_per_firm"])  # no outcome
    assert math.isnan(frame.loc["gamma", "cost_per_firm"])  # firms not reported
    assert frame.loc["alpha", "firms_measure"] == "Firms (företag)" and not frame.loc["alpha", "ended"]


def test_eu_rollup_sums_only_where_code_and_unit_agree(three: list[Project], tmp_path: Path) -> None:
    """RCO01 in 'företag' sums 8 + 6; RCR01 in 'heltidstjänster' and an unknown code are listed as not summable."""
    odd = _project(tmp_path / "odd", "odd", indicators=[portfolio_indicator("firms", "firms", "output", "RCO999", 10)],
                   values=[{"indicator": "firms", "period_end": "2024-12-31", "value": 5}])
    sums, out = ps.eu_rollup([*three, odd], AS_OF, "en")
    sums = sums.set_index("code")
    assert sums.loc["RCO01", "total"] == 14.0 and sums.loc["RCO01", "contributing"] == "alpha, beta"
    assert sums.loc["RCO01", "unit"] == "enterprises"
    assert sums.loc["RCR01", "total"] == 2.0 and sums.loc["RCR01", "n_contributing"] == 1
    reasons = {(r.project, r.code): r.reason for r in out.itertuples(index=False)}
    assert reasons == {("beta", "RCR01"): "other_unit", ("gamma", "RCO01"): "not_reported",
                       ("odd", "RCO999"): "not_in_catalogue"}


def test_attention_rule(three: list[Project]) -> None:
    """A stop finding, a score below the limit or off track calls for attention; sorted with those first."""
    findings = {"alpha": [Finding("goal_cycle", "error", "g1", "x")], "beta": [Finding("goal_without_indicator", "warning", "g", "x")]}
    score = {"alpha": 90.0, "beta": 80.0, "gamma": ps.ATTENTION_COHERENCE - 1}
    status = pd.DataFrame({"project": ["alpha", "beta", "gamma"], "status": ["on_track", "on_track", "too_early"]})
    frame = ps.attention(three, findings, score, status)
    assert list(frame["project"]) == ["alpha", "gamma", "beta"]
    assert list(frame["needs_attention"]) == [True, True, False]
    assert list(frame["n_stop"]) == [1, 0, 0] and list(frame["n_warn"]) == [0, 0, 1]
    assert frame["checks"].iloc[0] == "goal_cycle"


def test_in_region_selects_by_region_id(tmp_path: Path) -> None:
    """Projects are selected by their region field, without case."""
    spec = minimal_spec()
    spec.update({"id": "x", "region": "Gavleborg"})
    x = load_project(write_project(tmp_path, spec))
    y = _project(tmp_path, "y")
    assert [p.id for p in ps.in_region([x, y], "gavleborg")] == ["x"]
