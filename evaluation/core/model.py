"""The evaluation model: a project, its goal tree (målträd), its effect-logic chain
(effektlogik), indicators with baseline/target/actuals, horizontal criteria, budget and
financing.

Every object is a frozen dataclass; closed sets are ``Literal`` types. Objects are built by
:mod:`evaluation.io.loader` from a project folder and never change afterwards. ``None`` always
means "not reported" and is never the same as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar, get_args

import pandas as pd

from evaluation.core.assessment import Assessment
from evaluation.core.region import CofinancingKey

Fund = Literal["ERUF", "ESF+", "Interreg", "national", "regional", "municipal"]
EvaluationForm = Literal["self", "external"]
DataStatus = Literal["published", "illustrative", "estimated"]
GoalLevel = Literal["overall", "project", "sub", "activity"]
EffectLevel = Literal["activity", "output", "short_term", "long_term"]
Aggregation = Literal["cumulative", "per_period", "level", "ratio"]
"""How an indicator's values add up: ``cumulative`` (each value is the running total),
``per_period`` (each value is that period's amount), ``level`` (each value is a count at the
period's end; the latest counts and it may go down) or ``ratio`` (each period gives a numerator
and a denominator, summed separately)."""
PERCENT_UNITS: tuple[str, ...] = ("%", "procent", "percent")
"""Units in which a ratio is shown as a percentage (numerator / denominator x 100)."""
ValueStatus = Literal["preliminary", "verified", "not_reported"]
Criterion = Literal["gender_equality", "equal_opportunities", "sustainable_development"]
FinancierKind = Literal["eu", "state", "region", "municipality", "private", "other"]
FinancingBasis = Literal["decided", "outcome"]
ReportKind = Literal["midterm", "final"]
IndicatorRole = Literal["firms_reached", "participants", "jobs", "new_firms"]
DisclosureLevel = Literal["public", "restricted"]
RuleAction = Literal["stop", "warn", "note", "off"]
# EU common indicator codes that imply a role when an indicator states none.
ROLE_BY_CODE: dict[str, str] = {"RCO01": "firms_reached", "EECO01": "participants", "RCR01": "jobs"}

GOAL_LEVELS: tuple[str, ...] = get_args(GoalLevel)
EFFECT_LEVELS: tuple[str, ...] = get_args(EffectLevel)
CRITERIA: tuple[str, ...] = get_args(Criterion)
GENDER_PARTS: tuple[str, ...] = ("women", "men", "non_binary")
SIZE_PARTS: tuple[str, ...] = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Source:
    """A document figures were taken from."""

    id: str
    title: str
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class WorkPackage:
    id: str
    name: str
    budget: float | None = None
    data_status: DataStatus = "published"


@dataclass(frozen=True)
class Financier:
    name: str
    kind: FinancierKind
    amount: float | None = None
    in_kind: bool = False
    data_status: DataStatus = "published"
    note: str = ""
    basis: FinancingBasis = "decided"  # decided (the financing plan) or outcome (what the financier finally paid)


@dataclass(frozen=True)
class Payment:
    """Financing paid out or booked: by whom, how much, when (the payments table)."""

    date: date
    financier: str
    amount: float
    source: str = ""
    data_status: DataStatus = "published"
    note: str = ""


@dataclass(frozen=True)
class GoalNode:
    """A node of the goal tree. ``parent`` links child to parent; the overall goal has none."""

    id: str
    level: GoalLevel
    statement: str
    parent: str | None = None
    work_package: str | None = None
    deadline: date | None = None
    assumptions: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    rus_goals: tuple[str, ...] = ()  # ids of the region's RUS effect goals this goal (usually the overall goal) serves


N = TypeVar("N", "GoalNode", "EffectNode")


class _Nodes(Generic[N]):
    """Lookup shared by the goal tree and the effect chain (both hold ``nodes`` with ``id`` and ``level``)."""

    nodes: tuple[N, ...]

    def node(self, node_id: str) -> N:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)

    def by_level(self, level: str) -> tuple[N, ...]:
        return tuple(n for n in self.nodes if n.level == level)


@dataclass(frozen=True)
class GoalTree(_Nodes[GoalNode]):
    nodes: tuple[GoalNode, ...]

    def children(self, node_id: str) -> tuple[GoalNode, ...]:
        return tuple(n for n in self.nodes if n.parent == node_id)

    def descendants(self, node_id: str,
                    children: Callable[[str], Iterable[GoalNode]] | None = None) -> tuple[GoalNode, ...]:
        """All nodes below ``node_id`` (breadth first; safe on cycles). ``children``: a quicker lookup of a node's
        children than :meth:`children` (the same nodes in the same order), for many calls."""
        step = children or self.children
        out: list[GoalNode] = []
        seen = {node_id}
        frontier = [node_id]
        while frontier:
            nxt = []
            for pid in frontier:
                for child in step(pid):
                    if child.id not in seen:
                        seen.add(child.id)
                        out.append(child)
                        nxt.append(child.id)
            frontier = nxt
        return tuple(out)


@dataclass(frozen=True)
class EffectNode:
    """A box of the effect-logic chain; ``goals`` ties it to goal-tree nodes."""

    id: str
    level: EffectLevel
    statement: str
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class EffectLink:
    """An arrow of the chain, from a lower level to a higher one, with its assumption."""

    source: str
    target: str
    assumption: str | None = None


@dataclass(frozen=True)
class EffectChain(_Nodes[EffectNode]):
    nodes: tuple[EffectNode, ...]
    links: tuple[EffectLink, ...]
    external_factors: tuple[str, ...] = ()

    def outgoing(self, node_id: str) -> tuple[EffectLink, ...]:
        return tuple(link for link in self.links if link.source == node_id)

    def incoming(self, node_id: str) -> tuple[EffectLink, ...]:
        return tuple(link for link in self.links if link.target == node_id)


@dataclass(frozen=True)
class Measurement:
    """One reported value of an indicator for one period. ``value`` None = not reported."""

    indicator: str
    period_end: date
    value: float | None
    status: ValueStatus
    source: str
    data_status: DataStatus = "published"
    period_start: date | None = None
    women: float | None = None
    men: float | None = None
    non_binary: float | None = None
    micro: float | None = None
    small: float | None = None
    medium: float | None = None
    large: float | None = None
    note: str = ""
    numerator: float | None = None
    denominator: float | None = None

    def gender(self) -> dict[str, float | None]:
        return {"women": self.women, "men": self.men, "non_binary": self.non_binary}

    def size_classes(self) -> dict[str, float | None]:
        return {"micro": self.micro, "small": self.small, "medium": self.medium, "large": self.large}


@dataclass(frozen=True)
class Indicator:
    """An indicator with baseline, target and the values reported so far.

    ``level`` is the effect-logic level the indicator measures (an EU output code such as
    RCO01 belongs on ``output``; a result code such as RCR01 on ``short_term``).
    ``measures`` lists goal-tree and/or effect-chain node ids. ``maximum`` is the most the
    indicator can reach (e.g. the number of municipalities), None when no such bound is stated;
    a projection is never shown above it.
    """

    id: str
    name: str
    unit: str | None
    level: EffectLevel
    measures: tuple[str, ...]
    baseline_value: float | None
    baseline_date: date | None
    target_value: float | None
    target_date: date | None
    aggregation: Aggregation
    code: str | None = None
    source: str | None = None
    description: str = ""
    firms: bool = False
    role: IndicatorRole | None = None
    values: tuple[Measurement, ...] = ()
    maximum: float | None = None

    def ratio_scale(self) -> float:
        """100 for a ratio shown in percent (unit "%"), else 1: what numerator / denominator is multiplied by."""
        return 100.0 if (self.unit or "").strip().lower() in PERCENT_UNITS else 1.0

    def effective_role(self) -> str | None:
        """The stated role, else the role implied by an EU common indicator code."""
        return self.role or ROLE_BY_CODE.get(self.code or "")

    def reported(self) -> tuple[Measurement, ...]:
        """Values actually reported (not ``not_reported``), in period order."""
        return tuple(sorted((m for m in self.values if m.value is not None), key=lambda m: m.period_end))

    def values_frame(self) -> pd.DataFrame:
        """The values as a frame (period_end, value, status, ..., numerator, denominator), NaN for not reported."""
        rows = [
            {
                "period_end": pd.Timestamp(m.period_end),
                "value": float("nan") if m.value is None else float(m.value),
                "status": m.status,
                "source": m.source,
                "data_status": m.data_status,
                **{k: (float("nan") if v is None else float(v)) for k, v in m.gender().items()},
                "numerator": float("nan") if m.numerator is None else float(m.numerator),
                "denominator": float("nan") if m.denominator is None else float(m.denominator),
            }
            for m in sorted(self.values, key=lambda m: m.period_end)
        ]
        cols = ["period_end", "value", "status", "source", "data_status", *GENDER_PARTS, "numerator", "denominator"]
        return pd.DataFrame(rows, columns=cols)


@dataclass(frozen=True)
class HorizontalCriterion:
    criterion: Criterion
    aim: str
    actions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostLine:
    category: str
    budget: float | None
    outcome: float | None
    work_package: str | None = None
    data_status: DataStatus = "published"
    period_end: date | None = None  # the date the outcome is counted to (None: undated)


@dataclass(frozen=True)
class Budget:
    """Stated totals and cost lines; ``tolerance`` is the relative tolerance for reconciliation."""

    total: float | None
    outcome_total: float | None
    currency: str = "SEK"
    tolerance: float = 0.005
    total_qualifier: str = ""
    data_status: DataStatus = "published"
    lines: tuple[CostLine, ...] = ()
    outcome_date: date | None = None  # the date the stated outcome is counted to (None: undated)


@dataclass(frozen=True)
class ActivityRecord:
    """Activities carried out: how many times an activity (goal-tree node) ran in a period."""

    activity: str
    period_end: date
    count: float | None
    participants: float | None = None
    women: float | None = None
    men: float | None = None
    non_binary: float | None = None
    period_start: date | None = None
    description: str = ""
    data_status: DataStatus = "published"
    source: str = ""


@dataclass(frozen=True)
class FunnelStage:
    order: int
    stage: str
    count: float | None
    data_status: DataStatus = "published"


@dataclass(frozen=True)
class KeyPerson:
    """N2: a role that carries the project (names are optional; roles are what evaluators assess)."""

    role: str
    organisation: str = ""
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class Disclosure:
    """What the reports may show of firm-level and survey data.

    ``public``: the figures are published (e.g. firm by firm in the project's own report) and
    are shown as they are. ``restricted`` (default): no firm names, and no cell, group or
    statistic built from fewer than ``min_cell`` firms or respondents.
    """

    firms: DisclosureLevel = "restricted"
    survey: DisclosureLevel = "restricted"
    min_cell: int = 5
    dominance_n: int = 2  # dominance rule for magnitudes: (n, k) rule, or the p % rule when dominance_p is set
    dominance_k: float = 85.0
    dominance_p: float | None = None


StakeholderGroup = Literal["project_manager", "participating_firm", "financier", "partner", "municipality", "other"]
InterviewMethod = Literal["individual", "group", "phone", "digital"]
Stance = Literal["positive", "neutral", "negative"]
STAKEHOLDER_GROUPS: tuple[str, ...] = get_args(StakeholderGroup)
STANCES: tuple[str, ...] = get_args(Stance)


@dataclass(frozen=True)
class DisseminationActivity:
    """P3: one dissemination activity (channel, audience, date, reach); ``reach`` None = not reported."""

    id: str
    channel: str
    title: str
    date: date | None = None
    audience: str = ""
    reach: float | None = None
    source: str = ""
    data_status: DataStatus = "published"


@dataclass(frozen=True)
class Interview:
    """An interview (never a person's name): stakeholder group, role, method, consent to quote."""

    id: str
    group: StakeholderGroup
    date: date | None = None
    role: str = ""
    method: InterviewMethod | None = None
    consent_to_quote: bool = False
    data_status: DataStatus = "published"


@dataclass(frozen=True)
class Excerpt:
    """A coded excerpt of an interview: theme code, stance and the excerpt's text."""

    interview: str
    theme: str
    stance: Stance
    excerpt: str = ""


@dataclass(frozen=True)
class Theme:
    """A theme code of the excerpts and its readable label."""

    code: str
    label: str = ""


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    fund: Fund
    programme: str
    owner: str | None
    start: date
    end: date
    partners: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    short_name: str = ""
    region: str = ""
    dates_status: DataStatus = "published"
    target_groups: tuple[str, ...] = ()
    work_packages: tuple[WorkPackage, ...] = ()
    budget: Budget = field(default_factory=lambda: Budget(total=None, outcome_total=None))
    financiers: tuple[Financier, ...] = ()
    rus_goals: tuple[str, ...] = ()
    cofinancing: tuple[CofinancingKey, ...] = ()  # co-financing keys (evaluation.core.region)
    evaluation_form: EvaluationForm = "external"
    evaluator: str = ""
    data_status: DataStatus = "published"
    goal_tree: GoalTree = field(default_factory=lambda: GoalTree(()))
    effect_chain: EffectChain = field(default_factory=lambda: EffectChain((), ()))
    indicators: tuple[Indicator, ...] = ()
    horizontal: tuple[HorizontalCriterion, ...] = ()
    activities: tuple[ActivityRecord, ...] = ()
    funnel: tuple[FunnelStage, ...] = ()
    key_persons: tuple[KeyPerson, ...] = ()
    sources: tuple[Source, ...] = ()
    notes: tuple[str, ...] = ()
    lessons: tuple[str, ...] = ()
    disclosure: Disclosure = field(default_factory=Disclosure)
    rules: tuple[tuple[str, RuleAction], ...] = ()  # (check, action) overrides of evaluation.review.rules.RULES
    folder: Path | None = field(default=None, compare=False)
    files: tuple[Path, ...] = field(default=(), compare=False)
    firms: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    participation: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    survey: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    survey_invited: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    input_hashes: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (file as shown, sha256 of the bytes parsed)
    payments: tuple[Payment, ...] = ()  # financing paid or booked, dated (payments table)
    dissemination: tuple[DisseminationActivity, ...] = ()  # P3: dissemination activities (dissemination table)
    interviews: tuple[Interview, ...] = ()  # interviews (never a name), interviews table
    excerpts: tuple[Excerpt, ...] = ()  # coded interview excerpts, excerpts table
    themes: tuple[Theme, ...] = ()  # theme codes and labels, themes table (optional)
    assessments: tuple[Assessment, ...] = ()  # the evaluator's assessment files (data/<id>/assessments/<kind>.yaml)
    firm_aggregates: Any = field(default=None, compare=False, repr=False)  # io.firm_aggregates.FirmAggregates instead of firms

    def assessment(self, kind: str) -> Assessment | None:
        """The evaluator's assessment for report ``kind`` (midterm | final), if its file exists."""
        for item in self.assessments:
            if item.kind == kind:
                return item
        return None

    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def indicator_for(self, role: IndicatorRole) -> Indicator | None:
        """The indicator playing ``role`` (firms reached, participants, jobs, new firms), if any."""
        for ind in self.indicators:
            if ind.effective_role() == role:
                return ind
        return None

    def indicator_by_code(self, code: str) -> Indicator | None:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        return None

    def work_package(self, wp_id: str) -> WorkPackage:
        for wp in self.work_packages:
            if wp.id == wp_id:
                return wp
        raise KeyError(wp_id)

    def complete_financing_total(self) -> float | None:
        """Sum of the financier amounts when every amount is reported; None otherwise."""
        if not self.financiers or any(f.amount is None for f in self.financiers):
            return None
        return self.financing_total()

    def decided_financing_total(self) -> float | None:
        """Sum of the financing plan (financiers with basis ``decided``) when every amount is reported; else None."""
        decided = [f.amount for f in self.financiers if f.basis == "decided"]
        if not decided or any(a is None for a in decided):
            return None
        return float(sum(decided))  # type: ignore[arg-type]

    def paid_financing_total(self) -> float | None:
        """What the financiers paid: financiers with basis ``outcome`` plus the payments table; None when neither
        reports anything (or an outcome amount is missing). This, not the plan, is compared with the outcome."""
        outcome = [f.amount for f in self.financiers if f.basis == "outcome"]
        if any(a is None for a in outcome) or (not outcome and not self.payments):
            return None
        return float(sum(outcome)) + float(sum(p.amount for p in self.payments))  # type: ignore[arg-type]

    def cost_lines_outcome(self) -> float | None:
        """Sum of the cost lines' outcome when every line reports one; None otherwise."""
        outcomes = [line.outcome for line in self.budget.lines]
        if not outcomes or any(o is None for o in outcomes):
            return None
        return float(sum(outcomes))  # type: ignore[arg-type]

    def financing_total(self) -> float | None:
        """Sum of reported financier amounts; None when no amount is reported."""
        amounts = [f.amount for f in self.financiers if f.amount is not None]
        return float(sum(amounts)) if amounts else None

    def is_illustrative(self) -> bool:
        """True if any part of the project's data is illustrative (invented for demonstration)."""
        if "illustrative" in (self.data_status, self.budget.data_status, self.dates_status):
            return True
        if any(wp.data_status == "illustrative" for wp in self.work_packages):
            return True
        if any(stage.data_status == "illustrative" for stage in self.funnel):
            return True
        if any(party.data_status == "illustrative" for key in self.cofinancing for party in key.parties):
            return True
        if any(f.data_status == "illustrative" for f in self.financiers):
            return True
        if any(m.data_status == "illustrative" for i in self.indicators for m in i.values):
            return True
        if any(a.data_status == "illustrative" for a in self.activities):
            return True
        if any(line.data_status == "illustrative" for line in self.budget.lines):
            return True
        if any(d.data_status == "illustrative" for d in self.dissemination):
            return True
        if any(i.data_status == "illustrative" for i in self.interviews):
            return True
        for frame in (self.firms, self.participation, self.survey):
            if frame is not None and "data_status" in frame.columns and (frame["data_status"] == "illustrative").any():
                return True
        return False
