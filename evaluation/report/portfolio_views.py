"""The portfolio report for a regional development committee: one function per view, each a table AND a chart.

``notebooks/portfolio.ipynb`` opens the portfolio once (:func:`evaluation.report.portfolio_context.open_portfolio`)
and calls, one per cell: :func:`first_page` (key figures and a chart), :func:`goals`, :func:`funds`,
:func:`status`, :func:`budget`, :func:`eu_indicators`, :func:`cost`, :func:`attention`, then
:func:`appendix` (one page per project, :mod:`evaluation.report.portfolio_appendix`) and
:func:`key_figures`. The figures come from :mod:`evaluation.analysis.portfolio_steering` and the
charts from :mod:`evaluation.plots.portfolio_steering`; illustrative values are named in every view
that shows them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evaluation.analysis.portfolio_steering import ATTENTION_COHERENCE, PROJECT_STATUSES, UNLINKED
from evaluation.core import fmt
from evaluation.core.i18n import Language, ptext, text
from evaluation.plots import portfolio_steering as charts
from evaluation.plots.economics import _kind_labels
from evaluation.report import display
from evaluation.report.display import Block, bullet_list, notice, paragraph, table
from evaluation.report.portfolio_appendix import appendix
from evaluation.report.portfolio_context import PortfolioContext, open_portfolio
from evaluation.report.sections import labels

__all__ = ["open_portfolio", "first_page", "goals", "funds", "status", "budget", "eu_indicators", "cost",
           "attention", "appendix", "provenance", "key_figures", "SECTIONS"]

SECTIONS: tuple[str, ...] = ("goals", "funds", "status", "budget", "eu_indicators", "cost", "attention")
"""The numbered views of the portfolio report, in order (the first page before, the appendix after)."""

_DAC: dict[str, tuple[str, ...]] = {
    "goals": ("relevance", "coherence"), "funds": ("coherence", "efficiency"), "status": ("effectiveness",),
    "budget": ("efficiency",), "eu_indicators": ("effectiveness", "impact"), "cost": ("efficiency",),
    "attention": ("coherence", "effectiveness"),
}


def _title(lang: Language, name: str) -> str:
    return {
        "goals": text(lang, "Projects by RUS effect goal"),
        "funds": text(lang, "Funds and financiers"),
        "status": text(lang, "Status of the projects"),
        "budget": text(lang, "Budget and spending"),
        "eu_indicators": text(lang, "EU common indicators"),
        "cost": text(lang, "Cost per outcome"),
        "attention": text(lang, "Projects needing attention"),
    }[name]


def _heading(ctx: PortfolioContext, name: str) -> display.HTML:
    """The view's numbered heading, starting a new page in the PDF (one view per page, heading with its content)."""
    heading = display.section(SECTIONS.index(name) + 1, _title(ctx.lang, name), _DAC[name], ctx.lang)
    return display.HTML('<div class="page-break" style="break-before:page;page-break-before:always"></div>' + heading.html)


def _source(ctx: PortfolioContext) -> str:
    if ctx.illustrative:
        return text(ctx.lang, "the projects' own figures; * = illustrative values")
    return text(ctx.lang, "the projects' own figures")


def _illustrative(ctx: PortfolioContext, ids: list[str]) -> list[Any]:
    """The banner over a view that shows illustrative values, naming the projects (nothing when none)."""
    shown = [i for i in ctx.illustrative if i in ids]
    if not shown:
        return []
    return [notice(text(ctx.lang, "This view includes ILLUSTRATIVE values (invented to demonstrate the toolkit, not the "
                                  "projects' own data) for: {names}. They are marked *.", names=", ".join(shown)),
                   "illustrative", ctx.lang)]


def _star(ctx: PortfolioContext, pid: str) -> str:
    return f"{pid} *" if pid in ctx.illustrative else pid


def _status_name(lang: Language, s: str) -> str:
    return charts.status_labels(lang).get(s, s)


def _fig(ax: Any) -> display.Figure:
    return display.figure(ax)


