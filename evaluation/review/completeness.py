"""What the evaluator still has to write before a report is finished.

A report is finished only when the evaluator has finished it: every question (P1-P3, N1-N3,
the six OECD DAC criteria, the horizontal criteria, the overall conclusion) has an assessment
with a grade and a text, every generated suggestion (``S1``, ``S2``, ... from
:func:`evaluation.analysis.recommendations.suggestions`) is adopted, edited or rejected, no
``ÄNDRA/CHANGE`` placeholder of ``evaluation new`` is left in project.yaml or the assessment
file, and every decision names a suggestion that exists. :func:`missing` lists what is not done,
each item a translated sentence; a report with any item is a draft, and
``evaluation report --final`` refuses it (:func:`require_final`, exit 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from evaluation.analysis import status
from evaluation.analysis.recommendations import FindingLike, suggestions
from evaluation.analysis.status import IndicatorRow
from evaluation.core import fmt
from evaluation.core.assessment import ALL_QUESTIONS, Assessment, question_label
from evaluation.core.errors import EvaluationError, ReportError
from evaluation.core.i18n import DEFAULT_LANGUAGE, N_, Language, languages, ntext, ptext, text
from evaluation.core.model import Project
from evaluation.io.assessments import assessment_path
from evaluation.io.limits import shown_path
from evaluation.io.yamlio import LinePath, field_name, read_yaml


@dataclass(frozen=True, init=False)
class Missing(fmt.Translated):
    """One thing the evaluator still has to write: its kind, what it concerns and a sentence.

    Kinds: ``file`` (no assessment file), ``evaluator`` (the file names no evaluator),
    ``question`` (no assessment, grade or text), ``suggestion`` (not decided), ``placeholder``
    (an ``ÄNDRA/CHANGE`` marker left), ``reference`` (a decision naming no suggestion), ``stale`` (a decision whose
    ``about`` is no longer what the suggestion of that id is about: the data changed since it was decided).
    """

    kind: str
    subject: str
    message: str
    values: tuple[tuple[str, object], ...]

    def __init__(self, kind: str, subject: str, message: str, /, **values: object) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "subject", subject)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "values", tuple(values.items()))

    def text(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        """The sentence in ``lang`` (a question named by its label in ``lang``)."""
        values = tuple((k, v.text(lang) if isinstance(v, _Question) else v) for k, v in self.values)
        return fmt.fill(lang, self.message, values)


def markers() -> tuple[str, ...]:
    """The placeholder markers of ``evaluation new`` in every language (``ÄNDRA/CHANGE``, ``CHANGE``), longest first."""
    return tuple(sorted({ptext(lang, "project.yaml", "CHANGE") for lang in languages()}, key=len, reverse=True))


def _marker_pattern() -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!\w){re.escape(m)}(?!\w)" for m in markers()))


def placeholders(data: Any, lines: dict[LinePath, int], file: str) -> list[Missing]:
    """Every text value of a parsed YAML document that still holds a placeholder marker (comments are not values)."""
    pattern = _marker_pattern()
    out: list[Missing] = []

    def walk(value: Any, path: LinePath) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))
        elif isinstance(value, str) and pattern.search(value):
            out.append(Missing("placeholder", f"{file}:{field_name(path)}",
                               N_("{file} row {row}: '{field}' still holds the placeholder {marker}."),
                               file=file, row=lines.get(path, 0), field=field_name(path), marker=markers()[0]))

    walk(data, ())
    return out


def _file_placeholders(path: Path) -> list[Missing]:
    try:
        data, lines = read_yaml(path)
    except EvaluationError:  # the loader has read it already; a file changed meanwhile is the next run's problem
        return []
    return placeholders(data, lines, shown_path(path))


def _question_items(assessment: Assessment | None) -> list[Missing]:
    out: list[Missing] = []
    pattern = _marker_pattern()
    for q in ALL_QUESTIONS:
        entry = assessment.entry(q) if assessment is not None else None
        if entry is None:
            out.append(Missing("question", q, N_("{question}: no assessment yet."), question=_Question(q)))
        elif pattern.search(entry.text):
            continue  # listed as a placeholder
        elif not entry.text.strip():
            out.append(Missing("question", q, N_("{question}: the assessment has no text."), question=_Question(q)))
        elif entry.grade is None:
            out.append(Missing("question", q, N_("{question}: the assessment has no grade."), question=_Question(q)))
    return out


@dataclass(frozen=True)
class _Question:
    """A question id written as its label in the reader's language (see :func:`fmt.localise`)."""

    question: str

    def text(self, lang: Language) -> str:
        return question_label(lang, self.question)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANGUAGE)


