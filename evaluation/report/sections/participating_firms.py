"""Participating firms: their employees before and after, the comparison with non-participants, the estimated effect.

With restricted firm data (:mod:`evaluation.analysis.disclosure`) no firm is named and nothing
resting on fewer firms than the threshold is shown; each hidden figure says why.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import disclosure, firms, participation
from evaluation.analysis.participation import PanelYears
from evaluation.core.errors import AnalysisError
from evaluation.core.i18n import Language, ptext, text
from evaluation.plots import charts
from evaluation.plots import firms as firm_plots
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, bullet_list, figure, heading, notice, paragraph, table
from evaluation.report.sections import common


def summary_parts(ctx: ReportContext, table_ba: pd.DataFrame, summary: firms.BeforeAfterSummary, published: pd.Series,
                  years: PanelYears, t: int) -> list[Any]:
    """Totals of the participating firms; the shares growing, unchanged and shrinking unless a group is too small."""
    lang = ctx.lang
    sentence = text(lang, "The {n} participating firms had {before_total} employees in {before} and {after_total} in {after}, "
                          "a change of {change} ({relative}).",
                    n=summary.n_firms, before_total=ctx.n(summary.total_before), before=years.before_label,
                    after_total=ctx.n(summary.total_after), after=years.after_label, change=ctx.n(summary.change),
                    relative=ctx.pct(summary.relative_change))
    if disclosure.growth_groups_hidden(participation.growth_counts(table_ba), t):
        sentence += " " + text(lang, "How many grew, were unchanged or shrank is not shown, as one of the groups has fewer than "
                                     "{t} firms.", t=t)
    else:
        sentence += " " + text(lang, "{growing} of the firms grew, {unchanged} were unchanged and {shrinking} shrank.",
                               growing=ctx.pct(summary.share_growing, 0), unchanged=ctx.pct(summary.share_unchanged, 0),
                               shrinking=ctx.pct(summary.share_shrinking, 0))
    out: list[Any] = [paragraph(sentence)]
    gap = participation.published_gap(published, summary.change, summary.total_before)
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


def balance_shown(ctx: ReportContext, balance: pd.DataFrame, whole: pd.DataFrame | None = None) -> pd.DataFrame:
    """``balance`` as shown: small groups hidden (see :func:`evaluation.analysis.disclosure.balance_hidden`)."""
    lang = ctx.lang
    labels = {"employees": text(lang, "Employees"), "turnover": text(lang, "Turnover (SEK)"),
              "value_added": text(lang, "Value added (SEK)")}
    hide = disclosure.balance_hidden(balance, ctx.min_cell("firms"), whole, ledger=ctx.disclosure.ledger("firms"))
    out = balance.reset_index()
    marker = common.hidden(ctx)
    cols = _balance_columns(lang)
    return pd.DataFrame({
        cols["covariate"]: [labels.get(c, c) for c in out["covariate"]],
        cols["mean_participants"]: disclosure.mask(out["mean_participants"].to_list(), hide.means, marker),
        cols["mean_comparison"]: disclosure.mask(out["mean_comparison"].to_list(), hide.means, marker),
        cols["smd"]: disclosure.mask(out["smd"].to_list(), hide.means, marker),
        cols["n_participants"]: disclosure.mask(out["n_participants"].to_list(), hide.participants, marker),
        cols["n_comparison"]: disclosure.mask(out["n_comparison"].to_list(), hide.comparison, marker),
    })


def matching_sentence(ctx: ReportContext, result: firms.MatchResult, t: int) -> str:
    """How many participants were matched, lay outside common support or had no partner; small counts hidden."""
    if disclosure.too_few(result.n_participants, t):
        return text(ctx.lang, "The matching rests on fewer than {t} participants; the counts are not shown.", t=t)
    hide = disclosure.matching_hidden(result.n_matched, result.support.n_outside, result.n_no_match_within_caliper,
                                      result.n_participants, t)
    counts = [result.n_matched, result.support.n_outside, result.n_no_match_within_caliper, result.n_participants]
    matched, outside, no_match, total = disclosure.mask(counts, hide, common.hidden(ctx), str)
    return text(ctx.lang, "{matched} of {total} participants were matched; {outside} lay outside the comparison firms' values "
                          "(common support) and {no_match} had no partner within the caliper.",
                matched=matched, total=total, outside=outside, no_match=no_match)


def comparison_parts(ctx: ReportContext, panel: pd.DataFrame) -> list[Any]:
    """Balance of participants against comparison firms before the programme, and after matching.

    With restricted firm data, means and standardised differences resting on fewer than
    the threshold of firms in a group are hidden, and so are group counts below it.
    """
    design = participation.comparison_design(panel)
    if design is None:
        return []
    lang = ctx.lang
    t = ctx.min_cell("firms")
    cols = _balance_columns(lang)
    decimals = {cols["mean_participants"]: 1, cols["mean_comparison"]: 1, cols["smd"]: 2, cols["n_participants"]: 0,
                cols["n_comparison"]: 0}
    parts: list[Any] = [paragraph(text(
        lang, "Participating firms are compared with firms that did not take part, in the year before the first start ({year}). "
              "An absolute standardised difference below 0.1 is commonly read as good balance.", year=design.year))]
    balance = firms.balance_table(panel, design.covariates, design.year)
    if disclosure.comparison_hidden(balance, t):
        parts.append(paragraph(text(lang, "The comparison is not shown, because fewer than {t} participating or comparison firms "
                                          "report figures for {year}.", t=t, year=design.year)))
        return parts
    try:
        result = firms.match(panel, design.covariates, design.year, method="nearest")
    except AnalysisError as err:
        parts.append(table(balance_shown(ctx, balance), lang, decimals=decimals))
        parts.append(paragraph(err.text(lang)))
        return parts
    parts.append(table(balance_shown(ctx, result.balance_before), lang, decimals=decimals, caption=text(lang, "Before matching")))
    parts.append(table(balance_shown(ctx, result.balance_after, result.balance_before), lang, decimals=decimals,
                       caption=text(lang, "After matching (nearest neighbour)")))
    parts.append(paragraph(matching_sentence(ctx, result, t)))
    return parts


def effect_parts(ctx: ReportContext, panel: pd.DataFrame) -> list[Any]:
    """The estimated effect of participation on employees, its warnings and limits, and the event study."""
    lang = ctx.lang
    t = ctx.min_cell("firms")
    try:
        result = firms.did(panel, "employees")
    except AnalysisError as err:
        return [notice(err.text(lang), "missing", lang, title=text(lang, "The effect cannot be estimated"))]
    if disclosure.estimate_hidden(result.n_treated_firms, result.n_comparison_firms, t):
        return [notice(text(lang, "The estimated effect is not shown, because fewer than {t} participating or comparison firms "
                                  "enter the estimate.", t=t),
                       "missing", lang, title=text(lang, "The effect is not shown"))]
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
    parts += applicant_parts(ctx, panel, result)
    es = result.event
    if es is None:
        try:
            es = firms.event_study(panel, "employees")
        except AnalysisError as err:
            parts.append(paragraph(err.text(lang)))
            return parts
    es, dropped = disclosure.event_study_shown(es, t)
    if dropped:
        parts.append(paragraph(text(lang, "Years relative to the start at which fewer than {t} participating firms are observed are "
                                          "not shown in the chart.", t=t)))
    if (~es.table["is_reference"]).any():
        drawn = charts.add_source(firm_plots.plot_event_study(es, lang=lang), common.source_line(ctx), lang)
        parts.append(figure(drawn))
    return parts


def applicant_parts(ctx: ReportContext, panel: pd.DataFrame, main: firms.DidResult) -> list[Any]:
    """The estimate against firms that applied but were not supported, beside the general one (when the panel marks applicants)."""
    if firms.APPLICANT_COLUMN not in panel.columns:
        return []
    lang = ctx.lang
    t = ctx.min_cell("firms")
    try:
        result = firms.did(panel, "employees", comparison="applicants", control="not_yet")
    except AnalysisError as err:
        return [paragraph(err.text(lang))]
    if disclosure.estimate_hidden(result.n_treated_firms, result.n_comparison_firms, t):
        return [paragraph(text(lang, "The estimate against firms that applied but were not supported is not shown, because fewer "
                                     "than {t} participating or such firms enter it.", t=t))]
    est = result.estimate
    return [paragraph(text(
        lang, "Against the {n} firms that applied but were not supported (or were supported later), the estimated effect is "
              "{coefficient} employees per firm (95% confidence interval {ci_low} to {ci_high}), beside {main} against all "
              "comparison firms.",
        n=result.n_comparison_firms, coefficient=ctx.n(est.coefficient, 2), ci_low=ctx.n(est.ci_low, 2),
        ci_high=ctx.n(est.ci_high, 2), main=ctx.n(main.estimate.coefficient, 2)))]


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Employees before and after (totals; firm by firm when public), the comparison group and the estimated effect."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "participating_firms")]
    if p.firms is None:
        parts.append(notice(text(lang, "No firm data exist for the project."), "missing", lang))
        return Block(tuple(parts))
    panel = p.firms
    t = ctx.min_cell("firms")
    parts += common.illustrative_notice(ctx, bool((panel["data_status"] == "illustrative").any()))
    parts.append(paragraph(common.disclosure_sentence(ctx, "firms")))
    years = participation.panel_years(panel)
    if years is None:
        parts.append(notice(text(lang, "The participating firms are not observed in two different years."), "missing", lang))
        return Block(tuple(parts))
    table_ba = firms.before_after(panel, "employees", before=years.before, after=years.after, names=participation.firm_names(panel),
                                  total_label=ptext(lang, "firm table", "Total"))
    summary = firms.before_after_summary(panel, "employees", before=years.before, after=years.after)
    published = participation.published_change(panel, years.after)
    totals = disclosure.before_after_shown(ctx.disclosure.ledger("firms"), table_ba, "employees", years.before, years.after)
    if disclosure.too_few(summary.n_firms, t):
        parts.append(paragraph(text(lang, "Fewer than {t} participating firms report employees in both {before} and {after}; the "
                                          "totals are therefore not shown.", t=t, before=years.before_label, after=years.after_label)))
    elif not totals.shown:
        parts.append(paragraph(totals.text(lang)))
    else:
        parts += summary_parts(ctx, table_ba, summary, published, years, t)
    if ctx.disclosure.is_public("firms"):  # public: the firm-by-firm table and chart, as published
        parts.append(table(firm_table(ctx, table_ba, published, years), lang))
        parts.append(figure(charts.plot_before_after(table_ba, lang=lang, source=common.source_line(ctx),
                                                     before_label=years.before_label, after_label=years.after_label)))
    parts.append(heading(3, text(lang, "Comparison with non-participating firms")))
    parts += comparison_parts(ctx, panel)
    parts += effect_parts(ctx, panel)
    return Block(tuple(parts))
