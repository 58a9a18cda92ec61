"""Tests for evaluation.report.portfolio_context: the portfolio computed with its checks in the worker processes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from evaluation.analysis import portfolio
from evaluation.authoring.synthetic import synthetic_project_id, write_synthetic_project
from evaluation.core import settings
from evaluation.io import bulk
from evaluation.report import portfolio_context as pc
from evaluation.review import checks
from evaluation.review.coherence import coherence_score

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


def test_reviews_of_another_date_are_not_used_for_rows(home: Path) -> None:
    """Rows reviewed at another as-of date are recomputed: the context equals the serial one at the build's date."""
    ids = _ids()[:5]
    with settings.use(home=home):
        loaded, reviews = pc.load_reviewed(ids, date(2023, 1, 31))
    fast = pc.PortfolioContext.build(loaded, AS_OF, "sv", None, reviews=reviews)
    slow = pc.PortfolioContext.build(loaded, AS_OF, "sv", None)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)
