"""Tests for evaluation/report/sections/common.py: section order, numbered headings and DAC tags, the sentence on one indicator, illustrative banners, escaping."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import minimal_spec, write_project

from evaluation.core import fmt
from evaluation.report import sections
from evaluation.report.sections import SECTIONS, ReportContext

from .helpers import (
    BANNER,
    DAC_SV,
    EVIL,
    NBSP,
    ORDER,
    Lazy,
    all_blocks,
    heading,
    open_report,
    plain,
    table_with,
    value,
)


@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_sections_of_each_kind_in_order(kind: str) -> None:
    """SECTIONS lists the sections of each kind in the pinned order."""
    assert SECTIONS[kind] == ORDER[kind]


def test_every_final_section_has_number_title_and_dac_tag(nis60: Lazy) -> None:
    """Every final-report section shows its number (1-19), its Swedish title and its OECD DAC tag."""
    for number, name in enumerate(ORDER["final"], start=1):
        title, dac = DAC_SV[name]
        assert heading(nis60[name]) == (str(number), title, dac), name
        if dac is not None:
            assert "OECD DAC-kriterier:" in nis60.text(name)


def test_every_midterm_section_has_number_title_and_dac_tag(midterms: dict[str, Lazy]) -> None:
    """Every mid-term section shows its number (1-15), its Swedish title and its OECD DAC tag."""
    hso = midterms["hso"]
    for number, name in enumerate(ORDER["midterm"], start=1):
        title, dac = DAC_SV[name]
        assert heading(hso[name]) == (str(number), title, dac), name


def test_english_report(nis60_en: Lazy) -> None:
    """language=en: English sentences, English numbers (126%, 1,466) and English headings and tags."""
    summary = nis60_en.text("summary")
    assert "The project has reached 503 firms against the target 400 (126%)." in summary
    assert "Women make up 49.7% of the participants (1,466 of 2,949)." in summary
    assert "The outcome was SEK 15,470,690 against the budget SEK 16,713,030, SEK 1,242,340 under budget." in summary
    assert heading(nis60_en["summary"]) == ("1", "Summary and recommendations", "Relevance, Effectiveness, Impact")
    assert heading(nis60_en["efficiency"]) == ("12", "Efficiency and financing", "Efficiency")
    cost = table_with(nis60_en["efficiency"], "Measure")
    assert cost[1][:3] == ["Cost per firm reached", "503", "SEK 30,757"]
    for name in ("summary", "efficiency", "key_figures_section", "attainment"):
        text = nis60_en.text(name)
        for swedish in ("uppgift saknas", "mot målvärdet", "OECD DAC-kriterier", "Källa:", "Uppnått"):
            assert swedish not in text, (name, swedish)


def test_nis60_firms_reached_sentence(nis60: Lazy) -> None:
    """NIS 6.0: "Projektet har nått 503 företag mot målvärdet 400 (126 %)" in summary, N3 and attainment."""
    sentence = "Projektet har nått 503 företag mot målvärdet 400 (126 %)."
    for name in ("summary", "key_figures_section", "attainment"):
        assert sentence in nis60.text(name), name
    built = (f"Projektet har nått {fmt.number(503, 'sv')} företag mot målvärdet {fmt.number(400, 'sv')} "
             f"({fmt.percent(503 / 400, 'sv', 0)}).")
    assert NBSP in built and built in html.unescape(nis60["summary"].text())
    assert f"126{NBSP}%" in html.unescape(nis60["summary"].text())


def test_nba_jobs_not_reported_never_zero(nba: Lazy) -> None:
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
    jobs = sections.key_figures(nba.report).data["indicators"]["jobs"]
    assert jobs["actual"] is None and jobs["attainment"] is None and jobs["status"] == "not_reported"


def test_midterm_status_sentences_by_hand(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """Mid-term: 67 (8–126) below 100 with the band reaching it is at risk; one value is too few to judge."""
    r = midterm_tiny("sv")
    text = plain(sections.summary(r).text())
    assert ("Output-indikator: 30 st mot målvärdet 100 (30 %). En jämn takt mot målet ger 50 vid 27 oktober 2024; "
            "med nuvarande takt väntas 67 (8–126) vid målåret: risk för att målet inte nås.") in text
    assert ("Resultatindikator: 2 st mot målvärdet 5 (40 %). En jämn takt mot målet ger 2,5 vid 27 oktober 2024; "
            "med nuvarande takt väntas 4 (för få värden för ett intervall) vid målåret: för tidigt att bedöma.") in text


def test_midterm_status_sentences_in_english(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """Mid-term in English: same figures, English words and number format."""
    text = plain(sections.summary(midterm_tiny("en")).text())
    assert ("Output-indikator: 30 st against the target 100 (30%). An even pace towards the target gives 50 at "
            "27 October 2024; at the current pace 67 (8–126) is expected by the target date: at risk.") in text
    assert ("gives 2.5 at 27 October 2024; at the current pace 4 (too few values for a band) is expected by the target date: "
            "too early to tell.") in text


def test_midterm_sentence_rounds_like_the_table(tmp_path: Path) -> None:
    """Pro-rata 2.25 (target 5, 270 of 600 days) reads 2,3 in the sentence, as in the N3 table (half-up)."""
    spec = minimal_spec()
    for ind, target in zip(spec["indicators"], (100, 5)):
        ind["target"] = {"value": target, "date": date(2025, 8, 23)}
    values = [value("out1", "2024-09-27", 45), value("res1", "2024-09-27", 1)]
    folder = write_project(tmp_path, spec, {"indicator_values": values})
    r = open_report(folder, "midterm", "2024-09-27")
    assert r.indicator_rows[1].expected == 2.25
    block = sections.key_figures_section(r)
    cell = table_with(block, "Indikator")[2][6]
    assert cell == fmt.number(2.25, "sv", 1) == "2,3"
    assert "Resultatindikator: 1 st mot målvärdet 5 (20 %). En jämn takt mot målet ger 2,3 vid 27 september 2024" in plain(block.text())


def _illustrative_sources(report: ReportContext) -> dict[str, bool]:
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
def test_midterm_banner_in_every_section_with_illustrative_values(midterms: dict[str, Lazy], pid: str) -> None:
    """HSO/SAM mid-term: every section whose data include illustrative values shows the banner."""
    lazy = midterms[pid]
    sources = _illustrative_sources(lazy.report)
    checked = [name for name in SECTIONS["midterm"] if sources.get(name)]
    assert {"summary", "process", "key_figures_section", "horizontal"} <= set(checked)
    for name in checked:
        assert BANNER in lazy[name].text(), f"{pid}: section {name} shows illustrative values without the banner"


def test_illustrative_values_never_in_published_report(nis60: Lazy) -> None:
    """NIS 6.0 (all published): no banner anywhere and no "[illustrativ]" label, except over the recommendations, which
    the example's assessment file decides for illustration (issue 12)."""
    for name in ("title", *SECTIONS["final"]):
        if name == "recommendations_section":
            assert "Rekommendationerna är ILLUSTRATIVA" in nis60.text(name)
            continue
        assert BANNER not in nis60[name].text(), name
        assert "[illustrativ]" not in nis60.text(name), name


