"""Portfolio view over several projects: one row per project, EU common indicators summed.

:func:`portfolio_table` gives per project the fund, period, budget, outcome, firms reached,
participants, share of women, jobs, cost per firm and per job and a summary of target
attainment. :func:`eu_indicator_totals` sums the EU common indicators (codes ``RCO..``,
``RCR..``, ``EECO..``, ``EECR..``) across projects, only over projects that report the code
in the same unit, and lists the projects that are missing or use another unit. A figure a
project does not report is NaN (shown as "uppgift saknas"), never 0.

The helpers ending in ``_view`` and the ``plot_`` functions serve the thin notebook
``notebooks/portfolio.ipynb``.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.analysis.indicators import attainment, latest_actual
from evaluation.core import fmt
from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.fmt import Language
from evaluation.core.model import Indicator, Project
from evaluation.io.loader import load_project
from evaluation.report import display

__all__ = [
    "EU_CODE_PREFIXES",
    "EU_INDICATOR_NAMES",
    "PORTFOLIO_COLUMNS",
    "TOTALS_COLUMNS",
    "load_projects",
    "firms_indicator",
    "participants_indicator",
    "jobs_indicator",
    "attainment_frame",
    "portfolio_table",
    "eu_indicator_totals",
    "key_figures",
    "heading",
    "illustrative_notice",
    "section",
    "portfolio_view",
    "eu_totals_view",
    "plot_budget_outcome",
    "plot_cost_per_firm",
    "plot_attainment",
]

EU_CODE_PREFIXES: tuple[str, ...] = ("RCO", "RCR", "EECO", "EECR")
"""Prefixes of the EU common indicator codes summed by :func:`eu_indicator_totals`."""

EU_INDICATOR_NAMES: dict[str, dict[str, str]] = {
    "RCO01": {"sv": "Företag som får stöd", "en": "Enterprises supported"},
    "RCO02": {"sv": "Företag som får stöd genom bidrag", "en": "Enterprises supported by grants"},
    "RCO04": {"sv": "Företag som får icke-finansiellt stöd", "en": "Enterprises with non-financial support"},
    "RCO05": {"sv": "Nystartade företag som får stöd", "en": "New enterprises supported"},
    "RCR01": {"sv": "Arbetstillfällen som skapats i stödda enheter", "en": "Jobs created in supported entities"},
    "RCR02": {"sv": "Privata investeringar som matchar offentligt stöd", "en": "Private investments matching public support"},
    "RCR03": {"sv": "Små och medelstora företag som infört produkt- eller processinnovationer",
              "en": "SMEs introducing product or process innovation"},
    "EECO01": {"sv": "Totalt antal deltagare", "en": "Total number of participants"},
}
"""Names of the common indicators known here; other codes are named after the first project's indicator."""

PORTFOLIO_COLUMNS: tuple[str, ...] = (
    "project", "name", "fund", "start", "end", "data_status", "illustrative",
    "budget_total", "outcome_total", "firms_reached", "participants", "share_women", "jobs",
    "cost_per_firm", "cost_per_job", "n_targets", "n_targets_met", "n_targets_not_reported",
    "attainment_median", "attainment_min",
)
"""Columns of :func:`portfolio_table`."""

TOTALS_COLUMNS: tuple[str, ...] = (
    "code", "name", "unit", "total", "n_contributing", "n_projects", "contributing", "missing",
    "other_unit",
)
"""Columns of :func:`eu_indicator_totals`."""


