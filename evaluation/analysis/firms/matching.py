"""How alike participants and comparison firms are: balance, common support and matching.

:func:`balance_table` gives standardised mean differences; :func:`match` pairs participants
with comparison firms by propensity score or Mahalanobis distance (greedy nearest neighbour).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import N_

__all__ = ["CommonSupport", "MatchResult", "balance_table", "match"]


def _cross_section(panel: pd.DataFrame, covariates: Sequence[str], year: int) -> pd.DataFrame:
    _require_columns(panel, ("firm_id", "year", "participant", *covariates), "<panel>")
    if not covariates:
        problems = ProblemCollector()
        problems.add("<arguments>", "covariates", "at least one column name", got=list(covariates))
        problems.raise_if_any()
    rows = panel.loc[panel["year"].to_numpy() == year]
    out = pd.DataFrame(
        {
            "firm_id": rows["firm_id"].astype("str").to_numpy(dtype=object),
            "participant": rows["participant"].to_numpy(dtype=bool),
        }
    )
    for c in covariates:
        out[c] = _floats(rows[c])
    return out.sort_values("firm_id", kind="stable").reset_index(drop=True)


def _smd_table(
    treated: pd.DataFrame,
    control: pd.DataFrame,
    covariates: Sequence[str],
    control_weights: np.ndarray | None = None,
    denominators: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    records = []
    for c in covariates:
        t = treated[c].to_numpy(dtype=float)
        k = control[c].to_numpy(dtype=float)
        w = np.ones_like(k) if control_weights is None else np.asarray(control_weights, dtype=float)
        tm, km = ~np.isnan(t), ~np.isnan(k)
        t, k, w = t[tm], k[km], w[km]
        mean_t = float(t.mean()) if t.size else math.nan
        mean_c = float(np.average(k, weights=w)) if k.size and w.sum() > 0 else math.nan
        if denominators is not None:
            sd = denominators[c]
        else:
            var_t = float(t.var(ddof=1)) if t.size > 1 else math.nan
            var_c = float(k.var(ddof=1)) if k.size > 1 else math.nan
            sd = math.sqrt((var_t + var_c) / 2)
        diff = mean_t - mean_c
        if sd > 0:
            smd = diff / sd
        elif sd == 0 and diff == 0:
            smd = 0.0
        else:
            smd = math.nan
        records.append(
            {
                "covariate": c,
                "mean_participants": mean_t,
                "mean_comparison": mean_c,
                "smd": smd,
                "n_participants": int(t.size),
                "n_comparison": int(k.size),
            }
        )
    return pd.DataFrame.from_records(records).set_index("covariate")


def _with_units(table: pd.DataFrame, treated: pd.DataFrame, control: pd.DataFrame, covariates: Sequence[str],
                year: int) -> pd.DataFrame:
    """``table`` naming the firms behind each mean: ``attrs["units"]`` holds the year and, per group and
    covariate, each firm's value (firm id to value), so that disclosure control can check the means."""

    def values(frame: pd.DataFrame, c: str) -> dict[str, float]:
        v = frame[c].to_numpy(dtype=float)
        keep = ~np.isnan(v)
        return dict(zip(frame["firm_id"].astype(str).to_numpy()[keep], v[keep].tolist()))

    table.attrs["units"] = {"year": int(year),
                            "participants": {c: values(treated, c) for c in covariates},
                            "comparison": {c: values(control, c) for c in covariates}}
    return table


def balance_table(panel: pd.DataFrame, covariates: Sequence[str], year: int) -> pd.DataFrame:
    """Means of participants and comparison firms in ``year`` and the standardised difference.

    One row per covariate (index ``covariate``) with ``mean_participants``,
    ``mean_comparison``, ``smd`` and the non-missing counts ``n_participants`` and
    ``n_comparison``. The standardised mean difference uses the pooled standard deviation
    of the two groups (Austin 2009; Rosenbaum & Rubin 1985)::

        smd = (mean_participants - mean_comparison) / sqrt((s2_participants + s2_comparison) / 2)

    with sample variances (ddof = 1). |smd| < 0.1 is commonly read as balanced. The table's
    ``attrs["units"]`` names the firms behind each mean (for disclosure control).
    """
    xs = _cross_section(panel, covariates, year)
    treated = xs.loc[xs["participant"]]
    control = xs.loc[~xs["participant"]]
    return _with_units(_smd_table(treated, control, covariates), treated, control, covariates, year)


