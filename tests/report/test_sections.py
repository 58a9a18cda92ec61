"""Tests for evaluation.report.sections: the content of every report section, built in-process (no kernel).

Figures are the ones the library computes from data/ (NIS 6.0 as published in its final report;
HSO and SAM with illustrative monitoring values; NBA without a jobs outcome) or from tiny
projects written with the conftest builder whose numbers are worked out by hand here.
Babel writes Swedish numbers with no-break spaces (U+00A0); :func:`plain` turns them into
plain spaces before comparing, and a few tests check that the no-break spaces are there.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import minimal_spec, write_project

from evaluation.core import fmt, paths
from evaluation.core.errors import ParameterError
from evaluation.io.loader import load_project
from evaluation.report.params import validate_notebook_parameters
from evaluation.report.sections import SECTIONS, Block, Report

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
    "key_figures_section": ("N1 Nyckelaktiviteter, N2 Nyckelpersoner, N3 Nyckeltal", "Effektivitet"),
    "attainment": ("Måluppfyllelse", "Effektivitet, Effekter"),
    "participating_firms": ("Deltagande företag", "Effekter"),
    "surveys": ("Enkätresultat", "Relevans, Effektivitet"),
    "efficiency": ("Kostnadseffektivitet och finansiering", "Kostnadseffektivitet"),
    "horizontal": ("Horisontella kriterier", "Relevans, Samstämmighet"),
    "risks": ("Risker och antaganden", "Hållbarhet, Effektivitet"),
    "sustainability": ("Hållbarhet och lärdomar", "Hållbarhet"),
}
ORDER = {
    "midterm": ("summary", "project_description", "method", "project_logic", "process", "key_figures_section",
                "surveys", "horizontal", "risks"),
    "final": ("summary", "project_description", "method", "project_logic", "process", "key_figures_section",
              "attainment", "participating_firms", "surveys", "efficiency", "horizontal", "risks", "sustainability"),
}


# --------------------------------------------------------------------------- helpers


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


def open_report(project: str | Path, kind: str, as_of: str, lang: str = "sv", **extra: Any) -> Report:
    """A Report built the way the notebooks build it: validated parameters plus the loaded project."""
    if isinstance(project, Path):
        params = validate_notebook_parameters(project=project.name, kind=kind, as_of=as_of, language=lang,
                                              project_exists=None, **extra)
    else:
        params = validate_notebook_parameters(project=project, kind=kind, as_of=as_of, language=lang, **extra)
    return Report(params, load_project(project))


def all_blocks(report: Report) -> dict[str, Block]:
    """Title, every section of the report's kind and the provenance appendix."""
    names = ("title", *SECTIONS[report.kind], "provenance")
    return {name: getattr(report, name)() for name in names}


