"""The evidence map: the effect-logic chain with every link coloured and annotated by its verdict and grade.

The chain is drawn by :func:`evaluation.plots.diagrams.plot_effect_chain` (same layout, same
``gid`` of every element); this module then colours each arrow ``link:<source>-><target>`` by
its verdict (:mod:`evaluation.analysis.evidence`), puts a tag with the verdict's symbol and the
evaluator's grade on it (``gid`` ``verdict:<source>-><target>``) and adds a legend (``gid``
``verdict-legend``). Colours are told apart by symbol as well (✓ held, ✗ failed, ± mixed,
? untested), so the map reads in greyscale print.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from evaluation.analysis.evidence import VERDICTS, LinkEvidence
from evaluation.core.errors import check_language
from evaluation.core.i18n import Language, ptext, text
from evaluation.core.model import EffectChain
from evaluation.plots import diagrams

__all__ = ["VERDICT_COLOURS", "VERDICT_SYMBOLS", "plot_evidence_map", "verdict_label"]

VERDICT_COLOURS: dict[str, str] = {"held": "#1a7f37", "failed": "#b42318", "mixed": "#b35c00", "untested": "#8c8c8c"}
VERDICT_SYMBOLS: dict[str, str] = {"held": "✓", "failed": "✗", "mixed": "±", "untested": "?"}
_TAG_AFTER_START = 0.12
"""How far (inches) after the arrow's tail the verdict tag begins (left-aligned there): in the first gap, whatever columns
the arrow skips, clear of the source box; arrows converging on one box keep their tags apart."""
_TAG_ABOVE = 0.13
"""How far (inches) off the arrow the tag sits: clear of the circled assumption number at the arrow's middle
(below a rising arrow, above a level or falling one)."""


def verdict_label(lang: Language, verdict: str) -> str:
    """The reader's word for a verdict ("Håller" / "Held", ...)."""
    labels = {
        "held": ptext(lang, "link verdict", "Held"),
        "failed": ptext(lang, "link verdict", "Failed"),
        "mixed": ptext(lang, "link verdict", "Mixed"),
        "untested": ptext(lang, "link verdict", "Untested"),
    }
    return labels[verdict]


def _arrows(ax: Axes) -> dict[str, Annotation]:
    out: dict[str, Annotation] = {}
    for child in ax.get_children():
        gid = child.get_gid() or ""
        if isinstance(child, Annotation) and gid.startswith("link:"):
            out[gid[len("link:"):]] = child
    return out


def plot_evidence_map(
    chain: EffectChain,
    evidence: Sequence[LinkEvidence],
    ax: Axes | None = None,
    *,
    lang: Language = "sv",
    grade_label: Callable[[str], str] | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Axes:
    """Draw ``chain`` as :func:`~evaluation.plots.diagrams.plot_effect_chain` does, each link coloured by its verdict.

    ``evidence`` is :func:`evaluation.analysis.evidence.build`'s result for the chain. Each arrow
    gets its verdict's colour (a thicker line for held and failed links) and a tag with the
    verdict's symbol and the grade (``grade_label(grade)``, default the grade's id; "not graded"
    without a grade; ``*`` after an illustrative grade, explained in the legend). A legend names the verdicts.
    ``title`` defaults to "Evidenskarta" / "Evidence map". Returns the axes drawn on.
    """
    check_language(lang, "plot arguments", "lang")
    ax = diagrams.plot_effect_chain(chain, ax, lang=lang, title=title if title is not None else text(lang, "Evidence map"),
                                    source=source)
    arrows = _arrows(ax)
    for ev in evidence:
        arrow = arrows.get(ev.link)
        if arrow is None or arrow.arrow_patch is None:
            continue
        colour = VERDICT_COLOURS[ev.verdict]
        arrow.arrow_patch.set_color(colour)
        arrow.arrow_patch.set_linewidth(2.0 if ev.verdict in ("held", "failed") else 1.3)
        (x0, y0), (x1, y1) = arrow.xyann, arrow.xy
        if ev.grade is None:
            grade = text(lang, "not graded")
        else:
            grade = grade_label(ev.grade) if grade_label is not None else ev.grade
            if ev.grade_illustrative:
                grade += "*"
        dx = x1 - x0
        share = min(_TAG_AFTER_START / abs(dx), 0.5) if dx else 0.5
        ax.text(
            x0 + share * dx, y0 + share * (y1 - y0) + (-_TAG_ABOVE if y1 > y0 else _TAG_ABOVE), f"{VERDICT_SYMBOLS[ev.verdict]} {grade}",
            ha="left" if dx >= 0 else "right", va="center", fontsize=6, color=colour, fontweight="bold",
            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor=colour, linewidth=0.8),
            gid=f"verdict:{ev.link}", zorder=6,
        )
    handles = [Line2D([], [], color=VERDICT_COLOURS[v], linewidth=2.0, label=f"{VERDICT_SYMBOLS[v]} {verdict_label(lang, v)}")
               for v in VERDICTS]
    if any(ev.grade_illustrative and ev.grade is not None for ev in evidence):
        handles.append(Line2D([], [], linestyle="none", label=text(lang, "* illustrative grade")))
    legend = ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=len(handles), frameon=False,
                       fontsize=8, borderaxespad=0.2)
    legend.set_gid("verdict-legend")
    return ax
