"""Tests for evaluation/report/sections/key_persons.py: N2 key persons, the theme-by-group matrix with small groups
hidden, and quotes only with consent and never with a name or role."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import minimal_spec, write_project

from evaluation.report import sections

from .helpers import BANNER, Lazy, heading, open_report, plain, table_with


def test_nis60_key_persons_without_interviews(nis60: Lazy) -> None:
    """NIS 6.0: the key persons table from project.yaml (moved here from N1/N3) and no interview data."""
    block = nis60["key_persons"]
    assert heading(block)[1] == "N2 Nyckelpersoner"
    assert table_with(block, "Roll")[0] == ["Roll", "Organisation", "Namn", "Kommentar"]
    assert "Inga intervjuer redovisas." in plain(block.text())
    assert "Nyckelpersoner" not in plain(nis60["key_figures_section"].text()).replace("N2 Nyckelpersoner, ", "")


def test_hso_matrix_hides_small_groups(midterms: dict[str, Lazy]) -> None:
    """HSO (illustrative): project management (1 interview) hidden, partners (5) hidden with it, firms and municipalities shown."""
    block = midterms["hso"]["key_persons"]
    text = plain(block.text())
    assert BANNER in block.text() and "Dolda grupper: Projektledning, Partner." in text
    matrix = table_with(block, "Tema")
    assert matrix[0] == ["Tema", "Projektledning", "Deltagande företag", "Partner", "Kommuner", "Alla grupper"]
    assert matrix[1] == ["Intervjuer", "dolt", "7", "dolt", "6", "19"]
    assert matrix[2] == ["Samverkan över kommungränserna", "dolt", "2 (+0 / ±1 / −1)", "dolt", "2 (+2 / ±0 / −0)", "6"]


def test_hso_quotes_only_with_consent_from_shown_groups(midterms: dict[str, Lazy]) -> None:
    """Consented firm quotes are shown; a firm without consent (i04) and the hidden project manager (i01) are not; no role."""
    text = re.sub(r'src="data:[^"]*"', "", plain(midterms["hso"]["key_persons"].text()))  # figures' bytes left out
    assert "”Projektet har kortat ledtiderna i vår etableringsprocess.” (Deltagande företag;" in text
    assert "Kompetensfrågan har inte fått samma utrymme" not in text  # i04: no consent
    assert "Styrgruppen med tillväxtcheferna" not in text  # i01: project management is hidden
    assert "Vd i energiföretag" not in text and "i03" not in text  # no role, no interview id


def test_all_groups_under_the_threshold_hide_everything(tmp_path: Path) -> None:
    """Two groups of 2 and 1 interviews at threshold 5: every group and the total are hidden, nothing is quoted."""
    interviews = [{"id": f"i{i}", "date": "2025-05-01", "group": g, "consent_to_quote": "ja"}
                  for i, g in enumerate(["participating_firm", "participating_firm", "financier"], 1)]
    excerpts = [{"interview": "i1", "theme": "net", "stance": "positive", "excerpt": "Hemligt citat"}]
    folder = write_project(tmp_path, minimal_spec(), {"interviews": interviews, "excerpts": excerpts})
    block = sections.key_persons(open_report(folder, "final", "2025-12-31", "en"))
    matrix = table_with(block, "Theme")
    assert matrix[1] == ["Interviews", "hidden", "hidden", "hidden"]
    assert matrix[2] == ["net", "hidden", "hidden", "hidden"]
    assert "Hemligt citat" not in block.text() and "interviews are reported" not in block.text()
