"""Delivered reports (issue 13): kept as delivered by report and batch, and verified byte for byte by `verify`."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import kernel_env

from evaluation.core.errors import DeliveredReportError, InputError
from evaluation.run import report as report_module
from evaluation.run.batch import run_batch
from evaluation.run.delivery import deliver, delivered
from evaluation.run.report import run_report
from evaluation.run.verify import verify

NOTEBOOKS = Path(__file__).resolve().parents[1] / "data" / "notebooks"
PARAMS = "project: demo\nkind: final\nas_of: 2022-12-31\nlanguage: sv\nformats: [html, json]\nsmall_cell_threshold: 5\n"


def files_of(home: Path) -> dict[str, bytes]:
    folder = home / "reports" / "demo"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def delivered_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A home whose report demo/final (a stub notebook) was made once and delivered."""
    home = tmp_path_factory.mktemp("home")
    (home / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS / "report_ok.ipynb", home / "notebooks" / "final.ipynb")
    (home / "data" / "demo").mkdir(parents=True)
    (home / "data" / "demo" / "project.yaml").write_text("id: demo\n", encoding="utf-8")
    (home / "params").mkdir()
    (home / "params" / "demo_final.yaml").write_text(PARAMS, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        kernel_env(mp, home)
        mp.setattr(report_module, "_default_preflight", lambda params: None)  # the stub project is not a real project
        run_report(home / "params" / "demo_final.yaml", timeout=120)
        deliver(home / "params" / "demo_final.yaml")
        yield home


def test_delivery_copies_the_files_and_records_their_hashes(delivered_home: Path) -> None:
    """deliveries/demo/final/ holds the report's files byte for byte and a manifest with their sha256 and the inputs'."""
    done = delivered("demo", "final")
    assert done is not None
    folder = delivered_home / "deliveries" / "demo" / "final"
    current = files_of(delivered_home)
    assert sorted(done.files) == ["final.html", "final.ipynb", "final.json"]
    for name in done.files:
        assert (folder / name).read_bytes() == current[name]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["params"]["as_of"] == "2022-12-31"
    assert set(manifest["made_from"]["inputs"]) == {"project.yaml"}
    assert "pandas" in manifest["packages"]


def test_report_refuses_to_overwrite_a_delivered_report(delivered_home: Path) -> None:
    """evaluation report on a delivered report: DeliveredReportError (exit 1), the files unchanged."""
    before = files_of(delivered_home)
    with pytest.raises(DeliveredReportError) as info:
        run_report(delivered_home / "params" / "demo_final.yaml", timeout=120)
    assert info.value.exit_code == 1 and "delivered on" in str(info.value) and "--supersede" in str(info.value)
    assert files_of(delivered_home) == before


def test_batch_after_new_data_skips_the_delivered_report_byte_identical(delivered_home: Path) -> None:
    """New data imported, then a batch: the delivered report is skipped (reason given) and stays byte-identical."""
    before = files_of(delivered_home)
    (delivered_home / "data" / "demo" / "indicator_values.csv").write_text(
        "indicator,period_end,value,status,source\n", encoding="utf-8")
    try:
        result = run_batch([delivered_home / "params" / "demo_final.yaml"], workers=1, portfolio=False, progress=False)
        [outcome] = result.outcomes
        assert outcome.status == "skipped" and outcome.message.startswith("delivered on")
        assert files_of(delivered_home) == before
    finally:
        (delivered_home / "data" / "demo" / "indicator_values.csv").unlink()


def test_deliver_refuses_an_out_of_date_report(delivered_home: Path) -> None:
    """A report whose inputs changed since it was made cannot be delivered (supersede or not)."""
    yaml = delivered_home / "data" / "demo" / "project.yaml"
    yaml.write_text("id: demo\nname: changed\n", encoding="utf-8")
    try:
        with pytest.raises(InputError) as info:
            deliver(delivered_home / "params" / "demo_final.yaml", supersede=True)
        assert "up to date with its inputs" in str(info.value)
    finally:
        yaml.write_text("id: demo\n", encoding="utf-8")


def test_verify_matches_the_untouched_report_and_names_a_changed_input(delivered_home: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """verify: every delivered file matches on the untouched inputs; after an edit it names the changed input."""
    monkeypatch.setattr(report_module, "_default_preflight", lambda params: None)
    untouched = verify(delivered_home / "params" / "demo_final.yaml")
    assert untouched.ok and untouched.changes == ()
    assert untouched.lines()[-1] == "demo final: every file matches byte for byte"
    yaml = delivered_home / "data" / "demo" / "project.yaml"
    yaml.write_text("id: demo\n# edited\n", encoding="utf-8")
    try:
        edited = verify(delivered_home / "reports" / "demo" / "final.html")
        assert "input changed: data/demo/project.yaml" in edited.changes
    finally:
        yaml.write_text("id: demo\n", encoding="utf-8")


def test_supersede_makes_a_new_report_and_keeps_the_delivery(delivered_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--supersede runs the report again; the delivered copy stays in deliveries/, re-delivering keeps the old one beside."""
    monkeypatch.setattr(report_module, "_default_preflight", lambda params: None)
    run_report(delivered_home / "params" / "demo_final.yaml", timeout=120, supersede=True)
    with pytest.raises(DeliveredReportError):
        deliver(delivered_home / "params" / "demo_final.yaml")
    deliver(delivered_home / "params" / "demo_final.yaml", supersede=True)
    assert (delivered_home / "deliveries" / "demo" / "final.superseded-1" / "manifest.json").is_file()
    assert (delivered_home / "deliveries" / "demo" / "final" / "manifest.json").is_file()

