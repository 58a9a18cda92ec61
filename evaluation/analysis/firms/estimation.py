"""Two-way fixed effects (firm and year) by the within transformation, with iid or clustered errors.

:func:`fe_regression` is OLS with firm and year fixed effects; :func:`did_twfe` the
difference-in-differences built on it. The private engine (``_prepare``, ``_TwoWayDemeaner``,
``_fe_ols``) is shared with the Sun & Abraham estimator in :mod:`.eventstudy`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_

__all__ = ["Estimate", "did_twfe", "fe_regression"]


@dataclass(frozen=True)
class Estimate:
    """One estimated coefficient with its 95 % confidence interval.

    ``df`` is the degrees of freedom of the t distribution used for the p-value and the
    interval (G - 1 for cluster-robust errors, N - K for iid errors); ``se_type`` says how
    the standard error was computed.
    """

    name: str
    coefficient: float
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    n_obs: int
    n_firms: int
    n_clusters: int | None
    se_type: str
    df: float


def _estimate(name: str, coef: float, se: float, df_t: float, n_obs: int, n_firms: int,
              n_clusters: int | None, se_type: str) -> Estimate:
    crit = float(stats.t.ppf(0.975, df_t))
    tstat = coef / se if se > 0 else math.nan
    p = float(2 * stats.t.sf(abs(tstat), df_t)) if se > 0 else math.nan
    return Estimate(
        name=name, coefficient=float(coef), std_error=float(se),
        ci_low=float(coef - crit * se), ci_high=float(coef + crit * se), p_value=p,
        n_obs=int(n_obs), n_firms=int(n_firms), n_clusters=n_clusters, se_type=se_type, df=float(df_t),
    )


def _dense_codes(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Renumber non-negative integer codes to 0..k-1 keeping their order."""
    if codes.size == 0:
        return codes.astype(np.intp), 0
    present = np.bincount(codes) > 0
    remap = np.cumsum(present) - 1
    return remap[codes].astype(np.intp), int(present.sum())


def _year_codes(year: np.ndarray) -> tuple[np.ndarray, int, np.ndarray]:
    """Codes 0..T-1 for integer years (in year order) and the years themselves."""
    ymin = int(year.min())
    shifted = (year - ymin).astype(np.intp)
    present = np.bincount(shifted) > 0
    remap = np.cumsum(present) - 1
    years = np.flatnonzero(present) + ymin
    return remap[shifted].astype(np.intp), int(present.sum()), years


class _TwoWayDemeaner:
    """Removes firm and year means (the within transformation for two-way fixed effects).

    * balanced panel (every firm once in every year): exact one pass,
      x - firm mean - year mean + grand mean;
    * unbalanced, firms x years small enough: exact in one pass by Frisch-Waugh-Lovell -
      demean within firms, then project on the within-firm-demeaned year dummies, whose
      (T x T) cross-product is built from np.bincount counts;
    * otherwise: alternating projections (np.bincount means) until the largest mean
      removed is below ``tol`` times the scale of the data.
    """

    EXACT_LIMIT = 50_000_000  # firms x years cells for the exact unbalanced method

    def __init__(self, firm: np.ndarray, year: np.ndarray, n_firms: int, n_years: int,
                 method: Literal["auto", "exact", "alternating"] = "auto",
                 tol: float = 1e-12, maxiter: int = 100_000) -> None:
        self.firm, self.year = firm, year
        self.nf, self.ny = n_firms, n_years
        self.n = firm.size
        self.firm_n = np.bincount(firm, minlength=n_firms).astype(float)
        self.year_n = np.bincount(year, minlength=n_years).astype(float)
        self.tol, self.maxiter = tol, maxiter
        self.balanced = False
        if self.n == n_firms * n_years and np.all(self.firm_n == n_years):
            cells = np.bincount(firm.astype(np.int64) * n_years + year, minlength=n_firms * n_years)
            self.balanced = bool(cells.max() == 1)
        if self.balanced and method == "auto":
            self.method = "balanced"
        elif method == "alternating" or (method == "auto" and n_firms * n_years > self.EXACT_LIMIT):
            self.method = "alternating"
        else:
            self.method = "exact"
            counts = np.bincount(firm.astype(np.int64) * n_years + year,
                                 minlength=n_firms * n_years).reshape(n_firms, n_years).astype(float)
            a = np.diag(self.year_n) - counts.T @ (counts / self.firm_n[:, None])
            self.a_pinv = np.linalg.pinv(a[1:, 1:], rcond=1e-12, hermitian=True)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        firm, year = self.firm, self.year
        if self.method == "balanced":
            fm = np.bincount(firm, weights=x, minlength=self.nf) / self.ny
            ym = np.bincount(year, weights=x, minlength=self.ny) / self.nf
            out = x - fm[firm]
            out -= ym[year]
            out += x.mean()
            return out
        if self.method == "exact":
            fm = np.bincount(firm, weights=x, minlength=self.nf) / self.firm_n
            xw = x - fm[firm]
            b = np.bincount(year, weights=xw, minlength=self.ny)
            g = np.zeros(self.ny)
            g[1:] = self.a_pinv @ b[1:]
            gi = g[year]
            gf = np.bincount(firm, weights=gi, minlength=self.nf) / self.firm_n
            xw -= gi
            xw += gf[firm]
            return xw
        out = np.array(x, dtype=float, copy=True)
        scale = max(float(np.abs(out).max()) if out.size else 0.0, 1.0)
        for _ in range(self.maxiter):
            fm = np.bincount(firm, weights=out, minlength=self.nf) / self.firm_n
            out -= fm[firm]
            ym = np.bincount(year, weights=out, minlength=self.ny) / self.year_n
            out -= ym[year]
            if max(float(np.abs(fm).max()), float(np.abs(ym).max())) < self.tol * scale:
                return out
        raise AnalysisError(N_("Removing the firm and year fixed effects did not converge in {n} iterations."), n=self.maxiter)


