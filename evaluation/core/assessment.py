"""The evaluator's assessment of a report: one entry per evaluation question, grades of the
effect-chain links, decisions on generated suggestions, own recommendations and the follow-up
of the mid-term's recommendations.

Built by :mod:`evaluation.io.assessments` from ``data/<id>/assessments/<kind>.yaml`` and never
changed afterwards. ``None`` always means "not given". Texts are Markdown as the evaluator
wrote them; the report renders them escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from evaluation.core.i18n import Language, ptext

# The same closed set as evaluation.core.model.DataStatus (model imports this module, so it
# cannot be imported from there; tests/core/test_assessment.py pins that the two agree).
DataStatus = Literal["published", "illustrative", "estimated"]
Grade = Literal["high", "fairly_high", "low", "not_at_all", "not_assessed"]
Decision = Literal["adopted", "edited", "rejected"]
Priority = Literal["high", "medium", "low"]
Verdict = Literal["implemented", "partly", "not_implemented"]
EvidenceKind = Literal["indicator", "finding", "survey", "theme", "source", "link", "estimate", "dissemination"]

GRADES: tuple[str, ...] = get_args(Grade)
QUESTIONS: tuple[str, ...] = ("P1", "P2", "P3", "N1", "N2", "N3")
DAC: tuple[str, ...] = ("relevance", "coherence", "effectiveness", "efficiency", "impact", "sustainability")
OTHER: tuple[str, ...] = ("horizontal", "overall")
ALL_QUESTIONS: tuple[str, ...] = QUESTIONS + DAC + OTHER
"""Every question an assessment answers, in report order of the question lists."""
DECISIONS: tuple[str, ...] = get_args(Decision)
PRIORITIES: tuple[str, ...] = get_args(Priority)
VERDICTS: tuple[str, ...] = get_args(Verdict)
EVIDENCE_KINDS: tuple[str, ...] = get_args(EvidenceKind)
ASSESSMENT_KINDS: tuple[str, ...] = ("midterm", "final")


@dataclass(frozen=True)
class EvidenceRef:
    """A reference from an assessment to something the toolkit knows, e.g. ``indicator:N3a``."""

    kind: str
    target: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}"

    @classmethod
    def parse(cls, value: str) -> EvidenceRef:
        """``"kind:target"`` -> EvidenceRef (the target may itself contain ``:``); no validation."""
        kind, _, target = value.partition(":")
        return cls(kind.strip(), target.strip())


@dataclass(frozen=True)
class AssessmentEntry:
    """The evaluator's answer to one question (P1..N3, a DAC criterion, horizontal, overall)."""

    question: str
    grade: str | None
    text: str
    evidence: tuple[EvidenceRef, ...] = ()
    source: str | None = None
    attribution: str = ""
    data_status: DataStatus = "illustrative"


@dataclass(frozen=True)
class LinkAssessment:
    """The evaluator's grade of one effect-chain link ``source -> target``."""

    source: str
    target: str
    grade: str | None
    text: str = ""
    evidence: tuple[EvidenceRef, ...] = ()
    data_status: DataStatus = "illustrative"

    @property
    def link(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass(frozen=True)
class SuggestionDecision:
    """The evaluator's decision on a generated suggestion (id ``S1``..)."""

    id: str
    decision: str
    text: str = ""
    addressee: str = ""
    priority: str | None = None
    due: date | None = None
    about: str | None = None  # what the suggestion was about when decided (its key, e.g. review:jobs); None = not stated


@dataclass(frozen=True)
class Recommendation:
    """A recommendation of the report: the evaluator's own, or an adopted/edited suggestion
    (``suggestion`` names it)."""

    id: str
    text: str
    addressee: str = ""
    priority: str | None = None
    due: date | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class FollowUp:
    """Final report: a mid-term recommendation, the project's response and the evaluator's verdict."""

    recommendation: str
    response: str
    verdict: str


@dataclass(frozen=True)
class Assessment:
    """The evaluator's assessment file for one report kind (``midterm`` or ``final``)."""

    kind: str
    file: str
    evaluator: str = ""
    data_status: DataStatus = "illustrative"
    entries: tuple[AssessmentEntry, ...] = ()
    links: tuple[LinkAssessment, ...] = ()
    suggestions: tuple[SuggestionDecision, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()

    def entry(self, question: str) -> AssessmentEntry | None:
        for item in self.entries:
            if item.question == question:
                return item
        return None

    def link(self, source: str, target: str) -> LinkAssessment | None:
        for item in self.links:
            if item.source == source and item.target == target:
                return item
        return None

    def suggestion(self, suggestion_id: str) -> SuggestionDecision | None:
        for item in self.suggestions:
            if item.id == suggestion_id:
                return item
        return None

    def is_illustrative(self) -> bool:
        """True if any entry or link is illustrative."""
        return any(e.data_status == "illustrative" for e in self.entries) or any(
            link.data_status == "illustrative" for link in self.links
        )


def grade_label(lang: Language, grade: str | None) -> str:
    """The label of a grade on the report's scale ("i ganska hög grad" / "to a fairly high degree")."""
    labels = {
        "high": ptext(lang, "assessment grade", "to a high degree"),
        "fairly_high": ptext(lang, "assessment grade", "to a fairly high degree"),
        "low": ptext(lang, "assessment grade", "to a low degree"),
        "not_at_all": ptext(lang, "assessment grade", "not at all"),
        "not_assessed": ptext(lang, "assessment grade", "not assessed"),
    }
    return labels[grade or "not_assessed"]


def question_label(lang: Language, question: str) -> str:
    """The label of an evaluation question ("P1 Project logic", "Relevance", "Overall conclusion")."""
    labels = {
        "P1": ptext(lang, "assessment question", "P1 Project logic"),
        "P2": ptext(lang, "assessment question", "P2 Process"),
        "P3": ptext(lang, "assessment question", "P3 Public debate and dissemination"),
        "N1": ptext(lang, "assessment question", "N1 Key activities"),
        "N2": ptext(lang, "assessment question", "N2 Key persons"),
        "N3": ptext(lang, "assessment question", "N3 Key figures"),
        "relevance": ptext(lang, "assessment question", "Relevance"),
        "coherence": ptext(lang, "assessment question", "Coherence"),
        "effectiveness": ptext(lang, "assessment question", "Effectiveness"),
        "efficiency": ptext(lang, "assessment question", "Efficiency"),
        "impact": ptext(lang, "assessment question", "Impact"),
        "sustainability": ptext(lang, "assessment question", "Sustainability"),
        "horizontal": ptext(lang, "assessment question", "Horizontal criteria"),
        "overall": ptext(lang, "assessment question", "Overall conclusion"),
    }
    return labels.get(question, question)