# --------------------------------------------------------------------------- first page


def first_page(ctx: PortfolioContext) -> Block:
    """Title, the portfolio's key figures in a table, the illustrative banner and the status chart."""
    lang, s = ctx.lang, ctx.summary
    name = ctx.region.name if ctx.region is not None else ""
    title = text(lang, "Portfolio overview: {region}", region=name) if name else text(lang, "Portfolio overview")
    parts: list[Any] = [display.heading(1, title), paragraph(text(lang, "{n} projects, figures up to {as_of}", n=s["n_projects"],
                                                                 as_of=fmt.date(ctx.as_of, lang)))]
    if ctx.illustrative:
        parts.append(notice(text(lang, "Projects marked (illustrative) rest on invented or estimated figures and must not "
                                       "be read as real results: {names}.", names=", ".join(ctx.illustrative)),
                            "illustrative", lang))
    rate = fmt.missing(lang) if s["rate"] is None else fmt.percent(s["rate"], lang, 1)
    rows = [
        (text(lang, "Projects"), fmt.number(s["n_projects"], lang)),
        (text(lang, "Decided budget, total"), fmt.money(s["decided"], lang)),
        (text(lang, "Outcome (spent) so far"), fmt.money(s["outcome"], lang)),
        (text(lang, "Spent of decided budget"), rate),
        *[(_status_name(lang, st), fmt.number(s[f"n_{st}"], lang)) for st in PROJECT_STATUSES],
        (text(lang, "Projects needing attention"), fmt.number(s["n_attention"], lang)),
        (text(lang, "Projects with illustrative values"), fmt.number(s["n_illustrative"], lang)),
    ]
    frame = pd.DataFrame(rows, columns=[text(lang, "Key figure"), text(lang, "Value")])
    parts.append(table(frame, lang, caption=text(lang, "Key figures of the portfolio at {as_of}.",
                                                 as_of=fmt.date(ctx.as_of, lang))))
    parts.append(_fig(charts.plot_status(ctx.counts, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


# --------------------------------------------------------------------------- views


def goals(ctx: PortfolioContext) -> Block:
    """Projects and decided budgets per RUS effect goal, as a table and a chart."""
    from evaluation.analysis.portfolio_steering import by_effect_goal

    lang = ctx.lang
    frame = by_effect_goal(ctx.projects, ctx.goals)
    frame["label"] = [text(lang, "Not linked to an effect goal") if g == UNLINKED else label
                      for g, label in zip(frame["goal"], frame["label"])]
    parts: list[Any] = [_heading(ctx, "goals"), *_illustrative(ctx, [p.id for p in ctx.projects])]
    parts.append(paragraph(text(lang, "A project linked to several effect goals counts in full under each, so the budgets "
                                      "do not add up to the portfolio's total.")))
    budget = ptext(lang, "portfolio table", "Decided budget (SEK)")
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Effect goal"): frame["goal"],
        ptext(lang, "portfolio table", "Statement"): frame["label"],
        ptext(lang, "portfolio table", "Projects"): frame["n_projects"],
        ptext(lang, "portfolio table", "Which"): [", ".join(_star(ctx, i) for i in ids.split(", ")) if ids else "–"
                                                 for ids in frame["projects"]],
        budget: frame["budget"],
    })
    parts.append(table(shown, lang, formats={budget: "money"}))
    parts.append(_fig(charts.plot_effect_goals(frame, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def funds(ctx: PortfolioContext) -> Block:
    """Decided budgets per fund and programme, and financing per financier: tables and charts."""
    from evaluation.analysis.portfolio_steering import by_financier, by_fund

    lang = ctx.lang
    fund, fin = by_fund(ctx.projects), by_financier(ctx.projects)
    parts: list[Any] = [_heading(ctx, "funds"), *_illustrative(ctx, [p.id for p in ctx.projects])]
    budget = ptext(lang, "portfolio table", "Decided budget (SEK)")
    parts.append(table(pd.DataFrame({
        ptext(lang, "portfolio table", "Fund"): [labels.fund(lang, f) for f in fund["fund"]],
        ptext(lang, "portfolio table", "Programme"): fund["programme"],
        ptext(lang, "portfolio table", "Projects"): fund["n_projects"],
        ptext(lang, "portfolio table", "Which"): [", ".join(_star(ctx, i) for i in ids.split(", ")) for ids in fund["projects"]],
        budget: fund["budget"],
    }), lang, formats={budget: "money"}))
    parts.append(_fig(charts.plot_funds(fund, lang=lang, source=_source(ctx))))
    amount = ptext(lang, "portfolio table", "Amount (SEK)")
    parts.append(table(pd.DataFrame({
        ptext(lang, "portfolio table", "Financier"): [f"{n} *" if ill else n for n, ill in zip(fin["name"], fin["illustrative"])],
        ptext(lang, "portfolio table", "Kind"): [_kind_labels(lang).get(k, k) for k in fin["kind"]],
        ptext(lang, "portfolio table", "Projects"): fin["n_projects"],
        amount: fin["amount"],
        ptext(lang, "portfolio table", "Amount not reported"): fin["n_not_reported"],
    }), lang, formats={amount: "money"}, caption=text(lang, "Amounts summed over the projects that report them; a financier "
                                                            "without an amount is not counted as zero.")))
    parts.append(_fig(charts.plot_financiers(fin, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def status(ctx: PortfolioContext) -> Block:
    """Each project's status from its indicators, the rule that aggregates them, a table and a chart."""
    lang = ctx.lang
    st = ctx.status
    parts: list[Any] = [_heading(ctx, "status"), *_illustrative(ctx, list(st["project"]))]
    parts.append(paragraph(text(
        lang, "Each indicator with a target gets a status from its projection to the target date and the projection's 95 % "
              "band (on track, at risk, off track, or too early to tell with fewer than 3 values or before a quarter of "
              "the time has passed). A project takes the worst status of its indicators: off track if any indicator is "
              "off track, else at risk if any is at risk, else on track if any is on track, else too early to tell.")))
    labels = charts.status_labels(lang)
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Project"): [_star(ctx, p) for p in st["project"]],
        ptext(lang, "portfolio table", "Status"): [labels[s] for s in st["status"]],
        ptext(lang, "portfolio table", "Indicators with a target"): st["n_indicators"],
        **{labels[s]: st[s] for s in PROJECT_STATUSES},
        ptext(lang, "portfolio table", "Not reported"): st["not_reported"],
    })
    parts.append(table(shown, lang))
    parts.append(_fig(charts.plot_status(ctx.counts, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def budget(ctx: PortfolioContext) -> Block:
    """Decided budget, outcome (spent) and the rate against the time passed, per project."""
    lang = ctx.lang
    sp = ctx.spend
    parts: list[Any] = [_heading(ctx, "budget"), *_illustrative(ctx, list(sp["project"]))]
    decided = ptext(lang, "portfolio table", "Decided (SEK)")
    outcome = ptext(lang, "portfolio table", "Outcome (SEK)")
    rate = ptext(lang, "portfolio table", "Spent")
    elapsed = ptext(lang, "portfolio table", "Time passed")
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Project"): [_star(ctx, p) for p in sp["project"]],
        decided: sp["decided"], outcome: sp["outcome"], rate: sp["rate"], elapsed: sp["elapsed"],
    })
    parts.append(table(shown, lang, formats={decided: "money", outcome: "money", rate: "percent", elapsed: "percent"},
                       decimals={rate: 0, elapsed: 0},
                       caption=text(lang, "Outcome as the project reports it; spending well behind the time passed "
                                          "may mean delays, spending ahead of it an early end of the money.")))
    parts.append(_fig(charts.plot_spending(sp, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def _reason(lang: Language, reason: str) -> str:
    return {
        "other_unit": text(lang, "another unit than the code's, so it cannot be added"),
        "not_in_catalogue": text(lang, "the code is not in the EU catalogue of common indicators"),
        "no_unit": text(lang, "no unit given, so it cannot be added"),
        "not_reported": text(lang, "no value reported yet (not counted as zero)"),
    }.get(reason, reason)


def eu_indicators(ctx: PortfolioContext) -> Block:
    """EU common indicators summed only where code and unit agree; the others listed with why; a chart of coverage."""
    lang = ctx.lang
    sums, out = ctx.eu_sums, ctx.eu_left_out
    parts: list[Any] = [_heading(ctx, "eu_indicators"), *_illustrative(ctx, [p.id for p in ctx.projects])]
    parts.append(paragraph(text(lang, "A total adds up only the projects reporting the code in the same unit (the unit of "
                                      "the EU catalogue). Every indicator left out is listed below with the reason.")))
    if sums.empty and out.empty:
        parts.append(paragraph(text(lang, "No project reports an EU common indicator.")))
        return Block(tuple(parts))
    total = ptext(lang, "portfolio table", "Total")
    parts.append(table(pd.DataFrame({
        ptext(lang, "portfolio table", "Code"): sums["code"],
        ptext(lang, "portfolio table", "Indicator"): sums["name"],
        ptext(lang, "portfolio table", "Unit"): sums["unit"],
        total: sums["total"],
        ptext(lang, "portfolio table", "Projects summed"): [", ".join(_star(ctx, i) for i in c.split(", ")) if c else "–"
                                                           for c in sums["contributing"]],
    }), lang, decimals={total: 1}))
    if not out.empty:
        parts.append(display.heading(3, text(lang, "Not summable")))
        parts.append(table(pd.DataFrame({
            ptext(lang, "portfolio table", "Project"): [_star(ctx, p) for p in out["project"]],
            ptext(lang, "portfolio table", "Indicator"): out["indicator"],
            ptext(lang, "portfolio table", "Code"): out["code"],
            ptext(lang, "portfolio table", "Unit"): out["unit"],
            ptext(lang, "portfolio table", "Why"): [_reason(lang, r) for r in out["reason"]],
        }), lang))
    parts.append(_fig(charts.plot_eu_coverage(sums, out, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def cost(ctx: PortfolioContext) -> Block:
    """Cost per firm, participant and job side by side, with the caveats that make a comparison fair."""
    lang = ctx.lang
    c = ctx.cost
    parts: list[Any] = [_heading(ctx, "cost"), *_illustrative(ctx, list(c["project"]))]
    parts.append(paragraph(text(lang, "Read these figures side by side, never as a ranking:")))
    parts.append(bullet_list([
        text(lang, "Different outcomes: a firm reached in a one-day seminar and a firm coached for a year cost very "
                   "different amounts; the measures are named in the table."),
        text(lang, "Different periods and stages: a running project has spent part of its money and counts part of its "
                   "results; results such as jobs often come after the project ends."),
        text(lang, "Different target groups: start-ups, established SMEs and public bodies need different support."),
        text(lang, "The whole cost is divided by each count in turn, so the three figures of a project are not additive."),
    ]))
    cpf = ptext(lang, "portfolio table", "Cost per firm (SEK)")
    cpp = ptext(lang, "portfolio table", "Cost per participant (SEK)")
    cpj = ptext(lang, "portfolio table", "Cost per job (SEK)")
    stage = [text(lang, "ended") if ended else text(lang, "running, {share} of the period", share=fmt.percent(e, lang, 0))
             for ended, e in zip(c["ended"], c["elapsed"])]
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Project"): [_star(ctx, p) for p in c["project"]],
        cpf: c["cost_per_firm"], cpp: c["cost_per_participant"], cpj: c["cost_per_job"],
        ptext(lang, "portfolio table", "Stage"): stage,
        ptext(lang, "portfolio table", "Period"): [fmt.period(s, e, lang) for s, e in zip(c["start"], c["end"])],
        ptext(lang, "portfolio table", "Firms measured as"): [m or "–" for m in c["firms_measure"]],
        ptext(lang, "portfolio table", "Target groups"): [t or "–" for t in c["target_groups"]],
    })
    parts.append(table(shown, lang, formats={cpf: "money", cpp: "money", cpj: "money"},
                       caption=text(lang, "Cost = the outcome (money spent) as reported; without an outcome no cost per "
                                          "unit is shown.")))
    parts.append(_fig(charts.plot_cost_per_outcome(c, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def attention(ctx: PortfolioContext) -> Block:
    """Findings that stop or warn and the coherence score per project; the rule for needing attention."""
    lang = ctx.lang
    w = ctx.watch
    parts: list[Any] = [_heading(ctx, "attention"), *_illustrative(ctx, list(w["project"]))]
    parts.append(paragraph(text(
        lang, "A project needs attention when a finding of the logic review would stop its report, when its coherence "
              "score (röd tråd) is below {score}, or when it is off track.", score=fmt.number(ATTENTION_COHERENCE, lang, 0))))
    yes, no = text(lang, "yes"), text(lang, "no")
    score = ptext(lang, "portfolio table", "Coherence score")
    labels = charts.status_labels(lang)
    parts.append(table(pd.DataFrame({
        ptext(lang, "portfolio table", "Project"): [_star(ctx, p) for p in w["project"]],
        ptext(lang, "portfolio table", "Needs attention"): [yes if n else no for n in w["needs_attention"]],
        ptext(lang, "portfolio table", "Stopping findings"): w["n_stop"],
        ptext(lang, "portfolio table", "Warnings"): w["n_warn"],
        score: w["coherence"],
        ptext(lang, "portfolio table", "Status"): [labels.get(s, s) for s in w["status"]],
        ptext(lang, "portfolio table", "Checks"): [c or "–" for c in w["checks"]],
    }), lang, decimals={score: 0}))
    parts.append(_fig(charts.plot_attention(w, ATTENTION_COHERENCE, lang=lang, source=_source(ctx))))
    return Block(tuple(parts))


def provenance(ctx: PortfolioContext) -> Block:
    """Appendix: every input file of every project and of the region, with its hash, and the parameters."""
    from evaluation.core import paths
    from evaluation.report import provenance as prov_mod

    lang = ctx.lang
    files = [f for p in ctx.projects for f in p.files]
    if ctx.region is not None and ctx.region.folder is not None:
        files.append(ctx.region.folder / "region.yaml")
    notebook = paths.notebooks_dir() / "portfolio.ipynb"
    files += [notebook] if notebook.is_file() else []
    hashes = [h for p in ctx.projects for h in p.input_hashes]
    frame = prov_mod.provenance_table(prov_mod.provenance(files, ctx.parameters, hashes=hashes), lang)
    values = {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in ctx.parameters.items()}
    params = pd.DataFrame([(text(lang, "Parameter: {name}", name=k), values[k]) for k in sorted(values)], columns=frame.columns)
    return Block((display.heading(2, text(lang, "Appendix: Provenance")), table(pd.concat([frame, params], ignore_index=True), lang)))


def key_figures(ctx: PortfolioContext) -> display.KeyFigures:
    """The portfolio's key figures for the JSON: the summary, statuses per project and the EU totals."""
    return display.KeyFigures({
        **ctx.summary,
        "region": ctx.region.id if ctx.region is not None else None,
        "projects": [p.id for p in ctx.projects],
        "illustrative_projects": ctx.illustrative,
        "status": dict(zip(ctx.status["project"], ctx.status["status"])),
        "eu_indicators": {str(r.code): {"unit": str(r.unit), "total": r.total, "n_contributing": int(r.n_contributing)}
                          for r in ctx.eu_sums.itertuples(index=False)},
        "not_summable": [{"project": r.project, "indicator": r.indicator, "code": r.code, "reason": r.reason}
                         for r in ctx.eu_left_out.itertuples(index=False)],
    })
