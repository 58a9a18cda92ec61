"""Tests for evaluation.plots.evidence_map: the effect chain with each link coloured and tagged by verdict and grade."""

from __future__ import annotations

from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from evaluation.analysis.evidence import LinkEvidence
from evaluation.core.model import EffectChain, EffectLink, EffectNode
from evaluation.plots.evidence_map import VERDICT_COLOURS, plot_evidence_map

CHAIN = EffectChain(
    nodes=(EffectNode("a", "activity", "Aktivitet"), EffectNode("o", "output", "Output"),
           EffectNode("s", "short_term", "Kort sikt"), EffectNode("l", "long_term", "Lång sikt")),
    links=(EffectLink("a", "o", "A ger O"), EffectLink("o", "s", "O ger S"), EffectLink("s", "l")),
)


def _ev(source: str, target: str, verdict: str, grade: str | None, illustrative: bool = False) -> LinkEvidence:
    return LinkEvidence(source, target, (), None, (), (), (), grade, illustrative, verdict)  # type: ignore[arg-type]


EVIDENCE = (_ev("a", "o", "held", "high"), _ev("o", "s", "failed", "low", illustrative=True), _ev("s", "l", "untested", None))


def test_links_coloured_and_tagged_by_verdict() -> None:
    """Each arrow has its verdict's colour; each tag its symbol and grade ("*" when illustrative, "ej graderat" when none)."""
    ax = plot_evidence_map(CHAIN, EVIDENCE, lang="sv", grade_label=lambda g: {"high": "i hög grad", "low": "i låg grad"}[g])
    arrows = {c.get_gid(): c for c in ax.get_children() if isinstance(c, Annotation)}
    for ev in EVIDENCE:
        patch = arrows[f"link:{ev.link}"].arrow_patch
        assert patch is not None
        assert to_hex(patch.get_edgecolor()) == VERDICT_COLOURS[ev.verdict], ev.link
    tags = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("verdict:")}
    assert tags == {"verdict:a->o": "✓ i hög grad", "verdict:o->s": "✗ i låg grad*", "verdict:s->l": "? ej graderat"}
    legend = ax.get_legend()
    assert legend is not None
    assert legend.get_gid() == "verdict-legend"
    assert [t.get_text() for t in legend.get_texts()] == ["✓ Håller", "✗ Håller inte", "± Blandat", "? Ej prövat",
                                                        "* illustrativ gradering"]


def test_given_axes_is_returned_and_english_labels() -> None:
    """ax given: the same axes comes back; English title and legend."""
    fig = Figure(figsize=(12, 6))
    ax = fig.add_subplot()
    out = plot_evidence_map(CHAIN, EVIDENCE, ax, lang="en")
    assert out is ax
    assert ax.get_title(loc="left") == "Evidence map"
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["✓ Held", "✗ Failed", "± Mixed", "? Untested",
                                                        "* illustrative grade"]
    assert any(t.get_text() == "✗ low*" for t in ax.texts)  # without grade_label: the grade's id
