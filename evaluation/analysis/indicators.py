"""Indicator arithmetic: actuals, attainment, pro-rata expectation, projection and status.

Pure functions over plain values and DataFrames; the domain model calls them.

An *indicator series* is a DataFrame with columns

* ``period_end`` -- date of the end of the reporting period (datetime64 or ``date``),
* ``value`` -- float; NaN means **not reported** and is never read as zero,
* ``status`` -- ``"preliminary"``, ``"verified"`` or ``"not_reported"`` (the last exactly
  when ``value`` is NaN).

Four kinds of aggregation:

* ``"cumulative"``: each reported value already *is* the running total (e.g. "firms reached
  so far"). The actual is the latest reported value; it should never go down.
* ``"per_period"``: each reported value is the amount of that period (e.g. "firms reached
  this quarter"). The running total is the sum of the reported periods, and the actual
  compared with a total target is that sum.
* ``"level"``: each reported value is a count at a point in time (e.g. "projects in the
  national plan proposal"). The actual is the latest reported value, which may go down.
* ``"ratio"``: each period reports a ``numerator`` and a ``denominator`` (extra columns of the
  series; ``value`` is not read). The ratio so far is the sum of the reported numerators over
  the sum of the reported denominators -- never an average of the periods' shares. A ratio
  target holds throughout the project, so the expected value at any date is the target.

Status (:func:`status`) follows from the projection to the target date and its band.

Rows are identified in error messages by their 1-based data row (header not counted).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.analysis.series import (
    AGGREGATIONS,
    Aggregation,
    PreparedSeries,
    ValueStatus,
    _clean_lists,
    _cumulate,
    _prepare,
    prepare_lists,
    prepare_series,
)
from evaluation.core.errors import InputError, Problem, ProblemCollector

__all__ = [
    "Aggregation",
    "ValueStatus",
    "IndicatorStatus",
    "ProjectionMethod",
    "NoBand",
    "MIN_BAND_POINTS",
    "MIN_ELAPSED",
    "DisaggregationStatus",
    "Actual",
    "Projection",
    "IndicatorSummary",
    "DisaggregationCheck",
    "PreparedSeries",
    "prepare_series",
    "prepare_lists",
    "cumulative_series",
    "latest_actual",
    "attainment",
    "expected_at",
    "projection",
    "status",
    "elapsed_share",
    "indicator_summary",
    "unique_count",
    "unique_count_by",
    "check_disaggregation",
    "is_monotone_cumulative",
    "day_timestamp",
]

IndicatorStatus = Literal["on_track", "at_risk", "off_track", "too_early", "not_reported"]
ProjectionMethod = Literal["linear_trend", "average_rate", "ratio_so_far", "none"]
DisaggregationStatus = Literal["ok", "mismatch", "incomplete"]
NoBand = Literal["", "too_few_points", "straight_line"]

_DAY = pd.Timedelta(days=1)
MIN_BAND_POINTS = 3
"""Reported values a projection needs before it gets a band (and before a status is given)."""
MIN_ELAPSED = 0.25
"""Share of the time from baseline to target date that must have passed before a status is given."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Actual:
    """The latest known actual of an indicator.

    ``value`` is the running total (see module docstring) at ``period_end``, the last
    reported period on or before ``as_of``; ``None`` when nothing is reported (never 0).
    ``status`` is the data status: for cumulative and level indicators that of the latest
    reported row; for per-period and ratio indicators ``"preliminary"`` if any summed period is
    preliminary, else ``"verified"``; ``"not_reported"`` when nothing is reported. ``n_not_reported``
    counts the not-reported periods up to ``as_of`` (for per-period indicators the sum then
    is a lower bound of the true total).
    """

    value: float | None
    period_end: date | None
    n_reported: int
    status: ValueStatus
    n_not_reported: int = 0

    @property
    def reported(self) -> bool:
        """True when at least one period is reported."""
        return self.value is not None


