"""The report context: everything a report's sections share, computed once.

A notebook builds it in its first cell with :func:`open_report` (validate the parameters,
load the project, stop on findings whose rule is ``stop``) and passes it to one section
function per cell (:mod:`evaluation.report.sections`). It holds the project, the parameters,
every indicator's row, the logic review's findings, the coherence score and the disclosure
policy, and formats numbers, money, shares and dates in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from evaluation.analysis import disclosure, status
from evaluation.analysis.asof import as_of_view
from evaluation.analysis.disclosure import Data, DisclosurePolicy
from evaluation.analysis.firms.panel import validate_register_columns
from evaluation.analysis.status import IndicatorRow
from evaluation.core import fmt
from evaluation.core.assessment import Assessment
from evaluation.core.i18n import Language
from evaluation.core.model import Project
from evaluation.io.loader import load_project
from evaluation.report import figcache
from evaluation.report.params import ReportParams, validate_notebook_parameters
from evaluation.review import checks, completeness, gate
from evaluation.review.coherence import Coherence, coherence_score
from evaluation.review.completeness import Missing
from evaluation.review.findings import Finding


@dataclass(frozen=True)
class ReportContext:
    """One report's project, parameters and computed figures (immutable)."""

    params: ReportParams
    project: Project
    indicator_rows: tuple[IndicatorRow, ...]
    findings: tuple[Finding, ...]
    coherence: Coherence
    disclosure: DisclosurePolicy
    assessment: Assessment | None = None  # the evaluator's assessment file of this kind (data/<id>/assessments/<kind>.yaml)
    completeness: tuple[Missing, ...] = ()  # what the evaluator still has to write; any item makes the report a draft

    @classmethod
    def build(cls, params: ReportParams, project: Project, findings: tuple[Finding, ...] | None = None) -> ReportContext:
        """The context of ``project`` reported with ``params`` (the project already loaded); ``findings``:
        those of the project's as-of view when the caller has them already (else they are checked here)."""
        project = as_of_view(project, params.as_of)  # the world as of the report's date, whatever was imported since
        rows = status.indicator_rows(project, params.as_of, params.kind)
        findings = findings if findings is not None else tuple(checks.check_project(project))
        return cls(
            params=params,
            project=project,
            indicator_rows=rows,
            findings=findings,
            coherence=coherence_score(project),
            disclosure=disclosure.policy(project, params.small_cell_threshold),
            assessment=project.assessment(params.kind),
            completeness=completeness.missing(project, params.kind, rows, findings),
        )

    # ------------------------------------------------------------------ parameters

    @property
    def lang(self) -> Language:
        """The report's language."""
        return self.params.language

    @property
    def kind(self) -> str:
        """``midterm`` or ``final``."""
        return self.params.kind

    @property
    def as_of(self) -> date:
        """The date the report describes."""
        return self.params.as_of

    def min_cell(self, data: Data) -> int:
        """Smallest number of firms (``"firms"``) or respondents (``"survey"``) a shown figure may rest on; 0 if public."""
        return self.disclosure.min_cell(data)

    def finding_counts(self) -> dict[str, int]:
        """How many findings of each severity (error, warning, info) the logic review gave."""
        return {s: sum(1 for f in self.findings if f.severity == s) for s in ("error", "warning", "info")}

    def row(self, indicator_id: str) -> IndicatorRow | None:
        """The computed row of one indicator, or None."""
        return status.find_row(self.indicator_rows, indicator_id)

    # ------------------------------------------------------------------ formatting in the report language

    def n(self, x: object, decimals: int | None = None) -> str:
        """A number (``16 713 030``, ``43,5``)."""
        return fmt.number(x, self.lang, decimals)

    def r(self, x: float | None, decimals: int = 0) -> str:
        """A number rounded half up to at most ``decimals`` places, without trailing zeros ("50", "75,1")."""
        if x is None:
            return fmt.missing(self.lang)
        return fmt.number(status.round_half_up(x, decimals), self.lang)

    def pct(self, x: object, decimals: int = 1) -> str:
        """A share as per cent (``49,7 %``)."""
        return fmt.percent(x, self.lang, decimals)

    def money(self, x: object) -> str:
        """An amount in kronor (``16 713 030 kr``)."""
        return fmt.money(x, self.lang)

    def d(self, x: object) -> str:
        """A date in long form (``31 december 2022``)."""
        return fmt.date(x, self.lang)

    def missing(self) -> str:
        """The text of a missing value (``uppgift saknas``)."""
        return fmt.missing(self.lang)


def open_report(**notebook_parameters: Any) -> ReportContext:
    """Validate a notebook's parameters, load the project, stop on findings whose rule is ``stop``, build the context."""
    params = validate_notebook_parameters(**notebook_parameters)
    project = load_project(params.project)
    if project.firms is not None:
        validate_register_columns(project.firms)  # organisation numbers, SNI and municipality codes: bad input, exit 2
    view = as_of_view(project, params.as_of)  # the gate judges what the report shows: the project as of its date
    findings = tuple(checks.check_project(view))  # checked once, for the gate and the report
    gate.enforce(view, findings)  # findings whose rule is "stop" would make figures wrong
    figcache.enable_for_reports()  # a figure drawn before with the same content is not drawn again (same bytes)
    return ReportContext.build(params, view, findings)
