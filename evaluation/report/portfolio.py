"""The portfolio report's views: heading, notice, section headings, formatted tables and key figures.

The thin notebook ``notebooks/portfolio.ipynb`` loads the projects and computes the tables with
:mod:`evaluation.analysis.portfolio`, draws the figures with :mod:`evaluation.plots.portfolio` and
shows them with the functions here. A figure a project does not report is shown as
"uppgift saknas", never 0.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from evaluation.analysis.portfolio import as_date, check_projects
from evaluation.core import fmt
from evaluation.core.errors import InputError, Problem, check_language
from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import Project
from evaluation.report import display

__all__ = [
    "key_figures",
    "heading",
    "illustrative_notice",
    "section",
    "portfolio_view",
    "eu_totals_view",
]

_SECTION_DAC: dict[int, tuple[str, ...]] = {1: ("effectiveness",), 2: ("effectiveness", "impact"), 3: ("efficiency", "effectiveness")}
_NONE = "–"
"""Shown in a table cell that has nothing to list."""


def _check_language(lang: object) -> None:
    check_language(lang, "portfolio arguments", "lang")


def _section_title(number: int, lang: Language) -> str:
    return {
        1: text(lang, "The projects of the portfolio"),
        2: text(lang, "EU common indicators, summed"),
        3: text(lang, "Costs and target attainment"),
    }[number]


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


def heading(projects: Sequence[Project], as_of: date | str, lang: Language = "sv") -> display.HTML:
    """The report's title (h1) with the number of projects and the date."""
    _check_language(lang)
    when = as_date(as_of)
    sub = text(lang, "{n} projects, figures up to {as_of}", n=len(list(projects)), as_of=fmt.date(when, lang))
    title = text(lang, "Portfolio overview")
    return display.HTML(f"<h1>{html.escape(title)}</h1>\n<p class=\"subtitle\">{html.escape(sub)}</p>")


def illustrative_notice(projects: Sequence[Project], lang: Language = "sv") -> display.HTML:
    """A banner naming the illustrative projects (empty when there are none)."""
    _check_language(lang)
    names = [p.id for p in check_projects(projects) if p.is_illustrative()]
    if not names:
        return display.HTML("")
    message = text(lang, "Projects marked (illustrative) rest on invented or estimated figures and must not "
                         "be read as real results: {names}.", names=", ".join(names))
    return display.notice(message, "illustrative", lang)


def section(number: int, lang: Language = "sv") -> display.HTML:
    """Section heading 1-3 of the portfolio report with its OECD DAC criteria."""
    _check_language(lang)
    if number not in _SECTION_DAC:
        raise InputError([Problem("portfolio arguments", "number", "1, 2 or 3", number)])
    return display.section(number, _section_title(number, lang), _SECTION_DAC[number], lang)


def portfolio_view(table: pd.DataFrame, lang: Language = "sv") -> display.HTML:
    """The portfolio table formatted for the report (illustrative projects marked in the name)."""
    _check_language(lang)
    budget = ptext(lang, "portfolio table", "Budget (SEK)")
    outcome = ptext(lang, "portfolio table", "Outcome (SEK)")
    firms = ptext(lang, "portfolio table", "Firms")
    participants = ptext(lang, "portfolio table", "Participants")
    women = ptext(lang, "portfolio table", "Share women")
    jobs = ptext(lang, "portfolio table", "Jobs")
    cpf = ptext(lang, "portfolio table", "Cost per firm (SEK)")
    cpj = ptext(lang, "portfolio table", "Cost per job (SEK)")
    median = ptext(lang, "portfolio table", "Median attainment")
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Project"): table["project"],
        ptext(lang, "portfolio table", "Name"): [
            text(lang, "{name} (illustrative)", name=n) if ill else n for n, ill in zip(table["name"], table["illustrative"])
        ],
        ptext(lang, "portfolio table", "Fund"): table["fund"],
        ptext(lang, "portfolio table", "Period"): [f"{s.isoformat()} – {e.isoformat()}" for s, e in zip(table["start"], table["end"])],
        budget: table["budget_total"],
        outcome: table["outcome_total"],
        firms: table["firms_reached"],
        participants: table["participants"],
        women: table["share_women"],
        jobs: table["jobs"],
        cpf: table["cost_per_firm"],
        cpj: table["cost_per_job"],
        ptext(lang, "portfolio table", "Targets met"): [
            ptext(lang, "portfolio table", "{count} of {total}", count=m, total=n) if n else _NONE
            for m, n in zip(table["n_targets_met"], table["n_targets"])
        ],
        median: table["attainment_median"],
    })
    formats = {budget: "money", outcome: "money", cpf: "money", cpj: "money", women: "percent", median: "percent"}
    decimals = {firms: 0, participants: 0, jobs: 1, women: 1, median: 0}
    caption = text(lang, "Amounts in SEK. Cost per firm and per job = outcome divided by the number. "
                         "Not reported means the project does not report the value (never zero).")
    return display.table(shown, lang, formats=formats, decimals=decimals, caption=caption)  # type: ignore[arg-type]


def eu_totals_view(totals: pd.DataFrame, lang: Language = "sv") -> display.HTML:
    """The EU common indicator totals formatted for the report."""
    _check_language(lang)
    total = ptext(lang, "portfolio table", "Total")
    shown = pd.DataFrame({
        ptext(lang, "portfolio table", "Code"): totals["code"],
        ptext(lang, "portfolio table", "Indicator"): totals["name"],
        ptext(lang, "portfolio table", "Unit"): totals["unit"],
        total: totals["total"],
        ptext(lang, "portfolio table", "Projects"): [
            ptext(lang, "portfolio table", "{count} of {total}", count=c, total=n)
            for c, n in zip(totals["n_contributing"], totals["n_projects"])
        ],
        ptext(lang, "portfolio table", "Missing"): [m or _NONE for m in totals["missing"]],
        ptext(lang, "portfolio table", "Other unit"): [m or _NONE for m in totals["other_unit"]],
    })
    caption = text(lang, "The total covers only projects reporting the code in the same unit. Projects "
                         "without a value are not counted as zero but listed under Missing.")
    return display.table(shown, lang, decimals={total: 0}, caption=caption)
