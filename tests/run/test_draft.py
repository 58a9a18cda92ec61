"""End to end (issue 12): the evaluator's assessment in every format, draft status, --final, bad references."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from conftest import kernel_env, minimal_spec, write_project

from evaluation.cli.main import main
from evaluation.io.loader import load_project
from evaluation.review import completeness

REPO = Path(__file__).resolve().parents[2]
QUESTIONS = ("P1", "P2", "P3", "N1", "N2", "N3", "relevance", "coherence", "effectiveness", "efficiency", "impact",
             "sustainability", "horizontal", "overall")
PARAMS = "project: {pid}\nkind: final\nas_of: 2025-12-31\nlanguage: en\nformats: [html, pdf, json, docx]\nsmall_cell_threshold: 5\n"


def _notebook(home: Path) -> None:
    """notebooks/final.ipynb: the real notebook's first cells (guard, parameters, title), then every assessment block."""
    real = nbformat.read(REPO / "notebooks" / "final.ipynb", as_version=4)
    nb = nbformat.v4.new_notebook(cells=real.cells[:4], metadata=real.metadata)
    nb.cells.append(nbformat.v4.new_code_cell("\n".join(f'display(sections.assessment(ctx, "{q}"))' for q in QUESTIONS)))
    nb.cells.append(nbformat.v4.new_code_cell("display(sections.method(ctx))\ndisplay(sections.key_figures_section(ctx))"))
    nb.cells.append(nbformat.v4.new_code_cell("sections.key_figures(ctx)"))
    (home / "notebooks").mkdir(exist_ok=True)
    nbformat.write(nb, home / "notebooks" / "final.ipynb")


def _entry(q: str) -> str:
    return (f"  - question: {q}\n    grade: fairly_high\n    text: |\n      Judgement {q} with *emphasis* and <b>tags</b>.\n"
            f"    evidence: [indicator:out1, source:src]\n")


def _finished(home: Path) -> Path:
    """Project 'mini' with every question assessed and every suggestion decided."""
    folder = write_project(home / "data", minimal_spec())
    (folder / "assessments").mkdir()
    text = "evaluator: Regionakademien\nentries:\n" + "".join(_entry(q) for q in QUESTIONS)
    (folder / "assessments" / "final.yaml").write_text(text, encoding="utf-8")
    project = load_project(folder)
    ids = [m.subject for m in completeness.for_report(project, "final", project.end) if m.kind == "suggestion"]
    text += "suggestions:\n" + "".join(f"  - {{id: {sid}, decision: rejected}}\n" for sid in ids)
    (folder / "assessments" / "final.yaml").write_text(text, encoding="utf-8")
    (home / "params" / "mini_final.yaml").write_text(PARAMS.format(pid="mini"), encoding="utf-8")
    return folder


def _pdf_pages(path: Path) -> list[str]:
    """The text of each page (pypdf), whitespace collapsed."""
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(path.read_bytes())).pages]


def _docx(path: Path) -> tuple[str, str]:
    """Body text and first-section header text of a Word file."""
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(p.text for p in doc.sections[0].header.paragraphs)
    return body, header


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A finished project and an untouched scaffold, each reported once in every format; plus --final on the scaffold."""
    home = tmp_path_factory.mktemp("home")
    (home / "data").mkdir()
    (home / "params").mkdir()
    _notebook(home)
    out: dict[str, Any] = {"home": home}
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        mp.chdir(home)
        _finished(home)
        assert main(["new", "demo", "--start", "2024-01-01", "--end", "2025-12-31"]) == 0
        (home / "params" / "demo_final.yaml").write_text(PARAMS.format(pid="demo"), encoding="utf-8")
        out["final_refused"] = main(["report", "params/demo_final.yaml", "--final"])
        out["refused_written"] = (home / "reports" / "demo").exists()
        out["mini"] = main(["report", "params/mini_final.yaml", "--final"])
        out["demo"] = main(["report", "params/demo_final.yaml"])
    yield out
    shutil.rmtree(home, ignore_errors=True)


def test_assessment_in_every_format(runs: dict[str, Any]) -> None:
    """Each entry's text, grade label and evidence links are in the HTML, the PDF text, the Word document and the JSON."""
    assert runs["mini"] == 0
    folder = runs["home"] / "reports" / "mini"
    page = (folder / "final.html").read_text(encoding="utf-8")
    pdf = "\n".join(_pdf_pages(folder / "final.pdf"))
    body, _ = _docx(folder / "final.docx")
    data = json.loads((folder / "final.json").read_text(encoding="utf-8"))
    for q in QUESTIONS:
        assert f"Judgement {q} with <em>emphasis</em> and &lt;b&gt;tags&lt;/b&gt;." in page
        assert f"Judgement {q} with emphasis" in pdf and f"Judgement {q} with emphasis" in body
        assert data["key_figures"]["assessment"]["entries"][q]["grade"] == "fairly_high"
    assert "<b>tags</b>" not in page  # the evaluator's HTML is text
    assert page.count("to a fairly high degree") == len(QUESTIONS) and "to a fairly high degree" in pdf
    assert "to a fairly high degree" in body and "Evaluator's assessment" in body
    assert 'href="#ev-indicator-out1"' in page and 'href="#ev-source-src"' in page
    assert 'id="ev-indicator-out1"' in page and 'id="ev-source-src"' in page  # the links lead somewhere
    assert "The assessments in this report are written by Regionakademien." in page
    assert data["status"] == "final" and data["missing"] == [] and 'class="draft-banner"' not in page


def test_scaffold_is_a_draft_in_every_format(runs: dict[str, Any]) -> None:
    """The untouched scaffold's report carries the draft banner on every PDF page, in the Word header, in the HTML and JSON."""
    assert runs["demo"] == 0
    folder = runs["home"] / "reports" / "demo"
    data = json.loads((folder / "final.json").read_text(encoding="utf-8"))
    n = len(data["missing"])
    assert data["status"] == "draft" and n > len(QUESTIONS)
    banner = f"Draft: {n} items missing"
    page = (folder / "final.html").read_text(encoding="utf-8")
    assert f'<div class="draft-banner" role="alert">{banner}</div>' in page
    pages = _pdf_pages(folder / "final.pdf")
    assert len(pages) > 1 and all(banner in p for p in pages)
    _, header = _docx(folder / "final.docx")
    assert banner in header
    assert "Not yet assessed." not in page or "ÄNDRA/CHANGE" in page


def test_final_refuses_a_draft(runs: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation report --final` on the untouched scaffold exits 1 and writes nothing."""
    assert runs["final_refused"] == 1 and not runs["refused_written"]


def test_unknown_evidence_reference_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """A report whose assessment names an unknown indicator stops with exit 2 naming the file, the entry and the reference."""
    kernel_env(monkeypatch, tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params").mkdir()
    folder = write_project(tmp_path / "data", minimal_spec())
    (folder / "assessments").mkdir()
    (folder / "assessments" / "final.yaml").write_text(
        "entries:\n  - question: P1\n    grade: high\n    text: x\n    evidence: [indicator:N9]\n", encoding="utf-8")
    (tmp_path / "params" / "mini_final.yaml").write_text(PARAMS.format(pid="mini"), encoding="utf-8")
    assert main(["report", "params/mini_final.yaml"]) == 2
    err = capsys.readouterr().err
    assert "data/mini/assessments/final.yaml" in err and "entries[P1].evidence" in err and "indicator:N9" in err
