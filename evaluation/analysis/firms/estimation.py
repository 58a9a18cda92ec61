"""Two-way fixed effects (firm and year), estimated by pyfixest, with iid or clustered errors.

:func:`fe_regression` is OLS with firm and year fixed effects; :func:`did_twfe` the
difference-in-differences built on it. The private helpers (``_prepare`` validates the panel
and makes numeric arrays, ``_fe_ols`` calls ``pyfixest.feols``) are shared with the Sun &
Abraham estimator in :mod:`.eventstudy`. Demeaning and the sandwich are pyfixest's.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.analysis.firms import fixest
from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_

__all__ = ["SMALL_SAMPLE", "Estimate", "SmallSample", "did_twfe", "fe_regression"]


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


SMALL_SAMPLE = ("nested", "all")
"""The small-sample conventions of the clustered standard errors (see :func:`fe_regression`)."""

SmallSample = Literal["nested", "all"]


def _check_small_sample(small_sample: str) -> None:
    if small_sample not in SMALL_SAMPLE:
        problems = ProblemCollector()
        problems.add("<arguments>", "small_sample", "'nested' or 'all'", got=small_sample)
        problems.raise_if_any()


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


def _no_variation(column: np.ndarray, firm: np.ndarray, year: np.ndarray) -> bool:
    """True if ``column`` is (numerically) absorbed by the firm and year effects (pyfixest's demeaning)."""
    x = np.asarray(column, dtype=float).reshape(-1, 1)
    flist = np.column_stack([firm, year]).astype(np.uint64)
    within, _ = fixest.pf_demean(x, flist, np.ones(x.shape[0]), tol=1e-10, maxiter=100_000)
    before = float(np.linalg.norm(x - x.mean()))
    return float(np.linalg.norm(within)) <= 1e-9 * max(before, 1e-300)


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
    small_sample: SmallSample = "nested",
) -> _Fit:
    """OLS of y on the columns with firm and year fixed effects, estimated by pyfixest (see fe_regression).

    Singleton firms are kept (``fixef_rm="none"``), so N and the cluster count are those of
    the data; a regressor pyfixest drops as collinear is an :class:`AnalysisError`.
    """
    n = y.size
    k = len(columns)
    _check_small_sample(small_sample)
    data = {"y": y, "firm": firm, "year": year}
    for j, col in enumerate(columns):
        data[f"x{j}"] = np.asarray(col, dtype=float)
    if cluster is None:
        df_k = k + n_firms + n_years - 1
        if n - df_k <= 0:
            raise AnalysisError(N_("Too few observations ({n}) for {k} parameters."), n=n, k=df_k)
        vcov: str | dict[str, str] = "iid"
    else:
        if n_clusters < 2:
            raise AnalysisError(N_("Cluster-robust standard errors need at least two clusters."))
        data["cl"] = cluster
        vcov = {"CRV1": "cl"}
    frame = pd.DataFrame(data)
    xs = " + ".join(f"x{j}" for j in range(k))
    ssc = fixest.pf.ssc(k_adj=True, k_fixef="nonnested" if small_sample == "nested" else "full", G_adj=True)
    fit = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest warns about the variables it drops; raised below
        try:
            fit = fixest.pf.feols(f"y ~ {xs} | firm + year", data=frame, vcov=vcov, ssc=ssc, fixef_rm="none",
                           copy_data=False, store_data=False)
        except ValueError as err:  # pyfixest: "All variables are collinear"
            if "collinear" not in str(err):
                raise
    dropped = list(range(k)) if fit is None else [int(v[1:]) for v in (fit._collin_vars or ()) if str(v).startswith("x")]
    if dropped or fit is None:
        alone = [j for j in dropped if _no_variation(columns[j], firm, year)]
        if alone:
            raise AnalysisError(N_("'{name}' does not vary once firm and year effects are removed, so its effect cannot be "
                                   "estimated (for a treatment: no firm changes status within the data)."), name=names[alone[0]])
        raise AnalysisError(N_("The regressors ({names}) are collinear with each other or with the fixed effects."),
                            names=", ".join(names))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an exact fit (zero residuals) has t = b / 0; the SE of 0 is reported as such
        beta = np.asarray(fit.coef().to_numpy(), dtype=float)
        vc = np.asarray(fit._vcov, dtype=float)
        df_t = float(fit._df_t)
    if cluster is None:
        se_type = (
            f"iid (classical) standard errors, s^2 = RSS/(N-K) with K = {df_k} "
            f"(regressors + firm and year effects); t distribution with {int(df_t)} df; estimated by pyfixest"
        )
        return _Fit(tuple(names), beta, vc, df_t, n, n_firms, None, se_type)
    counted = ("fixed effects nested in the clusters counted as one, as fixest, reghdfe and Stata xtreg"
               if small_sample == "nested" else "every fixed effect counted, as firm dummies or Stata areg")
    se_type = (
        f"cluster-robust (CR1) by {cluster_name}, {n_clusters} clusters; small-sample factor "
        f"G/(G-1) * (N-1)/(N-K) with {counted}; t distribution with G-1 = {n_clusters - 1} df; estimated by pyfixest"
    )
    return _Fit(tuple(names), beta, vc, df_t, n, n_firms, n_clusters, se_type)


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
    small_sample: SmallSample = "nested",
) -> tuple[Estimate, ...]:
    """OLS of ``outcome`` on ``regressors`` with firm and year fixed effects (``pyfixest.feols``).

    Rows with a missing outcome or regressor are dropped; firms observed once are kept
    (pyfixest's ``fixef_rm="none"``), so N and the number of clusters are those of the data.

    Standard errors:

    * ``cluster=None``: classical iid errors, s^2 = RSS / (N - K), K = regressors + firms +
      years - 1 (as Stata's ``xtreg, fe`` and textbooks), t distribution with N - K df;
    * ``cluster="<column>"`` (default ``"firm_id"``): CR1 sandwich times
      G/(G-1) * (N-1)/(N-K) with a t distribution with G - 1 df. ``small_sample`` says what
      K counts: ``"nested"`` (default) counts each fixed effect nested in the clusters as one
      (fixest and pyfixest's default, reghdfe, Stata ``xtreg, fe vce(cluster)``; Wooldridge
      Example 14.1 gives SEs 0.1434 and 0.2825); ``"all"`` counts every fixed-effect level
      (firm dummies, Stata ``areg``; 0.176 and 0.347).
    """
    regressors = list(regressors)
    if not regressors:
        problems = ProblemCollector()
        problems.add("<arguments>", "regressors", "at least one column name", got=regressors)
        problems.raise_if_any()
    _check_small_sample(small_sample)
    prep = _prepare(panel, outcome, regressors, cluster, drop_unknown_start=False, need_status=False)
    fit = _fe_ols(prep.y, [prep.columns[c] for c in regressors], regressors, prep.firm, prep.year,
                  prep.n_firms, prep.n_years, prep.cluster, prep.n_clusters, cluster, small_sample)
    return tuple(fit.estimate(j) for j in range(len(regressors)))


def did_twfe(
    panel: pd.DataFrame,
    outcome: str,
    treatment_col: str | None = None,
    cluster: str | None = "firm_id",
    covariates: Sequence[str] = (),
    small_sample: SmallSample = "nested",
) -> Estimate:
    """Difference-in-differences with firm and year fixed effects (two-way fixed effects).

    The treatment is ``participant & year >= participation_start`` unless ``treatment_col``
    names a column holding it. With the default treatment, participants with an unknown
    start year are dropped (their post period is unknown). ``covariates`` are added as
    time-varying controls. Standard errors and ``small_sample`` as in :func:`fe_regression`
    (firm-clustered by default, ``cluster=None`` for iid errors).

    With staggered start years and effects that differ between start years or grow over
    time this estimator is biased; use :func:`did` or :func:`callaway_santanna` then.
    """
    covariates = list(covariates)
    _check_small_sample(small_sample)
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
                  prep.n_years, prep.cluster, prep.n_clusters, cluster, small_sample)
    return fit.estimate(0)