_TEXT: dict[str, dict[str, str]] = {
    "sv": {
        "title": "Portföljöversikt",
        "subtitle": "{n} projekt, uppgifter till och med {as_of}",
        "illustrative": "Projekt markerade (illustrativt) bygger på påhittade eller uppskattade siffror "
                        "och får inte läsas som verkliga resultat: {names}.",
        "illustrative_mark": " (illustrativt)",
        "s1": "Projekten i portföljen",
        "s2": "EU:s gemensamma indikatorer, summerade",
        "s3": "Kostnader och måluppfyllelse",
        "caption_table": "Belopp i kronor. Kostnad per företag och per arbetstillfälle = utfall delat med "
                         "antal. Uppgift saknas betyder att projektet inte redovisar värdet (aldrig noll).",
        "caption_totals": "Summan omfattar bara projekt som redovisar koden i samma enhet. Projekt utan "
                          "värde räknas inte som noll utan listas under Saknas.",
        "project": "Projekt", "name": "Namn", "fund": "Fond", "period": "Period", "budget": "Budget (kr)",
        "outcome": "Utfall (kr)", "firms": "Företag", "participants": "Deltagare", "women": "Andel kvinnor",
        "jobs": "Arbetstillfällen", "cpf": "Kostnad per företag (kr)", "cpj": "Kostnad per arbetstillfälle (kr)",
        "targets": "Mål nådda", "median": "Median måluppfyllelse",
        "code": "Kod", "indicator": "Indikator", "unit": "Enhet", "total": "Summa",
        "n": "Antal projekt", "contributing": "Bidrar", "missing": "Saknas", "other_unit": "Annan enhet",
        "of": "av", "none": "–",
        "budget_fig": "Budget och utfall per projekt", "money_axis": "Miljoner kronor (MSEK)",
        "cpf_fig": "Kostnad per nått företag", "cpf_axis": "Tusen kronor per företag (tkr)",
        "att_fig": "Måluppfyllelse per indikator", "att_axis": "Utfall i procent av målvärdet (%)",
        "target_line": "Målvärde (100 %)", "budget_bar": "Budget", "outcome_bar": "Utfall",
        "missing_mark": "uppgift saknas", "source": "Källa",
        "source_text": "projektens egna uppgifter; * = illustrativa värden",
        "level_output": "Output", "level_short_term": "Resultat (kort sikt)", "level_long_term": "Effekt (lång sikt)",
        "level_activity": "Aktivitet", "project_axis": "Projekt",
    },
    "en": {
        "title": "Portfolio overview",
        "subtitle": "{n} projects, figures up to {as_of}",
        "illustrative": "Projects marked (illustrative) rest on invented or estimated figures and must not "
                        "be read as real results: {names}.",
        "illustrative_mark": " (illustrative)",
        "s1": "The projects of the portfolio",
        "s2": "EU common indicators, summed",
        "s3": "Costs and target attainment",
        "caption_table": "Amounts in SEK. Cost per firm and per job = outcome divided by the number. "
                         "Not reported means the project does not report the value (never zero).",
        "caption_totals": "The total covers only projects reporting the code in the same unit. Projects "
                          "without a value are not counted as zero but listed under Missing.",
        "project": "Project", "name": "Name", "fund": "Fund", "period": "Period", "budget": "Budget (SEK)",
        "outcome": "Outcome (SEK)", "firms": "Firms", "participants": "Participants", "women": "Share women",
        "jobs": "Jobs", "cpf": "Cost per firm (SEK)", "cpj": "Cost per job (SEK)",
        "targets": "Targets met", "median": "Median attainment",
        "code": "Code", "indicator": "Indicator", "unit": "Unit", "total": "Total",
        "n": "Projects", "contributing": "Contributing", "missing": "Missing", "other_unit": "Other unit",
        "of": "of", "none": "–",
        "budget_fig": "Budget and outcome per project", "money_axis": "Million SEK (MSEK)",
        "cpf_fig": "Cost per firm reached", "cpf_axis": "Thousand SEK per firm (kSEK)",
        "att_fig": "Target attainment per indicator", "att_axis": "Actual as per cent of target (%)",
        "target_line": "Target (100%)", "budget_bar": "Budget", "outcome_bar": "Outcome",
        "missing_mark": "not reported", "source": "Source",
        "source_text": "the projects' own figures; * = illustrative values",
        "level_output": "Output", "level_short_term": "Result (short term)", "level_long_term": "Impact (long term)",
        "level_activity": "Activity", "project_axis": "Project",
    },
}