@dataclass(frozen=True)
class Projection:
    """Projected cumulative value at an end date.

    ``method`` is ``"linear_trend"`` (OLS with a t-based prediction interval ``low``..``high``
    at ``level``), ``"average_rate"`` (one reported point: average rate since baseline, no
    interval, ``low = high = None``), ``"ratio_so_far"`` (a ratio with too few periods for a
    trend) or ``"none"`` (nothing to project from; ``value`` is
    None). ``n_points`` is the number of reported observations used (the baseline anchor
    not counted). ``note`` says in words what was done.

    ``no_band`` says why there is no band although there is a value: ``"too_few_points"``
    (fewer than :data:`MIN_BAND_POINTS` reported values) or ``"straight_line"`` (the values lie
    exactly on a line, so the spread cannot be estimated); a zero-width band is never given.
    ``capped`` is True when the value was cut down to the indicator's stated maximum.
    """

    value: float | None
    low: float | None
    high: float | None
    method: ProjectionMethod
    n_points: int
    level: float | None = None
    note: str = ""
    no_band: NoBand = ""
    capped: bool = False


@dataclass(frozen=True)
class IndicatorSummary:
    """One report-table row for one indicator (see :func:`indicator_summary`)."""

    actual: float | None
    actual_period_end: date | None
    n_reported: int
    n_not_reported: int
    data_status: ValueStatus
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    as_of: date
    expected: float
    attainment: float | None
    share_of_expected: float | None
    projected: float | None
    projected_low: float | None
    projected_high: float | None
    projection_method: ProjectionMethod
    status: IndicatorStatus
    no_band: NoBand = ""
    capped: bool = False

    def as_dict(self) -> dict[str, object]:
        """The fields as a plain dict, in declaration order (one row of a report table)."""
        return asdict(self)


@dataclass(frozen=True)
class DisaggregationCheck:
    """Result of :func:`check_disaggregation`.

    ``sum`` is the sum of the reported parts (None if no part is reported), ``difference``
    is ``sum - total``. ``status`` is ``"ok"``, ``"mismatch"`` or ``"incomplete"``; ``ok``
    is True/False for ok/mismatch and None when incomplete (cannot tell). ``shares`` holds
    each part's share of ``total`` in the order given (None when not computable).
    """

    total: float | None
    sum: float | None
    difference: float | None
    ok: bool | None
    status: DisaggregationStatus
    missing: tuple[str, ...]
    shares: tuple[tuple[str, float | None], ...]
    tolerance: float = 0.0

    def share(self, name: str) -> float | None:
        """Share of ``total`` of the part ``name``."""
        for part, value in self.shares:
            if part == name:
                return value
        raise KeyError(name)


# --------------------------------------------------------------------------- helpers


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _opt_float(x: object, field: str, where: str) -> float | None:
    """None/NaN -> None; a finite number -> float; anything else -> InputError."""
    if x is None:
        return None
    if type(x) is float:  # the usual argument: float(x) is x itself
        if math.isnan(x):
            return None
        if not math.isfinite(x):
            raise InputError([Problem(where, field, "a finite number or None", x)])
        return x
    if not _is_number(x):
        raise InputError([Problem(where, field, "a number or None", x)])
    f = float(x)  # type: ignore[arg-type]
    if math.isnan(f):
        return None
    if not math.isfinite(f):
        raise InputError([Problem(where, field, "a finite number or None", x)])
    return f


def _req_float(x: object, field: str, where: str) -> float:
    f = _opt_float(x, field, where)
    if f is None:
        raise InputError([Problem(where, field, "a finite number", x)])
    return f


def _timestamp(x: object, field: str, where: str) -> pd.Timestamp:
    if type(x) is date:  # the usual argument: a project's, an indicator's or a report's date
        return day_timestamp(x)
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        raise InputError([Problem(where, field, "a date", x)]) from None
    if pd.isna(ts):
        raise InputError([Problem(where, field, "a date", x)])
    if ts.tz is not None:
        ts = ts.tz_localize(None)
    return ts


@functools.lru_cache(maxsize=8192)
def day_timestamp(day: date) -> pd.Timestamp:
    """``pd.Timestamp(day)``, made once per day (a portfolio converts the same few dates thousands of times; a
    Timestamp is immutable, so sharing it is safe)."""
    return pd.Timestamp(day)


_NS_PER_DAY = 86_400_000_000_000


def _days(later: pd.Timestamp, earlier: pd.Timestamp) -> float:
    """Days from ``earlier`` to ``later``: ``(later - earlier) / 1 day``, which pandas computes as the quotient of two
    whole numbers of one unit, so the nanosecond counts' quotient is the same float (and ten times cheaper)."""
    try:
        return (later.value - earlier.value) / _NS_PER_DAY
    except (AttributeError, OverflowError):  # not a Timestamp, or beyond nanosecond range
        return float((later - earlier) / _DAY)


