"""The papermill engine of report runs: the executed notebook is written once, not after every cell.

papermill's default engine writes the whole notebook (with every figure as base64 text) when
each cell starts and when it ends, so a report of 20 cells serialises and writes its notebook
about 40 times. Reports need it written once: at the end, and when the run fails (a failing
cell, a timeout, a dead kernel), so the failed notebook can be kept with the cell that failed
or was running. :data:`ENGINE_NAME` is papermill's nbclient engine that does exactly that:
run with ``request_save_on_cell_execute=False`` and ``failure_path=<file>``, it writes nothing
while cells run, and on any failure it writes the notebook as papermill would have left it
(start times, the error output) to ``failure_path``. The executed notebook is the same object
either way, so the report's bytes do not change.
"""

from __future__ import annotations

from typing import Any

from papermill.engines import NBClientEngine, papermill_engines

__all__ = ["ENGINE_NAME", "SaveOnFailureEngine"]

ENGINE_NAME = "evaluation-save-on-failure"


class SaveOnFailureEngine(NBClientEngine):
    """nbclient execution that writes the notebook only at the end and when execution fails."""

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
        failure_path = kwargs.pop("failure_path", None)
        try:
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except BaseException:
            if failure_path is not None:
                # papermill's own `finally` then completes the notebook and saves it here
                nb_man.output_path = str(failure_path)
            raise


papermill_engines.register(ENGINE_NAME, SaveOnFailureEngine)
