"""What the sections share: their order and titles, the numbered heading, the source line, the
illustrative notice, the sentence on one indicator, its projection in words, the status rule
and the sentences stating a disclosure rule.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from evaluation.analysis.disclosure import Data
from evaluation.analysis.indicators import MIN_BAND_POINTS, MIN_ELAPSED
from evaluation.analysis.status import FINAL_THRESHOLDS, IndicatorRow
from evaluation.core.i18n import Language, text
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, notice, plain_text, section
from evaluation.report.sections import labels

SECTIONS: dict[str, tuple[str, ...]] = {
    "midterm": ("summary", "project_description", "method", "project_logic", "process", "public_debate", "key_figures_section",
                "key_persons", "surveys", "budget", "horizontal", "risks", "evidence_map", "recommendations_section",
                "conclusions"),
    "final": ("summary", "project_description", "method", "project_logic", "process", "public_debate", "key_figures_section",
              "key_persons", "attainment", "participating_firms", "surveys", "efficiency", "horizontal", "risks", "sustainability",
              "evidence_map", "follow_up", "recommendations_section", "conclusions"),
}
"""The numbered sections of each kind of report, in order (the title comes before, the appendix after)."""

DAC: dict[str, tuple[str, ...]] = {
    "summary": ("relevance", "effectiveness", "impact"),
    "project_description": ("relevance", "coherence"),
    "method": (),
    "project_logic": ("relevance", "coherence"),
    "process": ("effectiveness", "efficiency"),
    "key_figures_section": ("effectiveness",),
    "public_debate": ("impact", "relevance"),
    "key_persons": ("effectiveness",),
    "attainment": ("effectiveness", "impact"),
    "participating_firms": ("impact",),
    "surveys": ("relevance", "effectiveness"),
    "efficiency": ("efficiency",),
    "budget": ("efficiency",),
    "horizontal": ("relevance", "coherence"),
    "risks": ("sustainability", "effectiveness"),
    "sustainability": ("sustainability",),
    "evidence_map": ("effectiveness", "impact", "coherence"),
    "follow_up": ("effectiveness",),
    "recommendations_section": (),
    "conclusions": ("relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability"),
}
"""The OECD DAC criteria each section answers."""


def title(lang: Language, name: str) -> str:
    """The title of section ``name`` in ``lang``."""
    titles = {
        "summary": text(lang, "Summary and recommendations"),
        "project_description": text(lang, "The project"),
        "method": text(lang, "Method and data sources"),
        "project_logic": text(lang, "P1 Project logic"),
        "process": text(lang, "P2 Process"),
        "public_debate": text(lang, "P3 Public debate: dissemination and influence"),
        "key_figures_section": text(lang, "N1 Key activities, N3 Key figures"),
        "key_persons": "N2 " + text(lang, "Key persons"),
        "attainment": text(lang, "Target attainment"),
        "participating_firms": text(lang, "Participating firms"),
        "surveys": text(lang, "Survey results"),
        "efficiency": text(lang, "Efficiency and financing"),
        "budget": text(lang, "Budget and spending"),
        "horizontal": text(lang, "Horizontal criteria"),
        "risks": text(lang, "Risks and assumptions"),
        "sustainability": text(lang, "Sustainability and lessons"),
        "evidence_map": text(lang, "The theory of change tested: evidence map"),
        "follow_up": text(lang, "Follow-up of the mid-term evaluation"),
        "recommendations_section": text(lang, "Recommendations"),
        "conclusions": text(lang, "Conclusions"),
    }
    return titles[name]


def heading(ctx: ReportContext, name: str) -> HTML:
    """The numbered heading of section ``name`` with its DAC criteria ("–" when the kind has no such section)."""
    order = SECTIONS[ctx.kind]
    number: int | str = order.index(name) + 1 if name in order else "–"
    return section(number, title(ctx.lang, name), DAC[name], ctx.lang)


_F = TypeVar("_F", bound=Callable[..., Any])


def plain_figures(render: _F) -> _F:
    """Run a section with matplotlib drawing user text as typed ('$' in a name is no formula)."""

    @functools.wraps(render)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with plain_text():
            return render(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def source_titles(ctx: ReportContext) -> str:
    """The project's sources (the illustrative one left out), or its name when it lists none."""
    return "; ".join(s.title for s in ctx.project.sources if s.id != "illustrativ") or ctx.project.name


def source_line(ctx: ReportContext) -> str:
    """The source line under a figure: the sources, and whether monitoring values are illustrative."""
    titles = source_titles(ctx)
    if ctx.project.is_illustrative():
        return text(ctx.lang, "{sources} (monitoring values illustrative)", sources=titles)
    return titles


def illustrative_notice(ctx: ReportContext, illustrative: bool) -> list[Any]:
    """The banner over a section whose values include illustrative ones (nothing otherwise)."""
    if not illustrative:
        return []
    return [notice(text(ctx.lang, "The values in this section are ILLUSTRATIVE: invented to demonstrate the toolkit, "
                                  "not the project's own data."), "illustrative", ctx.lang)]