def _nested(fe_codes: np.ndarray, n_levels: int, cluster_codes: np.ndarray) -> bool:
    """True if every level of a fixed effect lies within a single cluster."""
    first = np.full(n_levels, -1, dtype=np.int64)
    first[fe_codes] = cluster_codes  # any one cluster of each level
    return bool(np.array_equal(first[fe_codes], cluster_codes))


@dataclass(frozen=True)
class _Fit:
    names: tuple[str, ...]
    beta: np.ndarray
    vcov: np.ndarray
    df_t: float
    n_obs: int
    n_firms: int
    n_clusters: int | None
    se_type: str

    def estimate(self, j: int) -> Estimate:
        return _estimate(self.names[j], self.beta[j], math.sqrt(max(self.vcov[j, j], 0.0)), self.df_t,
                         self.n_obs, self.n_firms, self.n_clusters, self.se_type)


def _fe_ols(
    y: np.ndarray,
    columns: Sequence[np.ndarray],
    names: Sequence[str],
    firm: np.ndarray,
    year: np.ndarray,
    n_firms: int,
    n_years: int,
    cluster: np.ndarray | None,
    n_clusters: int,
    cluster_name: str | None,
    demean: Literal["auto", "exact", "alternating"] = "auto",
) -> _Fit:
    """OLS of y on the columns with firm and year fixed effects (see fe_regression)."""
    n = y.size
    k = len(columns)
    dm = _TwoWayDemeaner(firm, year, n_firms, n_years, demean)
    yd = dm(y)
    xd = np.empty((n, k), order="F")
    for j, col in enumerate(columns):
        col = np.asarray(col, dtype=float)
        xd[:, j] = dm(col)
        before = float(np.sqrt(np.dot(col - col.mean(), col - col.mean()))) if n else 0.0
        after = float(np.sqrt(np.dot(xd[:, j], xd[:, j])))
        if after <= 1e-9 * max(before, 1e-300) or after == 0.0:
            raise AnalysisError(N_("'{name}' does not vary once firm and year effects are removed, so its effect cannot be "
                                   "estimated (for a treatment: no firm changes status within the data)."), name=names[j])
    xtx = xd.T @ xd
    scale = np.sqrt(np.diag(xtx))
    if np.linalg.cond(xtx / np.outer(scale, scale)) > 1e12:  # scale-free collinearity check
        raise AnalysisError(N_("The regressors ({names}) are collinear with each other or with the fixed effects."),
                            names=", ".join(names))
    bread = np.linalg.inv(xtx)
    beta = bread @ (xd.T @ yd)
    resid = yd - xd @ beta
    fe_params = n_firms + n_years - 1  # one level is redundant with two fixed effects
    if cluster is None:
        df_k = k + fe_params
        dof = n - df_k
        if dof <= 0:
            raise AnalysisError(N_("Too few observations ({n}) for {k} parameters."), n=n, k=df_k)
        sigma2 = float(resid @ resid) / dof
        vcov = sigma2 * bread
        se_type = (
            f"iid (classical) standard errors, s^2 = RSS/(N-K) with K = {df_k} "
            f"(regressors + firm and year effects); t distribution with {dof} df"
        )
        return _Fit(tuple(names), beta, vcov, float(dof), n, n_firms, None, se_type)
    if n_clusters < 2:
        raise AnalysisError(N_("Cluster-robust standard errors need at least two clusters."))
    sg = np.empty((n_clusters, k))
    for j in range(k):
        sg[:, j] = np.bincount(cluster, weights=xd[:, j] * resid, minlength=n_clusters)
    meat = sg.T @ sg
    firm_nested = cluster is firm or _nested(firm, n_firms, cluster)
    year_nested = _nested(year, n_years, cluster)
    k_fe_nested = n_firms * firm_nested + n_years * year_nested
    n_nested = int(firm_nested) + int(year_nested)
    df_k = k + fe_params - k_fe_nested + n_nested
    g = n_clusters
    factor = (n - 1) / (n - df_k) * g / (g - 1)
    vcov = factor * (bread @ meat @ bread)
    se_type = (
        f"cluster-robust (CR1) by {cluster_name}, {g} clusters; small-sample factor "
        f"G/(G-1) * (N-1)/(N-K) with K = {df_k} (fixed effects nested in clusters count as one, "
        f"as pyfixest's default ssc); t distribution with G-1 = {g - 1} df"
    )
    return _Fit(tuple(names), beta, vcov, float(g - 1), n, n_firms, g, se_type)


