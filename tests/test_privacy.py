"""Privacy and safety of the reports: small-cell suppression of firm and survey data, the
``disclosure`` setting of project.yaml, escaping of user text, path confinement and safe YAML.

Projects are tiny folders written with the conftest builder; the report is built in-process
(no kernel) and, for the escaping tests, rendered to HTML with nbconvert as the real run does.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import minimal_spec, write_project
from test_notebooks import tiny_spec, tiny_tables

from evaluation.analysis import firms
from evaluation.core import paths
from evaluation.core.errors import InputError, ParameterError, ProjectNotFoundError
from evaluation.io.loader import load_project
from evaluation.render import html as render
from evaluation.report import sections
from evaluation.report.params import load_params, parse_params, validate_notebook_parameters
from evaluation.report.sections import SECTIONS, Block, ReportContext
from evaluation.report.sections.participating_firms import matching_sentence

NBSP = "\u00a0"


def plain(block: Block) -> str:
    """A block's text: tags as '|', images dropped, entities decoded, no-break spaces plain."""
    text = re.sub(r"<[^>]+>", " | ", re.sub(r'src="data:[^"]*"', "", block.text()))
    return re.sub(r"(\s*\|\s*)+", " | ", html.unescape(text).replace(NBSP, " "))


def report(folder: Path, kind: str = "final", as_of: str = "2025-12-31", **params: Any) -> ReportContext:
    """The report of the project in ``folder``, built as the notebooks build it."""
    p = validate_notebook_parameters(project=folder.name, kind=kind, as_of=as_of, project_exists=None, **params)
    return ReportContext.build(p, load_project(folder))


def firm_panel(starts: list[int], n_comparison: int, years: list[int]) -> list[dict[str, Any]]:
    """Participants (one per start year in ``starts``) and comparison firms, employees growing by year."""
    rows: list[dict[str, Any]] = []
    for i, start in enumerate(starts):
        for y in years:
            e = 4 + i + (y - years[0]) * 0.5 + (2 if y >= start else 0) + (i % 3) * 0.25 * (y - years[0])
            rows.append({"firm_id": f"p{i:02d}", "name": f"Deltagare {i:02d} AB", "year": y, "employees": e,
                         "participant": "yes", "participation_start": start})
    for i in range(n_comparison):
        for y in years:
            e = 3 + i + (y - years[0]) * 0.5 + (i % 4) * 0.2 * (y - years[0])
            rows.append({"firm_id": f"c{i:02d}", "name": f"Jämförelse {i:02d} AB", "year": y, "employees": e,
                         "participant": "no", "participation_start": None})
    return rows


def with_disclosure(spec: dict[str, Any], **disclosure: Any) -> dict[str, Any]:
    spec["disclosure"] = disclosure
    return spec


def restricted_tiny() -> dict[str, Any]:
    """The tiny notebook project with firm and survey data restricted (stated, not left to the default)."""
    return with_disclosure(tiny_spec(), firms="restricted", survey="restricted")


# --------------------------------------------------------------------------- the disclosure setting


def test_disclosure_defaults_to_restricted(minimal_project_dir: Path) -> None:
    """A project.yaml without `disclosure` gives firms and survey restricted and min_cell 5."""
    d = load_project(minimal_project_dir).disclosure
    assert (d.firms, d.survey, d.min_cell) == ("restricted", "restricted", 5)


