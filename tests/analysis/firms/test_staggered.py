"""Tests for evaluation.analysis.firms.staggered: Callaway & Sant'Anna through the differences package."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pytest

from evaluation.analysis import firms as F
from evaluation.core.errors import AnalysisError, InputError


@pytest.fixture(scope="module")
def heterogeneous() -> pd.DataFrame:
    """Staggered starts 2012-2016, effects differing by cohort and growing with time (seed 0)."""
    return F.synthetic_panel(800, 8, 2.0, True, 0, heterogeneous=True)


def test_twfe_biased_callaway_santanna_covers_truth(heterogeneous: pd.DataFrame) -> None:
    """Known heterogeneous effects: TWFE's interval misses the true ATT, every Callaway & Sant'Anna variant covers it."""
    truth = heterogeneous.loc[heterogeneous["true_effect"] != 0, "true_effect"].mean()
    twfe = F.did_twfe(heterogeneous, "employees")
    assert not (twfe.ci_low <= truth <= twfe.ci_high) and twfe.coefficient < truth - 0.5
    variants: tuple[tuple[Literal["dr", "ipw", "reg"], Literal["never", "not_yet"]], ...] = (
        ("dr", "never"), ("ipw", "not_yet"), ("reg", "never"))
    for method, control in variants:
        cs = F.callaway_santanna(heterogeneous, "employees", method=method, control=control, boot_iterations=199)
        assert cs.overall.ci_low <= truth <= cs.overall.ci_high, (method, control)
        assert cs.method == method and cs.control == control
    assert cs.n_cohorts == 5 and cs.n_treated_firms + cs.n_control_firms == 800


def test_dynamic_and_cohort_effects_cover_the_truth(heterogeneous: pd.DataFrame) -> None:
    """The event-time and by-cohort aggregations' uniform bands cover the true effects; pre-start placebos cover zero."""
    cs = F.callaway_santanna(heterogeneous, "employees", boot_iterations=499)
    treated = heterogeneous.loc[heterogeneous["true_effect"] != 0]
    rel = treated["year"] - treated["participation_start"].astype(float)
    by_e = treated.groupby(rel.to_numpy())["true_effect"].mean()
    dyn = cs.dynamic.set_index("rel_time")
    post = dyn.loc[dyn.index >= 0]
    assert ((post["band_low"].to_numpy() <= by_e.loc[post.index].to_numpy())
            & (by_e.loc[post.index].to_numpy() <= post["band_high"].to_numpy())).all()
    pre = dyn.loc[dyn.index < 0]
    assert ((pre["band_low"] <= 0) & (pre["band_high"] >= 0)).all()
    by_g = treated.groupby(treated["participation_start"].astype(int))["true_effect"].mean()
    coh = cs.by_cohort.set_index("cohort")
    assert ((coh["band_low"] <= by_g.loc[coh.index]) & (by_g.loc[coh.index] <= coh["band_high"])).all()


def test_uniform_band_is_wider_than_pointwise_and_seed_repeats(heterogeneous: pd.DataFrame) -> None:
    """The simultaneous band over event times is wider than +-1.96 se; the same seed gives the same figures."""
    a = F.callaway_santanna(heterogeneous, "employees", boot_iterations=499, seed=3)
    b = F.callaway_santanna(heterogeneous, "employees", boot_iterations=499, seed=3)
    half = (a.dynamic["band_high"] - a.dynamic["band_low"]) / 2
    assert (half > 1.96 * a.dynamic["std_error"]).all() and a.uniform
    pd.testing.assert_frame_equal(a.dynamic, b.dynamic)
    assert a.overall == b.overall


def test_group_time_effects_equal_saturated_regression_of_pyfixest() -> None:
    """Post-start ATT(g,t) with never-participating controls equal the Sun & Abraham cells pyfixest estimates (balanced panel)."""
    panel = F.synthetic_panel(300, 7, 1.5, True, 11, heterogeneous=True)
    cs = F.callaway_santanna(panel, "employees", method="reg", boot_iterations=0)
    sa = F.sun_abraham(panel, "employees")
    gt = cs.group_time.loc[cs.group_time["rel_time"] >= 0].set_index(["cohort", "rel_time"])["coefficient"]
    cells = sa.cells.loc[sa.cells["rel_time"] >= 0].set_index(["cohort", "rel_time"])["coefficient"]
    assert len(gt) == len(cells) > 10
    np.testing.assert_allclose(gt.loc[cells.index].to_numpy(), cells.to_numpy(), atol=1e-9)


