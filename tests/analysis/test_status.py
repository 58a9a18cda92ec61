"""Tests for evaluation/analysis/status.py: indicator rows, final statuses, half-up rounding, progress and gender figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, write_project

from evaluation.analysis import status
from evaluation.core.model import Indicator, Measurement, Project
from evaluation.io.loader import load_project


def _value(indicator: str, period_end: str, v: object, **extra: object) -> dict[str, object]:
    return {"indicator": indicator, "period_end": period_end, "value": v, "status": "verified", "source": "src", **extra}


@pytest.mark.parametrize("attainment,expected", [(1.0, "achieved"), (1.26, "achieved"), (0.99, "partly"), (0.7, "partly"),
                                                 (0.69, "not_achieved")])
def test_final_status_by_thresholds(attainment: float, expected: str) -> None:
    """A final report calls 100 % achieved, 70-99 % partly achieved and below 70 % not achieved."""
    assert status.final_status(attainment) == expected


def test_round_half_up() -> None:
    """Halves round up, as readers of Swedish reports expect (2.25 -> 2.3, 2.5 -> 3)."""
    assert status.round_half_up(2.25, 1) == 2.3
    assert status.round_half_up(2.5) == 3.0
    assert status.round_half_up(66.99) == 67.0


def test_rows_of_a_final_report(tmp_path: Path) -> None:
    """Final report as of the end: out1 6 of 10 is not achieved, res1 5 of 5 achieved, rows in the project's order."""
    values = [_value("out1", "2025-12-31", 6, women=4, men=2), _value("res1", "2025-12-31", 5)]
    project = load_project(write_project(tmp_path, minimal_spec(), {"indicator_values": values}))
    rows = status.indicator_rows(project, date(2025, 12, 31), "final")
    assert [(r.indicator.id, r.actual, r.target, r.status) for r in rows] == [("out1", 6, 10, "not_achieved"), ("res1", 5, 5, "achieved")]
    assert rows[0].attainment == pytest.approx(0.6)
    assert status.find_row(rows, "res1") is rows[1] and status.find_row(rows, "nope") is None
    assert not status.values_illustrative(project)
    gender = status.gender_table(project, date(2025, 12, 31))
    assert gender[["name", "total", "women", "men"]].values.tolist() == [["Output-indikator", 6, 4, 2]]
    assert gender["share_women"].tolist() == [pytest.approx(4 / 6)]


def test_no_target_and_not_reported(tmp_path: Path) -> None:
    """An indicator without a target is "no_target" when it has an outcome and "not_reported" when it has none."""
    spec = minimal_spec()
    for ind in spec["indicators"]:
        ind.pop("target")
    project = load_project(write_project(tmp_path, spec, {"indicator_values": [_value("out1", "2025-06-30", 3)]}))
    rows = status.indicator_rows(project, date(2025, 12, 31), "midterm")
    assert [(r.status, r.actual, r.attainment) for r in rows] == [("no_target", 3, None), ("not_reported", None, None)]


def test_women_share_of_participants() -> None:
    """NIS 6.0: the participants' latest split gives 1 466 women of 2 949 (49,7 %)."""
    project = load_project("nis60")
    m = status.participants_by_gender(project, date(2022, 12, 31))
    assert m is not None and (m.women, m.value) == (1466, 2949)
    assert status.women_share(m) == pytest.approx(1466 / 2949)
    assert status.women_share(None) is None


def test_progress_series_only_for_indicators_with_target_and_two_values(tmp_path: Path) -> None:
    """The progress chart gets out1 (target, three values) but not res1 (one value)."""
    values = [_value("out1", "2024-06-30", 2), _value("out1", "2024-12-31", 5), _value("out1", "2025-06-30", 7),
              _value("res1", "2025-06-30", 1)]
    project = load_project(write_project(tmp_path, minimal_spec(), {"indicator_values": values}))
    rows = status.indicator_rows(project, date(2025, 6, 30), "midterm")
    series = status.progress_series(rows, project, date(2025, 6, 30))
    assert [s[0] for s in series] == ["Output-indikator"]
    assert series[0][4] == 10


def test_level_indicator_may_go_down_without_a_decrease_finding(tmp_path: Path) -> None:
    """A level (projects in the plan proposal: 3, 5, 4) reports its latest value 4 and no cumulative_decrease finding."""
    from evaluation.review.checks import check_project

    spec = minimal_spec()
    spec["indicators"][0]["aggregation"] = "level"
    values = [_value("out1", "2024-06-30", 3), _value("out1", "2024-12-31", 5), _value("out1", "2025-06-30", 4)]
    project = load_project(write_project(tmp_path, spec, {"indicator_values": values}))
    row = status.indicator_rows(project, date(2025, 6, 30), "midterm")[0]
    assert row.actual == 4 and row.attainment == pytest.approx(0.4)
    assert not [f for f in check_project(project) if f.rule == "cumulative_decrease"]


def _indicator(aggregation: str, values: tuple[Measurement, ...], **kw: object) -> Indicator:
    base: dict[str, Any] = dict(id="i", name="I", unit="st", level="output", measures=(), baseline_value=0,
                                baseline_date=date(2024, 1, 1), target_value=60, target_date=date(2025, 12, 31),
                                aggregation=aggregation, values=values)
    base.update(kw)
    return Indicator(**base)


def _project(ind: Indicator) -> Project:
    return Project(id="p", name="P", fund="ERUF", programme="x", owner=None, start=date(2024, 1, 1), end=date(2025, 12, 31),
                   indicators=(ind,))