@dataclass(frozen=True)
class _Prepared:
    y: np.ndarray
    columns: dict[str, np.ndarray]
    firm: np.ndarray
    year: np.ndarray
    years: np.ndarray
    n_firms: int
    n_years: int
    cluster: np.ndarray | None
    n_clusters: int
    start: np.ndarray
    participant: np.ndarray
    n_unknown_start: int


def _prepare(
    panel: pd.DataFrame,
    outcome: str,
    extra: Sequence[str],
    cluster: str | None,
    *,
    drop_unknown_start: bool,
    need_status: bool,
) -> _Prepared:
    """Numeric arrays for estimation; rows with a missing outcome/regressor are dropped."""
    needed = ["firm_id", "year", outcome, *extra]
    if need_status:
        needed += ["participant", "participation_start"]
    if cluster is not None and cluster not in needed:
        needed.append(cluster)
    _require_columns(panel, list(dict.fromkeys(needed)), "<panel>")
    firm_codes, _ = pd.factorize(panel["firm_id"], use_na_sentinel=True)
    if (firm_codes < 0).any():
        raise AnalysisError(N_("The panel has rows without {column}; check it with validate_panel first."),
                            column="firm_id")
    year = panel["year"].to_numpy()
    if year.dtype.kind not in "iu":
        year = _floats(panel["year"])
        if np.isnan(year).any():
            raise AnalysisError(N_("The panel has rows without {column}; check it with validate_panel first."),
                                column="year")
        year = year.astype(np.int64)
    y = _floats(panel[outcome])
    keep = ~np.isnan(y)
    columns = {}
    for c in extra:
        col = _floats(panel[c])
        keep &= ~np.isnan(col)
        columns[c] = col
    if need_status:
        participant = panel["participant"].to_numpy(dtype=bool)
        start = _floats(panel["participation_start"])
        unknown = participant & np.isnan(start)
        n_unknown = int(pd.unique(firm_codes[unknown]).size)
        if drop_unknown_start:
            keep &= ~unknown
    else:
        participant = np.zeros(y.size, dtype=bool)
        start = np.full(y.size, np.nan)
        n_unknown = 0
    cl_codes: np.ndarray | None = None
    if cluster is not None:
        if cluster == "firm_id":
            cl_codes = firm_codes
        else:
            cl_codes, _ = pd.factorize(panel[cluster], use_na_sentinel=True)
            if (cl_codes[keep] < 0).any():
                raise AnalysisError(N_("The cluster column '{cluster}' has missing values."), cluster=cluster)
    all_kept = bool(keep.all())
    if not all_kept:
        y = y[keep]
        firm_codes = firm_codes[keep]
        year = year[keep]
        columns = {c: v[keep] for c, v in columns.items()}
        participant, start = participant[keep], start[keep]
        if cl_codes is not None:
            cl_codes = cl_codes[keep]
    if y.size == 0:
        raise AnalysisError(N_("There are no rows with a value of '{outcome}' (and the regressors) to estimate from."),
                            outcome=outcome)
    firm, n_firms = _dense_codes(firm_codes) if not all_kept else (firm_codes.astype(np.intp, copy=False), int(firm_codes.max()) + 1)
    year_codes, n_years, years = _year_codes(year)
    n_clusters = 0
    if cl_codes is not None:
        if cluster == "firm_id":
            cl_codes, n_clusters = firm, n_firms
        else:
            cl_codes, n_clusters = _dense_codes(cl_codes)
    return _Prepared(
        y=y, columns=columns, firm=firm, year=year_codes, years=years, n_firms=n_firms,
        n_years=n_years, cluster=cl_codes, n_clusters=n_clusters,
        start=start, participant=participant, n_unknown_start=n_unknown,
    )