@dataclass(frozen=True)
class CommonSupport:
    """Which participants lie where comparison firms exist (and so can be matched).

    For propensity matching the region is [low, high], the comparison firms' range of
    scores; for nearest-neighbour matching a participant is outside if any covariate lies
    outside the comparison firms' range (``low``/``high`` are then None).
    """

    rule: str
    low: float | None
    high: float | None
    n_participants: int
    n_outside: int
    outside: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    """Matched pairs, common support and balance before and after matching.

    ``pairs`` has columns ``treated_id``, ``control_id``, ``distance`` and ``round`` (1 for
    the first control of each participant, 2 for the second, ...), plus ``treated_score``
    and ``control_score`` for propensity matching. ``balance_after`` has the shape of
    :func:`balance_table`; matched comparison firms are weighted 1/(number of controls of
    their participant) and the SMD keeps the pooled SD from before matching, so that the
    change shows changed means rather than a changed spread. Both balance tables name the firms
    behind their means in ``attrs["units"]`` (see :func:`balance_table`).
    """

    method: Literal["propensity", "nearest"]
    year: int
    covariates: tuple[str, ...]
    caliper: float | None
    caliper_distance: float | None
    ratio: int
    replace: bool
    pairs: pd.DataFrame
    support: CommonSupport
    n_participants: int
    n_matched: int
    n_no_match_within_caliper: int
    balance_before: pd.DataFrame
    balance_after: pd.DataFrame
    scores: pd.DataFrame | None


