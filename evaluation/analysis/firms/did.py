"""Difference-in-differences that chooses its estimator by design and says why and what limits it.

:func:`did` uses two-way fixed effects when all participants start in the same year and the
Callaway & Sant'Anna estimator (:mod:`.staggered`) when start years differ, with Sun &
Abraham's as a check. It returns the estimate with the pre-trend test, a sensitivity check
(:mod:`.sensitivity`) and, as sentences in the report's language (:meth:`DidResult.texts`,
:meth:`DidResult.findings`), why this estimator, against which comparison firms, and what the
data and the design cannot show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import babel.numbers
import numpy as np
import pandas as pd

from evaluation.analysis.firms.estimation import Estimate, SmallSample, did_twfe
from evaluation.analysis.firms.eventstudy import EventStudyResult, PretrendTest, event_study_of, sun_abraham
from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.analysis.firms.sensitivity import TrendBreakdown, linear_trend_breakdown
from evaluation.analysis.firms.staggered import StaggeredResult, callaway_santanna
from evaluation.core import fmt
from evaluation.core.errors import AnalysisError, ProblemCollector
from evaluation.core.i18n import DEFAULT_LANGUAGE, N_, Language, locale_of, ptext, text

__all__ = ["APPLICANT_COLUMN", "DidResult", "did"]

APPLICANT_COLUMN = "applicant"
"""Optional panel column (true/false): the firm applied. Applicants that did not participate form the alternative comparison group."""


def _fmt_p(p: float, lang: Language) -> str:
    """A p-value to three decimals (``< 0.001`` below), with the decimal mark of ``lang``."""
    shown = f"{p:.3f}" if p >= 0.001 else "< 0.001"
    return shown.replace(".", babel.numbers.get_decimal_symbol(locale_of(lang)))


def _num(x: float, lang: Language) -> str:
    """A figure with two decimals (three significant digits below 0.1) in the number format of ``lang``."""
    decimals = 2 if abs(x) >= 0.1 or x == 0 else 3 if abs(x) >= 0.01 else 4
    return fmt.number(x, lang, decimals)


@dataclass(frozen=True)
class DidResult:
    """An effect estimate with what limits it, stated in the report's language by :meth:`texts`.

    ``warnings`` concern these data (few firms, failed pre-trend test, dropped firms);
    ``design_limits`` are always present and say what the design cannot show (the first one
    names the estimator, why it was chosen, the comparison firms and the standard errors);
    :meth:`findings` says what the pre-trend test, the sensitivity check (``breakdown``) and,
    with staggered starts, Sun & Abraham's check (``check``) show. ``staggered`` holds the
    Callaway & Sant'Anna aggregations and ``event`` the Sun & Abraham event study. The sentences are made from the counts held here when they are read,
    in any language with a catalogue. The read-only ``warnings`` / ``design_limits`` are the
    Swedish ones and ``warnings_en`` / ``design_limits_en`` the English ones, in the same order
    (kept for callers that read one language; new code calls :meth:`texts`).
    """

    estimate: Estimate
    method: Literal["twfe", "callaway_santanna"]
    pretrend: PretrendTest | None
    n_treated_firms: int
    n_comparison_firms: int
    start_years: tuple[int, ...]
    cluster: str | None
    n_unknown_start: int
    n_always_treated: int
    n_cohorts_without_reference: int
    min_treated: int
    alpha: float
    small_sample: SmallSample = "nested"
    control: Literal["never", "not_yet"] = "never"
    comparison: Literal["all", "applicants"] = "all"
    check: Estimate | None = None
    staggered: StaggeredResult | None = None
    breakdown: TrendBreakdown | None = None
    event: EventStudyResult | None = None

    def texts(self, lang: Language = DEFAULT_LANGUAGE) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(warnings, design_limits) in one language."""
        return self._warnings(lang), self._design_limits(lang)

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._warnings("sv")

    @property
    def design_limits(self) -> tuple[str, ...]:
        return self._design_limits("sv")

    @property
    def warnings_en(self) -> tuple[str, ...]:
        return self._warnings("en")

    @property
    def design_limits_en(self) -> tuple[str, ...]:
        return self._design_limits("en")

    def _warnings(self, lang: Language) -> tuple[str, ...]:
        out = []
        if self.n_unknown_start:
            out.append(text(lang, "{n} participating firms have no known start year and were left out of the estimate.",
                            n=self.n_unknown_start))
        if self.n_always_treated:
            out.append(text(lang, "{n} participating firms started in or before the first year of the data and therefore "
                                  "do not contribute to the estimate.", n=self.n_always_treated))
        if self.n_cohorts_without_reference:
            out.append(text(lang, "{n} start-year cohorts have no observations in the year before their start and were "
                                  "left out.", n=self.n_cohorts_without_reference))
        if self.n_treated_firms < self.min_treated:
            out.append(text(lang, "Only {n} participating firms enter the estimate (fewer than {min}). The result is "
                                  "uncertain and can be driven by single firms.",
                            n=self.n_treated_firms, min=self.min_treated))
        n_clusters = self.estimate.n_clusters
        if n_clusters is not None and n_clusters < 30:
            out.append(text(lang, "The standard errors rest on only {n} clusters; with fewer than 30 clusters the "
                                  "uncertainty may be understated.", n=n_clusters))
        if self.pretrend is None:
            out.append(text(lang, "Trends before the start could not be tested, because the data lack enough years "
                                  "before the programme."))
        elif self.pretrend.p_value < self.alpha:
            out.append(text(lang, "The test of parallel trends before the start rejects at the 5 % level (p = {p}). "
                                  "Participants already developed differently from comparison firms before the "
                                  "programme, so the estimate may be misleading.",
                            p=_fmt_p(self.pretrend.p_value, lang)))
        return tuple(out)

    def _comparison(self, lang: Language) -> str:
        if self.comparison == "applicants":
            return text(lang, "firms that applied but were not supported")
        if self.control == "not_yet" and self.method == "callaway_santanna":
            return text(lang, "firms that have not started yet (including firms that never participated)")
        return text(lang, "firms that never participated")

    def _convention(self, lang: Language) -> str:
        if self.small_sample == "all":
            return text(lang, "every fixed effect counted in the small-sample correction (as with firm dummies or Stata areg)")
        return text(lang, "fixed effects nested in the clusters counted once in the small-sample correction (as fixest, "
                          "reghdfe and Stata xtreg)")

    def _design_limits(self, lang: Language) -> tuple[str, ...]:
        cluster = ptext(lang, "standard errors clustered on", "firms") if self.cluster == "firm_id" else self.cluster or ""
        if self.method == "twfe":
            method = text(lang, "All participants started in the same year ({year}), so the effect is estimated as a "
                                "difference-in-differences with two-way fixed effects (firm and year): the participants' change "
                                "from before to after the start minus the change among {comparison}. Standard errors are "
                                "clustered on {cluster}, with {convention}.",
                          year=self.start_years[0], comparison=self._comparison(lang), cluster=cluster,
                          convention=self._convention(lang))
        else:
            variant = {"dr": text(lang, "doubly robust"), "ipw": text(lang, "inverse probability weighting"),
                       "reg": text(lang, "outcome regression")}
            method = text(lang, "Participants started in different years ({years}). Ordinary two-way fixed effects can then "
                                "mislead, because firms that started early serve as comparison for those that start later "
                                "while their own effects still change; the effect is therefore estimated with Callaway & "
                                "Sant'Anna's (2021) method ({variant}): each start-year group is compared with {comparison} "
                                "from the year before its start, and the group effects are averaged with weights by group "
                                "size. Its uncertainty comes from a bootstrap clustered on firms, with a confidence band "
                                "that holds for all years at once. Sun & Abraham's (2021) estimator serves as a check.",
                          years=", ".join(str(s) for s in self.start_years), comparison=self._comparison(lang),
                          variant=variant[self.staggered.method if self.staggered is not None else "dr"])
        return (
            method,
            text(lang, "The estimate is an effect of the programme only if participants, without it, would have "
                       "developed in parallel with the comparison firms (the parallel-trends assumption). Data cannot "
                       "prove this, only make it plausible."),
            text(lang, "The estimate assumes that firms did not change in anticipation of the programme (for example "
                       "hiring ahead of granted support)."),
            text(lang, "Firms chose to participate. If those who sought the programme were already on their way to "
                       "grow, the effect is overstated."),
            text(lang, "The effect refers to the participating firms. Displacement of other firms and spill-overs to "
                       "the comparison firms are not captured."),
        )

    def findings(self, lang: Language = DEFAULT_LANGUAGE) -> tuple[str, ...]:
        """What the pre-trend test, the sensitivity check and the Sun & Abraham check show, in ``lang``."""
        out = []
        if self.pretrend is not None:
            out.append(text(lang, "The joint test that the differences in the {n} years before the start (other than the "
                                  "reference year) are zero gives p = {p}.", n=len(self.pretrend.rel_times),
                            p=_fmt_p(self.pretrend.p_value, lang)))
        b = self.breakdown
        if b is not None:
            sentence = text(lang, "Sensitivity: a difference in trend between participants and comparison firms of {slope} per "
                                  "year, growing linearly from the year before the start, would bring the estimate to zero; "
                                  "one of {ci_slope} per year would make its 95 % confidence interval reach zero (linear-trend "
                                  "breakdown value, after Rambachan & Roth 2023).",
                            slope=_num(b.breakdown_slope, lang), ci_slope=_num(b.ci_breakdown_slope, lang))
            if b.pre_slope is not None and b.pre_slope_se is not None:
                sentence += " " + text(lang, "The years before the start show a trend difference of {slope} per year "
                                             "(standard error {se}).",
                                       slope=_num(b.pre_slope, lang), se=_num(b.pre_slope_se, lang))
                if b.pre_slope_overturns:
                    sentence += " " + text(lang, "That trend, continued, is large enough to explain the whole estimate.")
            out.append(sentence)
        if self.check is not None:
            out.append(text(lang, "Check: Sun & Abraham's estimator gives {coefficient} (95 % confidence interval {ci_low} to "
                                  "{ci_high}).", coefficient=_num(self.check.coefficient, lang),
                            ci_low=_num(self.check.ci_low, lang), ci_high=_num(self.check.ci_high, lang)))
        return tuple(out)


