"""A project as of a date (issue 13): every dated fact after as_of is left out, so a re-run gives the same figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis.asof import as_of_view
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.report.context import ReportContext
from evaluation.report.params import ReportParams

MID = date(2024, 12, 31)


def value(period_end: str, v: float) -> dict[str, Any]:
    return {"indicator": "out1", "period_end": period_end, "value": v, "status": "verified", "source": "src"}


def midterm_data() -> dict[str, Any]:
    """The tables as they stood when the mid-term (as of 2024-12-31) was delivered."""
    return {
        "indicator_values": [value("2024-06-30", 2), value("2024-12-31", 4)],
        "activities": [{"activity": "a1", "period_end": "2024-12-31", "count": 3}],
        "costs": [{"category": "Personal", "budget": 600, "outcome": 200, "period_end": "2024-12-31"}],
        "firms": [{"firm_id": f"f{i}", "year": y, "employees": 3 + i, "participant": "yes" if i < 6 else "no"}
                  for i in range(12) for y in (2023, 2024)],
        "survey": [{"wave": "2024", "respondent": f"r{i}", "item": "q1", "answer": 4} for i in range(6)],
        "survey_invited": [{"wave": "2024", "invited": 10, "date": "2024-11-30"}],
        "payments": [{"date": "2024-10-01", "financier": "EU", "amount": 300}],
    }


def final_data() -> dict[str, Any]:
    """The same tables after the final data were imported (2025 and 2026 added)."""
    data = midterm_data()
    data["indicator_values"] += [value("2025-12-31", 8), value("2026-06-30", 11)]
    data["activities"] += [{"activity": "a1", "period_end": "2026-06-30", "count": 9}]
    data["costs"] += [{"category": "Personal", "budget": 600, "outcome": 590, "period_end": "2026-06-30"}]
    data["firms"] += [{"firm_id": f"f{i}", "year": 2025, "employees": 40, "participant": "yes" if i < 6 else "no"} for i in range(12)]
    data["survey"] += [{"wave": "2026", "respondent": f"s{i}", "item": "q1", "answer": 1} for i in range(8)]
    data["survey_invited"] += [{"wave": "2026", "invited": 9, "date": "2026-05-31"}]
    data["payments"] += [{"date": "2026-09-30", "financier": "EU", "amount": 670}]
    return data


def spec(outcome_total: float | None = None, outcome_date: str | None = None) -> dict[str, Any]:
    s = minimal_spec()
    s["end"] = date(2026, 6, 30)
    s["indicators"][0]["target"]["date"] = date(2026, 6, 30)
    s["budget"] = {"total": 1000, "outcome_total": outcome_total, **({"outcome_date": outcome_date} if outcome_date else {})}
    return s


def context(project: Project, as_of: date = MID) -> ReportContext:
    return ReportContext.build(ReportParams(project=project.id, kind="midterm", as_of=as_of), project)


def test_midterm_rerun_on_later_data_gives_the_same_figures(tmp_path: Path) -> None:
    """A mid-term re-run after the final data were imported shows the same indicators, costs, firms, survey and findings."""
    then = load_project(write_project(tmp_path / "then", spec(), midterm_data(), "mini"))
    now = load_project(write_project(tmp_path / "now", spec(outcome_total=990, outcome_date="2026-09-30"), final_data(), "mini"))
    a, b = context(then), context(now)
    assert b.indicator_rows == a.indicator_rows
    assert [f.message for f in b.findings] == [f.message for f in a.findings]
    assert (b.project.budget.outcome_total, b.project.budget.lines) == (a.project.budget.outcome_total, a.project.budget.lines)
    assert b.project.activities == a.project.activities
    assert b.project.payments == a.project.payments
    assert b.project.firms is not None and a.project.firms is not None
    assert b.project.firms.reset_index(drop=True).equals(a.project.firms.reset_index(drop=True))
    assert b.project.survey is not None and a.project.survey is not None
    assert b.project.survey.reset_index(drop=True).equals(a.project.survey.reset_index(drop=True))


def test_later_data_would_change_the_figures_without_the_view(tmp_path: Path) -> None:
    """The test above can fail: without the as-of view the later data show (latest value 11, outcome 590)."""
    now = load_project(write_project(tmp_path, spec(outcome_total=990, outcome_date="2026-09-30"), final_data(), "mini"))
    assert max(m.value for m in now.indicator("out1").values if m.value is not None) == 11
    assert [line.outcome for line in now.budget.lines] == [200, 590]
    view = as_of_view(now, MID)
    assert [m.value for m in view.indicator("out1").values] == [2, 4]
    assert [(line.outcome, line.period_end) for line in view.budget.lines] == [(200, MID)]
    assert view.budget.outcome_total is None  # counted to 2026-09-30


def test_firm_year_counts_once_it_has_ended(tmp_path: Path) -> None:
    """A firm-year row counts from the end of its year: a mid-term as of 30 June 2025 has 2023 and 2024, not 2025."""
    now = load_project(write_project(tmp_path, spec(), final_data(), "mini"))
    assert now.firms is not None
    assert sorted(set(as_of_view(now, date(2025, 6, 30)).firms["year"])) == [2023, 2024]  # type: ignore[index]
    assert sorted(set(as_of_view(now, date(2025, 12, 31)).firms["year"])) == [2023, 2024, 2025]  # type: ignore[index]


def test_undated_outcome_total_counts_from_the_project_end(tmp_path: Path) -> None:
    """A stated outcome total without a date is the final outcome: hidden before the project's end, shown from it."""
    project = load_project(write_project(tmp_path, spec(outcome_total=990), midterm_data(), "mini"))
    assert as_of_view(project, MID).budget.outcome_total is None
    assert as_of_view(project, date(2026, 6, 30)).budget.outcome_total == 990


def test_survey_wave_counts_from_its_date(tmp_path: Path) -> None:
    """A survey wave dated after as_of is left out with its answers; the earlier wave stays."""
    project = load_project(write_project(tmp_path, spec(), final_data(), "mini"))
    view = as_of_view(project, date(2025, 12, 31))
    assert set(view.survey["wave"]) == {"2024"}  # type: ignore[index]
    assert list(view.survey_invited["wave"]) == ["2024"]  # type: ignore[index]


def test_open_report_gates_the_view_not_later_data(tmp_path: Path) -> None:
    """open_report judges the project as of the report's date: a stopping finding in later data does not stop a mid-term."""
    from evaluation.core import settings
    from evaluation.core.errors import InputError
    from evaluation.report.context import open_report

    data = final_data()
    data["indicator_values"] += [value("2026-12-31", 3)]  # a cumulative value going down, after the mid-term's date
    data["costs"] = [dict(line, budget=1000) for line in data["costs"]]  # the cost lines agree with the budget
    home = tmp_path / "home"
    write_project(home / "data", spec(), data)
    with settings.use(home=home):
        ctx = open_report(project="mini", kind="midterm", as_of=MID.isoformat())
        assert [f.check for f in ctx.findings if f.severity == "error"] == []
        with pytest.raises(InputError, match="cumulative"):
            open_report(project="mini", kind="final", as_of="2026-12-31")
