"""Tests for evaluation.report.figcache: figures drawn once per content, with the bytes a fresh draw gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from evaluation.core import paths, settings  # noqa: E402
from evaluation.report import figcache  # noqa: E402
from evaluation.report.display import figure  # noqa: E402

KWARGS = {"format": "png", "dpi": 150, "metadata": {"Software": None}}


def _chart(values: tuple[float, ...] = (1.0, 2.0, 3.0), unit: str = "kr") -> plt.Figure:
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b", "c"], values)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f} {unit}"))  # a closure, as plots use
    ax.set_title("Omsättning")
    fig.tight_layout()
    return fig


def _png(fig: plt.Figure) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, **KWARGS)  # type: ignore[arg-type]
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _no_process_cache() -> object:
    """Each test starts and ends without a process-wide cache folder."""
    figcache.enable(None)
    yield
    figcache.enable(None)


def test_a_hit_gives_the_bytes_a_fresh_draw_gives(tmp_path: Path) -> None:
    """The second, separately built but identical figure comes from the cache, byte-identical to its own savefig."""
    first = figcache.png_for(_chart(), lambda: _png(_chart()), KWARGS, tmp_path)
    assert len(list(tmp_path.glob("*.png"))) == 1

    def must_not_draw() -> bytes:
        raise AssertionError("drawn although the same figure is cached")

    second = _chart()
    cached = figcache.png_for(second, must_not_draw, KWARGS, tmp_path)
    assert cached == first == _png(second)


def test_different_content_gets_a_different_key() -> None:
    """One changed bar, a changed formatter closure, or another dpi: another key (never a stale figure)."""
    base = figcache.figure_key(_chart(), KWARGS)
    assert base is not None and base == figcache.figure_key(_chart(), KWARGS)
    assert figcache.figure_key(_chart(values=(1.0, 2.0, 3.5)), KWARGS) != base
    assert figcache.figure_key(_chart(unit="SEK"), KWARGS) != base
    assert figcache.figure_key(_chart(), {**KWARGS, "dpi": 100}) != base


def test_the_key_is_the_same_in_another_process() -> None:
    """The key does not depend on object addresses: a fresh Python computes the same one (kernels share the cache)."""
    code = ("import sys, importlib.util; import matplotlib; matplotlib.use('Agg');"
            "spec = importlib.util.spec_from_file_location(sys.argv[1], sys.argv[2]);"
            "t = importlib.util.module_from_spec(spec); sys.modules[sys.argv[1]] = t; spec.loader.exec_module(t);"
            "from evaluation.report import figcache; print(figcache.figure_key(t._chart(), t.KWARGS))")
    tests = str(Path(__file__).resolve().parents[1])
    env_path = f"{paths.PACKAGE_DIR.parent}:{tests}"
    out = subprocess.run([sys.executable, "-c", code, _chart.__module__, str(Path(__file__).resolve())],
                         capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": env_path})
    assert out.stdout.strip() == figcache.figure_key(_chart(), KWARGS)


def test_an_unpicklable_figure_is_simply_drawn(tmp_path: Path) -> None:
    """A figure holding something that cannot be pickled has no key: it is drawn and nothing is stored."""
    fig = _chart()
    fig.axes[0].generator_attribute = (i for i in range(3))  # type: ignore[attr-defined]
    assert figcache.figure_key(fig, KWARGS) is None
    assert figcache.png_for(fig, lambda: b"drawn", KWARGS, tmp_path) == b"drawn"
    assert not list(tmp_path.iterdir())


def test_without_a_cache_folder_every_figure_is_drawn(tmp_path: Path) -> None:
    """figure() outside a report (no folder enabled) draws and writes nothing; enabled, it reuses the file."""
    with settings.use(reports_dir=tmp_path):
        plain = figure(_chart()).png
        assert not (tmp_path / figcache.CACHE_SUBDIR).exists()
        folder = figcache.enable_for_reports()
        assert folder == tmp_path / ".cache" / "figures"
        drawn = figure(_chart()).png
        stored = list(folder.glob("*.png"))
        assert len(stored) == 1 and stored[0].read_bytes() == drawn == plain
        assert figure(_chart()).png == plain
