"""Tests for evaluation.run.kernels: start-up retries, the wall-clock guard, warm kernels, settings handed to the kernel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evaluation.core.errors import ReportError
from evaluation.core.settings import SETTINGS_VARIABLE, Settings
from evaluation.run.kernels import (
    _LAUNCHER_MARK,
    KernelZygote,
    WallClockGuard,
    _expand_preload,
    call_with_startup_retries,
    is_kernel_startup_error,
    kernel_manager_class,
)


def test_retry_helper_retries_a_startup_collision_once() -> None:
    """A function failing once with 'Address already in use' is retried after a back-off and succeeds."""
    calls: list[int] = []
    waits: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ReportError("notebooks/final.ipynb: the kernel 'python3' could not start: "
                              "ZMQError: Address already in use (addr='tcp://127.0.0.1:5555')")
        return "done"

    assert call_with_startup_retries(flaky, retries=3, backoff=0.5, sleep=waits.append) == ("done", 2)
    assert len(calls) == 2 and waits == [0.5]


def test_retry_helper_does_not_retry_other_errors() -> None:
    """A failing cell is not a start-up error: raised at once, no retry."""
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise ReportError("notebooks/final.ipynb failed in cell 3 ('x = 1/0'): ZeroDivisionError: division by zero")

    with pytest.raises(ReportError, match="cell 3"):
        call_with_startup_retries(failing, retries=3, sleep=lambda s: None)
    assert len(calls) == 1


def test_retry_helper_gives_up_after_the_retries() -> None:
    """A kernel that never starts is tried retries + 1 times, then the last error is raised."""
    waits: list[float] = []

    def never() -> None:
        raise RuntimeError("Kernel died before replying to kernel_info")

    with pytest.raises(RuntimeError, match="Kernel died"):
        call_with_startup_retries(never, retries=2, backoff=1.0, sleep=waits.append)
    assert waits == [1.0, 2.0]



def test_wall_clock_guard_kills_only_kernel_processes() -> None:
    """After the limit the guard kills a kernel launcher below this process and leaves other children."""
    launcher = subprocess.Popen([sys.executable, "-c", f"# {_LAUNCHER_MARK}\nimport time\ntime.sleep(60)"])
    other = subprocess.Popen([sys.executable, "-c", "import time\ntime.sleep(60)"])
    try:
        with WallClockGuard(0.3) as guard:
            launcher.wait(timeout=30)
        assert guard.fired and launcher.returncode == -9
        assert other.poll() is None
    finally:
        for proc in (launcher, other):
            if proc.poll() is None:
                proc.kill()
                proc.wait()



@pytest.mark.slow
def test_zygote_kernels_are_fresh_processes_and_fall_back_cold(tmp_path: Path) -> None:
    """Each report gets a new forked kernel with an empty namespace; without the zygote a cold kernel runs."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    def run(source: str) -> str:
        nb = new_notebook(cells=[new_code_cell(source)])
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
        return "".join(o.get("text", "") for o in nb.cells[0].outputs)

    saved = os.environ.get("JUPYTER_PATH")
    zygote = KernelZygote(preload=("json",)).start()
    try:
        zygote.activate()
        first = run("import json, os\njson.leak = 1\nsecret = 5\nprint(os.getppid(), os.getpid())")
        second = run("import json, os\nprint('secret' in globals(), hasattr(json, 'leak'), os.getppid(), os.getpid())")
        ppid1, pid1 = map(int, first.split())
        in_ns, leaked, ppid2, pid2 = second.split()
        assert ppid1 == int(ppid2) == zygote.process.pid and pid1 != int(pid2)
        assert (in_ns, leaked) == ("False", "False")
        zygote.process.kill()
        zygote.process.wait()
        cold = run("import os\nprint(os.getppid())")
        assert int(cold) != ppid1
    finally:
        folder = zygote.folder
        zygote.close()
    assert os.environ.get("JUPYTER_PATH") == saved and folder is not None and not folder.exists()



def test_kernel_startup_errors_are_recognised_through_causes() -> None:
    """'Address already in use' anywhere in the chain of causes is a start-up error; a failing cell is not."""
    try:
        try:
            raise OSError("ZMQError: Address already in use")
        except OSError as inner:
            raise ReportError("the kernel 'python3' could not start") from inner
    except ReportError as outer:
        assert is_kernel_startup_error(outer)
    assert not is_kernel_startup_error(ReportError("failed in cell 3: ZeroDivisionError"))