class _Lazy:
    """Section blocks of one report, each computed on first use (figures are slow to draw)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._blocks: dict[str, Block] = {}

    def __getitem__(self, name: str) -> Block:
        if name not in self._blocks:
            self._blocks[name] = getattr(self.report, name)()
        return self._blocks[name]

    def text(self, name: str) -> str:
        return plain(self[name].text())


@pytest.fixture(scope="module")
def nis60() -> _Lazy:
    """The NIS 6.0 final report in Swedish (data/nis60, as of 31 December 2022)."""
    return _Lazy(open_report("nis60", "final", "2022-12-31"))


@pytest.fixture(scope="module")
def nis60_en() -> _Lazy:
    """The NIS 6.0 final report in English."""
    return _Lazy(open_report("nis60", "final", "2022-12-31", "en"))


@pytest.fixture(scope="module")
def nba() -> _Lazy:
    """The NBA final report (data/nba, as of 31 May 2019): the jobs target has no outcome."""
    return _Lazy(open_report("nba", "final", "2019-05-31"))


@pytest.fixture(scope="module")
def midterms() -> dict[str, _Lazy]:
    """The HSO and SAM mid-term reports (illustrative monitoring values), as in params/."""
    return {"hso": _Lazy(open_report("hso", "midterm", "2025-08-31")),
            "sam": _Lazy(open_report("sam", "midterm", "2025-06-30"))}


def value(indicator: str, period_end: str, v: object, **extra: object) -> dict[str, object]:
    """One row of indicator_values.csv (verified, source 'src')."""
    return {"indicator": indicator, "period_end": period_end, "value": v, "status": "verified", "source": "src", **extra}


# --------------------------------------------------------------------------- NIS 6.0 (published figures)


def test_nis60_firms_reached_sentence(nis60: _Lazy) -> None:
    """NIS 6.0: "Projektet har nått 503 företag mot målvärdet 400 (126 %)" in summary, N3 and attainment."""
    sentence = "Projektet har nått 503 företag mot målvärdet 400 (126 %)."
    for name in ("summary", "key_figures_section", "attainment"):
        assert sentence in nis60.text(name), name
    built = (f"Projektet har nått {fmt.number(503, 'sv')} företag mot målvärdet {fmt.number(400, 'sv')} "
             f"({fmt.percent(503 / 400, 'sv', 0)}).")
    assert NBSP in built and built in html.unescape(nis60["summary"].text())
    assert f"126{NBSP}%" in html.unescape(nis60["summary"].text())


def test_nis60_women_share_of_participants(nis60: _Lazy) -> None:
    """NIS 6.0: 49,7 % women, 1 466 of 2 949 participants, in the summary and the gender table."""
    assert "Andelen kvinnor bland deltagarna är 49,7 % (1 466 av 2 949 deltagare)." in nis60.text("summary")
    raw = html.unescape(nis60["summary"].text())
    assert f"1{NBSP}466 av 2{NBSP}949" in raw
    gender = table_with(nis60["horizontal"], "Indikator")
    assert gender[1] == ["Deltagare i projektets aktiviteter", "2 949", "1 466", "1 483", "uppgift saknas", "49,7 %"]


def test_nis60_employee_table_of_32_firms(nis60: _Lazy) -> None:
    """NIS 6.0: 32 firms, totals 159,5 -> 202 (42,5) and the published 43,5; a notice names the gap."""
    rows = table_with(nis60["participating_firms"], "Företag")
    assert rows[0] == ["Företag", "Anställda 2019", "Anställda okt-22", "Förändring", "Publicerad ökning"]
    firms = rows[1:-1]
    assert len(firms) == 32
    assert rows[-1] == ["Summa", "159,5", "202", "42,5", "43,5"]
    fruktvin = next(r for r in firms if r[0] == "Norrlands fruktvin")
    assert fruktvin[1:] == ["1", "1", "0", "1"]
    text = nis60.text("participating_firms")
    assert "De 32 deltagande företagen hade 159,5 anställda 2019 och 202 okt-22, en förändring med 42,5 (26,6 %)." in text
    assert "Den publicerade ökningen är 43,5 (27 %), medan kolumnerna ger 42,5" in text
    assert 'class="notice notice-warning"' in nis60["participating_firms"].text()


def test_nis60_budget_against_outcome(nis60: _Lazy) -> None:
    """NIS 6.0: budget 16 713 030 kr against outcome 15 470 690 kr, 1 242 340 kr under budget."""
    assert ("Utfallet blev 15 470 690 kr mot budgeten 16 713 030 kr, 1 242 340 kr under budget."
            in nis60.text("summary"))
    assert f"16{NBSP}713{NBSP}030{NBSP}kr" in html.unescape(nis60["summary"].text())
    lines = table_with(nis60["efficiency"], "Kostnadsslag")
    assert lines[-1] == ["Totalt", "16 713 030 kr", "15 470 690 kr", "-1 242 340 kr", "100,0 %"]
    personal = next(r for r in lines if r[0] == "Personal")
    assert personal == ["Personal", "uppgift saknas", "7 095 150 kr", "uppgift saknas", "45,9 %"]


def test_nis60_financing_shares(nis60: _Lazy) -> None:
    """NIS 6.0: Tillväxtverket 7 735 351 kr is 50,0 % of the 15 477 874 kr financing."""
    shares = table_with(nis60["project_description"], "Finansiär")
    assert shares[1] == ["Tillväxtverket", "7 735 351 kr", "50,0 %"]
    assert shares[2] == ["Region Västerbotten", "2 443 502 kr", "15,8 %"]
    assert shares[-1] == ["Totalt", "15 477 874 kr", "100,0 %"]
    assert len(shares) == 1 + 7 + 1


def test_nis60_cost_per_firm(nis60: _Lazy) -> None:
    """NIS 6.0: cost per firm reached 30 757 kr (15 470 690 / 503), per participant 5 246 kr."""
    cost = table_with(nis60["efficiency"], "Mått")
    assert cost[1][:3] == ["Kostnad per nått företag", "503", "30 757 kr"]
    assert cost[2][:3] == ["Kostnad per deltagare", "2 949", "5 246 kr"]
    assert cost[1][3] == "Antal företag som nåtts av projektet (slutrapport)"


def test_nis60_key_figures_json(nis60: _Lazy) -> None:
    """key_figures(): firms_reached attainment 1.2575, cost per firm reached 30 756.84 kr, women 1 466/2 949."""
    data = nis60.report.key_figures().data
    assert data["project"] == "nis60" and data["kind"] == "final" and data["as_of"] == "2022-12-31"
    firms = data["indicators"]["firms_reached"]
    assert firms["actual"] == 503 and firms["target"] == 400
    assert firms["attainment"] == pytest.approx(1.2575)
    assert firms["status"] == "achieved"
    assert data["cost_per_sek"]["per_firm_reached"] == pytest.approx(30756.84, abs=0.01)
    assert data["cost_per_sek"]["per_participant"] == pytest.approx(15470690 / 2949)
    assert data["participants_women_share"] == pytest.approx(1466 / 2949)
    assert data["budget_total_sek"] == 16713030 and data["outcome_total_sek"] == 15470690
    assert data["financing_total_sek"] == 15477874
    assert data["indicators"]["participants"]["target"] is None
    assert data["findings"]["error"] == 0


def test_nis60_published_jobs_indicator(nis60: _Lazy) -> None:
    """NIS 6.0: the jobs indicator reports the published 43,5 against the target 40 (109 %)."""
    assert ("Ökning av antal anställda i företagen i Program för tillväxt: 43,5 anställda mot målvärdet 40 (109 %)."
            in nis60.text("attainment"))


def test_no_comparison_firms_notice_in_report_language(nis60: _Lazy, nis60_en: _Lazy) -> None:
    """The "effect cannot be estimated" notice is written in the report's language only."""
    sv = nis60.text("participating_firms")
    en = nis60_en.text("participating_firms")
    assert "Det finns inga jämförelseföretag" in sv and "There are no comparison firms" not in sv
    assert "There are no comparison firms" in en and "Det finns inga jämförelseföretag" not in en


