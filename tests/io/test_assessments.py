"""Tests for evaluation.io.assessments: the evaluator's assessment files, read and checked against the project."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Builder, line_of_text, minimal_spec

from evaluation.core.assessment import EvidenceRef
from evaluation.core.errors import InputError
from evaluation.io.loader import load_project

FINAL = """\
evaluator: Regionakademien
data_status: illustrative
entries:
  - question: P1
    grade: fairly_high
    text: |
      The logic holds *mostly*.

      - one
      - two
    evidence: [indicator:out1, finding:goal_without_indicator, source:src, link:e_act->e_out]
  - question: overall
    grade: high
    text: Good.
    source: src
    data_status: published
    attribution: "The project's own conclusion."
links:
  - link: e_act -> e_out
    grade: high
    evidence: [indicator:out1]
suggestions:
  - id: S1
    decision: edited
    text: Do it differently.
    addressee: Projektägaren
    priority: high
    due: 2025-06-30
recommendations:
  - id: R1
    text: Keep going.
    priority: low
follow_up:
  - recommendation: M1
    response: Done.
    verdict: implemented
"""

MIDTERM = """\
evaluator: Regionakademien
recommendations:
  - id: M1
    text: Start the survey.
"""


def _write(folder: Path, kind: str, text: str) -> Path:
    path = folder / "assessments" / f"{kind}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _problems(folder: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_project(folder)
    return [p.message() for p in err.value.problems]


def test_reads_every_part_of_an_assessment_file(build: Builder) -> None:
    """A valid midterm and final file load into the model with texts, grades, evidence, decisions and follow-up."""
    folder = build()
    _write(folder, "midterm", MIDTERM)
    _write(folder, "final", FINAL)
    project = load_project(folder)
    final = project.assessment("final")
    assert final is not None and project.assessment("midterm") is not None
    p1 = final.entry("P1")
    assert p1 is not None and p1.grade == "fairly_high" and p1.data_status == "illustrative"
    assert p1.text.startswith("The logic holds *mostly*.") and "- two" in p1.text
    assert [str(r) for r in p1.evidence] == ["indicator:out1", "finding:goal_without_indicator", "source:src", "link:e_act->e_out"]
    overall = final.entry("overall")
    assert overall is not None and overall.source == "src" and overall.data_status == "published"
    assert final.link("e_act", "e_out") is not None and final.link("e_out", "e_st") is None
    assert final.suggestions[0].due == date(2025, 6, 30) and final.suggestions[0].decision == "edited"
    assert final.follow_up[0].verdict == "implemented" and final.evaluator == "Regionakademien"
    assert any(f.endswith("assessments/final.yaml") for f, _ in project.input_hashes)


def test_no_assessment_files_give_no_assessments(build: Builder) -> None:
    """A project without an assessments folder loads as before, with no assessment."""
    project = load_project(build())
    assert project.assessments == () and project.assessment("final") is None


def test_unknown_evidence_reference_names_file_entry_and_reference(build: Builder) -> None:
    """An indicator id that does not exist is one problem naming the file, the entry (P1), the line and the reference."""
    folder = build()
    _write(folder, "final", "entries:\n  - question: P1\n    grade: high\n    text: x\n    evidence: [indicator:N9]\n")
    (message,) = _problems(folder)
    assert "assessments/final.yaml" in message and "entries[P1].evidence" in message
    assert "indicator:N9" in message and "known indicator id" in message
    assert f"row {line_of_text(folder, 'indicator:N9', 'assessments/final.yaml')}" in message


def test_every_kind_of_bad_reference_and_value_is_collected(build: Builder) -> None:
    """Unknown keys, questions, grades, decisions, priorities, verdicts, dates, duplicates and references: all at once."""
    folder = build()
    _write(folder, "final", """\
colour: blue
entries:
  - question: P1
    grade: very
    mood: x
    evidence: [finding:no_such_check, survey:q9, theme:networks, source:nope, link:a->b, estimate:firm_effects,
               dissemination:d1, oops:x, plain]
  - question: P1
  - question: P7
links:
  - link: e_out -> e_act
suggestions:
  - id: S1
    decision: maybe
    priority: urgent
    due: 2025-02-30
  - id: S2
    decision: edited
follow_up:
  - recommendation: R1
    verdict: done
""")
    problems = "\n".join(_problems(folder))
    for needle in ("'colour'", "entries[P1].grade", "entries[P1].mood", "finding:no_such_check", "survey:q9",
                   "theme:networks", "source:nope", "link:a->b", "estimate:firm_effects", "dissemination:d1",
                   "oops:x", "'plain'", "given only once", "entries[P7].question", "links[e_out -> e_act].link",
                   "suggestions[S1].decision", "suggestions[S1].priority", "suggestions[S1].due",
                   "suggestions[S2].text", "follow_up[R1].recommendation", "follow_up[R1].verdict"):
        assert needle in problems, needle


def test_follow_up_only_of_adopted_midterm_recommendations(build: Builder) -> None:
    """A follow-up may name an adopted mid-term suggestion or recommendation, never a rejected one."""
    folder = build()
    _write(folder, "midterm", "suggestions:\n  - {id: S1, decision: adopted}\n  - {id: S2, decision: rejected}\n")
    _write(folder, "final", "follow_up:\n  - {recommendation: S1, verdict: partly}\n  - {recommendation: S2, verdict: partly}\n")
    (message,) = _problems(folder)
    assert "follow_up[S2].recommendation" in message and "adopted: S1" in message


def test_published_entry_needs_its_source(build: Builder) -> None:
    """An entry marked published without a source is refused: a published assessment is attributed."""
    folder = build()
    _write(folder, "midterm", "entries:\n  - {question: P2, grade: low, text: x, data_status: published}\n")
    (message,) = _problems(folder)
    assert "entries[P2].data_status" in message


def test_firm_effects_estimate_allowed_with_a_firm_panel(build: Builder) -> None:
    """estimate:firm_effects names something only where the project has firm data."""
    spec: dict[str, Any] = minimal_spec()
    firms = [{"firm_id": "f1", "year": 2024, "employees": 3, "participant": "ja"}]
    folder = build(spec, {"firms": firms})
    _write(folder, "final", "entries:\n  - {question: impact, grade: low, text: x, evidence: ['estimate:firm_effects']}\n")
    entry = load_project(folder).assessment("final").entry("impact")  # type: ignore[union-attr]
    assert entry is not None and entry.evidence == (EvidenceRef("estimate", "firm_effects"),)


def test_a_yaml_syntax_error_names_the_file(build: Builder) -> None:
    """A broken assessment file is bad input naming the file and line, as project.yaml's are."""
    folder = build()
    _write(folder, "final", "entries:\n  - question: P1\n   grade: [\n")
    (message,) = _problems(folder)
    assert "assessments/final.yaml" in message
