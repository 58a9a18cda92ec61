"""Seeded synthetic projects and programmes, for tests, demonstrations and benchmarks.

:func:`write_synthetic_project` writes a complete project folder in exactly the format
:func:`evaluation.io.loader.load_project` reads: ``project.yaml`` (goal tree, effect logic,
indicators with baselines and targets, horizontal criteria, work packages, financiers) and
the tables ``indicator_values``, ``costs``, ``activities``, ``firms`` (a panel of
participants and comparison firms over eight years), ``survey``, ``survey_invited`` and
``funnel``. :func:`write_synthetic_programme` writes several projects under ``<home>/data``
and their report parameter files under ``<home>/params``.

Everything is invented. The project, every figure and every table row is marked
``data_status: illustrative``, and names say so ("Syntetiskt projekt 07", "Syntetiskt
företag 012 AB"). The same arguments always give the same bytes (one seeded
:class:`numpy.random.Generator` per project, fixed number formatting, no timestamps).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from evaluation.core.errors import InputError, Problem, ProblemCollector
from evaluation.core.model import SIZE_PARTS
from evaluation.io.schema import PROJECT_ID_PATTERN

__all__ = [
    "DEFAULT_SIZE_MIX",
    "ILLUSTRATIVE",
    "BROKEN_FUND",
    "write_synthetic_project",
    "write_synthetic_programme",
    "synthetic_project_id",
]

ILLUSTRATIVE = "illustrative"

DEFAULT_SIZE_MIX: Mapping[str, float] = {"micro": 0.55, "small": 0.3, "medium": 0.15}
"""Default mix of firm size classes (the ``kind_mix`` of :func:`write_synthetic_project`)."""

BROKEN_FUND = "Ogiltig fond (avsiktligt fel)"
"""The invalid ``fund`` written by ``broken=True``: the loader rejects it with an InputError."""

_SIZE_RANGES: dict[str, tuple[int, int]] = {"micro": (1, 9), "small": (10, 49), "medium": (50, 249), "large": (250, 600)}
_WHERE = "write_synthetic_project() arguments"
_SOURCE = "syntetisk"
_MUNICIPALITIES = ("Norrby", "Söderås", "Västerhamn", "Österlid", "Mellanvik", "Fjällsjö")


def synthetic_project_id(number: int) -> str:
    """The id of the ``number``-th project of a synthetic programme: ``syn07``."""
    return f"syn{number:02d}"


# --------------------------------------------------------------------------- writing helpers


def _num(x: float | int | None, decimals: int = 0) -> str:
    """A number as CSV text with fixed decimals ('' for None)."""
    if x is None:
        return ""
    if decimals == 0:
        return str(int(round(float(x))))
    return f"{float(x):.{decimals}f}"


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8"))


class _NoAliasDumper(yaml.SafeDumper):
    """A SafeDumper that writes repeated values out instead of as YAML anchors and aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _write_yaml(path: Path, data: Mapping[str, Any], header: str) -> None:
    text = yaml.dump(dict(data), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=100)
    path.write_bytes((header + text).encode("utf-8"))


def _label(project_id: str) -> str:
    """'syn07' -> '07'; an id without trailing digits is used whole."""
    m = re.search(r"(\d+)$", project_id)
    return m.group(1) if m else project_id


def _half_years(start: date, end: date) -> list[tuple[date, date]]:
    """Reporting periods: calendar half-years overlapping ``start``..``end``."""
    periods: list[tuple[date, date]] = []
    for year in range(start.year, end.year + 1):
        for first, last in ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31))):
            if last >= start and first <= end:
                periods.append((max(first, start), min(last, end)))
    return periods


