"""The evidence map: the project's theory of change tested, link by link (a contribution-analysis view).

For every link of the effect-logic chain (``project.effect_logic.links``) :func:`build` collects
the evidence behind it:

* the indicators measuring its two ends (``Indicator.measures`` names the node) with their
  status from :mod:`evaluation.analysis.status`, and any indicator the evaluator cites for the link;
* the firm-effect estimate (the report's chosen estimate from :mod:`evaluation.analysis.firms`)
  on the links whose target an employment indicator (role ``jobs``) measures, or that cite
  ``estimate:firm_effects``;
* the survey items, interview themes and other references the evaluator cites for the link in the
  assessment file (``links:``), and the evaluator's grade of the link.

:func:`verdict` turns them into one verdict per link, by :data:`VERDICT_RULE`:

* each piece of evidence gives a *signal*: the evaluator's grade ("to a high / fairly high degree"
  positive, "to a low degree / not at all" negative, "not assessed" none); the status of an
  indicator at the link's target end or cited for it (achieved or on track positive, not achieved
  or off track negative, partly achieved or at risk both, anything else none); the firm-effect
  estimate (its 95 % interval wholly above zero positive, wholly below negative, covering zero none);
* no signal: **untested**; only positive signals: **held**; only negative: **failed**; both: **mixed**.

Indicators at the link's source end show whether the cause happened; they are listed, not counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from evaluation.analysis.status import IndicatorRow
from evaluation.core.assessment import Assessment, EvidenceRef
from evaluation.core.model import EffectChain

Verdict = Literal["held", "failed", "mixed", "untested"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
Signal = Literal["positive", "negative", "both"]
End = Literal["source", "target", "cited"]

POSITIVE_GRADES: tuple[str, ...] = ("high", "fairly_high")
NEGATIVE_GRADES: tuple[str, ...] = ("low", "not_at_all")
POSITIVE_STATUSES: tuple[str, ...] = ("achieved", "on_track")
NEGATIVE_STATUSES: tuple[str, ...] = ("not_achieved", "off_track")
MIXED_STATUSES: tuple[str, ...] = ("partly", "at_risk")
JOBS_ROLE = "jobs"
"""The indicator role whose node the firm-effect estimate (employees) speaks to."""
ESTIMATE_REF = EvidenceRef("estimate", "firm_effects")
_END_ORDER = {"target": 0, "cited": 1, "source": 2}


@dataclass(frozen=True)
class IndicatorEvidence:
    """An indicator behind a link: which end it measures (or ``cited`` by the evaluator) and its status."""

    indicator: str
    name: str
    end: End
    status: str

    @property
    def counts(self) -> bool:
        """Whether its status enters the verdict (target end or cited; the source end only shows the cause happened)."""
        return self.end != "source"


@dataclass(frozen=True)
class Estimate:
    """The firm-effect estimate (effect of participation on employees per firm) with its 95 % interval."""

    coefficient: float
    ci_low: float
    ci_high: float
    method: str = ""

    def signal(self) -> Signal | None:
        """Positive when the interval lies wholly above zero, negative when wholly below, None when it covers zero."""
        if self.ci_low > 0:
            return "positive"
        if self.ci_high < 0:
            return "negative"
        return None


@dataclass(frozen=True)
class ThemeEvidence:
    """An interview theme cited for a link: its code, readable label and the number of coded excerpts on it."""

    code: str
    label: str
    excerpts: int


@dataclass(frozen=True)
class LinkEvidence:
    """Everything that speaks to one link ``source -> target`` and the verdict it gives."""

    source: str
    target: str
    indicators: tuple[IndicatorEvidence, ...]
    estimate: Estimate | None
    survey: tuple[str, ...]
    themes: tuple[ThemeEvidence, ...]
    other: tuple[EvidenceRef, ...]
    grade: str | None
    grade_illustrative: bool
    verdict: Verdict
    text: str = ""
    """The evaluator's text on the link (Markdown), "" when none."""

    @property
    def link(self) -> str:
        """``source->target``, as the assessment file and the diagram name the link."""
        return f"{self.source}->{self.target}"

    def signals(self) -> tuple[Signal, ...]:
        """The signals that gave the verdict (see :func:`signals`)."""
        return signals(self.grade, [i.status for i in self.indicators if i.counts], self.estimate)


