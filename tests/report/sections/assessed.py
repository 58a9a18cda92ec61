"""A tiny project with the evaluator's assessment files, for the sections of issue 12 (recommendations, follow-up,
evidence map, conclusions).

The project (conftest's minimal one) has three suggestions in a final report as of 2025-12-31:
S1 "analyse" (out1 reaches 6 of 10: not achieved), S2 "report outcome" (x1 has a target and no
value), S3 "goal without indicator" (sub-goal sg1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import minimal_spec, write_project

from .helpers import value

FINAL_AS_OF = "2025-12-31"


def spec() -> dict[str, Any]:
    """The minimal project with an indicator without outcome (x1) and a sub-goal without indicator (sg1)."""
    s = minimal_spec()
    s["goal_tree"].insert(2, {"id": "sg1", "level": "sub", "parent": "pg1", "statement": "Delmål"})
    s["goal_tree"][3]["parent"] = "sg1"
    s["indicators"].append({"id": "x1", "name": "Saknat utfall", "unit": "st", "level": "output", "measures": ["pg1"],
                            "baseline": {"value": 0, "date": s["start"]}, "target": {"value": 3, "date": s["end"]},
                            "aggregation": "cumulative", "source": "src"})
    return s


def values() -> list[dict[str, object]]:
    """out1: 2 at the mid-term (2024-12-31), 6 at the end; res1: 5 at the end; x1 never reported."""
    return [value("out1", "2024-12-31", 2), value("out1", "2025-12-31", 6), value("res1", "2025-12-31", 5)]


def write(root: Path, final: str | None = None, midterm: str | None = None) -> Path:
    """The project under ``root`` with ``assessments/final.yaml`` and ``midterm.yaml`` as given (None: no file)."""
    folder = write_project(root, spec(), {"indicator_values": values()})
    (folder / "assessments").mkdir()
    for kind, body in (("final", final), ("midterm", midterm)):
        if body is not None:
            (folder / "assessments" / f"{kind}.yaml").write_text(body, encoding="utf-8")
    return folder


QUESTIONS = ("P1", "P2", "P3", "N1", "N2", "N3", "relevance", "coherence", "effectiveness", "efficiency", "impact",
             "sustainability", "horizontal", "overall")


def entries(grade: str = "fairly_high", overall: str = "high") -> str:
    """YAML entries for every question (illustrative), the overall one with its own grade."""
    lines = ["entries:"]
    for q in QUESTIONS:
        lines += [f"  - question: {q}", f"    grade: {overall if q == 'overall' else grade}",
                  f"    text: Bedömning av {q}."]
    return "\n".join(lines) + "\n"
