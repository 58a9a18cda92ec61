"""Tests for evaluation.analysis.firms.eventstudy: Sun & Abraham, the event study and its pre-trend test."""

from __future__ import annotations

import numpy as np

from evaluation.analysis import firms as F


def test_staggered_heterogeneous_twfe_biased_sun_abraham_not() -> None:
    """Staggered starts with growing, cohort-specific effects: TWFE misses the ATT, SA covers it."""
    panel = F.synthetic_panel(800, 8, 2.0, True, 0, heterogeneous=True)
    truth = panel.loc[panel["true_effect"] != 0, "true_effect"].mean()
    twfe = F.did_twfe(panel, "employees")
    sa = F.sun_abraham(panel, "employees")
    assert not (twfe.ci_low <= truth <= twfe.ci_high)
    assert twfe.coefficient < truth - 0.5
    assert sa.att.ci_low <= truth <= sa.att.ci_high
    assert sa.n_cohorts == 5 and sa.control == "never"
    # each cohort x relative-year cell estimates its own true effect
    cells = sa.cells.loc[sa.cells["rel_time"] == 0]
    lo = 2012
    for _, row in cells.iterrows():
        h = 2.0 - (row["cohort"] - lo) / 4
        assert abs(row["coefficient"] - 2.0 * h) < 4 * row["std_error"]


def test_event_study_pretrend_test_accepts_parallel_and_rejects_pretrend() -> None:
    """Joint pre-trend test: no rejection with parallel trends, rejection with a built-in pre-trend."""
    parallel = F.event_study(F.synthetic_panel(800, 8, 2.0, True, 1), "employees")
    assert parallel.pretrend is not None
    assert parallel.pretrend.rel_times == (-3, -2)
    assert parallel.pretrend.p_value > 0.05
    trending = F.event_study(F.synthetic_panel(800, 8, 2.0, True, 1, pretrend=0.3), "employees")
    assert trending.pretrend is not None and trending.pretrend.p_value < 0.01
    table = parallel.table
    assert table["rel_time"].tolist() == [-3, -2, -1, 0, 1, 2, 3]
    ref = table.loc[table["is_reference"]]
    assert ref["rel_time"].tolist() == [-1] and ref["coefficient"].tolist() == [0.0]
    post = table.loc[table["rel_time"] >= 0]
    assert ((post["ci_low"] <= 2.0) & (post["ci_high"] >= 2.0)).sum() >= 3


def test_event_study_single_cohort_equals_dynamic_twfe() -> None:
    """With one start year the event-study coefficients are the dynamic TWFE coefficients."""
    panel = F.synthetic_panel(200, 6, 1.0, False, 3)
    es = F.event_study(panel, "employees", leads=3, lags=2)
    start = panel["participation_start"].to_numpy(dtype=float, na_value=np.nan)
    rel = panel["year"].to_numpy() - start
    names = []
    for r in (-3, -2, 0, 1, 2):
        name = f"d{r}"
        panel[name] = (rel == r).astype(float)
        names.append(name)
    ests = F.fe_regression(panel, "employees", names)
    got = es.table.set_index("rel_time").loc[[-3, -2, 0, 1, 2]]
    np.testing.assert_allclose(got["coefficient"], [e.coefficient for e in ests], atol=1e-10)
    np.testing.assert_allclose(got["std_error"], [e.std_error for e in ests], rtol=1e-10)
