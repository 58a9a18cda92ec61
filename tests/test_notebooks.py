"""Tests for notebooks/midterm.ipynb and notebooks/final.ipynb, executed through evaluation.run.report.run_report.

The real notebooks are copied into a temporary project home next to a tiny project written with
the conftest builder (indicator values, activities, costs, firms with comparison firms, a
survey), so each run takes seconds. Only the failure test edits a copied notebook.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import kernel_env, minimal_spec, write_project

from evaluation.core import paths
from evaluation.core.errors import ParameterError, ReportError
from evaluation.report.sections import SECTIONS
from evaluation.run.report import run_report

REPO = paths.PACKAGE_DIR.parent
NBSP = "\u00a0"

TITLES_SV = {
    "summary": "Sammanfattning och rekommendationer", "project_description": "Projektet",
    "method": "Metod och datakällor", "project_logic": "P1 Projektlogik", "process": "P2 Process",
    "key_figures_section": "N1 Nyckelaktiviteter, N3 Nyckeltal", "attainment": "Måluppfyllelse",
    "participating_firms": "Deltagande företag", "surveys": "Enkätresultat",
    "efficiency": "Kostnadseffektivitet och finansiering", "horizontal": "Horisontella kriterier",
    "risks": "Risker och antaganden", "sustainability": "Hållbarhet och lärdomar",
    "public_debate": "P3 Public debate: spridning och påverkan", "key_persons": "N2 Nyckelpersoner",
    "budget": "Budget och upparbetning", "evidence_map": "Förändringsteorin prövad: evidenskarta",
    "follow_up": "Uppföljning av halvtidsutvärderingen", "recommendations_section": "Rekommendationer",
    "conclusions": "Slutsatser",
}


def _value(indicator: str, period_end: str, v: float, **extra: object) -> dict[str, object]:
    return {"indicator": indicator, "period_end": period_end, "value": v, "status": "verified", "source": "src", **extra}


def tiny_tables() -> dict[str, Any]:
    """Indicator values, activities, costs, a firm panel (3 participants from 2024, 3 comparison firms,
    2022-2025) and a 20-respondent survey of 30 invited."""
    values = [
        _value("out1", "2024-06-30", 3, women=1, men=2), _value("out1", "2024-12-31", 6, women=3, men=3),
        _value("out1", "2025-06-30", 8, women=4, men=4), _value("out1", "2025-12-31", 12, women=6, men=6),
        _value("res1", "2024-12-31", 2), _value("res1", "2025-06-30", 3), _value("res1", "2025-12-31", 5),
    ]
    activities = [{"activity": "a1", "period_end": end, "count": c, "participants": p}
                  for end, c, p in (("2024-06-30", 2, 20), ("2024-12-31", 3, 25), ("2025-06-30", 2, 18), ("2025-12-31", 1, 9))]
    costs = [{"category": "Personal", "budget": 600, "outcome": 600}, {"category": "Resor", "budget": 400, "outcome": 400}]
    firms = []
    for fid, name, participant, employees in (("p1", "Alfa AB", "yes", (2, 2, 4, 5)), ("p2", "Beta AB", "yes", (3, 3, 3, 6)),
                                              ("p3", "Gamma AB", "yes", (1, 2, 2, 3)), ("c1", "Delta AB", "no", (2, 2, 2, 2)),
                                              ("c2", "Epsilon AB", "no", (5, 5, 6, 5)), ("c3", "Zeta AB", "no", (1, 1, 1, 2))):
        for year, e in zip(range(2022, 2026), employees):
            firms.append({"firm_id": fid, "name": name, "year": year, "employees": e, "participant": participant,
                          "participation_start": 2024 if participant == "yes" else None})
    survey = []
    for i in range(20):
        survey.append({"wave": "2025", "respondent": f"r{i:02d}", "item": "Projektet var till nytta",
                       "answer": (3, 4, 4, 5)[i % 4], "group": ("Kvinna", "Man")[i % 2]})
        survey.append({"wave": "2025", "respondent": f"r{i:02d}", "item": "Vi fick nya kontakter",
                       "answer": (2, 3, 4, 5)[i % 4], "group": ("Kvinna", "Man")[i % 2]})
    return {"indicator_values": values, "activities": activities, "costs": costs, "firms": firms,
            "survey": survey, "survey_invited": [{"wave": "2025", "invited": 30}]}


def tiny_spec() -> dict[str, Any]:
    spec = minimal_spec()
    spec["indicators"][0].update(role="firms_reached", unit="företag", name="Företag som nåtts")
    return spec


PARAMS = {
    "midterm": "project: mini\nkind: midterm\nas_of: 2025-06-30\nlanguage: sv\nformats: [html, pdf, json]\nsmall_cell_threshold: 5\n",
    "final": "project: mini\nkind: final\nas_of: 2025-12-31\nlanguage: sv\nformats: [html, pdf, json]\nsmall_cell_threshold: 5\n",
}


def make_home(root: Path) -> Path:
    """A project home: a copy of the repository's notebooks/, data/mini and params/mini_<kind>.yaml."""
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    spec = tiny_spec()
    spec["disclosure"] = {"firms": "public"}  # the tests read firm names; suppression has its own tests
    write_project(root / "data", spec, tiny_tables())
    (root / "params").mkdir()
    for kind, text in PARAMS.items():
        (root / "params" / f"mini_{kind}.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Both real notebooks run once on the tiny project; their written files and HTML."""
    home = make_home(tmp_path_factory.mktemp("home"))
    out: dict[str, Any] = {"home": home}
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        for kind in ("midterm", "final"):
            result = run_report(home / "params" / f"mini_{kind}.yaml", timeout=120)
            out[kind] = {"result": result, "html": result.paths["html"].read_text(encoding="utf-8")}
        yield out


def text_of(raw_html: str) -> str:
    """HTML with images dropped, entities decoded and no-break spaces made plain."""
    return html.unescape(re.sub(r'src="data:[^"]*"', "", raw_html)).replace(NBSP, " ")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_every_section_heading_in_html(runs: dict[str, Any], kind: str) -> None:
    """The HTML has the title and every section of its kind, numbered in order, plus the DAC tags."""
    page = text_of(runs[kind]["html"])
    title = "Halvtidsutvärdering: Miniprojekt" if kind == "midterm" else "Slututvärdering: Miniprojekt"
    assert title in page
    positions = []
    for number, name in enumerate(SECTIONS[kind], start=1):
        tag = f'<span class="section-number">{number}</span> {TITLES_SV[name]}</h2>'
        assert tag in page, name
        positions.append(page.index(tag))
    assert positions == sorted(positions)
    assert page.count("OECD DAC-kriterier:") == len(SECTIONS[kind]) - 2  # every section but the method and the recommendations


@pytest.mark.slow
def test_midterm_key_sentences(runs: dict[str, Any]) -> None:
    """Mid-term HTML: 8 of 10 firms (80 %) against an even pace of 7,5 on 30 June 2025, women 50 %."""
    page = text_of(runs["midterm"]["html"])
    assert "Projektet har nått 8 företag mot målvärdet 10 (80 %). En jämn takt mot målet ger 7,5 vid 30 juni 2025" in page
    assert "Avser läget den 30 juni 2025." in page
    assert "Andel kvinnor" in page and "50,0 %" in page
    assert "Svarsfrekvens" in page and "66,7 %" in page  # 20 of 30 invited answered


@pytest.mark.slow
def test_final_key_sentences_and_figures(runs: dict[str, Any]) -> None:
    """Final HTML: 12 of 10 firms (120 %), firms 6 -> 14 employees, cost per firm 83 kr, budget sentence."""
    page = text_of(runs["final"]["html"])
    assert "Projektet har nått 12 företag mot målvärdet 10 (120 %)." in page
    assert "De 3 deltagande företagen hade 6 anställda 2022 och 14 2025, en förändring med 8 (133,3 %)." in page
    assert "3 deltagande och 3 jämförelseföretag" in page
    assert "Utfallet blev 1 000 kr mot budgeten 1 000 kr, 0 kr under budget." in page
    assert "Kostnad per nått företag" in page and "83 kr" in page
    assert "Projektlogiken och uppföljningen håller; fortsätt enligt plan." in page


@pytest.mark.slow
@pytest.mark.parametrize("kind,minimum", [("midterm", 5), ("final", 10)])
def test_images_embedded(runs: dict[str, Any], kind: str, minimum: int) -> None:
    """The charts are embedded images (data URIs), none fetched from elsewhere."""
    page = runs[kind]["html"]
    images = re.findall(r"<img\b[^>]*>", page)
    assert len(images) >= minimum
    assert all('src="data:image/png;base64,' in img for img in images)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_provenance_block(runs: dict[str, Any], kind: str) -> None:
    """The appendix lists code version, parameter hash, every input file of data/mini and package versions."""
    page = text_of(runs[kind]["html"])
    assert "Bilaga: Underlag och spårbarhet" in page
    for name in ("project.yaml", "indicator_values.csv", "activities.csv", "costs.csv", "firms.csv", "survey.csv",
                 "survey_invited.csv"):
        assert f"Indatafil: data/mini/{name}" in page, name
    assert "Kodversion (git)" in page and "Parametrar (sha256)" in page and "Paket: pandas" in page


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["midterm", "final"])
def test_pdf_json_and_notebook_written(runs: dict[str, Any], kind: str) -> None:
    """The run writes reports/mini/<kind>.{ipynb,html,pdf,json}; the JSON holds the key figures."""
    result, home = runs[kind]["result"], runs["home"]
    folder = home / "reports" / "mini"
    assert {k: Path(p) for k, p in result.paths.items()} == {ext: folder / f"{kind}.{ext}" for ext in ("ipynb", "html", "pdf", "json")}
    assert (folder / f"{kind}.pdf").read_bytes().startswith(b"%PDF-")
    doc = json.loads((folder / f"{kind}.json").read_text(encoding="utf-8"))
    assert doc["params"]["kind"] == kind and doc["params"]["project"] == "mini"
    figures = doc["key_figures"]
    assert figures["project"] == "mini" and figures["kind"] == kind
    out1 = figures["indicators"]["out1"]
    assert (out1["actual"], out1["target"]) == ((8.0, 10.0) if kind == "midterm" else (12.0, 10.0))
    assert figures == dict(result.key_figures)
    if kind == "final":
        assert figures["cost_per_sek"]["per_firm_reached"] == pytest.approx(1000 / 12)