def hidden(ctx: ReportContext) -> str:
    """The word shown in a hidden cell ("dolt")."""
    return text(ctx.lang, "hidden")


def disclosure_sentence(ctx: ReportContext, data: Data) -> str:
    """The rule a section applied to firm-level or survey data, in one sentence."""
    t = ctx.min_cell(data)
    lang = ctx.lang
    public = ctx.disclosure.is_public(data)
    if data == "firms":
        if public:
            return text(lang, "Figures for individual firms are shown because they are published in the project's sources ({titles}).",
                        titles=source_titles(ctx))
        return text(lang, "Figures for individual firms are not shown, and groups, totals and estimates based on fewer than {t} "
                          "firms are hidden.", t=t) + " " + ctx.disclosure.dominance.text(lang)
    if public:
        return text(lang, "The survey results are shown without hiding small cells, because they are published in the project's "
                          "sources ({titles}).", titles=source_titles(ctx))
    return text(lang, "Cells with fewer than {t} respondents are not shown: cells, shares and intervals based on fewer than {t} "
                      "answers are hidden, and further cells so that a hidden cell cannot be recovered from the totals.", t=t)


def projection_text(ctx: ReportContext, row: IndicatorRow) -> str | None:
    """The projection at the target date with its band ("67 (8–126)"), or why it has none; None without a projection."""
    if row.projected is None:
        return None
    lang = ctx.lang
    shown = ctx.r(row.projected)
    if row.projected_low is not None and row.projected_high is not None:
        shown += f" ({ctx.r(row.projected_low)}–{ctx.r(row.projected_high)})"
    elif row.no_band == "too_few_points":
        shown = text(lang, "{value} (too few values for a band)", value=shown)
    elif row.no_band == "straight_line":
        shown = text(lang, "{value} (the values lie on a straight line: no band)", value=shown)
    if row.capped and row.indicator.maximum is not None:
        shown = text(lang, "{projection}, cut at the maximum {maximum}", projection=shown, maximum=ctx.n(row.indicator.maximum))
    return shown


def status_rule(ctx: ReportContext) -> str:
    """The rule behind the assessment column, in one sentence (mid-term: the projection; final: attainment)."""
    lang = ctx.lang
    if ctx.kind == "final":
        return text(lang, "Assessment: achieved at {full} of the target or more, partly achieved from {part}, not achieved below {part}.",
                    full=ctx.pct(FINAL_THRESHOLDS[0], 0), part=ctx.pct(FINAL_THRESHOLDS[1], 0))
    return text(lang, "Assessment: on track when the projection at the target date reaches the target (or a running total already "
                      "has); at risk when the projection falls short but its 95 % band reaches the target; off track when the whole "
                      "band lies below the target; too early to tell with fewer than {n} reported values or before {share} of the "
                      "time to the target date has passed.", n=MIN_BAND_POINTS, share=ctx.pct(MIN_ELAPSED, 0))


def indicator_sentence(ctx: ReportContext, row: IndicatorRow) -> str:
    """One sentence on an indicator, e.g. "Projektet har nått 503 företag mot målvärdet 400 (126 %)"."""
    lang = ctx.lang
    ind = row.indicator
    unit = ind.unit or ""
    if row.actual is None:
        if row.target is not None:
            return text(lang, "{name}: no outcome is reported (target {target} {unit}).", name=ind.name, target=ctx.n(row.target),
                        unit=unit)
        return text(lang, "{name}: no outcome is reported.", name=ind.name)
    actual = ctx.r(row.actual, 1) if ind.aggregation == "ratio" else ctx.n(row.actual)
    if row.target is None:
        return text(lang, "{name}: {actual} {unit} (no target stated).", name=ind.name, actual=actual, unit=unit)
    share = ctx.pct(row.attainment, 0)
    if ind.effective_role() == "firms_reached" and unit in ("företag", "firms"):
        sentence = text(lang, "The project has reached {actual} firms against the target {target} ({share}).",
                        actual=ctx.n(row.actual), target=ctx.n(row.target), share=share)
    else:
        sentence = text(lang, "{name}: {actual} {unit} against the target {target} ({share}).",
                        name=ind.name, actual=actual, unit=unit, target=ctx.n(row.target), share=share)
    if ctx.kind == "midterm" and row.expected is not None:
        judged = labels.status(lang, row.status).lower()
        projected = projection_text(ctx, row)
        if ind.aggregation == "ratio":
            pace = text(lang, "The target share holds throughout; at the current trend the share at the target date is {projected}: "
                              "{status}.", projected=ctx.missing() if projected is None else projected, status=judged)
        elif projected is not None:
            pace = text(lang, "An even pace towards the target gives {expected} at {date}; at the current pace {projected} is "
                              "expected by the target date: {status}.",
                        expected=ctx.r(row.expected, 1), date=ctx.d(ctx.as_of), projected=projected, status=judged)
        else:
            pace = text(lang, "An even pace towards the target gives {expected} at {date}: {status}.",
                        expected=ctx.r(row.expected, 1), date=ctx.d(ctx.as_of), status=judged)
        sentence += " " + pace
    return sentence
