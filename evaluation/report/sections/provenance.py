"""Appendix: provenance (input files, code and package versions) and the report's parameters."""

from __future__ import annotations

import pandas as pd

from evaluation.core.i18n import text
from evaluation.report import provenance as prov_mod
from evaluation.report.context import ReportContext
from evaluation.report.display import Block, heading, table


def render(ctx: ReportContext) -> Block:
    """The provenance table, with the parameters themselves (what a re-run years later must be given)."""
    lang = ctx.lang
    notebook = ctx.params.notebook_path()
    files = [*ctx.project.files, *([notebook] if notebook.is_file() else [])]
    frame = prov_mod.provenance_table(prov_mod.provenance(files, ctx.params, hashes=ctx.project.input_hashes), lang)
    values = {k: ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in ctx.params.notebook_parameters().items()}
    params = pd.DataFrame([(text(lang, "Parameter: {name}", name=k), values[k]) for k in sorted(values)], columns=frame.columns)
    return Block((heading(2, text(lang, "Appendix: Provenance")), table(pd.concat([frame, params], ignore_index=True), lang)))
