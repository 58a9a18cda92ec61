"""Tests for evaluation.review.findings: a finding holds an English message id and its values and is
translated when shown, numbers written in the reader's language."""

from __future__ import annotations

import pickle

from evaluation.core.fmt import Number, Percent
from evaluation.core.i18n import N_
from evaluation.review.findings import Finding

NBSP = "\u00a0"


def _finding() -> Finding:
    return Finding(
        "reconcile_outcome_vs_cost_lines", "warning", "p1",
        N_("The sum of the cost lines ({sum} SEK) differs by {difference} SEK ({share}) from the stated outcome ({outcome} SEK), within the tolerance of {tolerance}."),
        sum=Number(15470694), difference=Number(4), share=Percent(0.0000003, 3), outcome=Number(15470690), tolerance=Percent(0.005),
    )


def test_text_translates_the_message_and_writes_numbers_in_the_language() -> None:
    """text('sv') is the Swedish sentence with Swedish numbers; text('en') the English one."""
    f = _finding()
    assert f.text("en") == (
        "The sum of the cost lines (15,470,694 SEK) differs by 4 SEK (0.000%) from the stated outcome (15,470,690 SEK), within the tolerance of 0.5%."
    )
    assert f.text("sv") == (
        f"Summan av kostnadsposterna (15{NBSP}470{NBSP}694 kr) skiljer sig 4 kr (0,000{NBSP}%) från det angivna utfallet "
        f"(15{NBSP}470{NBSP}690 kr), inom toleransen 0,5{NBSP}%."
    )
    assert (f.sv, f.en) == (f.text("sv"), f.text("en"))


def test_finding_holds_the_message_id_and_values() -> None:
    """The finding keeps the English message id and its values, not sentences in two languages."""
    f = Finding("goal_cycle", "error", "g1", N_("The goal tree has a cycle: {ids}."), ids="g1 -> g2 -> g1")
    assert f.message == "The goal tree has a cycle: {ids}."
    assert f.values == (("ids", "g1 -> g2 -> g1"),)
    assert f.text("sv") == "Målträdet har en cirkulär koppling: g1 -> g2 -> g1."


def test_with_severity_keeps_everything_else() -> None:
    """with_severity() changes only the severity; findings compare by value and survive pickling."""
    f = _finding()
    g = f.with_severity("error")
    assert g.severity == "error" and (g.check, g.subject, g.message, g.values) == (f.check, f.subject, f.message, f.values)
    assert g.with_severity("warning") == f
    assert pickle.loads(pickle.dumps(f)) == f
