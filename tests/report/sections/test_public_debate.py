"""Tests for evaluation/report/sections/public_debate.py: P3 dissemination facts, reach never turned into zero."""

from __future__ import annotations

from pathlib import Path

from conftest import minimal_spec, write_project

from .helpers import BANNER, Lazy, heading, open_report, plain, table_with


def test_nis60_dissemination_by_channel_as_published(nis60: Lazy) -> None:
    """NIS 6.0: the eight activities of the final report's "Spridning av resultatet", by channel, reach not reported."""
    block = nis60["public_debate"]
    assert heading(block)[1] == "P3 Public debate: spridning och påverkan"
    text = plain(block.text())
    assert "8 spridningsaktiviteter redovisas." in text and BANNER not in block.text()
    channels = table_with(block, "Kanal")
    assert channels[0] == ["Kanal", "Aktiviteter", "Räckvidd (där den redovisas)", "Aktiviteter utan redovisad räckvidd"]
    assert channels[1] == ["Webbplats", "3", "uppgift saknas", "3"]  # not reported, never 0
    assert sum(int(r[1]) for r in channels[1:]) == 8
    listed = table_with(block, "Datum")
    assert listed[1][0] == "31 december 2022" and listed[1][5] == "Slutrapport Näringsliv i samverkan NIS 6.0 (december 2022)"
    assert "Räckvidden för 8 av 8 aktiviteter redovisas inte" in text and "Vad underlaget inte visar" in text
    assert 'id="ev-dissemination-d1"' in block.text() and block.text().count("<img") == 1


def test_reported_reach_is_added_and_illustrative_marked(tmp_path: Path) -> None:
    """Reach 120 and empty: the channel shows 120 with one activity not reported; illustrative rows get the banner."""
    rows = [{"id": "d1", "date": "2025-03-01", "channel": "conference", "title": "Konferens", "reach": "120",
             "data_status": "illustrative"},
            {"id": "d2", "date": "2025-04-01", "channel": "conference", "title": "Seminarium <b>", "reach": ""}]
    ctx = open_report(write_project(tmp_path, minimal_spec(), {"dissemination": rows}), "final", "2025-12-31", "en")
    from evaluation.report import sections

    block = sections.public_debate(ctx)
    assert BANNER in block.text() and "Seminarium &lt;b&gt;" in block.text()
    channels = table_with(block, "Channel")
    assert channels[1] == ["Conference", "2", "120", "1"]
    assert "Their reported reach adds up to 120." in plain(block.text())
    assert "Konferens [illustrative]" in plain(block.text())


def test_no_dissemination_says_so(midterms: dict[str, Lazy]) -> None:
    """HSO has no dissemination table: a 'not reported' notice and what the data cannot show, no table."""
    block = midterms["hso"]["public_debate"]
    assert "Inga spridningsaktiviteter redovisas." in plain(block.text()) and "<table" not in block.text()
