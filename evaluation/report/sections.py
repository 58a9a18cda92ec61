"""The content of the mid-term and final evaluation reports, section by section.

The notebooks stay thin: they build a :class:`Report` from their parameters and call one
method per section. Each method returns a :class:`Block` (headings, generated text, tables,
figures) that Jupyter displays as HTML; every figure and statistic comes from the library
modules (indicators, economics, firms, surveys, checks, diagrams, process). Text is generated
from the figures in Swedish (default) or English.

Mid-term (halvtidsutvärdering) and final (slututvärdering) reports differ only in which
methods their notebook calls; :data:`SECTIONS` lists them in order and numbers them.
"""

from __future__ import annotations

import decimal
import functools
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from typing import Any, Literal, TypeVar

import numpy as np
import pandas as pd

from evaluation.analysis import economics, firms, process
from evaluation.analysis import indicators as ind_mod
from evaluation.core import fmt
from evaluation.core.errors import AnalysisError
from evaluation.core.fmt import Language
from evaluation.core.model import Indicator, Project
from evaluation.io.loader import load_project
from evaluation.plots import charts
from evaluation.report.display import KeyFigures, bullet_list, figure, notice, paragraph, plain_text, section, table
from evaluation.report.params import ReportParams, validate_notebook_parameters
from evaluation.review import checks, gate, rules
from evaluation.review.coherence import Coherence, coherence_score
from evaluation.review.findings import Finding

SECTIONS: dict[str, tuple[str, ...]] = {
    "midterm": ("summary", "project_description", "method", "project_logic", "process", "key_figures_section",
                "surveys", "horizontal", "risks"),
    "final": ("summary", "project_description", "method", "project_logic", "process", "key_figures_section",
              "attainment", "participating_firms", "surveys", "efficiency", "horizontal", "risks", "sustainability"),
}

TITLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "summary": ("Sammanfattning och rekommendationer", "Summary and recommendations", ("relevance", "effectiveness", "impact")),
    "project_description": ("Projektet", "The project", ("relevance", "coherence")),
    "method": ("Metod och datakällor", "Method and data sources", ()),
    "project_logic": ("P1 Projektlogik", "P1 Project logic", ("relevance", "coherence")),
    "process": ("P2 Process", "P2 Process", ("effectiveness", "efficiency")),
    "key_figures_section": ("N1 Nyckelaktiviteter, N2 Nyckelpersoner, N3 Nyckeltal",
                            "N1 Key activities, N2 Key persons, N3 Key figures", ("effectiveness",)),
    "attainment": ("Måluppfyllelse", "Target attainment", ("effectiveness", "impact")),
    "participating_firms": ("Deltagande företag", "Participating firms", ("impact",)),
    "surveys": ("Enkätresultat", "Survey results", ("relevance", "effectiveness")),
    "efficiency": ("Kostnadseffektivitet och finansiering", "Efficiency and financing", ("efficiency",)),
    "horizontal": ("Horisontella kriterier", "Horizontal criteria", ("relevance", "coherence")),
    "risks": ("Risker och antaganden", "Risks and assumptions", ("sustainability", "effectiveness")),
    "sustainability": ("Hållbarhet och lärdomar", "Sustainability and lessons", ("sustainability",)),
}

STATUS_LABELS = {
    "on_track": ("I fas", "On track"),
    "at_risk": ("Risk för att målet inte nås", "At risk"),
    "off_track": ("Ej i fas", "Off track"),
    "not_reported": ("Uppgift saknas", "Not reported"),
    "no_target": ("Målvärde saknas", "No target"),
    "achieved": ("Uppnått", "Achieved"),
    "partly": ("Delvis uppnått", "Partly achieved"),
    "not_achieved": ("Ej uppnått", "Not achieved"),
}
CRITERION_LABELS = {
    "gender_equality": ("Jämställdhet", "Gender equality"),
    "equal_opportunities": ("Lika möjligheter och icke-diskriminering", "Equal opportunities and non-discrimination"),
    "sustainable_development": ("Hållbar utveckling", "Sustainable development"),
}
FUND_LABELS = {"national": ("Nationella medel", "National funds"), "regional": ("Regionala medel", "Regional funds"),
               "municipal": ("Kommunala medel", "Municipal funds")}
LEVEL_LABELS = {"activity": ("Aktivitet", "Activity"), "output": ("Output", "Output"),
                "short_term": ("Kortsiktig effekt", "Short-term effect"), "long_term": ("Långsiktig effekt", "Long-term effect")}
SEVERITY_LABELS = {"error": ("Fel", "Error"), "warning": ("Varning", "Warning"), "info": ("Info", "Info")}
TEST_LABELS = {"mann-whitney-u": ("Mann–Whitneys U-test", "Mann–Whitney U test"),
               "kruskal-wallis": ("Kruskal–Wallis test", "Kruskal–Wallis test"),
               "wilcoxon-signed-rank": ("Wilcoxons teckenrangtest", "Wilcoxon signed-rank test"),
               "chi-square": ("χ²-test", "Chi-square test"), "fisher-exact": ("Fishers exakta test", "Fisher's exact test")}
FINAL_THRESHOLDS = (1.0, 0.7)  # attainment for "achieved" and for "partly achieved"

_F = TypeVar("_F", bound=Callable[..., Any])


