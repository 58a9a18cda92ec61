"""Read and validate the evaluator's assessment files ``data/<id>/assessments/<kind>.yaml``.

An assessment file is YAML whose text values are Markdown (see :mod:`evaluation.core.assessment`
and the README). It is read with :mod:`evaluation.io.yamlio` (line numbers in every message) and
checked against the loaded project: unknown keys and values, bad dates, entries given twice,
evidence references that point nowhere, follow-ups of recommendations the mid-term did not
adopt. Every problem in every assessment file is collected and raised once as an
:class:`~evaluation.core.errors.InputError` (exit 2), naming the file, the entry and the reference.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from evaluation.core.assessment import (
    ALL_QUESTIONS,
    ASSESSMENT_KINDS,
    DECISIONS,
    GRADES,
    PRIORITIES,
    VERDICTS,
    Assessment,
    AssessmentEntry,
    EvidenceRef,
    FollowUp,
    LinkAssessment,
    Recommendation,
    SuggestionDecision,
)
from evaluation.core.errors import InputError, ProblemCollector
from evaluation.core.model import Project
from evaluation.core.rulebook import RULES
from evaluation.io.limits import shown_path
from evaluation.io.yamlio import LinePath, line_of, read_yaml

FOLDER = "assessments"
"""The folder of a project holding ``midterm.yaml`` and ``final.yaml``."""

TOP_KEYS = ("evaluator", "data_status", "entries", "links", "suggestions", "recommendations", "follow_up")
ENTRY_KEYS = ("question", "grade", "text", "evidence", "source", "attribution", "data_status")
LINK_KEYS = ("link", "grade", "text", "evidence", "data_status")
SUGGESTION_KEYS = ("id", "decision", "text", "addressee", "priority", "due", "about")
RECOMMENDATION_KEYS = ("id", "text", "addressee", "priority", "due")
FOLLOW_UP_KEYS = ("recommendation", "response", "verdict")
ENTRY_STATUSES = ("published", "illustrative")
FIRM_EFFECTS = "firm_effects"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LINK = re.compile(r"^\s*(.+?)\s*->\s*(.+?)\s*$")


def assessment_path(folder: Path, kind: str) -> Path:
    """``<folder>/assessments/<kind>.yaml``."""
    return folder / FOLDER / f"{kind}.yaml"


def known_references(project: Project) -> dict[str, tuple[str, ...]]:
    """Per evidence kind, the targets the project knows (what a reference may name)."""
    survey: tuple[str, ...] = ()
    if project.survey is not None and "item" in project.survey.columns:
        survey = tuple(sorted({str(v) for v in project.survey["item"].dropna()}))
    themes = {str(getattr(t, "code", "")) for t in getattr(project, "themes", ())}
    themes |= {str(getattr(e, "theme", "")) for e in getattr(project, "excerpts", ())}
    return {
        "indicator": tuple(i.id for i in project.indicators),
        "finding": tuple(RULES),
        "survey": survey,
        "theme": tuple(sorted(t for t in themes if t)),
        "source": tuple(s.id for s in project.sources),
        "link": tuple(f"{link.source}->{link.target}" for link in project.effect_chain.links),
        "estimate": (FIRM_EFFECTS,) if project.firms is not None else (),
        "dissemination": tuple(str(getattr(d, "id", "")) for d in getattr(project, "dissemination", ())),
    }


_EXPECTATION = {
    "indicator": "a known indicator id",
    "finding": "a known check (finding) id of the rule book",
    "survey": "a known survey item",
    "theme": "a known theme code of the excerpts",
    "source": "a known source id of project.yaml",
    "link": "a link <from>-><to> of the effect logic",
    "estimate": "estimate:firm_effects, in a project with a firm panel",
    "dissemination": "a known dissemination activity id",
}


def reference_problem(ref: EvidenceRef, known: dict[str, tuple[str, ...]]) -> str | None:
    """What ``ref`` must be when it points nowhere (None when it names something the project knows)."""
    if ref.kind not in known:
        return "a reference kind:target with kind one of " + ", ".join(known)
    target = ref.target
    if ref.kind == "link" and (m := _LINK.match(target)):
        target = f"{m.group(1)}->{m.group(2)}"
    if target not in known[ref.kind]:
        return _EXPECTATION[ref.kind]
    return None


class _Reader:
    """Validates one parsed assessment file; problems go into the shared collector."""

    def __init__(self, project: Project, kind: str, file: str, lines: dict[LinePath, int], problems: ProblemCollector,
                 known: dict[str, tuple[str, ...]]):
        self.project = project
        self.kind = kind
        self.file = file
        self.lines = lines
        self.problems = problems
        self.known = known
        self.check_follow_up = True

    def add(self, loc: LinePath, field: str, expectation: str, got: object) -> None:
        self.problems.add(self.file, field, expectation, got, row=line_of(self.lines, loc))

    # -- plain values -------------------------------------------------------------------------------

    def string(self, item: dict[str, Any], key: str, loc: LinePath, where: str, *, required: bool = False) -> str:
        value = item.get(key)
        if value is None:
            if required:
                self.add((*loc, key), f"{where}.{key}", "a text (Markdown)", None)
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add((*loc, key), f"{where}.{key}", "a text (Markdown)", value)
            return ""
        return str(value).strip("\n")

    def choice(self, item: dict[str, Any], key: str, allowed: Iterable[str], loc: LinePath, where: str,
               *, required: bool = False) -> str | None:
        value = item.get(key)
        allowed = tuple(allowed)
        if value is None:
            if required:
                self.add((*loc, key), f"{where}.{key}", "one of " + ", ".join(allowed), None)
            return None
        if str(value) not in allowed:
            self.add((*loc, key), f"{where}.{key}", "one of " + ", ".join(allowed), value)
            return None
        return str(value)

    def due(self, item: dict[str, Any], loc: LinePath, where: str) -> date | None:
        value = item.get("due")
        if value is None:
            return None
        try:
            if not _ISO_DATE.match(str(value)):
                raise ValueError(value)
            return date.fromisoformat(str(value))
        except ValueError:
            self.add((*loc, "due"), f"{where}.due", "a date written YYYY-MM-DD", value)
            return None

    def keys(self, item: object, allowed: tuple[str, ...], loc: LinePath, where: str) -> dict[str, Any] | None:
        if not isinstance(item, dict):
            self.add(loc, where, "a mapping of " + ", ".join(allowed), item)
            return None
        for key in item:
            if key not in allowed:
                self.add((*loc, key), f"{where}.{key}", "a known key (one of " + ", ".join(allowed) + ")", key)
        return item

    def items(self, data: dict[str, Any], key: str) -> list[tuple[int, Any]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add((key,), key, "a list", type(value).__name__)
            return []
        return list(enumerate(value))

    def listed(self, data: dict[str, Any], section: str, name_key: str,
               allowed: tuple[str, ...]) -> Iterator[tuple[LinePath, str, Any, dict[str, Any]]]:
        """Each mapping of the list ``section``: its place (``(section, index)``), name as messages show it
        (``section[<name>]``, else ``section[<index>]``), the value of ``name_key`` and the mapping;
        a non-mapping or an unknown key is a problem (and a non-mapping is skipped)."""
        for i, raw in self.items(data, section):
            loc: LinePath = (section, i)
            name = raw.get(name_key) if isinstance(raw, dict) else None
            where = f"{section}[{name}]" if name is not None else f"{section}[{i}]"
            item = self.keys(raw, allowed, loc, where)
            if item is not None:
                yield loc, where, name, item

    def evidence(self, item: dict[str, Any], loc: LinePath, where: str) -> tuple[EvidenceRef, ...]:
        value = item.get("evidence")
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add((*loc, "evidence"), f"{where}.evidence", "a list of references kind:target", value)
            return ()
        refs: list[EvidenceRef] = []
        for j, raw in enumerate(value):
            at = (*loc, "evidence", j)
            if not isinstance(raw, str) or ":" not in raw:
                self.add(at, f"{where}.evidence", "a reference kind:target (e.g. indicator:N3a)", raw)
                continue
            ref = EvidenceRef.parse(raw)
            if ref.kind == "link" and (m := _LINK.match(ref.target)):
                ref = EvidenceRef("link", f"{m.group(1)}->{m.group(2)}")
            expectation = reference_problem(ref, self.known)
            if expectation is not None:
                self.add(at, f"{where}.evidence", f"{expectation}", str(ref))
                continue
            refs.append(ref)
        return tuple(refs)

    def status(self, item: dict[str, Any], loc: LinePath, where: str, default: str) -> str:
        return self.choice(item, "data_status", ENTRY_STATUSES, loc, where) or default

    # -- the parts ----------------------------------------------------------------------------------

    def entries(self, data: dict[str, Any], default_status: str) -> tuple[AssessmentEntry, ...]:
        out: list[AssessmentEntry] = []
        seen: dict[str, int] = {}
        sources = self.known["source"]
        for loc, where, _, item in self.listed(data, "entries", "question", ENTRY_KEYS):
            q = self.choice(item, "question", ALL_QUESTIONS, loc, where, required=True)
            if q is not None and q in seen:
                self.add((*loc, "question"), f"{where}.question",
                         f"given only once (entry {seen[q] + 1} already assesses it)", q)
                q = None
            if q is not None:
                seen[q] = int(loc[1])
            source = item.get("source")
            if source is not None and str(source) not in sources:
                self.add((*loc, "source"), f"{where}.source", "a known source id of project.yaml", source)
                source = None
            status = self.status(item, loc, where, default_status)
            if status == "published" and source is None:
                self.add((*loc, "data_status"), f"{where}.data_status",
                         "illustrative unless the entry names its 'source' (a published assessment is attributed)", status)
            grade = self.choice(item, "grade", GRADES, loc, where)
            text = self.string(item, "text", loc, where)
            evidence = self.evidence(item, loc, where)
            attribution = self.string(item, "attribution", loc, where)
            if q is not None:
                out.append(AssessmentEntry(q, grade, text, evidence, None if source is None else str(source),
                                           attribution, status))  # type: ignore[arg-type]
        return tuple(out)

    def links(self, data: dict[str, Any], default_status: str) -> tuple[LinkAssessment, ...]:
        out: list[LinkAssessment] = []
        seen: set[str] = set()
        for loc, where, name, item in self.listed(data, "links", "link", LINK_KEYS):
            m = _LINK.match(str(name)) if name is not None else None
            key = f"{m.group(1)}->{m.group(2)}" if m else None
            if key is None or key not in self.known["link"]:
                self.add((*loc, "link"), f"{where}.link", "a link <from>-><to> of the effect logic", name)
                key = None
            elif key in seen:
                self.add((*loc, "link"), f"{where}.link", "given only once", name)
                key = None
            grade = self.choice(item, "grade", GRADES, loc, where)
            text = self.string(item, "text", loc, where)
            evidence = self.evidence(item, loc, where)
            status = self.status(item, loc, where, default_status)
            if key is not None and m is not None:
                seen.add(key)
                out.append(LinkAssessment(m.group(1), m.group(2), grade, text, evidence, status))  # type: ignore[arg-type]
        return tuple(out)

    def suggestions(self, data: dict[str, Any]) -> tuple[SuggestionDecision, ...]:
        out: list[SuggestionDecision] = []
        seen: set[str] = set()
        for loc, where, sid, item in self.listed(data, "suggestions", "id", SUGGESTION_KEYS):
            if sid is None or not str(sid).strip():
                self.add((*loc, "id"), f"{where}.id", "the id of a generated suggestion (S1, S2, ...)", sid)
            elif str(sid) in seen:
                self.add((*loc, "id"), f"{where}.id", "given only once", sid)
                sid = None
            decision = self.choice(item, "decision", DECISIONS, loc, where, required=True)
            text = self.string(item, "text", loc, where, required=decision == "edited")
            addressee = self.string(item, "addressee", loc, where)
            priority = self.choice(item, "priority", PRIORITIES, loc, where)
            due = self.due(item, loc, where)
            about = self.string(item, "about", loc, where).strip() or None
            if sid is not None and str(sid).strip() and decision is not None:
                seen.add(str(sid))
                out.append(SuggestionDecision(str(sid), decision, text, addressee, priority, due, about))
        return tuple(out)

    def recommendations(self, data: dict[str, Any], taken: set[str]) -> tuple[Recommendation, ...]:
        out: list[Recommendation] = []
        seen = set(taken)
        for loc, where, rid, item in self.listed(data, "recommendations", "id", RECOMMENDATION_KEYS):
            if rid is None or not str(rid).strip():
                self.add((*loc, "id"), f"{where}.id", "an id (R1, R2, ...)", rid)
                rid = None
            elif str(rid) in seen:
                self.add((*loc, "id"), f"{where}.id", "an id not used by another recommendation or suggestion", rid)
                rid = None
            text = self.string(item, "text", loc, where, required=True)
            addressee = self.string(item, "addressee", loc, where)
            priority = self.choice(item, "priority", PRIORITIES, loc, where)
            due = self.due(item, loc, where)
            if rid is not None:
                seen.add(str(rid))
                out.append(Recommendation(str(rid), text, addressee, priority, due))
        return tuple(out)

    def follow_up(self, data: dict[str, Any], adopted: tuple[str, ...] | None) -> tuple[FollowUp, ...]:
        out: list[FollowUp] = []
        rows = self.items(data, "follow_up")
        if rows and self.kind != "final":
            self.add(("follow_up",), "follow_up", "given only in final.yaml (the mid-term's recommendations followed up)",
                     "follow_up in " + self.kind)
            return ()
        seen: set[str] = set()
        for i, raw in rows:
            loc: LinePath = ("follow_up", i)
            rid = raw.get("recommendation") if isinstance(raw, dict) else None
            where = f"follow_up[{rid}]" if rid is not None else f"follow_up[{i}]"
            item = self.keys(raw, FOLLOW_UP_KEYS, loc, where)
            if item is None:
                continue
            if self.check_follow_up and (rid is None or adopted is None or str(rid) not in adopted):
                known = ", ".join(adopted) if adopted else "none"
                self.add((*loc, "recommendation"), f"{where}.recommendation",
                         f"a recommendation adopted in {FOLDER}/midterm.yaml (adopted: {known})", rid)
                rid = None
            elif str(rid) in seen:
                self.add((*loc, "recommendation"), f"{where}.recommendation", "given only once", rid)
                rid = None
            response = self.string(item, "response", loc, where)
            verdict = self.choice(item, "verdict", VERDICTS, loc, where, required=True)
            if rid is not None and verdict is not None:
                seen.add(str(rid))
                out.append(FollowUp(str(rid), response, verdict))
        return tuple(out)


def adopted_ids(assessment: Assessment) -> tuple[str, ...]:
    """The ids of the recommendations an assessment makes: adopted or edited suggestions, then its own."""
    return (tuple(s.id for s in assessment.suggestions if s.decision in ("adopted", "edited"))
            + tuple(r.id for r in assessment.recommendations))


def parse_assessment(project: Project, kind: str, data: Any, file: str, lines: dict[LinePath, int],
                     problems: ProblemCollector, midterm: Assessment | None = None,
                     check_follow_up: bool = True) -> Assessment | None:
    """The assessment in ``data`` (parsed YAML of ``file``), its problems added to ``problems``.

    ``midterm``: the mid-term assessment whose adopted recommendations a final file's follow-up
    may name; ``check_follow_up=False`` skips that check (the mid-term file has problems itself).
    """
    reader = _Reader(project, kind, file, lines, problems, known_references(project))
    reader.check_follow_up = check_follow_up
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(file, "document", "a mapping with the keys " + ", ".join(TOP_KEYS), type(data).__name__, row=1)
        return None
    for key in data:
        if key not in TOP_KEYS:
            reader.add((key,), str(key), "a known key (one of " + ", ".join(TOP_KEYS) + ")", key)
    evaluator = reader.string(data, "evaluator", (), "document")
    default_status = reader.choice(data, "data_status", ENTRY_STATUSES, (), "document") or "illustrative"
    suggestions = reader.suggestions(data)
    adopted = adopted_ids(midterm) if midterm is not None else None
    return Assessment(
        kind=kind,
        file=file,
        evaluator=evaluator,
        data_status=default_status,  # type: ignore[arg-type]
        entries=reader.entries(data, default_status),
        links=reader.links(data, default_status),
        suggestions=suggestions,
        recommendations=reader.recommendations(data, {s.id for s in suggestions}),
        follow_up=reader.follow_up(data, adopted),
    )


def read_assessments(project: Project, digests: dict[str, str] | None = None) -> tuple[Assessment, ...]:
    """The project's assessment files (``midterm``, ``final``; those that exist), validated against it.

    Raises one :class:`InputError` with every problem of every file. ``digests`` receives the
    sha256 of each file read (as :func:`evaluation.io.yamlio.read_yaml` records it).
    """
    if project.folder is None:
        return ()
    problems = ProblemCollector()
    out: list[Assessment] = []
    midterm: Assessment | None = None
    midterm_bad = False
    for kind in ASSESSMENT_KINDS:
        path = assessment_path(project.folder, kind)
        if not path.is_file():
            continue
        file = shown_path(path)
        try:
            data, lines = read_yaml(path, digests=digests, file=file)
        except InputError as err:
            problems.extend(err.problems)
            midterm_bad = midterm_bad or kind == "midterm"
            continue
        before = len(problems.problems)
        assessment = parse_assessment(project, kind, data, file, lines, problems,
                                      midterm=midterm if kind == "final" else None, check_follow_up=not midterm_bad)
        if kind == "midterm":
            midterm = assessment
            midterm_bad = len(problems.problems) > before
        if assessment is not None:
            out.append(assessment)
    problems.raise_if_any(InputError)
    return tuple(out)


def with_assessments(project: Project, reader: Callable[..., tuple[Assessment, ...]] = read_assessments) -> Project:
    """``project`` with its assessment files read (their files and hashes recorded too)."""
    digests: dict[str, str] = {}
    assessments = reader(project, digests)
    if not assessments:
        return project
    folder = project.folder
    files = tuple(assessment_path(folder, a.kind) for a in assessments) if folder is not None else ()
    hashes = tuple(sorted({**dict(project.input_hashes), **digests}.items()))
    return dataclasses.replace(project, assessments=assessments, files=project.files + files, input_hashes=hashes)