def missing(project: Project, kind: str, rows: Iterable[IndicatorRow], findings: Iterable[FindingLike]) -> tuple[Missing, ...]:
    """What the evaluator still has to write for the ``kind`` report of ``project`` (empty: finished).

    ``rows`` and ``findings`` are the report's indicator rows and logic findings, from which the
    suggestions and their ids come.
    """
    assessment = project.assessment(kind)
    out: list[Missing] = []
    if project.folder is not None:
        out += _file_placeholders(project.folder / "project.yaml")
    if assessment is None:
        where = shown_path(assessment_path(project.folder, kind)) if project.folder is not None else f"assessments/{kind}.yaml"
        out.append(Missing("file", where, N_("There is no assessment file {file}."), file=where))
    else:
        if not assessment.evaluator.strip():
            out.append(Missing("evaluator", assessment.file, N_("{file} names no evaluator."), file=assessment.file))
        if project.folder is not None:
            out += _file_placeholders(assessment_path(project.folder, kind))
    out += _question_items(assessment)
    about = {s.id: s.key for s in suggestions(rows, findings, kind)}
    generated = tuple(about)
    decided = {d.id for d in assessment.suggestions} if assessment is not None else set()
    for sid in generated:
        if sid not in decided:
            out.append(Missing("suggestion", sid, N_("Suggestion {id} ({about}) is not decided: adopt, edit or reject it."),
                               id=sid, about=about[sid]))
    if assessment is not None:
        for d in assessment.suggestions:
            if d.about is not None and d.id in about and about[d.id] != d.about:  # the data changed since the decision
                out.append(Missing("stale", d.id, N_("{file}: the decision on {id} was made about {was}, but {id} is now "
                                                     "about {now}: decide it again."),
                                   file=assessment.file, id=d.id, was=d.about, now=about[d.id]))
            if d.id not in generated:
                out.append(Missing("reference", d.id, N_("{file}: the decision on {id} names no generated suggestion "
                                                         "(the report suggests {ids})."),
                                   file=assessment.file, id=d.id, ids=", ".join(generated) or "-"))
    return tuple(out)


def for_report(project: Project, kind: str, as_of: date) -> tuple[Missing, ...]:
    """:func:`missing` with the indicator rows and findings a ``kind`` report as of ``as_of`` computes."""
    from evaluation.review.checks import check_project

    return missing(project, kind, status.indicator_rows(project, as_of, kind), check_project(project))


def draft_title(lang: Language, n: int) -> str:
    """The banner of a draft: "Draft: 3 items missing"."""
    return ntext(lang, "Draft: {n} item missing", "Draft: {n} items missing", n)


class DraftError(ReportError):
    """A report asked for as final (``--final``) that the evaluator has not finished (exit 1)."""


def require_final(items: Iterable[Missing], where: str, lang: Language = "en") -> None:
    """Raise :class:`DraftError` listing ``items`` when there are any (``where`` names the report)."""
    items = tuple(items)
    if not items:
        return
    lines = [text(lang, "{report} is a draft and --final refuses to write it; still missing:", report=where)]
    lines += [f"  - {item.text(lang)}" for item in items]
    raise DraftError("\n".join(lines))


def refuse_draft(project: str | Path, kind: str, as_of: date, lang: Language = "en") -> None:
    """``--final``: load ``project`` and raise :class:`DraftError` (exit 1) listing what is missing, if anything."""
    from evaluation.io.loader import load_project

    loaded = load_project(project)
    require_final(for_report(loaded, kind, as_of), f"{loaded.id} {kind}", lang)


def default_as_of(project: Project, kind: str) -> date:
    """The date a ``kind`` report describes when no parameter file says: the end (final) or the middle (mid-term)."""
    if kind == "final":
        return project.end
    return project.start + (project.end - project.start) / 2


def check_lines(project: Project, lang: Language, kinds: Iterable[str] = ("midterm", "final")) -> list[str]:
    """``evaluation check``: per report kind, what the evaluator still has to write (or that nothing is missing)."""
    lines: list[str] = []
    for kind in kinds:
        items = for_report(project, kind, default_as_of(project, kind))
        report = text(lang, "Mid-term report") if kind == "midterm" else text(lang, "Final report")
        if not items:
            lines.append(text(lang, "{report}: the evaluator's part is complete.", report=report))
            continue
        lines.append(text(lang, "{report}: {title}", report=report, title=draft_title(lang, len(items))))
        lines += [f"  - {item.text(lang)}" for item in items]
    return lines
