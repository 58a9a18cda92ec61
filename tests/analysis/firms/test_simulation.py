"""Tests for evaluation.analysis.firms.simulation: synthetic panels with a known effect."""

from __future__ import annotations

import pandas as pd

from evaluation.analysis import firms as F


def test_synthetic_panel_is_deterministic_and_valid() -> None:
    """Same seed gives the same panel, and it passes validate_panel."""
    a = F.synthetic_panel(30, 6, 1.0, True, 4, heterogeneous=True)
    b = F.synthetic_panel(30, 6, 1.0, True, 4, heterogeneous=True)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(F.synthetic_panel(30, 6, 1.0, True, 5, heterogeneous=True))
    valid = F.validate_panel(a)
    assert len(valid) == 180
    starts = valid.loc[valid["participant"], "participation_start"].dropna().unique()
    assert starts.min() >= 2012 and starts.max() <= 2014
