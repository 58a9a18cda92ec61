"""Spending against the pro-rata budget (issue 13, mid-term budget section): the arithmetic pinned on known figures."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis.spending import spending
from evaluation.io.loader import load_project


def test_spending_rate_and_pro_rata_by_category(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Halfway through a 2-year project: pro-rata is half of each budget; rates and point differences are exact."""
    spec = minimal_spec()
    spec["start"], spec["end"] = date(2024, 1, 1), date(2025, 12, 31)
    spec["budget"] = {"total": 1000, "outcome_total": None}
    costs = [{"category": "Personal", "budget": 600, "outcome": 240}, {"category": "Resor", "budget": 400, "outcome": 260}]
    project = load_project(write_project(tmp_path, spec, {"costs": costs}))
    as_of = date(2024, 12, 31)  # 365 of 730 days
    spent = spending(project, as_of)
    assert spent.elapsed == pytest.approx(365 / 730)
    rows = spent.rows
    assert list(rows["category"]) == ["Personal", "Resor", None]
    assert list(rows["budget"]) == [600, 400, 1000]
    assert list(rows["outcome"]) == [240, 260, 500]
    assert rows["pro_rata"].tolist() == pytest.approx([300, 200, 500])
    assert rows["spending_rate"].tolist() == pytest.approx([0.4, 0.65, 0.5])
    assert rows["difference_pp"].tolist() == pytest.approx([-10, 15, 0])


def test_category_without_outcome_is_not_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A cost line without an outcome has no rate (None, never 0), and the total then has none either."""
    spec = minimal_spec()
    costs = [{"category": "Personal", "budget": 600, "outcome": 240}, {"category": "Resor", "budget": 400, "outcome": None}]
    project = load_project(write_project(tmp_path, spec, {"costs": costs}))
    rows = spending(project, project.start).rows
    assert rows["spending_rate"].tolist()[1:] == [None, None]
