"""Tests for evaluation/analysis/evidence.py: the evidence behind each effect-chain link and the verdict rule."""

from __future__ import annotations

import pytest

from evaluation.analysis.evidence import Estimate, build, verdict
from evaluation.analysis.status import IndicatorRow
from evaluation.core.assessment import Assessment, EvidenceRef, LinkAssessment
from evaluation.core.model import EffectChain, EffectLink, EffectNode, Indicator


def _row(ind_id: str, measures: tuple[str, ...], status: str, role: str | None = None) -> IndicatorRow:
    ind = Indicator(id=ind_id, name=ind_id.upper(), unit="st", level="output", measures=measures, baseline_value=0,
                    baseline_date=None, target_value=10, target_date=None, aggregation="cumulative", role=role)  # type: ignore[arg-type]
    return IndicatorRow(ind, None, None, 10.0, None, None, None, None, None, None, status, False)


# A synthetic chain a -> o -> s -> l with a side branch a -> o2.
CHAIN = EffectChain(
    nodes=(EffectNode("a", "activity", "A"), EffectNode("o", "output", "O"), EffectNode("o2", "output", "O2"),
           EffectNode("s", "short_term", "S"), EffectNode("l", "long_term", "L")),
    links=(EffectLink("a", "o"), EffectLink("o", "s"), EffectLink("s", "l"), EffectLink("a", "o2")),
)


@pytest.mark.parametrize("grade,statuses,estimate,expected", [
    (None, (), None, "untested"),
    ("not_assessed", ("no_target", "not_reported", "too_early"), None, "untested"),
    ("high", (), None, "held"),
    ("fairly_high", ("achieved", "on_track"), None, "held"),
    (None, ("achieved",), None, "held"),
    ("low", (), None, "failed"),
    ("not_at_all", ("not_achieved", "off_track"), None, "failed"),
    ("high", ("not_achieved",), None, "mixed"),
    ("low", ("achieved",), None, "mixed"),
    (None, ("partly",), None, "mixed"),
    (None, ("at_risk",), None, "mixed"),
    (None, (), Estimate(1.2, 0.3, 2.1), "held"),
    (None, (), Estimate(-1.2, -2.1, -0.3), "failed"),
    (None, (), Estimate(0.4, -0.5, 1.3), "untested"),
    ("high", (), Estimate(-1.2, -2.1, -0.3), "mixed"),
])
def test_verdict_rule(grade: str | None, statuses: tuple[str, ...], estimate: Estimate | None, expected: str) -> None:
    """The stated rule: no signal untested, only positive held, only negative failed, both (or partly/at risk) mixed."""
    assert verdict(grade, statuses, estimate) == expected


def test_build_on_a_synthetic_chain() -> None:
    """Each link gets its ends' indicators, the evaluator's grade and cited evidence, and the verdict the rule gives."""
    rows = (_row("out", ("o",), "achieved"), _row("res", ("s",), "not_achieved"), _row("jobs", ("l",), "achieved", role="jobs"))
    assessment = Assessment(kind="final", file="f.yaml", links=(
        LinkAssessment("o", "s", "high", "Stated.", (EvidenceRef("survey", "q1"), EvidenceRef("theme", "net"),
                                                      EvidenceRef("source", "src"))),
        LinkAssessment("a", "o2", "low", "", (EvidenceRef("indicator", "out"),)),
    ))
    estimate = Estimate(2.0, 0.5, 3.5, "twfe")
    found = {ev.link: ev for ev in build(CHAIN, rows, assessment, estimate, [("net", "Nätverk", 4)])}
    assert list(found) == ["a->o", "o->s", "s->l", "a->o2"]
    assert [(i.indicator, i.end, i.status) for i in found["a->o"].indicators] == [("out", "target", "achieved")]
    assert found["a->o"].verdict == "held" and found["a->o"].grade is None
    o_s = found["o->s"]  # graded high, but the indicator at its effect end is not achieved; the cause's is listed, not counted
    assert [(i.indicator, i.end) for i in o_s.indicators] == [("res", "target"), ("out", "source")]
    assert o_s.verdict == "mixed"
    assert o_s.survey == ("q1",) and [(t.code, t.label, t.excerpts) for t in o_s.themes] == [("net", "Nätverk", 4)]
    assert [str(r) for r in o_s.other] == ["source:src"] and o_s.text == "Stated."
    assert o_s.estimate is None  # no employment indicator at its end, no estimate cited
    s_l = found["s->l"]  # the jobs indicator measures its effect end: the estimate speaks to it
    assert s_l.estimate == estimate and s_l.verdict == "held"
    a_o2 = found["a->o2"]  # graded low; the cited indicator (achieved) counts
    assert [(i.indicator, i.end) for i in a_o2.indicators] == [("out", "cited")]
    assert a_o2.verdict == "mixed"


def test_without_assessment_every_link_without_data_is_untested() -> None:
    """No assessment and no indicators: every link untested, ungraded, with no evidence."""
    items = build(CHAIN, ())
    assert [ev.verdict for ev in items] == ["untested"] * 4
    assert all(ev.grade is None and not ev.indicators and not ev.grade_illustrative for ev in items)