def _check_aggregation(aggregation: object, where: str) -> None:
    if aggregation not in AGGREGATIONS:
        raise InputError([Problem(where, "aggregation", f"one of {list(AGGREGATIONS)}", aggregation)])


# --------------------------------------------------------------------------- series


def cumulative_series(values: pd.DataFrame, aggregation: Aggregation, *, file: str = "indicator values") -> pd.DataFrame:
    """The series sorted by ``period_end`` with its running total.

    Returns columns ``period_end``, ``value`` (as reported, NaN = not reported), ``status``,
    ``reported`` (bool), ``cumulative`` and ``carried_forward`` (bool).

    ``cumulative`` is the running sum of reported values for ``per_period`` indicators, the
    reported value itself for ``cumulative`` and ``level`` ones, and the sum of numerators over
    the sum of denominators so far for ``ratio`` ones (whose ``value`` is each period's own
    numerator/denominator). A not-reported period keeps ``value`` NaN,
    does not reset the cumulation and gets the last known total carried forward with
    ``carried_forward=True`` (for per-period indicators that total is a lower bound).
    Periods before the first reported one have ``cumulative`` NaN (nothing is known yet).
    """
    _check_aggregation(aggregation, "cumulative_series() arguments")
    return _cumulate(_prepare(values, file, aggregation), aggregation)


def latest_actual(
    values: pd.DataFrame | PreparedSeries,
    aggregation: Aggregation,
    as_of: date | datetime | str | None = None,
    *,
    file: str = "indicator values",
) -> Actual:
    """The actual at ``as_of`` (all periods when None): latest running total, see :class:`Actual`.

    Periods ending after ``as_of`` are ignored. For ``per_period`` indicators the actual is
    the sum of the reported periods (the value to compare with a total target); for ``level``
    indicators the latest value, which may be lower than an earlier one; for ``ratio`` ones the
    sum of the numerators over the sum of the denominators.
    """
    where = "latest_actual() arguments"
    _check_aggregation(aggregation, where)
    ps = prepare_series(values, aggregation, file=file)
    rows = range(len(ps.period_end))
    if as_of is not None:
        cut = _timestamp(as_of, "as_of", where)
        rows = range(sum(1 for p in ps.period_end if p <= cut))  # sorted: the periods up to as_of come first
    reported = [i for i in rows if ps.reported[i] and not math.isnan(ps.cumulative[i])]
    n_reported = len(reported)
    n_not = len(rows) - n_reported
    if n_reported == 0:
        return Actual(None, None, 0, "not_reported", n_not)
    last = reported[-1]
    if aggregation in ("per_period", "ratio"):
        data_status = "preliminary" if any(ps.status[i] == "preliminary" for i in reported) else "verified"
    else:
        data_status = ps.status[last]
    end = ps.period_end[last].date()
    return Actual(float(ps.cumulative[last]), end, n_reported, data_status, n_not)  # type: ignore[arg-type]


def is_monotone_cumulative(values: pd.DataFrame, *, tolerance: float = 0.0, file: str = "indicator values") -> list[date]:
    """Period ends where a cumulative indicator goes down.

    Each reported value is compared with the previous *reported* value (not-reported periods
    are skipped); a drop larger than ``tolerance`` lists that period. An empty list means
    the series never decreases.
    """
    tol = _req_float(tolerance, "tolerance", "is_monotone_cumulative() arguments")
    df = _prepare(values, file)
    rep = df[df["reported"]]
    drops: list[date] = []
    previous: float | None = None
    for p, v in zip(rep["period_end"].tolist(), rep["value"].tolist()):
        if previous is not None and v < previous - tol:
            drops.append(pd.Timestamp(p).date())
        previous = v
    return drops


# --------------------------------------------------------------------------- targets


def attainment(
    actual: float | Actual | None,
    target: float | None,
    baseline: float | None = 0.0,
    *,
    relative_to_baseline: bool = False,
) -> float | None:
    """Share of the target reached.

    Default: ``actual / target`` -- the way Swedish final reports print it ("503 mot
    målvärdet 400 (126 %)" is 503 / 400 = 1.2575). With ``relative_to_baseline=True``, for
    targets expressed as a change from a baseline: ``(actual - baseline) / (target - baseline)``.

    None when ``actual`` is None/NaN (not reported), ``target`` is None/NaN or 0, or (relative)
    when ``target == baseline`` or ``baseline`` is None.
    """
    where = "attainment() arguments"
    a = _opt_float(actual.value if isinstance(actual, Actual) else actual, "actual", where)
    t = _opt_float(target, "target", where)
    if a is None or t is None:
        return None
    if relative_to_baseline:
        b = _opt_float(baseline, "baseline", where)
        if b is None or t == b:
            return None
        return (a - b) / (t - b)
    if t == 0:
        return None
    return a / t


