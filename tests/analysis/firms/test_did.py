"""Tests for evaluation.analysis.firms.did: the choice of estimator, its warnings and design limits."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.analysis import firms as F
from evaluation.core.errors import AnalysisError


def test_did_common_timing_uses_twfe_and_always_states_limits() -> None:
    """One start year -> TWFE; design limits always present in Swedish and English."""
    panel = F.synthetic_panel(400, 8, 2.0, False, 8)
    res = F.did(panel, "employees")
    assert res.method == "twfe"
    assert res.estimate.coefficient == pytest.approx(F.did_twfe(panel, "employees").coefficient)
    assert len(res.design_limits) == len(res.design_limits_en) == 5
    assert "parallella trender" in res.design_limits[1]
    assert "parallel-trends" in res.design_limits_en[1]
    assert res.warnings == () and res.warnings_en == ()
    assert res.texts("en") == (res.warnings_en, res.design_limits_en)


def test_did_staggered_uses_sun_abraham_and_warns_about_data_limits() -> None:
    """Staggered starts -> Sun & Abraham; few firms, unknown starts and a pre-trend are warned."""
    panel = F.synthetic_panel(300, 8, 2.0, True, 9, share_participants=0.06, pretrend=0.6)
    firms = panel.loc[panel["participant"], "firm_id"].unique()
    unknown = set(firms[:2])
    panel.loc[panel["firm_id"].isin(unknown), "participation_start"] = pd.NA
    res = F.did(panel, "employees")
    assert res.method == "sun_abraham"
    assert res.estimate.name.startswith("ATT (Sun & Abraham")
    assert res.n_treated_firms == len(firms) - 2 < 20
    joined_en = " ".join(res.warnings_en)
    assert "2 participating firms have no known start year" in joined_en
    assert f"Only {len(firms) - 2} participating firms" in joined_en
    assert "rejects at the 5 % level" in joined_en
    assert len(res.warnings) == len(res.warnings_en) == 3
    assert "saknar uppgift om startår" in " ".join(res.warnings)
    assert "Sun & Abraham" in res.design_limits_en[0]


def test_did_without_comparison_firms_raises_clear_error() -> None:
    """No comparison firms: AnalysisError in English and Swedish instead of an estimate."""
    panel = F.synthetic_panel(60, 6, 1.0, False, 1)
    only = panel.loc[panel["participant"]]
    with pytest.raises(AnalysisError) as info:
        F.did(only, "employees")
    assert "no comparison firms" in info.value.text("en") and "no comparison firms" in str(info.value)
    assert "inga jämförelseföretag" in info.value.text("sv")
