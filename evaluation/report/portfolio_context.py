"""The portfolio report's context: the projects of a region (or a list), and every figure of its views, computed once.

``notebooks/portfolio.ipynb`` builds it with :func:`open_portfolio` and passes it to the view
functions of :mod:`evaluation.report.portfolio_views`, one per cell. With ``region`` the
projects are those under ``data/`` whose ``region`` is that region's id, and the RUS effect
goals come from ``regions/<id>/region.yaml``; without it, the projects named.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from evaluation.analysis import portfolio, portfolio_steering
from evaluation.analysis import status as status_rows
from evaluation.core import paths
from evaluation.core.errors import InputError, Problem, check_language
from evaluation.core.i18n import Language
from evaluation.core.model import Project
from evaluation.core.region import Region
from evaluation.review import checks
from evaluation.review.coherence import coherence_value
from evaluation.review.findings import Finding

__all__ = ["PortfolioContext", "ProjectReview", "load_reviewed", "open_portfolio", "region_project_ids", "load_region_or_none",
           "review_project"]

_SOURCE = "portfolio parameters"


def load_region_or_none(region: str | None) -> Region | None:
    """The region ``regions/<region>/region.yaml`` (None when ``region`` is None)."""
    if region is None:
        return None
    from evaluation.io.region import load_region

    return load_region(region)


def region_project_ids(region: str) -> list[str]:
    """Ids of the projects under ``data/`` whose ``project.yaml`` names ``region`` (read without loading the rest)."""
    from evaluation.io.yamlio import read_yaml

    out = []
    root = paths.data_dir()
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        spec = folder / "project.yaml"
        if not spec.is_file():
            continue
        data, _ = read_yaml(spec, file=paths.display_path(spec))
        if isinstance(data, dict) and str(data.get("region") or "").strip().casefold() == region.strip().casefold():
            out.append(folder.name)
    return out


@dataclass(frozen=True)
class ProjectReview:
    """What the portfolio computes per project, done in the worker process that loaded it (:func:`load_reviewed`):
    the findings of :func:`~evaluation.review.checks.check_project`, the coherence score, the mid-term indicator rows
    at ``as_of`` and the seconds (wall, CPU) the checks and the rows took there."""

    findings: tuple[Finding, ...]
    coherence: float | None
    as_of: date | None = None
    rows: tuple[status_rows.IndicatorRow, ...] = ()
    check_seconds: tuple[float, float] = (0.0, 0.0)
    rows_seconds: tuple[float, float] = (0.0, 0.0)
    actuals: tuple[tuple[str, float | None], ...] | None = None
    """:func:`~evaluation.analysis.portfolio.known_actuals` at ``as_of`` (None: left to the portfolio table)."""


def review_project(project: Project, as_of: date | None = None) -> ProjectReview:
    """The :class:`ProjectReview` of ``project`` (its indicator rows only with ``as_of``); a top-level function, so
    that :func:`evaluation.io.bulk.load_many_then` can run it in a worker (``functools.partial`` for ``as_of``)."""
    with status_rows.shared_rows():  # each indicator's series prepared once, for the checks and the rows
        wall, cpu = time.perf_counter(), time.process_time()
        raw = checks.raw_findings(project)  # each check run once, for the findings and the coherence score
        findings = tuple(checks.check_project(project, raw))
        coherence = coherence_value(project, raw)
        checked = (time.perf_counter() - wall, time.process_time() - cpu)
        if as_of is None:
            return ProjectReview(findings, coherence, check_seconds=checked)
        wall, cpu = time.perf_counter(), time.process_time()
        rows = status_rows.indicator_rows(project, as_of, "midterm")
        actuals = tuple(portfolio.known_actuals(project, as_of).items())  # the same series the rows just read
    return ProjectReview(findings, coherence, as_of, rows, checked,
                         (time.perf_counter() - wall, time.process_time() - cpu), actuals)


def load_reviewed(ids: list[str] | tuple[str, ...], as_of: date | None = None) -> tuple[tuple[Project, ...], dict[str, ProjectReview]]:
    """The projects of ``ids`` loaded (sorted by id) and each one's :class:`ProjectReview`, computed in the worker
    process that loaded it; pass both to :meth:`PortfolioContext.build` (``reviews=``)."""
    return portfolio.load_projects_then(ids, functools.partial(review_project, as_of=as_of))


@dataclass(frozen=True)
class PortfolioContext:
    """The projects, parameters and computed tables of one portfolio report (immutable)."""

    projects: tuple[Project, ...]
    as_of: date
    lang: Language
    region: Region | None
    goals: dict[str, str]
    table: pd.DataFrame
    status: pd.DataFrame
    counts: pd.DataFrame
    spend: pd.DataFrame
    cost: pd.DataFrame
    eu_sums: pd.DataFrame
    eu_left_out: pd.DataFrame
    findings: dict[str, tuple[Finding, ...]]
    coherence: dict[str, float | None]
    watch: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    small_cell_threshold: int = 5
    parameters: dict[str, Any] = field(default_factory=dict)
    """The notebook's parameters as given (recorded in the provenance appendix)."""

    @classmethod
    def build(cls, projects: tuple[Project, ...], as_of: date, lang: Language, region: Region | None,
              small_cell_threshold: int = 5, reviews: Mapping[str, ProjectReview] | None = None) -> PortfolioContext:
        """Compute every view's table once (each indicator's row once, shared by the views: status.shared_rows).

        ``reviews`` (from :func:`load_reviewed`) gives what was already computed per project; a project without
        one is checked here. The context is the same either way."""
        goals: dict[str, str] = {}
        if region is not None:
            goals = {g.id: g.statement for g in region.rus.effect_goals()}
        done = {p.id: reviews[p.id] for p in projects if p.id in reviews} if reviews else {}
        actuals = {pid: dict(r.actuals) for pid, r in done.items() if r.as_of == as_of and r.actuals is not None}
        with status_rows.shared_rows():
            for p in projects:
                if p.id in done and done[p.id].as_of == as_of:
                    status_rows.seed_rows(done[p.id].rows, p, as_of, "midterm")
            status = portfolio_steering.project_status(projects, as_of)
            findings = {p.id: done[p.id].findings if p.id in done else tuple(checks.check_project(p)) for p in projects}
            coherence = {p.id: done[p.id].coherence if p.id in done else coherence_value(p) for p in projects}
            watch = portfolio_steering.attention(projects, findings, coherence, status)
            spend = portfolio_steering.spending(projects, as_of)
            sums, left_out = portfolio_steering.eu_rollup(projects, as_of, lang)
            return cls(
                projects=projects, as_of=as_of, lang=lang, region=region, goals=goals,
                table=portfolio.portfolio_table(projects, as_of, actuals), status=status,
                counts=portfolio_steering.status_counts(status), spend=spend,
                cost=portfolio_steering.cost_per_outcome(projects, as_of), eu_sums=sums, eu_left_out=left_out,
                findings=findings, coherence=coherence, watch=watch,
                summary=portfolio_steering.summary(spend, status, watch), small_cell_threshold=small_cell_threshold,
            )

    @property
    def illustrative(self) -> list[str]:
        """Ids of the projects with illustrative values."""
        return [p.id for p in self.projects if p.is_illustrative()]

    def project(self, project_id: str) -> Project:
        return next(p for p in self.projects if p.id == project_id)