_SECTION_DAC: dict[int, tuple[str, ...]] = {1: ("effectiveness",), 2: ("effectiveness", "impact"), 3: ("efficiency", "effectiveness")}
_LEVEL_MARKERS: dict[str, tuple[str, str]] = {  # marker, face colour: readable in greyscale
    "activity": ("D", "white"), "output": ("o", "black"), "short_term": ("s", "white"), "long_term": ("^", "#8c8c8c"),
}


def _t(lang: str) -> dict[str, str]:
    if lang not in _TEXT:
        raise InputError([Problem("portfolio arguments", "lang", "'sv' or 'en'", lang)])
    return _TEXT[lang]


def _as_date(as_of: date | datetime | str | None) -> date | None:
    if as_of is None:
        return None
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError([Problem("portfolio arguments", "as_of", "a date written YYYY-MM-DD", as_of)]) from None


def _nan(x: float | None) -> float:
    return float("nan") if x is None else float(x)


def _check_projects(projects: Sequence[Project]) -> list[Project]:
    items = list(projects)
    problems = ProblemCollector()
    for i, p in enumerate(items):
        if not isinstance(p, Project):
            problems.add("portfolio arguments", f"projects[{i}]", "a loaded Project", type(p).__name__)
    ids = Counter(p.id for p in items if isinstance(p, Project))
    for pid, n in sorted(ids.items()):
        if n > 1:
            problems.add("portfolio arguments", "projects", "each project once", pid)
    problems.raise_if_any()
    return sorted(items, key=lambda p: p.id)


def load_projects(ids: Sequence[str | Path], *, data_dir: Path | None = None) -> tuple[Project, ...]:
    """Load every project (by id or folder); raise one InputError listing the problems of all of them."""
    if isinstance(ids, (str, Path)):
        raise InputError([Problem("portfolio arguments", "projects", "a list of project ids", ids)])
    loaded: list[Project] = []
    problems: list[Problem] = []
    for pid in ids:
        try:
            loaded.append(load_project(pid, data_dir=data_dir))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    return tuple(_check_projects(loaded))


# --------------------------------------------------------------------------- picking indicators


def firms_indicator(project: Project) -> Indicator | None:
    """The indicator of firms reached (its stated role, or the code RCO01), as the reports use it."""
    return project.indicator_for("firms_reached")


def participants_indicator(project: Project) -> Indicator | None:
    """The indicator of participants (its stated role, or the code EECO01)."""
    return project.indicator_for("participants")


def jobs_indicator(project: Project) -> Indicator | None:
    """The indicator of jobs created (its stated role, or the code RCR01)."""
    return project.indicator_for("jobs")


def _actual(ind: Indicator | None, as_of: date | None) -> float | None:
    if ind is None:
        return None
    return latest_actual(ind.values_frame(), ind.aggregation, as_of, file=f"indicator {ind.id}").value


def _share_women(ind: Indicator | None, as_of: date | None) -> float | None:
    """Women / total of the latest reported period (up to as_of) that reports women."""
    if ind is None:
        return None
    for m in sorted(ind.values, key=lambda m: m.period_end, reverse=True):
        if as_of is not None and m.period_end > as_of:
            continue
        if m.value is not None and m.women is not None and m.value > 0:
            return float(m.women) / float(m.value)
    return None


