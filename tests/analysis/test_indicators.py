"""Tests for evaluation.analysis.indicators: hand-checked values and NIS 6.0 published figures."""

from __future__ import annotations

import math
import random
import struct
from dataclasses import FrozenInstanceError
from datetime import date

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis.indicators import (
    Actual,
    Projection,
    _days,
    _opt_float,
    _timestamp,
    attainment,
    check_disaggregation,
    cumulative_series,
    expected_at,
    indicator_summary,
    is_monotone_cumulative,
    latest_actual,
    projection,
    status,
    unique_count,
    unique_count_by,
)
from evaluation.core.errors import InputError

NAN = float("nan")


def series(rows: list[tuple[date, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["period_end", "value", "status"])


@pytest.fixture
def per_period() -> pd.DataFrame:
    """Quarterly per-period values with a not-reported second quarter."""
    return series(
        [
            (date(2024, 3, 31), 10.0, "verified"),
            (date(2024, 6, 30), NAN, "not_reported"),
            (date(2024, 9, 30), 5.0, "preliminary"),
            (date(2024, 12, 31), 7.0, "verified"),
        ]
    )


# --------------------------------------------------------------------------- series


def test_cumulative_series_per_period_sums_and_carries_forward(per_period: pd.DataFrame) -> None:
    """Per-period values are summed; a not-reported period stays NaN and carries the total forward, flagged."""
    out = cumulative_series(per_period, "per_period")
    assert out["cumulative"].tolist() == [10.0, 10.0, 15.0, 22.0]
    assert math.isnan(out["value"].iloc[1])
    assert out["carried_forward"].tolist() == [False, True, False, False]
    assert out["reported"].tolist() == [True, False, True, True]


def test_cumulative_series_cumulative_uses_reported_value() -> None:
    """For a cumulative indicator the reported value is the running total."""
    v = series([(date(2024, 6, 30), 5.0, "verified"), (date(2024, 12, 31), NAN, "not_reported"), (date(2025, 6, 30), 12.0, "verified")])
    out = cumulative_series(v, "cumulative")
    assert out["cumulative"].tolist() == [5.0, 5.0, 12.0]
    assert out["carried_forward"].tolist() == [False, True, False]


def test_cumulative_series_sorts_and_leading_gap_stays_nan() -> None:
    """Rows are sorted by period_end and nothing is known before the first reported period."""
    v = series([(date(2024, 9, 30), 4.0, "verified"), (date(2024, 3, 31), NAN, "not_reported")])
    out = cumulative_series(v, "per_period")
    assert [d.date() for d in out["period_end"]] == [date(2024, 3, 31), date(2024, 9, 30)]
    assert math.isnan(out["cumulative"].iloc[0])
    assert not out["carried_forward"].iloc[0]
    assert out["cumulative"].iloc[1] == 4.0


def test_input_problems_are_collected_and_raised_once() -> None:
    """Bad date, bad status, a value on a not-reported row and a duplicate period are all reported together."""
    v = pd.DataFrame(
        {
            "period_end": ["2024-03-31", "not a date", "2024-03-31", "2024-12-31"],
            "value": [1.0, 2.0, 3.0, 4.0],
            "status": ["verified", "verified", "verified", "not_reported"],
        }
    )
    with pytest.raises(InputError) as err:
        cumulative_series(v, "per_period", file="ind.csv")
    msgs = [p.message() for p in err.value.problems]
    assert len(msgs) == 3
    assert "'period_end' in ind.csv row 2 must be a date (got 'not a date')" in msgs
    assert any("row 3" in m and "unique" in m for m in msgs)
    assert any("row 4" in m and "not_reported" in m for m in msgs)


def test_empty_value_with_reported_status_is_an_error() -> None:
    """A NaN value must carry status 'not_reported' (NaN is never silently a zero or a report)."""
    v = series([(date(2024, 3, 31), NAN, "verified")])
    with pytest.raises(InputError, match="'status' in indicator values row 1 must be 'not_reported'"):
        latest_actual(v, "per_period", date(2024, 12, 31))


def test_missing_column_and_bad_aggregation_raise() -> None:
    """A missing column or an unknown aggregation raises InputError."""
    with pytest.raises(InputError, match="'status'"):
        cumulative_series(pd.DataFrame({"period_end": [date(2024, 1, 1)], "value": [1.0]}), "per_period")
    with pytest.raises(InputError, match="aggregation"):
        cumulative_series(series([]), "sum")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- actual


def test_latest_actual_per_period_is_sum_up_to_as_of(per_period: pd.DataFrame) -> None:
    """Per-period actual is the sum of reported periods up to as_of; later periods are ignored."""
    act = latest_actual(per_period, "per_period", date(2024, 10, 15))
    assert act == Actual(15.0, date(2024, 9, 30), 2, "preliminary", 1)


def test_latest_actual_cumulative_takes_latest_row_status() -> None:
    """Cumulative actual is the latest reported value with that row's status."""
    v = series([(date(2024, 6, 30), 5.0, "preliminary"), (date(2024, 12, 31), 9.0, "verified"), (date(2025, 6, 30), NAN, "not_reported")])
    act = latest_actual(v, "cumulative", date(2025, 12, 31))
    assert (act.value, act.period_end, act.n_reported, act.status, act.n_not_reported) == (9.0, date(2024, 12, 31), 2, "verified", 1)


def test_latest_actual_nothing_reported_is_none_not_zero() -> None:
    """With nothing reported the actual is None, never 0."""
    v = series([(date(2024, 6, 30), NAN, "not_reported")])
    act = latest_actual(v, "per_period", date(2024, 12, 31))
    assert act.value is None and act.period_end is None and act.status == "not_reported"
    assert not act.reported
    assert latest_actual(series([]), "cumulative", date(2024, 1, 1)).value is None


def test_actual_is_frozen() -> None:
    """Actual is an immutable value."""
    act = Actual(1.0, date(2024, 1, 1), 1, "verified")
    with pytest.raises(FrozenInstanceError):
        act.value = 2.0  # type: ignore[misc]


def test_is_monotone_cumulative_lists_drops() -> None:
    """Period ends where a cumulative series goes down are listed; gaps are skipped over."""
    v = series(
        [
            (date(2024, 3, 31), 10.0, "verified"),
            (date(2024, 6, 30), 8.0, "verified"),
            (date(2024, 9, 30), NAN, "not_reported"),
            (date(2024, 12, 31), 12.0, "verified"),
            (date(2025, 3, 31), 11.5, "preliminary"),
        ]
    )
    assert is_monotone_cumulative(v) == [date(2024, 6, 30), date(2025, 3, 31)]
    assert is_monotone_cumulative(v, tolerance=1.0) == [date(2024, 6, 30)]
    assert is_monotone_cumulative(v.iloc[[0, 3]]) == []


# --------------------------------------------------------------------------- attainment


def test_attainment_nis_firms_reached() -> None:
    """NIS 6.0: firms reached 503 against target 400 is 1.2575 (printed 126 %)."""
    a = attainment(503, 400)
    assert a == pytest.approx(1.2575)
    assert f"{a:.0%}" == "126%"


def test_attainment_nis_jobs() -> None:
    """NIS 6.0: jobs 43.5 against target 40 is 1.0875."""
    assert attainment(43.5, 40) == pytest.approx(1.0875)


def test_attainment_relative_to_baseline() -> None:
    """Relative attainment is (actual - baseline) / (target - baseline)."""
    assert attainment(70, 100, 40, relative_to_baseline=True) == pytest.approx(0.5)
    assert attainment(70, 100, 40) == pytest.approx(0.7)
    assert attainment(70, 40, 40, relative_to_baseline=True) is None


def test_attainment_none_cases() -> None:
    """Not-reported actual, missing or zero target give None (no division by zero, no zero)."""
    assert attainment(None, 400) is None
    assert attainment(NAN, 400) is None
    assert attainment(Actual(None, None, 0, "not_reported"), 400) is None
    assert attainment(503, 0) is None
    assert attainment(503, None) is None
    assert attainment(Actual(20.0, date(2024, 1, 1), 1, "verified"), 40) == pytest.approx(0.5)


# --------------------------------------------------------------------------- expected


def test_expected_at_pro_rata_by_days() -> None:
    """Baseline 0 on 2024-01-01, target 100 on 2027-04-30, as_of 2025-08-31: 100 * 608 / 1215 days."""
    elapsed = (date(2025, 8, 31) - date(2024, 1, 1)).days
    span = (date(2027, 4, 30) - date(2024, 1, 1)).days
    assert (elapsed, span) == (608, 1215)  # 366 + 242 and 366 + 365 + 365 + 119
    value = expected_at(0.0, date(2024, 1, 1), 100.0, date(2027, 4, 30), date(2025, 8, 31))
    assert value == pytest.approx(100 * 608 / 1215)
    assert value == pytest.approx(50.0412, abs=1e-4)


def test_expected_at_clamps_and_uses_baseline() -> None:
    """Before the baseline date the baseline, after the target date the target; a nonzero baseline is the start."""
    args = (20.0, date(2024, 1, 1), 120.0, date(2025, 1, 1))
    assert expected_at(*args, date(2023, 6, 1)) == 20.0
    assert expected_at(*args, date(2026, 6, 1)) == 120.0
    assert expected_at(*args, date(2024, 7, 2)) == pytest.approx(20 + 100 * 183 / 366)


def test_expected_at_rejects_target_before_baseline() -> None:
    """A target date before the baseline date is an input error."""
    with pytest.raises(InputError, match="target_date"):
        expected_at(0, date(2025, 1, 1), 10, date(2024, 1, 1), date(2024, 6, 1))


# --------------------------------------------------------------------------- projection


def _linear(days: list[int], slope: float, start: date = date(2024, 1, 1), base: float = 0.0) -> pd.DataFrame:
    rows = [(pd.Timestamp(start) + pd.Timedelta(days=d), base + slope * d, "verified") for d in days]
    return pd.DataFrame(rows, columns=["period_end", "value", "status"])


def test_projection_perfectly_linear_projects_exactly() -> None:
    """A perfectly linear cumulative series through the baseline projects exactly and, being straight, has no band."""
    v = _linear([90, 181, 273, 365], slope=0.5, base=10.0)
    end = date(2026, 1, 1)  # 731 days after baseline
    p = projection(v, "cumulative", 10.0, date(2024, 1, 1), end, date(2025, 1, 1))
    assert p.method == "linear_trend" and p.n_points == 4
    assert p.value == pytest.approx(10 + 0.5 * 731)
    assert p.low is None and p.high is None and p.no_band == "straight_line"


def test_projection_noisy_band_contains_truth() -> None:
    """A noisy seeded series (truth 2/day) has a 95 % band around the end value that contains the truth."""
    rng = np.random.default_rng(20240101)
    days = list(range(30, 601, 30))
    v = _linear(days, slope=2.0)
    v["value"] = v["value"] + rng.normal(0.0, 25.0, len(days))
    end = date(2026, 1, 1)
    truth = 2.0 * (end - date(2024, 1, 1)).days
    p = projection(v, "cumulative", 0.0, date(2024, 1, 1), end, date(2026, 1, 1))
    assert p.low is not None and p.high is not None
    assert p.low < truth < p.high
    assert p.low < p.value < p.high
    assert 0 < p.high - p.low < 0.2 * truth


def test_projection_ignores_values_after_as_of() -> None:
    """Periods after as_of do not influence the projection."""
    v = _linear([90, 181, 273], slope=1.0)
    wild = pd.concat([v, series([(date(2025, 6, 30), 10_000.0, "verified")])], ignore_index=True)
    a = projection(v, "cumulative", 0.0, date(2024, 1, 1), date(2025, 12, 31), date(2025, 1, 1))
    b = projection(wild, "cumulative", 0.0, date(2024, 1, 1), date(2025, 12, 31), date(2025, 1, 1))
    assert a == b


def test_projection_per_period_uses_running_total() -> None:
    """Per-period values are projected on their running sum (10 per 100 days -> 0.1/day)."""
    v = pd.DataFrame(
        {
            "period_end": [pd.Timestamp("2024-01-01") + pd.Timedelta(days=d) for d in (100, 200, 300)],
            "value": [10.0, 10.0, 10.0],
            "status": ["verified"] * 3,
        }
    )
    p = projection(v, "per_period", 0.0, date(2024, 1, 1), pd.Timestamp("2024-01-01") + pd.Timedelta(days=1000))
    assert p.value == pytest.approx(100.0)


def test_projection_one_point_falls_back_to_average_rate() -> None:
    """With one reported point: average rate since baseline, no band, and the method says so."""
    v = series([(date(2024, 4, 10), 50.0, "verified")])  # 100 days after baseline
    p = projection(v, "cumulative", 10.0, date(2024, 1, 1), date(2024, 1, 1) + pd.Timedelta(days=300), date(2024, 12, 31))
    assert p.method == "average_rate" and p.n_points == 1
    assert p.value == pytest.approx(10 + 0.4 * 300)
    assert p.low is None and p.high is None
    assert "fewer than 2" in p.note and p.no_band == "too_few_points"


def test_projection_nothing_reported() -> None:
    """No reported values: no projection (None), method 'none'."""
    v = series([(date(2024, 4, 10), NAN, "not_reported")])
    p = projection(v, "cumulative", 0.0, date(2024, 1, 1), date(2025, 1, 1), date(2024, 12, 31))
    assert p == Projection(None, None, None, "none", 0, None, p.note)
    assert "no reported" in p.note


def test_projection_rejects_bad_level() -> None:
    """The interval level must be strictly between 0 and 1."""
    with pytest.raises(InputError, match="level"):
        projection(_linear([10, 20], 1.0), "cumulative", 0, date(2024, 1, 1), date(2025, 1, 1), level=95)


# --------------------------------------------------------------------------- honest bands


def test_projection_straight_series_has_no_zero_width_band() -> None:
    """A level held at 4 for four periods (baseline 4) projects 4 with no band, not "4 (4-4)", and says why."""
    v = series([(date(2024, 3, 31), 4.0, "verified"), (date(2024, 6, 30), 4.0, "verified"),
                (date(2024, 9, 30), 4.0, "verified"), (date(2024, 12, 31), 4.0, "verified")])
    p = projection(v, "level", 4.0, date(2024, 1, 1), date(2025, 12, 31), date(2024, 12, 31))
    assert p.value == pytest.approx(4.0) and p.n_points == 4
    assert p.low is None and p.high is None
    assert p.no_band == "straight_line"


def test_projection_two_points_are_too_few_for_a_band() -> None:
    """Two reported values give a point projection but no band (one degree of freedom is no honest interval)."""
    p = projection(_linear([90, 200], slope=1.0, base=0.0).assign(value=[80.0, 210.0]), "cumulative", 0.0,
                   date(2024, 1, 1), date(2025, 12, 31), date(2025, 1, 1))
    assert p.value is not None and p.low is None and p.high is None
    assert p.no_band == "too_few_points" and p.n_points == 2


def test_projection_never_above_the_maximum() -> None:
    """Seven municipalities can have a plan at most: a trend heading for 9 is printed as 7, band cut at 7."""
    v = series([(date(2024, 3, 31), 1.0, "verified"), (date(2024, 6, 30), 2.0, "verified"),
                (date(2024, 9, 30), 3.2, "verified"), (date(2024, 12, 31), 3.9, "verified")])
    free = projection(v, "level", 0.0, date(2024, 1, 1), date(2026, 6, 30), date(2024, 12, 31))
    assert free.value is not None and free.value > 7
    p = projection(v, "level", 0.0, date(2024, 1, 1), date(2026, 6, 30), date(2024, 12, 31), maximum=7.0)
    assert p.value == 7.0 and p.capped
    assert p.high is not None and p.high <= 7.0 and p.low is not None and p.low <= 7.0


# --------------------------------------------------------------------------- kinds


def test_level_takes_the_latest_value_which_may_go_down() -> None:
    """A level (projects in the plan proposal) counts its latest value: 3, 5, 4 gives 4, not a sum or a maximum."""
    v = series([(date(2024, 3, 31), 3.0, "verified"), (date(2024, 6, 30), 5.0, "verified"),
                (date(2024, 9, 30), 4.0, "preliminary")])
    a = latest_actual(v, "level")
    assert a.value == 4.0 and a.status == "preliminary" and a.n_reported == 3
    assert cumulative_series(v, "level")["cumulative"].tolist() == [3.0, 5.0, 4.0]


def ratio_series() -> pd.DataFrame:
    """Women-led firms of the firms recruited per period: 1 of 2, not reported, 9 of 10."""
    return pd.DataFrame({
        "period_end": [date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30)],
        "value": [NAN, NAN, NAN],
        "status": ["verified", "not_reported", "verified"],
        "numerator": [1.0, NAN, 9.0],
        "denominator": [2.0, NAN, 10.0],
    })


def test_ratio_aggregates_numerator_and_denominator_separately() -> None:
    """A ratio is sum of numerators over sum of denominators (10/12), never the average of the shares (70 %)."""
    out = cumulative_series(ratio_series(), "ratio")
    assert out["cumulative"].tolist() == pytest.approx([0.5, 0.5, 10 / 12])
    assert out["value"].tolist()[0] == pytest.approx(0.5) and math.isnan(out["value"].iloc[1])
    a = latest_actual(ratio_series(), "ratio")
    assert a.value == pytest.approx(10 / 12) and a.n_reported == 2 and a.n_not_reported == 1


def test_ratio_needs_numerator_and_denominator() -> None:
    """A reported ratio row without a denominator, or a ratio table without the columns, is an input error."""
    bad = ratio_series()
    bad.loc[0, "denominator"] = NAN
    with pytest.raises(InputError, match="'denominator' in indicator values row 1"):
        latest_actual(bad, "ratio")
    with pytest.raises(InputError, match="numerator"):
        latest_actual(series([(date(2024, 3, 31), 0.5, "verified")]), "ratio")


def test_ratio_expected_is_the_target_not_a_pro_rata_share() -> None:
    """A share target holds throughout: expected at any date is the target itself."""
    s = indicator_summary(ratio_series(), "ratio", 0.0, date(2024, 1, 1), 0.4, date(2025, 12, 31), date(2024, 9, 30))
    assert s.expected == pytest.approx(0.4)
    assert s.actual == pytest.approx(10 / 12)


# --------------------------------------------------------------------------- status


def test_status_27_of_60_with_band_below_target_is_not_on_track() -> None:
    """27 meetings of 60, projection 55 (51-59): the band lies wholly below the target, so off track (not "i fas")."""
    p = Projection(55.0, 51.0, 59.0, "linear_trend", 6, 0.95)
    assert status(27, p, 60) == "off_track"


def test_status_from_projection_and_band() -> None:
    """On track: point >= target; at risk: point below, band reaches; off track: band wholly below."""
    assert status(27, Projection(61.0, 50.0, 72.0, "linear_trend", 6, 0.95), 60) == "on_track"
    assert status(27, Projection(60.0, 50.0, 70.0, "linear_trend", 6, 0.95), 60) == "on_track"
    assert status(27, Projection(55.0, 50.0, 60.0, "linear_trend", 6, 0.95), 60) == "at_risk"
    assert status(27, Projection(55.0, 50.0, 59.9, "linear_trend", 6, 0.95), 60) == "off_track"
    straight = Projection(55.0, None, None, "linear_trend", 6, None, no_band="straight_line")
    assert status(27, straight, 60) == "off_track"
    assert status(None, straight, 60) == "not_reported"
    assert status(Actual(None, None, 0, "not_reported"), straight, 60) == "not_reported"


def test_status_too_early_with_few_points_or_early_in_period() -> None:
    """Fewer than three reported values, or under a quarter of the time to the target date, is too early to tell."""
    few = Projection(80.0, None, None, "linear_trend", 2, None, no_band="too_few_points")
    assert status(27, few, 60) == "too_early"
    assert status(27, Projection(80.0, None, None, "average_rate", 1, None, no_band="too_few_points"), 60) == "too_early"
    assert status(27, Projection(80.0, 70.0, 90.0, "linear_trend", 4, 0.95), 60, too_early=True) == "too_early"
    assert status(27, None, 60) == "too_early"


def test_status_running_total_at_target_is_on_track() -> None:
    """A running total that has reached its target is on track whatever its trend; a level is judged by its trend."""
    low = Projection(55.0, 50.0, 58.0, "linear_trend", 6, 0.95)
    assert status(60, low, 60) == "on_track"
    assert status(60, low, 60, aggregation="level") == "off_track"


def test_indicator_summary_early_in_period_is_too_early() -> None:
    """Three good values in the first 20 % of the period give a projection but the status "too_early"."""
    v = _linear([30, 60, 90], slope=1.0)
    s = indicator_summary(v, "cumulative", 0.0, date(2024, 1, 1), 1000.0, date(2025, 12, 31), date(2024, 3, 31))
    assert s.projected is not None and s.status == "too_early"


def test_indicator_summary_row(per_period: pd.DataFrame) -> None:
    """The summary gathers actual, expected, attainment, projection and status in one row."""
    s = indicator_summary(per_period, "per_period", 0.0, date(2024, 1, 1), 40.0, date(2025, 12, 31), date(2024, 12, 31))
    assert s.actual == 22.0 and s.n_reported == 3 and s.n_not_reported == 1
    assert s.data_status == "preliminary"
    expected = 40 * 365 / 730
    assert s.expected == pytest.approx(expected)
    assert s.attainment == pytest.approx(22 / 40)
    assert s.share_of_expected == pytest.approx(22 / expected)
    assert s.projection_method == "linear_trend"
    assert s.status == "on_track"
    row = s.as_dict()
    assert list(row)[:3] == ["actual", "actual_period_end", "n_reported"]
    assert row["status"] == "on_track"


def test_indicator_summary_not_reported() -> None:
    """With nothing reported the summary has no actual, no attainment and status 'not_reported'."""
    v = series([(date(2024, 6, 30), NAN, "not_reported")])
    s = indicator_summary(v, "cumulative", 0.0, date(2024, 1, 1), 40.0, date(2025, 12, 31), date(2024, 12, 31))
    assert s.actual is None and s.attainment is None and s.projected is None
    assert s.status == "not_reported"


# --------------------------------------------------------------------------- counting


@pytest.fixture
def participation() -> pd.DataFrame:
    """Three firms, one of which joined three activities."""
    return pd.DataFrame(
        {
            "activity": ["seminar", "seminar", "coaching", "coaching", "export"],
            "firm_id": ["556000-0001", "556000-0002", "556000-0001", "556000-0003", "556000-0001"],
            "date": pd.to_datetime(["2024-02-01", "2024-02-01", "2024-03-10", "2024-03-12", "2024-05-05"]),
        }
    )


def test_unique_count_counts_each_firm_once(participation: pd.DataFrame) -> None:
    """A firm in several activities is counted once."""
    assert unique_count(participation) == 3


def test_unique_count_by_activity(participation: pd.DataFrame) -> None:
    """Per activity: rows and distinct firms, sorted by activity."""
    out = unique_count_by(participation, "activity")
    assert out["activity"].tolist() == ["coaching", "export", "seminar"]
    assert out["n_rows"].tolist() == [2, 1, 2]
    assert out["n_unique"].tolist() == [2, 1, 2]
    assert out["n_unique"].sum() > unique_count(participation)


def test_unique_count_missing_key(participation: pd.DataFrame) -> None:
    """A participation row without a firm id is an error unless explicitly ignored."""
    p = participation.copy()
    p.loc[4, "firm_id"] = None
    p.loc[1, "firm_id"] = None
    with pytest.raises(InputError) as err:
        unique_count(p)
    assert [pr.row for pr in err.value.problems] == [2, 5]
    assert unique_count(p, missing="ignore") == 2


# --------------------------------------------------------------------------- disaggregation


def test_disaggregation_nis_participants_by_sex() -> None:
    """NIS 6.0: 2 949 participants = 1 466 women (49.7 %) + 1 483 men (50.3 %)."""
    c = check_disaggregation(2949, {"women": 1466, "men": 1483})
    assert c.ok is True and c.status == "ok" and c.difference == 0 and c.missing == ()
    assert c.share("women") == pytest.approx(0.4971, abs=5e-5)
    assert c.share("men") == pytest.approx(0.5029, abs=5e-5)
    assert f"{c.share('women'):.1%}" == "49.7%" and f"{c.share('men'):.1%}" == "50.3%"


def test_disaggregation_mismatch_and_tolerance() -> None:
    """Parts that do not add up fail unless within the absolute tolerance."""
    c = check_disaggregation(100, {"a": 60, "b": 38})
    assert c.status == "mismatch" and c.ok is False and c.difference == -2
    assert check_disaggregation(100, {"a": 60, "b": 38}, tolerance=2).ok is True


def test_disaggregation_not_reported_part_is_incomplete() -> None:
    """A None part makes the check incomplete (ok None), not failed, and is listed as missing."""
    c = check_disaggregation(2949, {"women": 1466, "men": None})
    assert c.status == "incomplete" and c.ok is None
    assert c.missing == ("men",) and c.sum == 1466 and c.share("men") is None
    over = check_disaggregation(100, {"a": 120, "b": None})
    assert over.status == "mismatch"  # reported parts alone already exceed the total
    assert check_disaggregation(None, {"a": 1, "b": 2}).status == "incomplete"


def test_ratio_with_few_periods_projects_the_ratio_so_far() -> None:
    """Two ratio periods (50 %, then 90 %) are not extrapolated: the projection is the ratio so far, without a band."""
    p = projection(ratio_series(), "ratio", 0.0, date(2024, 1, 1), date(2026, 12, 31), date(2024, 9, 30))
    assert p.method == "ratio_so_far" and p.value == pytest.approx(10 / 12) and p.low is None and p.no_band == "too_few_points"


# --------------------------------------------------------------------------- prepared series (the fast path)


def _series(aggregation: str) -> pd.DataFrame:
    frame = pd.DataFrame({
        "period_end": pd.to_datetime(["2023-06-30", "2022-06-30", "2022-12-31", "2023-12-31", "2024-06-30"]),
        "value": [40.0, 10.0, NAN, 55.5, 70.0],
        "status": ["verified", "verified", "not_reported", "preliminary", "preliminary"],
        "numerator": [4.0, 1.0, NAN, 3.0, 6.0],
        "denominator": [10.0, 0.0, NAN, 6.0, 9.0],
    })
    return frame


@pytest.mark.parametrize("aggregation", ["cumulative", "per_period", "level", "ratio"])
@pytest.mark.parametrize("as_of", [None, "2022-12-31", "2023-09-30", "2030-01-01"])
def test_prepared_series_gives_the_dataframe_results(aggregation: str, as_of: str | None) -> None:
    """Actual, projection and summary from a PreparedSeries equal those of the pandas path (cumulative_series)."""
    from evaluation.analysis.indicators import prepare_series

    frame = _series(aggregation)
    prepared = prepare_series(frame, aggregation)  # type: ignore[arg-type]
    reference = cumulative_series(frame.astype({"value": object}), aggregation)  # type: ignore[arg-type]  # object: the pandas path
    assert list(prepared.cumulative) == pytest.approx(reference["cumulative"].tolist(), nan_ok=True)
    assert list(prepared.period_end) == reference["period_end"].tolist()
    slow = frame.astype({"value": object})  # not plain floats: the pandas path
    assert repr(latest_actual(prepared, aggregation, as_of)) == repr(latest_actual(slow, aggregation, as_of))  # type: ignore[arg-type]
    args = (0.0, "2022-01-01", "2024-12-31")
    assert (repr(projection(prepared, aggregation, *args, as_of=as_of))  # type: ignore[arg-type]
            == repr(projection(slow, aggregation, *args, as_of=as_of)))  # type: ignore[arg-type]
    if as_of is not None:
        assert (repr(indicator_summary(frame, aggregation, 0.0, "2022-01-01", 80.0, "2024-12-31", as_of))  # type: ignore[arg-type]
                == repr(indicator_summary(slow, aggregation, 0.0, "2022-01-01", 80.0, "2024-12-31", as_of)))  # type: ignore[arg-type]


@pytest.mark.parametrize("change", ["duplicate date", "bad status", "value when not reported"])
def test_prepared_series_reports_a_bad_series_as_the_pandas_path(change: str) -> None:
    """A series the fast path cannot vouch for raises the same problems as before (rows counted as given)."""
    frame = _series("cumulative")
    if change == "duplicate date":
        frame.loc[4, "period_end"] = frame.loc[0, "period_end"]
    elif change == "bad status":
        frame.loc[1, "status"] = "done"
    else:
        frame.loc[2, "value"] = 5.0
    with pytest.raises(InputError) as fast:
        latest_actual(frame, "cumulative")
    with pytest.raises(InputError) as slow:
        latest_actual(frame.astype({"value": object}), "cumulative")
    assert [str(p) for p in fast.value.problems] == [str(p) for p in slow.value.problems]


# --------------------------------------------------------------------------- fast paths: the same numbers as before


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_days_and_timestamps_as_pandas_gives_them() -> None:
    """_days is (later - earlier) / 1 day for dates, times and far-apart Timestamps; a date's Timestamp is pandas' own
    and the same object again; a float goes through _opt_float unchanged, NaN as None, infinity refused."""
    rng = random.Random(3)
    day = pd.Timedelta(days=1)
    for _ in range(5000):
        a = pd.Timestamp(date(1990, 1, 1)) + pd.Timedelta(seconds=rng.randint(0, 10**9), microseconds=rng.randint(0, 10**6))
        b = pd.Timestamp(date(1990, 1, 1)) + pd.Timedelta(days=rng.randint(0, 20000))
        assert _bits(_days(a, b)) == _bits(float((a - b) / day))
    far = pd.Timestamp("2500-01-01").as_unit("s")  # beyond nanoseconds: the pandas division
    assert _days(far, pd.Timestamp("2000-01-01")) == float((far - pd.Timestamp("2000-01-01")) / day)
    d = date(2024, 6, 30)
    assert _timestamp(d, "f", "w") == pd.Timestamp(d) and _timestamp(d, "f", "w") is _timestamp(d, "f", "w")
    assert _opt_float(2.5, "f", "w") == 2.5 and _opt_float(NAN, "f", "w") is None
    with pytest.raises(InputError):
        _opt_float(float("inf"), "f", "w")
