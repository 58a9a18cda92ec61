"""The file boundary: pydantic models of ``project.yaml``.

These models only check shape and types. Cross-references (a parent that does not exist)
are checked by :mod:`evaluation.io.loader`; questions of logic (an activity linked to no goal)
are findings of :mod:`evaluation.review.checks`, not load errors.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from datetime import date
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator

from evaluation.core.errors import Problem
from evaluation.core.model import (
    Aggregation,
    Criterion,
    DataStatus,
    Disclosure,
    DisclosureLevel,
    EffectLevel,
    EvaluationForm,
    FinancierKind,
    FinancingBasis,
    Fund,
    GoalLevel,
    IndicatorRole,
    RuleAction,
)
from evaluation.io.region_schema import CofinancingKeyIn
from evaluation.io.yamlio import LinePath, field_name, line_of


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceIn(_Strict):
    id: str
    title: str
    reference: str = ""
    note: str = ""


class EvaluationIn(_Strict):
    form: EvaluationForm
    evaluator: str = ""


class WorkPackageIn(_Strict):
    id: str
    name: str
    budget: float | None = Field(default=None, ge=0)
    data_status: DataStatus = "published"


class FinancierIn(_Strict):
    name: str
    kind: FinancierKind
    amount: float | None = Field(default=None, ge=0)
    in_kind: bool = False
    data_status: DataStatus = "published"
    note: str = ""
    basis: FinancingBasis = "decided"


class BudgetIn(_Strict):
    total: float | None = Field(default=None, ge=0)
    outcome_total: float | None = Field(default=None, ge=0)
    currency: str = "SEK"
    tolerance: float = Field(default=0.005, ge=0, le=1)
    total_qualifier: str = ""
    data_status: DataStatus = "published"
    outcome_date: date | None = None


class GoalIn(_Strict):
    id: str
    level: GoalLevel
    statement: str
    parent: str | None = None
    work_package: str | None = None
    deadline: date | None = None
    assumptions: list[str] = []
    risks: list[str] = []
    rus_goals: list[str] = []


class EffectNodeIn(_Strict):
    id: str
    level: EffectLevel
    statement: str
    goals: list[str] = []


class EffectLinkIn(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    assumption: str | None = None


class EffectLogicIn(_Strict):
    nodes: list[EffectNodeIn] = []
    links: list[EffectLinkIn] = []
    external_factors: list[str] = []


class PointIn(_Strict):
    value: float | None = None
    date: dt.date | None = None


class IndicatorIn(_Strict):
    id: str
    name: str
    unit: str | None = None
    level: EffectLevel
    measures: list[str] = []
    baseline: PointIn = PointIn()
    target: PointIn = PointIn()
    aggregation: Aggregation = "cumulative"
    maximum: float | None = None
    code: str | None = Field(default=None, pattern=r"^(RCO|RCR|EECO|EECR|PSO|PSR)\d{2,3}$")
    source: str | None = None
    description: str = ""
    firms: bool = False
    role: IndicatorRole | None = None


class HorizontalIn(_Strict):
    criterion: Criterion
    aim: str = ""
    actions: list[str] = []
    indicators: list[str] = []


class KeyPersonIn(_Strict):
    role: str
    organisation: str = ""
    name: str = ""
    note: str = ""


class DominanceIn(_Strict):
    """``disclosure.dominance``: the (n, k) rule (default n = 2, k = 85) or, with ``p`` alone, the p % rule."""

    n: StrictInt | None = Field(default=None, ge=1)
    k: float | None = Field(default=None, gt=0, le=100)
    p: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _one_rule(self) -> DominanceIn:
        if self.p is not None and (self.n is not None or self.k is not None):
            raise ValueError("either n and k (the (n, k) rule) or p (the p % rule), not both")
        return self


class DisclosureIn(_Strict):
    """``disclosure``: whether firm-level and survey figures are public, and the smallest cell shown."""

    firms: DisclosureLevel = "restricted"
    survey: DisclosureLevel = "restricted"
    min_cell: StrictInt = Field(default=5, ge=1)
    dominance: DominanceIn = DominanceIn()

    def to_model(self) -> Disclosure:
        d = self.dominance
        return Disclosure(firms=self.firms, survey=self.survey, min_cell=self.min_cell,
                          dominance_n=2 if d.n is None else d.n, dominance_k=85.0 if d.k is None else d.k, dominance_p=d.p)


PROJECT_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
"""A project id in project.yaml: a lower-case letter, then lower-case letters, digits or '_'."""


class ProjectIn(_Strict):
    id: str = Field(pattern=PROJECT_ID_PATTERN)
    name: str
    short_name: str = ""
    fund: Fund
    programme: str
    owner: str | None = None
    region: str = ""
    start: date
    end: date
    dates_status: DataStatus = "published"
    partners: list[str] = []
    municipalities: list[str] = []
    target_groups: list[str] = []
    rus_goals: list[str] = []
    cofinancing: list[CofinancingKeyIn] = []
    evaluation: EvaluationIn
    data_status: DataStatus = "published"
    sources: list[SourceIn] = []
    work_packages: list[WorkPackageIn] = []
    financiers: list[FinancierIn] = []
    budget: BudgetIn = BudgetIn()
    goal_tree: list[GoalIn] = []
    effect_logic: EffectLogicIn = EffectLogicIn()
    indicators: list[IndicatorIn] = []
    horizontal: list[HorizontalIn] = []
    key_persons: list[KeyPersonIn] = []
    notes: list[str] = []
    lessons: list[str] = []
    disclosure: DisclosureIn = DisclosureIn()
    rules: dict[str, RuleAction] = {}


_EXPECTATIONS = {
    "missing": "present",
    "extra_forbidden": "a known key (this one is not part of the format)",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "a date written YYYY-MM-DD (without a time of day)",
    "invalid_key": "a key written as text",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_type": "a date written YYYY-MM-DD",
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
}


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys the format knows in the mapping at ``loc`` (empty if it is not a model)."""
    model: Any = ProjectIn
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == part), None)
        if field is None:
            return []
        model = field.annotation
        while get_args(model) and not (isinstance(model, type) and issubclass(model, BaseModel)):
            model = next((a for a in get_args(model) if isinstance(a, type) and issubclass(a, BaseModel)), get_args(model)[-1])
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or name for name, f in model.model_fields.items()]
    return []