# --------------------------------------------------------------------------- every section: number and DAC tag


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_sections_of_each_kind_in_order(kind: str) -> None:
    """SECTIONS lists the sections of each kind in the pinned order."""
    assert SECTIONS[kind] == ORDER[kind]


def test_every_final_section_has_number_title_and_dac_tag(nis60: _Lazy) -> None:
    """Every final-report section shows its number (1-13), its Swedish title and its OECD DAC tag."""
    for number, name in enumerate(ORDER["final"], start=1):
        title, dac = DAC_SV[name]
        assert heading(nis60[name]) == (str(number), title, dac), name
        if dac is not None:
            assert "OECD DAC-kriterier:" in nis60.text(name)


def test_every_midterm_section_has_number_title_and_dac_tag(midterms: dict[str, _Lazy]) -> None:
    """Every mid-term section shows its number (1-9), its Swedish title and its OECD DAC tag."""
    hso = midterms["hso"]
    for number, name in enumerate(ORDER["midterm"], start=1):
        title, dac = DAC_SV[name]
        assert heading(hso[name]) == (str(number), title, dac), name


def test_english_report(nis60_en: _Lazy) -> None:
    """language=en: English sentences, English numbers (126%, 1,466) and English headings and tags."""
    summary = nis60_en.text("summary")
    assert "The project has reached 503 firms against the target 400 (126%)." in summary
    assert "Women make up 49.7% of the participants (1,466 of 2,949)." in summary
    assert "The outcome was SEK 15,470,690 against the budget SEK 16,713,030, SEK 1,242,340 under budget." in summary
    assert heading(nis60_en["summary"]) == ("1", "Summary and recommendations", "Relevance, Effectiveness, Impact")
    assert heading(nis60_en["efficiency"]) == ("10", "Efficiency and financing", "Efficiency")
    cost = table_with(nis60_en["efficiency"], "Measure")
    assert cost[1][:3] == ["Cost per firm reached", "503", "SEK 30,757"]
    for name in ("summary", "efficiency", "key_figures_section", "attainment"):
        text = nis60_en.text(name)
        for swedish in ("uppgift saknas", "mot målvärdet", "OECD DAC-kriterier", "Källa:", "Uppnått"):
            assert swedish not in text, (name, swedish)


def test_report_open_validates_parameters() -> None:
    """Report.open validates like the notebook does: a wrong parameter is a ParameterError."""
    report = Report.open(project="nis60", kind="final", as_of="2022-12-31", language="sv",
                         formats=["html"], small_cell_threshold=5)
    assert report.kind == "final" and report.as_of == date(2022, 12, 31) and report.project.id == "nis60"
    with pytest.raises(ParameterError, match="'colour'"):
        Report.open(project="nis60", kind="final", as_of="2022-12-31", colour="red")
    with pytest.raises(ParameterError, match="'as_of'"):
        Report.open(project="nis60", kind="final", as_of="31/12/2022")


