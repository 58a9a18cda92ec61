"""Indicator arithmetic: actuals, attainment, pro-rata expectation, projection and status.

Pure functions over plain values and DataFrames; the domain model calls them.

An *indicator series* is a DataFrame with columns

* ``period_end`` -- date of the end of the reporting period (datetime64 or ``date``),
* ``value`` -- float; NaN means **not reported** and is never read as zero,
* ``status`` -- ``"preliminary"``, ``"verified"`` or ``"not_reported"`` (the last exactly
  when ``value`` is NaN).

Two kinds of aggregation:

* ``"cumulative"``: each reported value already *is* the running total (e.g. "firms reached
  so far"). The actual is the latest reported value.
* ``"per_period"``: each reported value is the amount of that period (e.g. "firms reached
  this quarter"). The running total is the sum of the reported periods, and the actual
  compared with a total target is that sum.

Rows are identified in error messages by their 1-based data row (header not counted).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Literal, get_args

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.core.errors import InputError, Problem, ProblemCollector

__all__ = [
    "Aggregation",
    "ValueStatus",
    "IndicatorStatus",
    "ProjectionMethod",
    "DisaggregationStatus",
    "Actual",
    "Projection",
    "StatusThresholds",
    "IndicatorSummary",
    "DisaggregationCheck",
    "cumulative_series",
    "latest_actual",
    "attainment",
    "expected_at",
    "projection",
    "status",
    "indicator_summary",
    "unique_count",
    "unique_count_by",
    "check_disaggregation",
    "is_monotone_cumulative",
]

Aggregation = Literal["cumulative", "per_period"]
ValueStatus = Literal["preliminary", "verified", "not_reported"]
IndicatorStatus = Literal["on_track", "at_risk", "off_track", "not_reported"]
ProjectionMethod = Literal["linear_trend", "average_rate", "none"]
DisaggregationStatus = Literal["ok", "mismatch", "incomplete"]

AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
VALUE_STATUSES: tuple[str, ...] = get_args(ValueStatus)
_COLUMNS: tuple[str, ...] = ("period_end", "value", "status")
_DAY = pd.Timedelta(days=1)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Actual:
    """The latest known actual of an indicator.

    ``value`` is the running total (see module docstring) at ``period_end``, the last
    reported period on or before ``as_of``; ``None`` when nothing is reported (never 0).
    ``status`` is the data status: for cumulative indicators that of the latest reported
    row; for per-period indicators ``"preliminary"`` if any summed period is preliminary,
    else ``"verified"``; ``"not_reported"`` when nothing is reported. ``n_not_reported``
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
    interval, ``low = high = None``) or ``"none"`` (nothing to project from; ``value`` is
    None). ``n_points`` is the number of reported observations used (the baseline anchor
    not counted). ``note`` says in words what was done.
    """

    value: float | None
    low: float | None
    high: float | None
    method: ProjectionMethod
    n_points: int
    level: float | None = None
    note: str = ""


@dataclass(frozen=True)
class StatusThresholds:
    """Ratios of actual to expected that separate the statuses (see :func:`status`)."""

    on_track: float = 0.9
    at_risk: float = 0.7

    def __post_init__(self) -> None:
        problems = ProblemCollector()
        for name in ("on_track", "at_risk"):
            v = getattr(self, name)
            if not _is_number(v) or not math.isfinite(float(v)) or float(v) < 0:
                problems.add("StatusThresholds", name, "a finite number >= 0", v)
        if not problems and float(self.at_risk) > float(self.on_track):
            problems.add("StatusThresholds", "at_risk", f"<= on_track {self.on_track}", self.at_risk)
        problems.raise_if_any()


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
    try:
        ts = pd.Timestamp(x)
    except (TypeError, ValueError):
        raise InputError([Problem(where, field, "a date", x)]) from None
    if pd.isna(ts):
        raise InputError([Problem(where, field, "a date", x)])
    if ts.tz is not None:
        ts = ts.tz_localize(None)
    return ts


def _days(later: pd.Timestamp, earlier: pd.Timestamp) -> float:
    return float((later - earlier) / _DAY)


def _check_aggregation(aggregation: object, where: str) -> None:
    if aggregation not in AGGREGATIONS:
        raise InputError([Problem(where, "aggregation", f"one of {list(AGGREGATIONS)}", aggregation)])


def _prepare(values: pd.DataFrame, file: str) -> pd.DataFrame:
    """Validate an indicator series; return it sorted by period_end with a ``reported`` column."""
    if not isinstance(values, pd.DataFrame):
        raise InputError([Problem(file, "values", "a pandas DataFrame", type(values).__name__)])
    missing = [c for c in _COLUMNS if c not in values.columns]
    if missing:
        raise InputError([Problem(file, c, "a column of the indicator values", "no such column") for c in missing])
    problems = ProblemCollector()
    periods = pd.to_datetime(values["period_end"], errors="coerce")
    if getattr(periods.dt, "tz", None) is not None:
        periods = periods.dt.tz_localize(None)
    numbers = pd.to_numeric(values["value"], errors="coerce").astype(float)
    raw_periods = values["period_end"].tolist()
    raw_values = values["value"].tolist()
    statuses = values["status"].tolist()
    seen: set[pd.Timestamp] = set()
    for i, (p, raw_p, v, raw_v, s) in enumerate(
        zip(periods.tolist(), raw_periods, numbers.tolist(), raw_values, statuses), start=1
    ):
        if pd.isna(p):
            problems.add(file, "period_end", "a date", raw_p, row=i)
        elif p in seen:
            problems.add(file, "period_end", "unique (one row per period)", raw_p, row=i)
        else:
            seen.add(p)
        value_missing = raw_v is None or (not isinstance(raw_v, str) and pd.isna(raw_v))
        if not value_missing and (math.isnan(v) or not math.isfinite(v)):
            problems.add(file, "value", "a finite number, or empty when not reported", raw_v, row=i)
            continue
        if not isinstance(s, str) or s not in VALUE_STATUSES:
            problems.add(file, "status", f"one of {list(VALUE_STATUSES)}", s, row=i)
        elif s == "not_reported" and not value_missing:
            problems.add(file, "value", "empty when status is 'not_reported'", raw_v, row=i)
        elif s != "not_reported" and value_missing:
            problems.add(file, "status", "'not_reported' when value is empty", s, row=i)
    problems.raise_if_any()
    out = pd.DataFrame(
        {
            "period_end": periods.to_numpy(),
            "value": numbers.to_numpy(),
            "status": pd.Series(statuses, dtype="str").to_numpy(),
        }
    )
    out = out.sort_values("period_end", kind="mergesort").reset_index(drop=True)
    out["reported"] = out["value"].notna()
    return out


def _cumulate(df: pd.DataFrame, aggregation: str) -> pd.DataFrame:
    out = df.copy()
    if aggregation == "per_period":
        running = out["value"].cumsum(skipna=True)  # NaN rows stay NaN, later sums skip them
    else:
        running = out["value"]
    out["cumulative"] = running.ffill()
    out["carried_forward"] = ~out["reported"] & out["cumulative"].notna()
    return out[["period_end", "value", "status", "reported", "cumulative", "carried_forward"]]


# --------------------------------------------------------------------------- series


def cumulative_series(
    values: pd.DataFrame, aggregation: Aggregation, *, file: str = "indicator values"
) -> pd.DataFrame:
    """The series sorted by ``period_end`` with its running total.

    Returns columns ``period_end``, ``value`` (as reported, NaN = not reported), ``status``,
    ``reported`` (bool), ``cumulative`` and ``carried_forward`` (bool).

    ``cumulative`` is the running sum of reported values for ``per_period`` indicators and the
    reported value itself for ``cumulative`` ones. A not-reported period keeps ``value`` NaN,
    does not reset the cumulation and gets the last known total carried forward with
    ``carried_forward=True`` (for per-period indicators that total is a lower bound).
    Periods before the first reported one have ``cumulative`` NaN (nothing is known yet).
    """
    _check_aggregation(aggregation, "cumulative_series() arguments")
    return _cumulate(_prepare(values, file), aggregation)


def latest_actual(
    values: pd.DataFrame,
    aggregation: Aggregation,
    as_of: date | datetime | str | None = None,
    *,
    file: str = "indicator values",
) -> Actual:
    """The actual at ``as_of`` (all periods when None): latest running total, see :class:`Actual`.

    Periods ending after ``as_of`` are ignored. For ``per_period`` indicators the actual is
    the sum of the reported periods (the value to compare with a total target).
    """
    where = "latest_actual() arguments"
    _check_aggregation(aggregation, where)
    df = _cumulate(_prepare(values, file), aggregation)
    if as_of is not None:
        df = df[df["period_end"] <= _timestamp(as_of, "as_of", where)]
    reported = df[df["reported"]]
    n_reported = len(reported)
    n_not = len(df) - n_reported
    if n_reported == 0:
        return Actual(None, None, 0, "not_reported", n_not)
    last = reported.iloc[-1]
    if aggregation == "per_period":
        data_status = "preliminary" if (reported["status"] == "preliminary").any() else "verified"
    else:
        data_status = str(last["status"])
    return Actual(
        float(last["cumulative"]), pd.Timestamp(last["period_end"]).date(), n_reported, data_status, n_not  # type: ignore[arg-type]
    )


def is_monotone_cumulative(
    values: pd.DataFrame, *, tolerance: float = 0.0, file: str = "indicator values"
) -> list[date]:
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
    values: pd.DataFrame,
    aggregation: Aggregation,
    baseline_value: float,
    baseline_date: date | datetime | str,
    end_date: date | datetime | str,
    as_of: date | datetime | str | None = None,
    level: float = 0.95,
    *,
    file: str = "indicator values",
) -> Projection:
    """Projected running total at ``end_date`` from the observed trajectory.

    Observations are the reported running totals (see :func:`cumulative_series`) with
    ``baseline_date <= period_end <= as_of``; later periods are ignored, as are carried-forward
    totals. The running totals are used as they are (not offset by the baseline).

    * >= 2 observations: OLS of the running total on days since ``baseline_date`` through the
      observations plus the baseline point ``(0, baseline_value)``; ``value`` is the fitted line
      at ``end_date`` and ``low``/``high`` the t-based prediction interval
      ``yhat +- t_{(1+level)/2, n-2} * s * sqrt(1 + 1/n + (x0 - xbar)^2 / Sxx)`` (n counts the
      baseline point). Successive running totals are autocorrelated, so the band is indicative.
    * 1 observation: average rate since baseline, ``baseline + rate * days``; no band.
    * none: ``value`` None, ``method="none"``.
    """
    where = "projection() arguments"
    _check_aggregation(aggregation, where)
    lvl = _req_float(level, "level", where)
    if not 0 < lvl < 1:
        raise InputError([Problem(where, "level", "a number strictly between 0 and 1", level)])
    b_val = _req_float(baseline_value, "baseline_value", where)
    b_date = _timestamp(baseline_date, "baseline_date", where)
    e_date = _timestamp(end_date, "end_date", where)
    df = _cumulate(_prepare(values, file), aggregation)
    if as_of is not None:
        df = df[df["period_end"] <= _timestamp(as_of, "as_of", where)]
    n_before = int((df["reported"] & (df["period_end"] < b_date)).sum())
    df = df[df["period_end"] >= b_date]
    obs = df[df["reported"]]
    n = len(obs)
    notes: list[str] = []
    if n_before:
        notes.append(f"{n_before} reported point(s) before baseline_date ignored")
    n_gaps = int((~df["reported"]).sum())
    if n_gaps and aggregation == "per_period":
        notes.append(f"{n_gaps} not-reported period(s): running totals are lower bounds")
    x = np.array([_days(pd.Timestamp(p), b_date) for p in obs["period_end"].tolist()], dtype=float)
    y = obs["cumulative"].to_numpy(dtype=float)
    x_end = _days(e_date, b_date)

    def note(text: str) -> str:
        return "; ".join([text, *notes])

    if n == 0:
        return Projection(None, None, None, "none", 0, None, note("no reported values up to as_of"))
    if n == 1 or not (x > 0).any():
        if x[-1] <= 0:
            return Projection(
                None, None, None, "none", n, None, note("reported values only at the baseline date: no rate")
            )
        rate = (y[-1] - b_val) / x[-1]
        return Projection(
            b_val + rate * x_end,
            None,
            None,
            "average_rate",
            n,
            None,
            note("fewer than 2 reported points: average rate since baseline, no interval"),
        )
    xs = np.concatenate([[0.0], x])
    ys = np.concatenate([[b_val], y])
    n_fit = len(xs)
    x_bar = xs.mean()
    y_bar = ys.mean()
    sxx = float(((xs - x_bar) ** 2).sum())
    slope = float(((xs - x_bar) * (ys - y_bar)).sum() / sxx)
    intercept = float(y_bar - slope * x_bar)
    y_hat = intercept + slope * x_end
    resid = ys - (intercept + slope * xs)
    dof = n_fit - 2
    s2 = float((resid**2).sum() / dof)
    se = math.sqrt(s2 * (1.0 + 1.0 / n_fit + (x_end - x_bar) ** 2 / sxx))
    t_q = float(stats.t.ppf((1.0 + lvl) / 2.0, dof))
    return Projection(
        y_hat,
        y_hat - t_q * se,
        y_hat + t_q * se,
        "linear_trend",
        n,
        lvl,
        note(f"OLS linear trend through baseline and {n} reported points, {lvl:.0%} prediction interval"),
    )


def status(
    actual: float | Actual | None,
    expected: float,
    projected: float | Projection | None = None,
    thresholds: StatusThresholds = StatusThresholds(),
    *,
    target: float | None = None,
) -> IndicatorStatus:
    """Traffic-light status of an indicator whose higher values are better.

    Rule, in order:

    1. ``actual`` None/NaN -> ``"not_reported"``.
    2. ``projected`` given (needs ``target``) and ``projected >= target`` -> ``"on_track"``.
    3. ``expected <= 0``: ``"on_track"`` if ``actual >= expected`` (for expected 0: actual >= 0),
       else ``"off_track"``.
    4. ``ratio = actual / expected``: ``ratio >= thresholds.on_track`` (0.9) -> ``"on_track"``;
       ``ratio >= thresholds.at_risk`` (0.7) -> ``"at_risk"``; else ``"off_track"``.
    """
    where = "status() arguments"
    a = _opt_float(actual.value if isinstance(actual, Actual) else actual, "actual", where)
    e = _req_float(expected, "expected", where)
    p = _opt_float(projected.value if isinstance(projected, Projection) else projected, "projected", where)
    t = _opt_float(target, "target", where)
    if not isinstance(thresholds, StatusThresholds):
        raise InputError([Problem(where, "thresholds", "a StatusThresholds", thresholds)])
    if p is not None and t is None:
        raise InputError([Problem(where, "target", "a number when 'projected' is given", target)])
    if a is None:
        return "not_reported"
    if p is not None and t is not None and p >= t:
        return "on_track"
    if e <= 0:
        return "on_track" if a >= e else "off_track"
    ratio = a / e
    if ratio >= thresholds.on_track:
        return "on_track"
    if ratio >= thresholds.at_risk:
        return "at_risk"
    return "off_track"


def indicator_summary(
    values: pd.DataFrame,
    aggregation: Aggregation,
    baseline_value: float,
    baseline_date: date | datetime | str,
    target_value: float,
    target_date: date | datetime | str,
    as_of: date | datetime | str,
    *,
    level: float = 0.95,
    thresholds: StatusThresholds = StatusThresholds(),
    relative_to_baseline: bool = False,
    use_projection: bool = True,
    file: str = "indicator values",
) -> IndicatorSummary:
    """Everything a report table shows for one indicator at ``as_of``.

    Actual from :func:`latest_actual`, attainment of the target from :func:`attainment`,
    pro-rata expectation from :func:`expected_at`, projection to ``target_date`` from
    :func:`projection` and status from :func:`status` (using the projection when
    ``use_projection``). ``share_of_expected`` is ``actual / expected`` (None if expected 0).
    """
    where = "indicator_summary() arguments"
    act = latest_actual(values, aggregation, as_of, file=file)
    exp = expected_at(baseline_value, baseline_date, target_value, target_date, as_of)
    proj = projection(values, aggregation, baseline_value, baseline_date, target_date, as_of, level, file=file)
    t = _req_float(target_value, "target_value", where)
    st = status(act, exp, proj if use_projection else None, thresholds, target=t)
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
