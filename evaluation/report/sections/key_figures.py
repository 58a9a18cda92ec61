"""The report's key figures, collected into ``<kind>.json`` (shown invisibly in the notebook)."""

from __future__ import annotations

import pandas as pd

from evaluation.analysis import disclosure, status
from evaluation.report.context import ReportContext
from evaluation.report.display import KeyFigures
from evaluation.report.sections.assessment import figures as assessment_figures
from evaluation.report.sections.efficiency import cost_per


def render(ctx: ReportContext) -> KeyFigures:
    """Project facts, budget, women's share, coherence, findings per severity, every indicator and the costs per unit."""
    p = ctx.project
    indicators = {}
    for r in ctx.indicator_rows:
        indicators[r.indicator.id] = {
            "name": r.indicator.name, "code": r.indicator.code, "unit": r.indicator.unit, "role": r.indicator.effective_role(),
            "actual": r.actual, "target": r.target, "attainment": r.attainment,
            "expected": r.expected, "projected": r.projected, "status": r.status, "illustrative": r.illustrative,
        }
    cost = cost_per(ctx)
    survey = None
    if p.survey is not None:  # checked against the survey section's counts: total less shown waves must not give a hidden wave
        decision = disclosure.survey_total_shown(ctx.disclosure.ledger("survey"), p.survey)
        survey = {"respondents": len(set(disclosure.survey_units(p.survey))) if decision.shown else None,
                  "shown": decision.shown, "reason": decision.reason}
    return KeyFigures({
        "project": p.id, "name": p.name, "kind": ctx.kind, "as_of": ctx.as_of.isoformat(), "language": ctx.lang,
        "fund": p.fund, "start": p.start.isoformat(), "end": p.end.isoformat(),
        "illustrative": p.is_illustrative(),
        "budget_total_sek": p.budget.total, "outcome_total_sek": p.budget.outcome_total,
        "financing_total_sek": p.financing_total(),
        "participants_women_share": status.women_share(status.participants_by_gender(p, ctx.as_of)),
        "coherence_score": ctx.coherence.score,
        "findings": ctx.finding_counts(),
        "indicators": indicators,
        "cost_per_sek": {m: (None if pd.isna(v) else float(v)) for m, v in zip(cost["measure"], cost["cost_per"])},
        "survey": survey,  # respondents in all waves, through the report's survey ledger (null when it would reveal a hidden count)
        "status": "draft" if ctx.completeness else "final",  # a draft until the evaluator has finished (issue 12)
        "missing": [{"kind": m.kind, "subject": m.subject, "text": m.text(ctx.lang)} for m in ctx.completeness],
        "assessment": assessment_figures(ctx),
    })
