"""The anchor ids of the report: where an evaluator's evidence reference links to.

An evidence reference ``kind:target`` of an assessment (``indicator:N3a``, ``finding:goal_without_indicator``,
``survey:q3``, ``theme:networks``, ``source:nis_final``, ``link:A1->R1``, ``estimate:firm_effects``,
``dissemination:d1``) links to ``#ev-<kind>-<target>`` with every character other than a letter,
a digit, ``_`` or ``-`` written as ``-`` (``link:A1->R1`` -> ``ev-link-A1--R1``). The sections
that show those tables and figures put :func:`marks` before them: invisible elements carrying the ids.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from evaluation.core.assessment import EvidenceRef
from evaluation.report.display import HTML

PREFIX = "ev"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def anchor_id(kind: str, target: str) -> str:
    """The id of the place in the report showing ``kind:target`` (``ev-indicator-N3a``)."""
    return f"{PREFIX}-{_UNSAFE.sub('-', kind)}-{_UNSAFE.sub('-', target)}"


def ref_id(ref: EvidenceRef) -> str:
    """The anchor id an evidence reference links to."""
    return anchor_id(ref.kind, ref.target)


def marks(kind: str, targets: Iterable[str]) -> HTML:
    """Invisible anchors for ``kind:<target>`` of every target (put before the table or figure showing them)."""
    spans = "".join(f'<span class="ev-anchor" id="{html.escape(anchor_id(kind, str(t)))}"></span>'
                    for t in dict.fromkeys(targets))
    return HTML(f'<div class="ev-anchors">{spans}</div>' if spans else "")