def expected_at(
    baseline_value: float,
    baseline_date: date | datetime | str,
    target_value: float,
    target_date: date | datetime | str,
    as_of: date | datetime | str,
) -> float:
    """Pro-rata value at ``as_of`` on the straight line from baseline to target.

    ``baseline + (target - baseline) * days(as_of - baseline_date) / days(target_date -
    baseline_date)``, clamped: ``baseline_value`` on or before ``baseline_date``,
    ``target_value`` on or after ``target_date``. Days are calendar days (fractional if
    times are given).
    """
    where = "expected_at() arguments"
    b = _req_float(baseline_value, "baseline_value", where)
    t = _req_float(target_value, "target_value", where)
    bd = _timestamp(baseline_date, "baseline_date", where)
    td = _timestamp(target_date, "target_date", where)
    now = _timestamp(as_of, "as_of", where)
    if td < bd:
        raise InputError([Problem(where, "target_date", f"on or after baseline_date {bd.date()}", target_date)])
    if now <= bd and now < td:
        return b
    if now >= td:
        return t
    return b + (t - b) * _days(now, bd) / _days(td, bd)


def projection(
    values: pd.DataFrame | PreparedSeries,
    aggregation: Aggregation,
    baseline_value: float,
    baseline_date: date | datetime | str,
    end_date: date | datetime | str,
    as_of: date | datetime | str | None = None,
    level: float = 0.95,
    *,
    maximum: float | None = None,
    file: str = "indicator values",
) -> Projection:
    """Projected running total (level, ratio) at ``end_date`` from the observed trajectory.

    Observations are the reported running totals (see :func:`cumulative_series`) with
    ``baseline_date <= period_end <= as_of``; later periods are ignored, as are carried-forward
    totals. The running totals are used as they are (not offset by the baseline).

    * >= 2 observations: OLS of the running total on days since ``baseline_date`` through the
      observations plus the baseline point ``(0, baseline_value)`` (a ratio has no baseline
      point: a share does not start from the baseline on the line); ``value`` is the fitted line
      at ``end_date``. With at least :data:`MIN_BAND_POINTS` observations ``low``/``high`` is the
      t-based prediction interval ``yhat +- t_{(1+level)/2, n-2} * s * sqrt(1 + 1/n + (x0 -
      xbar)^2 / Sxx)`` (n counts the baseline point); successive running totals are
      autocorrelated, so the band is indicative. With fewer observations, or when the points lie
      exactly on a line, there is no band (``no_band`` says which) -- never a zero-width one.
    * 1 observation: average rate since baseline, ``baseline + rate * days``; no band. A ratio
      with fewer than :data:`MIN_BAND_POINTS` observations: the ratio so far; no band.
    * none: ``value`` None, ``method="none"``.

    With ``maximum`` (the most the indicator can reach, e.g. the number of municipalities) the
    value and the band are cut down to it and ``capped`` says whether the value was.
    """
    where = "projection() arguments"
    _check_aggregation(aggregation, where)
    lvl = _req_float(level, "level", where)
    if not 0 < lvl < 1:
        raise InputError([Problem(where, "level", "a number strictly between 0 and 1", level)])
    b_val = _req_float(baseline_value, "baseline_value", where)
    b_date = _timestamp(baseline_date, "baseline_date", where)
    e_date = _timestamp(end_date, "end_date", where)
    cap = _opt_float(maximum, "maximum", where)
    ps = prepare_series(values, aggregation, file=file)
    rows = list(range(len(ps.period_end)))
    if as_of is not None:
        cut = _timestamp(as_of, "as_of", where)
        rows = [i for i in rows if ps.period_end[i] <= cut]
    n_before = sum(1 for i in rows if ps.reported[i] and ps.period_end[i] < b_date)
    rows = [i for i in rows if ps.period_end[i] >= b_date]
    obs = [i for i in rows if ps.reported[i] and not math.isnan(ps.cumulative[i])]
    n = len(obs)
    notes: list[str] = []
    if n_before:
        notes.append(f"{n_before} reported point(s) before baseline_date ignored")
    n_gaps = sum(1 for i in rows if not ps.reported[i])
    if n_gaps and aggregation == "per_period":
        notes.append(f"{n_gaps} not-reported period(s): running totals are lower bounds")
    x = np.array([_days(ps.period_end[i], b_date) for i in obs], dtype=float)
    y = np.array([ps.cumulative[i] for i in obs], dtype=float)
    x_end = _days(e_date, b_date)
    anchored = aggregation != "ratio"

    def note(text: str) -> str:
        return "; ".join([text, *notes])

    def capped(p: Projection) -> Projection:
        if cap is None or p.value is None:
            return p
        low = None if p.low is None else min(p.low, cap)
        high = None if p.high is None else min(p.high, cap)
        if p.value <= cap:
            return replace(p, low=low, high=high)
        return replace(p, value=cap, low=low, high=high, capped=True, note=f"{p.note}; cut down to the maximum {cap:g}")

    if n == 0:
        return Projection(None, None, None, "none", 0, None, note("no reported values up to as_of"))
    if not anchored and n < MIN_BAND_POINTS:
        return capped(Projection(float(y[-1]), None, None, "ratio_so_far", n, None,
                                 note(f"fewer than {MIN_BAND_POINTS} reported periods: the ratio so far, no interval"), "too_few_points"))
    if anchored and (n == 1 or not (x > 0).any()):
        if x[-1] <= 0:
            return Projection(None, None, None, "none", n, None, note("reported values only at the baseline date: no rate"))
        rate = (y[-1] - b_val) / x[-1]
        return capped(Projection(b_val + rate * x_end, None, None, "average_rate", n, None,
                                 note("fewer than 2 reported points: average rate since baseline, no interval"), "too_few_points"))
    xs = np.concatenate([[0.0], x]) if anchored else x
    ys = np.concatenate([[b_val], y]) if anchored else y
    n_fit = len(xs)
    x_bar = xs.mean()
    y_bar = ys.mean()
    sxx = float(((xs - x_bar) ** 2).sum())
    if sxx == 0:
        return Projection(None, None, None, "none", n, None, note("all reported values on one date: no trend"))
    slope = float(((xs - x_bar) * (ys - y_bar)).sum() / sxx)
    intercept = float(y_bar - slope * x_bar)
    y_hat = intercept + slope * x_end
    resid = ys - (intercept + slope * xs)
    rss = float((resid**2).sum())
    what = f"OLS linear trend through {'baseline and ' if anchored else ''}{n} reported points"
    if n < MIN_BAND_POINTS or n_fit < 3:
        return capped(Projection(y_hat, None, None, "linear_trend", n, None,
                                 note(f"{what}; fewer than {MIN_BAND_POINTS} reported points: no interval"), "too_few_points"))
    if rss <= 1e-18 * max(1.0, float((ys**2).sum())):
        return capped(Projection(y_hat, None, None, "linear_trend", n, None,
                                 note(f"{what}; the points lie on a straight line: no interval"), "straight_line"))
    dof = n_fit - 2
    se = math.sqrt(rss / dof * (1.0 + 1.0 / n_fit + (x_end - x_bar) ** 2 / sxx))
    t_q = _t_quantile((1.0 + lvl) / 2.0, dof)
    return capped(Projection(y_hat, y_hat - t_q * se, y_hat + t_q * se, "linear_trend", n, lvl,
                             note(f"{what}, {lvl:.0%} prediction interval")))