# --------------------------------------------------------------------------- illustrative values


def _illustrative_sources(report: Report) -> dict[str, bool]:
    """Per section: do the data it shows include illustrative values? (worked out from the project)."""
    p = report.project
    as_of = report.as_of

    def ind_values(ind_ids: set[str] | None = None, need_target: bool = False) -> bool:
        return any(m.data_status == "illustrative" and m.period_end <= as_of
                   for i in p.indicators if (ind_ids is None or i.id in ind_ids)
                   and (not need_target or i.target_value is not None) for m in i.values)

    frame_illustrative = {
        name: frame is not None and bool((frame["data_status"] == "illustrative").any())
        for name, frame in (("firms", p.firms), ("survey", p.survey))
    }
    horizontal_ids = {i for h in p.horizontal for i in h.indicators}
    gender_ids = {i.id for i in p.indicators if any(v is not None for m in i.values for v in m.gender().values())}
    roles = {i.id for i in p.indicators if i.effective_role() in ("firms_reached", "participants", "jobs")}
    budget = p.budget.data_status == "illustrative" or any(line.data_status == "illustrative" for line in p.budget.lines)
    return {
        "summary": ind_values(),
        "project_description": any(f.data_status == "illustrative" for f in p.financiers),
        "process": any(a.data_status == "illustrative" for a in p.activities),
        "key_figures_section": ind_values() or any(s.data_status == "illustrative" for s in p.funnel),
        "attainment": ind_values(need_target=True),
        "participating_firms": frame_illustrative["firms"],
        "surveys": frame_illustrative["survey"],
        "efficiency": budget or any(f.data_status == "illustrative" for f in p.financiers) or ind_values(roles),
        "horizontal": ind_values(horizontal_ids | gender_ids),
    }


@pytest.mark.parametrize("pid", ["hso", "sam"])
def test_midterm_illustrative_banner_in_title(midterms: dict[str, _Lazy], pid: str) -> None:
    """HSO/SAM mid-term: the title carries the ILLUSTRATIVA banner."""
    title = midterms[pid]["title"].text()
    assert BANNER in title
    assert "ILLUSTRATIVA uppföljningsvärden" in plain(title)


@pytest.mark.parametrize("pid", ["hso", "sam"])
def test_midterm_banner_in_every_section_with_illustrative_values(midterms: dict[str, _Lazy], pid: str) -> None:
    """HSO/SAM mid-term: every section whose data include illustrative values shows the banner."""
    lazy = midterms[pid]
    sources = _illustrative_sources(lazy.report)
    checked = [name for name in SECTIONS["midterm"] if sources.get(name)]
    assert {"summary", "process", "key_figures_section", "horizontal"} <= set(checked)
    for name in checked:
        assert BANNER in lazy[name].text(), f"{pid}: section {name} shows illustrative values without the banner"


@pytest.mark.parametrize("pid", ["hso", "sam", "nis60"])
def test_illustrative_label_next_to_illustrative_indicators(midterms: dict[str, _Lazy], nis60: _Lazy, pid: str) -> None:
    """N3 table: "[illustrativ]" after exactly the indicators that have illustrative values."""
    lazy = nis60 if pid == "nis60" else midterms[pid]
    rows = table_with(lazy["key_figures_section"], "Indikator")[1:]
    indicators = lazy.report.project.indicators
    assert len(rows) == len(indicators)
    for row, ind in zip(rows, indicators):
        illustrative = any(m.data_status == "illustrative" for m in ind.values)
        assert row[0].startswith(ind.name)
        assert row[0].endswith("[illustrativ]") == illustrative, row[0]
    if pid != "nis60":
        assert all(r[0].endswith(" [illustrativ]") for r in rows)


def test_hso_survey_section_is_labelled_and_shows_response_rate(midterms: dict[str, _Lazy]) -> None:
    """HSO mid-term survey section: banner, and 38 of 64 invited answered (59,4 %)."""
    block = midterms["hso"]["surveys"]
    with open(paths.PACKAGE_DIR.parent / "data" / "hso" / "survey.csv", encoding="utf-8") as fh:
        respondents = {row["respondent"] for row in csv.DictReader(fh)}
    assert len(respondents) == 38
    assert BANNER in block.text()
    rate = table_with(block, "Omgång")
    assert rate[1] == ["2025", "64", "38", "59,4 %"]


