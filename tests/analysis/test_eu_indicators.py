"""Tests for evaluation.analysis.eu_indicators: the built-in catalogue of EU common indicators
(Regulation (EU) 2021/1058 Annex I, Regulation (EU) 2021/1057 Annex I) and its look-ups."""

from __future__ import annotations

from evaluation.analysis.eu_indicators import (
    CATALOGUE_PATH,
    catalogue,
    catalogue_frame,
    level_agrees,
    looks_like_eu_code,
    lookup,
    similar_codes,
    unit_agrees,
)


def test_catalogue_holds_the_erdf_and_esf_codes_with_their_regulations() -> None:
    """RCO01-RCO04 and RCR01-RCR03 cite Regulation (EU) 2021/1058; EECO01 and EECR04 cite 2021/1057."""
    for code in ("RCO01", "RCO02", "RCO03", "RCO04", "RCR01", "RCR02", "RCR03"):
        entry = lookup(code)
        assert entry is not None and "2021/1058" in entry.regulation.title
    for code in ("EECO01", "EECO19", "EECR04"):
        entry = lookup(code)
        assert entry is not None and "2021/1057" in entry.regulation.title


def test_catalogue_names_levels_and_units_as_the_regulation_annex_gives_them() -> None:
    """RCO01 'Enterprises supported (of which: micro, small, medium, large)', enterprises, output; RCR01 jobs in annual FTEs, result."""
    rco01, rcr01 = lookup("RCO01"), lookup("RCR01")
    assert rco01 is not None and rcr01 is not None
    assert rco01.name_en == "Enterprises supported (of which: micro, small, medium, large)"
    assert (rco01.level, rco01.unit.en, rco01.unit.sv) == ("output", "enterprises", "företag")
    assert rcr01.name_en == "Jobs created in supported entities"
    assert (rcr01.level, rcr01.unit.en) == ("result", "annual FTEs")
    assert lookup("EECO01").name_en == "Total number of participants"  # type: ignore[union-attr]


def test_every_code_is_unique_and_every_level_follows_its_prefix() -> None:
    """Output codes (RCO, EECO) are outputs and result codes (RCR, EECR) results, in the whole catalogue."""
    entries = catalogue()
    assert len(entries) == len({e.code for e in entries.values()}) >= 70
    for code, entry in entries.items():
        assert entry.level == ("output" if code.startswith(("RCO", "EECO")) else "result"), code


def test_unknown_code_is_not_found_and_near_codes_are_suggested() -> None:
    """RCO09 is no common indicator; the nearest catalogue codes are RCO08 and RCO10."""
    assert lookup("RCO09") is None
    assert looks_like_eu_code("RCO09")
    assert similar_codes("RCO09")[:2] == ["RCO08", "RCO10"]


def test_programme_specific_codes_are_not_eu_codes() -> None:
    """PSO01 and free text do not claim to be EU common indicators."""
    assert not looks_like_eu_code("PSO01")
    assert not looks_like_eu_code("firms")
    assert not looks_like_eu_code(None)


def test_unit_agreement_accepts_swedish_english_and_aliases_only() -> None:
    """'företag', 'Enterprises ' and 'antal företag' agree with RCO01; 'st' does not; no unit is undecided (None)."""
    rco01 = lookup("RCO01")
    assert rco01 is not None
    assert unit_agrees(rco01, "företag") and unit_agrees(rco01, "Enterprises ") and unit_agrees(rco01, "antal företag")
    assert unit_agrees(rco01, "st") is False
    assert unit_agrees(rco01, None) is None
    rcr01 = lookup("RCR01")
    assert rcr01 is not None and unit_agrees(rcr01, "årsarbetskrafter") and unit_agrees(rcr01, "heltidstjänster") is False


def test_level_agreement() -> None:
    """An output code fits only the output level; a result code fits short- and long-term effects."""
    rco01, rcr01 = lookup("RCO01"), lookup("RCR01")
    assert rco01 is not None and rcr01 is not None
    assert level_agrees(rco01, "output") and not level_agrees(rco01, "short_term")
    assert level_agrees(rcr01, "short_term") and level_agrees(rcr01, "long_term") and not level_agrees(rcr01, "output")


def test_catalogue_frame_in_both_languages_and_the_file_is_package_data() -> None:
    """The table has one row per code, Swedish names for sv; the catalogue file is declared as package data."""
    sv, en = catalogue_frame("sv"), catalogue_frame("en")
    assert len(sv) == len(catalogue())
    assert sv.set_index("code").loc["RCO04", "name"] == "Företag som får icke-finansiellt stöd"
    assert en.set_index("code").loc["RCO04", "name"] == "Enterprises with non-financial support"
    pyproject = (CATALOGUE_PATH.parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"catalogues/*.yaml"' in pyproject
