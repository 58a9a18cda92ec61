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


def test_did_staggered_uses_callaway_santanna_and_warns_about_data_limits() -> None:
    """Staggered starts -> Callaway & Sant'Anna with Sun & Abraham as check; few firms, unknown starts and a pre-trend are warned."""
    panel = F.synthetic_panel(300, 8, 2.0, True, 9, share_participants=0.06, pretrend=0.6)
    firms = panel.loc[panel["participant"], "firm_id"].unique()
    unknown = set(firms[:2])
    panel.loc[panel["firm_id"].isin(unknown), "participation_start"] = pd.NA
    res = F.did(panel, "employees")
    assert res.method == "callaway_santanna" and res.staggered is not None
    assert res.estimate.name.startswith("ATT (Callaway & Sant'Anna")
    assert res.check is not None and res.check.name.startswith("ATT (Sun & Abraham")
    assert res.n_treated_firms == len(firms) - 2 < 20
    joined_en = " ".join(res.warnings_en)
    assert "2 participating firms have no known start year" in joined_en
    assert f"Only {len(firms) - 2} participating firms" in joined_en
    assert "rejects at the 5 % level" in joined_en
    assert len(res.warnings) == len(res.warnings_en) == 3
    assert "saknar uppgift om startår" in " ".join(res.warnings)
    assert "Callaway & Sant'Anna" in res.design_limits_en[0] and "firms that never participated" in res.design_limits_en[0]
    assert "Sun & Abraham" in res.design_limits_en[0] and "Sun & Abrahams" in res.design_limits[0]
    findings = " ".join(res.findings("en"))
    assert "Check: Sun & Abraham's estimator gives" in findings and "Rambachan & Roth" in findings
    assert res.breakdown is not None and res.breakdown.pre_slope is not None
    assert 0.3 < res.breakdown.pre_slope < 0.9  # the built-in differential trend is 0.6 a year


def test_did_without_comparison_firms_raises_clear_error() -> None:
    """No comparison firms: AnalysisError in English and Swedish instead of an estimate."""
    panel = F.synthetic_panel(60, 6, 1.0, False, 1)
    only = panel.loc[panel["participant"]]
    with pytest.raises(AnalysisError) as info:
        F.did(only, "employees")
    assert "no comparison firms" in info.value.text("en") and "no comparison firms" in str(info.value)
    assert "inga jämförelseföretag" in info.value.text("sv")


def test_method_text_names_small_sample_convention() -> None:
    """The TWFE method sentence says which small-sample convention the clustered errors use."""
    panel = F.synthetic_panel(200, 6, 2.0, False, 8)
    nested = F.did(panel, "employees")
    every = F.did(panel, "employees", small_sample="all")
    assert "nested in the clusters counted once" in nested.design_limits_en[0]
    assert "every fixed effect counted" in every.design_limits_en[0] and "areg" in every.design_limits_en[0]
    assert every.estimate.std_error > nested.estimate.std_error
    assert every.estimate.coefficient == pytest.approx(nested.estimate.coefficient, abs=1e-10)


def test_breakdown_value_is_estimate_over_mean_horizon() -> None:
    """Linear-trend breakdown: slope = |estimate| / mean post horizon; parallel data do not overturn it."""
    res = F.did(F.synthetic_panel(600, 8, 2.0, False, 21), "employees")
    b = res.breakdown
    assert b is not None and b.pre_slope is not None and b.pre_slope_se is not None
    event = res.event
    assert event is not None
    post = event.table.loc[event.table["rel_time"] >= 0]
    assert post["n_obs"].sum() > 0
    assert b.breakdown_slope == pytest.approx(abs(res.estimate.coefficient) / b.mean_horizon)
    assert 0 < b.ci_breakdown_slope < b.breakdown_slope
    assert not b.pre_slope_overturns and abs(b.pre_slope) < 2 * b.pre_slope_se + 0.05
    assert "Känslighet" in " ".join(res.findings("sv"))


def test_applicants_as_alternative_comparison_group() -> None:
    """With an applicant column the estimate against non-supported applicants is available and named as such."""
    panel = F.synthetic_panel(400, 8, 2.0, False, 8)
    comparison = panel.loc[~panel["participant"], "firm_id"].unique()
    applied = set(comparison[: len(comparison) // 3])
    panel["applicant"] = panel["participant"] | panel["firm_id"].isin(applied)
    res = F.did(panel, "employees", comparison="applicants")
    assert res.n_comparison_firms == len(applied) and res.comparison == "applicants"
    assert "firms that applied but were not supported" in res.design_limits_en[0]
    assert abs(res.estimate.coefficient - 2.0) < 4 * res.estimate.std_error
    with pytest.raises(AnalysisError, match="no 'applicant' column"):
        F.did(panel.drop(columns="applicant"), "employees", comparison="applicants")


def test_breakdown_flags_an_estimate_a_pre_trend_explains() -> None:
    """A negative true effect hidden under a differential trend of 0.6 a year: the pre-start slope overturns the estimate."""
    res = F.did(F.synthetic_panel(800, 8, -0.3, False, 4, pretrend=0.6), "employees")
    b = res.breakdown
    assert b is not None and b.pre_slope is not None
    assert res.estimate.coefficient > 0 and b.pre_slope_overturns
    assert "large enough to explain the whole estimate" in " ".join(res.findings("en"))
    assert "stor nog att förklara hela skattningen" in " ".join(res.findings("sv"))