def _recoverable(cells: dict[int, int | None], n: int | None, agreeing: int | None) -> dict[int, int]:
    """Hidden answer counts a reader can work out from the shown counts, the total and the 4-5 count."""
    known = {a: c for a, c in cells.items() if c is not None}
    constraints = []
    if n is not None:
        constraints.append((set(cells), n))
    if agreeing is not None:
        constraints.append(({4, 5}, agreeing))
    recovered: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for members, total in constraints:
            unknown = [a for a in members if a not in known]
            if len(unknown) == 1:
                a = unknown[0]
                known[a] = total - sum(known[m] for m in members if m != a)
                recovered[a] = known[a]
                changed = True
    return recovered


def test_hso_survey_hidden_cells_cannot_be_recovered(midterms: dict[str, _Lazy]) -> None:
    """HSO survey: no hidden answer count follows from the shown counts, n and the 4-5 share."""
    block = midterms["hso"]["surveys"]
    with open(paths.PACKAGE_DIR.parent / "data" / "hso" / "survey.csv", encoding="utf-8") as fh:
        counts = Counter((row["item"], int(row["answer"])) for row in csv.DictReader(fh))
    agree = {r[0]: r for r in table_with(block, "Fråga")[1:]}
    dist = table_with(block, "Fråga (andel per svarsalternativ 1–5)")
    answers = [int(a) for a in dist[0][1:]]
    leaks = {}
    for row in dist[1:]:
        item = row[0]
        cells = {a: (None if cell == "dolt" else counts[(item, a)]) for a, cell in zip(answers, row[1:])}
        n = None if agree[item][1] == "dolt" else sum(counts[(item, a)] for a in answers)
        agreeing = None if agree[item][2] == "dolt" else counts[(item, 4)] + counts[(item, 5)]
        found = _recoverable(cells, n, agreeing)
        if found:
            leaks[item] = found
    assert leaks == {}


def test_illustrative_values_never_in_published_report(nis60: _Lazy) -> None:
    """NIS 6.0 (all published): no banner anywhere and no "[illustrativ]" label."""
    for name in ("title", *SECTIONS["final"]):
        assert BANNER not in nis60[name].text(), name
        assert "[illustrativ]" not in nis60.text(name), name


@pytest.fixture
def illustrative_values_only(tmp_path: Path) -> Report:
    """A tiny final report whose only illustrative data are indicator values (no gender split)."""
    spec = minimal_spec()
    spec["indicators"][0].update(role="firms_reached", unit="företag")
    values = [value("out1", "2025-12-31", 8, data_status="illustrative"),
              value("res1", "2025-12-31", 5, data_status="illustrative")]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    return open_report(folder, "final", "2025-12-31")


def test_illustrative_indicator_values_labelled_in_summary_n3_attainment(illustrative_values_only: Report) -> None:
    """Illustrative indicator values: banner in the title, summary, N3 and attainment."""
    r = illustrative_values_only
    for name in ("title", "summary", "key_figures_section", "attainment"):
        assert BANNER in getattr(r, name)().text(), name


def test_horizontal_labels_illustrative_indicator_sentences(illustrative_values_only: Report) -> None:
    """Horizontal criteria quoting illustrative indicator values show the banner."""
    block = illustrative_values_only.horizontal()
    assert "Projektet har nått 8 företag mot målvärdet 10 (80 %)." in plain(block.text())
    assert BANNER in block.text()


def test_efficiency_labels_cost_per_illustrative_denominator(illustrative_values_only: Report) -> None:
    """Cost per firm computed from an illustrative firm count shows the banner."""
    block = illustrative_values_only.efficiency()
    cost = table_with(block, "Mått")
    assert cost[1][:3] == ["Kostnad per nått företag", "8", "125 kr"]
    assert BANNER in block.text()


def test_reconciliation_table_has_no_index_column(illustrative_values_only: Report) -> None:
    """The reconciliation table starts with the check's name, without a stray index column."""
    rec = next(t for t in tables(illustrative_values_only.efficiency()) if "Avstämning" in t[0])
    assert rec[0][0] == "Avstämning"
    assert [r[0] for r in rec[1:]] == ["Utfall mot budget", "Finansiering mot utfall"]


# --------------------------------------------------------------------------- NBA: jobs not reported