def _expectation(err: Mapping[str, Any]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        loc = tuple(err["loc"])
        close = difflib.get_close_matches(str(loc[-1]), _keys_at(loc[:-1]), n=1, cutoff=0.75)
        if close:
            return f"a known key (did you mean '{close[0]}'?)"
    if kind == "literal_error":
        return "one of " + str(err.get("ctx", {}).get("expected", ""))
    if kind == "string_pattern_mismatch":
        return "text matching " + str(err.get("ctx", {}).get("pattern", ""))
    if kind == "greater_than_equal":
        return "a number >= " + format(err.get("ctx", {}).get("ge", 0), "g")
    if kind in _EXPECTATIONS:
        return _EXPECTATIONS[kind]
    msg = str(err.get("msg", "valid"))
    return msg.replace("Input should be ", "").replace("Value error, ", "")


def pydantic_problems(error: ValidationError, file: str, lines: dict[LinePath, int]) -> list[Problem]:
    """Turn a pydantic error into problems that name the field and its line."""
    problems = []
    for err in error.errors():
        loc = tuple(err["loc"])
        if err["type"] == "invalid_key" and loc:  # a key such as 1: or 2024-01-01: (not text)
            loc = (*loc[:-1], str(loc[-1]))
        got = None if err["type"] == "missing" else err.get("input")
        if isinstance(got, (dict, list)):
            got = type(got).__name__
        problems.append(Problem(file, field_name(loc), _expectation(err), got, row=line_of(lines, loc)))
    return problems
