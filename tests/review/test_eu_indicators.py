"""Tests for evaluation.review.eu_indicators: an unknown EU code and a unit that disagrees with the
catalogue are findings naming the indicator, the code and what the catalogue says."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import minimal_spec

from evaluation.core.model import Project
from evaluation.review.checks import check_project
from evaluation.review.eu_indicators import eu_indicator_findings


def _with_code(load: Callable[..., Project], code: str, unit: str, level: str = "output") -> Project:
    spec: dict[str, Any] = minimal_spec()
    ind = spec["indicators"][0]
    ind.update(code=code, unit=unit, level=level)
    return load(spec)


def test_unknown_eu_code_is_a_finding_naming_indicator_code_and_near_codes(load: Callable[..., Project]) -> None:
    """RCO09 (no such common indicator) on out1 gives one eu_indicator_catalogue finding citing RCO08 and RCO10."""
    project = _with_code(load, "RCO09", "företag")
    findings = [f for f in check_project(project) if f.check == "eu_indicator_catalogue"]
    assert len(findings) == 1
    f = findings[0]
    assert f.subject == "out1" and f.severity == "warning"
    assert "out1" in f.text("en") and "RCO09" in f.text("en") and "RCO08, RCO10" in f.text("en")
    assert "RCO09" in f.text("sv") and "katalog" in f.text("sv")


def test_unit_mismatch_is_a_finding_naming_the_catalogue_unit(load: Callable[..., Project]) -> None:
    """RCR01 measured in 'heltidstjänster' disagrees with the catalogue's annual FTEs (årsarbetskrafter)."""
    project = _with_code(load, "RCR01", "heltidstjänster", level="short_term")
    (f,) = eu_indicator_findings(project)
    text = f.text("en")
    assert "RCR01" in text and "heltidstjänster" in text and "årsarbetskrafter (annual FTEs)" in text
    assert "Jobs created in supported entities" in text


def test_known_code_in_its_unit_and_programme_specific_codes_give_no_finding(load: Callable[..., Project]) -> None:
    """RCO01 in 'företag' agrees with the catalogue; PSO01 is programme-specific and not checked."""
    assert eu_indicator_findings(_with_code(load, "RCO01", "företag")) == []
    assert eu_indicator_findings(_with_code(load, "PSO01", "st")) == []


def test_three_digit_codes_load_and_are_checked(load: Callable[..., Project]) -> None:
    """RCO101 (three digits) loads and agrees in 'företag'; RCO199 is unknown."""
    assert eu_indicator_findings(_with_code(load, "RCO101", "företag")) == []
    assert [f.subject for f in eu_indicator_findings(_with_code(load, "RCO199", "företag"))] == ["out1"]


def test_rule_can_be_switched_off(load: Callable[..., Project]) -> None:
    """rules: {eu_indicator_catalogue: off} in project.yaml drops the finding."""
    spec: dict[str, Any] = minimal_spec()
    spec["indicators"][0].update(code="RCO09", unit="företag")
    spec["rules"] = {"eu_indicator_catalogue": "off"}
    assert not [f for f in check_project(load(spec)) if f.check == "eu_indicator_catalogue"]


def test_level_disagreeing_with_the_catalogue_is_one_level_finding(load: Callable[..., Project]) -> None:
    """RCR01 (a result in the catalogue) at the output level: one indicator_level_mismatch finding, no duplicate here."""
    project = _with_code(load, "RCR01", "årsarbetskrafter", level="output")
    found = [f for f in check_project(project) if f.subject == "out1" and f.check in ("indicator_level_mismatch", "eu_indicator_catalogue")]
    assert [f.check for f in found] == ["indicator_level_mismatch"]
    assert "RCR01" in found[0].text("en") and "result code" in found[0].text("en")