def match(
    panel: pd.DataFrame,
    covariates: Sequence[str],
    year: int,
    method: Literal["propensity", "nearest"] = "propensity",
    caliper: float | None = 0.2,
    ratio: int = 1,
    seed: int = 0,
    *,
    replace: bool = False,
    order: Literal["largest", "data", "random"] = "largest",
) -> MatchResult:
    """Match participants to comparison firms on covariates measured in ``year``.

    ``method="propensity"``: a logit of participation on the covariates (statsmodels
    ``Logit``) gives each firm a score; distance is the absolute difference in the linear
    predictor (logit of the score); ``caliper`` is in standard deviations of that linear
    predictor over both groups (0.2 as recommended by Austin 2011). Participants whose score
    lies outside the comparison firms' range are dropped (common support).

    ``method="nearest"``: Mahalanobis distance on the covariates (pooled covariance);
    ``caliper`` is a maximum Mahalanobis distance; a participant outside the comparison
    firms' range on any covariate is dropped.

    Greedy matching in ``ratio`` rounds: in each round every participant, in ``order``
    ("largest": highest score first, for nearest matching the largest distance to the
    closest comparison firm first; "data": by firm_id; "random": shuffled with ``seed``),
    takes the closest comparison firm still available (with ``replace=True`` all are
    available). Ties go to the lowest firm_id. Firms with a missing covariate are left out.
    """
    if method not in ("propensity", "nearest"):
        problems = ProblemCollector()
        problems.add("<arguments>", "method", "'propensity' or 'nearest'", got=method)
        problems.raise_if_any()
    if ratio < 1 or int(ratio) != ratio:
        problems = ProblemCollector()
        problems.add("<arguments>", "ratio", "a whole number >= 1", got=ratio)
        problems.raise_if_any()
    covariates = tuple(covariates)
    xs = _cross_section(panel, covariates, year)
    balance_before_all = _with_units(_smd_table(xs.loc[xs["participant"]], xs.loc[~xs["participant"]], covariates),
                                     xs.loc[xs["participant"]], xs.loc[~xs["participant"]], covariates, year)
    complete = xs.dropna(subset=list(covariates)).reset_index(drop=True)
    is_t = complete["participant"].to_numpy(dtype=bool)
    n_t, n_c = int(is_t.sum()), int((~is_t).sum())
    if n_t == 0 or n_c == 0:
        raise AnalysisError(N_("Matching needs participants and comparison firms with all covariates in {year} (found {n_t} "
                               "participants and {n_c} comparison firms)."), year=year, n_t=n_t, n_c=n_c)
    X = complete[list(covariates)].to_numpy(dtype=float)
    ids = complete["firm_id"].to_numpy(dtype=object)

    scores_df: pd.DataFrame | None = None
    if method == "propensity":
        import statsmodels.api as sm  # local import: heavy

        design = np.column_stack([np.ones(len(X)), X])
        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("error")
                fit = sm.Logit(is_t.astype(float), design).fit(disp=0, method="newton", maxiter=200)
        except Exception as exc:  # perfect separation, singular design, no convergence
            raise AnalysisError(N_("The propensity model could not be estimated ({err}). The covariates may separate "
                                   "participants and comparison firms perfectly."), err=f"{type(exc).__name__}: {exc}") from exc
        if not fit.mle_retvals.get("converged", True):
            raise AnalysisError(N_("The propensity model did not converge."))
        linear = design @ fit.params
        score = 1.0 / (1.0 + np.exp(-linear))
        scores_df = pd.DataFrame({"firm_id": ids, "participant": is_t, "score": score})
        position = linear  # distance on the logit scale
        low, high = float(score[~is_t].min()), float(score[~is_t].max())
        outside = is_t & ((score < low) | (score > high))
        support_rule = "propensity score within the comparison firms' range"
        caliper_distance = None if caliper is None else float(caliper * np.std(linear, ddof=1))
        support = CommonSupport(
            rule=support_rule, low=low, high=high, n_participants=n_t,
            n_outside=int(outside.sum()), outside=tuple(sorted(ids[outside])),
        )
    else:
        cov = np.atleast_2d(np.cov(X, rowvar=False))
        inv = np.linalg.pinv(cov)
        # Whitening makes Euclidean distance equal to Mahalanobis distance.
        eigval, eigvec = np.linalg.eigh(inv)
        whiten = eigvec @ np.diag(np.sqrt(np.clip(eigval, 0, None))) @ eigvec.T
        position = X @ whiten
        cmin, cmax = X[~is_t].min(axis=0), X[~is_t].max(axis=0)
        outside = is_t & ((cmin > X) | (cmax < X)).any(axis=1)
        support = CommonSupport(
            rule="every covariate within the comparison firms' range", low=None, high=None,
            n_participants=n_t, n_outside=int(outside.sum()), outside=tuple(sorted(ids[outside])),
        )
        caliper_distance = None if caliper is None else float(caliper)
        score = None

    pos = np.atleast_2d(np.asarray(position, dtype=float).T).T  # (n, d)
    treated_idx = np.flatnonzero(is_t & ~outside)
    control_idx = np.flatnonzero(~is_t)  # sorted by firm_id already
    cpos = pos[control_idx]

    def dist_to_controls(i: int | np.integer) -> np.ndarray:
        return np.sqrt(((cpos - pos[i]) ** 2).sum(axis=1))

    if order == "largest":
        if method == "propensity":
            key = -np.asarray(score)[treated_idx]
        else:
            key = -np.array([dist_to_controls(i).min() for i in treated_idx])
        treated_order = treated_idx[np.lexsort((ids[treated_idx].astype(str), key))]
    elif order == "data":
        treated_order = treated_idx
    elif order == "random":
        treated_order = treated_idx[np.random.default_rng(seed).permutation(treated_idx.size)]
    else:
        problems = ProblemCollector()
        problems.add("<arguments>", "order", "'largest', 'data' or 'random'", got=order)
        problems.raise_if_any()
        raise AssertionError  # unreachable

    available = np.ones(control_idx.size, dtype=bool)
    matched: dict[int, list[tuple[int, float]]] = {int(i): [] for i in treated_order}
    no_match: set[int] = set()
    for rnd in range(1, int(ratio) + 1):
        for i in treated_order:
            i = int(i)
            if i in no_match:
                continue
            d = dist_to_controls(i)
            allowed = available if not replace else np.ones_like(available)
            if replace:
                used = {c for c, _ in matched[i]}
                if used:
                    allowed = allowed.copy()
                    allowed[list(used)] = False
            if caliper_distance is not None:
                allowed = allowed & (d <= caliper_distance)
            if not allowed.any():
                if rnd == 1:
                    no_match.add(i)
                continue
            d_masked = np.where(allowed, d, np.inf)
            j = int(np.argmin(d_masked))  # first minimum = lowest firm_id
            matched[i].append((j, float(d[j])))
            if not replace:
                available[j] = False

    records = []
    for i in sorted(matched, key=lambda k: ids[k]):
        for rnd, (j, dist) in enumerate(matched[i], start=1):
            rec = {"treated_id": ids[i], "control_id": ids[control_idx[j]], "distance": dist, "round": rnd}
            if method == "propensity":
                rec["treated_score"] = float(score[i])
                rec["control_score"] = float(score[control_idx[j]])
            records.append(rec)
    columns = ["treated_id", "control_id", "distance", "round"] + (
        ["treated_score", "control_score"] if method == "propensity" else []
    )
    pairs = pd.DataFrame.from_records(records, columns=columns)
    if not pairs.empty:
        pairs["treated_id"] = pairs["treated_id"].astype("str")
        pairs["control_id"] = pairs["control_id"].astype("str")
    pairs["round"] = pairs["round"].astype(np.int64)

    matched_t = [i for i in matched if matched[i]]
    weights: dict[int, float] = {}
    for i in matched_t:
        share = 1.0 / len(matched[i])
        for j, _ in matched[i]:
            weights[j] = weights.get(j, 0.0) + share
    denominators = {}
    for c in covariates:
        t = xs.loc[xs["participant"], c].dropna().to_numpy(dtype=float)
        k = xs.loc[~xs["participant"], c].dropna().to_numpy(dtype=float)
        denominators[c] = math.sqrt((t.var(ddof=1) + k.var(ddof=1)) / 2) if t.size > 1 and k.size > 1 else math.nan
    control_rows = sorted(weights)
    treated_frame = complete.iloc[sorted(matched_t)]
    control_frame = complete.iloc[[int(control_idx[j]) for j in control_rows]]
    balance_after = _smd_table(
        treated_frame, control_frame, covariates,
        control_weights=np.array([weights[j] for j in control_rows]), denominators=denominators,
    )
    balance_after = _with_units(balance_after, treated_frame, control_frame, covariates, year)
    if scores_df is not None:
        scores_df = scores_df.assign(firm_id=scores_df["firm_id"].astype("str"))
    return MatchResult(
        method=method,
        year=int(year),
        covariates=covariates,
        caliper=caliper,
        caliper_distance=caliper_distance,
        ratio=int(ratio),
        replace=bool(replace),
        pairs=pairs,
        support=support,
        n_participants=n_t,
        n_matched=len(matched_t),
        n_no_match_within_caliper=len(no_match),
        balance_before=balance_before_all,
        balance_after=balance_after,
        scores=scores_df,
    )