def fe_regression(
    panel: pd.DataFrame,
    outcome: str,
    regressors: Sequence[str],
    cluster: str | None = "firm_id",
) -> tuple[Estimate, ...]:
    """OLS of ``outcome`` on ``regressors`` with firm and year fixed effects.

    Rows with a missing outcome or regressor are dropped. The fixed effects are removed by
    the within transformation (exact for balanced panels and for unbalanced panels with up
    to 50 million firm x year cells, alternating projections beyond that).

    Standard errors:

    * ``cluster=None``: classical iid errors, s^2 = RSS / (N - K), K = regressors + firms +
      years - 1 (as Stata's ``xtreg, fe`` and textbooks), t distribution with N - K df;
    * ``cluster="<column>"`` (default ``"firm_id"``): CR1 sandwich
      (X'X)^-1 (sum_g X_g'e_g e_g'X_g) (X'X)^-1 times G/(G-1) * (N-1)/(N-K), where K counts
      the regressors plus the fixed-effect levels not nested in the clusters, and each fixed
      effect nested in the clusters counts as one. This is pyfixest's default
      (``ssc(k_adj=True, k_fixef="nonnested", G_adj=True)``) and equals Stata's ``reghdfe``
      (nested effects redundant, constant counted); for firm clusters K = regressors +
      years. p-values and intervals use the t distribution with G - 1 df.
    """
    regressors = list(regressors)
    if not regressors:
        problems = ProblemCollector()
        problems.add("<arguments>", "regressors", "at least one column name", got=regressors)
        problems.raise_if_any()
    prep = _prepare(panel, outcome, regressors, cluster, drop_unknown_start=False, need_status=False)
    fit = _fe_ols(prep.y, [prep.columns[c] for c in regressors], regressors, prep.firm, prep.year,
                  prep.n_firms, prep.n_years, prep.cluster, prep.n_clusters, cluster)
    return tuple(fit.estimate(j) for j in range(len(regressors)))


def did_twfe(
    panel: pd.DataFrame,
    outcome: str,
    treatment_col: str | None = None,
    cluster: str | None = "firm_id",
    covariates: Sequence[str] = (),
) -> Estimate:
    """Difference-in-differences with firm and year fixed effects (two-way fixed effects).

    The treatment is ``participant & year >= participation_start`` unless ``treatment_col``
    names a column holding it. With the default treatment, participants with an unknown
    start year are dropped (their post period is unknown). ``covariates`` are added as
    time-varying controls. Standard errors as in :func:`fe_regression` (firm-clustered by
    default, ``cluster=None`` for iid errors).

    With staggered start years and effects that differ between start years or grow over
    time this estimator is biased; use :func:`did` or :func:`sun_abraham` then.
    """
    covariates = list(covariates)
    if treatment_col is None:
        prep = _prepare(panel, outcome, covariates, cluster, drop_unknown_start=True, need_status=True)
        treat = (prep.participant & (prep.years[prep.year] >= np.nan_to_num(prep.start, nan=np.inf))).astype(float)
        name = "treatment (participant after start)"
    else:
        prep = _prepare(panel, outcome, [treatment_col, *covariates], cluster,
                        drop_unknown_start=False, need_status=False)
        treat = prep.columns[treatment_col]
        name = treatment_col
    columns = [treat] + [prep.columns[c] for c in covariates]
    fit = _fe_ols(prep.y, columns, [name, *covariates], prep.firm, prep.year, prep.n_firms,
                  prep.n_years, prep.cluster, prep.n_clusters, cluster)
    return fit.estimate(0)