def test_preload_expands_the_package_without_the_layers_outside_kernels() -> None:
    """'evaluation.*' means every module notebooks use, recursively; run, cli, render and authoring are left out."""
    names = _expand_preload(("json", "evaluation.*"))
    assert names[0] == "json"
    assert "evaluation.core.paths" in names and "evaluation.io.loader" in names and "evaluation.report.display" in names
    assert not any(n.startswith(("evaluation.run", "evaluation.cli", "evaluation.render", "evaluation.authoring"))
                   for n in names)
    assert not any(part.startswith("_") for n in names for part in n.split("."))


@pytest.mark.slow
def test_the_kernel_gets_the_settings_and_the_warm_kernelspec(tmp_path: Path) -> None:
    """A kernel started by kernel_manager_class reads the settings from EVALUATION_SETTINGS; this process's environment is untouched."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    home = tmp_path / "elsewhere"
    home.mkdir()
    spec = tmp_path / "warm" / "kernels" / "python3"
    spec.mkdir(parents=True)
    marker = tmp_path / "started"
    boot = (f"import pathlib, runpy, sys; pathlib.Path({str(marker)!r}).write_text('warm'); "
            "sys.argv = ['ipykernel_launcher', *sys.argv[1:]]; runpy.run_module('ipykernel_launcher', run_name='__main__')")
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-c", boot, "-f", "{connection_file}"], "display_name": "Python 3", "language": "python",
    }), encoding="utf-8")
    before = dict(os.environ)
    config = Settings(home=home, traceback=True, kernel_dir=tmp_path / "warm")
    nb = new_notebook(cells=[new_code_cell(
        "import os\nfrom evaluation.core import paths, settings\n"
        f"print(os.environ[{SETTINGS_VARIABLE!r}] == {config.to_json()!r}, paths.home(), settings.current().traceback)")])
    NotebookClient(nb, kernel_name="python3", timeout=60, kernel_manager_class=kernel_manager_class(config)).execute()
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs).split()
    assert out == ["True", str(home.resolve()), "True"]
    assert marker.read_text(encoding="utf-8") == "warm"
    assert dict(os.environ) == before


def test_a_single_report_forks_its_kernel_from_a_zygote_started_ahead(tmp_path: Path) -> None:
    """evaluation report's zygote, started before the pre-flight, gives the kernel; outside the block nothing is left."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    from evaluation.run.report import warm_kernel_ahead

    saved = os.environ.get("JUPYTER_PATH")
    with warm_kernel_ahead() as ready:
        ready()
        folder = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0])
        nb = new_notebook(cells=[new_code_cell("import os\nprint(open(f'/proc/{os.getppid()}/cmdline').read())")])
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
        assert "_zygote_main" in nb.cells[0].outputs[0]["text"]
    assert os.environ.get("JUPYTER_PATH") == saved and not folder.exists()


def test_preload_is_listed_without_importing_it() -> None:
    """Listing the zygote's modules imports none of them (the zygote does, on the other core): the same list as importing."""
    import subprocess

    code = ("import sys; from evaluation.run.kernels import _expand_preload; "
            "before = set(sys.modules); names = _expand_preload(('evaluation.*',)); "
            "print(sorted(n for n in set(sys.modules) - before if n.startswith('evaluation.'))); print(len(names))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.splitlines()
    assert out[0] == "[]" and int(out[1]) > 100


def test_a_preload_entry_can_call_a_function_in_the_zygote(tmp_path: Path) -> None:
    """'module:function' in the preload imports and calls it once in the zygote: pyfixest is there in a forked kernel, logging untouched."""
    from nbclient import NotebookClient
    from nbformat.v4 import new_code_cell, new_notebook

    zygote = KernelZygote(preload=("json", "evaluation.analysis.firms.fixest:_load")).start()
    try:
        zygote.activate()
        nb = new_notebook(cells=[new_code_cell("import sys, logging\nr = logging.getLogger()\n"
                                               "print('pyfixest' in sys.modules, len(r.handlers), r.level)")])
        NotebookClient(nb, kernel_name="python3", timeout=60).execute()
        assert nb.cells[0].outputs[0]["text"].split() == ["True", "0", "30"]
    finally:
        zygote.close()
