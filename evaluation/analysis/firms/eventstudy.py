"""Staggered entry: the Sun & Abraham (2021) estimator, the event study and its pre-trend test.

:func:`sun_abraham` is the interaction-weighted estimator, valid when firms start in
different years and effects differ between them; :func:`event_study` shows its effects by
year relative to the start with a joint test of the pre-programme coefficients.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.analysis.firms.estimation import (
    Estimate,
    SmallSample,
    _check_small_sample,
    _dense_codes,
    _estimate,
    _fe_ols,
    _prepare,
)
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_

__all__ = ["EventStudyResult", "PretrendTest", "SunAbrahamResult", "event_study", "event_study_of", "sun_abraham"]


class _Columns(Sequence[np.ndarray]):
    """Indicator columns 1{cell_id == j} made one at a time (saves memory), then extras."""

    def __init__(self, cell_id: np.ndarray, n_cells: int, extra: list[np.ndarray]) -> None:
        self.cell_id, self.n_cells, self.extra = cell_id, n_cells, extra

    def __len__(self) -> int:
        return self.n_cells + len(self.extra)

    def __getitem__(self, j: int) -> np.ndarray:  # type: ignore[override]
        if not 0 <= j < len(self):
            raise IndexError(j)
        if j < self.n_cells:
            return (self.cell_id == j).astype(float)
        return self.extra[j - self.n_cells]


@dataclass(frozen=True)
class SunAbrahamResult:
    """Interaction-weighted estimates (Sun & Abraham 2021).

    ``att``: average effect over all participant firm-years from the start year on,
    weighting each cohort x relative-year cell by its number of observations.
    ``by_rel_time``: per year relative to start (rel_time, coefficient, std_error, ci_low,
    ci_high, p_value, n_obs), each a cohort-share-weighted average; the reference year is
    not in it. ``vcov_rel_time`` is the covariance of those coefficients (same order).
    ``cells``: the cohort x relative-year coefficients. Weights are treated as known in the
    standard errors (delta method, as fixest's ``aggregate``).
    """

    att: Estimate
    by_rel_time: pd.DataFrame
    vcov_rel_time: np.ndarray
    cells: pd.DataFrame
    reference: int
    control: Literal["never", "last"]
    n_cohorts: int
    n_treated_firms: int
    n_control_firms: int
    n_unknown_start: int
    n_always_treated: int
    n_cohorts_without_reference: int


def sun_abraham(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    control: Literal["never", "last"] = "never",
    reference: int = -1,
    small_sample: SmallSample = "nested",
) -> SunAbrahamResult:
    """Sun & Abraham (2021) interaction-weighted estimator for staggered start years.

    Regresses the outcome on a full set of cohort (start year) x relative-year indicators,
    leaving out relative year ``reference`` for each cohort, with firm and year fixed
    effects, estimated by pyfixest with the same standard errors (and ``small_sample``
    convention) as :func:`fe_regression`. Controls
    (``control="never"``) are firms that never participate, plus participants whose start
    lies after the last year in the data. ``control="last"`` adds the last-starting cohort
    as controls and drops the years from its start on. Participants without a known start
    are dropped; cohorts starting in or before the first year (no pre-period) and cohorts
    not observed in their reference year are dropped (counted in the result).

    Valid under heterogeneous and dynamic effects given parallel trends and no
    anticipation, unlike two-way fixed effects with staggered timing (Goodman-Bacon 2021).
    """
    if reference >= 0:
        problems = ProblemCollector()
        problems.add("<arguments>", "reference", "a negative relative year (e.g. -1)", got=reference)
        problems.raise_if_any()
    covariates = list(covariates)
    _check_small_sample(small_sample)
    prep = _prepare(panel, outcome, covariates, cluster, drop_unknown_start=True, need_status=True)
    years = prep.years[prep.year]
    first_year, last_year = int(prep.years.min()), int(prep.years.max())
    start = prep.start
    is_part = prep.participant & ~np.isnan(start)
    cohort = np.where(is_part & (start <= last_year), start, np.inf)  # inf = control
    always = is_part & (start <= first_year)
    n_always = int(pd.unique(prep.firm[always]).size)
    keep = ~always
    if control == "last":
        finite = np.unique(cohort[np.isfinite(cohort) & keep])
        if finite.size < 2:
            raise AnalysisError(N_("Using the last-starting cohort as controls needs at least two start years."))
        last_cohort = finite[-1]
        keep &= years < last_cohort
        cohort = np.where(cohort == last_cohort, np.inf, cohort)
    elif control != "never":
        problems = ProblemCollector()
        problems.add("<arguments>", "control", "'never' or 'last'", got=control)
        problems.raise_if_any()
    # cohorts without their reference year in the data cannot be normalised: drop them
    rel = years - cohort  # -inf for controls
    treated_rows = np.isfinite(cohort) & keep
    ref_cohorts = set(np.unique(cohort[treated_rows & (rel == reference)]).tolist())
    all_cohorts = np.unique(cohort[treated_rows])
    no_ref = [c for c in all_cohorts.tolist() if c not in ref_cohorts]
    if no_ref:
        keep &= ~np.isin(cohort, no_ref)
    if not (np.isinf(cohort) & keep).any():
        raise AnalysisError(N_("There are no comparison firms (firms that did not participate) in the data, so no effect can be "
                               "estimated with difference-in-differences."))
    treated_rows = np.isfinite(cohort) & keep
    if not treated_rows.any():
        raise AnalysisError(N_("No participating firms with a known start year and observations before the start remain to "
                               "estimate from."))
    # restrict arrays
    idx = np.flatnonzero(keep)
    y = prep.y[idx]
    firm_raw, year_raw = prep.firm[idx], prep.year[idx]
    firm, n_firms = _dense_codes(firm_raw)
    year_c, n_years = _dense_codes(year_raw)
    cl = None
    n_cl = 0
    if prep.cluster is not None:
        cl, n_cl = (firm, n_firms) if cluster == "firm_id" else _dense_codes(prep.cluster[idx])
    coh = cohort[idx]
    r = rel[idx]
    cell_rows = np.isfinite(coh) & (r != reference)
    cell_key = pd.DataFrame({"cohort": coh[cell_rows], "rel_time": r[cell_rows]})
    cells = cell_key.drop_duplicates().sort_values(["cohort", "rel_time"]).reset_index(drop=True)
    cell_index = pd.MultiIndex.from_frame(cells)
    cell_id = np.full(y.size, -1, dtype=np.intp)
    cell_id[cell_rows] = cell_index.get_indexer(pd.MultiIndex.from_frame(cell_key))
    m = len(cells)
    n_obs_cell = np.bincount(cell_id[cell_id >= 0], minlength=m)
    columns = _Columns(cell_id, m, [prep.columns[c][idx] for c in covariates])
    names = [f"cohort {int(c)} x rel {int(t)}" for c, t in zip(cells["cohort"], cells["rel_time"])] + covariates
    fit = _fe_ols(y, columns, names, firm, year_c, n_firms, n_years, cl, n_cl, cluster, small_sample)
    beta, vcov = fit.beta[:m], fit.vcov[:m, :m]
    rel_times = np.sort(cells["rel_time"].unique())
    w = np.zeros((rel_times.size, m))
    cell_rel = cells["rel_time"].to_numpy()
    for i, t in enumerate(rel_times):
        sel = cell_rel == t
        w[i, sel] = n_obs_cell[sel] / n_obs_cell[sel].sum()
    coef_rel = w @ beta
    vcov_rel = w @ vcov @ w.T
    crit = float(stats.t.ppf(0.975, fit.df_t))
    se_rel = np.sqrt(np.clip(np.diag(vcov_rel), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_rel = 2 * stats.t.sf(np.abs(coef_rel / se_rel), fit.df_t)
    n_rel = np.array([int(n_obs_cell[cell_rel == t].sum()) for t in rel_times])
    by_rel = pd.DataFrame(
        {
            "rel_time": rel_times.astype(np.int64),
            "coefficient": coef_rel,
            "std_error": se_rel,
            "ci_low": coef_rel - crit * se_rel,
            "ci_high": coef_rel + crit * se_rel,
            "p_value": p_rel,
            "n_obs": n_rel,
        }
    )
    post = cell_rel >= 0
    if not post.any():
        raise AnalysisError(N_("No participating firm is observed from its start year on, so no effect can be estimated."))
    w_att = np.where(post, n_obs_cell, 0) / n_obs_cell[post].sum()
    att_coef = float(w_att @ beta)
    att_se = math.sqrt(max(float(w_att @ vcov @ w_att), 0.0))
    se_cell = np.sqrt(np.clip(np.diag(vcov), 0, None))
    cells_out = pd.DataFrame(
        {
            "cohort": cells["cohort"].to_numpy().astype(np.int64),
            "rel_time": cell_rel.astype(np.int64),
            "coefficient": beta,
            "std_error": se_cell,
            "n_obs": n_obs_cell,
        }
    )
    se_type = fit.se_type + "; aggregated by the delta method with cohort-share weights treated as known"
    att = _estimate("ATT (Sun & Abraham interaction-weighted)", att_coef, att_se, fit.df_t, fit.n_obs,
                    fit.n_firms, fit.n_clusters, se_type)
    treated_firms = int(pd.unique(firm[np.isfinite(coh)]).size)
    return SunAbrahamResult(
        att=att,
        by_rel_time=by_rel,
        vcov_rel_time=vcov_rel,
        cells=cells_out,
        reference=int(reference),
        control=control,
        n_cohorts=int(cells["cohort"].nunique()),
        n_treated_firms=treated_firms,
        n_control_firms=int(n_firms - treated_firms),
        n_unknown_start=prep.n_unknown_start,
        n_always_treated=n_always,
        n_cohorts_without_reference=len(no_ref),
    )


# --------------------------------------------------------------------------------------
# Event study
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PretrendTest:
    """Joint Wald test that all pre-programme coefficients are zero.

    ``statistic`` is the F statistic W/q (W = b' V^-1 b), with ``df1`` = q and ``df2`` the
    t degrees of freedom of the estimate (G - 1 when clustered); ``chi2`` = W with its
    asymptotic p-value ``chi2_p_value``.
    """

    rel_times: tuple[int, ...]
    statistic: float
    df1: int
    df2: float
    p_value: float
    chi2: float
    chi2_p_value: float

    def rejects(self, alpha: float = 0.05) -> bool:
        return self.p_value < alpha


@dataclass(frozen=True)
class EventStudyResult:
    """Effects by year relative to the programme start, with a pre-trend test.

    ``table`` columns: rel_time, coefficient, std_error, ci_low, ci_high, p_value, n_obs,
    is_reference (the reference year has coefficient 0 and no standard error).
    ``pretrend`` is None when no pre-programme year besides the reference can be estimated.
    """

    outcome: str
    table: pd.DataFrame
    pretrend: PretrendTest | None
    reference: int
    method: str
    n_obs: int
    n_firms: int
    n_treated_firms: int


def event_study(
    panel: pd.DataFrame,
    outcome: str,
    leads: int = 3,
    lags: int = 3,
    reference: int = -1,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    small_sample: SmallSample = "nested",
) -> EventStudyResult:
    """Event study from ``-leads`` to ``lags`` years around the start, reference year = 0.

    Coefficients come from :func:`sun_abraham` (fully saturated in cohort x relative year,
    so no binning and no contamination between periods; with a single start year this is
    the usual dynamic two-way fixed-effects event study). Relative years outside the window
    are estimated but not shown. The pre-trend test is a joint Wald test (F with G - 1
    denominator df when clustered) of the shown pre-programme coefficients other than the
    reference.
    """
    if leads < 0 or lags < 0:
        problems = ProblemCollector()
        problems.add("<arguments>", "leads, lags", "non-negative whole numbers", got=(leads, lags))
        problems.raise_if_any()
    sa = sun_abraham(panel, outcome, covariates=covariates, cluster=cluster, reference=reference,
                     small_sample=small_sample)
    return event_study_of(sa, outcome, leads, lags)


def event_study_of(sa: SunAbrahamResult, outcome: str, leads: int = 3, lags: int = 3) -> EventStudyResult:
    """The event study (see :func:`event_study`) of an existing :func:`sun_abraham` result."""
    reference = sa.reference
    rel = sa.by_rel_time
    window = (rel["rel_time"] >= -leads) & (rel["rel_time"] <= lags)
    table = rel.loc[window].copy()
    table["is_reference"] = False
    if -leads <= reference <= lags:
        ref_row = pd.DataFrame(
            {
                "rel_time": [reference], "coefficient": [0.0], "std_error": [np.nan], "ci_low": [np.nan],
                "ci_high": [np.nan], "p_value": [np.nan], "n_obs": [0], "is_reference": [True],
            }
        )
        table = pd.concat([table, ref_row], ignore_index=True)
    table = table.sort_values("rel_time").reset_index(drop=True)
    table["rel_time"] = table["rel_time"].astype(np.int64)
    table["n_obs"] = table["n_obs"].astype(np.int64)
    pre_mask = (window & (rel["rel_time"] < 0)).to_numpy()
    pretrend = None
    if pre_mask.any():
        b = rel.loc[pre_mask, "coefficient"].to_numpy()
        v = sa.vcov_rel_time[np.ix_(pre_mask, pre_mask)]
        q = int(np.linalg.matrix_rank(v))
        if q > 0:
            w_stat = float(b @ np.linalg.pinv(v) @ b)
            df2 = sa.att.df
            f_stat = w_stat / q
            pretrend = PretrendTest(
                rel_times=tuple(int(t) for t in rel.loc[pre_mask, "rel_time"]),
                statistic=f_stat,
                df1=q,
                df2=df2,
                p_value=float(stats.f.sf(f_stat, q, df2)),
                chi2=w_stat,
                chi2_p_value=float(stats.chi2.sf(w_stat, q)),
            )
    return EventStudyResult(
        outcome=outcome,
        table=table,
        pretrend=pretrend,
        reference=int(reference),
        method="interaction-weighted event study (Sun & Abraham 2021)",
        n_obs=sa.att.n_obs,
        n_firms=sa.att.n_firms,
        n_treated_firms=sa.n_treated_firms,
    )