def _outcome(project: Project) -> float | None:
    if project.budget.outcome_total is not None:
        return float(project.budget.outcome_total)
    lines = project.budget.lines
    if lines and all(line.outcome is not None for line in lines):
        return float(math.fsum(float(line.outcome) for line in lines))  # type: ignore[arg-type]
    return None


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def attainment_frame(projects: Sequence[Project], as_of: date | str | None = None) -> pd.DataFrame:
    """One row per indicator with a target: project, indicator, level, unit, actual, target, attainment.

    ``actual`` is the running total at ``as_of`` (NaN when not reported); ``attainment`` is
    actual / target (NaN when not reported or the target is 0).
    """
    when = _as_date(as_of)
    rows = []
    for p in _check_projects(projects):
        for ind in p.indicators:
            if ind.target_value is None:
                continue
            act = _actual(ind, when)
            rows.append({
                "project": p.id, "indicator": ind.id, "name": ind.name, "level": ind.level, "unit": ind.unit or "",
                "actual": _nan(act), "target": float(ind.target_value),
                "attainment": _nan(attainment(act, ind.target_value)),
            })
    cols = ["project", "indicator", "name", "level", "unit", "actual", "target", "attainment"]
    return pd.DataFrame(rows, columns=cols)


def portfolio_table(projects: Sequence[Project], as_of: date | str | None = None) -> pd.DataFrame:
    """One row per project (sorted by id) with the columns of :data:`PORTFOLIO_COLUMNS`.

    Indicator figures are running totals at ``as_of`` (all periods when None): firms reached
    (:func:`firms_indicator`), participants and their share of women
    (:func:`participants_indicator`), jobs (:func:`jobs_indicator`). ``outcome_total`` is
    the stated outcome, else the sum of the cost lines when all report one. Costs per firm
    and per job divide the outcome by those counts. Target attainment counts the indicators
    with a target, those reached (actual >= target) and those not reported, with the median
    and minimum of actual/target. Anything not reported is NaN, never 0.
    """
    when = _as_date(as_of)
    items = _check_projects(projects)
    att = attainment_frame(items, when)
    rows = []
    for p in items:
        firms = _actual(firms_indicator(p), when)
        part_ind = participants_indicator(p)
        participants = _actual(part_ind, when)
        jobs = _actual(jobs_indicator(p), when)
        outcome = _outcome(p)
        mine = att[att["project"] == p.id]
        reported = mine["attainment"].dropna()
        rows.append({
            "project": p.id,
            "name": p.name,
            "fund": p.fund,
            "start": p.start,
            "end": p.end,
            "data_status": p.data_status,
            "illustrative": p.is_illustrative(),
            "budget_total": _nan(p.budget.total),
            "outcome_total": _nan(outcome),
            "firms_reached": _nan(firms),
            "participants": _nan(participants),
            "share_women": _nan(_share_women(part_ind, when)),
            "jobs": _nan(jobs),
            "cost_per_firm": _nan(_ratio(outcome, firms)),
            "cost_per_job": _nan(_ratio(outcome, jobs)),
            "n_targets": int(len(mine)),
            "n_targets_met": int((reported >= 1.0).sum()),
            "n_targets_not_reported": int(mine["actual"].isna().sum()),
            "attainment_median": float(reported.median()) if len(reported) else float("nan"),
            "attainment_min": float(reported.min()) if len(reported) else float("nan"),
        })
    frame = pd.DataFrame(rows, columns=list(PORTFOLIO_COLUMNS))
    for col in ("budget_total", "outcome_total", "firms_reached", "participants", "share_women", "jobs",
                "cost_per_firm", "cost_per_job", "attainment_median", "attainment_min"):
        frame[col] = frame[col].astype(float)
    for col in ("n_targets", "n_targets_met", "n_targets_not_reported"):
        frame[col] = frame[col].astype("int64")
    frame["illustrative"] = frame["illustrative"].astype(bool)
    return frame


def _is_eu_code(code: str | None) -> bool:
    return code is not None and code.startswith(EU_CODE_PREFIXES)


