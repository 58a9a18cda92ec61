"""How large a violation of parallel trends would overturn an estimate: the linear-trend breakdown value.

:func:`linear_trend_breakdown` follows the idea of Rambachan & Roth (2023) for the simplest
class of violations, a linear differential trend. If participants, without the programme,
had drifted away from the comparison firms by ``slope`` per year (zero in the reference year,
the year before the start), each event-time coefficient e would be biased by
``slope * (e - reference)`` and the estimate by ``slope * h``. ``h`` is what the estimator
itself gives for such a trend of one unit a year (:func:`evaluation.analysis.firms.did`
computes it by running the same estimator on that trend as outcome: about 4 for two-way fixed
effects with four years on each side of the start, which compare with the average of all
years before it); without it, ``h`` is the average horizon ``e - reference`` of the post-start
event-time coefficients weighted by their observations (right for estimators that compare with
the year before the start, as Callaway & Sant'Anna's). The breakdown slope is the smallest such slope that brings the estimate to zero (``|estimate| / h``);
the confidence breakdown slope the smallest that makes the 95 % interval reach zero. Both are
read against the slope the pre-start coefficients show (least squares through the reference
year weighted by each coefficient's observations; its standard error from their covariance).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["TrendBreakdown", "linear_trend_breakdown"]


@dataclass(frozen=True)
class TrendBreakdown:
    """The linear-trend breakdown of one estimate (see the module text for the method).

    ``breakdown_slope``: the differential trend per year (in the outcome's unit) that would
    bring the estimate to zero; ``ci_breakdown_slope``: the one that would make its 95 %
    interval reach zero (0.0 when it already does). ``pre_slope``/``pre_slope_se``: the slope
    the pre-start coefficients show, ``None`` when fewer than one pre-start year besides the
    reference is estimated. ``mean_horizon`` is h.
    """

    estimate: float
    std_error: float
    mean_horizon: float
    breakdown_slope: float
    ci_breakdown_slope: float
    pre_slope: float | None
    pre_slope_se: float | None
    n_pre: int

    @property
    def pre_slope_overturns(self) -> bool:
        """True if the slope shown before the start, in the direction that removes the effect, is at least the breakdown slope."""
        if self.pre_slope is None or self.estimate == 0:
            return False
        return bool(np.sign(self.pre_slope) == np.sign(self.estimate) and abs(self.pre_slope) >= self.breakdown_slope)


def linear_trend_breakdown(estimate: float, std_error: float, by_rel_time: pd.DataFrame, vcov: np.ndarray,
                           reference: int = -1, level: float = 0.95, horizon: float | None = None) -> TrendBreakdown | None:
    """The breakdown slopes of ``estimate`` from event-time coefficients (``rel_time``, ``coefficient``, ``n_obs``).

    ``vcov`` is the covariance of the ``by_rel_time`` coefficients in their order (the
    reference year is not among them); ``horizon`` is h when known (see the module text).
    Returns ``None`` when no post-start coefficient exists or h is not positive.
    """
    rel = by_rel_time["rel_time"].to_numpy(dtype=float)
    post = rel >= 0
    if not post.any():
        return None
    n_obs = by_rel_time["n_obs"].to_numpy(dtype=float)
    if horizon is None:
        weights = n_obs[post] / n_obs[post].sum()
        horizon = float(weights @ (rel[post] - reference))
    if not horizon > 0:
        return None
    z = float(stats.norm.ppf(0.5 + level / 2))
    size = abs(float(estimate))
    breakdown = size / horizon
    ci_breakdown = max(size - z * float(std_error), 0.0) / horizon
    pre = rel < 0
    pre_slope = pre_se = None
    if pre.any():
        h = rel[pre] - reference
        w = n_obs[pre]
        b = by_rel_time["coefficient"].to_numpy(dtype=float)[pre]
        v = np.asarray(vcov, dtype=float)[np.ix_(pre, pre)]
        a = w * h / float(w @ (h * h))  # slope = a @ b: least squares through the reference year, weighted by observations
        pre_slope = float(a @ b)
        pre_se = math.sqrt(max(float(a @ v @ a), 0.0))
    return TrendBreakdown(
        estimate=float(estimate), std_error=float(std_error), mean_horizon=horizon, breakdown_slope=breakdown,
        ci_breakdown_slope=ci_breakdown, pre_slope=pre_slope, pre_slope_se=pre_se, n_pre=int(pre.sum()),
    )
