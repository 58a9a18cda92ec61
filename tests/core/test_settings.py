"""Tests for evaluation.core.settings and evaluation.core.paths: one Settings object, held with a context manager."""

from __future__ import annotations

import ast
import threading
from pathlib import Path

import pytest

from evaluation.core import paths, settings
from evaluation.core.settings import SETTINGS_VARIABLE, Settings, default_home


def test_defaults_are_the_repository_and_its_reports_folder() -> None:
    """Settings() is the repository holding the package, reports/ in it, no traceback, workers by CPU."""
    s = Settings()
    assert s.home == default_home() == paths.PACKAGE_DIR.parent
    assert s.reports == s.home / "reports" and s.reports_dir is None
    assert s.traceback is False and s.workers is None and s.kernel_dir is None


def test_paths_are_made_absolute_and_values_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative folders are resolved when the settings are made; bad workers or traceback are refused."""
    monkeypatch.chdir(tmp_path)
    s = Settings(home="proj", reports_dir="out")  # type: ignore[arg-type]
    assert s.home == tmp_path / "proj" and s.reports == tmp_path / "out"
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="workers"):
            Settings(workers=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="traceback"):
        Settings(traceback="yes")  # type: ignore[arg-type]


def test_settings_are_frozen_and_replace_makes_a_copy(tmp_path: Path) -> None:
    """A Settings cannot be changed in place; replace() returns a changed copy."""
    s = Settings(home=tmp_path)
    with pytest.raises(AttributeError):
        s.home = Path("/")  # type: ignore[misc]
    t = s.replace(workers=2)
    assert t.workers == 2 and s.workers is None and t.home == s.home


def test_from_environ_reads_home_and_traceback(tmp_path: Path) -> None:
    """EVALUATION_HOME names the home; EVALUATION_TRACEBACK other than '' or '0' turns tracebacks on."""
    assert Settings.from_environ({}) == Settings()
    assert Settings.from_environ({"EVALUATION_HOME": ""}).home == default_home()
    s = Settings.from_environ({"EVALUATION_HOME": str(tmp_path), "EVALUATION_TRACEBACK": "1"})
    assert s.home == tmp_path.resolve() and s.traceback is True
    assert Settings.from_environ({"EVALUATION_TRACEBACK": "0"}).traceback is False


def test_serialised_settings_win_and_round_trip(tmp_path: Path) -> None:
    """EVALUATION_SETTINGS (what a kernel gets) holds every field and wins over the single variables."""
    s = Settings(home=tmp_path, reports_dir=tmp_path / "r", traceback=True, workers=3, kernel_dir=tmp_path / "k")
    assert Settings.from_json(s.to_json()) == s
    environ = {SETTINGS_VARIABLE: s.to_json(), "EVALUATION_HOME": "/somewhere/else"}
    assert Settings.from_environ(environ) == s
    with pytest.raises(ValueError):
        Settings.from_json("[1, 2]")


def test_use_makes_settings_current_and_restores_the_outer_ones(tmp_path: Path) -> None:
    """use() holds settings for a block, nests, accepts changes as keywords and restores on the way out (also on error)."""
    outer = settings.current()
    with settings.use(Settings(home=tmp_path)) as s:
        assert settings.current() is s and paths.home() == tmp_path.resolve()
        assert paths.data_dir() == tmp_path.resolve() / "data" and paths.reports_dir() == tmp_path.resolve() / "reports"
        with settings.use(reports_dir=tmp_path / "out") as inner:
            assert inner.home == s.home and paths.reports_dir() == (tmp_path / "out").resolve()
        assert settings.current() is s
        with pytest.raises(RuntimeError), settings.use(traceback=True):
            raise RuntimeError("boom")
        assert settings.current() is s
    assert settings.current() == outer


def test_outside_use_the_environment_is_read_when_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a use() block (the Python API, a hand-opened notebook) the home follows EVALUATION_HOME as it is now."""
    monkeypatch.setenv("EVALUATION_HOME", str(tmp_path))
    assert paths.home() == tmp_path.resolve()
    monkeypatch.delenv("EVALUATION_HOME")
    assert paths.home() == default_home()
    with settings.use(Settings(home=tmp_path / "x")):
        monkeypatch.setenv("EVALUATION_HOME", str(tmp_path / "y"))
        assert paths.home() == (tmp_path / "x").resolve()


def test_use_is_per_thread(tmp_path: Path) -> None:
    """Settings held in one thread are not seen by another (Dask workers run tasks in threads)."""
    seen: list[Path] = []
    with settings.use(Settings(home=tmp_path)):
        worker = threading.Thread(target=lambda: seen.append(paths.home()))
        worker.start()
        worker.join()
    assert seen and seen[0] != tmp_path.resolve()


def test_paths_never_read_the_environment() -> None:
    """core/paths.py has no os.environ / os.getenv: it resolves everything from the current settings."""
    tree = ast.parse(Path(paths.__file__).read_text(encoding="utf-8"))
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom) for alias in node.names}
    assert "environ" not in names and "getenv" not in names and "os" not in imported


def test_display_path_is_relative_to_the_current_home(tmp_path: Path) -> None:
    """Messages show paths inside the home relative to it, others in full."""
    with settings.use(Settings(home=tmp_path)):
        assert paths.display_path(tmp_path / "data" / "p" / "costs.csv") == "data/p/costs.csv"
        assert paths.display_path("/elsewhere/x.csv") == "/elsewhere/x.csv"
