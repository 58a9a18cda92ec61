"""Staggered entry: Callaway & Sant'Anna (2021) group-time effects, estimated by the ``differences`` package.

:func:`callaway_santanna` estimates ATT(g, t), the effect in year t on the firms that started in
year g, each from a 2 x 2 comparison with firms that never participate (``control="never"``)
or with firms that have not started yet (``control="not_yet"``), by outcome regression,
inverse probability weighting or the doubly robust combination (Sant'Anna & Zhao 2020). It
aggregates them to an overall effect (the cohort-size weighted average of the post-start
cells, the R ``did`` package's "simple" aggregation), a dynamic effect by year relative to the
start and an effect by start cohort, each with a multiplier-bootstrap standard error
clustered on firms and a uniform (simultaneous) confidence band. The estimation is the
``differences`` package's (``ATTgt``); this module validates the panel, maps its columns and
returns frozen results. Its figures for the R ``did`` package's ``mpdta`` example equal the
documented ones (ATT(2004, 2004) = -0.0105, overall -0.0400).
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.analysis.firms.estimation import Estimate, _prepare
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_

__all__ = ["CONTROLS", "METHODS", "StaggeredResult", "callaway_santanna"]

CONTROLS = ("never", "not_yet")
"""Comparison groups: never-participating firms, or firms that have not started yet (including those never participating)."""
METHODS = ("dr", "ipw", "reg")
"""Doubly robust, inverse probability weighting, outcome regression."""
_METHOD_NAMES = {"dr": "dr", "ipw": "std_ipw", "reg": "reg"}
_CONTROL_NAMES = {"never": "never_treated", "not_yet": "not_yet_treated"}


@dataclass(frozen=True)
class StaggeredResult:
    """Callaway & Sant'Anna group-time effects and their aggregations.

    ``overall`` is the simple aggregation (its interval is the bootstrap one). ``dynamic``
    (rel_time), ``by_cohort`` (cohort) and ``group_time`` (cohort, year, rel_time) hold
    coefficient, std_error, band_low and band_high: ``band_*`` is the uniform
    ``1 - alpha`` band over the rows of that table when ``boot_iterations > 0`` (pointwise
    analytic intervals otherwise, ``uniform`` False). Pre-start rows of ``dynamic`` and
    ``group_time`` are placebo effects from one year to the next (varying base period).
    """

    outcome: str
    overall: Estimate
    dynamic: pd.DataFrame
    by_cohort: pd.DataFrame
    group_time: pd.DataFrame
    control: Literal["never", "not_yet"]
    method: Literal["dr", "ipw", "reg"]
    uniform: bool
    boot_iterations: int
    alpha: float
    n_treated_firms: int
    n_control_firms: int
    n_cohorts: int
    n_unknown_start: int
    n_always_treated: int


def _check_arguments(control: str, method: str, boot_iterations: int, alpha: float) -> None:
    problems = ProblemCollector()
    if control not in CONTROLS:
        problems.add("<arguments>", "control", "'never' or 'not_yet'", got=control)
    if method not in METHODS:
        problems.add("<arguments>", "method", "'dr', 'ipw' or 'reg'", got=method)
    if not isinstance(boot_iterations, int) or boot_iterations < 0:
        problems.add("<arguments>", "boot_iterations", "a whole number >= 0", got=boot_iterations)
    if not 0 < alpha < 1:
        problems.add("<arguments>", "alpha", "a number between 0 and 1", got=alpha)
    problems.raise_if_any()


def _table(frame: pd.DataFrame, index: Sequence[str]) -> pd.DataFrame:
    """A ``differences`` result table (three-level column index) as plain columns."""
    flat = frame.copy()
    flat.columns = [c[-1] for c in flat.columns]
    flat = flat.reset_index()
    flat = flat.rename(columns={"ATT": "coefficient", "lower": "band_low", "upper": "band_high"})
    return flat.loc[:, [*index, "coefficient", "std_error", "band_low", "band_high"]]


def _quiet() -> contextlib.ExitStack:
    """Silence the package's progress bars (stderr) and warnings."""
    stack = contextlib.ExitStack()
    stack.enter_context(contextlib.redirect_stderr(io.StringIO()))
    stack.enter_context(warnings.catch_warnings())
    warnings.simplefilter("ignore")
    return stack


