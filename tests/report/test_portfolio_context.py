"""Tests for evaluation.report.portfolio_context: the portfolio computed with its checks in the worker processes."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from evaluation.analysis import portfolio, status
from evaluation.authoring.synthetic import synthetic_project_id, write_synthetic_project
from evaluation.core import paths, settings
from evaluation.core.model import Project
from evaluation.io import bulk
from evaluation.io.loader import load_project
from evaluation.report import portfolio_context as pc
from evaluation.review import checks
from evaluation.review.coherence import coherence_score, coherence_value

AS_OF = date(2024, 6, 30)
FRAMES = ("table", "status", "counts", "spend", "cost", "eu_sums", "eu_left_out", "watch")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project home with 45 synthetic projects (more than bulk.PARALLEL_FROM: loaded by worker processes)."""
    root = tmp_path_factory.mktemp("portfolio_home")
    for i in range(1, 46):
        write_synthetic_project(root / "data", synthetic_project_id(i), 7000 + i)
    return root


def _ids() -> list[str]:
    return [synthetic_project_id(i) for i in range(1, 46)]


def test_worker_path_gives_the_in_process_context(home: Path) -> None:
    """Checks, coherence and indicator rows computed in two workers give the context a serial build gives."""
    assert len(_ids()) >= bulk.PARALLEL_FROM
    with settings.use(home=home, workers=2):
        loaded, reviews = pc.load_reviewed(_ids(), AS_OF)
        serial = portfolio.load_projects(_ids())
    assert [p.id for p in loaded] == [p.id for p in serial] and set(reviews) == {p.id for p in loaded}
    fast = pc.PortfolioContext.build(loaded, AS_OF, "sv", None, reviews=reviews)
    slow = pc.PortfolioContext.build(serial, AS_OF, "sv", None)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)
    assert fast.findings == slow.findings and fast.coherence == slow.coherence and fast.summary == slow.summary
    assert any(fast.findings.values())  # the synthetic projects have findings to compare


def test_reviews_hold_what_the_checks_give(home: Path) -> None:
    """Each review's findings and coherence are check_project's and coherence_score's on the loaded project."""
    with settings.use(home=home, workers=2):
        loaded, reviews = pc.load_reviewed(_ids(), AS_OF)
    for p in loaded:
        assert reviews[p.id].findings == checks.check_project(p)
        assert reviews[p.id].coherence == coherence_score(p).score
        assert len(reviews[p.id].rows) == len(p.indicators) and reviews[p.id].as_of == AS_OF
        assert reviews[p.id].actuals == tuple(portfolio.known_actuals(p, AS_OF).items())


def test_reviews_of_another_date_are_not_used_for_rows(home: Path) -> None:
    """Rows reviewed at another as-of date are recomputed: the context equals the serial one at the build's date."""
    ids = _ids()[:5]
    with settings.use(home=home):
        loaded, reviews = pc.load_reviewed(ids, date(2023, 1, 31))
    fast = pc.PortfolioContext.build(loaded, AS_OF, "sv", None, reviews=reviews)
    slow = pc.PortfolioContext.build(loaded, AS_OF, "sv", None)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)


# --------------------------------------------------------------------------- review_project: the plain calls' results


def _row_fields(row: status.IndicatorRow) -> tuple[object, ...]:
    """A row as comparable values: the indicator's id and each other field (floats by repr, so NaN equals NaN)."""
    fields = [getattr(row, f.name) for f in dataclasses.fields(row) if f.name != "indicator"]
    return (row.indicator.id, *(repr(v) if isinstance(v, float) else v for v in fields))


def _assert_review_is_plain(project: Project, as_of: date) -> None:
    review = pc.review_project(project, as_of)
    assert review.findings == checks.check_project(project)
    assert review.coherence == coherence_value(project) == coherence_score(project).score
    plain = status.indicator_rows(project, as_of, "midterm")
    assert [_row_fields(r) for r in review.rows] == [_row_fields(r) for r in plain]
    assert all(a.indicator is b.indicator for a, b in zip(review.rows, plain))
    assert pc.review_project(project).rows == () and pc.review_project(project).findings == review.findings


def _as_of_dates(project: Project) -> list[date]:
    """Before the start, a quarter in, mid-way, at the end and after it: every branch of the rows' status."""
    span = (project.end - project.start).days
    return [project.start - timedelta(days=40), project.start + timedelta(days=span // 4),
            project.start + timedelta(days=span // 2), project.end, project.end + timedelta(days=200)]


def test_review_project_equals_the_plain_calls_on_the_shipped_projects() -> None:
    """For every project under data/, review_project's findings, coherence and rows are the plain calls' at five dates."""
    ids = sorted(d.name for d in paths.data_dir().iterdir() if (d / "project.yaml").is_file())
    assert {"hso", "nba", "nis60", "sam"} <= set(ids)
    for pid in ids:
        project = load_project(pid)
        for when in _as_of_dates(project):
            _assert_review_is_plain(project, when)


def test_review_project_equals_the_plain_calls_on_synthetic_projects(home: Path) -> None:
    """For 30 synthetic projects (seeds 7001..7030), review_project gives the plain calls' findings, coherence and rows."""
    seen_findings = 0
    with settings.use(home=home):
        for i in range(1, 31):
            project = load_project(synthetic_project_id(i))
            for when in _as_of_dates(project):
                _assert_review_is_plain(project, when)
            seen_findings += len(checks.check_project(project))
    assert seen_findings > 0


def _with_duplicates(project: Project) -> Project:
    """``project`` with a firm renamed to another's name (case and spaces aside), a firm without a name, two ids
    under one blank-padded name, and one survey answer given twice."""
    assert project.firms is not None and project.survey is not None
    firms = project.firms.copy()
    ids = list(dict.fromkeys(firms["firm_id"].tolist()))
    firms.loc[firms["firm_id"] == ids[1], "name"] = "  " + str(firms.loc[firms["firm_id"] == ids[0], "name"].iloc[0]).upper()
    firms.loc[firms["firm_id"] == ids[2], "name"] = None
    firms.loc[firms["firm_id"].isin(ids[3:5]), "name"] = ""
    firms.loc[firms["firm_id"] == ids[6], "name"] = "Samma  Namn AB"
    firms.loc[firms["firm_id"] == ids[7], "name"] = "samma namn ab"
    survey = pd.concat([project.survey, project.survey.iloc[[3]]], ignore_index=True)
    return dataclasses.replace(project, firms=firms, survey=survey)


def test_review_project_equals_the_plain_calls_with_duplicates(home: Path) -> None:
    """With duplicated firm names and survey answers the review gives the plain calls' findings, which name them."""
    with settings.use(home=home):
        project = _with_duplicates(load_project(synthetic_project_id(1)))
    _assert_review_is_plain(project, AS_OF)
    found = {(f.check, f.subject) for f in checks.check_project(project)}
    assert project.firms is not None
    ids = list(dict.fromkeys(project.firms["firm_id"].tolist()))
    assert ("firm_duplicate_name", f"{ids[0]}, {ids[1]}") in found
    assert ("firm_duplicate_name", f"{ids[6]}, {ids[7]}") in found
    assert sum(1 for check, _ in found if check == "firm_duplicate_name") == 2
    assert sum(1 for check, _ in found if check == "survey_duplicate_answer") == 1
