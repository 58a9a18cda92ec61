"""A region and its strategy as data, and co-financing keys.

A region (``regions/<id>/region.yaml`` under the project home, read by
:mod:`evaluation.io.region`) holds its regional development strategy (RUS: priority areas,
each with effect goals that have ids) and its programmes. A project links to the effect goals
by id (``rus_goals`` in project.yaml); an unknown id is bad input.

A co-financing key (``cofinancing`` in project.yaml) says how a total is shared between
parties: by population, by stated shares, or as fixed amounts, with each party's input (a
population figure with its source and date, a share, an amount) and the amount each party has
decided (``None`` = not decided, or not reported). :mod:`evaluation.analysis.cofinancing`
computes each party's part and compares it with the decided amount.

Every object is a frozen dataclass; ``None`` means "not reported", never zero. This module
imports nothing from :mod:`evaluation.core.model` (the model imports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, get_args

KeyBasis = Literal["population", "fixed", "shares"]
"""How a key divides its total: ``population`` (in proportion to each party's population),
``shares`` (in proportion to each party's stated share or weight) or ``fixed`` (each party's
input is its amount)."""
KEY_BASES: tuple[str, ...] = get_args(KeyBasis)
Status = Literal["published", "illustrative", "estimated"]
"""The data status of a figure (the same values as :data:`evaluation.core.model.DataStatus`)."""


@dataclass(frozen=True)
class Reference:
    """A document a region's data were taken from."""

    id: str
    title: str
    reference: str = ""
    note: str = ""


@dataclass(frozen=True)
class EffectGoal:
    """An effect goal (effektmål) of the strategy, with the id projects link to.

    ``area_status`` says whether the goal's place under its priority area is published
    (``published``) or was chosen by whoever wrote the region file (``illustrative``), for
    example when a source quotes the goal without naming its area.
    """

    id: str
    statement: str
    source: str = ""
    area_status: Status = "published"
    note: str = ""


@dataclass(frozen=True)
class PriorityArea:
    """A priority area (prioriterat målområde) of the strategy and its effect goals."""

    id: str
    name: str
    effect_goals: tuple[EffectGoal, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Strategy:
    """The regional development strategy (RUS): its name, period and priority areas."""

    name: str
    period: str
    source: str = ""
    priority_areas: tuple[PriorityArea, ...] = ()

    def effect_goals(self) -> tuple[EffectGoal, ...]:
        """Every effect goal, in the order of the priority areas."""
        return tuple(g for area in self.priority_areas for g in area.effect_goals)

    def goal_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.effect_goals())

    def effect_goal(self, goal_id: str) -> EffectGoal:
        for goal in self.effect_goals():
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def area_of(self, goal_id: str) -> PriorityArea:
        """The priority area holding effect goal ``goal_id``."""
        for area in self.priority_areas:
            if any(g.id == goal_id for g in area.effect_goals):
                return area
        raise KeyError(goal_id)


@dataclass(frozen=True)
class Programme:
    """A programme or financing scheme the region's projects are funded from."""

    id: str
    name: str
    fund: str = ""
    period: str = ""
    source: str = ""


@dataclass(frozen=True)
class Region:
    """A region: its strategy (RUS), its programmes and the documents they come from."""

    id: str
    name: str
    rus: Strategy
    programmes: tuple[Programme, ...] = ()
    sources: tuple[Reference, ...] = ()
    data_status: Status = "published"
    notes: tuple[str, ...] = ()
    folder: Path | None = field(default=None, compare=False)

    def programme(self, programme_id: str) -> Programme:
        for prog in self.programmes:
            if prog.id == programme_id:
                return prog
        raise KeyError(programme_id)

    def source(self, source_id: str) -> Reference | None:
        for src in self.sources:
            if src.id == source_id:
                return src
        return None


@dataclass(frozen=True)
class KeyParty:
    """One party of a co-financing key.

    ``input`` is what the key divides by: the party's population (basis ``population``), its
    share or weight (``shares``) or its amount (``fixed``); ``input_source`` and ``input_date``
    say where the figure comes from and what date it describes; ``data_status`` is the status
    of that figure. ``decided`` is the amount the party has decided (``None`` = not decided or
    not reported); ``kind`` labels the money (for example förvaltningsmedel, 1:1-medel).
    """

    name: str
    input: float | None = None
    input_source: str = ""
    input_date: date | None = None
    decided: float | None = None
    kind: str = ""
    data_status: Status = "published"
    note: str = ""


@dataclass(frozen=True)
class CofinancingKey:
    """How a total is shared between parties (see :class:`KeyParty`).

    ``splits`` names a party of another key of the same project whose amount this key divides
    (Region Gävleborg's 1 500 000 kr of Botniska korridoren, split into förvaltningsmedel and
    1:1-medel); the key's total should then equal that party's decided amount.
    """

    id: str
    total: float
    basis: KeyBasis
    parties: tuple[KeyParty, ...]
    name: str = ""
    source: str = ""
    splits: str | None = None
    note: str = ""

    def party(self, name: str) -> KeyParty:
        for p in self.parties:
            if p.name == name:
                return p
        raise KeyError(name)