def eu_indicator_totals(projects: Sequence[Project], as_of: date | str | None = None,
                        lang: Language = "sv") -> pd.DataFrame:
    """EU common indicators summed across projects (columns :data:`TOTALS_COLUMNS`), one row per code.

    A code's unit is the one most projects use (ties: alphabetical). ``total`` sums the
    running totals at ``as_of`` of the projects reporting the code in that unit; it is NaN
    when none does. ``contributing`` lists them; ``missing`` lists the projects without
    the code or without a reported value (they are not counted as 0); ``other_unit`` those
    reporting it in another unit (left out of the sum). Lists are comma-separated ids.
    """
    when = _as_date(as_of)
    _t(lang)
    items = _check_projects(projects)
    codes = sorted({i.code for p in items for i in p.indicators if _is_eu_code(i.code)})  # type: ignore[misc]
    rows = []
    for code in codes:
        found: dict[str, Indicator] = {}
        for p in items:
            ind = p.indicator_by_code(code)
            if ind is not None:
                found[p.id] = ind
        units = Counter((ind.unit or "") for ind in found.values())
        unit = sorted(units.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        contributing: list[str] = []
        other_unit: list[str] = []
        missing: list[str] = []
        values: list[float] = []
        for p in items:
            ind = found.get(p.id)
            if ind is None:
                missing.append(p.id)
                continue
            if (ind.unit or "") != unit:
                other_unit.append(p.id)
                continue
            value = _actual(ind, when)
            if value is None:
                missing.append(p.id)
            else:
                contributing.append(p.id)
                values.append(value)
        first = next(iter(found.values()))
        name = EU_INDICATOR_NAMES.get(code, {}).get(lang, first.name)
        rows.append({
            "code": code,
            "name": name,
            "unit": unit,
            "total": float(math.fsum(values)) if values else float("nan"),
            "n_contributing": len(contributing),
            "n_projects": len(items),
            "contributing": ", ".join(contributing),
            "missing": ", ".join(missing),
            "other_unit": ", ".join(other_unit),
        })
    frame = pd.DataFrame(rows, columns=list(TOTALS_COLUMNS))
    frame["total"] = frame["total"].astype(float)
    frame["n_contributing"] = frame["n_contributing"].astype("int64")
    frame["n_projects"] = frame["n_projects"].astype("int64")
    return frame


def key_figures(table: pd.DataFrame, totals: pd.DataFrame) -> dict[str, Any]:
    """The portfolio's key figures for ``portfolio.json`` (sums over projects reporting; None if none)."""

    def total(col: str) -> float | None:
        values = table[col].dropna()
        return float(math.fsum(values)) if len(values) else None

    return {
        "n_projects": int(len(table)),
        "projects": list(table["project"]),
        "illustrative_projects": list(table.loc[table["illustrative"], "project"]),
        "budget_total_sek": total("budget_total"),
        "outcome_total_sek": total("outcome_total"),
        "n_projects_reporting_outcome": int(table["outcome_total"].notna().sum()),
        "eu_indicators": {
            str(r.code): {"unit": str(r.unit), "total": None if pd.isna(r.total) else float(r.total),
                          "n_contributing": int(r.n_contributing)}
            for r in totals.itertuples(index=False)
        },
    }


# --------------------------------------------------------------------------- notebook views


def heading(projects: Sequence[Project], as_of: date | str, lang: Language = "sv") -> display.HTML:
    """The report's title (h1) with the number of projects and the date."""
    t = _t(lang)
    when = _as_date(as_of)
    sub = t["subtitle"].format(n=len(list(projects)), as_of=fmt.date(when, lang))
    return display.HTML(f"<h1>{html.escape(t['title'])}</h1>\n<p class=\"subtitle\">{html.escape(sub)}</p>")


def illustrative_notice(projects: Sequence[Project], lang: Language = "sv") -> display.HTML:
    """A banner naming the illustrative projects (empty when there are none)."""
    t = _t(lang)
    names = [p.id for p in _check_projects(projects) if p.is_illustrative()]
    if not names:
        return display.HTML("")
    return display.notice(t["illustrative"].format(names=", ".join(names)), "illustrative", lang)


def section(number: int, lang: Language = "sv") -> display.HTML:
    """Section heading 1-3 of the portfolio report with its OECD DAC criteria."""
    t = _t(lang)
    if number not in _SECTION_DAC:
        raise InputError([Problem("portfolio arguments", "number", "1, 2 or 3", number)])
    return display.section(number, t[f"s{number}"], _SECTION_DAC[number], lang)


def portfolio_view(table: pd.DataFrame, lang: Language = "sv") -> display.HTML:
    """The portfolio table formatted for the report (illustrative projects marked in the name)."""
    t = _t(lang)
    shown = pd.DataFrame({
        t["project"]: table["project"],
        t["name"]: [n + (t["illustrative_mark"] if ill else "") for n, ill in zip(table["name"], table["illustrative"])],
        t["fund"]: table["fund"],
        t["period"]: [f"{s.isoformat()} – {e.isoformat()}" for s, e in zip(table["start"], table["end"])],
        t["budget"]: table["budget_total"],
        t["outcome"]: table["outcome_total"],
        t["firms"]: table["firms_reached"],
        t["participants"]: table["participants"],
        t["women"]: table["share_women"],
        t["jobs"]: table["jobs"],
        t["cpf"]: table["cost_per_firm"],
        t["cpj"]: table["cost_per_job"],
        t["targets"]: [f"{m} {t['of']} {n}" if n else t["none"] for m, n in zip(table["n_targets_met"], table["n_targets"])],
        t["median"]: table["attainment_median"],
    })
    formats = {t["budget"]: "money", t["outcome"]: "money", t["cpf"]: "money", t["cpj"]: "money",
               t["women"]: "percent", t["median"]: "percent"}
    decimals = {t["firms"]: 0, t["participants"]: 0, t["jobs"]: 1, t["women"]: 1, t["median"]: 0}
    return display.table(shown, lang, formats=formats, decimals=decimals, caption=t["caption_table"])  # type: ignore[arg-type]


def eu_totals_view(totals: pd.DataFrame, lang: Language = "sv") -> display.HTML:
    """The EU common indicator totals formatted for the report."""
    t = _t(lang)
    shown = pd.DataFrame({
        t["code"]: totals["code"],
        t["indicator"]: totals["name"],
        t["unit"]: totals["unit"],
        t["total"]: totals["total"],
        t["n"]: [f"{c} {t['of']} {n}" for c, n in zip(totals["n_contributing"], totals["n_projects"])],
        t["missing"]: [m or t["none"] for m in totals["missing"]],
        t["other_unit"]: [m or t["none"] for m in totals["other_unit"]],
    })
    return display.table(shown, lang, decimals={t["total"]: 0}, caption=t["caption_totals"])


# --------------------------------------------------------------------------- figures

_GREYS = ("#1a1a1a", "#8c8c8c", "#d9d9d9")


def _setup(ax: Axes | None, height: float) -> tuple[Figure, Axes]:
    if ax is None:
        fig = Figure(figsize=(8, height))
        ax = fig.add_subplot(1, 1, 1)
    else:
        fig = ax.figure  # type: ignore[assignment]
    return fig, ax


def _finish(fig: Figure, lang: str, source: str | None) -> Figure:
    t = _t(lang)
    text = source if source is not None else t["source_text"]
    fig.text(0.01, 0.005, f"{t['source']}: {text}", fontsize=7, ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def _labels(table: pd.DataFrame) -> list[str]:
    return [f"{pid}{' *' if ill else ''}" for pid, ill in zip(table["project"], table["illustrative"])]


def _mark_missing(ax: Axes, y: float, lang: str) -> None:
    ax.text(0, y, " " + _t(lang)["missing_mark"], va="center", ha="left", fontsize=7, style="italic")


def plot_budget_outcome(table: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                        source: str | None = None) -> Figure:
    """Horizontal bars of budget (light, hatched) and outcome (dark) per project, in MSEK."""
    t = _t(lang)
    fig, ax = _setup(ax, 0.5 * max(len(table), 3) + 1.5)
    y = np.arange(len(table), dtype=float)
    budget = table["budget_total"].to_numpy(dtype=float) / 1e6
    outcome = table["outcome_total"].to_numpy(dtype=float) / 1e6
    ax.barh(y - 0.2, np.nan_to_num(budget), height=0.38, color=_GREYS[2], hatch="//", edgecolor="black",
            linewidth=0.6, label=t["budget_bar"])
    ax.barh(y + 0.2, np.nan_to_num(outcome), height=0.38, color=_GREYS[0], edgecolor="black", linewidth=0.6,
            label=t["outcome_bar"])
    for yi, b, o in zip(y, budget, outcome):
        if math.isnan(b):
            _mark_missing(ax, yi - 0.2, lang)
        if math.isnan(o):
            _mark_missing(ax, yi + 0.2, lang)
    ax.set_yticks(y, _labels(table))
    ax.invert_yaxis()
    ax.set_title(t["budget_fig"])
    ax.set_xlabel(t["money_axis"])
    ax.set_ylabel(t["project_axis"])
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, lang, source)


def plot_cost_per_firm(table: pd.DataFrame, ax: Axes | None = None, *, lang: Language = "sv",
                       source: str | None = None) -> Figure:
    """Horizontal bars of the cost per firm reached, in thousand SEK; not reported is marked, not 0."""
    t = _t(lang)
    fig, ax = _setup(ax, 0.4 * max(len(table), 3) + 1.5)
    y = np.arange(len(table), dtype=float)
    values = table["cost_per_firm"].to_numpy(dtype=float) / 1e3
    ax.barh(y, np.nan_to_num(values), height=0.6, color=_GREYS[1], edgecolor="black", linewidth=0.6)
    for yi, v in zip(y, values):
        if math.isnan(v):
            _mark_missing(ax, yi, lang)
        else:
            ax.text(v, yi, " " + fmt.number(v, lang, 0), va="center", ha="left", fontsize=7)
    ax.set_yticks(y, _labels(table))
    ax.invert_yaxis()
    ax.set_title(t["cpf_fig"])
    ax.set_xlabel(t["cpf_axis"])
    ax.set_ylabel(t["project_axis"])
    ax.margins(x=0.15)
    return _finish(fig, lang, source)


def plot_attainment(projects: Sequence[Project], as_of: date | str | None = None, ax: Axes | None = None, *,
                    lang: Language = "sv", source: str | None = None) -> Figure:
    """Actual as per cent of target for every indicator with a target; marker shape = effect level."""
    t = _t(lang)
    items = _check_projects(projects)
    frame = attainment_frame(items, as_of)
    fig, ax = _setup(ax, 0.5 * max(len(items), 3) + 1.5)
    order = {p.id: i for i, p in enumerate(items)}
    illustrative = {p.id: p.is_illustrative() for p in items}
    for level, (marker, face) in _LEVEL_MARKERS.items():
        part = frame[(frame["level"] == level) & frame["attainment"].notna()]
        if part.empty:
            continue
        ys = [order[p] for p in part["project"]]
        ax.scatter(part["attainment"].to_numpy(dtype=float) * 100, ys, marker=marker, facecolors=face,
                   edgecolors="black", s=40, linewidths=0.8, label=t[f"level_{level}"], zorder=3)
    for pid, y in order.items():
        if not ((frame["project"] == pid) & frame["attainment"].notna()).any():
            _mark_missing(ax, y, lang)
    ax.axvline(100, color="black", linestyle="--", linewidth=1, label=t["target_line"])
    ax.set_yticks(list(order.values()), [f"{pid}{' *' if illustrative[pid] else ''}" for pid in order])
    ax.set_ylim(len(items) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_title(t["att_fig"])
    ax.set_xlabel(t["att_axis"])
    ax.set_ylabel(t["project_axis"])
    ax.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _finish(fig, lang, source)

