"""Survey results: response rate, share agreeing with its interval, median and quartiles, answers per item, tests.

With restricted survey data (:mod:`evaluation.analysis.disclosure`) cells resting on fewer
respondents than the threshold are hidden, and further cells so that none can be recovered.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis import disclosure, survey_summary
from evaluation.analysis import surveys as survey_analysis
from evaluation.core.i18n import ptext, text
from evaluation.plots import charts
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, figure, notice, paragraph, table
from evaluation.report.sections import common, labels


@common.plain_figures
def render(ctx: ReportContext) -> Block:
    """Response rate, agreement (chart and table), median and quartiles, distribution, group and wave comparisons."""
    p = ctx.project
    lang = ctx.lang
    parts: list[Any] = [common.heading(ctx, "surveys")]
    if p.survey is None or p.survey_invited is None:
        parts.append(notice(text(lang, "No survey responses are in the data."), "missing", lang))
        return Block(tuple(parts))
    t = ctx.min_cell("survey")
    marker = common.hidden(ctx)
    item = ptext(lang, "survey", "Item")
    responses, invited = p.survey, p.survey_invited
    parts += common.illustrative_notice(ctx, bool((responses["data_status"] == "illustrative").any()))
    parts.append(paragraph(common.disclosure_sentence(ctx, "survey")))
    ledger = ctx.disclosure.ledger("survey")  # every survey count is checked against the report's others (key figures too)
    rate = survey_analysis.response_rate(responses, invited, threshold=t)
    rate_hidden = disclosure.survey_counts_hidden(ledger, responses, rate["wave"].to_list(), rate["suppressed"].to_list())
    everyone, responses = responses, survey_summary.answered(responses)
    parts.append(table(pd.DataFrame({
        text(lang, "Wave"): rate["wave"], text(lang, "Invited"): rate["invited"],
        text(lang, "Respondents"): disclosure.mask(rate["respondents"], rate_hidden, marker),
        text(lang, "Response rate"): disclosure.mask(rate["response_rate"], rate_hidden, marker, ctx.pct),
    }), lang))
    dist = survey_analysis.distribution(responses, threshold=t)
    agree = disclosure.agreement_consistent(survey_analysis.agreement(responses, threshold=t), dist)
    if not agree.empty:
        refused = pd.Series(disclosure.item_counts_hidden(ledger, responses, agree["item"].to_list(), agree["n"].isna().to_list(),
                                                            everyone), index=agree.index) & agree["n"].notna()
        agree = agree.assign(**{c: agree[c].where(~refused) for c in ("n", "agree", "share", "ci_low", "ci_high")},
                             suppressed=agree["suppressed"] | refused)
        parts.append(figure(charts.plot_agreement(survey_summary.drawable(agree), lang=lang, source=common.source_line(ctx), threshold=t)))
        parts.append(table(pd.DataFrame({
            item: agree["item"],
            text(lang, "Answers"): disclosure.mask(agree["n"], agree["n"].isna(), marker, ctx.n),
            text(lang, "Share agreeing (4–5)"): disclosure.mask(agree["share"], agree["suppressed"], marker, ctx.pct),
            text(lang, "95% confidence interval (Wilson)"): disclosure.mask(
                zip(agree["ci_low"], agree["ci_high"]), agree["suppressed"], marker, lambda b: f"{ctx.pct(b[0])}–{ctx.pct(b[1])}"),
        }), lang))
    med = survey_analysis.median_iqr(responses, threshold=t, distribution=dist)
    if not med.empty:
        parts.append(table(pd.DataFrame({
            item: med["item"],
            text(lang, "Median"): disclosure.mask(med["median"], med["suppressed"], marker, ctx.n),
            text(lang, "Interquartile range"): disclosure.mask(
                zip(med["q1"], med["q3"]), med["suppressed"], marker, lambda q: f"{ctx.n(q[0])}–{ctx.n(q[1])}"),
        }), lang))
    dist = dist.assign(cell=disclosure.mask(dist["share"], dist["suppressed"], marker, lambda v: ctx.pct(v, 0)))
    wide = dist.pivot(index="item", columns="answer", values="cell")
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index().rename(columns={"item": text(lang, "Item (share per answer 1–5)")})
    parts.append(table(wide, lang))
    compared = survey_summary.comparisons(responses, t)
    if compared:
        between = {"groups": text(lang, "groups"), "waves": text(lang, "waves")}
        parts.append(table(pd.DataFrame({
            item: [i for i, _, _ in compared],
            text(lang, "Comparison between"): [between[w] for _, w, _ in compared],
            text(lang, "Test"): [labels.test(lang, c.test) for _, _, c in compared],
            text(lang, "p-value"): disclosure.mask((c.p_value for _, _, c in compared), (c.suppressed for _, _, c in compared), marker,
                                                   lambda v: ctx.n(v, 3)),
        }), lang))
    return Block(tuple(parts))