# Where the evaluator's assessment of each question follows the facts (ISSUE 12): question -> the section before it.
# The overall conclusion is shown by sections.conclusions itself.
ASSESSMENT_AFTER = {
    "midterm": {"relevance": "project_description", "P1": "project_logic", "coherence": "project_logic", "P2": "process",
                "N1": "process", "P3": "public_debate", "N3": "key_figures_section", "effectiveness": "key_figures_section",
                "impact": "key_figures_section", "N2": "key_persons", "efficiency": "budget", "horizontal": "horizontal",
                "sustainability": "risks"},
    "final": {"relevance": "project_description", "P1": "project_logic", "coherence": "project_logic", "P2": "process",
              "N1": "process", "P3": "public_debate", "N3": "key_figures_section", "N2": "key_persons",
              "effectiveness": "attainment", "impact": "participating_firms", "efficiency": "efficiency",
              "horizontal": "horizontal", "sustainability": "sustainability"},
}


def test_every_question_assessed_once_after_its_facts() -> None:
    """Each notebook calls sections.assessment(ctx, q) once for every question but "overall", right after its facts."""
    from evaluation.core.assessment import ALL_QUESTIONS

    for kind in ("midterm", "final"):
        nb = nbformat.read(REPO / "notebooks" / f"{kind}.ipynb", as_version=4)
        last_section = ""
        placed: dict[str, str] = {}
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for m in re.finditer(r'^sections\.(\w+)\(ctx(?:, "(\w+)")?\)$', cell.source, re.MULTILINE):
                if m.group(1) == "assessment":
                    assert m.group(2) not in placed, (kind, m.group(2))
                    placed[m.group(2)] = last_section
                else:
                    last_section = m.group(1)
        assert set(placed) == set(ALL_QUESTIONS) - {"overall"}, kind
        assert placed == ASSESSMENT_AFTER[kind], kind


