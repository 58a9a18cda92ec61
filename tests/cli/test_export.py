"""Tests for evaluation.cli.export: `evaluation export-firms PROJECT` writes the participants' organisation numbers only.

The tests through ``main`` need the loader to accept the register columns and ``export-firms``
registered in cli/main.py (patches /tmp/f2/loader.patch and cli_main.patch).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from conftest import minimal_spec, write_project

from evaluation.cli import export
from evaluation.core.errors import InputError


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    export.add_cli(parser.add_subparsers())
    return parser.parse_args(argv)


def _firms() -> pd.DataFrame:
    return pd.DataFrame({"firm_id": ["a", "b", "c"], "name": ["Alfa AB", "Beta AB", "Gamma AB"], "participant": [True, True, False],
                         "employees": [5.0, 6.0, 7.0], "org_nr": ["556036-0793", "2120000142", "2021005489"]})


def test_export_firms_writes_only_organisation_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--output gets the header org_nr and the participants' numbers; no name, firm id or outcome."""
    monkeypatch.setattr("evaluation.io.loader.load_project", lambda pid: SimpleNamespace(id=pid, folder=None, firms=_firms()))
    args = _parse(["export-firms", "mini", "--output", str(tmp_path / "out.csv")])
    assert args.func(args) == 0
    assert (tmp_path / "out.csv").read_bytes() == b"org_nr\n2120000142\n5560360793\n"


def test_export_firms_without_firm_table_is_bad_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """A project without a firm table: an InputError saying a firm table with org_nr is needed."""
    monkeypatch.setattr("evaluation.io.loader.load_project", lambda pid: SimpleNamespace(id=pid, folder=None, firms=None))
    args = _parse(["export-firms", "mini"])
    with pytest.raises(InputError, match="a firm table with the column org_nr"):
        args.func(args)


def _project(tmp_path: Path, org_nr: str) -> Path:
    rows: list[dict[str, Any]] = [
        {"firm_id": "p1", "name": "Alfa AB", "year": 2021, "employees": 5, "participant": "yes", "participation_start": 2022,
         "org_nr": "556036-0793"},
        {"firm_id": "p2", "name": "Beta AB", "year": 2021, "employees": 6, "participant": "yes", "participation_start": 2022,
         "org_nr": org_nr},
    ]
    return write_project(tmp_path / "data", minimal_spec(), {"firms": rows})


def test_export_firms_through_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`evaluation export-firms mini` prints the list; a wrong check digit is exit 2 naming file and row (validate too)."""
    from evaluation.cli.main import main

    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    _project(tmp_path, "2120000142")
    assert main(["export-firms", "mini"]) == 0
    assert capsys.readouterr().out == "org_nr\n2120000142\n5560360793\n"
    _project(tmp_path, "212000-0143")
    assert main(["export-firms", "mini"]) == 2
    err = capsys.readouterr().err
    assert "'org_nr' in " in err and "firms.csv row 3 must be a Swedish organisation number" in err and "(got '212000-0143')" in err
    assert main(["validate", "mini"]) == 2
    assert "firms.csv row 3 must be a Swedish organisation number" in capsys.readouterr().err
