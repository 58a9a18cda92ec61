"""Tests for evaluation/report/sections/provenance.py: the provenance appendix with the report's parameters."""

from __future__ import annotations

from .helpers import Lazy, table_with


def test_appendix_lists_inputs_packages_and_parameters(nba: Lazy) -> None:
    """NBA: the appendix heading, the input files with short hashes, and every parameter with its value."""
    block = nba["provenance"]
    assert "<h2>Bilaga: Underlag och spårbarhet</h2>" in block.text()
    rows = {r[0]: r[1] for r in table_with(block, "Uppgift")[1:]}
    assert len(rows["Indatafil: data/nba/project.yaml"]) == 12
    assert rows["Parameter: project"] == "nba" and rows["Parameter: formats"] == "html, pdf, json, docx"
    assert rows["Parameter: small_cell_threshold"] == "5"
