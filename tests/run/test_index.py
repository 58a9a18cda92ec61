"""Tests for evaluation.run.index: the batch's index page."""

from __future__ import annotations

from pathlib import Path

from evaluation.run.index import write_index
from evaluation.run.outcomes import BatchResult, ReportOutcome


def test_index_lists_reports_with_escaped_names_and_relative_links(tmp_path: Path) -> None:
    """index.html escapes every name and message, links outputs relatively and fetches nothing."""
    reports = tmp_path / "reports"
    (reports / "p1").mkdir(parents=True)
    for suffix in (".html", ".pdf", ".json", ".ipynb"):
        (reports / "p1" / f"final{suffix}").write_text("x", encoding="utf-8")
    (reports / "portfolio.html").write_text("x", encoding="utf-8")
    outcomes = (
        ReportOutcome(tmp_path / "p1_final.yaml", "p1", "final", "ok", "", 1.5),
        ReportOutcome(tmp_path / "p2_midterm.yaml", "p2", "midterm", "failed",
                      "cell 2 ('x'): ValueError: <script>alert(1)</script> & more", 2.0),
        ReportOutcome(tmp_path / "p1_midterm.yaml", "p1", "midterm", "skipped", "unchanged", 0.0),
    )
    portfolio = ReportOutcome(None, "portfolio", "portfolio", "ok", "", 3.0)
    result = BatchResult(outcomes=outcomes, reports_dir=reports, portfolio=portfolio)
    path = write_index(result, reports)
    text = path.read_text(encoding="utf-8")
    assert path == reports / "index.html"
    assert '<a href="p1/final.html">HTML</a>' in text and '<a href="p1/final.pdf">PDF</a>' in text
    assert '<a href="p1/final.json">JSON</a>' in text and '<a href="portfolio.html">HTML</a>' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in text
    assert "<script" not in text and "http" not in text and "<link" not in text
    assert "3 rapporter: 1 klara, 1 oförändrade, 1 misslyckade" in text
    assert text.index(">p1<") < text.index(">p2<")
    again = BatchResult(outcomes=outcomes, reports_dir=reports, portfolio=portfolio, wall_time=99.0)
    assert write_index(again, reports).read_text(encoding="utf-8") == text



def test_index_labels_come_in_both_languages(tmp_path: Path) -> None:
    """Title, headings and statuses read Swedish / English, as before the catalogue."""
    outcomes = (ReportOutcome(None, "p1", "final", "ok", "", 1.0), ReportOutcome(None, "p2", "final", "failed", "x", 1.0),
                ReportOutcome(None, "p3", "final", "skipped", "", 0.0))
    text = write_index(BatchResult(outcomes=outcomes, reports_dir=tmp_path), tmp_path).read_text(encoding="utf-8")
    assert "<title>Rapporter / Reports</title>" in text and "<h1>Rapporter / Reports</h1>" in text
    assert ('<th scope="col">Projekt / Project</th><th scope="col">Typ / Kind</th><th scope="col">Status</th>'
            '<th scope="col">Filer / Files</th><th scope="col">Meddelande / Message</th>') in text
    assert "klar / ok" in text and "misslyckades / failed" in text and "oförändrad / unchanged" in text
    assert "3 rapporter: 1 klara, 1 oförändrade, 1 misslyckade / 3 reports: 1 ok, 1 unchanged, 1 failed" in text
