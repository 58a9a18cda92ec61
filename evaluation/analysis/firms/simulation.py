"""Synthetic firm-year panels with a known effect, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evaluation.core.errors import ProblemCollector

__all__ = ["synthetic_panel"]


def synthetic_panel(
    n_firms: int,
    n_years: int,
    effect: float,
    staggered: bool,
    seed: int,
    *,
    share_participants: float = 0.3,
    first_year: int = 2010,
    heterogeneous: bool = False,
    pretrend: float = 0.0,
    noise: float = 1.0,
) -> pd.DataFrame:
    """A balanced firm-year panel (panel schema) with a known effect on ``employees``.

    employees = 100 + firm effect (sd 10, participants 5 higher) + year effect (trend
    0.5/year + noise) + true effect + noise (sd ``noise``); turnover = 2 * employees +
    noise. A random ``share_participants`` of firms participate; common timing starts in
    ``first_year + n_years // 2``; with ``staggered`` each participant starts in a year
    drawn from ``first_year + 2`` to ``first_year + n_years - 2``.

    The effect from the start year on is ``effect``; with ``heterogeneous`` it is
    ``effect * h_cohort * (1 + 0.3 * years since start)`` with h_cohort falling from 2
    (earliest start) to 1 (latest), i.e. effects differing by cohort and growing over time
    (the case where two-way fixed effects are biased). ``pretrend`` adds a differential
    linear trend ``pretrend * (year - start)`` to participants in every year. The column
    ``true_effect`` holds each row's true effect (0 when untreated), so the true ATT is its
    mean over treated rows. Deterministic for a given ``seed``.
    """
    if n_firms < 2 or n_years < 4:
        problems = ProblemCollector()
        problems.add("<arguments>", "n_firms, n_years", "at least 2 firms and 4 years", got=(n_firms, n_years))
        problems.raise_if_any()
    rng = np.random.default_rng(seed)
    participant = rng.random(n_firms) < share_participants
    firm_effect = rng.normal(0.0, 10.0, n_firms) + 5.0 * participant
    t = np.arange(n_years)
    year_effect = 0.5 * t + rng.normal(0.0, 1.0, n_years)
    if staggered:
        lo, hi = first_year + 2, first_year + n_years - 2
        start = rng.integers(lo, hi + 1, n_firms).astype(float)
    else:
        start = np.full(n_firms, float(first_year + n_years // 2))
        lo = hi = first_year + n_years // 2
    start[~participant] = np.nan
    n = n_firms * n_years
    years = np.tile(first_year + t, n_firms)
    firm_idx = np.repeat(np.arange(n_firms), n_years)
    s = start[firm_idx]
    since = years - s  # NaN for comparison firms
    treated = ~np.isnan(s) & (since >= 0)
    if heterogeneous:
        h = 2.0 - (s - lo) / (hi - lo) if hi > lo else np.ones_like(s)
        tau = effect * h * (1.0 + 0.3 * since)
    else:
        tau = np.full(n, float(effect))
    true_effect = np.where(treated, tau, 0.0)
    trend = np.where(~np.isnan(s), pretrend * since, 0.0)
    employees = 100.0 + firm_effect[firm_idx] + np.tile(year_effect, n_firms) + true_effect + trend
    employees += rng.normal(0.0, noise, n)
    turnover = 2.0 * employees + rng.normal(0.0, 1.0, n)
    width = max(len(str(n_firms - 1)), 1)
    ids = np.strings.add("F", np.strings.zfill(np.arange(n_firms).astype(str), width))
    start_col = pd.array(np.where(np.isnan(s), 0, s).astype(np.int64), dtype="Int64")
    start_col[np.isnan(s)] = pd.NA
    return pd.DataFrame(
        {
            "firm_id": pd.Series(np.repeat(ids, n_years), dtype="str"),
            "year": years.astype(np.int64),
            "employees": employees,
            "turnover": turnover,
            "participant": participant[firm_idx],
            "participation_start": start_col,
            "true_effect": true_effect,
        }
    )