def _trend_horizon(panel: pd.DataFrame, outcome: str, covariates: Sequence[str], chosen: str, control: Literal["never", "not_yet"],
                   method: Literal["dr", "ipw", "reg"], cluster: str | None) -> float | None:
    """What the chosen estimator gives for a differential trend of one a year (zero the year before the start): h."""
    start = _floats(panel["participation_start"])
    known = panel["participant"].to_numpy(dtype=bool) & ~np.isnan(start)
    trend = np.where(known, panel["year"].to_numpy(dtype=float) - start + 1.0, 0.0)
    trend[np.isnan(_floats(panel[outcome]))] = np.nan  # the same rows as the estimate
    shifted = panel.assign(_trend=trend)
    try:
        if chosen == "twfe":
            return did_twfe(shifted, "_trend", cluster=cluster, covariates=covariates).coefficient
        return callaway_santanna(shifted, "_trend", covariates=covariates, control=control, method=method,
                                 boot_iterations=0).overall.coefficient
    except AnalysisError:
        return None


def _applicant_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """Participants and the applicants that did not participate (the alternative comparison group)."""
    if APPLICANT_COLUMN not in panel.columns:
        raise AnalysisError(N_("The panel has no '{column}' column, so there is no group of firms that applied but were not "
                               "supported."), column=APPLICANT_COLUMN)
    applied = panel[APPLICANT_COLUMN].astype("boolean").fillna(False).to_numpy(dtype=bool)
    participant = panel["participant"].to_numpy(dtype=bool)
    if not (applied & ~participant).any():
        raise AnalysisError(N_("No firm in the panel applied without being supported, so there is no such comparison group."))
    return panel.loc[participant | applied].reset_index(drop=True)


