"""Tests for evaluation/report/sections/project_logic.py: diagrams, the goal-tree table, coherence and the logic review."""

from __future__ import annotations

from pathlib import Path

from conftest import minimal_spec, write_project

from evaluation.report import sections
from evaluation.report.sections.project_logic import findings_shown

from .helpers import Lazy, open_report, plain, table_with


def test_nis60_goal_tree_table_and_diagrams(nis60: Lazy) -> None:
    """NIS 6.0: goal tree and effect chain drawn, the goal tree as a table with levels in Swedish and measuring indicators."""
    block = nis60["project_logic"]
    assert block.text().count("<img") == 2
    tree = table_with(block, "Id")
    assert tree[0] == ["Id", "Nivå", "Formulering", "Överordnat", "Arbetspaket", "Indikatorer"]
    pg1 = next(r for r in tree if r[0] == "pg1")
    assert pg1[1] == "Projektmål" and pg1[5] == "firms_reached"
    assert "Röd tråd: " in nis60.text("project_logic")


def test_clean_project_has_nothing_to_remark(tmp_path: Path) -> None:
    """A project without findings: "Logikgranskningen gav inga anmärkningar." and an empty findings frame."""
    ctx = open_report(write_project(tmp_path, minimal_spec()), "final", "2025-12-31")
    assert findings_shown(ctx).empty
    assert "Logikgranskningen gav inga anmärkningar." in plain(sections.project_logic(ctx).text())
