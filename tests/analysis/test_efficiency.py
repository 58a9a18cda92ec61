"""Tests for evaluation/analysis/efficiency.py: what costs per unit are computed on, and the costs per unit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis import efficiency, status
from evaluation.io.loader import load_project

SOURCES = {"per_firm_reached": "a", "per_participant": "b", "per_job": "c"}


def test_nis60_costs_on_the_stated_outcome() -> None:
    """NIS 6.0: 15 470 690 kr over 503 firms reached is 30 756.84 kr; no jobs indicator gives no cost per job."""
    project = load_project("nis60")
    assert efficiency.cost_basis(project) == efficiency.CostBasis(15470690, "outcome")
    rows = status.indicator_rows(project, date(2022, 12, 31), "final")
    cost = efficiency.cost_per(project, rows, SOURCES)
    assert cost["measure"].tolist() == ["per_firm_reached", "per_participant", "per_job"]
    assert cost["cost_per"].iloc[0] == pytest.approx(30756.84, abs=0.01)
    assert cost["source"].tolist() == ["a", "b", "c"]
    assert efficiency.budget_gap(project) == 16713030 - 15470690
    assert not efficiency.efficiency_illustrative(project)


@pytest.mark.parametrize("budget,lines,kind,amount", [
    ({"total": 1000, "outcome_total": 900}, None, "outcome", 900),
    ({"total": 1000}, [{"category": "Personal", "budget": 600, "outcome": 550}, {"category": "Resor", "budget": 400, "outcome": 300}],
     "cost_lines", 850),
    ({"total": 1000, "total_qualifier": "drygt"}, None, "budget", 1000),
])
def test_cost_basis_outcome_then_cost_lines_then_budget(tmp_path: Path, budget: dict[str, object], lines: list[dict[str, object]] | None,
                                                         kind: str, amount: float) -> None:
    """The stated outcome; else the cost lines' outcome; else the budget with its qualifier."""
    spec = minimal_spec()
    spec["budget"] = budget
    project = load_project(write_project(tmp_path, spec, {"costs": lines} if lines else {}))
    basis = efficiency.cost_basis(project)
    assert (basis.kind, basis.amount) == (kind, amount)
    assert basis.qualifier == ("drygt" if kind == "budget" else "")


def test_frames_of_the_project() -> None:
    """Budget lines, financiers and the reconciliation rows come out as frames."""
    project = load_project("nis60")
    assert list(efficiency.budget_lines(project).columns) == ["category", "budget", "outcome"]
    assert efficiency.financing_frame(project)["amount"].sum() == 15477874
    rows = efficiency.reconciliation_rows(project)
    assert rows is not None and rows["a"].notna().all() and rows["b"].notna().all()
    assert list(efficiency.funnel_stages(project).columns) == ["order", "stage", "count"]
