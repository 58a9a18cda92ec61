"""The check of indicators against the EU common indicator catalogue (rule ``eu_indicator_catalogue``).

An indicator whose ``code`` is written as an EU common indicator (RCO, RCR, EECO, EECR and
digits) but is not in the catalogue of :mod:`evaluation.analysis.eu_indicators`, or whose unit
is not the catalogue's unit for that code, is a finding naming the indicator, the code and
what the catalogue says. Programme-specific codes (PSO, PSR) are not checked. A level that does
not fit the code (an output code on a result) is the finding of ``indicator_level_mismatch``
in :mod:`evaluation.review.checks`, which reads the same output/result split from the code.
"""

from __future__ import annotations

from evaluation.analysis.eu_indicators import looks_like_eu_code, lookup, similar_codes, unit_agrees
from evaluation.core.fmt import Join
from evaluation.core.i18n import N_
from evaluation.core.model import Project
from evaluation.review.findings import Finding

CHECK = "eu_indicator_catalogue"


def eu_indicator_findings(project: Project) -> list[Finding]:
    """Findings for indicators whose EU code is unknown or whose unit disagrees with the catalogue."""
    out: list[Finding] = []
    for ind in project.indicators:
        code = (ind.code or "").strip()
        if not looks_like_eu_code(code):
            continue
        entry = lookup(code)
        if entry is None:
            out.append(Finding(
                CHECK, "warning", ind.id,
                N_("Indicator {id} carries the code {code}, which is not an EU common indicator in the catalogue "
                   "(nearest codes there: {near})."),
                id=ind.id, code=code, near=Join(tuple(similar_codes(code)) or ("-",)),
            ))
            continue
        if unit_agrees(entry, ind.unit) is False:
            out.append(Finding(
                CHECK, "warning", ind.id,
                N_("Indicator {id} ({code}) is measured in '{unit}', but the catalogue measures {code} "
                   "({name}) in {expected}."),
                id=ind.id, code=code, unit=ind.unit or "", name=entry.name_en,
                expected=f"{entry.unit.sv} ({entry.unit.en})",
            ))
    return out
