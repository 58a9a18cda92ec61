"""Where each indicator stands at a report's as-of date: outcome, attainment, pace, projection and status.

:func:`indicator_rows` computes one :class:`IndicatorRow` per indicator of a project with
:func:`evaluation.analysis.indicators.indicator_summary` (status from the projection and its band); a final report judges attainment
instead of pace (:data:`FINAL_THRESHOLDS`). The other functions gather what the report's
summary, N3 table, progress chart and gender table rest on. Nothing here formats text.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from evaluation.analysis import indicators as ind_mod
from evaluation.core.model import Indicator, Measurement, Project

FINAL_THRESHOLDS = (1.0, 0.7)
"""Attainment for "achieved" and for "partly achieved" in a final report."""

STATUSES = ("on_track", "at_risk", "off_track", "too_early", "not_reported", "no_target", "achieved", "partly", "not_achieved")
"""Every status an indicator row can have (mid-term statuses from the projection, then final attainment statuses)."""


@dataclass(frozen=True)
class IndicatorRow:
    """What the report says about one indicator at the as-of date.

    ``no_band`` says why a projection has no band (``"too_few_points"``, ``"straight_line"`` or
    ``""``); ``capped`` is True when the projection was cut down to the indicator's maximum.
    """

    indicator: Indicator
    actual: float | None
    actual_date: date | None
    target: float | None
    attainment: float | None
    expected: float | None
    share_of_expected: float | None
    projected: float | None
    projected_low: float | None
    projected_high: float | None
    status: str
    illustrative: bool
    no_band: str = ""
    capped: bool = False


def final_status(attainment: float) -> str:
    """``achieved``, ``partly`` or ``not_achieved`` by :data:`FINAL_THRESHOLDS`."""
    if attainment >= FINAL_THRESHOLDS[0]:
        return "achieved"
    return "partly" if attainment >= FINAL_THRESHOLDS[1] else "not_achieved"


def series(ind: Indicator) -> pd.DataFrame:
    """The values of ``ind`` as :mod:`evaluation.analysis.indicators` reads them.

    For a ratio the numerator is multiplied by :meth:`Indicator.ratio_scale` (100 when the unit
    is "%"), so that the ratio is in the unit of its target.
    """
    frame = ind.values_frame()
    if ind.aggregation != "ratio":
        return frame[["period_end", "value", "status"]]
    frame = frame[["period_end", "value", "status", "numerator", "denominator"]].copy()
    frame["numerator"] = frame["numerator"] * ind.ratio_scale()
    return frame


_SHARED: ContextVar[dict[tuple[Any, ...], tuple[Indicator, Any]] | None] = ContextVar("shared_rows", default=None)


@contextmanager
def shared_rows() -> Iterator[None]:
    """Within the block, :func:`prepared` and :func:`indicator_row` compute once per indicator object (and project
    period, as-of date and kind) and give the same object again: a portfolio asks each indicator's row for its
    status, its actual, its EU sum and its cost per outcome. Outside any block nothing is kept."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _shared(key: tuple[Any, ...], ind: Indicator) -> tuple[dict[tuple[Any, ...], tuple[Indicator, Any]] | None, Any]:
    """The memo of the current :func:`shared_rows` block and what it holds for ``key`` (None when nothing)."""
    memo = _SHARED.get()
    if memo is None:
        return None, None
    hit = memo.get(key)
    return memo, (hit[1] if hit is not None and hit[0] is ind else None)  # the indicator kept alive: its id stays its own


def prepared(ind: Indicator) -> ind_mod.PreparedSeries | pd.DataFrame:
    """The values of ``ind`` as :func:`series` gives them, validated and cumulated once
    (:class:`~evaluation.analysis.indicators.PreparedSeries`) without building a DataFrame; the
    DataFrame of :func:`series` when they are not clean (its problems are then reported as before)."""
    key = ("prepared", id(ind))
    memo, hit = _shared(key, ind)
    if hit is not None:
        return hit
    ordered = sorted(ind.values, key=lambda m: m.period_end)  # as Indicator.values_frame orders them
    nan = float("nan")
    numerators: list[float] = []
    denominators: list[float] = []
    if ind.aggregation == "ratio":
        scale = ind.ratio_scale()
        numerators = [(nan if m.numerator is None else float(m.numerator)) * scale for m in ordered]
        denominators = [nan if m.denominator is None else float(m.denominator) for m in ordered]
    fast = ind_mod.prepare_lists([ind_mod.day_timestamp(m.period_end) for m in ordered],
                                 [nan if m.value is None else float(m.value) for m in ordered],
                                 [m.status for m in ordered], ind.aggregation, numerators, denominators)
    if fast is None:
        return series(ind)  # a new DataFrame each time: a caller may change it
    if memo is not None:
        memo[key] = (ind, fast)
    return fast


def indicator_row(ind: Indicator, project: Project, as_of: date, kind: str) -> IndicatorRow:
    """The row of ``ind``: baseline defaults to 0 at the project start, the target date to the project end."""
    key = ("row", id(ind), project.start, project.end, as_of, kind)
    memo, hit = _shared(key, ind)
    if hit is not None:
        return hit
    row = _indicator_row(ind, project, as_of, kind)
    if memo is not None:
        memo[key] = (ind, row)
    return row


