"""Tests for evaluation.io.region: region files validated with file and line, a project's links to
its region's RUS effect goals (an unknown id is bad input naming file, line, id and the known ids),
and co-financing keys in project.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import line_of_text, minimal_spec, write_project

from evaluation.core.errors import InputError
from evaluation.io.loader import load_project
from evaluation.io.region import available_regions, is_region_id, load_region, region_of

REGION: dict[str, Any] = {
    "id": "testlan",
    "name": "Region Testlän",
    "sources": [{"id": "prot", "title": "Protokoll"}],
    "rus": {
        "name": "Regional utvecklingsstrategi 2020-2030",
        "period": "2020-2030",
        "source": "prot",
        "priority_areas": [
            {"id": "naringsliv", "name": "Konkurrenskraftigt näringsliv",
             "effect_goals": [{"id": "brett", "statement": "Ett brett näringsliv", "source": "prot"}]},
            {"id": "platser", "name": "Tillgängliga platser",
             "effect_goals": [{"id": "infra", "statement": "Robust infrastruktur", "area_status": "illustrative"}]},
        ],
    },
    "programmes": [{"id": "anslag11", "name": "1:1 Regionala utvecklingsåtgärder", "fund": "national"}],
}


def home_with_region(tmp_path: Path, region: dict[str, Any] | None = None) -> Path:
    """``tmp_path`` as a project home holding regions/testlan/region.yaml; returns its data folder."""
    folder = tmp_path / "regions" / "testlan"
    folder.mkdir(parents=True)
    (folder / "region.yaml").write_text(yaml.safe_dump(region or REGION, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (tmp_path / "data").mkdir()
    return tmp_path / "data"


def project_in(data: Path, **changes: Any) -> Path:
    spec = minimal_spec()
    spec.update(changes)
    return write_project(data, spec)


def test_region_loads_with_its_strategy_and_programmes(tmp_path: Path) -> None:
    """The test region has two priority areas, goal ids brett and infra, and one programme."""
    data = home_with_region(tmp_path)
    region = load_region("testlan", data.parent / "regions")
    assert region.rus.goal_ids() == ("brett", "infra")
    assert region.rus.area_of("infra").name == "Tillgängliga platser"
    assert region.rus.effect_goal("infra").area_status == "illustrative"
    assert region.programme("anslag11").fund == "national"
    assert available_regions(data.parent / "regions") == ("testlan",)


def test_project_links_to_known_rus_goals(tmp_path: Path) -> None:
    """A project of region testlan naming brett (and its overall goal naming infra) loads with those ids."""
    data = home_with_region(tmp_path)
    spec = minimal_spec()
    spec.update(region="testlan", rus_goals=["brett"])
    spec["goal_tree"][0]["rus_goals"] = ["infra"]
    write_project(data, spec)
    project = load_project("mini", data_dir=data)
    assert project.rus_goals == ("brett",)
    assert project.goal_tree.node("og").rus_goals == ("infra",)
    assert region_of(project.region, data.parent / "regions").name == "Region Testlän"  # type: ignore[union-attr]


def test_unknown_rus_goal_id_is_bad_input_naming_file_line_id_and_known_ids(tmp_path: Path) -> None:
    """rus_goals: [bret] (a typo) is one problem on its line listing the known ids brett, infra."""
    data = home_with_region(tmp_path)
    folder = project_in(data, region="testlan", rus_goals=["bret"])
    with pytest.raises(InputError) as err:
        load_project("mini", data_dir=data)
    (problem,) = err.value.problems
    assert problem.field == "rus_goals[0]"
    assert problem.got == "bret"
    assert problem.row == line_of_text(folder, "- bret")
    assert problem.file.endswith("project.yaml")
    assert "known: brett, infra" in problem.expectation


def test_unknown_rus_goal_in_the_goal_tree_is_bad_input(tmp_path: Path) -> None:
    """goal_tree[0].rus_goals naming no effect goal is reported at that field."""
    data = home_with_region(tmp_path)
    spec = minimal_spec()
    spec.update(region="testlan")
    spec["goal_tree"][0]["rus_goals"] = ["nope"]
    write_project(data, spec)
    with pytest.raises(InputError) as err:
        load_project("mini", data_dir=data)
    assert [(p.field, p.got) for p in err.value.problems] == [("goal_tree[0].rus_goals[0]", "nope")]


def test_unknown_region_id_is_bad_input_listing_the_known_regions(tmp_path: Path) -> None:
    """region: testln (no such folder) is one problem on the region line naming testlan."""
    data = home_with_region(tmp_path)
    folder = project_in(data, region="testln")
    with pytest.raises(InputError) as err:
        load_project("mini", data_dir=data)
    (problem,) = err.value.problems
    assert (problem.field, problem.got) == ("region", "testln")
    assert problem.row == line_of_text(folder, "region: testln")
    assert "known: testlan" in problem.expectation


def test_free_text_region_links_to_nothing(tmp_path: Path) -> None:
    """region: Västerbotten (an area's name, not an id) loads as before, with free-text rus_goals."""
    data = home_with_region(tmp_path)
    project_in(data, region="Västerbotten", rus_goals=["Något mål i fritext"])
    assert load_project("mini", data_dir=data).region == "Västerbotten"
    assert not is_region_id("Västerbotten") and is_region_id("gavleborg")


def test_region_file_problems_name_file_and_line(tmp_path: Path) -> None:
    """A repeated effect-goal id and a source id that does not exist are both reported with their lines."""
    region = yaml.safe_load(yaml.safe_dump(REGION))
    region["rus"]["priority_areas"][1]["effect_goals"][0]["id"] = "brett"
    region["rus"]["priority_areas"][1]["source"] = "saknas"
    data = home_with_region(tmp_path, region)
    with pytest.raises(InputError) as err:
        load_region("testlan", data.parent / "regions")
    fields = {(p.field, p.got) for p in err.value.problems}
    assert ("rus.priority_areas[1].effect_goals[0].id", "brett") in fields
    assert ("rus.priority_areas[1].source", "saknas") in fields
    assert all(p.row is not None and p.file.endswith("region.yaml") for p in err.value.problems)


def test_region_file_with_unknown_key_is_bad_input(tmp_path: Path) -> None:
    """A misspelt key (prioirty_areas) in region.yaml is a problem naming it."""
    region = yaml.safe_load(yaml.safe_dump(REGION))
    region["rus"]["prioirty_areas"] = region["rus"].pop("priority_areas")
    data = home_with_region(tmp_path, region)
    with pytest.raises(InputError) as err:
        load_region("testlan", data.parent / "regions")
    assert "rus.prioirty_areas" in {p.field for p in err.value.problems}


KEY = {
    "id": "botnia", "total": 9750000, "basis": "population", "source": "prot",
    "parties": [
        {"name": "Region Testlän", "input": 287000, "input_source": "SCB", "input_date": "2021-12-31", "decided": 1500000},
        {"name": "Region Annat", "input": 244000},
    ],
}
SPLIT = {
    "id": "split", "total": 1500000, "basis": "fixed", "splits": "Region Testlän",
    "parties": [{"name": "Förvaltningsmedel", "input": 750000, "decided": 750000, "kind": "förvaltningsmedel"},
                {"name": "1:1", "input": 750000, "decided": 750000, "kind": "1:1-medel"}],
}


def test_cofinancing_keys_load_into_the_model(tmp_path: Path) -> None:
    """Two keys load with their parties, dates, kinds and the split reference."""
    data = home_with_region(tmp_path)
    project_in(data, cofinancing=[KEY, SPLIT])
    project = load_project("mini", data_dir=data)
    botnia, split = project.cofinancing
    assert botnia.basis == "population" and botnia.party("Region Testlän").decided == 1_500_000
    assert str(botnia.party("Region Testlän").input_date) == "2021-12-31"
    assert split.splits == "Region Testlän" and [p.kind for p in split.parties] == ["förvaltningsmedel", "1:1-medel"]


def test_cofinancing_key_problems(tmp_path: Path) -> None:
    """A population party without its population, a splits naming no party and an unknown basis are each bad input."""
    data = home_with_region(tmp_path)
    key = yaml.safe_load(yaml.safe_dump(KEY))
    del key["parties"][1]["input"]
    split = dict(SPLIT, splits="Region Saknas")
    project_in(data, cofinancing=[key, split, dict(SPLIT, id="other", basis="equal")])
    with pytest.raises(InputError) as err:
        load_project("mini", data_dir=data)
    fields = {p.field for p in err.value.problems}
    assert "cofinancing[2].basis" in fields
    project_in(data, cofinancing=[key, split])
    with pytest.raises(InputError) as err:
        load_project("mini", data_dir=data)
    assert {(p.field, p.got) for p in err.value.problems} == {
        ("cofinancing[0].parties[1].input", None), ("cofinancing[1].splits", "Region Saknas")}


def test_region_file_hash_is_among_the_project_input_hashes(tmp_path: Path) -> None:
    """A project linked to a region records regions/testlan/region.yaml's sha256 (its provenance shows it)."""
    import hashlib

    data = home_with_region(tmp_path)
    project_in(data, region="testlan")
    hashes = dict(load_project("mini", data_dir=data).input_hashes)
    region_file = tmp_path / "regions" / "testlan" / "region.yaml"
    (shown,) = [k for k in hashes if k.endswith("region.yaml")]
    assert hashes[shown] == hashlib.sha256(region_file.read_bytes()).hexdigest()
