"""Tests for evaluation.plots.appraisal: the coherence components and a co-financing key against the decisions."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaluation.analysis.cofinancing import KEY_COLUMNS
from evaluation.plots import appraisal as charts


def test_coherence_bars_are_the_component_shares() -> None:
    """Each bar is a component's share in per cent; a component with nothing to test is written, not drawn."""
    comp = pd.DataFrame({"label": ["A", "B", "C"], "share": [1.0, 0.5, math.nan], "n": [4, 2, 0]})
    ax = charts.plot_coherence(comp, 75.0, lang="en")
    assert [p.get_width() for p in ax.patches] == [100.0, 50.0, 0.0]
    assert "Coherence score 75 of 100" in ax.get_title()
    assert " nothing to test" in [t.get_text() for t in ax.texts]


def test_cofinancing_draws_key_and_decision_per_party() -> None:
    """Per party two bars in kSEK (by the key, decided); an undecided party is marked, not drawn as 0."""
    rows = [{"key": "k", "party": "Gävleborg", "kind": "", "computed": 1_500_000.0, "decided": 1_500_000.0},
            {"key": "k", "party": "Dalarna", "kind": "", "computed": 1_400_000.0, "decided": math.nan}]
    key = pd.DataFrame([{c: r.get(c, math.nan) for c in KEY_COLUMNS} for r in rows], columns=KEY_COLUMNS)
    ax = charts.plot_cofinancing(key, lang="sv")
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([1500.0, 1400.0, 1500.0, 0.0])
    assert " uppgift saknas" in [t.get_text() for t in ax.texts]
    assert ax.get_title() and any(t.get_text().startswith("Källa") for t in ax.figure.texts)
