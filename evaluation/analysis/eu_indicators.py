"""The EU common indicators of cohesion policy 2021-2027: look-up in the built-in catalogue.

The catalogue (``evaluation/catalogues/eu_common_indicators.yaml``, package data) holds the
ERDF common output and result indicators of Regulation (EU) 2021/1058, Annex I (RCO.., RCR..,
including the Interreg ones) and the ESF+ common indicators of Regulation (EU) 2021/1057,
Annex I (EECO.., EECR..): code, English and Swedish name, measurement unit and level
(output or result), each with the regulation it comes from. The Swedish names are the toolkit
authors' translations (the catalogue says so).

:func:`lookup` finds a code; :func:`unit_agrees` and :func:`level_agrees` compare a project's
indicator with its entry (the check in :mod:`evaluation.review.eu_indicators` reports where they
disagree); :func:`looks_like_eu_code` says whether a code claims to be a common indicator
(programme-specific codes PSO/PSR do not).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evaluation.core.i18n import DEFAULT_LANGUAGE, Language
from evaluation.io.yamlio import load

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "catalogues" / "eu_common_indicators.yaml"
EU_CODE = re.compile(r"^(RCO|RCR|EECO|EECR)\d{2,3}$")
"""A code that claims to be an EU common indicator (ERDF RCO/RCR, ESF+ EECO/EECR)."""
OUTPUT_LEVELS = ("activity", "output")


@dataclass(frozen=True)
class Regulation:
    id: str
    fund: str
    title: str
    reference: str


@dataclass(frozen=True)
class Unit:
    """A measurement unit: its English name (the catalogue's key), Swedish name and accepted spellings."""

    en: str
    sv: str
    aliases: tuple[str, ...]

    @functools.cached_property
    def _spellings(self) -> frozenset[str]:
        return frozenset(_norm(a) for a in (self.en, self.sv, *self.aliases))

    def accepts(self, unit: str) -> bool:
        return _norm(unit) in self._spellings


@dataclass(frozen=True)
class EUIndicator:
    """One common indicator of the catalogue."""

    code: str
    level: str  # output | result
    unit: Unit
    regulation: Regulation
    name_en: str
    name_sv: str

    def name(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        """The name in ``lang`` (Swedish for ``sv``, else English)."""
        return self.name_sv if lang == "sv" else self.name_en

    def unit_name(self, lang: Language = DEFAULT_LANGUAGE) -> str:
        return self.unit.sv if lang == "sv" else self.unit.en


def _norm(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


def _parse(text: str):  # noqa: ANN202 - a YAML document
    """The catalogue's YAML parsed by libyaml when PyYAML has it (ten times faster; every worker process reads the
    catalogue once), else by :func:`evaluation.io.yamlio.load`; dates kept as strings either way."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return load(text)
    loader: Any = type("_CatalogueLoader", (fast,), {})
    loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in fast.yaml_implicit_resolvers.items()
    }
    return yaml.load(text, Loader=loader)  # noqa: S506 - a CSafeLoader subclass


@functools.cache
def catalogue(path: Path = CATALOGUE_PATH) -> dict[str, EUIndicator]:
    """Every indicator of the catalogue by code (read once per process)."""
    data = _parse(path.read_text(encoding="utf-8"))
    regulations = {r["id"]: Regulation(r["id"], r["fund"], r["title"], r["reference"]) for r in data["regulations"]}
    units = {name: Unit(name, spec["sv"], tuple(spec.get("aliases", ()))) for name, spec in data["units"].items()}
    return {
        row["code"]: EUIndicator(row["code"], row["level"], units[row["unit"]], regulations[row["regulation"]],
                                 row["name_en"], row["name_sv"])
        for row in data["indicators"]
    }


def looks_like_eu_code(code: str | None) -> bool:
    """True when ``code`` is written as an EU common indicator code (RCO01, EECR04, ...)."""
    return bool(code) and bool(EU_CODE.match(str(code)))


def lookup(code: str | None) -> EUIndicator | None:
    """The catalogue entry of ``code``, None when the catalogue has no such code."""
    if not code:
        return None
    return catalogue().get(str(code).strip().upper())


def unit_agrees(entry: EUIndicator, unit: str | None) -> bool | None:
    """Whether ``unit`` is the entry's unit (English, Swedish or an accepted spelling); None when no unit is given."""
    if unit is None or not str(unit).strip():
        return None
    return entry.unit.accepts(unit)


def level_agrees(entry: EUIndicator, level: str) -> bool:
    """Whether an effect-logic ``level`` fits the entry: outputs at ``output``, results above it."""
    if entry.level == "output":
        return level == "output"
    return level not in OUTPUT_LEVELS


def similar_codes(code: str, n: int = 3) -> list[str]:
    """Up to ``n`` catalogue codes close to ``code`` (same prefix, nearest number), for a message."""
    match = re.match(r"^([A-Z]+)(\d+)$", str(code).strip().upper())
    if match is None:
        return []
    prefix, number = match.group(1), int(match.group(2))
    same = [c for c in catalogue() if re.match(rf"^{prefix}\d+$", c)]
    return sorted(same, key=lambda c: (abs(int(c[len(prefix):]) - number), c))[:n]


def catalogue_frame(lang: Language = DEFAULT_LANGUAGE) -> pd.DataFrame:
    """The catalogue as a table: code, name (in ``lang``), unit, level, fund, regulation."""
    rows = [
        {"code": e.code, "name": e.name(lang), "unit": e.unit_name(lang), "level": e.level,
         "fund": e.regulation.fund, "regulation": e.regulation.title}
        for e in catalogue().values()
    ]
    return pd.DataFrame(rows, columns=["code", "name", "unit", "level", "fund", "regulation"])
