"""The content of the mid-term and final evaluation reports, one module per section.

A notebook opens the report once and calls one section function per cell::

    from evaluation.report import sections
    ctx = sections.open_report(project=project, kind=kind, as_of=as_of, language=language,
                               formats=formats, small_cell_threshold=small_cell_threshold)
    sections.title(ctx)
    sections.summary(ctx)
    ...
    sections.key_figures(ctx)

Each function takes the :class:`~evaluation.report.context.ReportContext` and returns a
:class:`~evaluation.report.display.Block` (headings, sentences, tables, figures) that Jupyter
displays as HTML; :func:`key_figures` returns the figures collected into ``<kind>.json``. A
section decides what to show and writes its sentences through the catalogue; the figures come
from the analysis layer and the charts from the plots layer. Mid-term and final reports differ
only in which sections their notebook calls: :data:`SECTIONS` lists them in order and numbers
them.
"""

from __future__ import annotations

from evaluation.report.context import ReportContext, open_report
from evaluation.report.display import Block
from evaluation.report.sections.assessment import render as assessment
from evaluation.report.sections.attainment import render as attainment
from evaluation.report.sections.budget import render as budget
from evaluation.report.sections.common import SECTIONS
from evaluation.report.sections.conclusions import render as conclusions
from evaluation.report.sections.efficiency import render as efficiency
from evaluation.report.sections.evidence_map import render as evidence_map
from evaluation.report.sections.follow_up import render as follow_up
from evaluation.report.sections.horizontal import render as horizontal
from evaluation.report.sections.key_figures import render as key_figures
from evaluation.report.sections.key_figures_section import render as key_figures_section
from evaluation.report.sections.key_persons import render as key_persons
from evaluation.report.sections.method import render as method
from evaluation.report.sections.participating_firms import render as participating_firms
from evaluation.report.sections.process import render as process
from evaluation.report.sections.project_description import render as project_description
from evaluation.report.sections.project_logic import render as project_logic
from evaluation.report.sections.provenance import render as provenance
from evaluation.report.sections.public_debate import render as public_debate
from evaluation.report.sections.recommendations import render as recommendations_section
from evaluation.report.sections.risks import render as risks
from evaluation.report.sections.summary import recommendations
from evaluation.report.sections.summary import render as summary
from evaluation.report.sections.surveys import render as surveys
from evaluation.report.sections.sustainability import render as sustainability
from evaluation.report.sections.title import render as title

__all__ = [
    "SECTIONS",
    "Block",
    "ReportContext",
    "assessment",
    "attainment",
    "conclusions",
    "efficiency",
    "budget",
    "evidence_map",
    "follow_up",
    "horizontal",
    "key_figures",
    "key_figures_section",
    "key_persons",
    "method",
    "open_report",
    "participating_firms",
    "process",
    "project_description",
    "project_logic",
    "public_debate",
    "provenance",
    "recommendations",
    "recommendations_section",
    "risks",
    "summary",
    "surveys",
    "sustainability",
    "title",
]
