"""The evaluator's assessment of one question, shown after the facts the toolkit computed.

``sections.assessment(ctx, "P1")`` gives a block under the label "Utvärderarens bedömning" /
"Evaluator's assessment": the question, the grade on the scale (``i hög grad`` ... ``ej bedömt``),
the evaluator's Markdown text rendered safely (mistune with ``escape=True``: HTML the evaluator
typed is shown as text, never passed through; harmful links are neutralised), the attribution
(the source it comes from and the note, or "Illustrative assessment") and every evidence
reference as a link to its anchor (:mod:`evaluation.report.anchors`). A question without an
entry shows "Not yet assessed".
"""

from __future__ import annotations

import functools
import html

import mistune

from evaluation.core.assessment import AssessmentEntry, EvidenceRef, grade_label, question_label
from evaluation.core.i18n import Language, ptext, text
from evaluation.report.anchors import anchor_id, ref_id
from evaluation.report.context import ReportContext
from evaluation.report.display import HTML, Block


@functools.lru_cache(maxsize=1)
def _markdown() -> mistune.Markdown:
    return mistune.create_markdown(escape=True, plugins=["strikethrough"])


def markdown(source: str) -> str:
    """Markdown text as HTML, every HTML tag in it escaped (user text never passes through as markup)."""
    return str(_markdown()(source)).strip()


def label(lang: Language, entry: AssessmentEntry | None = None) -> str:
    """The visible label of an assessment block: "Evaluator's assessment", or, for an entry taken from a published
    source (the project's own conclusions, say), "Assessment according to the source": never the evaluator's words."""
    if entry is not None and entry.data_status == "published" and entry.source is not None:
        return text(lang, "Assessment according to the source")
    return text(lang, "Evaluator's assessment")


def evidence_label(ctx: ReportContext, ref: EvidenceRef) -> str:
    """How a reference reads in the report: the indicator's name, the source's title, else ``kind:target``."""
    p = ctx.project
    if ref.kind == "indicator":
        for ind in p.indicators:
            if ind.id == ref.target:
                return f"{ind.id} {ind.name}"
    if ref.kind == "source":
        for s in p.sources:
            if s.id == ref.target:
                return s.title
    if ref.kind == "link":
        return ref.target.replace("->", " → ")
    return str(ref)


def attribution(ctx: ReportContext, entry: AssessmentEntry) -> str:
    """Who the assessment is from: the source (and the note) for a published one; "Illustrative assessment" otherwise."""
    lang = ctx.lang
    if entry.data_status == "published" and entry.source is not None:
        title = next((s.title for s in ctx.project.sources if s.id == entry.source), entry.source)
        line = text(lang, "Source: {title}.", title=title)
        return f"{line} {entry.attribution}".strip()
    line = text(lang, "Illustrative assessment: written to demonstrate the toolkit, not an evaluator's judgement of the project.")
    return f"{line} {entry.attribution}".strip()


def render(ctx: ReportContext, question: str) -> Block:
    """The evaluator's assessment of ``question`` (P1..N3, a DAC criterion, horizontal, overall)."""
    lang = ctx.lang
    assessment = getattr(ctx, "assessment", None)
    entry = assessment.entry(question) if assessment is not None else None
    head = (f'<p class="assessment-label"><strong>{html.escape(label(lang, entry))}</strong>: '
            f'<span class="assessment-question">{html.escape(question_label(lang, question))}</span></p>')
    box = f'<div class="assessment" id="{html.escape(anchor_id("assessment", question))}" role="note">'
    if entry is None:
        missing = text(lang, "Not yet assessed.")
        return Block((HTML(f'{box}{head}<p class="assessment-missing"><em>{html.escape(missing)}</em></p></div>'),))
    grade_word = ptext(lang, "assessment", "Grade")
    parts = [box, head,
             f'<p class="assessment-grade grade-{html.escape(entry.grade or "none")}"><strong>{html.escape(grade_word)}:</strong> '
             f'{html.escape(grade_label(lang, entry.grade))}</p>',
             f'<div class="assessment-text">{markdown(entry.text)}</div>']
    if entry.evidence:
        links = ", ".join(f'<a class="evidence-link" href="#{html.escape(ref_id(ref))}">{html.escape(evidence_label(ctx, ref))}</a>'
                          for ref in entry.evidence)
        parts.append(f'<p class="assessment-evidence"><strong>{html.escape(text(lang, "Evidence"))}:</strong> {links}</p>')
    cls = "assessment-attribution" + (" illustrative" if entry.data_status != "published" else "")
    parts.append(f'<p class="{cls}"><em>{html.escape(attribution(ctx, entry))}</em></p>')
    parts.append("</div>")
    return Block((HTML("".join(parts)),))


def figures(ctx: ReportContext) -> dict[str, object]:
    """The assessment for the JSON: per question its grade, grade label, text (Markdown), evidence and attribution."""
    assessment = getattr(ctx, "assessment", None)
    if assessment is None:
        return {}
    return {
        "evaluator": assessment.evaluator,
        "entries": {e.question: {"grade": e.grade, "grade_label": grade_label(ctx.lang, e.grade), "text": e.text,
                                 "evidence": [str(r) for r in e.evidence], "source": e.source, "data_status": e.data_status}
                    for e in assessment.entries},
        "links": {link.link: {"grade": link.grade, "text": link.text, "evidence": [str(r) for r in link.evidence]}
                  for link in assessment.links},
    }