@functools.lru_cache(maxsize=256)
def _t_quantile(q: float, dof: int) -> float:
    """Student's t quantile ``q`` with ``dof`` degrees of freedom (computed once per pair: a portfolio asks the same few)."""
    return float(stats.t.ppf(q, dof))


def status(
    actual: float | Actual | None,
    projected: Projection | None,
    target: float,
    *,
    too_early: bool = False,
    aggregation: Aggregation = "cumulative",
) -> IndicatorStatus:
    """Status of an indicator whose higher values are better, from its projection and band.

    Rule, in order:

    1. ``actual`` None/NaN -> ``"not_reported"``.
    2. A running total (``cumulative``, ``per_period``) with ``actual >= target`` -> ``"on_track"``
       (it has reached its target and cannot fall back).
    3. ``too_early`` (the caller's judgement, e.g. under :data:`MIN_ELAPSED` of the period has
       passed), no projection, or a projection without a band for want of points (fewer than
       :data:`MIN_BAND_POINTS` reported values) -> ``"too_early"``.
    4. Point projection ``>= target`` -> ``"on_track"``.
    5. Upper end of the band ``>= target`` -> ``"at_risk"`` (the point misses, the band reaches).
    6. Otherwise (the band lies wholly below the target) -> ``"off_track"``. A straight-line
       projection has no band: its point decides, so it is on or off track.
    """
    where = "status() arguments"
    a = _opt_float(actual.value if isinstance(actual, Actual) else actual, "actual", where)
    t = _req_float(target, "target", where)
    _check_aggregation(aggregation, where)
    if projected is not None and not isinstance(projected, Projection):
        raise InputError([Problem(where, "projected", "a Projection or None", projected)])
    if a is None:
        return "not_reported"
    if aggregation in ("cumulative", "per_period") and a >= t:
        return "on_track"
    if too_early or projected is None or projected.value is None or projected.no_band == "too_few_points":
        return "too_early"
    if projected.value >= t:
        return "on_track"
    high = projected.value if projected.high is None else projected.high
    return "at_risk" if high >= t else "off_track"