def test_nba_jobs_not_reported_never_zero(nba: _Lazy) -> None:
    """NBA: the jobs target says "utfall redovisas inte" and no cell or sentence shows 0 jobs."""
    sentence = "Nya jobb: utfall redovisas inte (målvärde 200 jobb)."
    for name in ("summary", "key_figures_section", "attainment"):
        text = nba.text(name)
        assert sentence in text, name
        assert not re.search(r"Nya jobb: 0\b|\b0 jobb\b", text), name
    row = next(r for r in table_with(nba["key_figures_section"], "Indikator")[1:] if r[0] == "Nya jobb")
    assert row == ["Nya jobb", "jobb", "Långsiktig effekt", "uppgift saknas", "200", "uppgift saknas", "Uppgift saknas"]
    cost = next(r for r in table_with(nba["efficiency"], "Mått")[1:] if r[0] == "Kostnad per skapat jobb")
    assert cost[1:3] == ["uppgift saknas", "uppgift saknas"]
    assert "Redovisa utfallet för ”Nya jobb” (målvärde 200)" in nba.text("summary")
    jobs = nba.report.key_figures().data["indicators"]["jobs"]
    assert jobs["actual"] is None and jobs["attainment"] is None and jobs["status"] == "not_reported"


# --------------------------------------------------------------------------- mid-term status, by hand

# Baseline 0 on 2024-01-01, target on 2025-08-23 (600 days later); as of 2024-10-27 (300 days).
# out1 (target 100): running totals 10, 30, 30 after 100, 200, 300 days. Pro-rata: 100 * 300/600 = 50.
#   OLS through (0,0), (100,10), (200,30), (300,30): slope 5500/50000 = 0.11, intercept 1,
#   at 600 days 1 + 66 = 67; residuals -1, -2, 7, -4, s^2 = 70/2 = 35,
#   se = sqrt(35 * (1 + 1/4 + 450^2/50000)) = sqrt(185.5); t(0.975, 2) = 4.302653 -> 67 -+ 58.60 = 8..126.
#   30/50 = 0.6 < 0.7 and 67 < 100: off track ("ej i fas").
# res1 (target 5): one value 2 after 300 days. Pro-rata 2.5; average rate 2/300 per day -> 4 at 600 days (no band);
#   2/2.5 = 0.8: at risk.
T_975_2 = 4.302652729749462


@pytest.fixture
def midterm_tiny(tmp_path: Path) -> Callable[[str], Report]:
    """``make(lang)``: the hand-computed tiny mid-term report described above."""
    spec = minimal_spec()
    for ind, target in zip(spec["indicators"], (100, 5)):
        ind["target"] = {"value": target, "date": date(2025, 8, 23)}
    values = [value("out1", "2024-04-10", 10), value("out1", "2024-07-19", 30), value("out1", "2024-10-27", 30),
              value("res1", "2024-10-27", 2)]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    return lambda lang: open_report(folder, "midterm", "2024-10-27", lang)


def test_midterm_status_sentences_by_hand(midterm_tiny: Callable[[str], Report]) -> None:
    """Mid-term: pro-rata 50 and 2,5, projections 67 (8–126) and 4, statuses ej i fas / risk."""
    r = midterm_tiny("sv")
    text = plain(r.summary().text())
    assert ("Output-indikator: 30 st mot målvärdet 100 (30 %). En jämn takt mot målet ger 50 vid 27 oktober 2024; "
            "med nuvarande takt väntas 67 (8–126) vid målåret: ej i fas.") in text
    assert ("Resultatindikator: 2 st mot målvärdet 5 (40 %). En jämn takt mot målet ger 2,5 vid 27 oktober 2024; "
            "med nuvarande takt väntas 4 vid målåret: risk för att målet inte nås.") in text


def test_midterm_indicator_rows_by_hand(midterm_tiny: Callable[[str], Report]) -> None:
    """Mid-term: the computed expectation, projection band and status match the hand calculation."""
    r = midterm_tiny("sv")
    out1, res1 = r.indicator_rows
    half = T_975_2 * (35 * (1 + 1 / 4 + 450**2 / 50000)) ** 0.5
    assert out1.expected == pytest.approx(50.0)
    assert out1.projected == pytest.approx(67.0)
    assert out1.projected_low == pytest.approx(67 - half) and out1.projected_high == pytest.approx(67 + half)
    assert out1.status == "off_track" and out1.attainment == pytest.approx(0.3)
    assert res1.expected == pytest.approx(2.5) and res1.projected == pytest.approx(4.0)
    assert res1.projected_low is None and res1.status == "at_risk"
    rows = table_with(r.key_figures_section(), "Indikator")
    assert rows[0] == ["Indikator", "Enhet", "Nivå", "Utfall", "Målvärde", "Måluppfyllelse", "Förväntat vid datum",
                       "Prognos vid mål (intervall)", "Bedömning"]
    assert rows[1] == ["Output-indikator", "st", "Output", "30", "100", "30,0 %", "50,0", "67 (8–126)", "Ej i fas"]
    assert rows[2] == ["Resultatindikator", "st", "Kortsiktig effekt", "2", "5", "40,0 %", "2,5", "4",
                       "Risk för att målet inte nås"]