def test_illustrative_indicator_values_labelled_in_summary_n3_attainment(illustrative_values_only: ReportContext) -> None:
    """Illustrative indicator values: banner in the title, summary, N3 and attainment."""
    r = illustrative_values_only
    for name in ("title", "summary", "key_figures_section", "attainment"):
        assert BANNER in getattr(sections, name)(r).text(), name


def test_script_in_user_text_is_escaped_in_every_block(evil: ReportContext) -> None:
    """No Block contains a raw "<script"; the escaped text shows where the user text is quoted."""
    blocks = all_blocks(evil)
    for name, block in blocks.items():
        assert "<script" not in block.text().lower(), name
    escaped = html.escape(EVIL)
    for name in ("title", "project_logic", "process", "key_figures_section", "participating_firms", "surveys",
                 "horizontal", "risks", "sustainability"):
        assert escaped in blocks[name].text(), name


def test_projection_text_says_why_there_is_no_band(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """A straight-line projection reads "4 (… rät linje: inget intervall)", never "4 (4–4)"; a capped one names the maximum."""
    import dataclasses

    from evaluation.report.sections import common

    r = midterm_tiny("sv")
    out1 = r.indicator_rows[0]
    straight = dataclasses.replace(out1, projected=4.0, projected_low=None, projected_high=None, no_band="straight_line")
    assert common.projection_text(r, straight) == "4 (värdena ligger på en rät linje: inget intervall)"
    capped = dataclasses.replace(out1, projected=7.0, projected_low=5.2, projected_high=7.0, capped=True,
                                 indicator=dataclasses.replace(out1.indicator, maximum=7.0))
    assert common.projection_text(r, capped) == "7 (5–7), begränsad till maxvärdet 7"
    assert common.projection_text(r, dataclasses.replace(out1, projected=None)) is None


def test_final_report_states_its_attainment_rule(nis60: Lazy) -> None:
    """A final report's N3 table is followed by the attainment rule (100 %, 70 %)."""
    text = plain(nis60.text("key_figures_section"))
    assert "Bedömning: uppnått vid 100 % av målvärdet eller mer, delvis uppnått från 70 %, ej uppnått under 70 %." in text


def test_ratio_sentence_holds_the_share_not_an_even_pace(midterm_tiny: Callable[[str], ReportContext]) -> None:
    """A ratio's sentence says the target share holds throughout and gives the share at the target date, one decimal."""
    import dataclasses

    from evaluation.report.sections import common

    r = midterm_tiny("sv")
    out1 = r.indicator_rows[0]
    ind = dataclasses.replace(out1.indicator, aggregation="ratio", unit="%")
    row = dataclasses.replace(out1, indicator=ind, actual=100 * 10 / 12, target=40.0, attainment=100 * 10 / 12 / 40, expected=40.0,
                              projected=80.0, projected_low=70.0, projected_high=90.0, status="on_track")
    assert common.indicator_sentence(r, row) == (f"Output-indikator: 83,3 % mot målvärdet 40 (208{NBSP}%). Målandelen gäller under hela "
                                                 "projektet; med nuvarande trend är andelen vid måldatum 80 (70–90): i fas.")