def test_dropped_participants_are_counted() -> None:
    """Participants with an unknown start or starting in the first year are dropped and counted."""
    panel = F.synthetic_panel(200, 7, 1.0, True, 5)
    firms = panel.loc[panel["participant"], "firm_id"].unique()
    panel.loc[panel["firm_id"] == firms[0], "participation_start"] = pd.NA
    panel.loc[panel["firm_id"] == firms[1], "participation_start"] = int(panel["year"].min())
    cs = F.callaway_santanna(panel, "employees", boot_iterations=0)
    assert (cs.n_unknown_start, cs.n_always_treated) == (1, 1)
    assert cs.n_treated_firms == len(firms) - 2


def test_bad_arguments_and_no_comparison_firms() -> None:
    """Unknown comparison group or method is an input error; no never-participating firm is an analysis error."""
    panel = F.synthetic_panel(100, 6, 1.0, True, 2)
    with pytest.raises(InputError, match="control"):
        F.callaway_santanna(panel, "employees", control="sometimes")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="method"):
        F.callaway_santanna(panel, "employees", method="ml")  # type: ignore[arg-type]
    with pytest.raises(AnalysisError, match="no comparison firms"):
        F.callaway_santanna(panel.loc[panel["participant"]], "employees")


MPDTA = Path(__file__).resolve().parents[2] / "data" / "mpdta" / "mpdta.csv"


def test_mpdta_documented_values_of_the_r_did_package() -> None:
    """R did's documented mpdta example: ATT(2004,2004) -0.0105 (0.0233) ... overall -0.0400 (~0.0118), dynamic -3..3."""
    raw = pd.read_csv(MPDTA)
    treated = raw["first.treat"] > 0
    panel = pd.DataFrame({
        "firm_id": raw["countyreal"].astype(str), "year": raw["year"].astype(np.int64), "lemp": raw["lemp"],
        "participant": treated.to_numpy(),
        "participation_start": pd.array(np.where(treated, raw["first.treat"], 0), dtype="Int64"),
    })
    panel.loc[~treated, "participation_start"] = pd.NA
    cs = F.callaway_santanna(panel, "lemp", method="dr", control="never", boot_iterations=999, seed=1)
    gt = cs.group_time.set_index(["cohort", "year"])["coefficient"].round(4)
    documented = {(2004, 2004): -0.0105, (2004, 2005): -0.0704, (2004, 2006): -0.1373, (2004, 2007): -0.1008,
                  (2006, 2006): -0.0046, (2006, 2007): -0.0412, (2007, 2007): -0.0261}
    assert {k: gt.loc[k] for k in documented} == documented
    assert round(cs.overall.coefficient, 4) == -0.0400
    assert cs.overall.std_error == pytest.approx(0.0118, abs=0.001)
    se_2004 = cs.group_time.set_index(["cohort", "year"]).loc[(2004, 2004), "std_error"]
    assert se_2004 == pytest.approx(0.0233, abs=0.003)
    dynamic = dict(zip(cs.dynamic["rel_time"], cs.dynamic["coefficient"].round(4)))
    assert dynamic == {-3: 0.0305, -2: -0.0006, -1: -0.0245, 0: -0.0199, 1: -0.0510, 2: -0.1373, 3: -0.1008}


def test_seed_zero_repeats_too(heterogeneous: pd.DataFrame) -> None:
    """Seed 0 (the default of did) gives the same bootstrap figures twice: the package reads a seed of 0 as no seed."""
    a = F.callaway_santanna(heterogeneous, "employees", boot_iterations=199, seed=0)
    b = F.callaway_santanna(heterogeneous, "employees", boot_iterations=199, seed=0)
    assert a.overall.std_error == b.overall.std_error
    pd.testing.assert_frame_equal(a.dynamic, b.dynamic)