@pytest.mark.slow
def test_notebooks_call_every_section_in_order() -> None:
    """Each notebook calls title(), every section of its kind in SECTIONS order, provenance() and key_figures()."""
    for kind in ("midterm", "final"):
        nb = nbformat.read(REPO / "notebooks" / f"{kind}.ipynb", as_version=4)
        calls = [m.group(1) for cell in nb.cells if cell.cell_type == "code"
                 for m in re.finditer(r"^sections\.(\w+)\(ctx\)", cell.source, re.MULTILINE)]
        assert calls == ["title", *SECTIONS[kind], "provenance", "key_figures"], kind
        tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1


# --------------------------------------------------------------------------- errors


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh project home for one test, with the kernel environment set."""
    make_home(tmp_path)
    kernel_env(monkeypatch, tmp_path)
    return tmp_path


@pytest.fixture
def no_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if papermill is asked to start a kernel."""
    import papermill

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", refuse)


@pytest.mark.slow
@pytest.mark.parametrize("extra,field", [("colour: red\n", "colour"), ("", "small_cell_threshold")])
def test_parameter_errors_before_any_kernel(home: Path, no_kernel: None, extra: str, field: str) -> None:
    """An unknown key or a mistyped value: ParameterError naming it, no kernel started, nothing written."""
    text = PARAMS["final"] + extra
    if field == "small_cell_threshold":
        text = text.replace("small_cell_threshold: 5", "small_cell_threshold: five")
    params = home / "params" / "mini_final.yaml"
    params.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError) as exc:
        run_report(params, timeout=60)
    assert f"'{field}' in params/mini_final.yaml row" in str(exc.value)
    assert not (home / "reports").exists()


