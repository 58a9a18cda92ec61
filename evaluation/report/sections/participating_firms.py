"""Participating firms: their employees before and after, the comparison with non-participants, the estimated effect.

The figures come from :func:`evaluation.analysis.firm_figures.firm_figures` (every one decided
by :mod:`evaluation.analysis.disclosure`), computed from the project's firm panel or read from
its ``firm_aggregates.json`` (made where the register data live by ``evaluation
firm-aggregates``); both give the same section. With restricted firm data no firm is named and
nothing resting on fewer firms than the threshold is shown; each hidden figure says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from evaluation.analysis import disclosure, firms, participation
from evaluation.analysis.firm_figures import Balance, FirmFigures, Reason, firm_figures, from_json
from evaluation.analysis.participation import PanelYears
from evaluation.core import fmt
from evaluation.core.errors import InputError, Problem
from evaluation.core.i18n import Language, ptext, text
from evaluation.plots import charts
from evaluation.plots import firms as firm_plots
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, heading, notice, paragraph, table
from evaluation.report.sections import common


def summary_parts(ctx: ReportContext, figures: FirmFigures) -> list[Any]:
    """Totals of the participating firms; the shares growing, unchanged and shrinking unless a group is too small."""
    lang = ctx.lang
    summary, years, t = figures.summary, figures.years, figures.threshold
    assert summary is not None and years is not None
    sentence = text(lang, "The {n} participating firms had {before_total} employees in {before} and {after_total} in {after}, "
                          "a change of {change} ({relative}).",
                    n=summary.n_firms, before_total=ctx.n(summary.total_before), before=years.before_label,
                    after_total=ctx.n(summary.total_after), after=years.after_label, change=ctx.n(summary.change),
                    relative=ctx.pct(summary.relative_change))
    if figures.growth_hidden:
        sentence += " " + text(lang, "How many grew, were unchanged or shrank is not shown, as one of the groups has fewer than "
                                     "{t} firms.", t=t)
    else:
        sentence += " " + text(lang, "{growing} of the firms grew, {unchanged} were unchanged and {shrinking} shrank.",
                               growing=ctx.pct(summary.share_growing, 0), unchanged=ctx.pct(summary.share_unchanged, 0),
                               shrinking=ctx.pct(summary.share_shrinking, 0))
    out: list[Any] = [paragraph(sentence)]
    gap = figures.published_gap
    if gap is not None:
        out.append(notice(text(
            lang, "The published increase is {published} ({share}), while the columns give {change}; the gap comes from rows whose "
                  "published change does not match the counts (see the logic review).",
            published=ctx.n(gap[0]), share=ctx.pct(gap[1], 0), change=ctx.n(summary.change)), "warning", lang))
    return out


def firm_table(ctx: ReportContext, table_ba: pd.DataFrame, published: pd.Series, years: PanelYears) -> pd.DataFrame:
    """The firm-by-firm table as published (public firm data only)."""
    lang = ctx.lang
    shown = table_ba[["firm", "before", "after", "change"]].copy()
    if published.notna().any():
        shown[text(lang, "Published change")] = participation.published_by_row(table_ba, published)
    return shown.rename(columns={"firm": text(lang, "Firm"), "before": text(lang, "Employees {year}", year=years.before_label),
                                 "after": text(lang, "Employees {year}", year=years.after_label), "change": text(lang, "Change")})


def _balance_columns(lang: Language) -> dict[str, str]:
    return {"covariate": text(lang, "Variable"), "mean_participants": text(lang, "Mean participants"),
            "mean_comparison": text(lang, "Mean comparison firms"), "smd": text(lang, "Standardised difference"),
            "n_participants": ptext(lang, "balance table", "Participants"),
            "n_comparison": ptext(lang, "balance table", "Comparison firms")}


def balance_shown(ctx: ReportContext, balance: Balance) -> pd.DataFrame:
    """A balance table as shown: hidden cells (see :func:`evaluation.analysis.disclosure.balance_hidden`) marked."""
    lang = ctx.lang
    labels = {"employees": text(lang, "Employees"), "turnover": text(lang, "Turnover (SEK)"),
              "value_added": text(lang, "Value added (SEK)")}
    out = balance.frame
    marker = common.hidden(ctx)
    cols = _balance_columns(lang)
    means = out["hide_means"].to_list()
    return pd.DataFrame({
        cols["covariate"]: [labels.get(c, c) for c in out["covariate"]],
        cols["mean_participants"]: disclosure.mask(out["mean_participants"].to_list(), means, marker),
        cols["mean_comparison"]: disclosure.mask(out["mean_comparison"].to_list(), means, marker),
        cols["smd"]: disclosure.mask(out["smd"].to_list(), means, marker),
        cols["n_participants"]: disclosure.mask(out["n_participants"].to_list(), out["hide_participants"].to_list(), marker,
                                                _count),
        cols["n_comparison"]: disclosure.mask(out["n_comparison"].to_list(), out["hide_comparison"].to_list(), marker, _count),
    })


def _count(x: float) -> int:
    return int(x)


def _matching_text(ctx: ReportContext, counts: Sequence[float], hide: Sequence[bool]) -> str:
    matched, outside, no_match, total = disclosure.mask(counts, hide, common.hidden(ctx), lambda c: str(int(c)))
    return text(ctx.lang, "{matched} of {total} participants were matched; {outside} lay outside the comparison firms' values "
                          "(common support) and {no_match} had no partner within the caliper.",
                matched=matched, total=total, outside=outside, no_match=no_match)


def _too_few_matched(ctx: ReportContext, t: int) -> str:
    return text(ctx.lang, "The matching rests on fewer than {t} participants; the counts are not shown.", t=t)


def matching_sentence(ctx: ReportContext, result: firms.MatchResult, t: int) -> str:
    """How many participants were matched, lay outside common support or had no partner; small counts hidden."""
    if disclosure.too_few(result.n_participants, t):
        return _too_few_matched(ctx, t)
    counts = [result.n_matched, result.support.n_outside, result.n_no_match_within_caliper, result.n_participants]
    hide = disclosure.matching_hidden(result.n_matched, result.support.n_outside, result.n_no_match_within_caliper,
                                      result.n_participants, t)
    return _matching_text(ctx, counts, hide)


def comparison_parts(ctx: ReportContext, figures: FirmFigures) -> list[Any]:
    """Balance of participants against comparison firms before the programme, and after matching.

    With restricted firm data, means and standardised differences resting on fewer than
    the threshold of firms in a group are hidden, and so are group counts below it.
    """
    comparison = figures.comparison
    if comparison is None:
        return []
    lang = ctx.lang
    t = figures.threshold
    cols = _balance_columns(lang)
    decimals = {cols["mean_participants"]: 1, cols["mean_comparison"]: 1, cols["smd"]: 2, cols["n_participants"]: 0,
                cols["n_comparison"]: 0}
    parts: list[Any] = [paragraph(text(
        lang, "Participating firms are compared with firms that did not take part, in the year before the first start ({year}). "
              "An absolute standardised difference below 0.1 is commonly read as good balance.", year=comparison.year))]
    if comparison.hidden:
        parts.append(paragraph(text(lang, "The comparison is not shown, because fewer than {t} participating or comparison firms "
                                          "report figures for {year}.", t=t, year=comparison.year)))
        return parts
    if comparison.match_error is not None:
        if comparison.before is not None:
            parts.append(table(balance_shown(ctx, comparison.before), lang, decimals=decimals))
        parts.append(paragraph(fmt.fill(lang, comparison.match_error.message, comparison.match_error.values)))
        return parts
    if comparison.before is not None:
        parts.append(table(balance_shown(ctx, comparison.before), lang, decimals=decimals, caption=text(lang, "Before matching")))
    if comparison.after is not None:
        parts.append(table(balance_shown(ctx, comparison.after), lang, decimals=decimals,
                           caption=text(lang, "After matching (nearest neighbour)")))
    if comparison.too_few_matched:
        parts.append(paragraph(_too_few_matched(ctx, t)))
    elif comparison.matching is not None and comparison.matching_hidden is not None:
        parts.append(paragraph(_matching_text(ctx, comparison.matching, comparison.matching_hidden)))
    return parts


def _reason(lang: Language, reason: Reason) -> str:
    return fmt.fill(lang, reason.message, reason.values)


def effect_parts(ctx: ReportContext, figures: FirmFigures) -> list[Any]:
    """The estimated effect of participation on employees, its warnings and limits, and the event-time chart.

    With staggered starts the chart is Callaway & Sant'Anna's dynamic effects with their uniform
    band; with one start year, the event study.
    """
    lang = ctx.lang
    t = figures.threshold
    effect = figures.effect
    if effect.error is not None:
        return [notice(_reason(lang, effect.error), "missing", lang, title=text(lang, "The effect cannot be estimated"))]
    if effect.hidden or effect.result is None:
        return [notice(text(lang, "The estimated effect is not shown, because fewer than {t} participating or comparison firms "
                                  "enter the estimate.", t=t),
                       "missing", lang, title=text(lang, "The effect is not shown"))]
    result = effect.result
    est = result.estimate
    if result.method == "twfe":
        method = text(lang, "two-way fixed effects (firm and year)")
    else:
        method = text(lang, "Callaway & Sant'Anna's estimator for staggered entry")
    parts: list[Any] = [paragraph(text(
        lang, "Estimated effect of participation on employees ({method}): {coefficient} employees per firm (standard error "
              "{std_error}, 95% confidence interval {ci_low} to {ci_high}; {treated} participating and {comparison} comparison firms).",
        method=method, coefficient=ctx.n(est.coefficient, 2), std_error=ctx.n(est.std_error, 2), ci_low=ctx.n(est.ci_low, 2),
        ci_high=ctx.n(est.ci_high, 2), treated=result.n_treated_firms, comparison=result.n_comparison_firms))]
    warnings, limits = result.texts(lang)
    if warnings:
        parts.append(notice(" ".join(warnings), "warning", lang))
    parts.append(bullet_list(limits))
    findings = result.findings(lang)
    if findings:
        parts.append(paragraph(" ".join(findings)))
    parts += applicant_parts(ctx, figures)
    dropped_text = text(lang, "Years relative to the start at which fewer than {t} participating firms are observed are "
                              "not shown in the chart.", t=t)
    if result.staggered is not None:  # staggered starts: Callaway & Sant'Anna's dynamic effects, uniform band
        if effect.dynamic_dropped:
            parts.append(paragraph(dropped_text))
        if not result.staggered.dynamic.empty:
            drawn = charts.add_source(firm_plots.plot_dynamic_effects(result.staggered, lang=lang), common.source_line(ctx), lang)
            parts.append(figure(drawn))
            parts.append(paragraph(text(lang, "The dark bars are a confidence band that holds for all years at once (uniform "
                                              "band); the lighter bars are each year's own interval. Years before the start "
                                              "show placebo effects from one year to the next.")))
        return parts
    if effect.event_error is not None:
        parts.append(paragraph(_reason(lang, effect.event_error)))
        return parts
    es = effect.event
    if es is None:
        return parts
    if effect.event_dropped:
        parts.append(paragraph(dropped_text))
    if (~es.table["is_reference"]).any():
        drawn = charts.add_source(firm_plots.plot_event_study(es, lang=lang), common.source_line(ctx), lang)
        parts.append(figure(drawn))
    return parts


def applicant_parts(ctx: ReportContext, figures: FirmFigures) -> list[Any]:
    """The estimate against firms that applied but were not supported, beside the general one (when the panel marks applicants)."""
    effect = figures.effect
    if not effect.has_applicants or effect.result is None:
        return []
    lang = ctx.lang
    if effect.applicant_error is not None:
        return [paragraph(_reason(lang, effect.applicant_error))]
    if effect.applicant_hidden or effect.applicant is None:
        return [paragraph(text(lang, "The estimate against firms that applied but were not supported is not shown, because fewer "
                                     "than {t} participating or such firms enter it.", t=figures.threshold))]
    result = effect.applicant
    est = result.estimate
    return [paragraph(text(
        lang, "Against the {n} firms that applied but were not supported (or were supported later), the estimated effect is "
              "{coefficient} employees per firm (95% confidence interval {ci_low} to {ci_high}), beside {main} against all "
              "comparison firms.",
        n=result.n_comparison_firms, coefficient=ctx.n(est.coefficient, 2), ci_low=ctx.n(est.ci_low, 2),
        ci_high=ctx.n(est.ci_high, 2), main=ctx.n(effect.result.estimate.coefficient, 2)))]


def section_figures(ctx: ReportContext) -> FirmFigures | str | None:
    """The firm section's figures: from the panel, or from the project's aggregates file; a sentence when they cannot be used.

    None when the project has neither firm data nor an aggregates file.
    """
    p = ctx.project
    t = ctx.min_cell("firms")
    if p.firms is not None:
        return firm_figures(p.firms, t, ctx.disclosure.ledger("firms"))
    aggregates = p.firm_aggregates
    if aggregates is None:
        return None
    if aggregates.threshold < t or disclosure.Dominance(*aggregates.dominance) != ctx.disclosure.dominance:
        return text(ctx.lang, "The firm figures come from an aggregates file checked with a threshold of {file_t} firms, while "
                              "this report needs {t} and its dominance rule; they are therefore not shown. Run evaluation "
                              "firm-aggregates again with --threshold {t}.", file_t=aggregates.threshold, t=t)
    try:
        return from_json(aggregates.figures)
    except (ValueError, TypeError, KeyError) as err:
        raise InputError([Problem(aggregates.file, "figures", "figures written by evaluation firm-aggregates of this version",
                                  str(err))]) from err


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Employees before and after (totals; firm by firm when public), the comparison group and the estimated effect."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "participating_firms")]
    figures = section_figures(ctx)
    if figures is None:
        parts.append(notice(text(lang, "No firm data exist for the project."), "missing", lang))
        return Block(tuple(parts))
    if isinstance(figures, str):
        parts.append(notice(figures, "missing", lang))
        return Block(tuple(parts))
    parts += common.illustrative_notice(ctx, figures.illustrative)
    parts.append(paragraph(common.disclosure_sentence(ctx, "firms")))
    if p.firms is None:
        parts.append(paragraph(text(lang, "The figures of this section were computed where the firms' register data are kept; "
                                          "only the disclosure-checked aggregates in {file} left that system.",
                                    file="firm_aggregates.json")))
    years = figures.years
    if years is None:
        parts.append(notice(text(lang, "The participating firms are not observed in two different years."), "missing", lang))
        return Block(tuple(parts))
    if figures.totals == "too_few":
        parts.append(paragraph(text(lang, "Fewer than {t} participating firms report employees in both {before} and {after}; the "
                                          "totals are therefore not shown.", t=figures.threshold, before=years.before_label,
                                    after=years.after_label)))
    elif figures.totals != "shown":
        parts.append(paragraph(disclosure.Decision(figures.totals, figures.threshold, ctx.disclosure.dominance).text(lang)))
    else:
        parts += summary_parts(ctx, figures)
    if ctx.disclosure.is_public("firms") and p.firms is not None:  # public: the firm-by-firm table and chart, as published
        panel = p.firms
        table_ba = firms.before_after(panel, "employees", before=years.before, after=years.after,
                                      names=participation.firm_names(panel), total_label=ptext(lang, "firm table", "Total"))
        published = participation.published_change(panel, years.after)
        parts.append(table(firm_table(ctx, table_ba, published, years), lang))
        parts.append(figure(charts.plot_before_after(table_ba, lang=lang, source=common.source_line(ctx),
                                                     before_label=years.before_label, after_label=years.after_label)))
    parts.append(heading(3, text(lang, "Comparison with non-participating firms")))
    parts += comparison_parts(ctx, figures)
    parts += effect_parts(ctx, figures)
    return Block(tuple(parts))