def elapsed_share(baseline_date: date | datetime | str, target_date: date | datetime | str, as_of: date | datetime | str) -> float:
    """The share of the time from ``baseline_date`` to ``target_date`` that has passed at ``as_of`` (0..1)."""
    where = "elapsed_share() arguments"
    bd = _timestamp(baseline_date, "baseline_date", where)
    td = _timestamp(target_date, "target_date", where)
    now = _timestamp(as_of, "as_of", where)
    if td <= bd:
        return 1.0
    return min(1.0, max(0.0, _days(now, bd) / _days(td, bd)))


def indicator_summary(
    values: pd.DataFrame | PreparedSeries,
    aggregation: Aggregation,
    baseline_value: float,
    baseline_date: date | datetime | str,
    target_value: float,
    target_date: date | datetime | str,
    as_of: date | datetime | str,
    *,
    level: float = 0.95,
    maximum: float | None = None,
    relative_to_baseline: bool = False,
    file: str = "indicator values",
) -> IndicatorSummary:
    """Everything a report table shows for one indicator at ``as_of``.

    Actual from :func:`latest_actual`, attainment of the target from :func:`attainment`,
    expectation from :func:`expected_at` (pro rata; for a ratio the target itself), projection
    to ``target_date`` from :func:`projection` (cut at ``maximum``) and status from
    :func:`status`, too early while less than :data:`MIN_ELAPSED` of the time from baseline to
    target date has passed. ``share_of_expected`` is ``actual / expected`` (None if expected 0).
    """
    where = "indicator_summary() arguments"
    if isinstance(values, pd.DataFrame) and aggregation in AGGREGATIONS:
        values = _clean_lists(values, aggregation) or values  # prepared once for the actual and the projection
    act = latest_actual(values, aggregation, as_of, file=file)
    t = _req_float(target_value, "target_value", where)
    exp = expected_at(baseline_value, baseline_date, target_value, target_date, as_of)
    if aggregation == "ratio":
        exp = t
    proj = projection(values, aggregation, baseline_value, baseline_date, target_date, as_of, level,
                      maximum=maximum, file=file)
    early = elapsed_share(baseline_date, target_date, as_of) < MIN_ELAPSED
    st = status(act, proj, t, too_early=early, aggregation=aggregation)
    return IndicatorSummary(
        actual=act.value,
        actual_period_end=act.period_end,
        n_reported=act.n_reported,
        n_not_reported=act.n_not_reported,
        data_status=act.status,
        baseline=_req_float(baseline_value, "baseline_value", where),
        baseline_date=_timestamp(baseline_date, "baseline_date", where).date(),
        target=t,
        target_date=_timestamp(target_date, "target_date", where).date(),
        as_of=_timestamp(as_of, "as_of", where).date(),
        expected=exp,
        attainment=attainment(act, t, baseline_value, relative_to_baseline=relative_to_baseline),
        share_of_expected=None if act.value is None or exp == 0 else act.value / exp,
        projected=proj.value,
        projected_low=proj.low,
        projected_high=proj.high,
        projection_method=proj.method,
        status=st,
        no_band=proj.no_band,
        capped=proj.capped,
    )


# --------------------------------------------------------------------------- counting


