"""Reproducibility of a real report run: the same inputs give the same bytes, with no clock time,
no random ids and a provenance record that names what a re-run years later needs.
(The PDF's dates come from as_of: pinned in tests/render/test_render.py.)

The real final notebook runs twice (one module-scoped fixture) on the tiny project of
tests/test_notebooks.py in a temporary project home.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import kernel_env
from test_notebooks import make_home

from evaluation.core import fmt, paths
from evaluation.report.params import ReportParams
from evaluation.report.provenance import provenance, sha256_file
from evaluation.run.report import run_report

FILES = ("ipynb", "html", "pdf", "json")
DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
PACKAGES = {"evaluation", "matplotlib", "nbconvert", "numpy", "pandas", "papermill", "statsmodels", "weasyprint"}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The final notebook run twice on the same inputs; the bytes of every written file after each run."""
    home = make_home(tmp_path_factory.mktemp("home"))
    folder = home / "reports" / "mini"
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        result = run_report(home / "params" / "mini_final.yaml", timeout=180)
        first = {ext: (folder / f"final.{ext}").read_bytes() for ext in FILES}
        run_report(home / "params" / "mini_final.yaml", timeout=180)
        second = {ext: (folder / f"final.{ext}").read_bytes() for ext in FILES}
        yield {"home": home, "result": result, "first": first, "second": second}


@pytest.mark.slow
@pytest.mark.parametrize("ext", FILES)
def test_same_inputs_give_identical_bytes(two_runs: dict[str, Any], ext: str) -> None:
    """Two runs of the real final notebook on the same inputs write byte-identical .ipynb, HTML, PDF and JSON."""
    assert two_runs["first"][ext], ext
    assert two_runs["first"][ext] == two_runs["second"][ext], f"final.{ext} differs between identical runs"


def _texts(two_runs: dict[str, Any]) -> dict[str, str]:
    return {ext: two_runs["first"][ext].decode("utf-8") for ext in ("ipynb", "html", "json")}


@pytest.mark.slow
def test_no_clock_time_or_random_ids(two_runs: dict[str, Any]) -> None:
    """Neither the notebook, the HTML nor the JSON holds a date-time, today's date or a UUID."""
    today = dt.date.today()
    inputs = " ".join(p.read_text(encoding="utf-8") for p in (two_runs["home"] / "data" / "mini").iterdir())
    inputs += (two_runs["home"] / "params" / "mini_final.yaml").read_text(encoding="utf-8")
    todays = [d for d in (today.isoformat(), fmt.date(today, "sv"), fmt.date(today, "en")) if d not in inputs]
    for ext, text in _texts(two_runs).items():
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
        assert DATETIME_RE.findall(text) == [], ext
        assert UUID_RE.findall(text) == [], ext
        for day in todays:
            assert day not in text, (ext, day)


@pytest.mark.slow
def test_json_provenance_names_inputs_parameters_packages_and_commit(two_runs: dict[str, Any]) -> None:
    """final.json holds the input hashes (data and notebook), the parameters, package versions and the code commit."""
    home = two_runs["home"]
    doc = json.loads(two_runs["first"]["json"])
    prov = doc["provenance"]
    assert set(prov) == {"code", "data", "input_files", "packages", "params_sha256"}
    expected = {p.relative_to(home).as_posix(): sha256_file(p)
                for p in [*(home / "data" / "mini").iterdir(), home / "notebooks" / "final.ipynb"]}
    assert prov["input_files"] == dict(sorted(expected.items()))
    assert doc["params"] == {"project": "mini", "kind": "final", "as_of": "2025-12-31", "language": "sv",
                             "formats": ["html", "pdf", "json"], "small_cell_threshold": 5}
    assert set(prov["packages"]) >= PACKAGES and all(v != "unknown" for v in prov["packages"].values())
    assert set(prov["code"]) == {"commit", "dirty"}
    assert prov["data"] == {"commit": "unknown", "dirty": None}  # the temporary home is no git checkout


@pytest.mark.slow
def test_html_provenance_block_lists_parameters_and_notebook(two_runs: dict[str, Any]) -> None:
    """The appendix shows each parameter's value (not only its hash), the notebook's hash, versions and commit."""
    page = two_runs["first"]["html"].decode("utf-8")
    appendix = page[page.index("Bilaga: Underlag och spårbarhet"):]
    for key, value in (("as_of", "2025-12-31"), ("formats", "html, pdf, json"), ("kind", "final"), ("language", "sv"),
                       ("project", "mini"), ("small_cell_threshold", "5")):
        assert f"<td>Parameter: {key}</td><td>{value}</td>" in appendix, key
    digest = sha256_file(two_runs["home"] / "notebooks" / "final.ipynb")[:12]
    assert f"<td>Indatafil: notebooks/final.ipynb</td><td>{digest}</td>" in appendix
    assert "Kodversion (git)" in appendix and "Paket: pandas" in appendix and "Parametrar (sha256)" in appendix


def test_provenance_in_a_checkout_records_the_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository (a git checkout), the provenance holds the 40-hex commit and a dirty flag."""
    import shutil

    if shutil.which("git") is None or not (paths.PACKAGE_DIR.parent / ".git").exists():
        pytest.skip("not a git checkout")
    monkeypatch.delenv("EVALUATION_HOME", raising=False)
    params = ReportParams(project="nis60", kind="final", as_of=dt.date(2022, 12, 31))
    prov = provenance([paths.data_dir() / "nis60" / "project.yaml"], params)
    assert re.fullmatch(r"[0-9a-f]{40}", prov["code"]["commit"])
    assert isinstance(prov["code"]["dirty"], bool)


def test_randomness_only_from_seeded_generators() -> None:
    """No module (in any layer) draws from numpy's global RNG or the random module; every default_rng gets a seed."""
    allowed = {("run", "numpy.random.seed()")}  # resets a forked kernel's global RNG (run layer); no report draws from it
    problems = []
    modules = sorted(paths.PACKAGE_DIR.rglob("*.py"))
    assert len(modules) > 20  # the layered subpackages are searched, not only the package root
    for path in modules:
        name = path.relative_to(paths.PACKAGE_DIR).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if any(name.split("/")[0] == layer and s in code for layer, s in allowed):
                continue
            if re.search(r"^\s*(import random\b|from random import)", code) or re.search(r"\brandom\.(random|choice|shuffle|randint|seed)\(", code):
                problems.append(f"{name}:{n}: {line.strip()}")
            if re.search(r"\b(np|numpy)\.random\.(?!default_rng\b)\w+\(", code):
                problems.append(f"{name}:{n}: {line.strip()}")
            if re.search(r"default_rng\(\s*\)", code):
                problems.append(f"{name}:{n}: {line.strip()}")
    assert problems == []


def test_random_matching_order_is_seeded() -> None:
    """firms.match(order="random") gives the same pairs for the same seed (the reports use order="largest")."""
    from evaluation.analysis import firms

    panel = firms.synthetic_panel(60, 4, 1.0, False, 3)
    year = int(panel["year"].min())
    a = firms.match(panel, ["employees"], year, method="nearest", order="random", seed=11)
    b = firms.match(panel, ["employees"], year, method="nearest", order="random", seed=11)
    assert a.pairs.equals(b.pairs) and len(a.pairs) > 0