def test_disclosure_read_from_project_yaml(tmp_path: Path) -> None:
    """`disclosure: {firms: public, survey: public, min_cell: 10}` reaches Project.disclosure."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), firms="public", survey="public", min_cell=10))
    d = load_project(folder).disclosure
    assert (d.firms, d.survey, d.min_cell) == ("public", "public", 10)


@pytest.mark.parametrize("disclosure,field,expectation", [
    ({"firms": "open"}, "disclosure.firms", "one of 'public' or 'restricted'"),
    ({"min_cell": 0}, "disclosure.min_cell", "a number >= 1"),
    ({"min_cell": "5"}, "disclosure.min_cell", "a valid integer"),
    ({"names": True}, "disclosure.names", "a known key"),
])
def test_bad_disclosure_is_an_input_error_naming_field_and_line(tmp_path: Path, disclosure: dict[str, Any], field: str,
                                                                expectation: str) -> None:
    """A bad disclosure value is an InputError naming the field, its line and what it must be."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), **disclosure))
    with pytest.raises(InputError) as err:
        load_project(folder)
    line = next(i for i, text in enumerate((folder / "project.yaml").read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("disclosure"))
    message = str(err.value)
    assert f"'{field}' in " in message and expectation in message
    assert re.search(rf"'{re.escape(field)}' in \S+project.yaml row {line + 1}", message), message


def test_example_projects_disclosure(examples: dict[str, Any]) -> None:
    """Only NIS 6.0 (firm table published in its final report) has public firm data; the rest is restricted."""
    assert {pid: (p.disclosure.firms, p.disclosure.survey) for pid, p in examples.items()} == {
        "hso": ("restricted", "restricted"), "nba": ("restricted", "restricted"),
        "nis60": ("public", "restricted"), "sam": ("restricted", "restricted")}


@pytest.mark.parametrize("disclosure,threshold,firms_min,survey_min", [
    ({}, 5, 5, 5),
    ({"min_cell": 10}, 5, 10, 10),       # the data owner's minimum wins when larger
    ({"min_cell": 3}, 7, 7, 7),          # the report may be stricter than the data
    ({"firms": "public", "min_cell": 10}, 5, 0, 10),
    ({"survey": "public"}, 5, 5, 0),
])
def test_min_cell_combines_project_and_parameter(tmp_path: Path, disclosure: dict[str, Any], threshold: int,
                                                 firms_min: int, survey_min: int) -> None:
    """min_cell: 0 for public data, else the larger of disclosure.min_cell and small_cell_threshold."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), **disclosure))
    r = report(folder, small_cell_threshold=threshold)
    assert (r.min_cell("firms"), r.min_cell("survey")) == (firms_min, survey_min)


# --------------------------------------------------------------------------- firm-level data


@pytest.fixture(scope="module")
def tiny_restricted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Section texts of the tiny notebook project (3 participants, 3 comparison firms), firms restricted."""
    folder = write_project(tmp_path_factory.mktemp("tiny"), restricted_tiny(), tiny_tables(), folder="mini")
    r = report(folder)
    return {name: getattr(sections, name)(r).text() for name in ("participating_firms", "horizontal", "project_logic")}


def test_restricted_firms_show_no_names_table_or_chart(tiny_restricted: dict[str, str]) -> None:
    """Restricted: no firm name, no per-firm table or dumbbell chart, and the rule is stated."""
    text = tiny_restricted["participating_firms"]
    for name in ("Alfa AB", "Beta AB", "Gamma AB", "Delta AB", "Epsilon AB", "Zeta AB"):
        assert name not in text
    assert "<img" not in text  # neither the per-firm chart nor an event study of 3 firms
    assert ">Företag</th>" not in text
    assert "Uppgifter om enskilda företag visas inte, och grupper, summor och skattningar som bygger på färre än 5 företag döljs." in text


def test_restricted_firms_hide_totals_balance_and_effect_of_three_firms(tiny_restricted: dict[str, str]) -> None:
    """3 participants: no employee totals, no balance means, no DiD estimate; each says why."""
    text = html.unescape(tiny_restricted["participating_firms"])
    assert "Färre än 5 deltagande företag har uppgifter om antalet anställda både 2022 och 2025" in text
    assert "anställda 2022 och" not in text and "Före matchning" not in text
    assert "Jämförelsen visas inte, eftersom färre än 5 deltagande företag eller jämförelseföretag har uppgifter 2023." in text
    assert "Skattad effekt" not in text
    assert "Den skattade effekten visas inte" in text


def test_public_firms_show_the_published_table(tmp_path: Path) -> None:
    """Public firm data: the per-firm table with names, the chart and the estimate on 3 + 3 firms, and the rule."""
    folder = write_project(tmp_path, with_disclosure(tiny_spec(), firms="public"), tiny_tables(), folder="mini")
    text = html.unescape(sections.participating_firms(report(folder)).text())
    assert "Alfa AB" in text and ">Företag</th>" in text and "<img" in text
    assert "De 3 deltagande företagen hade 6 anställda 2022 och 14 2025" in text
    assert "Skattad effekt av deltagande" in text
    assert "Uppgifter om enskilda företag visas eftersom de är publicerade i projektets underlag (Testkälla)." in text


def test_nis60_states_the_public_rule(examples: dict[str, Any]) -> None:
    """NIS 6.0 shows its firm table because the final report publishes it, and says so."""
    p = examples["nis60"]
    r = ReportContext.build(validate_notebook_parameters(project="nis60", kind="final", as_of="2022-12-31"), p)
    text = plain(sections.participating_firms(r))
    assert ("Uppgifter om enskilda företag visas eftersom de är publicerade i projektets underlag "
            "(Slutrapport Näringsliv i samverkan NIS 6.0 (december 2022)).") in text
    assert "Automattolerans/Smejtec AB" in text


@pytest.fixture(scope="module")
def staggered(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Firm section, restricted: 12 participants start 2024 and 3 start 2022, 15 comparison firms, 2019-2025."""
    folder = write_project(tmp_path_factory.mktemp("stag"), minimal_spec(),
                           {"firms": firm_panel([2024] * 12 + [2022] * 3, 15, list(range(2019, 2026)))})
    return plain(sections.participating_firms(report(folder)))


def test_totals_of_enough_firms_are_shown_but_small_groups_are_not(staggered: str) -> None:
    """15 firms: totals shown; the grew/unchanged/shrank split is hidden when a group (here 0 shrinking) is small."""
    assert "De 15 deltagande företagen hade 165 anställda 2019 och 262,5 2025, en förändring med 97,5 (59,1 %)." in staggered
    assert "Hur många som växte, var oförändrade eller minskade visas inte" in staggered
    assert "av företagen växte" not in staggered


def test_event_study_drops_years_of_fewer_than_five_firms(staggered: str, tmp_path: Path) -> None:
    """Years 2 and 3 after the start rest on the 3 early starters: left out of the chart, and said so."""
    panel = load_project(write_project(tmp_path, minimal_spec(), {
        "firms": firm_panel([2024] * 12 + [2022] * 3, 15, list(range(2019, 2026)))})).firms
    table = firms.event_study(panel, "employees").table
    assert dict(zip(table["rel_time"], table["n_obs"])) == {-3: 15, -2: 15, -1: 0, 0: 15, 1: 15, 2: 3, 3: 3}
    assert "År i förhållande till starten där färre än 5 deltagande företag observeras visas inte i diagrammet." in staggered
    assert staggered.count("Skattad effekt av deltagande") == 1  # 15 + 15 firms: the estimate is shown


def test_matched_means_hidden_when_the_left_out_firms_are_few(staggered: str) -> None:
    """13 of 15 matched: the matched means would give the mean of the 2 left out, so they are hidden, and so are 1-4 counts."""
    after = staggered.split("Efter matchning (närmaste granne)")[1]
    assert after.startswith(" | Variabel | Medel deltagare | Medel jämförelseföretag | Standardiserad skillnad | Antal deltagare"
                            " | Antal jämförelseföretag | Anställda | dolt | dolt | dolt | 13 | 13 |")
    assert ("13 av 15 deltagare fick en jämförelsepartner; dolt låg utanför jämförelseföretagens värden (gemensamt stöd) "
            "och dolt saknade partner inom toleransen.") in staggered
    before = staggered.split("Före matchning")[1].split("Efter matchning")[0]
    assert "| Anställda | 12,5 | 11,6 | 0,21 | 15 | 15 |" in before


def test_matching_sentence_hides_a_count_recoverable_from_the_total(staggered: str, tmp_path: Path) -> None:
    """12 matched, 3 outside support, 0 without partner of 15: the 3 is hidden and so is the 0 (else 3 = 15 - 12 - 0)."""
    from dataclasses import replace

    panel = load_project(write_project(tmp_path, minimal_spec(), {
        "firms": firm_panel([2024] * 12 + [2022] * 3, 15, list(range(2019, 2026)))})).firms
    result = firms.match(panel, ["employees"], 2021, method="nearest")
    r = report(tmp_path / "mini")
    fake = replace(result, n_participants=15, n_matched=12, n_no_match_within_caliper=0,
                   support=replace(result.support, n_outside=3))
    assert matching_sentence(r, fake, 5) == ("12 av 15 deltagare fick en jämförelsepartner; dolt låg utanför "
                                             "jämförelseföretagens värden (gemensamt stöd) och dolt saknade partner inom toleransen.")
    fake = replace(fake, n_matched=10, n_no_match_within_caliper=2)
    assert matching_sentence(r, fake, 0).startswith("10 av 15 deltagare fick en jämförelsepartner; 3 låg utanför")


def _attack_rows(sixth: float = 43) -> list[dict[str, Any]]:
    """5 participants seen in 2021 and 2025 (63 employees in 2021), a sixth seen only in 2021 with ``sixth``, 8 comparison firms."""
    rows: list[dict[str, Any]] = []
    for f, (before, after) in {"p1": (10, 12), "p2": (12, 13), "p3": (13, 15), "p4": (14, 15), "p5": (14, 16)}.items():
        rows += [{"firm_id": f, "name": f"Deltagare {f} AB", "year": y, "employees": e, "participant": "yes",
                  "participation_start": 2022} for y, e in ((2021, before), (2025, after))]
    rows.append({"firm_id": "p6", "name": "Sjätte AB", "year": 2021, "employees": sixth, "participant": "yes",
                 "participation_start": 2022})
    for i in range(8):
        rows += [{"firm_id": f"c{i}", "name": f"Jämförelse {i} AB", "year": y, "employees": e, "participant": "no",
                  "participation_start": None} for y, e in ((2021, 9 + 2 * i), (2025, 10 + 2 * i))]
    return rows


def _number(shown: str) -> float:
    return float(shown.replace(" ", "").replace(",", "."))


def test_differencing_attack_reveals_no_firm(tmp_path: Path) -> None:
    """A total of 5 firms beside a mean of 6 (the sixth firm only in 2021): no shown pair of figures gives its 43 employees."""
    text = plain(sections.participating_firms(report(write_project(tmp_path, minimal_spec(), {"firms": _attack_rows()}))))
    totals = [(int(n), _number(total)) for n, total in re.findall(r"De (\d+) deltagande företagen hade ([\d ,]+) anställda 2021", text)]
    means = [(int(n), _number(mean)) for mean, n in
             re.findall(r"\| Anställda \| ([\d ,]+) \| [^|]+ \| [^|]+ \| (\d+) \|", text)]
    assert totals or means, text  # something is shown, and nothing that reveals the sixth firm
    for n_mean, mean in means:
        for n_total, total in totals:
            if 0 < n_mean - n_total < 5:  # the firms in the mean but not in the total are few
                assert abs(n_mean * mean - total - 43) > 2, text
    assert "Sjätte AB" not in text


def test_a_dominated_total_is_hidden_and_the_rule_named(tmp_path: Path) -> None:
    """Two of six firms hold 95 % of the employees: the totals are hidden by the (2, 85 %) dominance rule, which is named."""
    rows = _attack_rows()
    for row in rows:
        if row["firm_id"] in ("p1", "p2"):
            row["employees"] = 500 if row["year"] == 2021 else 520
    text = plain(sections.participating_firms(report(write_project(tmp_path, minimal_spec(), {"firms": rows}))))
    assert "anställda 2021 och" not in text
    assert ("Uppgifterna visas inte, eftersom ett eller två företag står för merparten av dem (dominansregel n = 2, k = 85 %)."
            in text)
    assert ("Summor och medelvärden av anställda, omsättning och förädlingsvärde döljs när de 2 största företagen står för mer "
            "än 85 % av dem (dominansregel n = 2, k = 85 %).") in text  # the rule, named in the disclosure sentence


def test_growth_split_shown_when_every_group_has_five_firms(tmp_path: Path) -> None:
    """5 growing, 5 unchanged and 5 shrinking participants: the shares are shown (each group has 5)."""
    rows = []
    for i in range(15):
        change = (1, 0, -1)[i // 5]
        rows += [{"firm_id": f"p{i:02d}", "year": 2022, "employees": 10, "participant": "yes"},
                 {"firm_id": f"p{i:02d}", "year": 2025, "employees": 10 + change, "participant": "yes"}]
    text = plain(sections.participating_firms(report(write_project(tmp_path, minimal_spec(), {"firms": rows}))))
    assert "De 15 deltagande företagen hade 150 anställda 2022 och 150 2025, en förändring med 0 (0,0 %)." in text
    assert "33 % av företagen växte, 33 % var oförändrade och 33 % minskade." in text


def test_women_led_share_hidden_for_small_groups(tmp_path: Path) -> None:
    """2 of 3 participants women-led: the share is hidden when restricted and shown ("2 av 3") when public."""
    tables = tiny_tables()
    for row in tables["firms"]:
        row["women_led"] = "yes" if row["firm_id"] in ("p1", "p2") else "no"
    restricted = plain(sections.horizontal(report(write_project(tmp_path / "r", restricted_tiny(), tables, folder="mini"))))
    public = plain(sections.horizontal(report(write_project(tmp_path / "p", with_disclosure(tiny_spec(), firms="public"), tables,
                                        folder="mini"))))
    assert "Andelen kvinnoledda bland de deltagande företagen visas inte, eftersom en av grupperna har färre än 5 företag." in restricted
    assert "leds" not in restricted
    assert "Av de deltagande företagen leds 66,7 % av kvinnor (2 av 3)." in public


def _participation_spec() -> dict[str, Any]:
    spec = minimal_spec()
    spec["goal_tree"] += [{"id": "a2", "level": "activity", "parent": "pg1", "work_package": "wp1", "statement": "Aktivitet 2"},
                          {"id": "a3", "level": "activity", "parent": "pg1", "work_package": "wp1", "statement": "Aktivitet 3"}]
    spec["effect_logic"]["nodes"][0]["goals"] = ["a1", "a2", "a3"]
    return spec


def test_participation_counts_of_few_firms_hidden_with_secondary(tmp_path: Path) -> None:
    """a1 10 firms, a2 12, a3 2 (24 participations shown in total): a3 hidden, and a1's count too so a3 is not 24 - 10 - 12."""
    rows = ([{"activity": "a1", "firm_id": f"f{i:02d}"} for i in range(10)]
            + [{"activity": "a2", "firm_id": f"f{i:02d}"} for i in range(12)]
            + [{"activity": "a3", "firm_id": f"f{i:02d}"} for i in range(2)])
    text = plain(sections.key_figures_section(report(write_project(tmp_path, _participation_spec(), {"participation": rows}))))
    assert "12 unika företag har deltagit i aktiviteterna, sammanlagt 24 deltaganden" in text
    assert ("| Aktivitet | Deltaganden | Unika företag | a1: Aktivitet | dolt | 10 | a2: Aktivitet 2 | 12 | 12 "
            "| a3: Aktivitet 3 | dolt | dolt |") in text


def test_participation_of_fewer_than_five_firms_not_counted(tmp_path: Path) -> None:
    """3 distinct firms in all: neither the total nor the per-activity counts are shown."""
    rows = [{"activity": "a1", "firm_id": f"f{i}"} for i in range(3)]
    text = plain(sections.key_figures_section(report(write_project(tmp_path, _participation_spec(), {"participation": rows}))))
    assert "Färre än 5 unika företag har deltagit i aktiviteterna; antalen visas därför inte." in text
    assert "Deltaganden" not in text


def test_findings_naming_a_firm_summarised_unless_public(tmp_path: Path) -> None:
    """A firm whose published change does not match is named in the logic review only when firm data are public."""
    tables = tiny_tables()
    for row in tables["firms"]:
        if row["firm_id"] == "p1" and row["year"] == 2025:
            row["published_change"] = 99
    restricted = plain(sections.project_logic(report(write_project(tmp_path / "r", restricted_tiny(), tables, folder="mini"))))
    public = plain(sections.project_logic(report(write_project(tmp_path / "p", with_disclosure(tiny_spec(), firms="public"), tables,
                                        folder="mini"))))
    assert "Alfa AB" not in restricted
    assert "1 iakttagelse om enskilda företag (firm_change_mismatch) visas inte, eftersom de uppgifterna inte är offentliga." in restricted
    assert "Alfa AB: den publicerade ökningen 99" in public


def test_stopping_finding_does_not_name_a_restricted_firm_on_the_index_page(tmp_path: Path) -> None:
    """A firm-naming check set to stop: the stop message and reports/index.html count the finding, never name the firm."""
    from evaluation.review import gate
    from evaluation.run.index import write_index
    from evaluation.run.outcomes import BatchResult, ReportOutcome

    tables = tiny_tables()
    for row in tables["firms"]:
        if row["firm_id"] == "p1" and row["year"] == 2025:
            row["published_change"] = 99
    spec = restricted_tiny()
    spec["rules"] = {"firm_change_mismatch": "stop"}
    project = load_project(write_project(tmp_path / "r", spec, tables, folder="mini"))
    with pytest.raises(InputError) as err:
        gate.enforce(project)
    message = str(err.value)
    assert "firm_change_mismatch" in message and "Alfa AB" not in message
    outcome = ReportOutcome(None, "mini", "final", "failed", message, 0.0)
    page = write_index(BatchResult((outcome,), tmp_path / "reports")).read_text(encoding="utf-8")
    assert "firm_change_mismatch" in page and "Alfa AB" not in page
    public = load_project(write_project(tmp_path / "p", with_disclosure({**spec, "disclosure": {}}, firms="public"), tables,
                                        folder="mini"))
    with pytest.raises(InputError, match="Alfa AB"):  # public firm data: named as before
        gate.enforce(public)


# --------------------------------------------------------------------------- survey data


def _survey(answers: list[int]) -> dict[str, Any]:
    return {"survey": [{"wave": "2025", "respondent": f"r{i:02d}", "item": "Nytta", "answer": a} for i, a in enumerate(answers)],
            "survey_invited": [{"wave": "2025", "invited": 30}]}


def test_restricted_survey_states_rule_and_hides_small_cells(tmp_path: Path) -> None:
    """Restricted survey with min_cell 10: 8 respondents are hidden, and the sentence names 10."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), min_cell=10), _survey([4, 5, 4, 5, 4, 5, 3, 4]))
    text = plain(sections.surveys(report(folder)))
    assert "Celler med färre än 10 svarande visas inte" in text
    assert "| 2025 | 30 | dolt | dolt |" in text


def test_public_survey_shows_every_cell_and_says_why(tmp_path: Path) -> None:
    """Public survey: 3 respondents who all agree are shown (100 %), the chart draws, and the rule is stated."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), survey="public"), _survey([4, 5, 5]))
    block = sections.surveys(report(folder))
    text = plain(block)
    assert "dolt" not in text
    assert "Enkätresultaten visas utan att små celler döljs, eftersom de är publicerade i projektets underlag (Testkälla)." in text
    assert "| 2025 | 30 | 3 | 10,0 % |" in text and "| Nytta | 3 | 100,0 % |" in text
    assert "<img" in block.text()


def test_survey_median_hidden_when_it_would_split_hidden_cells(tmp_path: Path) -> None:
    """4 answers of 1 and 4 of 2 are hidden; the first quartile lies among them, so median and quartiles are hidden."""
    folder = write_project(tmp_path, minimal_spec(), _survey([1] * 4 + [2] * 4 + [3] * 5 + [4] * 5 + [5] * 5))
    text = plain(sections.surveys(report(folder)))
    assert "| Fråga | Median | Kvartilavstånd | Nytta | dolt | dolt |" in text
    assert "| Nytta | dolt | dolt | 22 % | 22 % | 22 % |" in text


# --------------------------------------------------------------------------- escaping user text

PAYLOADS = ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "{{ 7*7 }}", "${7*7}",
            "$x$ *fet* _kursiv_ # rubrik `kod` \\section", "$\\foo$")


def _evil_spec() -> dict[str, Any]:
    evil = " ".join(PAYLOADS)
    spec = with_disclosure(tiny_spec(), firms="public", survey="public")
    spec["name"] = "Projekt " + evil
    spec["owner"] = "Ägare " + evil
    spec["sources"][0]["title"] = "Källa " + evil
    spec["work_packages"][0]["name"] = "AP " + evil
    spec["financiers"][0]["name"] = "EU " + evil
    for node in spec["goal_tree"]:
        node["statement"] += " " + evil
    spec["goal_tree"][1]["risks"] = ["Risk " + evil]
    for node in spec["effect_logic"]["nodes"]:
        node["statement"] += " " + evil
    spec["effect_logic"]["links"][0]["assumption"] = "Antagande " + evil
    spec["indicators"][0]["name"] = "Företag " + evil
    spec["indicators"][1]["name"] = "Resultat " + evil
    spec["horizontal"][0]["actions"] = ["Åtgärd " + evil]
    spec["key_persons"] = [{"role": "Roll " + evil, "name": "Namn " + evil}]
    spec["lessons"] = ["Lärdom " + evil]
    return spec


def _evil_tables() -> dict[str, Any]:
    evil = " ".join(PAYLOADS)
    tables = tiny_tables()
    for row in tables["firms"]:
        row["name"] = f"{row['name']} {evil}"
    for row in tables["survey"]:
        row["item"] = f"{row['item']} {evil}"
    for row in tables["costs"]:
        row["category"] = f"{row['category']} {evil}"
    return tables


@pytest.fixture(scope="module")
def evil_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every block of a final report whose user text holds script, image, template, markdown and LaTeX payloads,
    and the page nbconvert renders from them."""
    folder = write_project(tmp_path_factory.mktemp("evil"), _evil_spec(), _evil_tables(), folder="mini")
    r = report(folder)
    blocks = {name: getattr(sections, name)(r) for name in ("title", *SECTIONS["final"], "provenance")}
    nb = nbformat.v4.new_notebook()
    for block in blocks.values():
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": block.text(), "text/plain": repr(block)})]
        nb.cells.append(cell)
    page = render.render_html(nb, r.params)
    return {"blocks": blocks, "page": page}


def test_blocks_never_contain_raw_markup_from_user_text(evil_run: dict[str, Any]) -> None:
    """No section's HTML holds a raw <script> or <img src=x>; the payloads appear escaped in the title."""
    for name, block in evil_run["blocks"].items():
        raw = block.text()
        assert "<script" not in raw.lower(), name
        assert "<img src=x" not in raw and "onerror=" not in raw.replace("onerror=&quot;", ""), name
    title = evil_run["blocks"]["title"].text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in title
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in title


def test_rendered_page_escapes_user_text(evil_run: dict[str, Any]) -> None:
    """The nbconvert page: no script element, no event-handler attribute, no foreign image; the payloads are text."""
    page = evil_run["page"]
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find_all("script") == []
    assert all(not attr.lower().startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert all(img.get("src", "").startswith("data:image/png;base64,") for img in soup.find_all("img"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = soup.get_text()
    for payload in PAYLOADS:
        assert payload in text, payload
    assert soup.title is not None and "<script>alert(1)</script>" in soup.title.get_text()


def test_template_and_markdown_syntax_stay_literal(evil_run: dict[str, Any]) -> None:
    """'{{ 7*7 }}' and '${7*7}' are not evaluated; '*fet*', '_kursiv_', '`kod`', '# rubrik' are not formatted."""
    page = evil_run["page"]
    soup = BeautifulSoup(page, "html.parser")
    assert "Projekt <script>alert(1)</script>" in soup.get_text()
    assert "{{ 7*7 }} ${7*7}" in soup.get_text() and "Projekt " + "49" not in soup.get_text()
    for tag in ("em", "strong", "code", "i", "b"):
        for el in soup.find_all(tag):
            assert "fet" not in el.get_text() and "kursiv" not in el.get_text() and "kod" not in el.get_text(), tag
    assert all(not h.get_text().strip().startswith("rubrik") for h in soup.find_all(["h1", "h2", "h3"]))
    assert "$x$ *fet* _kursiv_ # rubrik `kod` \\section" in soup.get_text()


def test_dollar_signs_in_names_do_not_break_or_format_charts(evil_run: dict[str, Any]) -> None:
    """Firm, indicator, item and cost names with '$\\foo$' (invalid mathtext) still give every chart."""
    blocks = evil_run["blocks"]
    assert blocks["participating_firms"].text().count("<img") >= 1      # the per-firm chart
    assert blocks["attainment"].text().count("<img") == 1
    assert blocks["surveys"].text().count("<img") == 1
    assert blocks["efficiency"].text().count("<img") >= 1
    assert blocks["project_logic"].text().count("<img") == 2


def test_figure_draws_dollar_text_as_typed() -> None:
    """display.figure() turns mathtext off: a title '$x$' is drawn as typed (parse_math False)."""
    from matplotlib.figure import Figure as MplFigure

    from evaluation.report.display import figure, plain_text

    with plain_text():
        fig = MplFigure()
        ax = fig.add_subplot(1, 1, 1)
        ax.set_title("Kostnad $\\foo$")
        ax.set_yticks([0, 1], ["$\\bar$", "b"])
        fig.tight_layout()
    titles = [ax.title]
    out = figure(fig)
    assert out.png.startswith(b"\x89PNG") and out.alt == "Kostnad $\\foo$"
    assert titles[0].get_parse_math() is False


# --------------------------------------------------------------------------- paths and YAML


@pytest.mark.parametrize("project", ["../etc", "/tmp/x", "nis60/../../x", "..", "nis60\n", "a\\..\\b"])
def test_params_project_cannot_leave_the_data_folder(tmp_path: Path, project: str) -> None:
    """A project id with '..', '/', '\\' or a newline is refused before anything is read."""
    with pytest.raises(ParameterError, match="must be a project id"):
        parse_params({"project": project, "kind": "final", "as_of": "2022-12-31"}, project_exists=None)
    with pytest.raises(ParameterError, match="must be a project id"):
        sections.open_report(project=project, kind="final", as_of="2022-12-31")


def test_params_file_with_traversing_project_is_refused(tmp_path: Path) -> None:
    """params/x_final.yaml with `project: ../etc` is a ParameterError naming the parameter and its line."""
    path = tmp_path / "x_final.yaml"
    path.write_text("project: ../etc\nkind: final\nas_of: 2022-12-31\n", encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_params(path, project_exists=None)
    assert "'project' in" in str(err.value) and "row 1 must be a project id" in str(err.value)


@pytest.mark.parametrize("project", ["nis60", "a..b", "x-1.2", "A_b"])
def test_output_stem_stays_under_reports_dir(tmp_path: Path, project: str) -> None:
    """Every valid project id gives <reports_dir>/<id>/<kind>, inside reports_dir."""
    p = parse_params({"project": project, "kind": "final", "as_of": "2022-12-31"}, project_exists=None)
    stem = p.output_stem(tmp_path / "reports")
    assert stem == tmp_path / "reports" / project / "final"
    assert stem.resolve().is_relative_to((tmp_path / "reports").resolve())


def test_symlinked_project_folder_outside_data_is_refused(tmp_path: Path) -> None:
    """data/evil -> a folder outside data/: loading 'evil' is a ProjectNotFoundError saying why."""
    outside = write_project(tmp_path / "outside", minimal_spec(), folder="evil")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "evil").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ProjectNotFoundError, match="a project folder inside the data folder"):
        load_project("evil", data_dir=tmp_path / "data")


def test_symlinked_project_yaml_outside_folder_is_refused(tmp_path: Path) -> None:
    """data/mini/project.yaml -> a file elsewhere is refused, not read."""
    outside = write_project(tmp_path / "outside", minimal_spec())
    folder = tmp_path / "data" / "mini"
    folder.mkdir(parents=True)
    (folder / "project.yaml").symlink_to(outside / "project.yaml")
    with pytest.raises(ProjectNotFoundError, match="a project folder inside the data folder"):
        load_project("mini", data_dir=tmp_path / "data")


def test_traversing_id_given_to_loader_is_refused(tmp_path: Path) -> None:
    """load_project('a/../../x') with a project at <tmp>/x (outside data/) is refused."""
    write_project(tmp_path, minimal_spec(), folder="x")
    (tmp_path / "data" / "a").mkdir(parents=True)
    with pytest.raises(ProjectNotFoundError):
        load_project("a/../../x", data_dir=tmp_path / "data")


def test_symlinked_project_stops_report_before_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """run_report on params for a symlinked project fails in the preflight, with no kernel and no output."""
    from evaluation.run.report import run_report

    outside = write_project(tmp_path / "outside", minimal_spec(), folder="evil")
    home = tmp_path / "home"
    (home / "data").mkdir(parents=True)
    (home / "notebooks").mkdir()
    (home / "params").mkdir()
    (home / "data" / "evil").symlink_to(outside, target_is_directory=True)
    (home / "params" / "evil_final.yaml").write_text("project: evil\nkind: final\nas_of: 2025-12-31\n", encoding="utf-8")
    monkeypatch.setenv("EVALUATION_HOME", str(home))
    with pytest.raises(ProjectNotFoundError, match="inside the data folder"):
        run_report(home / "params" / "evil_final.yaml")
    assert not (home / "reports").exists()


def test_python_tag_in_project_yaml_is_an_input_error_not_executed(tmp_path: Path) -> None:
    """A !!python/object/apply:os.system tag in project.yaml is 'valid YAML' error with its line; nothing runs."""
    marker = tmp_path / "pwned"
    folder = tmp_path / "mini"
    folder.mkdir()
    (folder / "project.yaml").write_text(f'id: mini\nname: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_project(folder)
    assert "project.yaml row 2 must be" in str(err.value) and "python/object/apply:os.system" in str(err.value)
    assert not marker.exists()


def test_python_tag_in_params_is_a_parameter_error_not_executed(tmp_path: Path) -> None:
    """The same tag in a parameter file is a ParameterError naming the line; nothing runs."""
    marker = tmp_path / "pwned"
    path = tmp_path / "nis60_final.yaml"
    path.write_text(f'project: !!python/object/apply:os.system ["touch {marker}"]\nkind: final\nas_of: 2022-12-31\n',
                    encoding="utf-8")
    with pytest.raises(ParameterError) as err:
        load_params(path, project_exists=None)
    assert "row 1 must be" in str(err.value) and "python/object/apply:os.system" in str(err.value)
    assert not marker.exists()


def test_repository_data_and_params_stay_inside_home() -> None:
    """No project folder or file under data/ is a link to outside the repository's data folder."""
    root = paths.data_dir().resolve()
    for path in paths.data_dir().rglob("*"):
        assert path.resolve().is_relative_to(root), path


# --------------------------------------------------------------------------- dominance parameters (issue 15)


@pytest.mark.parametrize("dominance,expected", [
    ({}, (2, 85.0, None)),
    ({"n": 1, "k": 60}, (1, 60.0, None)),
    ({"p": 10}, (2, 85.0, 10.0)),
])
def test_dominance_parameters_read_from_project_yaml(tmp_path: Path, dominance: dict[str, Any],
                                                    expected: tuple[int, float, float | None]) -> None:
    """`disclosure: dominance: {n, k}` or `{p}` reaches the report's policy; none given is (2, 85 %)."""
    from evaluation.analysis.disclosure import Dominance

    r = report(write_project(tmp_path, with_disclosure(minimal_spec(), dominance=dominance)))
    d = r.project.disclosure
    assert (d.dominance_n, d.dominance_k, d.dominance_p) == expected
    assert r.disclosure.dominance == Dominance(n=expected[0], k=expected[1], p=expected[2])


@pytest.mark.parametrize("dominance,field,expectation", [
    ({"n": 0}, "disclosure.dominance.n", "a number >= 1"),
    ({"k": 0}, "disclosure.dominance.k", "greater than 0"),
    ({"k": 120}, "disclosure.dominance.k", "less than or equal to 100"),
    ({"p": -5}, "disclosure.dominance.p", "greater than 0"),
    ({"n": 2, "p": 10}, "disclosure.dominance", "not both"),
    ({"q": 1}, "disclosure.dominance.q", "a known key"),
])
def test_bad_dominance_parameters_are_input_errors(tmp_path: Path, dominance: dict[str, Any], field: str, expectation: str) -> None:
    """A bad dominance parameter is an InputError (exit 2) naming the field, the file and what it must be."""
    folder = write_project(tmp_path, with_disclosure(minimal_spec(), dominance=dominance))
    with pytest.raises(InputError) as err:
        load_project(folder)
    message = str(err.value)
    assert err.value.exit_code == 2
    assert re.search(rf"'{re.escape(field)}' in \S+project\.yaml row \d+ must be [^\n]*{re.escape(expectation)}", message), message


def test_default_dominance_stated_in_the_firm_section_and_a_stricter_rule_applied(tmp_path: Path) -> None:
    """Default: the firm section names (2, 85 %) as the default; with k = 50 a total the default shows is hidden."""
    rows = _attack_rows()
    for row in rows:  # p1 and p2 hold 40 + 40 of 2021's 63 + 43 + ... : 2 largest = 56 % of the 2021 total, under 85 %
        if row["firm_id"] in ("p1", "p2"):
            row["employees"] = 40 if row["year"] == 2021 else 41
    default = plain(sections.participating_firms(report(write_project(tmp_path / "d", minimal_spec(), {"firms": rows}))))
    assert "(dominansregel n = 2, k = 85 %). Det är standardvärdena" in default
    assert "anställda 2021 och" in default
    strict = plain(sections.participating_firms(report(write_project(
        tmp_path / "s", with_disclosure(minimal_spec(), dominance={"n": 2, "k": 50}), {"firms": rows}))))
    assert "anställda 2021 och" not in strict
    assert "(dominansregel n = 2, k = 50 %)." in strict and "standardvärdena" not in strict


# --------------------------------------------------------------------------- one ledger across sections (issue 15)


def _two_waves(second: int) -> dict[str, Any]:
    """22 respondents in 2024 and ``second`` in 2025, each answering the item "Nytta" (4, 5 and 2 in turn)."""
    rows = [{"wave": "2024", "respondent": f"a{i:02d}", "item": "Nytta", "answer": (4, 5, 2)[i % 3]} for i in range(22)]
    rows += [{"wave": "2025", "respondent": f"b{i:02d}", "item": "Nytta", "answer": (4, 5, 2)[i % 3]} for i in range(second)]
    return {"survey": rows, "survey_invited": [{"wave": "2024", "invited": 30}, {"wave": "2025", "invited": 30}]}


def _counts(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\| (?:2024|2025) \| 30 \| (\d+) \|", text)]


def test_survey_count_in_key_figures_cannot_be_differenced_against_the_survey_section(tmp_path: Path) -> None:
    """22 + 3 respondents: the survey section hides 2025's 3; the key figures' total (25) and the item's pooled 25 answers are withheld."""
    r = report(write_project(tmp_path, minimal_spec(), _two_waves(3)))
    text = plain(sections.surveys(r))
    survey = sections.key_figures(r).data["survey"]
    assert "| 2024 | 30 | 22 | 73,3 % |" in text and "| 2025 | 30 | dolt | dolt |" in text
    assert survey == {"respondents": None, "shown": False, "reason": "differencing"}  # 25 - 22 would give 2025's 3
    assert "| Nytta | dolt | dolt |" in text  # 25 answers pooled over both waves would give them too
    shown = _counts(text) + ([survey["respondents"]] if survey["respondents"] is not None else [])
    for a in shown:  # no pair of shown counts differs by the hidden wave's 3 (or any count under 5)
        for b in shown:
            assert not 0 < abs(a - b) < 5, (a, b)


def test_key_figures_first_then_the_survey_section_hides_the_wave_instead(tmp_path: Path) -> None:
    """The order does not matter for safety: with the total shown first, the 2024 count beside it is withheld."""
    r = report(write_project(tmp_path, minimal_spec(), _two_waves(3)))
    assert sections.key_figures(r).data["survey"]["respondents"] == 25
    text = plain(sections.surveys(r))
    assert "| 2024 | 30 | dolt | dolt |" in text and 22 not in _counts(text)


def test_survey_counts_of_two_large_waves_are_all_shown(tmp_path: Path) -> None:
    """22 + 6 respondents: both waves, the pooled item and the total 28 are shown (every difference is at least 5)."""
    r = report(write_project(tmp_path, minimal_spec(), _two_waves(6)))
    text = plain(sections.surveys(r))
    assert _counts(text) == [22, 6] and "| Nytta | 28 |" in text
    assert sections.key_figures(r).data["survey"] == {"respondents": 28, "shown": True, "reason": "shown"}


def test_public_survey_counts_all_shown(tmp_path: Path) -> None:
    """Public survey data: 22 + 3 and the total 25 are all shown (the ledger of public data refuses nothing)."""
    r = report(write_project(tmp_path, with_disclosure(minimal_spec(), survey="public"), _two_waves(3)))
    assert _counts(plain(sections.surveys(r))) == [22, 3]
    assert sections.key_figures(r).data["survey"]["respondents"] == 25


def test_ledger_sums_of_shown_parts_cannot_give_a_hidden_part() -> None:
    """Waves of 22, 3 (hidden) and 10 shown: the total 35 is refused, as 35 - 22 - 10 gives 3, though no pair differs by < 5."""
    from evaluation.analysis.disclosure import Ledger

    ledger = Ledger(5)
    w1, w2, w3 = ({f"{w}/{i}" for i in range(n)} for w, n in (("a", 22), ("b", 3), ("c", 10)))
    assert ledger.publish("respondents", w1, magnitude=False).shown
    assert ledger.publish("respondents", w2, magnitude=False).reason == "too_few"
    assert ledger.publish("respondents", w3, magnitude=False).shown
    assert ledger.publish("respondents", w1 | w2 | w3, magnitude=False).reason == "differencing"
    assert ledger.publish("respondents", w1 | w3, magnitude=False).shown  # the sum of shown parts reveals nothing new
    other = Ledger(5)  # the total first, then two of its parts: the second part is refused (total - parts = 3)
    assert other.publish("q", w1 | w2 | w3, magnitude=False).shown and other.publish("q", w1, magnitude=False).shown
    assert other.publish("q", w3, magnitude=False).reason == "differencing"


def test_one_start_year_event_study_says_which_years_are_dropped(tmp_path: Path) -> None:
    """12 participants start 2022, 4 of them observed only until 2023: years 2 and 3 after the start rest on 8 firms
    (shown); with only 3 participants seen after 2023, those years are left out of the chart and the section says so."""
    rows = firm_panel([2022] * 12, 15, list(range(2019, 2026)))
    late = {f"p{i:02d}" for i in range(3, 12)}  # 9 of 12 participants unobserved after 2023
    rows = [r for r in rows if not (r["firm_id"] in late and r["year"] > 2023)]
    text = plain(sections.participating_firms(report(write_project(tmp_path, minimal_spec(), {"firms": rows}))))
    assert "Skattad effekt av deltagande på antalet anställda (tvåvägs fixa effekter" in text
    assert "År i förhållande till starten där färre än 5 deltagande företag observeras visas inte i diagrammet." in text


def test_staggered_starts_draw_callaway_santanna_with_its_uniform_band(staggered: str) -> None:
    """Staggered starts: the chart is Callaway & Sant'Anna's dynamic effects, and the section explains its two bands."""
    assert "Callaway & Sant'Annas skattning för förskjuten start" in staggered
    assert "De mörka staplarna är ett konfidensband som gäller för alla år samtidigt (likformigt band)" in staggered
