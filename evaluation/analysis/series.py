"""Indicator series prepared once: validated, sorted by period end and cumulated.

The part of :mod:`evaluation.analysis.indicators` that reads a series (see its docstring for
the columns and the four aggregations): :func:`_prepare` and :func:`_cumulate` with pandas, the
reference that reports every problem of a series, and :class:`PreparedSeries`, the same result as
plain lists, made without pandas for a clean series (:func:`prepare_lists`), which is what a
portfolio of thousands of small series needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from evaluation.core.errors import InputError, Problem, ProblemCollector

Aggregation = Literal["cumulative", "per_period", "level", "ratio"]
ValueStatus = Literal["preliminary", "verified", "not_reported"]

AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)
VALUE_STATUSES: tuple[str, ...] = get_args(ValueStatus)
_COLUMNS: tuple[str, ...] = ("period_end", "value", "status")
_RATIO_COLUMNS: tuple[str, ...] = ("numerator", "denominator")


def _prepare(values: pd.DataFrame, file: str, aggregation: str = "cumulative") -> pd.DataFrame:
    """Validate an indicator series; return it sorted by period_end with a ``reported`` column.

    A ratio series also needs ``numerator`` and ``denominator``: a reported row has both (the
    denominator >= 0), a not-reported row neither; its ``value`` becomes numerator/denominator.
    """
    if not isinstance(values, pd.DataFrame):
        raise InputError([Problem(file, "values", "a pandas DataFrame", type(values).__name__)])
    ratio = aggregation == "ratio"
    needed = _COLUMNS + (_RATIO_COLUMNS if ratio else ())
    missing = [c for c in needed if c not in values.columns]
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
    for i, (p, raw_p, s) in enumerate(zip(periods.tolist(), raw_periods, statuses), start=1):
        if pd.isna(p):
            problems.add(file, "period_end", "a date", raw_p, row=i)
        elif p in seen:
            problems.add(file, "period_end", "unique (one row per period)", raw_p, row=i)
        else:
            seen.add(p)
        if not isinstance(s, str) or s not in VALUE_STATUSES:
            problems.add(file, "status", f"one of {list(VALUE_STATUSES)}", s, row=i)
    if ratio:
        numbers = _ratio_values(values, statuses, file, problems)
    else:
        for i, (v, raw_v, s) in enumerate(zip(numbers.tolist(), raw_values, statuses), start=1):
            value_missing = _empty(raw_v)
            if not value_missing and (math.isnan(v) or not math.isfinite(v)):
                problems.add(file, "value", "a finite number, or empty when not reported", raw_v, row=i)
            elif s == "not_reported" and not value_missing:
                problems.add(file, "value", "empty when status is 'not_reported'", raw_v, row=i)
            elif s in VALUE_STATUSES and s != "not_reported" and value_missing:
                problems.add(file, "status", "'not_reported' when value is empty", s, row=i)
    problems.raise_if_any()
    out = pd.DataFrame({"period_end": periods.to_numpy(), "value": numbers.to_numpy(),
                        "status": pd.Series(statuses, dtype="str").to_numpy()})
    if ratio:
        reported = pd.Series([s != "not_reported" for s in statuses])
        for c in _RATIO_COLUMNS:
            out[c] = pd.to_numeric(values[c], errors="coerce").astype(float).to_numpy()
    else:
        reported = out["value"].notna()
    out["reported"] = reported.to_numpy()
    return out.sort_values("period_end", kind="mergesort").reset_index(drop=True)


def _empty(raw: object) -> bool:
    return raw is None or (not isinstance(raw, str) and bool(pd.isna(raw)))


def _ratio_values(values: pd.DataFrame, statuses: list[object], file: str, problems: ProblemCollector) -> pd.Series:
    """Check a ratio series' numerator and denominator; each period's own ratio (NaN if not reported or 0/0)."""
    parts = {c: pd.to_numeric(values[c], errors="coerce").astype(float) for c in _RATIO_COLUMNS}
    raws = {c: values[c].tolist() for c in _RATIO_COLUMNS}
    for i, s in enumerate(statuses):
        for c in _RATIO_COLUMNS:
            raw, v = raws[c][i], float(parts[c].iloc[i])
            if s == "not_reported":
                if not _empty(raw):
                    problems.add(file, c, "empty when status is 'not_reported'", raw, row=i + 1)
            elif _empty(raw) or not math.isfinite(v) or (c == "denominator" and v < 0):
                expectation = "a number >= 0" if c == "denominator" else "a finite number"
                problems.add(file, c, f"{expectation} when the value is reported", raw, row=i + 1)
    num, den = parts["numerator"], parts["denominator"]
    return (num / den.where(den != 0)).where([s != "not_reported" for s in statuses]).reset_index(drop=True)


def _cumulate(df: pd.DataFrame, aggregation: str) -> pd.DataFrame:
    out = df.copy()
    if aggregation == "per_period":
        running = out["value"].cumsum(skipna=True)  # NaN rows stay NaN, later sums skip them
        running = running.where(out["reported"])
    elif aggregation == "ratio":
        num = out["numerator"].where(out["reported"], 0.0).cumsum()
        den = out["denominator"].where(out["reported"], 0.0).cumsum()
        running = (num / den.where(den != 0)).where(out["reported"])
    else:  # cumulative and level: the reported value itself
        running = out["value"]
    out["cumulative"] = running.ffill()
    out["carried_forward"] = ~out["reported"] & out["cumulative"].notna()
    return out[["period_end", "value", "status", "reported", "cumulative", "carried_forward"]]


# --------------------------------------------------------------------------- prepared series


@dataclass(frozen=True)
class PreparedSeries:
    """An indicator series validated, sorted by period end and cumulated once, as plain lists.

    What :func:`cumulative_series` computes, without a DataFrame: for the small series of a
    project (a handful of periods) pandas' overhead is most of the time, and a portfolio asks the
    same series for its actual, its projection and its status. Make one with :func:`prepare_series`
    or :func:`prepare_lists`; :func:`latest_actual`, :func:`projection` and
    :func:`indicator_summary` take it in place of the DataFrame and give the same results.
    """

    aggregation: str
    period_end: tuple[pd.Timestamp, ...]
    value: tuple[float, ...]
    status: tuple[str, ...]
    reported: tuple[bool, ...]
    cumulative: tuple[float, ...]


def prepare_lists(periods: Sequence[pd.Timestamp], values: Sequence[float], statuses: Sequence[str],
                  aggregation: str, numerators: Sequence[float] = (), denominators: Sequence[float] = ()) -> PreparedSeries | None:
    """The :class:`PreparedSeries` of a clean series given as lists (Timestamps, floats with NaN for
    not reported, statuses); None when anything is not clean (a missing or repeated date, an
    unknown status, a value that does not fit its status, an unknown aggregation...), so that the
    caller takes the DataFrame path, which reports the problem."""
    if aggregation not in AGGREGATIONS:
        return None
    n = len(periods)
    ratio = aggregation == "ratio"
    if len(values) != n or len(statuses) != n or (ratio and (len(numerators) != n or len(denominators) != n)):
        return None
    seen: set[pd.Timestamp] = set()
    for p in periods:
        if not isinstance(p, pd.Timestamp) or p is pd.NaT or p.tz is not None or p in seen:
            return None
        seen.add(p)
    own: list[float] = []
    reported: list[bool] = []
    for i in range(n):
        s = statuses[i]
        if not isinstance(s, str) or s not in VALUE_STATUSES:
            return None
        if ratio:
            num, den = float(numerators[i]), float(denominators[i])
            if s == "not_reported":
                if not (math.isnan(num) and math.isnan(den)):
                    return None
                own.append(float("nan"))
                reported.append(False)
            else:
                if not (math.isfinite(num) and math.isfinite(den)) or den < 0:
                    return None
                own.append(num / den if den != 0 else float("nan"))
                reported.append(True)
        else:
            v = float(values[i])
            missing = math.isnan(v)
            if (not missing and not math.isfinite(v)) or (s == "not_reported") != missing:
                return None
            own.append(v)
            reported.append(not missing)
    order = sorted(range(n), key=lambda i: periods[i])  # stable, as the mergesort of the DataFrame path
    period_end = tuple(periods[i] for i in order)
    value = tuple(own[i] for i in order)
    status_ = tuple(str(statuses[i]) for i in order)
    rep = tuple(reported[i] for i in order)
    running: list[float] = []
    if aggregation == "per_period":  # numpy's cumsum over the values with NaN as 0, NaN kept where not reported
        total = 0.0
        for i, v in enumerate(value):
            total = (0.0 if math.isnan(v) else v) if i == 0 else total + (0.0 if math.isnan(v) else v)
            running.append(total if rep[i] else float("nan"))
    elif aggregation == "ratio":
        num_total = den_total = 0.0
        for i, j in enumerate(order):
            num = float(numerators[j]) if rep[i] else 0.0
            den = float(denominators[j]) if rep[i] else 0.0
            num_total = num if i == 0 else num_total + num
            den_total = den if i == 0 else den_total + den
            running.append((num_total / den_total if den_total != 0 else float("nan")) if rep[i] else float("nan"))
    else:
        running = list(value)
    last = float("nan")
    for i, v in enumerate(running):  # carried forward
        if math.isnan(v):
            running[i] = last
        else:
            last = v
    return PreparedSeries(aggregation, period_end, value, status_, rep, tuple(running))


def _clean_lists(values: pd.DataFrame, aggregation: str) -> PreparedSeries | None:
    """:func:`prepare_lists` of a DataFrame whose columns have the plain dtypes (dates, floats)."""
    cols = values.columns
    needed = _COLUMNS + (_RATIO_COLUMNS if aggregation == "ratio" else ())
    if any(c not in cols for c in needed) or cols.has_duplicates:
        return None
    dtypes = values.dtypes
    if dtypes["period_end"].kind != "M" or getattr(dtypes["period_end"], "tz", None) is not None:
        return None
    if any(dtypes[c] != np.float64 for c in ("value", *(_RATIO_COLUMNS if aggregation == "ratio" else ()))):
        return None
    ratio = aggregation == "ratio"
    return prepare_lists(values["period_end"].tolist(), values["value"].tolist(), values["status"].tolist(), aggregation,
                         values["numerator"].tolist() if ratio else (), values["denominator"].tolist() if ratio else ())


def prepare_series(values: pd.DataFrame | PreparedSeries, aggregation: Aggregation, *,
                   file: str = "indicator values") -> PreparedSeries:
    """``values`` validated and cumulated once (see :class:`PreparedSeries`); the same problems as
    :func:`cumulative_series` for a series that is not valid."""
    if isinstance(values, PreparedSeries):
        if values.aggregation != aggregation:
            raise InputError([Problem(file, "aggregation", f"the series' own aggregation {values.aggregation}", aggregation)])
        return values
    if isinstance(values, pd.DataFrame):
        fast = _clean_lists(values, aggregation)
        if fast is not None:
            return fast
    df = _cumulate(_prepare(values, file, aggregation), aggregation)
    return PreparedSeries(aggregation, tuple(pd.Timestamp(p) for p in df["period_end"].tolist()),
                          tuple(float(v) for v in df["value"].tolist()), tuple(str(s) for s in df["status"].tolist()),
                          tuple(bool(r) for r in df["reported"].tolist()), tuple(float(v) for v in df["cumulative"].tolist()))
