"""What the evaluator still has to write (issue 12): a decision made about another suggestion than the one now under its id is stale."""

from __future__ import annotations

from pathlib import Path

from conftest import minimal_spec, write_project

from evaluation.analysis import status
from evaluation.analysis.recommendations import suggestions
from evaluation.io.loader import load_project
from evaluation.review.checks import check_project
from evaluation.review.completeness import missing

QUESTIONS = ("P1", "P2", "P3", "N1", "N2", "N3", "relevance", "coherence", "effectiveness", "efficiency", "impact",
             "sustainability", "horizontal", "overall")


def _assessed(tmp_path: Path, decision: str) -> tuple[list[str], list[str]]:
    """(kinds of what is missing, the generated suggestions' keys) of the minimal project with every question assessed."""
    folder = write_project(tmp_path, minimal_spec())
    (folder / "assessments").mkdir()
    entries = "".join(f"  - question: {q}\n    grade: low\n    text: Bedömning.\n" for q in QUESTIONS)
    (folder / "assessments" / "final.yaml").write_text(
        f"evaluator: Utvärderaren\nentries:\n{entries}suggestions:\n{decision}", encoding="utf-8")
    project = load_project(folder)
    rows = status.indicator_rows(project, project.end, "final")
    findings = check_project(project)
    keys = [s.key for s in suggestions(rows, findings, "final")]
    return [m.kind for m in missing(project, "final", rows, findings)], keys


def test_decision_about_the_current_suggestion_is_complete(tmp_path: Path) -> None:
    """Deciding S1 with `about:` its current key leaves nothing missing."""
    _, keys = _assessed(tmp_path / "a", "  - {id: S1, decision: rejected}\n")
    extra = "".join(f"  - {{id: S{k}, decision: rejected}}\n" for k in range(2, len(keys) + 1))
    kinds, _ = _assessed(tmp_path / "b", f"  - {{id: S1, decision: rejected, about: {keys[0]}}}\n" + extra)
    assert kinds == []


def test_decision_about_another_suggestion_is_stale(tmp_path: Path) -> None:
    """When S1 is now about something else than the decision says (the data changed), the report is a draft again."""
    _, keys = _assessed(tmp_path / "a", "  - {id: S1, decision: rejected}\n")
    extra = "".join(f"  - {{id: S{k}, decision: rejected}}\n" for k in range(2, len(keys) + 1))
    kinds, _ = _assessed(tmp_path / "b", "  - {id: S1, decision: rejected, about: review:gone}\n" + extra)
    assert kinds == ["stale"]