def did(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    min_treated: int = 20,
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
    *,
    small_sample: SmallSample = "nested",
    control: Literal["never", "not_yet"] = "never",
    comparison: Literal["all", "applicants"] = "all",
    method: Literal["dr", "ipw", "reg"] = "dr",
    boot_iterations: int = 999,
    seed: int = 0,
) -> DidResult:
    """Difference-in-differences that picks its estimator by design and states its limits.

    * no comparison firms, or no participant with a known start: :class:`AnalysisError`
      (its reason in the reader's language through ``err.text(lang)``);
    * all participants start in the same year: :func:`did_twfe` (``small_sample`` as there);
    * start years differ: :func:`callaway_santanna` (``control``, ``method``,
      ``boot_iterations``, ``seed`` as there), with :func:`sun_abraham` as a check.

    ``comparison="applicants"`` compares participants with the firms the panel marks in its
    ``applicant`` column that did not participate (an :class:`AnalysisError` when there are
    none). The pre-trend test (:func:`event_study`) and the linear-trend breakdown
    (:func:`linear_trend_breakdown`) come from the Sun & Abraham event study. Warnings are
    added for fewer than ``min_treated`` participating firms, fewer than 30 clusters, a
    pre-trend test rejecting at ``alpha``, a pre-trend that cannot be tested, and
    participants dropped for an unknown start year or no pre-period.
    """
    if comparison not in ("all", "applicants"):
        problems = ProblemCollector()
        problems.add("<arguments>", "comparison", "'all' or 'applicants'", got=comparison)
        problems.raise_if_any()
    _require_columns(panel, ("firm_id", "year", "participant", "participation_start", outcome), "<panel>")
    if comparison == "applicants":
        panel = _applicant_panel(panel)
    participant = panel["participant"].to_numpy(dtype=bool)
    start = _floats(panel["participation_start"])
    firm_ids = panel["firm_id"].to_numpy(dtype=object)
    y = _floats(panel[outcome])
    usable = ~np.isnan(y)
    for c in covariates:
        usable &= ~np.isnan(_floats(panel[c]))
    n_comparison = int(pd.unique(firm_ids[~participant & usable]).size)
    if n_comparison == 0:
        raise AnalysisError(N_("There are no comparison firms (firms that did not participate) in the data, so no effect can be "
                               "estimated with difference-in-differences."))
    known = participant & ~np.isnan(start) & usable
    if not known.any():
        raise AnalysisError(N_("There are no participating firms with a known start year in the data, so no effect can be "
                               "estimated."))
    starts = np.unique(start[known]).astype(int)
    n_unknown = int(pd.unique(firm_ids[participant & np.isnan(start)]).size)
    try:
        sa = sun_abraham(panel, outcome, covariates=covariates, cluster=cluster, small_sample=small_sample)
        es: EventStudyResult | None = event_study_of(sa, outcome, leads, lags)
    except AnalysisError:
        sa, es = None, None  # e.g. no cohort observed in its reference year; the pre-trend stays untested
    staggered = None
    check = None
    if starts.size == 1:
        chosen: Literal["twfe", "callaway_santanna"] = "twfe"
        estimate = did_twfe(panel, outcome, cluster=cluster, covariates=covariates, small_sample=small_sample)
    else:
        chosen = "callaway_santanna"
        staggered = callaway_santanna(panel, outcome, covariates=covariates, control=control, method=method,
                                      boot_iterations=boot_iterations, alpha=alpha, seed=seed)
        estimate = staggered.overall
        check = sa.att if sa is not None else None
    breakdown = None
    if sa is not None:
        horizon = _trend_horizon(panel, outcome, covariates, chosen, control, method, cluster)
        breakdown = linear_trend_breakdown(estimate.coefficient, estimate.std_error, sa.by_rel_time, sa.vcov_rel_time,
                                           sa.reference, horizon=horizon)
    year_all = panel["year"].to_numpy()
    first_year = int(np.min(year_all[usable]))
    always_firms = int(pd.unique(firm_ids[known & (start <= first_year)]).size)
    if staggered is not None:
        n_treated = staggered.n_treated_firms
    else:
        n_treated = es.n_treated_firms if es is not None else int(pd.unique(firm_ids[known & (start > first_year)]).size)
    return DidResult(
        estimate=estimate,
        method=chosen,
        pretrend=es.pretrend if es is not None else None,
        n_treated_firms=n_treated,
        n_comparison_firms=n_comparison,
        start_years=tuple(int(s) for s in starts),
        cluster=cluster,
        n_unknown_start=n_unknown,
        n_always_treated=always_firms,
        n_cohorts_without_reference=sa.n_cohorts_without_reference if sa is not None and staggered is None else 0,
        min_treated=min_treated,
        alpha=alpha,
        small_sample=small_sample,
        control=control,
        comparison=comparison,
        check=check,
        staggered=staggered,
        breakdown=breakdown,
        event=es,
    )