def _participation_keys(participation: pd.DataFrame, key: str, missing: str, file: str) -> pd.DataFrame:
    if not isinstance(participation, pd.DataFrame):
        raise InputError([Problem(file, "participation", "a pandas DataFrame", type(participation).__name__)])
    if key not in participation.columns:
        raise InputError([Problem(file, key, "a column of the participation table", "no such column")])
    if missing not in ("error", "ignore"):
        raise InputError([Problem(file, "missing", "'error' or 'ignore'", missing)])
    absent = participation[key].isna().to_numpy()
    if missing == "error" and absent.any():
        problems = ProblemCollector()
        for i in np.flatnonzero(absent):
            problems.add(file, key, "a firm identifier (rows without one cannot be de-duplicated)", None, row=int(i) + 1)
        problems.raise_if_any()
    return participation[~absent]


def unique_count(
    participation: pd.DataFrame,
    key: str = "firm_id",
    *,
    missing: Literal["error", "ignore"] = "error",
    file: str = "participation",
) -> int:
    """Number of distinct ``key`` values: a firm is counted once however many activities it joined.

    Keys are compared exactly as given (normalise organisation numbers before). Rows with a
    missing key raise :class:`InputError` (``missing="error"``) or are left out (``"ignore"``).
    """
    rows = _participation_keys(participation, key, missing, file)
    return int(rows[key].nunique(dropna=True))


def unique_count_by(
    participation: pd.DataFrame,
    by: str | Sequence[str],
    key: str = "firm_id",
    *,
    missing: Literal["error", "ignore"] = "error",
    file: str = "participation",
) -> pd.DataFrame:
    """Distinct ``key`` values per group of ``by`` (e.g. per activity, per municipality).

    Returns the ``by`` columns, ``n_rows`` (participations) and ``n_unique`` (distinct firms),
    sorted by ``by``; a missing ``by`` value forms its own group. A firm in several groups is
    counted in each, so ``n_unique`` does not add up to :func:`unique_count`.
    """
    cols = [by] if isinstance(by, str) else list(by)
    absent = [c for c in cols if c not in participation.columns]
    if absent:
        raise InputError([Problem(file, c, "a column of the participation table", "no such column") for c in absent])
    rows = _participation_keys(participation, key, missing, file)
    grouped = rows.groupby(cols, dropna=False, sort=True)[key]
    out = pd.DataFrame({"n_rows": grouped.size(), "n_unique": grouped.nunique()}).reset_index()
    out["n_rows"] = out["n_rows"].astype("int64")
    out["n_unique"] = out["n_unique"].astype("int64")
    return out


def check_disaggregation(
    total: float | None,
    parts: Mapping[str, float | None],
    tolerance: float = 0.0,
) -> DisaggregationCheck:
    """Do the parts (e.g. women and men) add up to the total?

    ``tolerance`` is absolute (same unit as the values). Parts that are None/NaN are not
    reported: the check is then ``"incomplete"`` (``ok`` None) rather than failed -- except
    that when the total and all reported parts are >= 0 and the reported parts already
    exceed ``total + tolerance`` it is a ``"mismatch"`` (missing parts can only add). A
    missing total is also ``"incomplete"``.
    """
    where = "check_disaggregation() arguments"
    tol = _req_float(tolerance, "tolerance", where)
    if tol < 0:
        raise InputError([Problem(where, "tolerance", "a number >= 0", tolerance)])
    if not isinstance(parts, Mapping) or not parts:
        raise InputError([Problem(where, "parts", "a non-empty mapping of part name to value", parts)])
    tot = _opt_float(total, "total", where)
    values = {str(k): _opt_float(v, f"parts[{k!r}]", where) for k, v in parts.items()}
    missing = tuple(k for k, v in values.items() if v is None)
    reported = [v for v in values.values() if v is not None]
    s = math.fsum(reported) if reported else None
    diff = None if s is None or tot is None else s - tot
    shares = tuple((k, None if v is None or tot is None or tot == 0 else v / tot) for k, v in values.items())
    check: DisaggregationStatus
    if missing or tot is None:
        non_negative = tot is not None and tot >= 0 and all(v >= 0 for v in reported)
        if non_negative and diff is not None and diff > tol:
            check = "mismatch"
        else:
            check = "incomplete"
    else:
        check = "ok" if diff is not None and abs(diff) <= tol else "mismatch"
    ok = {"ok": True, "mismatch": False, "incomplete": None}[check]
    return DisaggregationCheck(tot, s, diff, ok, check, missing, shares, tol)