def _plain_figures(method: _F) -> _F:
    """Run a section with matplotlib drawing user text as typed ('$' in a name is no formula)."""

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with plain_text():
            return method(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _t(lang: Language, sv: str, en: str) -> str:
    return sv if lang == "sv" else en


def _pick(pair: tuple[str, str], lang: Language) -> str:
    return pair[0] if lang == "sv" else pair[1]


@dataclass(frozen=True)
class Block:
    """Displayable parts of one section, shown in order as HTML."""

    parts: tuple[Any, ...]

    def _repr_html_(self) -> str:
        out = []
        for part in self.parts:
            if hasattr(part, "_repr_html_"):
                out.append(part._repr_html_())
            else:
                out.append(f"<p>{html.escape(str(part))}</p>")
        return "\n".join(out)

    def text(self) -> str:
        """The block's HTML (for tests and for searching the content)."""
        return self._repr_html_()

    def __repr__(self) -> str:  # keeps the notebook's text/plain output small
        return f"<Block of {len(self.parts)} parts>"


@dataclass(frozen=True)
class IndicatorRow:
    """What the report says about one indicator at the as-of date."""

    indicator: Indicator
    actual: float | None
    actual_date: date | None
    target: float | None
    attainment: float | None
    expected: float | None
    share_of_expected: float | None
    projected: float | None
    projected_low: float | None
    projected_high: float | None
    status: str
    illustrative: bool


class Report:
    """One report: the project, the parameters and every section's content."""

    def __init__(self, params: ReportParams, project: Project):
        self.params = params
        self.project = project
        self.lang: Language = params.language
        self.kind = params.kind
        self.as_of: date = params.as_of

    @classmethod
    def open(cls, **notebook_parameters: Any) -> Report:
        """Validate the notebook's parameters, load the project and build the report."""
        params = validate_notebook_parameters(**notebook_parameters)
        project = load_project(params.project)
        gate.enforce(project)  # findings whose rule is "stop" would make figures wrong
        return cls(params, project)

    # ------------------------------------------------------------------ helpers

    def t(self, sv: str, en: str) -> str:
        return _t(self.lang, sv, en)

    def n(self, x: object, decimals: int | None = None) -> str:
        return fmt.number(x, self.lang, decimals)

    def r(self, x: float | None, decimals: int = 0) -> str:
        """A number rounded half up to at most ``decimals`` places, without trailing zeros ("50", "75,1")."""
        if x is None:
            return fmt.missing(self.lang)
        rounded = decimal.Decimal(repr(float(x))).quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
        return fmt.number(float(rounded), self.lang)

    def pct(self, x: object, decimals: int = 1) -> str:
        return fmt.percent(x, self.lang, decimals)

    def money(self, x: object) -> str:
        return fmt.money(x, self.lang)

    def d(self, x: object) -> str:
        return fmt.date(x, self.lang)

    def _heading(self, name: str) -> Any:
        order = SECTIONS[self.kind]
        number = order.index(name) + 1 if name in order else "–"
        sv, en, dac = TITLES[name]
        return section(number, self.t(sv, en), dac, self.lang)

    def _source_line(self) -> str:
        titles = [s.title for s in self.project.sources if s.id != "illustrativ"]
        text = "; ".join(titles) if titles else self.project.name
        if self.project.is_illustrative():
            text += self.t(" (uppföljningsvärden illustrativa)", " (monitoring values illustrative)")
        return text

    def _illustrative_notice(self, illustrative: bool) -> list[Any]:
        if not illustrative:
            return []
        return [notice(self.t(
            "Värdena i detta avsnitt är ILLUSTRATIVA: de är påhittade för att visa verktyget och är inte projektets egna uppgifter.",
            "The values in this section are ILLUSTRATIVE: invented to demonstrate the toolkit, not the project's own data."),
            "illustrative", self.lang)]

    def _values_illustrative(self) -> bool:
        return any(m.data_status == "illustrative" for i in self.project.indicators for m in i.values)

    # ------------------------------------------------------------------ disclosure (small cells)

    def min_cell(self, data: Literal["firms", "survey"]) -> int:
        """Smallest number of firms (or respondents) a shown figure may rest on; 0 when the data are public.

        Restricted data: the larger of the project's ``disclosure.min_cell`` and the
        parameter ``small_cell_threshold`` (a report may be stricter than the data, never laxer).
        """
        d = self.project.disclosure
        if (d.firms if data == "firms" else d.survey) == "public":
            return 0
        return max(d.min_cell, self.params.small_cell_threshold)

    def _masked(self, values: Iterable[Any], hide: Iterable[bool], show: Callable[[Any], Any] = lambda v: v) -> list[Any]:
        """``values`` as shown by ``show``, those marked in ``hide`` replaced by the hidden marker ("dolt")."""
        marker = self.t("dolt", "hidden")
        return [marker if h else show(v) for v, h in zip(values, hide)]

    def disclosure_sentence(self, data: Literal["firms", "survey"]) -> str:
        """The rule a section applied to firm-level or survey data, in one sentence."""
        t = self.min_cell(data)
        titles = "; ".join(s.title for s in self.project.sources if s.id != "illustrativ") or self.project.name
        if data == "firms":
            if t == 0:
                return self.t(f"Uppgifter om enskilda företag visas eftersom de är publicerade i projektets underlag ({titles}).",
                              f"Figures for individual firms are shown because they are published in the project's sources ({titles}).")
            return self.t(f"Uppgifter om enskilda företag visas inte, och grupper, summor och skattningar som bygger på färre än {t} företag döljs.",
                          f"Figures for individual firms are not shown, and groups, totals and estimates based on fewer than {t} firms are hidden.")
        if t == 0:
            return self.t(f"Enkätresultaten visas utan att små celler döljs, eftersom de är publicerade i projektets underlag ({titles}).",
                          f"The survey results are shown without hiding small cells, because they are published in the project's sources ({titles}).")
        return self.t(
            f"Celler med färre än {t} svarande visas inte: celler, andelar och intervall som bygger på färre än {t} svar döljs, "
            "och dessutom så många celler att en dold cell inte kan räknas fram ur summorna.",
            f"Cells with fewer than {t} respondents are not shown: cells, shares and intervals based on fewer than {t} answers are hidden, "
            "and further cells so that a hidden cell cannot be recovered from the totals.")

    def _findings_shown(self) -> pd.DataFrame:
        """The findings table; findings naming single firms or respondents are summarised unless those data are public."""
        frame = checks.findings_frame(self.findings, self.lang)
        redact: dict[str, tuple[str, str]] = {}
        if self.min_cell("firms"):
            firms_n = 0 if self.project.firms is None else int(
                self.project.firms.loc[self.project.firms["participant"], "firm_id"].nunique())
            levels = rules.naming("firms") + (("firm_total_mismatch",) if firms_n < self.min_cell("firms") else ())
            for check in levels:
                redact[check] = ("om enskilda företag", "on individual firms")
        if self.min_cell("survey"):
            for check in rules.naming("survey"):
                redact[check] = ("om enskilda svarande", "on individual respondents")
        if frame.empty or not frame["check"].isin(list(redact)).any():
            return frame
        rows = []
        done: set[str] = set()
        for rec in frame.to_dict("records"):
            check = rec["check"]
            if check not in redact:
                rows.append(rec)
            elif check not in done:
                done.add(check)
                n = int((frame["check"] == check).sum())
                sv, en = redact[check]
                rows.append({"severity": rec["severity"], "check": check, "subject": "–", "text": self.t(
                    f"{n} {'iakttagelse' if n == 1 else 'iakttagelser'} {sv} ({check}) visas inte, eftersom de uppgifterna inte är offentliga.",
                    f"{n} {'finding' if n == 1 else 'findings'} {en} ({check}) not shown, as those data are not public.")})
        return pd.DataFrame(rows, columns=frame.columns)

    # ------------------------------------------------------------------ computed once

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        return checks.check_project(self.project)

    @cached_property
    def coherence(self) -> Coherence:
        return coherence_score(self.project)

    @cached_property
    def indicator_rows(self) -> tuple[IndicatorRow, ...]:
        return tuple(self._indicator_row(i) for i in self.project.indicators)

    def _indicator_row(self, ind: Indicator) -> IndicatorRow:
        values = ind.values_frame()[["period_end", "value", "status"]]
        illustrative = any(m.data_status == "illustrative" for m in ind.values)
        actual = ind_mod.latest_actual(values, ind.aggregation, self.as_of)
        target = ind.target_value
        if target is None:
            status = "not_reported" if actual.value is None else "no_target"
            return IndicatorRow(ind, actual.value, actual.period_end, None, None, None, None, None, None, None, status, illustrative)
        baseline = ind.baseline_value if ind.baseline_value is not None else 0.0
        baseline_date = ind.baseline_date or self.project.start
        target_date = ind.target_date or self.project.end
        summary = ind_mod.indicator_summary(values, ind.aggregation, baseline, baseline_date, target, target_date, self.as_of)
        status = summary.status
        if self.kind == "final" and summary.actual is not None and summary.attainment is not None:
            status = "achieved" if summary.attainment >= FINAL_THRESHOLDS[0] else (
                "partly" if summary.attainment >= FINAL_THRESHOLDS[1] else "not_achieved")
        return IndicatorRow(ind, summary.actual, summary.actual_period_end, target, summary.attainment, summary.expected,
                            summary.share_of_expected, summary.projected, summary.projected_low, summary.projected_high,
                            status, illustrative)

    def _row(self, indicator_id: str) -> IndicatorRow | None:
        for row in self.indicator_rows:
            if row.indicator.id == indicator_id:
                return row
        return None

    # ------------------------------------------------------------------ generated text

    def indicator_sentence(self, row: IndicatorRow) -> str:
        """One sentence on an indicator, e.g. "Projektet har nått 503 företag mot målvärdet 400 (126 %)"."""
        ind = row.indicator
        unit = ind.unit or ""
        if row.actual is None:
            target = f" ({self.t('målvärde', 'target')} {self.n(row.target)} {unit})".rstrip() if row.target is not None else ""
            return self.t(f"{ind.name}: utfall redovisas inte{target}.", f"{ind.name}: no outcome is reported{target}.")
        if row.target is None:
            return self.t(f"{ind.name}: {self.n(row.actual)} {unit} (inget målvärde angivet).",
                          f"{ind.name}: {self.n(row.actual)} {unit} (no target stated).")
        share = self.pct(row.attainment, 0)
        if ind.effective_role() == "firms_reached" and unit in ("företag", "firms"):
            text = self.t(f"Projektet har nått {self.n(row.actual)} företag mot målvärdet {self.n(row.target)} ({share}).",
                          f"The project has reached {self.n(row.actual)} firms against the target {self.n(row.target)} ({share}).")
        else:
            text = self.t(f"{ind.name}: {self.n(row.actual)} {unit} mot målvärdet {self.n(row.target)} ({share}).",
                          f"{ind.name}: {self.n(row.actual)} {unit} against the target {self.n(row.target)} ({share}).")
        if self.kind == "midterm" and row.expected is not None:
            pace = self.t(
                f" En jämn takt mot målet ger {self.r(row.expected, 1)} vid {self.d(self.as_of)}",
                f" An even pace towards the target gives {self.r(row.expected, 1)} at {self.d(self.as_of)}")
            if row.projected is not None:
                band = ""
                if row.projected_low is not None and row.projected_high is not None:
                    band = f" ({self.r(row.projected_low)}–{self.r(row.projected_high)})"
                pace += self.t(f"; med nuvarande takt väntas {self.r(row.projected)}{band} vid målåret",
                               f"; at the current pace {self.r(row.projected)}{band} is expected by the target date")
            text += pace + f": {_pick(STATUS_LABELS[row.status], self.lang).lower()}."
        return text

    def gender_sentence(self) -> str | None:
        """The women's share of the participants, e.g. "49,7 % kvinnor (1 466 av 2 949 deltagare)"."""
        ind = self.project.indicator_for("participants")
        if ind is None:
            return None
        reported = [m for m in ind.reported() if m.period_end <= self.as_of and m.women is not None]
        if not reported:
            return None
        m = reported[-1]
        share = m.women / m.value if m.value else None
        return self.t(
            f"Andelen kvinnor bland deltagarna är {self.pct(share)} ({self.n(m.women)} av {self.n(m.value)} deltagare).",
            f"Women make up {self.pct(share)} of the participants ({self.n(m.women)} of {self.n(m.value)}).")

    def recommendations(self) -> tuple[str, ...]:
        """Recommendations generated from the findings and the indicator statuses."""
        recs: list[str] = []
        by_check: dict[str, list[Finding]] = {}
        for f in self.findings:
            by_check.setdefault(f.check, []).append(f)
        final = self.kind == "final"
        for row in self.indicator_rows:
            name = row.indicator.name
            if row.status in ("off_track", "at_risk") and row.projected is not None:
                recs.append(self.t(
                    f"Se över insatserna bakom ”{name}”: med nuvarande takt väntas {self.r(row.projected)} mot målvärdet {self.n(row.target)}.",
                    f"Review the work behind “{name}”: at the current pace {self.r(row.projected)} is expected against the target {self.n(row.target)}."))
            elif row.status == "not_reported" and row.target is not None:
                recs.append(self.t(
                    f"Redovisa utfallet för ”{name}” (målvärde {self.n(row.target)}); utan det kan måluppfyllelsen inte bedömas.",
                    f"Report the outcome of “{name}” (target {self.n(row.target)}); without it attainment cannot be judged."))
            elif final and row.status == "not_achieved":
                recs.append(self.t(
                    f"Analysera varför ”{name}” nådde {self.pct(row.attainment, 0)} av målet, som lärdom för kommande projekt.",
                    f"Analyse why “{name}” reached {self.pct(row.attainment, 0)} of its target, as a lesson for future projects."))

        def ids(check: str) -> str:
            subjects = [f.subject for f in by_check.get(check, [])]
            if check.startswith("horizontal"):
                subjects = [_pick(CRITERION_LABELS[s], self.lang).lower() if s in CRITERION_LABELS else s for s in subjects]
            return ", ".join(subjects)

        templates = (
            ("goal_without_indicator", "Komplettera målen {ids} med indikatorer så att de kan följas upp.",
             "Add indicators to the goals {ids} so that they can be followed up."),
            ("effect_goal_output_only", "Mät effektmålen {ids} med resultat- eller effektindikatorer, inte bara med output.",
             "Measure the effect-level goals {ids} with result or effect indicators, not only outputs."),
            ("indicator_incomplete", "Komplettera indikatorerna {ids} med utgångsvärde, målvärde, enhet och källa där de saknas.",
             "Complete the indicators {ids} with baseline, target, unit and source where missing."),
            ("goal_without_activity", "Knyt aktiviteter till målen {ids}, eller pröva om målen är realistiska.",
             "Tie activities to the goals {ids}, or reconsider whether they are realistic."),
            ("activity_without_goal", "Koppla aktiviteterna {ids} till de mål de ska bidra till.",
             "Link the activities {ids} to the goals they serve."),
            ("horizontal_without_action", "Beskriv konkreta åtgärder för de horisontella kriterierna {ids}.",
             "Describe concrete actions for the horizontal criteria {ids}."),
            ("horizontal_without_indicator", "Följ upp de horisontella kriterierna {ids} med minst en indikator var.",
             "Follow up the horizontal criteria {ids} with at least one indicator each."),
            ("link_without_assumption", "Formulera de antaganden som bär kopplingarna {ids} i effektlogiken.",
             "State the assumptions behind the effect-logic links {ids}."),
            ("disaggregation_mismatch", "Rätta uppdelningarna som inte summerar till totalen: {ids}.",
             "Correct the breakdowns that do not add up to their totals: {ids}."),
            ("cumulative_decrease", "Rätta de kumulativa indikatorer som minskar: {ids}.",
             "Correct the cumulative indicators that go down: {ids}."),
            ("firm_total_mismatch", "Stäm av tabellen över deltagande företag: de publicerade förändringarna går inte ihop med totalerna.",
             "Reconcile the table of participating firms: the published changes do not match the totals."),
            ("activity_without_work_package", "Placera aktiviteterna {ids} i arbetspaket.",
             "Place the activities {ids} in work packages."),
        )
        for check, sv, en in templates:
            if check in by_check:
                recs.append(self.t(sv, en).format(ids=ids(check)))
        errors = [f for f in self.findings if f.severity == "error" and f.check.startswith("reconcile")]
        if errors:
            recs.append(self.t("Stäm av kostnader, budget och finansiering; de går inte ihop inom toleransen.",
                               "Reconcile costs, budget and financing; they do not agree within the tolerance."))
        if not recs:
            recs.append(self.t("Projektlogiken och uppföljningen håller; fortsätt enligt plan.",
                               "The project logic and the follow-up hold; continue as planned."))
        return tuple(recs)

    # ------------------------------------------------------------------ sections

    def title(self) -> Block:
        p = self.project
        kind = self.t("Halvtidsutvärdering", "Mid-term evaluation") if self.kind == "midterm" else self.t("Slututvärdering", "Final evaluation")
        parts: list[Any] = [_Html(f"<h1>{html.escape(kind)}: {html.escape(p.name)}</h1>")]
        lines = [
            self.t(f"Avser läget den {self.d(self.as_of)}.", f"Status as of {self.d(self.as_of)}."),
            self.t(f"Projektperiod {fmt.period(p.start, p.end, 'sv')}.", f"Project period {fmt.period(p.start, p.end, 'en')}."),
        ]
        if p.evaluator:
            lines.append(self.t(f"Extern utvärderare: {p.evaluator}.", f"External evaluator: {p.evaluator}."))
        parts += [paragraph(line) for line in lines]
        if p.is_illustrative():
            parts.append(notice(self.t(
                "Denna rapport innehåller ILLUSTRATIVA uppföljningsvärden. Projektets egna uppföljningsdata är inte offentliga; "
                "värden markerade som illustrativa är påhittade för att visa verktyget och får inte läsas som projektets resultat.",
                "This report contains ILLUSTRATIVE monitoring values. The project's own monitoring data are not public; values "
                "marked illustrative are invented to demonstrate the toolkit and must not be read as the project's results."),
                "illustrative", self.lang))
        return Block(tuple(parts))

    def summary(self) -> Block:
        parts: list[Any] = [self._heading("summary")]
        sentences = [self.indicator_sentence(r) for r in self.indicator_rows if r.target is not None or r.actual is not None]
        gender = self.gender_sentence()
        if gender:
            sentences.append(gender)
        budget = self.project.budget
        if budget.total is not None and budget.outcome_total is not None:
            diff = budget.total - budget.outcome_total
            sentences.append(self.t(
                f"Utfallet blev {self.money(budget.outcome_total)} mot budgeten {self.money(budget.total)}, {self.money(abs(diff))} {'under' if diff >= 0 else 'över'} budget.",
                f"The outcome was {self.money(budget.outcome_total)} against the budget {self.money(budget.total)}, {self.money(abs(diff))} {'under' if diff >= 0 else 'over'} budget."))
        score = self.coherence.score
        if score is not None:
            sentences.append(self.t(
                f"Projektlogikens röda tråd får {self.n(score)} av 100 poäng (se avsnittet om projektlogik).",
                f"The project logic's coherence scores {self.n(score)} out of 100 (see the project-logic section)."))
        counts = {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")}
        e, w, i = counts["error"], counts["warning"], counts["info"]
        sentences.append(self.t(
            f"Logikgranskningen gav {e} fel, {w} {'varning' if w == 1 else 'varningar'} och {i} {'upplysning' if i == 1 else 'upplysningar'}.",
            f"The logic review found {e} {'error' if e == 1 else 'errors'}, {w} {'warning' if w == 1 else 'warnings'} and {i} {'note' if i == 1 else 'notes'}."))
        parts.append(_Html("<h3>" + html.escape(self.t("Resultat i korthet", "Results in brief")) + "</h3>"))
        parts.append(bullet_list(sentences))
        parts.append(_Html("<h3>" + html.escape(self.t("Rekommendationer", "Recommendations")) + "</h3>"))
        parts.append(bullet_list(self.recommendations()))
        parts += self._illustrative_notice(self._values_illustrative())
        return Block(tuple(parts))

    def project_description(self) -> Block:
        p = self.project
        fund = _pick(FUND_LABELS[p.fund], self.lang) if p.fund in FUND_LABELS else p.fund
        missing = fmt.missing(self.lang)
        facts = [
            (self.t("Projekt", "Project"), p.name),
            (self.t("Projektägare", "Project owner"), p.owner or missing),
            (self.t("Fond och program", "Fund and programme"), f"{fund} – {p.programme}"),
            (self.t("Region", "Region"), p.region or missing),
            (self.t("Kommuner", "Municipalities"), ", ".join(p.municipalities) or missing),
            (self.t("Partner", "Partners"), ", ".join(p.partners) or missing),
            (self.t("Projektperiod", "Project period"), fmt.period(p.start, p.end, self.lang)
             + (self.t(" (uppskattad; exakta datum är inte publicerade)", " (estimated; exact dates not published)") if p.dates_status == "estimated" else "")),
            (self.t("Total budget", "Total budget"), (p.budget.total_qualifier + " " if p.budget.total_qualifier else "") + self.money(p.budget.total)
             + (self.t(" (illustrativ)", " (illustrative)") if p.budget.data_status == "illustrative" else "")),
            (self.t("Målgrupper", "Target groups"), "; ".join(p.target_groups) or missing),
            (self.t("Koppling till regional utvecklingsstrategi (RUS)", "Links to the regional development strategy (RUS)"), "; ".join(p.rus_goals) or missing),
            (self.t("Utvärderingsform", "Evaluation form"), self.t("Extern utvärdering", "External evaluation") if p.evaluation_form == "external" else self.t("Självvärdering", "Self-evaluation")),
        ]
        parts: list[Any] = [self._heading("project_description"),
                            table(pd.DataFrame(facts, columns=[self.t("Uppgift", "Item"), self.t("Värde", "Value")]), self.lang)]
        if p.work_packages:
            wp = pd.DataFrame([(w.id, w.name, w.budget) for w in p.work_packages],
                              columns=[self.t("Arbetspaket", "Work package"), self.t("Namn", "Name"), self.t("Budget (kr)", "Budget (SEK)")])
            parts.append(table(wp, self.lang, formats={wp.columns[2]: "money"}))
        if p.financiers:
            shares = economics.financing_shares(pd.DataFrame([(f.name, f.kind, f.amount) for f in p.financiers], columns=["name", "kind", "amount"]))
            shown = shares[["name", "amount", "share"]].copy()
            shown["name"] = [self.t("Totalt", "Total") if t else n for n, t in zip(shares["name"], shares["is_total"])]
            shown.columns = [self.t("Finansiär", "Financier"), self.t("Belopp (kr)", "Amount (SEK)"), self.t("Andel", "Share")]
            parts.append(table(shown, self.lang, formats={shown.columns[1]: "money", shown.columns[2]: "percent"}))
            if any(f.amount is None for f in p.financiers):
                parts.append(notice(self.t("Finansiärernas belopp är inte publicerade.", "The financiers' amounts are not published."), "missing", self.lang))
            parts += self._illustrative_notice(any(f.data_status == "illustrative" for f in p.financiers))
        return Block(tuple(parts))

    def method(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("method"), paragraph(self.t(
            "Utvärderingen följer Tillväxtverkets riktlinjer för uppföljning, utvärdering och lärande och besvarar frågorna om "
            "projektlogik (P1), process (P2), nyckelaktiviteter (N1), nyckelpersoner (N2) och nyckeltal (N3). Varje resultatavsnitt anger "
            "vilket av OECD DAC:s utvärderingskriterier det besvarar. Projektlogiken granskas med ett målträd och en effektlogikkedja; "
            "alla siffror beräknas av verktygets bibliotek ur projektets datafiler.",
            "The evaluation follows Tillväxtverket's guidelines for follow-up, evaluation and learning and answers the questions on "
            "project logic (P1), process (P2), key activities (N1), key persons (N2) and key figures (N3). Each findings section names the OECD "
            "DAC criteria it answers. The project logic is reviewed through a goal tree and an effect-logic chain; every figure is "
            "computed by the toolkit's library from the project's data files."))]
        sources = pd.DataFrame([(s.title, s.reference, s.note) for s in p.sources],
                               columns=[self.t("Källa", "Source"), self.t("Referens", "Reference"), self.t("Kommentar", "Note")])
        parts.append(table(sources, self.lang))
        limits: list[str] = []
        if p.is_illustrative():
            limits.append(self.t("Uppföljningsvärden, budget- och finansieringsbelopp markerade som illustrativa är påhittade.",
                                 "Monitoring values, budget and financing amounts marked illustrative are invented."))
        if p.dates_status == "estimated":
            limits.append(self.t("Projektperioden är uppskattad ur källan.", "The project period is estimated from the source."))
        not_reported = [i.name for i in p.indicators if not i.reported()]
        if not_reported:
            limits.append(self.t("Utfall saknas för: ", "No outcome reported for: ") + "; ".join(not_reported) + ".")
        no_target = [i.name for i in p.indicators if i.target_value is None]
        if no_target:
            limits.append(self.t("Målvärde saknas för: ", "No target stated for: ") + "; ".join(no_target) + ".")
        if p.budget.outcome_total is None:
            limits.append(self.t("Något slutligt ekonomiskt utfall är inte redovisat.", "No final financial outcome is reported."))
        if p.firms is None:
            limits.append(self.t("Inga företagsdata (anställda, omsättning) finns för deltagande företag.", "No firm data (employees, turnover) exist for participating firms."))
        if p.survey is None:
            limits.append(self.t("Inga enkätsvar finns i underlaget.", "No survey responses are in the data."))
        limits += list(p.notes)
        parts.append(_Html("<h3>" + html.escape(self.t("Begränsningar i underlaget", "Limits of the data")) + "</h3>"))
        parts.append(bullet_list(limits or [self.t("Inga kända begränsningar.", "No known limits.")]))
        return Block(tuple(parts))

    @_plain_figures
    def project_logic(self) -> Block:
        from evaluation.plots import diagrams

        p = self.project
        parts: list[Any] = [self._heading("project_logic")]
        src = self._source_line()
        parts.append(figure(diagrams.plot_goal_tree(p.goal_tree, lang=self.lang, source=src), wide=True))
        parts.append(table(self.goal_tree_table(), self.lang))
        parts.append(figure(diagrams.plot_effect_chain(p.effect_chain, lang=self.lang, source=src), wide=True))
        legend = diagrams.link_legend(p.effect_chain, self.lang)
        if not legend.empty:
            parts.append(table(legend, self.lang))
        score = self.coherence
        parts.append(paragraph(self.t(
            f"Röd tråd: {self.n(score.score)} av 100. Poängen är medelvärdet av andelarna nedan (hur stor del av aktiviteterna som är kopplade till mål, "
            "av målen som har aktiviteter och indikatorer, av kopplingarna som har antaganden, av leden som leder vidare och av indikatorerna som är kompletta).",
            f"Coherence: {self.n(score.score)} out of 100. The score is the mean of the shares below (activities linked to goals, goals with activities and "
            "indicators, links with assumptions, nodes carried forward, complete indicators).")))
        comp = score.components[["sv" if self.lang == "sv" else "en", "share", "n"]].copy()
        comp.columns = [self.t("Del", "Component"), self.t("Andel", "Share"), self.t("Antal", "Count")]
        parts.append(table(comp, self.lang, formats={comp.columns[1]: "percent"}))
        frame = self._findings_shown()
        if frame.empty:
            parts.append(paragraph(self.t("Logikgranskningen gav inga anmärkningar.", "The logic review found nothing to remark.")))
        else:
            frame["severity"] = [_pick(SEVERITY_LABELS[s], self.lang) for s in frame["severity"]]
            frame = frame[["severity", "subject", "text"]]
            frame.columns = [self.t("Allvar", "Severity"), self.t("Gäller", "Concerns"), self.t("Iakttagelse", "Finding")]
            parts.append(table(frame, self.lang))
        return Block(tuple(parts))

    def goal_tree_table(self) -> pd.DataFrame:
        """The goal tree as a table (readable in print where the diagram is dense)."""
        levels = {"overall": ("Övergripande mål", "Overall goal"), "project": ("Projektmål", "Project goal"),
                  "sub": ("Delmål", "Sub-goal"), "activity": ("Aktivitet", "Activity")}
        indicators = {n.id: [i.id for i in self.project.indicators if n.id in i.measures] for n in self.project.goal_tree.nodes}
        rows = [(n.id, _pick(levels[n.level], self.lang), n.statement, n.parent or "", n.work_package or "",
                 ", ".join(indicators[n.id])) for n in self.project.goal_tree.nodes]
        return pd.DataFrame(rows, columns=["Id", self.t("Nivå", "Level"), self.t("Formulering", "Statement"),
                                           self.t("Överordnat", "Parent"), self.t("Arbetspaket", "Work package"),
                                           self.t("Indikatorer", "Indicators")])

    @_plain_figures
    def process(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("process")]
        totals = process.activity_totals(p, self.as_of)
        if totals.empty:
            parts.append(notice(self.t("Inga genomförda aktiviteter är redovisade.", "No activities carried out are reported."), "missing", self.lang))
            return Block(tuple(parts))
        by_period = process.activities_by_period(p, self.as_of, "Y")
        illustrative = any(a.data_status == "illustrative" for a in p.activities)
        parts += self._illustrative_notice(illustrative)
        if by_period.shape[1] > 1:
            parts.append(figure(process.plot_activities(p, self.as_of, lang=self.lang, source=self._source_line())))
            shown = by_period.reset_index()
            shown.columns = [self.t("Arbetspaket", "Work package") if p.work_packages else self.t("Aktivitet", "Activity"), *shown.columns[1:]]
            parts.append(table(shown, self.lang, decimals=0))
        else:
            parts.append(figure(process.plot_activity_totals(p, self.as_of, lang=self.lang, source=self._source_line())))
        shown = totals.copy()
        shown.columns = [self.t("Aktivitet", "Activity"), self.t("Beskrivning", "Description"), self.t("Arbetspaket", "Work package"),
                         self.t("Antal", "Count"), self.t("Deltagare", "Participants")]
        parts.append(table(shown, self.lang, decimals=0))
        missing = [a.id for a in p.goal_tree.by_level("activity") if a.id not in set(totals["activity"]) or totals.loc[totals["activity"] == a.id, "count"].isna().all()]
        if missing:
            parts.append(paragraph(self.t(f"Aktiviteter utan redovisat antal: {', '.join(missing)}.", f"Activities with no reported count: {', '.join(missing)}.")))
        return Block(tuple(parts))

    @_plain_figures
    def key_figures_section(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("key_figures_section")]
        parts.append(_Html("<h3>N1 " + html.escape(self.t("Nyckelaktiviteter", "Key activities")) + "</h3>"))
        totals = process.activity_totals(p, self.as_of).dropna(subset=["count"]).sort_values(["count", "activity"], ascending=[False, True])
        if totals.empty:
            parts.append(paragraph(fmt.missing(self.lang)))
        else:
            top = totals.head(5)
            parts.append(bullet_list([f"{s} ({self.n(c)})" for s, c in zip(top["statement"], top["count"])]))
        if p.participation is not None and not p.participation.empty:
            parts += self._participation_parts()
        if p.funnel:
            stages = pd.DataFrame([(s.order, s.stage, s.count) for s in p.funnel], columns=["order", "stage", "count"])
            funnel = economics.funnel(stages)
            parts.append(figure(economics.plot_funnel(funnel, source=self._source_line(), language=self.lang)))
            shown = funnel[["stage", "count", "conversion_from_previous", "conversion_from_first"]].copy()
            shown.columns = [self.t("Steg", "Stage"), self.t("Antal", "Count"), self.t("Andel av föregående steg", "Share of previous stage"),
                             self.t("Andel av första steget", "Share of first stage")]
            parts.append(table(shown, self.lang, formats={shown.columns[2]: "percent", shown.columns[3]: "percent"}))
        parts.append(_Html("<h3>N2 " + html.escape(self.t("Nyckelpersoner", "Key persons")) + "</h3>"))
        if p.key_persons:
            kp = pd.DataFrame([(k.role, k.organisation, k.name, k.note) for k in p.key_persons],
                              columns=[self.t("Roll", "Role"), self.t("Organisation", "Organisation"), self.t("Namn", "Name"), self.t("Kommentar", "Note")])
            parts.append(table(kp, self.lang))
        else:
            parts.append(notice(self.t("Inga uppgifter om nyckelpersoner.", "No data on key persons."), "missing", self.lang))
        parts.append(_Html("<h3>N3 " + html.escape(self.t("Nyckeltal", "Key figures")) + "</h3>"))
        parts += self._illustrative_notice(self._values_illustrative())
        parts.append(table(self.indicator_table(), self.lang, formats=self._indicator_formats(), decimals=self._indicator_decimals()))
        progress = self.progress_series()
        if progress:
            parts.append(figure(charts.plot_indicator_progress(progress, self.as_of, lang=self.lang, source=self._source_line())))
        parts.append(bullet_list([self.indicator_sentence(r) for r in self.indicator_rows]))
        return Block(tuple(parts))

    def progress_series(self) -> list[tuple]:
        """Inputs of :func:`charts.plot_indicator_progress` for indicators with a target and more than one reported value."""
        out = []
        for r in self.indicator_rows:
            ind = r.indicator
            if r.target is None or len(ind.reported()) < 2:
                continue
            values = ind.values_frame()[["period_end", "value", "status"]]
            values = values[values["period_end"] <= pd.Timestamp(self.as_of)]
            frame = ind_mod.cumulative_series(values, ind.aggregation)
            out.append((ind.name, frame, ind.baseline_value or 0.0, ind.baseline_date or self.project.start, r.target,
                        ind.target_date or self.project.end, r.projected, r.projected_low, r.projected_high))
        return out

    def _participation_parts(self) -> list[Any]:
        """Firms taking part in the activities, each firm counted once however many activities it joined."""
        frame = self.project.participation
        assert frame is not None
        if frame["period_end"].notna().any():
            frame = frame[frame["period_end"].isna() | (pd.to_datetime(frame["period_end"]) <= pd.Timestamp(self.as_of))]
        from evaluation.analysis.surveys import suppress

        unique = ind_mod.unique_count(frame)
        by_activity = ind_mod.unique_count_by(frame, "activity")
        statements = {n.id: n.statement for n in self.project.goal_tree.nodes}
        t = self.min_cell("firms")
        parts: list[Any] = self._illustrative_notice(bool((frame["data_status"] == "illustrative").any()))
        parts.append(paragraph(self.disclosure_sentence("firms")))
        if unique < t:
            parts.append(paragraph(self.t(
                f"Färre än {t} unika företag har deltagit i aktiviteterna; antalen visas därför inte.",
                f"Fewer than {t} distinct firms took part in the activities; the counts are therefore not shown.")))
            return parts
        # An activity with fewer than t distinct firms is hidden (its participations come from those
        # few firms too); the participations add up to the total stated above, so one more is hidden
        # where a single hidden count could be recovered from it.
        few = (by_activity["n_unique"] < t).to_numpy(dtype=bool)
        sup = suppress(pd.DataFrame({"n": by_activity["n_rows"].to_numpy(dtype=float)}), t, row_totals=False, col_totals=True,
                       primary=few.reshape(-1, 1))
        rows_hidden = sup.suppressed.to_numpy(dtype=bool)[:-1, 0]
        shown = pd.DataFrame({
            self.t("Aktivitet", "Activity"): [f"{a}: {statements.get(a, '')}" for a in by_activity["activity"]],
            self.t("Deltaganden", "Participations"): self._masked(by_activity["n_rows"].to_list(), rows_hidden),
            self.t("Unika företag", "Distinct firms"): self._masked(by_activity["n_unique"].to_list(), few),
        })
        parts.append(paragraph(self.t(
            f"{self.n(unique)} unika företag har deltagit i aktiviteterna, sammanlagt {self.n(len(frame))} deltaganden; "
            "varje företag räknas en gång oavsett hur många aktiviteter det deltog i.",
            f"{self.n(unique)} distinct firms took part in the activities, {self.n(len(frame))} participations in all; "
            "each firm is counted once however many activities it joined.")))
        parts.append(table(shown, self.lang))
        return parts

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator: outcome, target, attainment, pro-rata expectation, projection, status."""
        rows = []
        for r in self.indicator_rows:
            ind = r.indicator
            label = ind.name + (f" ({ind.code})" if ind.code else "") + (self.t(" [illustrativ]", " [illustrative]") if r.illustrative else "")
            proj = None
            if r.projected is not None:
                proj = self.r(r.projected)
                if r.projected_low is not None and r.projected_high is not None:
                    proj += f" ({self.r(r.projected_low)}–{self.r(r.projected_high)})"
            rows.append({
                "ind": label, "unit": ind.unit or "", "level": _pick(LEVEL_LABELS[ind.level], self.lang),
                "actual": r.actual, "target": r.target, "attainment": r.attainment,
                "expected": None if self.kind == "final" else r.expected,
                "projection": None if self.kind == "final" else proj,
                "status": _pick(STATUS_LABELS[r.status], self.lang),
            })
        cols = {"ind": self.t("Indikator", "Indicator"), "unit": self.t("Enhet", "Unit"), "level": self.t("Nivå", "Level"),
                "actual": self.t("Utfall", "Outcome"), "target": self.t("Målvärde", "Target"), "attainment": self.t("Måluppfyllelse", "Attainment"),
                "expected": self.t("Förväntat vid datum", "Expected at date"), "projection": self.t("Prognos vid mål (intervall)", "Projection (band)"),
                "status": self.t("Bedömning", "Assessment")}
        frame = pd.DataFrame(rows, columns=list(cols))
        if self.kind == "final":
            frame = frame.drop(columns=["expected", "projection"])
        return frame.rename(columns=cols)

    def _indicator_formats(self) -> dict[str, str]:
        return {self.t("Måluppfyllelse", "Attainment"): "percent", self.t("Prognos vid mål (intervall)", "Projection (band)"): "text"}

    def _indicator_decimals(self) -> dict[str, int]:
        return {self.t("Förväntat vid datum", "Expected at date"): 1}

    @_plain_figures
    def attainment(self) -> Block:
        parts: list[Any] = [self._heading("attainment")]
        rows = [r for r in self.indicator_rows if r.target is not None]
        parts += self._illustrative_notice(any(r.illustrative for r in rows))
        if not rows:
            parts.append(notice(self.t("Inga indikatorer har målvärden.", "No indicator has a target."), "missing", self.lang))
            return Block(tuple(parts))
        parts.append(figure(charts.plot_attainment(
            [r.indicator.name for r in rows], [r.attainment for r in rows], lang=self.lang, source=self._source_line())))
        parts.append(bullet_list([self.indicator_sentence(r) for r in rows]))
        return Block(tuple(parts))

    @_plain_figures
    def participating_firms(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("participating_firms")]
        if p.firms is None:
            parts.append(notice(self.t("Inga företagsdata finns för projektet.", "No firm data exist for the project."), "missing", self.lang))
            return Block(tuple(parts))
        panel = p.firms
        t = self.min_cell("firms")
        parts += self._illustrative_notice(bool((panel["data_status"] == "illustrative").any()))
        parts.append(paragraph(self.disclosure_sentence("firms")))
        participants = panel[panel["participant"]]
        years = sorted(int(y) for y in participants["year"].dropna().unique())
        if len(years) < 2:
            parts.append(notice(self.t("De deltagande företagen är inte observerade två olika år.",
                                       "The participating firms are not observed in two different years."), "missing", self.lang))
            return Block(tuple(parts))
        before, after = years[0], years[-1]
        labels = dict(zip(participants["year"].astype(int), participants["period_label"]))
        names = dict(zip(participants["firm_id"], participants["name"]))
        table_ba = firms.before_after(panel, "employees", before=before, after=after, names=names, total_label=self.t("Summa", "Total"))
        summary = firms.before_after_summary(panel, "employees", before=before, after=after)
        published = panel[(panel["year"] == after)].set_index("firm_id")["published_change"]
        b_label = labels.get(before) or str(before)
        a_label = labels.get(after) or str(after)
        if summary.n_firms < t:
            parts.append(paragraph(self.t(
                f"Färre än {t} deltagande företag har uppgifter om antalet anställda både {b_label} och {a_label}; summorna visas därför inte.",
                f"Fewer than {t} participating firms report employees in both {b_label} and {a_label}; the totals are therefore not shown.")))
        else:
            parts += self._firm_summary_parts(table_ba, summary, published, b_label, a_label, t)
        if t == 0:  # public: the firm-by-firm table and chart, as published
            shown = table_ba[["firm", "before", "after", "change"]].copy()
            if published.notna().any():
                pub = [published.get(fid, np.nan) if isinstance(fid, str) else float(published.sum()) for fid in table_ba["firm_id"]]
                shown[self.t("Publicerad ökning", "Published change")] = pub
            shown = shown.rename(columns={"firm": self.t("Företag", "Firm"), "before": self.t(f"Anställda {b_label}", f"Employees {b_label}"),
                                          "after": self.t(f"Anställda {a_label}", f"Employees {a_label}"), "change": self.t("Förändring", "Change")})
            parts.append(table(shown, self.lang))
            parts.append(figure(charts.plot_before_after(table_ba, lang=self.lang, source=self._source_line(),
                                                        before_label=b_label, after_label=a_label)))
        parts.append(_Html("<h3>" + html.escape(self.t("Jämförelse med icke-deltagande företag", "Comparison with non-participating firms")) + "</h3>"))
        parts += self._comparison_group(panel)
        try:
            result = firms.did(panel, "employees")
        except AnalysisError as err:
            parts.append(notice(err.text(self.lang), "missing", self.lang,
                                title=self.t("Effekten kan inte skattas", "The effect cannot be estimated")))
            return Block(tuple(parts))
        if result.n_treated_firms < t or result.n_comparison_firms < t:
            parts.append(notice(self.t(
                f"Den skattade effekten visas inte, eftersom de deltagande företagen eller jämförelseföretagen i skattningen är färre än {t}.",
                f"The estimated effect is not shown, because fewer than {t} participating or comparison firms enter the estimate."),
                "missing", self.lang, title=self.t("Effekten visas inte", "The effect is not shown")))
            return Block(tuple(parts))
        est = result.estimate
        method = self.t("tvåvägs fixa effekter (firma och år)", "two-way fixed effects (firm and year)") if result.method == "twfe" else \
            self.t("Sun & Abrahams skattning för förskjuten start", "Sun & Abraham's estimator for staggered entry")
        parts.append(paragraph(self.t(
            f"Skattad effekt av deltagande på antalet anställda ({method}): {self.n(est.coefficient, 2)} anställda per företag "
            f"(standardfel {self.n(est.std_error, 2)}, 95 % konfidensintervall {self.n(est.ci_low, 2)} till {self.n(est.ci_high, 2)}; "
            f"{result.n_treated_firms} deltagande och {result.n_comparison_firms} jämförelseföretag).",
            f"Estimated effect of participation on employees ({method}): {self.n(est.coefficient, 2)} employees per firm "
            f"(standard error {self.n(est.std_error, 2)}, 95% confidence interval {self.n(est.ci_low, 2)} to {self.n(est.ci_high, 2)}; "
            f"{result.n_treated_firms} participating and {result.n_comparison_firms} comparison firms).")))
        warnings, limits = result.texts(self.lang)
        if warnings:
            parts.append(notice(" ".join(warnings), "warning", self.lang))
        parts.append(bullet_list(limits))
        try:
            es = firms.event_study(panel, "employees")
        except AnalysisError as err:
            parts.append(paragraph(err.text(self.lang)))
            return Block(tuple(parts))
        small = ~es.table["is_reference"] & (es.table["n_obs"] < t)
        if small.any():
            es = replace(es, table=es.table.loc[~small].reset_index(drop=True))
            parts.append(paragraph(self.t(
                f"År i förhållande till starten där färre än {t} deltagande företag observeras visas inte i diagrammet.",
                f"Years relative to the start at which fewer than {t} participating firms are observed are not shown in the chart.")))
        if (~es.table["is_reference"]).any():
            es_fig = firms.plot_event_study(es, lang=self.lang)
            charts.add_source(es_fig, self._source_line(), self.lang)
            parts.append(figure(es_fig))
        return Block(tuple(parts))

    def _firm_summary_parts(self, table_ba: pd.DataFrame, summary: firms.BeforeAfterSummary, published: pd.Series,
                            b_label: str, a_label: str, t: int) -> list[Any]:
        """Totals of the participating firms; the shares growing, unchanged and shrinking unless a group is too small."""
        from evaluation.analysis.surveys import suppress

        rows = table_ba[table_ba["firm_id"].notna() & table_ba["before"].notna() & table_ba["after"].notna()]
        counts = [int((rows["change"] > 0).sum()), int((rows["change"] == 0).sum()), int((rows["change"] < 0).sum())]
        groups_hidden = bool(suppress(pd.DataFrame([counts]), t, row_totals=True, col_totals=False).suppressed.to_numpy().any())
        text = self.t(
            f"De {summary.n_firms} deltagande företagen hade {self.n(summary.total_before)} anställda {b_label} och {self.n(summary.total_after)} {a_label}, "
            f"en förändring med {self.n(summary.change)} ({self.pct(summary.relative_change)}).",
            f"The {summary.n_firms} participating firms had {self.n(summary.total_before)} employees in {b_label} and {self.n(summary.total_after)} in {a_label}, "
            f"a change of {self.n(summary.change)} ({self.pct(summary.relative_change)}).")
        if groups_hidden:
            text += self.t(f" Hur många som växte, var oförändrade eller minskade visas inte, eftersom någon av grupperna har färre än {t} företag.",
                           f" How many grew, were unchanged or shrank is not shown, as one of the groups has fewer than {t} firms.")
        else:
            text += self.t(
                f" {self.pct(summary.share_growing, 0)} av företagen växte, "
                f"{self.pct(summary.share_unchanged, 0)} var oförändrade och {self.pct(summary.share_shrinking, 0)} minskade.",
                f" {self.pct(summary.share_growing, 0)} of the firms grew, "
                f"{self.pct(summary.share_unchanged, 0)} were unchanged and {self.pct(summary.share_shrinking, 0)} shrank.")
        out: list[Any] = [paragraph(text)]
        if published.notna().any():
            pub_total = float(published.sum())
            if abs(pub_total - summary.change) > 1e-9:
                out.append(notice(self.t(
                    f"Den publicerade ökningen är {self.n(pub_total)} ({self.pct(pub_total / summary.total_before, 0)}), medan kolumnerna ger {self.n(summary.change)}; "
                    "skillnaden kommer från rader där den publicerade ökningen inte stämmer med antalen (se logikgranskningen).",
                    f"The published increase is {self.n(pub_total)} ({self.pct(pub_total / summary.total_before, 0)}), while the columns give {self.n(summary.change)}; "
                    "the gap comes from rows whose published change does not match the counts (see the logic review)."), "warning", self.lang))
        return out

    @_plain_figures
    def surveys(self) -> Block:
        from evaluation.analysis import surveys as sv_mod

        p = self.project
        parts: list[Any] = [self._heading("surveys")]
        if p.survey is None or p.survey_invited is None:
            parts.append(notice(self.t("Inga enkätsvar finns i underlaget.", "No survey responses are in the data."), "missing", self.lang))
            return Block(tuple(parts))
        t = self.min_cell("survey")
        responses, invited = p.survey, p.survey_invited
        parts += self._illustrative_notice(bool((responses["data_status"] == "illustrative").any()))
        parts.append(paragraph(self.disclosure_sentence("survey")))
        rate = sv_mod.response_rate(responses, invited, threshold=t)
        responses = responses[responses["answer"].notna()]  # an item left blank is no answer to it
        shown = pd.DataFrame({
            self.t("Omgång", "Wave"): rate["wave"], self.t("Inbjudna", "Invited"): rate["invited"],
            self.t("Svarande", "Respondents"): self._masked(rate["respondents"], rate["suppressed"]),
            self.t("Svarsfrekvens", "Response rate"): self._masked(rate["response_rate"], rate["suppressed"], self.pct),
        })
        parts.append(table(shown, self.lang))
        dist = sv_mod.distribution(responses, threshold=t)
        agree = self._agreement_consistent(sv_mod.agreement(responses, threshold=t), dist)
        if not agree.empty:
            # the Wilson bounds of 0 % or 100 % can miss the share by a rounding error; the chart needs low <= share <= high
            drawn = agree.assign(ci_low=np.fmin(agree["ci_low"], agree["share"]), ci_high=np.fmax(agree["ci_high"], agree["share"]))
            parts.append(figure(charts.plot_agreement(drawn, lang=self.lang, source=self._source_line(), threshold=t)))
            shown = pd.DataFrame({
                self.t("Fråga", "Item"): agree["item"],
                self.t("Antal svar", "Answers"): self._masked(agree["n"], agree["n"].isna(), self.n),
                self.t("Andel som instämmer (4–5)", "Share agreeing (4–5)"): self._masked(agree["share"], agree["suppressed"], self.pct),
                self.t("95 % konfidensintervall (Wilson)", "95% confidence interval (Wilson)"): self._masked(
                    zip(agree["ci_low"], agree["ci_high"]), agree["suppressed"], lambda b: f"{self.pct(b[0])}–{self.pct(b[1])}"),
            })
            parts.append(table(shown, self.lang))
        med = sv_mod.median_iqr(responses, threshold=t, distribution=dist)
        if not med.empty:
            shown = pd.DataFrame({
                self.t("Fråga", "Item"): med["item"],
                self.t("Median", "Median"): self._masked(med["median"], med["suppressed"], self.n),
                self.t("Kvartilavstånd", "Interquartile range"): self._masked(
                    zip(med["q1"], med["q3"]), med["suppressed"], lambda q: f"{self.n(q[0])}–{self.n(q[1])}"),
            })
            parts.append(table(shown, self.lang))
        dist = dist.assign(cell=self._masked(dist["share"], dist["suppressed"], lambda v: self.pct(v, 0)))
        wide = dist.pivot(index="item", columns="answer", values="cell")
        wide.columns = [str(c) for c in wide.columns]
        wide = wide.reset_index().rename(columns={"item": self.t("Fråga (andel per svarsalternativ 1–5)", "Item (share per answer 1–5)")})
        parts.append(table(wide, self.lang))
        comparisons = []
        groups = responses["group"].dropna() if "group" in responses else pd.Series(dtype=str)
        items = sorted(str(i) for i in responses["item"].unique())
        if groups.nunique() >= 2:
            for item in items:
                c = sv_mod.compare_groups(responses, item, by="group", threshold=t)
                comparisons.append((item, self.t("grupper", "groups"), c))
        if responses["wave"].nunique() >= 2:
            for item in items:
                c = sv_mod.compare_waves(responses, item, threshold=t)
                comparisons.append((item, self.t("omgångar", "waves"), c))
        if comparisons:
            shown = pd.DataFrame({
                self.t("Fråga", "Item"): [i for i, _, _ in comparisons],
                self.t("Jämförelse mellan", "Comparison between"): [w for _, w, _ in comparisons],
                self.t("Test", "Test"): [_pick(TEST_LABELS.get(c.test, (c.test, c.test)), self.lang) for _, _, c in comparisons],
                self.t("p-värde", "p-value"): self._masked((c.p_value for _, _, c in comparisons), (c.suppressed for _, _, c in comparisons),
                                                           lambda p: self.n(p, 3)),
            })
            parts.append(table(shown, self.lang))
        return Block(tuple(parts))

    def _comparison_group(self, panel: pd.DataFrame) -> list[Any]:
        """Balance of participants against comparison firms before the programme, and after matching.

        With restricted firm data, means and standardised differences resting on fewer than
        :meth:`min_cell` firms in a group are hidden, and so are group counts below it.
        """
        if panel["participant"].all() or panel["participation_start"].dropna().empty:
            return []
        year = int(panel["participation_start"].dropna().min()) - 1
        covariates = [c for c in ("employees", "turnover", "value_added")
                      if c in panel and panel.loc[panel["year"] == year, c].notna().sum() > 2]
        if not covariates or (panel["year"] == year).sum() == 0:
            return []
        t = self.min_cell("firms")
        labels = {"employees": self.t("Anställda", "Employees"), "turnover": self.t("Omsättning (kr)", "Turnover (SEK)"),
                  "value_added": self.t("Förädlingsvärde (kr)", "Value added (SEK)")}

        decimals = {self.t("Medel deltagare", "Mean participants"): 1, self.t("Medel jämförelseföretag", "Mean comparison firms"): 1,
                    self.t("Standardiserad skillnad", "Standardised difference"): 2, self.t("Antal deltagare", "Participants"): 0,
                    self.t("Antal jämförelseföretag", "Comparison firms"): 0}

        def shown(balance: pd.DataFrame, whole: pd.DataFrame | None = None) -> pd.DataFrame:
            """``balance`` with small groups hidden; ``whole`` is the table before matching, whose means
            together with the matched ones would give the mean of the firms left out if they are few."""
            out = balance.reset_index()
            small = (out["n_participants"] < t) | (out["n_comparison"] < t)
            if whole is not None:
                for group in ("n_participants", "n_comparison"):
                    left_out = whole[group].reindex(out["covariate"]).to_numpy() - out[group].to_numpy()
                    small |= (left_out > 0) & (left_out < t)
            small = small.to_list()

            def cells(column: str, hide: list[bool]) -> list[Any]:
                return self._masked(out[column].to_list(), hide)

            return pd.DataFrame({
                self.t("Variabel", "Variable"): [labels.get(c, c) for c in out["covariate"]],
                self.t("Medel deltagare", "Mean participants"): cells("mean_participants", small),
                self.t("Medel jämförelseföretag", "Mean comparison firms"): cells("mean_comparison", small),
                self.t("Standardiserad skillnad", "Standardised difference"): cells("smd", small),
                self.t("Antal deltagare", "Participants"): cells("n_participants", (out["n_participants"] < t).to_list()),
                self.t("Antal jämförelseföretag", "Comparison firms"): cells("n_comparison", (out["n_comparison"] < t).to_list()),
            })

        parts: list[Any] = [paragraph(self.t(
            f"Deltagande företag jämförs med företag som inte deltagit, året före den första starten ({year}). En standardiserad "
            "skillnad under 0,1 i absolutbelopp brukar läsas som god balans.",
            f"Participating firms are compared with firms that did not take part, in the year before the first start ({year}). "
            "An absolute standardised difference below 0.1 is commonly read as good balance."))]
        balance = firms.balance_table(panel, covariates, year)
        if ((balance["n_participants"] < t) | (balance["n_comparison"] < t)).all():
            parts.append(paragraph(self.t(
                f"Jämförelsen visas inte, eftersom färre än {t} deltagande företag eller jämförelseföretag har uppgifter {year}.",
                f"The comparison is not shown, because fewer than {t} participating or comparison firms report figures for {year}.")))
            return parts
        try:
            result = firms.match(panel, covariates, year, method="nearest")
        except AnalysisError as err:
            parts.append(table(shown(balance), self.lang, decimals=decimals))
            parts.append(paragraph(err.text(self.lang)))
            return parts
        parts.append(table(shown(result.balance_before), self.lang, decimals=decimals,
                           caption=self.t("Före matchning", "Before matching")))
        parts.append(table(shown(result.balance_after, result.balance_before), self.lang, decimals=decimals,
                           caption=self.t("Efter matchning (närmaste granne)", "After matching (nearest neighbour)")))
        parts.append(paragraph(self._matching_sentence(result, t)))
        return parts

    def _matching_sentence(self, result: firms.MatchResult, t: int) -> str:
        """How many participants were matched, lay outside common support or had no partner; small counts hidden.

        The three counts add up to the participants, so they are suppressed as one row with
        its total (a single hidden count would be the total minus the others).
        """
        from evaluation.analysis.surveys import suppress

        if result.n_participants < t:
            return self.t(f"Matchningen bygger på färre än {t} deltagare; antalen visas inte.",
                          f"The matching rests on fewer than {t} participants; the counts are not shown.")
        counts = [result.n_matched, result.support.n_outside, result.n_no_match_within_caliper]
        if sum(counts) == result.n_participants:
            sup = suppress(pd.DataFrame([counts]), t, row_totals=True, col_totals=False, keep_zeros=True)
            hide = [bool(h) for h in sup.suppressed.iloc[0]]
        else:  # no published sum to protect: hide the small counts themselves
            hide = [0 < c < t for c in counts] + [result.n_participants < t]
        matched, outside, no_match, total = self._masked([*counts, result.n_participants], hide, str)
        return self.t(
            f"{matched} av {total} deltagare fick en jämförelsepartner; {outside} låg utanför "
            f"jämförelseföretagens värden (gemensamt stöd) och {no_match} saknade partner inom toleransen.",
            f"{matched} of {total} participants were matched; {outside} lay outside the "
            f"comparison firms' values (common support) and {no_match} had no partner within the caliper.")

    @staticmethod
    def _agreement_consistent(agree: pd.DataFrame, dist: pd.DataFrame, top: tuple[int, ...] = (4, 5)) -> pd.DataFrame:
        """Hide an item's agreement share when one of its top answers is hidden in the distribution.

        The share agreeing is the sum of the top answers; shown next to a distribution with a
        hidden top answer it would let a reader recover that answer (and through the item
        total, the other hidden cells).
        """
        hidden_top = set(dist.loc[dist["answer"].isin(top) & dist["suppressed"], "item"])
        mask = agree["item"].isin(hidden_top)
        out = agree.copy()
        out.loc[mask, ["agree", "share", "ci_low", "ci_high"]] = np.nan
        out.loc[mask, "suppressed"] = True
        return out

    @_plain_figures
    def efficiency(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("efficiency")]
        budget = p.budget
        denominators = [p.indicator_for(role) for _, role, _, _ in self.COST_MEASURES]  # type: ignore[arg-type]
        illustrative = (budget.data_status == "illustrative"
                        or any(line.data_status == "illustrative" for line in budget.lines)
                        or any(f.data_status == "illustrative" for f in p.financiers)
                        or any(ind is not None and any(m.data_status == "illustrative" for m in ind.values) for ind in denominators))
        parts += self._illustrative_notice(illustrative)
        if budget.lines:
            lines = pd.DataFrame([(line.category, line.budget, line.outcome) for line in budget.lines], columns=["category", "budget", "outcome"])
            bvo = economics.budget_vs_outcome(lines, budget_total=budget.total, outcome_total=budget.outcome_total,
                                              total_label=self.t("Totalt", "Total"))
            parts.append(figure(economics.plot_budget_vs_outcome(bvo, source=self._source_line(), language=self.lang)))
            shown = bvo[["category", "budget", "outcome", "difference", "outcome_share"]].copy()
            shown.columns = [self.t("Kostnadsslag", "Cost category"), self.t("Budget (kr)", "Budget (SEK)"), self.t("Utfall (kr)", "Outcome (SEK)"),
                             self.t("Skillnad (kr)", "Difference (SEK)"), self.t("Andel av utfallet", "Share of outcome")]
            parts.append(table(shown, self.lang, formats={shown.columns[1]: "money", shown.columns[2]: "money", shown.columns[3]: "money", shown.columns[4]: "percent"}))
            if all(line.budget is None for line in budget.lines):
                parts.append(notice(self.t("Budget per kostnadsslag är inte publicerad; bara totalbudgeten.",
                                           "The budget per cost category is not published; only the total budget."), "missing", self.lang))
        if p.complete_financing_total() is not None:
            fin = economics.financing_shares(pd.DataFrame([(f.name, f.kind, f.amount) for f in p.financiers], columns=["name", "kind", "amount"]))
            parts.append(figure(economics.plot_financing(fin, source=self._source_line(), language=self.lang)))
        rec = self.reconciliation()
        if rec is not None:
            frame = rec.to_frame()
            frame = frame[frame["a"].notna() & frame["b"].notna()].reset_index(drop=True)
            if not frame.empty:
                names = {"outcome_vs_budget": self.t("Utfall mot budget", "Outcome against budget"),
                         "outcome_vs_cost_lines": self.t("Kostnadsposter mot utfall", "Cost lines against outcome"),
                         "outcome_vs_financing": self.t("Finansiering mot utfall", "Financing against outcome"),
                         "cost_lines_vs_financing": self.t("Finansiering mot kostnadsposter", "Financing against cost lines")}
                shown = pd.DataFrame({
                    self.t("Avstämning", "Check"): [names[n] for n in frame["name"]],
                    self.t("Referens (kr)", "Reference (SEK)"): frame["a"], self.t("Jämförs med (kr)", "Compared (SEK)"): frame["b"],
                    self.t("Skillnad (kr)", "Difference (SEK)"): frame["difference"],
                    self.t("Inom tolerans", "Within tolerance"): [bool(x) if x is not pd.NA else None for x in frame["ok"]],
                })
                parts.append(table(shown, self.lang, formats={c: "money" for c in shown.columns[1:4]} | {shown.columns[4]: "yes_no"}))
        parts.append(paragraph(self.t("Kostnad per enhet beräknas på ", "Costs per unit are computed on the ") + self.cost_basis()[1] + "."))
        parts.append(table(self.cost_per_table(), self.lang, formats={self.t("Kostnad per enhet (kr)", "Cost per unit (SEK)"): "money"}))
        return Block(tuple(parts))

    def reconciliation(self) -> economics.Reconciliation | None:
        budget = self.project.budget
        return economics.reconcile(budget.total, budget.outcome_total, self.project.cost_lines_outcome(),
                                   self.project.complete_financing_total(), budget.tolerance)

    COST_MEASURES = (("per_firm_reached", "firms_reached", "Kostnad per nått företag", "Cost per firm reached"),
                     ("per_participant", "participants", "Kostnad per deltagare", "Cost per participant"),
                     ("per_job", "jobs", "Kostnad per skapat jobb", "Cost per job created"))

    def cost_basis(self) -> tuple[float | None, str]:
        """The amount costs per unit are computed on, and what it is.

        The stated outcome; else the sum of the cost lines' outcome so far; else the budget
        (with its qualifier, e.g. "drygt"), said so in the text.
        """
        budget = self.project.budget
        if budget.outcome_total is not None:
            return budget.outcome_total, self.t("utfall", "outcome")
        so_far = self.project.cost_lines_outcome()
        if so_far is not None:
            return so_far, self.t("utfall hittills enligt kostnadsposterna", "outcome so far from the cost lines")
        if budget.total is not None:
            qualifier = f"{budget.total_qualifier} " if budget.total_qualifier else ""
            return budget.total, self.t(f"budget ({qualifier}{self.money(budget.total)}), eftersom utfallet inte redovisas",
                                        f"budget ({qualifier}{self.money(budget.total)}), as no outcome is reported")
        return None, fmt.missing(self.lang)

    def cost_per(self) -> pd.DataFrame:
        """Cost per firm reached, per participant and per job (measure ids as in the JSON), on :meth:`cost_basis`."""
        p = self.project
        denominators: dict[str, tuple[float | None, str]] = {}
        for key, role, _, _ in self.COST_MEASURES:
            ind = p.indicator_for(role)  # type: ignore[arg-type]
            row = self._row(ind.id) if ind else None
            value = row.actual if row else None
            source = f"{ind.name} ({ind.source or fmt.missing(self.lang)})" if ind else fmt.missing(self.lang)
            denominators[key] = (value, source)
        return economics.cost_per(self.cost_basis()[0], denominators)

    def cost_per_table(self) -> pd.DataFrame:
        """Cost per firm reached, per participant and per job, with each denominator's source."""
        frame = self.cost_per()
        labels = {key: self.t(sv, en) for key, _, sv, en in self.COST_MEASURES}
        out = pd.DataFrame({
            self.t("Mått", "Measure"): [labels[m] for m in frame["measure"]],
            self.t("Nämnare", "Denominator"): frame["denominator"],
            self.t("Kostnad per enhet (kr)", "Cost per unit (SEK)"): frame["cost_per"],
            self.t("Källa för nämnaren", "Source of the denominator"): frame["source"],
        })
        return out

    @_plain_figures
    def horizontal(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("horizontal")]
        for crit in ("gender_equality", "equal_opportunities", "sustainable_development"):
            h = next((x for x in p.horizontal if x.criterion == crit), None)
            parts.append(_Html("<h3>" + html.escape(_pick(CRITERION_LABELS[crit], self.lang)) + "</h3>"))
            if h is None:
                parts.append(notice(self.t("Kriteriet behandlas inte i projektet.", "The project does not address this criterion."), "missing", self.lang))
                continue
            parts.append(paragraph(self.t("Projektets ambition: ", "The project's aim: ") + (h.aim or fmt.missing(self.lang))))
            parts.append(bullet_list(h.actions or [self.t("Inga åtgärder redovisade.", "No actions reported.")]))
            rows = [self._row(i) for i in h.indicators]
            parts += self._illustrative_notice(any(r is not None and r.illustrative for r in rows))
            sentences = [self.indicator_sentence(r) for r in rows if r is not None]
            if sentences:
                parts.append(bullet_list(sentences))
            else:
                parts.append(paragraph(self.t("Ingen indikator följer upp kriteriet.", "No indicator follows up the criterion.")))
            if crit == "gender_equality":
                parts += self._gender_parts()
        return Block(tuple(parts))

    def _gender_parts(self) -> list[Any]:
        p = self.project
        rows = []
        for ind in p.indicators:
            reported = [m for m in ind.reported() if m.period_end <= self.as_of and any(v is not None for v in m.gender().values())]
            if reported:
                m = reported[-1]
                rows.append((ind.name, m.value, m.women, m.men, m.non_binary, m.data_status == "illustrative"))
        out: list[Any] = []
        if rows:
            frame = pd.DataFrame(rows, columns=["name", "total", "women", "men", "non_binary", "illustrative"])
            out += self._illustrative_notice(bool(frame["illustrative"].any()))
            out.append(figure(charts.plot_gender_split(frame, lang=self.lang, source=self._source_line())))
            shown = frame.drop(columns=["illustrative"]).copy()
            shown["share_women"] = shown["women"] / shown["total"]
            shown.columns = [self.t("Indikator", "Indicator"), self.t("Totalt", "Total"), self.t("Kvinnor", "Women"), self.t("Män", "Men"),
                             self.t("Icke-binära", "Non-binary"), self.t("Andel kvinnor", "Share women")]
            out.append(table(shown, self.lang, formats={shown.columns[5]: "percent"}))
        if p.firms is not None and "women_led" in p.firms and p.firms["women_led"].notna().any():
            part = p.firms[p.firms["participant"]].drop_duplicates("firm_id")
            led = part["women_led"].dropna().astype(bool)
            t = self.min_cell("firms")
            if int(led.sum()) < t or int((~led).sum()) < t:  # either group small: its share would show it
                out.append(paragraph(self.t(
                    f"Andelen kvinnoledda bland de deltagande företagen visas inte, eftersom en av grupperna har färre än {t} företag.",
                    f"The share of women-led participating firms is not shown, as one of the groups has fewer than {t} firms.")))
            else:
                out.append(paragraph(self.t(
                    f"Av de deltagande företagen leds {self.pct(led.mean())} av kvinnor ({int(led.sum())} av {len(led)}).",
                    f"Of the participating firms, {self.pct(led.mean())} are led by women ({int(led.sum())} of {len(led)}).")))
        return out

    def risks(self) -> Block:
        from evaluation.plots import diagrams

        p = self.project
        parts: list[Any] = [self._heading("risks")]
        rows = [(n.id, n.statement, "; ".join(n.assumptions), "; ".join(n.risks)) for n in p.goal_tree.nodes if n.assumptions or n.risks]
        if rows:
            frame = pd.DataFrame(rows, columns=[self.t("Mål/aktivitet", "Goal/activity"), self.t("Formulering", "Statement"),
                                                self.t("Antaganden", "Assumptions"), self.t("Risker", "Risks")])
            parts.append(table(frame, self.lang))
        else:
            parts.append(paragraph(self.t("Målträdet anger inga antaganden eller risker.", "The goal tree states no assumptions or risks.")))
        legend = diagrams.link_legend(p.effect_chain, self.lang)
        if not legend.empty:
            parts.append(paragraph(self.t("Antaganden i effektlogiken (numrerade som i diagrammet):", "Assumptions in the effect logic (numbered as in the diagram):")))
            parts.append(table(legend, self.lang))
        parts.append(_Html("<h3>" + html.escape(self.t("Omvärldsfaktorer", "External factors")) + "</h3>"))
        parts.append(bullet_list(p.effect_chain.external_factors or [fmt.missing(self.lang)]))
        return Block(tuple(parts))

    def sustainability(self) -> Block:
        p = self.project
        parts: list[Any] = [self._heading("sustainability")]
        parts.append(paragraph(self.t(
            "Hållbarhet i DAC:s mening gäller om resultaten består efter projektslut. Underlaget redovisar följande lärdomar och vad som lever vidare:",
            "Sustainability in the DAC sense asks whether results last after the project. The data report these lessons and what continues:")))
        parts.append(bullet_list(p.lessons or [fmt.missing(self.lang)]))
        achieved = [r for r in self.indicator_rows if r.status == "achieved"]
        if achieved:
            parts.append(paragraph(self.t("Uppnådda mål: ", "Targets achieved: ") + "; ".join(r.indicator.name for r in achieved) + "."))
        return Block(tuple(parts))

    def provenance(self) -> Block:
        from evaluation.report.provenance import provenance, provenance_table

        notebook = self.params.notebook_path()
        files = [*self.project.files, *([notebook] if notebook.is_file() else [])]
        prov = provenance(files, self.params)
        frame = provenance_table(prov, self.lang)
        # the parameters themselves (not only their hash): what a re-run years later must be given
        values = {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in self.params.notebook_parameters().items()}
        params = pd.DataFrame([(f"{self.t('Parameter', 'Parameter')}: {k}", values[k]) for k in sorted(values)], columns=frame.columns)
        return Block((_Html("<h2>" + html.escape(self.t("Bilaga: Underlag och spårbarhet", "Appendix: Provenance")) + "</h2>"),
                      table(pd.concat([frame, params], ignore_index=True), self.lang)))

    def key_figures(self) -> KeyFigures:
        """The report's key figures, collected into ``<kind>.json``."""
        p = self.project
        indicators = {}
        for r in self.indicator_rows:
            indicators[r.indicator.id] = {
                "name": r.indicator.name, "code": r.indicator.code, "unit": r.indicator.unit, "role": r.indicator.effective_role(),
                "actual": r.actual, "target": r.target, "attainment": r.attainment,
                "expected": r.expected, "projected": r.projected, "status": r.status, "illustrative": r.illustrative,
            }
        participants = p.indicator_for("participants")
        women_share = None
        if participants is not None:
            rep = [m for m in participants.reported() if m.period_end <= self.as_of and m.women is not None]
            if rep and rep[-1].value:
                women_share = rep[-1].women / rep[-1].value
        cost = self.cost_per()
        return KeyFigures({
            "project": p.id, "name": p.name, "kind": self.kind, "as_of": self.as_of.isoformat(), "language": self.lang,
            "fund": p.fund, "start": p.start.isoformat(), "end": p.end.isoformat(),
            "illustrative": p.is_illustrative(),
            "budget_total_sek": p.budget.total, "outcome_total_sek": p.budget.outcome_total,
            "financing_total_sek": p.financing_total(),
            "participants_women_share": women_share,
            "coherence_score": self.coherence.score,
            "findings": {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")},
            "indicators": indicators,
            "cost_per_sek": {m: (None if pd.isna(v) else float(v)) for m, v in zip(cost["measure"], cost["cost_per"])},
        })


@dataclass(frozen=True, repr=False)
class _Html:
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return "<html fragment>"