def test_midterm_status_sentences_in_english(midterm_tiny: Callable[[str], Report]) -> None:
    """Mid-term in English: same figures, English words and number format."""
    text = plain(midterm_tiny("en").summary().text())
    assert ("Output-indikator: 30 st against the target 100 (30%). An even pace towards the target gives 50 at "
            "27 October 2024; at the current pace 67 (8–126) is expected by the target date: off track.") in text
    assert "gives 2.5 at 27 October 2024; at the current pace 4 is expected by the target date: at risk." in text


def test_midterm_sentence_rounds_like_the_table(tmp_path: Path) -> None:
    """Pro-rata 2.25 (target 5, 270 of 600 days) reads 2,3 in the sentence, as in the N3 table (half-up)."""
    spec = minimal_spec()
    for ind, target in zip(spec["indicators"], (100, 5)):
        ind["target"] = {"value": target, "date": date(2025, 8, 23)}
    values = [value("out1", "2024-09-27", 45), value("res1", "2024-09-27", 1)]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    r = open_report(folder, "midterm", "2024-09-27")
    assert r.indicator_rows[1].expected == 2.25
    block = r.key_figures_section()
    cell = table_with(block, "Indikator")[2][6]
    assert cell == fmt.number(2.25, "sv", 1) == "2,3"
    assert "Resultatindikator: 1 st mot målvärdet 5 (20 %). En jämn takt mot målet ger 2,3 vid 27 september 2024" in plain(block.text())


def test_midterm_recommendations_from_projection(midterm_tiny: Callable[[str], Report]) -> None:
    """Mid-term: indicators off track / at risk get a "Se över insatserna" recommendation with the projection."""
    recs = midterm_tiny("sv").recommendations()
    assert recs == ("Se över insatserna bakom ”Output-indikator”: med nuvarande takt väntas 67 mot målvärdet 100.",
                    "Se över insatserna bakom ”Resultatindikator”: med nuvarande takt väntas 4 mot målvärdet 5.")


# --------------------------------------------------------------------------- recommendations from findings


def _final_values() -> list[dict[str, object]]:
    return [value("out1", "2025-12-31", 10), value("res1", "2025-12-31", 5)]


def test_clean_project_continue_as_planned(tmp_path: Path) -> None:
    """A project with no findings and every target achieved: only "fortsätt enligt plan"."""
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": _final_values()})
    r = open_report(folder, "final", "2025-12-31")
    assert r.findings == ()
    assert r.recommendations() == ("Projektlogiken och uppföljningen håller; fortsätt enligt plan.",)
    assert "fortsätt enligt plan" in plain(r.summary().text())


def test_goal_without_indicator_gets_complete_goals_recommendation(tmp_path: Path) -> None:
    """A sub-goal measured by no indicator: "Komplettera målen sg1 med indikatorer ..."; no "fortsätt"."""
    spec = minimal_spec()
    # og -> pg1 -> sg1 -> a1: the new sub-goal sg1 has an activity but no indicator.
    spec["goal_tree"].insert(2, {"id": "sg1", "level": "sub", "parent": "pg1", "statement": "Delmål"})
    spec["goal_tree"][3]["parent"] = "sg1"
    folder = write_project(tmp_path, spec, {"indicator_values": _final_values()})
    r = open_report(folder, "final", "2025-12-31")
    assert [(f.check, f.subject) for f in r.findings] == [("goal_without_indicator", "sg1")]
    recs = r.recommendations()
    assert recs == ("Komplettera målen sg1 med indikatorer så att de kan följas upp.",)
    assert "Komplettera målen sg1 med indikatorer så att de kan följas upp." in plain(r.summary().text())


def test_cumulative_decrease_gets_correction_recommendation(tmp_path: Path) -> None:
    """A cumulative indicator that goes down: an error finding and "Rätta de kumulativa indikatorer ..."."""
    values = [value("out1", "2024-12-31", 12), value("out1", "2025-12-31", 10), value("res1", "2025-12-31", 5)]
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": values})
    r = open_report(folder, "final", "2025-12-31")
    assert [(f.check, f.severity, f.subject) for f in r.findings] == [("cumulative_decrease", "error", "out1")]
    assert "Rätta de kumulativa indikatorer som minskar: out1." in r.recommendations()
    assert "Logikgranskningen gav 1 fel, 0 varningar och 0 upplysningar." in plain(r.summary().text())


