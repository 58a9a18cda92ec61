"""Tests for evaluation.plots.charts: every report chart has a title, labelled axes, the source line and the right bars."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from evaluation.plots import charts


def texts(fig: Figure) -> list[str]:
    """Figure-level texts (the source line lives there)."""
    return [t.get_text() for t in fig.texts]


def widths(container: object) -> list[float]:
    return [float(r.get_width()) for r in container]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- add_source


def test_add_source_adds_localised_line() -> None:
    """add_source: "Källa: ..." in Swedish, "Source: ..." in English, nothing for an empty source."""
    sv, en, none = Figure(), Figure(), Figure()
    for fig in (sv, en, none):
        fig.add_subplot(1, 1, 1)
    charts.add_source(sv, "Slutrapport", "sv")
    charts.add_source(en, "Final report", "en")
    charts.add_source(none, None, "sv")
    assert texts(sv) == ["Källa: Slutrapport"] and texts(en) == ["Source: Final report"] and texts(none) == []


# --------------------------------------------------------------------------- attainment


def test_plot_attainment_bars_labels_and_target_line() -> None:
    """plot_attainment: one bar per indicator at outcome/target in %, the 100 % line, title, axis, source."""
    fig = charts.plot_attainment(["Företag", "Jobb", "Deltagare"], [1.2575, None, 0.705], lang="sv", source="Slutrapport").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Måluppfyllelse per indikator"
    assert ax.get_xlabel() == "Måluppfyllelse (% av målvärdet)"
    assert "Källa: Slutrapport" in texts(fig)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Företag", "Jobb", "Deltagare"]
    bars = widths(ax.containers[0])
    assert bars[0] == pytest.approx(125.75) and bars[2] == pytest.approx(70.5)
    assert sum(1 for w in bars if w > 0) == 2  # no visible bar for the indicator without an outcome
    labels = [t.get_text().replace("\u00a0", " ") for t in ax.texts]
    assert labels == [" 126 %", " uppgift saknas", " 71 %"]
    assert any(list(line.get_xdata()) == [100, 100] for line in ax.get_lines())
    assert ax.get_xlim()[1] == pytest.approx(125.75 * 1.15)


def test_plot_attainment_never_draws_zero_for_missing() -> None:
    """plot_attainment: an indicator without outcome is labelled "not reported", never "0%"."""
    fig = charts.plot_attainment(["Jobs"], [None], lang="en", source="Article").figure
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == [" not reported"]
    assert ax.get_title() == "Target attainment per indicator" and ax.get_xlabel() == "Attainment (% of target)"
    assert "Source: Article" in texts(fig)
    assert ax.get_xlim() == (0.0, 120.0)


# --------------------------------------------------------------------------- gender split


def test_plot_gender_split_stacked_shares() -> None:
    """plot_gender_split: women/men/non-binary stacked to 100 % per indicator, legend, title, axis, source."""
    frame = pd.DataFrame({"name": ["Deltagare", "Företagsledare"], "total": [2949.0, 10.0],
                          "women": [1466.0, 4.0], "men": [1483.0, 5.0], "non_binary": [np.nan, 1.0]})
    fig = charts.plot_gender_split(frame, lang="sv", source="Slutrapport").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Könsfördelning" and ax.get_xlabel() == "Andel (%)"
    assert "Källa: Slutrapport" in texts(fig)
    assert len(ax.containers) == 3 and all(len(c) == 2 for c in ax.containers)
    women, men, nonbinary = (widths(c) for c in ax.containers)
    assert women[0] == pytest.approx(100 * 1466 / 2949) and men[0] == pytest.approx(100 * 1483 / 2949)
    assert nonbinary == [0.0, pytest.approx(10.0)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Kvinnor", "Män", "Icke-binära"]
    assert ax.get_xlim() == (0.0, 100.0)


def test_plot_gender_split_english_labels() -> None:
    """plot_gender_split in English: Women/Men/Non-binary, "Share (%)", "Source:"."""
    frame = pd.DataFrame({"name": ["Participants"], "total": [10.0], "women": [5.0], "men": [5.0], "non_binary": [0.0]})
    fig = charts.plot_gender_split(frame, lang="en", source="Data").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Gender split" and ax.get_xlabel() == "Share (%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Women", "Men", "Non-binary"]
    assert "Source: Data" in texts(fig)


# --------------------------------------------------------------------------- before / after


def test_plot_before_after_one_dumbbell_per_firm() -> None:
    """plot_before_after: one before and one after marker per firm (totals row left out), sorted by after."""
    table = pd.DataFrame({"firm_id": ["f1", "f2", "f3", None], "firm": ["Alfa", "Beta", "Gamma", "Summa"],
                          "before": [2.0, 5.0, 1.0, 8.0], "after": [4.0, 3.0, 1.0, 8.0], "change": [2.0, -2.0, 0.0, 0.0]})
    fig = charts.plot_before_after(table, lang="sv", source="Slutrapport", before_label="2019", after_label="okt-22").figure
    ax = fig.axes[0]
    assert ax.get_title() == "Anställda per deltagande företag" and ax.get_xlabel() == "Antal anställda"
    assert "Källa: Slutrapport" in texts(fig)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Gamma", "Beta", "Alfa"]
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points) == 2
    before, after = (c.get_offsets()[:, 0].tolist() for c in points)
    assert before == [1.0, 5.0, 2.0] and after == [1.0, 3.0, 4.0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2019", "okt-22"]


# --------------------------------------------------------------------------- indicator progress


def test_plot_indicator_progress_panels() -> None:
    """plot_indicator_progress: one panel per indicator (unused panels hidden), pro-rata path, outcome, as-of line."""
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2024-04-10", "2024-07-19", "2024-10-27"]),
                          "cumulative": [10.0, 30.0, 30.0]})
    series = [("Output-indikator", frame, 0.0, "2024-01-01", 100.0, "2025-08-23", 67.0, 8.4, 125.6),
              ("Resultatindikator", frame.assign(cumulative=[1.0, 2.0, 2.0]), 0.0, "2024-01-01", 5.0, "2025-08-23",
               None, None, None),
              ("Tredje", frame, 0.0, "2024-01-01", 50.0, "2025-08-23", 67.0, None, None)]
    fig = charts.plot_indicator_progress(series, "2024-10-27", lang="sv", source="Testkälla").figure
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == ["Output-indikator", "Resultatindikator", "Tredje"]
    assert len(fig.axes) == 4  # 2 x 2 grid, the fourth panel switched off
    assert fig._suptitle is not None and fig._suptitle.get_text() == "Indikatorer mot jämn takt till målet"
    assert "Källa: Testkälla" in texts(fig)
    first = visible[0]
    assert first.get_ylabel() == "Kumulativt värde" and first.get_xlabel() == "Datum"
    outcome = [line for line in first.get_lines() if line.get_label() == "Utfall"][0]
    assert list(outcome.get_ydata()) == [0.0, 10.0, 30.0, 30.0]
    assert any(line.get_label() == "Prognos" for line in first.get_lines())
    assert not any(line.get_label() == "Prognos" for line in visible[1].get_lines())


# --------------------------------------------------------------------------- survey agreement


def test_plot_agreement_draws_only_shown_items() -> None:
    """plot_agreement: bars for shown items only; suppressed items get the "dolt" text, no bar."""
    frame = pd.DataFrame({"item": ["Nytta", "Kontakter"], "n": [38.0, 12.0], "agree": [25.0, math.nan],
                          "share": [25 / 38, math.nan], "ci_low": [0.5, math.nan], "ci_high": [0.8, math.nan],
                          "suppressed": [False, True]})
    fig = charts.plot_agreement(frame, lang="sv", source="Enkät", threshold=5).figure
    ax = fig.axes[0]
    assert ax.get_title() == "Andel som instämmer per fråga"
    assert ax.get_xlabel().startswith("Andel som instämmer (4–5)")
    assert "Källa: Enkät" in texts(fig)
    assert widths(ax.patches) == [pytest.approx(100 * 25 / 38)]
    labels = [t.get_text().replace("\u00a0", " ") for t in ax.texts]
    assert labels == [" 66 %", "dolt (färre än 5 svar)"]


# --------------------------------------------------------------------------- axes in, axes out


def test_every_chart_returns_the_axes_it_drew_on() -> None:
    """Each chart returns its axes: a new figure's without ax, the given one with ax; add_source passes it through."""
    frame = pd.DataFrame({"name": ["Deltagare"], "total": [10.0], "women": [5.0], "men": [5.0], "non_binary": [0.0]})
    own = charts.plot_gender_split(frame, lang="en")
    assert isinstance(own, Axes) and isinstance(own.figure, Figure) and own.figure.axes == [own]
    host = Figure()
    ax = host.add_subplot(1, 1, 1)
    assert charts.plot_attainment(["Jobs"], [0.5], ax, lang="en") is ax and ax.figure is host
    assert charts.add_source(ax, "Data", "en") is ax and texts(host) == ["Source: Data"]


def test_indicator_progress_fills_a_given_axes_area() -> None:
    """plot_indicator_progress with ax lays its panels into that axes' place and returns the first panel."""
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2024-04-10", "2024-10-27"]), "cumulative": [10.0, 30.0]})
    series = [("A", frame, 0.0, "2024-01-01", 100.0, "2025-08-23", None, None, None),
              ("B", frame, 0.0, "2024-01-01", 50.0, "2025-08-23", None, None, None)]
    host = Figure()
    left, right = host.subplots(1, 2)
    first = charts.plot_indicator_progress(series, "2024-10-27", right, lang="en")
    assert first.figure is host and first.get_title() == "A"
    assert left in host.axes and right not in host.axes and len(host.axes) == 3
    assert all(ax.get_position().x0 >= right.get_position().x0 - 1e-9 for ax in host.axes if ax is not left)