def open_portfolio(projects: list[str] | tuple[str, ...] | None = None, region: str | None = None,
                   as_of: str | date = "", language: str = "sv", small_cell_threshold: int = 5,
                   **others: Any) -> PortfolioContext:
    """Validate the parameters, select and load the projects, compute every view.

    With ``region`` the projects are the region's (:func:`region_project_ids`) and ``projects``
    is not used; without it, the projects named. Other notebook parameters (``project``, ``kind``,
    ``formats``, ``small_cell_threshold``) are accepted and not used here.
    """
    check_language(language, _SOURCE, "language")
    when = portfolio.as_date(as_of) if as_of else None
    if when is None:
        raise InputError([Problem(_SOURCE, "as_of", "a date written YYYY-MM-DD", as_of)])
    reg = load_region_or_none(region)
    ids = list(projects or [])
    if region is not None:
        ids = region_project_ids(region)
        if not ids:
            raise InputError([Problem(_SOURCE, "region", "a region with at least one project (region: <id> in "
                                      "data/<project>/project.yaml)", region)])
    if not ids:
        raise InputError([Problem(_SOURCE, "projects", "at least one project id", ids)])
    loaded, reviews = load_reviewed(ids, when)  # checks and indicator rows in the worker processes
    built = PortfolioContext.build(loaded, when, language, reg, small_cell_threshold=small_cell_threshold,
                                   reviews=reviews)
    given = {"projects": [p.id for p in loaded], "region": region, "as_of": str(as_of), "language": language,
             "small_cell_threshold": small_cell_threshold, **others}
    return dataclasses.replace(built, parameters={k: v for k, v in given.items() if v is not None})