def _check_mix(kind_mix: Mapping[str, float]) -> dict[str, float]:
    problems = ProblemCollector()
    if not isinstance(kind_mix, Mapping) or not kind_mix:
        problems.add(_WHERE, "kind_mix", "a non-empty mapping of size class to share", kind_mix)
        problems.raise_if_any()
    for key, share in kind_mix.items():
        if key not in SIZE_PARTS:
            problems.add(_WHERE, "kind_mix", f"keys among {', '.join(SIZE_PARTS)}", key)
        elif not isinstance(share, (int, float)) or isinstance(share, bool) or not share >= 0:
            problems.add(_WHERE, f"kind_mix[{key}]", "a share >= 0", share)
    problems.raise_if_any()
    total = float(sum(kind_mix.values()))
    if total <= 0:
        raise InputError([Problem(_WHERE, "kind_mix", "shares with a positive sum", kind_mix)])
    return {k: float(kind_mix[k]) / total for k in SIZE_PARTS if k in kind_mix}


# --------------------------------------------------------------------------- the project


def write_synthetic_project(
    folder: Path,
    project_id: str,
    seed: int,
    *,
    kind_mix: Mapping[str, float] = DEFAULT_SIZE_MIX,
    n_firms: int = 40,
    with_comparison: bool = True,
    with_survey: bool = True,
    broken: bool = False,
    item_nonresponse: float = 0.05,
) -> Path:
    """Write the project ``project_id`` into ``folder/project_id`` and return that folder.

    ``kind_mix`` is the mix of firm size classes (micro/small/medium/large -> share) of the
    firm panel; ``n_firms`` the number of participating firms (as many comparison firms,
    ``participant: no``, when ``with_comparison``); ``with_survey`` adds a two-wave
    participant survey in which each answer is left empty (item non-response) with
    probability ``item_nonresponse``. ``broken=True`` writes a project.yaml whose ``fund`` is invalid
    (:data:`BROKEN_FUND`), so loading it (and a report's preflight) raises InputError.
    Existing files of the same names are overwritten.
    """
    problems = ProblemCollector()
    if not isinstance(project_id, str) or not re.fullmatch(PROJECT_ID_PATTERN, project_id):
        problems.add(_WHERE, "project_id", "lower-case letters, digits and '_', starting with a letter", project_id)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.add(_WHERE, "seed", "a whole number >= 0", seed)
    if not isinstance(n_firms, int) or isinstance(n_firms, bool) or n_firms < 2:
        problems.add(_WHERE, "n_firms", "a whole number >= 2", n_firms)
    if not isinstance(item_nonresponse, (int, float)) or isinstance(item_nonresponse, bool) or not 0 <= item_nonresponse <= 1:
        problems.add(_WHERE, "item_nonresponse", "a share from 0 to 1", item_nonresponse)
    problems.raise_if_any()
    mix = _check_mix(kind_mix)

    rng = np.random.default_rng([seed, 20240607])
    out = Path(folder) / project_id
    out.mkdir(parents=True, exist_ok=True)
    label = _label(project_id)

    fund = "ERUF" if rng.random() < 0.6 else "ESF+"
    start_year = 2021 + int(rng.integers(0, 3))
    years = 3 + int(rng.integers(0, 2))
    start = date(start_year, 1, 1)
    end = date(start_year + years - 1, 12, 31)
    periods = _half_years(start, end)
    n_mun = 2 + int(rng.integers(0, 3))
    municipalities = [str(m) for m in rng.choice(_MUNICIPALITIES, size=n_mun, replace=False)]
    municipalities.sort()

    # --- work packages, costs and financing -------------------------------------------
    wps = [
        ("wp1", "Arbetspaket 1: Uppsökande verksamhet och behovsanalys"),
        ("wp2", "Arbetspaket 2: Kompetensutveckling och rådgivning"),
        ("wp3", "Arbetspaket 3: Nätverk, samverkan och spridning"),
    ]
    categories = ("Personal", "Externa tjänster", "Resor och logi", "Schablonkostnader")
    cost_rows: list[list[object]] = []
    wp_budget: dict[str, float] = {}
    execution = 0.85 + 0.2 * rng.random()  # outcome / budget of the project as a whole
    for wp_id, _ in wps:
        total = 0.0
        for cat in categories:
            scale = {"Personal": 2_400_000, "Externa tjänster": 900_000, "Resor och logi": 120_000, "Schablonkostnader": 600_000}[cat]
            budget = round(scale * (0.6 + 0.8 * rng.random()) * years / 3, -3)
            outcome = round(budget * execution * (0.9 + 0.2 * rng.random()), -2)
            category = f"{cat} AP{wp_id[2:]}"  # unique across the table: one line per package
            cost_rows.append([category, _num(budget), _num(outcome), wp_id, ILLUSTRATIVE])
            total += budget
        wp_budget[wp_id] = total
    budget_total = float(sum(wp_budget.values()))
    outcome_total = float(sum(float(str(r[2])) for r in cost_rows))
    eu_share = 0.4 if fund == "ERUF" else 0.45  # the rest after EU, region and municipalities is private
    shares = {"eu": eu_share, "region": 0.3, "municipality": 0.2}
    financiers: list[dict[str, Any]] = []
    fund_name = "Europeiska regionala utvecklingsfonden" if fund == "ERUF" else "Europeiska socialfonden+"
    financiers.append({"name": f"{fund_name} (syntetisk)", "kind": "eu", "amount": round(outcome_total * shares["eu"], -3)})
    financiers.append({"name": "Region Syntetlän", "kind": "region", "amount": round(outcome_total * shares["region"], -3)})
    mun_total = outcome_total * shares["municipality"]
    for m in municipalities:
        financiers.append({"name": f"{m} kommun (syntetisk)", "kind": "municipality", "amount": round(mun_total / n_mun, -3)})
    rest = max(0.0, outcome_total - sum(f["amount"] for f in financiers))  # 5-10 % of the outcome
    financiers.append({"name": "Deltagande företag (syntetiskt)", "kind": "private", "amount": round(rest, 0), "in_kind": True})
    for f in financiers:
        f["amount"] = float(f["amount"])
        f["data_status"] = ILLUSTRATIVE
        f["basis"] = "outcome"  # shares of the outcome: compared with the outcome, not with the budget

    # --- goal tree and effect logic -------------------------------------------------------
    goal_tree: list[dict[str, Any]] = [
        {"id": "og", "level": "overall", "statement": f"Syntetiskt mål: stärkt konkurrenskraft hos små och medelstora företag i {', '.join(municipalities)}"},
        {"id": "pg1", "level": "project", "parent": "og", "statement": "Fler företag nås av och deltar i projektets insatser (syntetiskt)"},
        {"id": "pg2", "level": "project", "parent": "og", "statement": "De deltagande företagen växer och anställer (syntetiskt)",
         "risks": ["Kompetensbrist begränsar möjligheten att anställa"]},
        {"id": "pg3", "level": "project", "parent": "og", "statement": "Kvinnor och män deltar i lika hög grad (syntetiskt)"},
        {"id": "sg1", "level": "sub", "parent": "pg1", "statement": "Företagen får en behovsanalys och en utvecklingsplan"},
        {"id": "sg2", "level": "sub", "parent": "pg2", "statement": "Företagen inför nya produkter eller processer"},
        {"id": "sg3", "level": "sub", "parent": "pg3", "statement": "Nätverk för företagande kvinnor och utrikes födda företagare"},
        {"id": "a1", "level": "activity", "parent": "sg1", "work_package": "wp1", "statement": "Företagsbesök och behovsanalyser"},
        {"id": "a2", "level": "activity", "parent": "sg2", "work_package": "wp2", "statement": "Workshoppar och rådgivning om innovation"},
        {"id": "a3", "level": "activity", "parent": "sg2", "work_package": "wp2", "statement": "Kompetensutveckling för ledning och personal",
         "deadline": end, "assumptions": ["Företagen kan avsätta tid för utbildning"]},
        {"id": "a4", "level": "activity", "parent": "sg3", "work_package": "wp3", "statement": "Nätverksträffar"},
        {"id": "a5", "level": "activity", "parent": "pg1", "work_package": "wp3", "statement": "Spridning av resultat och goda exempel"},
    ]
    effect_logic = {
        "nodes": [
            {"id": "e_act1", "level": "activity", "statement": "Besök, behovsanalyser och rådgivning", "goals": ["a1", "a2"]},
            {"id": "e_act2", "level": "activity", "statement": "Kompetensutveckling och nätverk", "goals": ["a3", "a4", "a5"]},
            {"id": "e_out1", "level": "output", "statement": "Företag har fått stöd och en utvecklingsplan", "goals": ["pg1", "sg1"]},
            {"id": "e_out2", "level": "output", "statement": "Deltagare har genomgått kompetensutveckling", "goals": ["sg3", "pg3"]},
            {"id": "e_st1", "level": "short_term", "statement": "Företagen inför innovationer och anställer", "goals": ["pg2", "sg2"]},
            {"id": "e_lt1", "level": "long_term", "statement": "Stärkt konkurrenskraft i regionens näringsliv", "goals": ["og"]},
        ],
        "links": [
            {"from": "e_act1", "to": "e_out1", "assumption": "Företagen vill ta emot besök"},
            {"from": "e_act2", "to": "e_out2", "assumption": "Utbudet motsvarar företagens behov"},
            {"from": "e_out1", "to": "e_st1", "assumption": "Utvecklingsplanen genomförs"},
            {"from": "e_out2", "to": "e_st1", "assumption": "Kunskapen används i företagen"},
            {"from": "e_st1", "to": "e_lt1", "assumption": "Effekterna är varaktiga"},
        ],
        "external_factors": ["Konjunkturen (syntetiskt antagande)", "Tillgång till kompetent arbetskraft"],
    }

    # --- indicators and their values ------------------------------------------------------
    firms_target = float(int(rng.integers(8, 16)) * 10)
    participants_target = float(int(rng.integers(20, 40)) * 10)
    jobs_target = float(int(rng.integers(10, 40)))
    jobs_unit = "heltidstjänster" if seed % 7 == 3 else "årsarbetskrafter"
    indicators: list[dict[str, Any]] = [
        {"id": "firms_supported", "name": "Företag som får stöd", "unit": "företag", "level": "output",
         "measures": ["pg1", "e_out1"], "baseline": {"value": 0.0, "date": start}, "target": {"value": firms_target, "date": end},
         "aggregation": "cumulative", "code": "RCO01", "firms": True, "source": _SOURCE},
        {"id": "participants", "role": "participants", "name": "Deltagare i kompetensutveckling", "unit": "personer", "level": "output",
         "measures": ["pg3", "e_out2"], "baseline": {"value": 0.0, "date": start}, "target": {"value": participants_target, "date": end},
         "aggregation": "cumulative", "source": _SOURCE},
        {"id": "jobs", "name": "Nya arbetstillfällen i stödda företag", "unit": jobs_unit, "level": "short_term",
         "measures": ["pg2", "e_st1"], "baseline": {"value": 0.0, "date": start}, "target": {"value": jobs_target, "date": end},
         "aggregation": "cumulative", "code": "RCR01", "source": _SOURCE},
        {"id": "innovations", "name": "Företag som infört produkt- eller processinnovationer", "unit": "företag", "level": "short_term",
         "measures": ["sg2", "e_st1"], "baseline": {"value": 0.0, "date": start},
         "target": {"value": float(round(firms_target * 0.3)), "date": end},
         "aggregation": "per_period", "code": "RCR03", "firms": True, "source": _SOURCE},
    ]
    if fund == "ERUF":
        indicators.insert(1, {
            "id": "firms_nonfinancial", "name": "Företag som får icke-finansiellt stöd", "unit": "företag", "level": "output",
            "measures": ["sg1", "e_out1"], "baseline": {"value": 0.0, "date": start},
            "target": {"value": float(round(firms_target * 0.8)), "date": end},
            "aggregation": "cumulative", "code": "RCO04", "firms": True, "source": _SOURCE})
    else:
        indicators[1]["code"] = "EECO01"

    n_per = len(periods)
    pace = 0.75 + 0.5 * rng.random()  # how far ahead of (above 1) or behind plan the project runs
    value_rows: list[list[object]] = []
    for ind in indicators:
        target = float(ind["target"]["value"])
        per_period = ind["aggregation"] == "per_period"
        running = 0.0
        gaps = {int(rng.integers(1, n_per))} if n_per > 3 and rng.random() < 0.5 else set()
        for i, (p_start, p_end) in enumerate(periods):
            share = (i + 1) / n_per
            level = target * pace * share * (0.9 + 0.2 * rng.random())
            if per_period:
                value = max(0.0, round(target * pace / n_per * (0.6 + 0.8 * rng.random())))
            else:
                value = max(running, round(level))
                running = value
            status = "preliminary" if i == n_per - 1 else "verified"
            women = men = None
            micro = small = medium = large = None
            note = ""
            if i in gaps:
                value_text, status, note = "", "not_reported", "Ej redovisat för perioden (syntetiskt)"
            else:
                value_text = _num(value)
                if ind["id"] == "participants":
                    w = round(value * (0.35 + 0.3 * rng.random()))
                    women, men = _num(w), _num(value - w)
                if ind.get("firms") and not per_period:
                    parts = {k: round(value * s) for k, s in mix.items()}
                    first = next(iter(parts))
                    parts[first] += int(value) - sum(parts.values())
                    micro, small, medium, large = (_num(parts[k]) if k in parts else None for k in SIZE_PARTS)
            value_rows.append([
                ind["id"], p_start.isoformat(), p_end.isoformat(), value_text, status, _SOURCE, ILLUSTRATIVE,
                women, men, None, micro, small, medium, large, note,
            ])

    # --- activities --------------------------------------------------------------------
    activity_rows: list[list[object]] = []
    for act in ("a1", "a2", "a3", "a4", "a5"):
        for p_start, p_end in periods:
            count = int(rng.integers(0, 12))
            participants = int(count * rng.integers(2, 9)) if act != "a1" else None
            act_women: int | None = None
            act_men: int | None = None
            if participants is not None:
                w = int(round(participants * (0.3 + 0.4 * rng.random())))
                act_women, act_men = w, participants - w
            activity_rows.append([
                act, p_start.isoformat(), p_end.isoformat(), count, participants, act_women, act_men, None,
                "Syntetiska aktiviteter", ILLUSTRATIVE, _SOURCE,
            ])

    # --- firm panel ------------------------------------------------------------------------
    panel_years = list(range(start_year - 3, start_year + 5))
    firm_rows: list[list[object]] = []
    groups = [True] + ([False] if with_comparison else [])
    number = 0
    for participant in groups:
        for _ in range(n_firms):
            number += 1
            size = str(rng.choice(list(mix), p=list(mix.values())))
            lo, hi = _SIZE_RANGES[size]
            employees = float(rng.integers(lo, hi + 1))
            productivity = 600_000 + 500_000 * rng.random()  # turnover per employee, SEK
            growth = 0.01 + 0.03 * rng.standard_normal() * 0.5
            women_led = bool(rng.random() < (0.4 if participant else 0.3))
            joined = start_year + int(rng.integers(0, years)) if participant else None
            for year in panel_years:
                effect = 0.04 if participant and joined is not None and year >= joined else 0.0
                employees = max(1.0, employees * (1 + growth + effect + 0.04 * rng.standard_normal()))
                turnover = employees * productivity * (1 + 0.05 * rng.standard_normal())
                value_added = turnover * (0.3 + 0.1 * rng.random())
                missing = rng.random() < 0.03
                firm_rows.append([
                    f"f{number:03d}", f"Syntetiskt företag {number:03d} AB", year, str(year),
                    "" if missing else _num(employees, 1), _num(round(turnover, -3)), _num(round(value_added, -3)),
                    "yes" if participant else "no", "" if joined is None else joined,
                    "yes" if women_led else "no", ILLUSTRATIVE,
                ])

    # --- survey ----------------------------------------------------------------------------
    waves = (("w1", periods[max(0, n_per // 2 - 1)][1]), ("w2", end))
    survey_rows: list[list[object]] = []
    invited_rows: list[list[object]] = []
    if with_survey:
        items = ("nöjdhet", "nytta", "rekommenderar")
        for wave, _when in waves:
            invited = n_firms + int(rng.integers(0, n_firms // 2 + 1))
            responding = int(round(invited * (0.4 + 0.4 * rng.random())))
            invited_rows.append([wave, invited])
            for r in range(1, responding + 1):
                group = "kvinna" if rng.random() < 0.45 else "man"
                for item in items:
                    blank = rng.random() < item_nonresponse  # drawn first, so the rest does not depend on it
                    if item == "rekommenderar":
                        answer = "ja" if rng.random() < 0.75 else "nej"
                    else:
                        answer = str(int(rng.choice([1, 2, 3, 4, 5], p=[0.05, 0.1, 0.2, 0.4, 0.25])))
                    if blank:
                        answer = ""
                    survey_rows.append([wave, f"{wave}-r{r:03d}", item, answer, group, ILLUSTRATIVE])

    # --- funnel --------------------------------------------------------------------------
    contacted = int(firms_target * (1.5 + rng.random()))
    analysed = int(contacted * (0.5 + 0.2 * rng.random()))
    joined_n = int(analysed * (0.6 + 0.2 * rng.random()))
    completed = int(joined_n * (0.7 + 0.2 * rng.random()))
    funnel_rows = [
        [1, "Kontaktade företag", contacted, ILLUSTRATIVE],
        [2, "Behovsanalys genomförd", analysed, ILLUSTRATIVE],
        [3, "Deltog i insats", joined_n, ILLUSTRATIVE],
        [4, "Slutförde insats", completed, ILLUSTRATIVE],
    ]

    # --- project.yaml ----------------------------------------------------------------------
    name = f"Syntetiskt projekt {label}"
    doc: dict[str, Any] = {
        "id": project_id,
        "name": name,
        "short_name": f"Synt. {label}",
        "fund": BROKEN_FUND if broken else fund,
        "programme": f"Syntetiskt program ({fund}), inte ett verkligt program",
        "owner": "Syntetiska kommunförbundet",
        "region": "Syntetlän",
        "start": start,
        "end": end,
        "dates_status": ILLUSTRATIVE,
        "partners": [f"{m} kommun (syntetisk)" for m in municipalities],
        "municipalities": municipalities,
        "target_groups": ["Små och medelstora företag (syntetiska)", "Företagande kvinnor (syntetiska)"],
        "rus_goals": ["Syntetiskt RUS-mål: ett konkurrenskraftigt näringsliv"],
        "evaluation": {"form": "external", "evaluator": "Syntetisk utvärderare"},
        "data_status": ILLUSTRATIVE,
        "sources": [{"id": _SOURCE, "title": f"Syntetiska data (seed {seed})",
                     "note": "Genererade av evaluation.authoring.synthetic; inga verkliga företag, personer eller siffror."}],
        "work_packages": [{"id": w, "name": n, "budget": wp_budget[w], "data_status": ILLUSTRATIVE} for w, n in wps],
        "financiers": financiers,
        "budget": {"total": budget_total, "outcome_total": outcome_total, "currency": "SEK", "tolerance": 0.005,
                   "data_status": ILLUSTRATIVE},
        "goal_tree": goal_tree,
        "effect_logic": effect_logic,
        "indicators": indicators,
        "horizontal": [
            {"criterion": "gender_equality", "aim": "Kvinnor och män ska delta i lika hög grad (syntetiskt).",
             "actions": ["Nätverk för företagande kvinnor"], "indicators": ["participants"]},
            {"criterion": "equal_opportunities", "aim": "Insatserna ska vara tillgängliga för alla (syntetiskt).",
             "actions": ["Information på flera språk"], "indicators": []},
            {"criterion": "sustainable_development", "aim": "Hållbarhet ingår i varje behovsanalys (syntetiskt).",
             "actions": ["Hållbarhetsanalys i behovsanalysen"], "indicators": []},
        ],
        "key_persons": [
            {"role": "Projektledare", "organisation": "Syntetiska kommunförbundet"},
            {"role": "Extern utvärderare", "organisation": "Syntetisk utvärderare"},
        ],
        "notes": ["Syntetiskt projekt: alla uppgifter är påhittade och får inte läsas som verkliga resultat."],
        "lessons": ["Syntetisk lärdom: tidig behovsanalys gör insatserna träffsäkrare."],
    }
    header = (
        f"# {name}: SYNTETISKA DATA, genererade av evaluation.authoring.synthetic (seed {seed}).\n"
        "# Alla namn, siffror och tabeller är påhittade (data_status: illustrative).\n"
    )
    _write_yaml(out / "project.yaml", doc, header)
    _write_csv(out / "indicator_values.csv",
               ("indicator", "period_start", "period_end", "value", "status", "source", "data_status",
                "women", "men", "non_binary", "micro", "small", "medium", "large", "note"), value_rows)
    _write_csv(out / "costs.csv", ("category", "budget", "outcome", "work_package", "data_status"), cost_rows)
    _write_csv(out / "activities.csv",
               ("activity", "period_start", "period_end", "count", "participants", "women", "men", "non_binary",
                "description", "data_status", "source"), activity_rows)
    _write_csv(out / "firms.csv",
               ("firm_id", "name", "year", "period_label", "employees", "turnover", "value_added", "participant",
                "participation_start", "women_led", "data_status"), firm_rows)
    _write_csv(out / "funnel.csv", ("order", "stage", "count", "data_status"), funnel_rows)
    for stale in ("survey.csv", "survey_invited.csv"):
        if not with_survey and (out / stale).exists():
            (out / stale).unlink()
    if with_survey:
        _write_csv(out / "survey.csv", ("wave", "respondent", "item", "answer", "group", "data_status"), survey_rows)
        _write_csv(out / "survey_invited.csv", ("wave", "invited"), invited_rows)
    return out


# --------------------------------------------------------------------------- the programme


def _midterm_as_of(folder: Path) -> date:
    """The end of the half-year closest to the middle of the project (from its project.yaml)."""
    data = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    start, end = data["start"], data["end"]
    periods = _half_years(start, end)
    return periods[max(0, len(periods) // 2 - 1)][1]


def write_synthetic_programme(
    home: Path,
    n: int,
    seed: int,
    as_of: date | None = None,
    *,
    broken: Collection[int] = (),
    formats: Sequence[str] = ("html", "pdf", "json"),
    language: str = "sv",
    small_cell_threshold: int = 5,
    n_firms: int = 40,
    item_nonresponse: float = 0.05,
) -> list[Path]:
    """Write ``n`` projects ``syn01``.. under ``home/data`` and their params; return the params files.

    Each project ``i`` (1-based) gets the seed ``seed * 1000 + i`` and two params files,
    ``home/params/syn<i>_midterm.yaml`` and ``..._final.yaml`` (flat YAML: project, kind,
    as_of, language, formats, small_cell_threshold). ``as_of`` None gives the midterm the end
    of the half-year nearest the project's middle and the final the project's end; a date is
    used for both. Projects whose number is in ``broken`` are written with ``broken=True``;
    ``n_firms`` and ``item_nonresponse`` are passed to :func:`write_synthetic_project`.
    The params files are returned sorted by path.
    """
    problems = ProblemCollector()
    where = "write_synthetic_programme() arguments"
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 99:
        problems.add(where, "n", "a whole number from 1 to 99", n)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.add(where, "seed", "a whole number >= 0", seed)
    for b in broken:
        if not isinstance(n, int) or not isinstance(b, int) or not 1 <= b <= n:
            problems.add(where, "broken", f"project numbers from 1 to {n}", b)
    problems.raise_if_any()
    home = Path(home)
    data, params = home / "data", home / "params"
    data.mkdir(parents=True, exist_ok=True)
    params.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i in range(1, n + 1):
        pid = synthetic_project_id(i)
        folder = write_synthetic_project(data, pid, seed * 1000 + i, n_firms=n_firms, broken=i in set(broken),
                                         item_nonresponse=item_nonresponse)
        doc = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
        for kind in ("midterm", "final"):
            when = as_of if as_of is not None else (_midterm_as_of(folder) if kind == "midterm" else doc["end"])
            path = params / f"{pid}_{kind}.yaml"
            text = (
                f"project: {pid}\n"
                f"kind: {kind}\n"
                f"as_of: {when.isoformat()}\n"
                f"language: {language}\n"
                f"formats: [{', '.join(formats)}]\n"
                f"small_cell_threshold: {small_cell_threshold}\n"
            )
            path.write_bytes(text.encode("utf-8"))
            written.append(path)
    return sorted(written)