def callaway_santanna(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    control: Literal["never", "not_yet"] = "never",
    method: Literal["dr", "ipw", "reg"] = "dr",
    boot_iterations: int = 999,
    alpha: float = 0.05,
    seed: int = 0,
) -> StaggeredResult:
    """Callaway & Sant'Anna (2021) effects for firms starting in different years.

    Participants without a known start year are dropped, and so are those that started in or
    before the first year of the data (no year before the start); both are counted.
    Participants whose start lies after the last year are comparison firms. ``covariates``
    enter at their base-period values (outcome regression, propensity score or both, as
    ``method``). Standard errors and bands come from ``boot_iterations`` multiplier-bootstrap
    draws with clusters = firms and the seed ``seed`` (the same panel and seed give the same
    figures); ``boot_iterations=0`` gives analytic pointwise intervals instead of bands.
    """
    _check_arguments(control, method, boot_iterations, alpha)
    covariates = list(covariates)
    prep = _prepare(panel, outcome, covariates, None, drop_unknown_start=True, need_status=True)
    years = prep.years[prep.year]
    first_year, last_year = int(prep.years.min()), int(prep.years.max())
    is_part = prep.participant & ~np.isnan(prep.start)
    cohort = np.where(is_part & (prep.start <= last_year), prep.start, np.nan)
    always = is_part & (prep.start <= first_year)
    n_always = int(pd.unique(prep.firm[always]).size)
    keep = ~always
    frame = pd.DataFrame({"firm": prep.firm[keep].astype(np.int64), "year": years[keep].astype(np.int64),
                          "y": prep.y[keep], "cohort": cohort[keep]})
    for j, c in enumerate(covariates):
        frame[f"c{j}"] = prep.columns[c][keep]
    treated = frame.loc[frame["cohort"].notna(), "firm"].unique()
    controls = frame.loc[frame["cohort"].isna(), "firm"].unique()
    if controls.size == 0 and control == "never":
        raise AnalysisError(N_("There are no comparison firms (firms that did not participate) in the data, so no effect can be "
                               "estimated with difference-in-differences."))
    if treated.size == 0:
        raise AnalysisError(N_("No participating firms with a known start year and observations before the start remain to "
                               "estimate from."))
    formula = "y" if not covariates else "y ~ " + " + ".join(f"c{j}" for j in range(len(covariates)))
    from differences import ATTgt  # imported here: the package loads polars and formulaic

    def boot() -> dict[str, Any]:
        # A fresh generator per call: the package reads an int seed of 0 as "no seed" (``if random_state:``), while a
        # generator seeded with ``seed`` draws exactly what the int seed draws for every other seed.
        return {"boot_iterations": boot_iterations, "random_state": np.random.default_rng(seed), "alpha": alpha}

    with _quiet():
        att = ATTgt(data=frame.set_index(["firm", "year"]), cohort_column="cohort", base_period="varying")
        try:
            att.fit(formula=formula, est_method=_METHOD_NAMES[method], control_group=_CONTROL_NAMES[control],
                    progress_bar=False, **boot())
            gt = _table(att.results(), ["cohort", "time"])
            simple = _table(att.aggregate("simple", **boot()), [])
            dynamic = _table(att.aggregate("event", **boot()), ["relative_period"])
            by_cohort = _table(att.aggregate("cohort", **boot()), ["cohort"])
        except (ValueError, KeyError, IndexError, np.linalg.LinAlgError) as err:
            raise AnalysisError(N_("The group-time effects could not be estimated ({reason})."), reason=str(err)) from err
    gt = gt.rename(columns={"time": "year"})
    gt["cohort"] = gt["cohort"].astype(np.int64)
    gt["year"] = gt["year"].astype(np.int64)
    gt.insert(2, "rel_time", gt["year"] - gt["cohort"])
    dynamic = dynamic.rename(columns={"relative_period": "rel_time"})
    dynamic["rel_time"] = dynamic["rel_time"].astype(np.int64)
    by_cohort["cohort"] = by_cohort["cohort"].astype(np.int64)
    row = simple.iloc[0]
    coef, se = float(row["coefficient"]), float(row["std_error"])
    with np.errstate(divide="ignore", invalid="ignore"):
        p = float(2 * stats.norm.sf(abs(coef / se))) if se > 0 else math.nan
    se_type = (f"multiplier bootstrap ({boot_iterations} draws, seed {seed}) clustered on firms"
               if boot_iterations else "analytic (influence function) clustered on firms")
    overall = Estimate(
        name=f"ATT (Callaway & Sant'Anna, {method}, {control} controls)", coefficient=coef, std_error=se,
        ci_low=float(row["band_low"]), ci_high=float(row["band_high"]), p_value=p, n_obs=len(frame),
        n_firms=int(frame["firm"].nunique()), n_clusters=int(frame["firm"].nunique()), se_type=se_type, df=math.inf,
    )
    return StaggeredResult(
        outcome=outcome, overall=overall, dynamic=dynamic.reset_index(drop=True), by_cohort=by_cohort.reset_index(drop=True),
        group_time=gt.reset_index(drop=True), control=control, method=method, uniform=boot_iterations > 0,
        boot_iterations=boot_iterations, alpha=alpha, n_treated_firms=int(treated.size),
        n_control_firms=int(controls.size), n_cohorts=int(frame["cohort"].dropna().nunique()),
        n_unknown_start=prep.n_unknown_start, n_always_treated=n_always,
    )