def test_final_not_achieved_gets_analysis_recommendation(tmp_path: Path) -> None:
    """Final report: an indicator below 70 % of its target is "Ej uppnått" and gets an "Analysera" recommendation."""
    values = [value("out1", "2025-12-31", 6), value("res1", "2025-12-31", 5)]
    folder = write_project(tmp_path, minimal_spec(), {"indicator_values": values})
    r = open_report(folder, "final", "2025-12-31")
    assert [row.status for row in r.indicator_rows] == ["not_achieved", "achieved"]
    assert [plain(rec) for rec in r.recommendations()] == [
        "Analysera varför ”Output-indikator” nådde 60 % av målet, som lärdom för kommande projekt."]


# --------------------------------------------------------------------------- escaping user text


@pytest.fixture
def evil(tmp_path: Path) -> Report:
    """A tiny final report with "<script>" in goal statements, a risk, a firm name and a survey item."""
    spec = minimal_spec()
    spec["disclosure"] = {"firms": "public"}  # so that the firm table (with the name) is shown
    spec["name"] = "Miniprojekt " + EVIL
    spec["goal_tree"][1]["statement"] = "Projektmål " + EVIL
    spec["goal_tree"][1]["risks"] = ["Risk " + EVIL]
    spec["goal_tree"][2]["statement"] = "Aktivitet " + EVIL
    spec["horizontal"][0]["actions"] = ["Åtgärd " + EVIL]
    spec["lessons"] = ["Lärdom " + EVIL]
    activities = [{"activity": "a1", "period_end": "2024-06-30", "count": 2},
                  {"activity": "a1", "period_end": "2025-06-30", "count": 3}]
    firms = []
    for fid, name, participant, employees in (("p1", "Alfa AB " + EVIL, "yes", (2, 2, 4, 5)),
                                              ("p2", "Beta AB", "yes", (3, 3, 3, 6)),
                                              ("c1", "Gamma AB", "no", (2, 2, 2, 2)),
                                              ("c2", "Delta AB", "no", (5, 5, 6, 5))):
        for year, e in zip(range(2022, 2026), employees):
            firms.append({"firm_id": fid, "name": name, "year": year, "employees": e, "participant": participant,
                          "participation_start": 2024 if participant == "yes" else None})
    survey = [{"wave": "2025", "respondent": f"r{i:02d}", "item": "Fråga " + EVIL, "answer": 4 + i % 2}
              for i in range(12)]
    folder = write_project(tmp_path, spec, {
        "indicator_values": _final_values(), "activities": activities, "firms": firms,
        "survey": survey, "survey_invited": [{"wave": "2025", "invited": 20}]})
    return open_report(folder, "final", "2025-12-31")


def test_script_in_user_text_is_escaped_in_every_block(evil: Report) -> None:
    """No Block contains a raw "<script"; the escaped text shows where the user text is quoted."""
    blocks = all_blocks(evil)
    for name, block in blocks.items():
        assert "<script" not in block.text().lower(), name
    escaped = html.escape(EVIL)
    for name in ("title", "project_logic", "process", "key_figures_section", "participating_firms", "surveys",
                 "horizontal", "risks", "sustainability"):
        assert escaped in blocks[name].text(), name


def test_comparison_group_balance_before_and_after_matching(tmp_path: Path) -> None:
    """With comparison firms the firm section shows the balance table before and after matching, and the DiD estimate."""
    from test_notebooks import tiny_spec, tiny_tables

    spec = tiny_spec()
    spec["disclosure"] = {"firms": "public"}  # 3 + 3 firms: hidden when restricted (see test_privacy)
    folder = write_project(tmp_path, spec, tiny_tables(), folder="mini")
    project = load_project(folder)
    params = validate_notebook_parameters(project_exists=None, project="mini", kind="final", as_of="2025-12-31",
                                          language="sv", formats=["html"], small_cell_threshold=5)
    text = Report(params, project).participating_firms().text()
    assert "året före den första starten (2023)" in text
    assert "Före matchning" in text and "Efter matchning (närmaste granne)" in text
    assert "Skattad effekt av deltagande på antalet anställda" in text


def test_nis60_has_no_comparison_group_and_says_so(nis60: _Lazy) -> None:
    """NIS 6.0 has only participants: no balance table, and the report says no effect can be estimated."""
    text = nis60["participating_firms"].text()
    assert "Före matchning" not in text
    assert "Det finns inga jämförelseföretag" in text


def test_hso_counts_each_firm_once_across_activities() -> None:
    """HSO's illustrative participation table: 52 distinct firms in 74 participations, labelled illustrative."""
    text = plain(open_report("hso", "midterm", "2025-08-31").key_figures_section().text())
    assert "52 unika företag har deltagit i aktiviteterna, sammanlagt 74 deltaganden" in text
    assert "ILLUSTRATIVA" in text
