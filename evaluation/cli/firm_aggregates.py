"""``evaluation firm-aggregates PANEL --out FILE``: the firm analysis where the register data live; only aggregates leave.

Run inside a remote microdata system (for example Statistics Sweden's MONA) on the firm panel
linked there. It runs every firm analysis of the report's firm section on the panel and writes
one JSON file holding only disclosure-checked aggregates: the figures the firm section shows
(:mod:`evaluation.analysis.firm_figures`: totals and means with their counts, estimates with
their standard errors, event-time effects, balance means, all with the threshold and the
dominance rule applied and hidden figures left out) and a table of totals and means by outcome,
year and group (:func:`evaluation.analysis.disclosure.aggregates`). Never a firm row, firm id,
organisation number or name. The file is then taken out, put in the project folder as
``firm_aggregates.json`` (instead of ``firms.csv``), and the reports read it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_cli", "build_aggregates"]


def build_aggregates(panel: Any, threshold: int, n: int = 2, k: float = 85.0, p: float | None = None) -> dict[str, Any]:
    """The aggregates document of a firm ``panel`` (as :func:`evaluation.io.firm_panel.read_firm_panel` gives it)."""
    from evaluation import __version__
    from evaluation.analysis import disclosure
    from evaluation.analysis.firm_figures import firm_figures, to_json
    from evaluation.io.firm_aggregates import FORMAT, VERSION

    dominance = disclosure.Dominance(n=n, k=k, p=p)
    figures = firm_figures(panel, threshold, disclosure.Ledger(threshold, dominance))
    cells = disclosure.aggregates(panel, threshold, dominance)
    cells = cells.drop(columns=["rule"]).astype(object).where(cells.drop(columns=["rule"]).notna(), None)
    return {
        "format": FORMAT, "version": VERSION, "threshold": threshold,
        "dominance": {"n": n, "k": k, "p": p}, "created_with": f"evaluation {__version__}",
        "figures": to_json(figures),
        "cells": [{key: (int(v) if key in ("year", "n_firms") and v is not None else v) for key, v in row.items()}
                  for row in cells.to_dict("records")],
    }


def _problems(args: argparse.Namespace) -> None:
    from evaluation.core.errors import ProblemCollector

    problems = ProblemCollector()
    if args.threshold < 1:
        problems.add("<arguments>", "--threshold", "a whole number >= 1", args.threshold)
    if args.n < 1:
        problems.add("<arguments>", "--n", "a whole number >= 1", args.n)
    if not 0 < args.k <= 100:
        problems.add("<arguments>", "--k", "a number above 0 and at most 100", args.k)
    if args.p is not None and not 0 < args.p <= 100:
        problems.add("<arguments>", "--p", "a number above 0 and at most 100", args.p)
    problems.raise_if_any()


def _handle(args: argparse.Namespace) -> int:
    from evaluation.analysis.firms.panel import validate_panel, validate_register_columns
    from evaluation.io.atomic import write_atomically
    from evaluation.io.firm_panel import read_firm_panel

    _problems(args)
    panel = read_firm_panel(Path(args.panel))
    validate_register_columns(panel)  # organisation numbers (Luhn), SNI and municipality codes: bad input, exit 2
    validate_panel(panel, file=str(panel.attrs.get("file", "<panel>")))  # counts >= 0, one start year per firm, ...
    document = build_aggregates(panel, args.threshold, args.n, args.k, args.p)
    data = (json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False) + "\n").encode("utf-8")
    write_atomically({Path(args.out): data})
    shown = sum(1 for c in document["cells"] if c["shown"])
    print(f"{args.out}: firm-section figures and {shown} of {len(document['cells'])} aggregate cells (threshold {args.threshold}); "
          "no firm rows, ids or names", file=sys.stderr)
    return 0


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation firm-aggregates PANEL --out FILE [--threshold N] [--n N --k K | --p P]``."""
    parser = subparsers.add_parser(
        "firm-aggregates",
        help="run the firm analysis where the register data live and write only disclosure-checked aggregates",
        description=("Run the firm section's analyses on a firm panel (the columns of a project's firms table) and write "
                     "one JSON file with only disclosure-checked aggregates: totals, means and counts of at least THRESHOLD "
                     "firms that no few firms dominate, effect estimates with their standard errors, event-time effects of "
                     "at least THRESHOLD firms. No firm row, id, organisation number or name is written. Put the file in the "
                     "project folder as firm_aggregates.json (instead of firms.csv) and the reports read it."),
        epilog=("example (inside the remote system):\n  evaluation firm-aggregates panel.csv --out firm_aggregates.json "
                "--threshold 5\nthen, outside:\n  cp firm_aggregates.json data/myproj/ && evaluation report params/myproj_final.yaml"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("panel", metavar="PANEL", help="the firm panel: a CSV or Excel file with the firms table's columns")
    parser.add_argument("--out", "-o", metavar="FILE", required=True, help="the aggregates file to write (JSON)")
    parser.add_argument("--threshold", type=int, default=5,
                        help="smallest number of firms a figure may rest on (default 5; at least the project's min_cell)")
    parser.add_argument("--n", type=int, default=2, help="dominance rule: the n largest firms ... (default 2)")
    parser.add_argument("--k", type=float, default=85.0, help="... may make up at most k %% of a total (default 85)")
    parser.add_argument("--p", type=float, default=None, help="use the p %% rule with this p instead of the (n, k) rule")
    parser.set_defaults(func=_handle)
    return parser