def grade_signal(grade: str | None) -> Signal | None:
    """The signal of an evaluator's grade: positive, negative or None (not assessed, not given)."""
    if grade in POSITIVE_GRADES:
        return "positive"
    if grade in NEGATIVE_GRADES:
        return "negative"
    return None


def status_signal(status: str) -> Signal | None:
    """The signal of an indicator status: positive, negative, both (partly, at risk) or None."""
    if status in POSITIVE_STATUSES:
        return "positive"
    if status in NEGATIVE_STATUSES:
        return "negative"
    if status in MIXED_STATUSES:
        return "both"
    return None


def signals(grade: str | None, statuses: Iterable[str], estimate: Estimate | None) -> tuple[Signal, ...]:
    """Every signal of a link: the grade's, each counted indicator status's and the estimate's (None left out)."""
    out = [grade_signal(grade), *(status_signal(s) for s in statuses), estimate.signal() if estimate is not None else None]
    return tuple(s for s in out if s is not None)


def verdict(grade: str | None, statuses: Iterable[str] = (), estimate: Estimate | None = None) -> Verdict:
    """The verdict of a link: untested without signal, held/failed when all are positive/negative, mixed otherwise."""
    found = set(signals(grade, statuses, estimate))
    if not found:
        return "untested"
    if found == {"positive"}:
        return "held"
    if found == {"negative"}:
        return "failed"
    return "mixed"


def _refs(refs: Iterable[EvidenceRef], kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.target for r in refs if r.kind == kind))


def build(
    chain: EffectChain,
    rows: Sequence[IndicatorRow],
    assessment: Assessment | None = None,
    estimate: Estimate | None = None,
    themes: Iterable[tuple[str, str, int]] = (),
) -> tuple[LinkEvidence, ...]:
    """The evidence and verdict of every link of ``chain``, in link order.

    ``rows`` are the report's indicator rows; ``assessment`` the evaluator's file for the report
    (link grades and cited evidence); ``estimate`` the report's firm-effect estimate if one is
    shown; ``themes`` ``(code, label, number of excerpts)`` of the interview themes known.
    """
    theme_info = {code: (label, n) for code, label, n in themes}
    out: list[LinkEvidence] = []
    for link in chain.links:
        graded = assessment.link(link.source, link.target) if assessment is not None else None
        refs = graded.evidence if graded is not None else ()
        items: list[IndicatorEvidence] = []
        seen: set[str] = set()
        jobs_at_target = False
        for row in rows:
            ind = row.indicator
            for end, node in (("target", link.target), ("source", link.source)):
                if node in ind.measures and ind.id not in seen:
                    items.append(IndicatorEvidence(ind.id, ind.name, end, row.status))  # type: ignore[arg-type]
                    seen.add(ind.id)
                    jobs_at_target = jobs_at_target or (end == "target" and ind.effective_role() == JOBS_ROLE)
        by_id = {row.indicator.id: row for row in rows}
        for ind_id in _refs(refs, "indicator"):
            if ind_id in seen:
                items = [IndicatorEvidence(i.indicator, i.name, "cited", i.status) if i.indicator == ind_id and i.end == "source"
                         else i for i in items]
            elif ind_id in by_id:
                row = by_id[ind_id]
                items.append(IndicatorEvidence(ind_id, row.indicator.name, "cited", row.status))
                seen.add(ind_id)
        cites_estimate = any(r.kind == ESTIMATE_REF.kind for r in refs)
        shown_estimate = estimate if estimate is not None and (jobs_at_target or cites_estimate) else None
        cited_themes = tuple(ThemeEvidence(code, *theme_info.get(code, (code, 0))) for code in _refs(refs, "theme"))
        other = tuple(r for r in refs if r.kind not in ("indicator", "survey", "theme", "estimate"))
        grade = graded.grade if graded is not None else None
        ev = tuple(sorted(items, key=lambda i: _END_ORDER[i.end]))  # the effect end first, the cause last
        out.append(LinkEvidence(
            source=link.source, target=link.target, indicators=ev, estimate=shown_estimate, survey=_refs(refs, "survey"),
            themes=cited_themes, other=other, grade=grade,
            grade_illustrative=graded is not None and graded.data_status == "illustrative",
            verdict=verdict(grade, [i.status for i in ev if i.counts], shown_estimate),
            text=graded.text if graded is not None else "",
        ))
    return tuple(out)
