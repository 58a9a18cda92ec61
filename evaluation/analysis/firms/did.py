"""Difference-in-differences that chooses its estimator and says what the design cannot show.

:func:`did` uses two-way fixed effects when all participants start in the same year and the
Sun & Abraham estimator when start years differ, and returns warnings about these data and
the limits of the design as sentences in the report's language (:meth:`DidResult.texts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import babel.numbers
import numpy as np
import pandas as pd

from evaluation.analysis.firms.estimation import Estimate, did_twfe
from evaluation.analysis.firms.eventstudy import EventStudyResult, PretrendTest, event_study, sun_abraham
from evaluation.analysis.firms.panel import _floats, _require_columns
from evaluation.core.errors import AnalysisError
from evaluation.core.i18n import DEFAULT_LANGUAGE, N_, Language, locale_of, ptext, text

__all__ = ["DidResult", "did"]


def _fmt_p(p: float, lang: Language) -> str:
    """A p-value to three decimals (``< 0.001`` below), with the decimal mark of ``lang``."""
    shown = f"{p:.3f}" if p >= 0.001 else "< 0.001"
    return shown.replace(".", babel.numbers.get_decimal_symbol(locale_of(lang)))


@dataclass(frozen=True)
class DidResult:
    """An effect estimate with what limits it, stated in the report's language by :meth:`texts`.

    ``warnings`` concern these data (few firms, failed pre-trend test, dropped firms);
    ``design_limits`` are always present and say what the design cannot show (the first one
    names the estimator). The sentences are made from the counts held here when they are read,
    in any language with a catalogue. The read-only ``warnings`` / ``design_limits`` are the
    Swedish ones and ``warnings_en`` / ``design_limits_en`` the English ones, in the same order
    (kept for callers that read one language; new code calls :meth:`texts`).
    """

    estimate: Estimate
    method: Literal["twfe", "sun_abraham"]
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

    def _design_limits(self, lang: Language) -> tuple[str, ...]:
        cluster = ptext(lang, "standard errors clustered on", "firms") if self.cluster == "firm_id" else self.cluster or ""
        if self.method == "twfe":
            method = text(lang, "All participants started in the same year ({year}); the effect is estimated with two-way "
                                "fixed effects (firm and year) and standard errors clustered on {cluster}.",
                          year=self.start_years[0], cluster=cluster)
        else:
            method = text(lang, "Participants started in different years ({years}); the effect is estimated with the "
                                "Sun & Abraham (2021) interaction-weighted estimator against never-participating firms, "
                                "because ordinary two-way fixed effects can mislead when effects differ between start "
                                "years. Standard errors clustered on {cluster}.",
                          years=", ".join(str(s) for s in self.start_years), cluster=cluster)
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


def did(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str] = (),
    cluster: str | None = "firm_id",
    min_treated: int = 20,
    leads: int = 3,
    lags: int = 3,
    alpha: float = 0.05,
) -> DidResult:
    """Difference-in-differences that picks a valid estimator and states its limits.

    * no comparison firms, or no participant with a known start: :class:`AnalysisError`
      (its reason in the reader's language through ``err.text(lang)``);
    * all participants start in the same year: :func:`did_twfe`;
    * start years differ: :func:`sun_abraham` (never-participating firms as controls).

    Warnings are added for fewer than ``min_treated`` participating firms, fewer than 30
    clusters, a pre-trend test (:func:`event_study`) rejecting at ``alpha``, a pre-trend that
    cannot be tested, and participants dropped for an unknown start year or no pre-period.
    """
    _require_columns(panel, ("firm_id", "year", "participant", "participation_start", outcome), "<panel>")
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
        es: EventStudyResult | None = event_study(
            panel, outcome, leads=leads, lags=lags, covariates=covariates, cluster=cluster
        )
    except AnalysisError:
        es = None  # e.g. no cohort observed in its reference year; the pre-trend stays untested
    if starts.size == 1:
        method: Literal["twfe", "sun_abraham"] = "twfe"
        estimate = did_twfe(panel, outcome, cluster=cluster, covariates=covariates)
        sa = None
    else:
        method = "sun_abraham"
        sa = sun_abraham(panel, outcome, covariates=covariates, cluster=cluster)
        estimate = sa.att
    year_all = panel["year"].to_numpy()
    first_year = int(np.min(year_all[usable]))
    always_firms = int(pd.unique(firm_ids[known & (start <= first_year)]).size)
    n_treated = es.n_treated_firms if es is not None else int(pd.unique(firm_ids[known & (start > first_year)]).size)
    return DidResult(
        estimate=estimate,
        method=method,
        pretrend=es.pretrend if es is not None else None,
        n_treated_firms=n_treated,
        n_comparison_firms=n_comparison,
        start_years=tuple(int(s) for s in starts),
        cluster=cluster,
        n_unknown_start=n_unknown,
        n_always_treated=always_firms,
        n_cohorts_without_reference=sa.n_cohorts_without_reference if sa is not None else 0,
        min_treated=min_treated,
        alpha=alpha,
    )