def seed_rows(rows: tuple[IndicatorRow, ...], project: Project, as_of: date, kind: str) -> None:
    """Put rows computed elsewhere (e.g. by :func:`indicator_rows` in a worker process, returned with their project)
    into the current :func:`shared_rows` block, as :func:`indicator_row` would have; nothing outside a block."""
    memo = _SHARED.get()
    if memo is None:
        return
    for row in rows:
        memo[("row", id(row.indicator), project.start, project.end, as_of, kind)] = (row.indicator, row)


def _indicator_row(ind: Indicator, project: Project, as_of: date, kind: str) -> IndicatorRow:
    values = prepared(ind)
    illustrative = any(m.data_status == "illustrative" for m in ind.values)
    target = ind.target_value
    if target is None:
        actual = ind_mod.latest_actual(values, ind.aggregation, as_of)  # with a target, the summary's own
        status = "not_reported" if actual.value is None else "no_target"
        return IndicatorRow(ind, actual.value, actual.period_end, None, None, None, None, None, None, None, status, illustrative)
    baseline = ind.baseline_value if ind.baseline_value is not None else 0.0
    baseline_date = ind.baseline_date or project.start
    target_date = ind.target_date or project.end
    summary = ind_mod.indicator_summary(values, ind.aggregation, baseline, baseline_date, target, target_date, as_of,
                                        maximum=ind.maximum)
    status = summary.status
    if kind == "final" and summary.actual is not None and summary.attainment is not None:
        status = final_status(summary.attainment)
    return IndicatorRow(ind, summary.actual, summary.actual_period_end, target, summary.attainment, summary.expected,
                        summary.share_of_expected, summary.projected, summary.projected_low, summary.projected_high,
                        status, illustrative, summary.no_band, summary.capped)


def indicator_rows(project: Project, as_of: date, kind: str) -> tuple[IndicatorRow, ...]:
    """One row per indicator of ``project``, in the project's order."""
    return tuple(indicator_row(i, project, as_of, kind) for i in project.indicators)


def find_row(rows: tuple[IndicatorRow, ...], indicator_id: str) -> IndicatorRow | None:
    """The row of the indicator ``indicator_id``, or None."""
    return next((row for row in rows if row.indicator.id == indicator_id), None)


def round_half_up(x: float, decimals: int = 0) -> float:
    """``x`` rounded half up to ``decimals`` places (2.25 -> 2.3), as readers of Swedish reports expect."""
    rounded = decimal.Decimal(repr(float(x))).quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
    return float(rounded)


def progress_series(rows: tuple[IndicatorRow, ...], project: Project, as_of: date) -> list[tuple[Any, ...]]:
    """Inputs of the indicator-progress chart for indicators with a target and more than one reported value.

    Ratios are left out: the chart draws running totals against an even pace from the baseline,
    and a share has neither.
    """
    out = []
    for r in rows:
        ind = r.indicator
        if r.target is None or len(ind.reported()) < 2 or ind.aggregation == "ratio":
            continue
        values = series(ind)
        values = values[values["period_end"] <= pd.Timestamp(as_of)]
        frame = ind_mod.cumulative_series(values, ind.aggregation)
        out.append((ind.name, frame, ind.baseline_value or 0.0, ind.baseline_date or project.start, r.target,
                    ind.target_date or project.end, r.projected, r.projected_low, r.projected_high))
    return out


def values_illustrative(project: Project) -> bool:
    """True when any indicator value of ``project`` is illustrative."""
    return any(m.data_status == "illustrative" for i in project.indicators for m in i.values)


def participants_by_gender(project: Project, as_of: date) -> Measurement | None:
    """The latest value of the participants indicator up to ``as_of`` that gives the number of women."""
    ind = project.indicator_for("participants")
    if ind is None:
        return None
    reported = [m for m in ind.reported() if m.period_end <= as_of and m.women is not None]
    return reported[-1] if reported else None


def women_share(m: Measurement | None) -> float | None:
    """The women's share of a measurement (None without a measurement, women or a non-zero total)."""
    if m is None or m.women is None or not m.value:
        return None
    return m.women / m.value


def gender_table(project: Project, as_of: date) -> pd.DataFrame:
    """Per indicator with a gender split: the latest split up to ``as_of`` and the women's share.

    Columns: name, total, women, men, non_binary, share_women, illustrative.
    """
    rows = []
    for ind in project.indicators:
        reported = [m for m in ind.reported() if m.period_end <= as_of and any(v is not None for v in m.gender().values())]
        if reported:
            m = reported[-1]
            rows.append((ind.name, m.value, m.women, m.men, m.non_binary, m.data_status == "illustrative"))
    frame = pd.DataFrame(rows, columns=["name", "total", "women", "men", "non_binary", "illustrative"])
    frame.insert(5, "share_women", frame["women"] / frame["total"])
    return frame