@pytest.mark.slow
def test_failing_cell_leaves_the_earlier_report_intact(home: Path) -> None:
    """A good report, then a run whose cell raises ValueError("x"): ReportError naming it; every file of the
    good report byte for byte as before; the failed notebook kept as final.failed.ipynb; no temporary files."""
    folder = home / "reports" / "mini"
    run_report(home / "params" / "mini_final.yaml", timeout=120)
    good = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert {"final.html", "final.pdf", "final.json", "final.ipynb"} <= set(good)
    path = home / "notebooks" / "final.ipynb"
    nb = nbformat.read(path, as_version=4)
    opened = next(i for i, c in enumerate(nb.cells) if "open_report" in c.source)
    nb.cells.insert(opened + 1, nbformat.v4.new_code_cell('raise ValueError("x")'))
    nbformat.write(nb, path)
    with pytest.raises(ReportError) as exc:
        run_report(home / "params" / "mini_final.yaml", timeout=120)
    message = str(exc.value)
    assert "ValueError: x" in message and 'raise ValueError("x")' in message
    assert sorted(p.name for p in folder.iterdir()) == sorted([*good, "final.failed.ipynb"])
    assert {name: (folder / name).read_bytes() for name in good} == good
    kept = nbformat.read(folder / "final.failed.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" and o.get("ename") == "ValueError"
               for c in kept.cells for o in c.get("outputs", []))


# --------------------------------------------------------------------------- injected parameters

EVIL_KEY = "__import__('os').system('touch pwned'); x"


@pytest.mark.slow
def test_papermill_refuses_code_in_a_parameter_name(home: Path) -> None:
    """`papermill notebooks/midterm.ipynb out.ipynb -f params/evil.yaml` with code in a key fails before it runs."""
    import os
    import subprocess
    import sys

    evil = home / "params" / "evil.yaml"
    evil.write_text(PARAMS["midterm"] + f'"{EVIL_KEY}": 1\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "papermill", "notebooks/midterm.ipynb", "out.ipynb", "-f", "params/evil.yaml",
                           "--no-progress-bar"], cwd=home, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "ParameterError" in done.stderr + done.stdout
    assert "must be only 'name = value' lines" in done.stderr + done.stdout
    assert not list(home.rglob("pwned"))


@pytest.mark.slow
@pytest.mark.parametrize("notebook,good", [
    ("final.ipynb", {"project": "mini", "kind": "final", "as_of": "2025-12-31"}),
    ("portfolio.ipynb", {"projects": ["mini"], "as_of": "2025-12-31", "language": "sv"}),
])
def test_every_notebook_refuses_unknown_injected_names(home: Path, notebook: str, good: dict[str, Any]) -> None:
    """The final and portfolio notebooks refuse an injected cell with code in a name; nothing of it runs."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as exc:
        papermill.execute_notebook(str(home / "notebooks" / notebook), str(home / "out.ipynb"), parameters={**good, EVIL_KEY: 1},
                                   cwd=str(home), progress_bar=False, kernel_name="python3")
    assert exc.value.ename == "ParameterError"
    assert not list(home.rglob("pwned"))
