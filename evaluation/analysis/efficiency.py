"""Cost efficiency of one project: what costs per unit are computed on, and the costs per unit.

The amount is the stated outcome; else the sum of the cost lines' outcome so far; else the
budget (:func:`cost_basis`). Costs per firm reached, per participant and per job take their
denominators from the indicators playing those roles (:data:`COST_MEASURES`), at the report's
as-of date. The project's budget lines, financiers and funnel stages come out as the frames
:mod:`evaluation.analysis.economics` computes on. Nothing here formats text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from evaluation.analysis import economics
from evaluation.analysis.status import IndicatorRow, find_row
from evaluation.core.model import Indicator, Project

COST_MEASURES: tuple[tuple[str, str], ...] = (
    ("per_firm_reached", "firms_reached"),
    ("per_participant", "participants"),
    ("per_job", "jobs"),
)
"""(measure id, role of the indicator giving the denominator), in the report's order; ids as in the JSON."""

BasisKind = Literal["outcome", "cost_lines", "budget", "none"]


@dataclass(frozen=True)
class CostBasis:
    """The amount costs per unit are computed on, and what it is (with the budget's qualifier, e.g. "drygt")."""

    amount: float | None
    kind: BasisKind
    qualifier: str = ""


def cost_basis(project: Project) -> CostBasis:
    """The stated outcome; else the sum of the cost lines' outcome so far; else the budget; else nothing."""
    budget = project.budget
    if budget.outcome_total is not None:
        return CostBasis(budget.outcome_total, "outcome")
    so_far = project.cost_lines_outcome()
    if so_far is not None:
        return CostBasis(so_far, "cost_lines")
    if budget.total is not None:
        return CostBasis(budget.total, "budget", budget.total_qualifier or "")
    return CostBasis(None, "none")


def denominator_indicators(project: Project) -> list[Indicator | None]:
    """The indicators giving the denominators of :data:`COST_MEASURES` (None where no indicator plays the role)."""
    return [project.indicator_for(role) for _, role in COST_MEASURES]  # type: ignore[arg-type]


def cost_per(project: Project, rows: tuple[IndicatorRow, ...], sources: dict[str, str]) -> pd.DataFrame:
    """Cost per firm reached, per participant and per job on :func:`cost_basis` (see :func:`economics.cost_per`).

    ``sources`` gives the text shown as each measure's denominator source (by measure id).
    """
    denominators: dict[str, tuple[float | None, str]] = {}
    for (key, _), ind in zip(COST_MEASURES, denominator_indicators(project)):
        row = find_row(rows, ind.id) if ind else None
        denominators[key] = (row.actual if row else None, sources[key])
    return economics.cost_per(cost_basis(project).amount, denominators)


def efficiency_illustrative(project: Project) -> bool:
    """True when the budget, a cost line, a financier or a denominator's values are illustrative."""
    budget = project.budget
    return (budget.data_status == "illustrative"
            or any(line.data_status == "illustrative" for line in budget.lines)
            or any(f.data_status == "illustrative" for f in project.financiers)
            or any(ind is not None and any(m.data_status == "illustrative" for m in ind.values)
                   for ind in denominator_indicators(project)))


def budget_lines(project: Project) -> pd.DataFrame:
    """The budget lines as a frame: category, budget, outcome."""
    return pd.DataFrame([(line.category, line.budget, line.outcome) for line in project.budget.lines],
                        columns=["category", "budget", "outcome"])


def budget_gap(project: Project) -> float | None:
    """Budget minus outcome (positive: under budget); None unless both are stated."""
    budget = project.budget
    if budget.total is None or budget.outcome_total is None:
        return None
    return budget.total - budget.outcome_total


def financing_frame(project: Project) -> pd.DataFrame:
    """The financiers as a frame: name, kind, amount."""
    return pd.DataFrame([(f.name, f.kind, f.amount) for f in project.financiers], columns=["name", "kind", "amount"])


def funnel_stages(project: Project) -> pd.DataFrame:
    """The funnel stages as a frame: order, stage, count."""
    return pd.DataFrame([(s.order, s.stage, s.count) for s in project.funnel], columns=["order", "stage", "count"])


def reconciliation(project: Project) -> economics.Reconciliation | None:
    """Budget, outcome, cost lines and financing checked against each other within the project's tolerance
    (the outcome against what was paid, the budget against the decided financing plan)."""
    budget = project.budget
    return economics.reconcile(budget.total, budget.outcome_total, project.cost_lines_outcome(),
                               project.paid_financing_total(), budget.tolerance,
                               financing_plan=project.decided_financing_total())


def reconciliation_rows(project: Project) -> pd.DataFrame | None:
    """The comparisons of :func:`reconciliation` where both amounts are known (None when nothing to compare)."""
    rec = reconciliation(project)
    if rec is None:
        return None
    frame = rec.to_frame()
    return frame[frame["a"].notna() & frame["b"].notna()].reset_index(drop=True)
