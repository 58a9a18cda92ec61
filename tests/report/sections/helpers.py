"""Helpers of the section tests: reports built in-process (no kernel) and their HTML read back as text and tables.

Figures are the ones the library computes from data/ (NIS 6.0 as published in its final report;
HSO and SAM with illustrative monitoring values; NBA without a jobs outcome) or from tiny
projects written with the conftest builder whose numbers are worked out by hand in the tests.
Babel writes Swedish numbers with no-break spaces (U+00A0); :func:`plain` turns them into
plain spaces before comparing, and a few tests check that the no-break spaces are there.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from evaluation.io.loader import load_project
from evaluation.report import sections
from evaluation.report.params import validate_notebook_parameters
from evaluation.report.sections import SECTIONS, Block, ReportContext

NBSP = "\u00a0"


BANNER = 'class="notice notice-illustrative"'


EVIL = "<script>alert(1)</script>"


# Section order, Swedish title and the OECD DAC tag each section must show (pinned here, not
# read back from sections.TITLES, so a renumbered or retagged section fails).
DAC_SV = {
    "summary": ("Sammanfattning och rekommendationer", "Relevans, Effektivitet, Effekter"),
    "project_description": ("Projektet", "Relevans, Samstämmighet"),
    "method": ("Metod och datakällor", None),
    "project_logic": ("P1 Projektlogik", "Relevans, Samstämmighet"),
    "process": ("P2 Process", "Effektivitet, Kostnadseffektivitet"),
    "key_figures_section": ("N1 Nyckelaktiviteter, N3 Nyckeltal", "Effektivitet"),
    "attainment": ("Måluppfyllelse", "Effektivitet, Effekter"),
    "participating_firms": ("Deltagande företag", "Effekter"),
    "surveys": ("Enkätresultat", "Relevans, Effektivitet"),
    "efficiency": ("Kostnadseffektivitet och finansiering", "Kostnadseffektivitet"),
    "horizontal": ("Horisontella kriterier", "Relevans, Samstämmighet"),
    "risks": ("Risker och antaganden", "Hållbarhet, Effektivitet"),
    "sustainability": ("Hållbarhet och lärdomar", "Hållbarhet"),
    "budget": ("Budget och upparbetning", "Kostnadseffektivitet"),
    "public_debate": ("P3 Public debate: spridning och påverkan", "Effekter, Relevans"),
    "key_persons": ("N2 Nyckelpersoner", "Effektivitet"),
    "evidence_map": ("Förändringsteorin prövad: evidenskarta", "Effektivitet, Effekter, Samstämmighet"),
    "follow_up": ("Uppföljning av halvtidsutvärderingen", "Effektivitet"),
    "recommendations_section": ("Rekommendationer", None),
    "conclusions": ("Slutsatser", "Relevans, Samstämmighet, Effektivitet, Kostnadseffektivitet, Effekter, Hållbarhet"),
}


ORDER = {
    "midterm": ("summary", "project_description", "method", "project_logic", "process", "public_debate", "key_figures_section",
                "key_persons", "surveys", "budget", "horizontal", "risks", "evidence_map", "recommendations_section",
                "conclusions"),
    "final": ("summary", "project_description", "method", "project_logic", "process", "public_debate", "key_figures_section",
              "key_persons", "attainment", "participating_firms", "surveys", "efficiency", "horizontal", "risks", "sustainability",
              "evidence_map", "follow_up", "recommendations_section", "conclusions"),
}


def plain(text: str) -> str:
    """HTML text with entities decoded and no-break spaces as plain spaces."""
    return html.unescape(text).replace(NBSP, " ")


class _TableParser(HTMLParser):
    """Collects every <table> as a list of rows of cell texts (th and td alike)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).replace(NBSP, " ").strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(block: Block) -> list[list[list[str]]]:
    """Every table of a block, as rows of cell texts (no-break spaces made plain)."""
    parser = _TableParser()
    parser.feed(block.text())
    return parser.tables


def table_with(block: Block, header: str) -> list[list[str]]:
    """The first table of ``block`` whose header row starts with ``header``."""
    for t in tables(block):
        if t and t[0] and t[0][0] == header:
            return t
    raise AssertionError(f"no table starting with {header!r} in the block")


def heading(block: Block) -> tuple[str, str, str | None]:
    """(number, title, DAC tag text or None) of a section block's heading."""
    text = block.text()
    m = re.search(r'<h2 class="report-section"[^>]*><span class="section-number">([^<]*)</span> ([^<]*)</h2>', text)
    assert m, "no numbered section heading"
    dac = re.search(r'<span class="dac-tags"[^>]*>([^<]*)</span>', text)
    return m.group(1), html.unescape(m.group(2)), html.unescape(dac.group(1)) if dac else None


def open_report(project: str | Path, kind: str, as_of: str, lang: str = "sv", **extra: Any) -> ReportContext:
    """A report context built the way the notebooks build it: validated parameters plus the loaded project."""
    if isinstance(project, Path):
        params = validate_notebook_parameters(project=project.name, kind=kind, as_of=as_of, language=lang,
                                              project_exists=None, **extra)
    else:
        params = validate_notebook_parameters(project=project, kind=kind, as_of=as_of, language=lang, **extra)
    return ReportContext.build(params, load_project(project))


def all_blocks(report: ReportContext) -> dict[str, Block]:
    """Title, every section of the report's kind and the provenance appendix."""
    names = ("title", *SECTIONS[report.kind], "provenance")
    return {name: getattr(sections, name)(report) for name in names}


class Lazy:
    """Section blocks of one report, each computed on first use (figures are slow to draw)."""

    def __init__(self, report: ReportContext) -> None:
        self.report = report
        self._blocks: dict[str, Block] = {}

    def __getitem__(self, name: str) -> Block:
        if name not in self._blocks:
            self._blocks[name] = getattr(sections, name)(self.report)
        return self._blocks[name]

    def text(self, name: str) -> str:
        return plain(self[name].text())


def value(indicator: str, period_end: str, v: object, **extra: object) -> dict[str, object]:
    """One row of indicator_values.csv (verified, source 'src')."""
    return {"indicator": indicator, "period_end": period_end, "value": v, "status": "verified", "source": "src", **extra}


def final_values() -> list[dict[str, object]]:
    return [value("out1", "2025-12-31", 10), value("res1", "2025-12-31", 5)]


# Baseline 0 on 2024-01-01, target on 2025-08-23 (600 days later); as of 2024-10-27 (300 days).
# out1 (target 100): running totals 10, 30, 30 after 100, 200, 300 days. Pro-rata: 100 * 300/600 = 50.
#   OLS through (0,0), (100,10), (200,30), (300,30): slope 5500/50000 = 0.11, intercept 1,
#   at 600 days 1 + 66 = 67; residuals -1, -2, 7, -4, s^2 = 70/2 = 35,
#   se = sqrt(35 * (1 + 1/4 + 450^2/50000)) = sqrt(185.5); t(0.975, 2) = 4.302653 -> 67 -+ 58.60 = 8..126.
#   30/50 = 0.6 < 0.7 and 67 < 100: off track ("ej i fas").
# res1 (target 5): one value 2 after 300 days. Pro-rata 2.5; average rate 2/300 per day -> 4 at 600 days (no band);
#   2/2.5 = 0.8: at risk.
T_975_2 = 4.302652729749462