def _m(day: date, value: float | None, **kw: Any) -> Measurement:
    return Measurement("i", day, value, "verified" if value is not None or kw else "not_reported", "s", **kw)


def test_ratio_row_in_percent_from_summed_parts() -> None:
    """Women-led firms 1 of 2 then 9 of 10, unit "%": the row shows 83.3 % (10 of 12), not the mean share 70 %."""
    ind = _indicator("ratio", (_m(date(2024, 6, 30), 50.0, numerator=1.0, denominator=2.0),
                               _m(date(2024, 12, 31), 90.0, numerator=9.0, denominator=10.0)), unit="%", target_value=40)
    row = status.indicator_row(ind, _project(ind), date(2024, 12, 31), "midterm")
    assert row.actual == pytest.approx(100 * 10 / 12) and row.expected == 40
    assert row.attainment == pytest.approx(100 * 10 / 12 / 40)
    assert status.progress_series((row,), _project(ind), date(2024, 12, 31)) == []


def test_meetings_27_of_60_with_projection_below_target_are_not_on_track() -> None:
    """27 meetings of 60 half-way (pace 27/30 used to say "on track"): projection 54 (52-56) lies below 60, so off track."""
    days = (date(2024, 3, 31), date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31))
    ind = _indicator("cumulative", tuple(_m(d, float(c)) for d, c in zip(days, (7, 13, 20, 27))))
    row = status.indicator_row(ind, _project(ind), date(2024, 12, 31), "midterm")
    assert row.expected == pytest.approx(30.0) and row.projected == pytest.approx(53.6, abs=0.05)
    assert row.projected_high is not None and row.projected_high < 60
    assert row.status == "off_track"


def test_projection_row_cut_at_the_indicator_maximum() -> None:
    """Seven municipalities at most: a trend heading above 7 is reported as 7 and flagged as capped."""
    ind = _indicator("cumulative", tuple(_m(d, v) for d, v in ((date(2024, 3, 31), 1.0), (date(2024, 6, 30), 2.0),
                                                              (date(2024, 9, 30), 3.5), (date(2024, 12, 31), 4.0))),
                     target_value=7, maximum=7)
    row = status.indicator_row(ind, _project(ind), date(2024, 12, 31), "midterm")
    assert row.projected == 7 and row.capped and row.status == "on_track"
    assert row.projected_high is not None and row.projected_high <= 7


def test_prepared_values_give_the_rows_of_the_dataframe(tmp_path: Path) -> None:
    """Rows from status.prepared (no DataFrame) equal the rows computed from status.series."""
    from evaluation.analysis import indicators

    values = [_value("out1", "2024-06-30", 2), _value("out1", "2024-12-31", 5), _value("out1", "2025-06-30", 7),
              _value("res1", "2025-06-30", 3)]
    project = load_project(write_project(tmp_path, minimal_spec(), {"indicator_values": values}))
    for ind in project.indicators:
        prepared = status.prepared(ind)
        assert isinstance(prepared, indicators.PreparedSeries)
        frame = status.series(ind).astype({"value": object})  # object values: the pandas path
        for as_of in (date(2024, 12, 31), date(2025, 12, 31)):
            assert repr(indicators.latest_actual(prepared, ind.aggregation, as_of)) == repr(
                indicators.latest_actual(frame, ind.aggregation, as_of))
    rows = status.indicator_rows(project, date(2025, 6, 30), "midterm")
    assert [(r.indicator.id, r.actual) for r in rows] == [("out1", 7.0), ("res1", 3.0)]


def test_shared_rows_compute_each_row_once_within_a_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside shared_rows the second indicator_row of an indicator is the first one's object; outside, recomputed."""
    values = [_value("out1", "2025-06-30", 6), _value("res1", "2025-06-30", 5)]
    project = load_project(write_project(tmp_path, minimal_spec(), {"indicator_values": values}))
    ind = project.indicators[0]
    calls: list[str] = []
    real = status._indicator_row
    monkeypatch.setattr(status, "_indicator_row", lambda *a: calls.append(a[0].id) or real(*a))
    with status.shared_rows():
        first = status.indicator_row(ind, project, date(2025, 6, 30), "midterm")
        assert status.indicator_row(ind, project, date(2025, 6, 30), "midterm") is first
        assert status.indicator_row(ind, project, date(2025, 6, 30), "final") is not first  # another kind: its own row
    assert status.indicator_row(ind, project, date(2025, 6, 30), "midterm") == first
    assert calls == ["out1", "out1", "out1"]


def test_seeded_rows_are_used_within_a_block(tmp_path: Path) -> None:
    """Rows seeded into a shared_rows block (as a worker's) are what indicator_row gives there; outside, ignored."""
    project = load_project(write_project(tmp_path, minimal_spec(), {"indicator_values": [_value("out1", "2025-06-30", 6)]}))
    rows = status.indicator_rows(project, date(2025, 6, 30), "midterm")
    status.seed_rows(rows, project, date(2025, 6, 30), "midterm")  # no block: nothing kept
    with status.shared_rows():
        status.seed_rows(rows, project, date(2025, 6, 30), "midterm")
        assert status.indicator_rows(project, date(2025, 6, 30), "midterm") == rows
        assert all(a is b for a, b in zip(status.indicator_rows(project, date(2025, 6, 30), "midterm"), rows))
