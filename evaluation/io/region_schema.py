"""The file boundary of regions and co-financing keys: pydantic models of ``region.yaml`` and of
the ``cofinancing`` key of ``project.yaml``.

These models only check shape and types; ids that must exist (an effect goal a project names,
a party a key splits) are checked by :mod:`evaluation.io.region`. Problems are reported with
file and line through :func:`evaluation.io.schema.pydantic_problems`.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from evaluation.core.region import (
    CofinancingKey,
    EffectGoal,
    KeyBasis,
    KeyParty,
    PriorityArea,
    Programme,
    Reference,
    Status,
    Strategy,
)

REGION_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
"""A region id: a lower-case letter, then lower-case letters, digits or '_' (the folder's name)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferenceIn(_Strict):
    id: str
    title: str
    reference: str = ""
    note: str = ""

    def to_model(self) -> Reference:
        return Reference(self.id, self.title, self.reference, self.note)


class EffectGoalIn(_Strict):
    id: str = Field(pattern=REGION_ID_PATTERN)
    statement: str
    source: str = ""
    area_status: Status = "published"
    note: str = ""

    def to_model(self) -> EffectGoal:
        return EffectGoal(self.id, self.statement, self.source, self.area_status, self.note)


class PriorityAreaIn(_Strict):
    id: str = Field(pattern=REGION_ID_PATTERN)
    name: str
    source: str = ""
    effect_goals: list[EffectGoalIn] = []

    def to_model(self) -> PriorityArea:
        return PriorityArea(self.id, self.name, tuple(g.to_model() for g in self.effect_goals), self.source)


class StrategyIn(_Strict):
    name: str
    period: str
    source: str = ""
    priority_areas: list[PriorityAreaIn] = []

    def to_model(self) -> Strategy:
        return Strategy(self.name, self.period, self.source, tuple(a.to_model() for a in self.priority_areas))


class ProgrammeIn(_Strict):
    id: str = Field(pattern=REGION_ID_PATTERN)
    name: str
    fund: str = ""
    period: str = ""
    source: str = ""

    def to_model(self) -> Programme:
        return Programme(self.id, self.name, self.fund, self.period, self.source)


class RegionIn(_Strict):
    id: str = Field(pattern=REGION_ID_PATTERN)
    name: str
    data_status: Status = "published"
    sources: list[ReferenceIn] = []
    rus: StrategyIn
    programmes: list[ProgrammeIn] = []
    notes: list[str] = []


class KeyPartyIn(_Strict):
    name: str
    input: float | None = Field(default=None, ge=0)
    input_source: str = ""
    input_date: date | None = None
    decided: float | None = Field(default=None, ge=0)
    kind: str = ""
    data_status: Status = "published"
    note: str = ""

    def to_model(self) -> KeyParty:
        return KeyParty(self.name, self.input, self.input_source, self.input_date, self.decided, self.kind,
                        self.data_status, self.note)


class CofinancingKeyIn(_Strict):
    """One entry of ``cofinancing`` in project.yaml."""

    id: str = Field(pattern=REGION_ID_PATTERN)
    name: str = ""
    total: float = Field(ge=0)
    basis: KeyBasis
    source: str = ""
    splits: str | None = None
    note: str = ""
    parties: list[KeyPartyIn] = Field(min_length=1)

    def to_model(self) -> CofinancingKey:
        return CofinancingKey(self.id, self.total, self.basis, tuple(p.to_model() for p in self.parties),
                              self.name, self.source, self.splits, self.note)
