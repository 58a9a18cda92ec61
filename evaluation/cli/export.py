"""``evaluation export-firms PROJECT``: the participating firms' organisation numbers for a register linkage.

A project hands the funder the list of its participating firms so that their register data
(employees, turnover, value added from Statistics Sweden's registers) can be linked. The list
holds the organisation numbers and nothing else: no names, no firm ids, no outcomes
(:func:`evaluation.analysis.firms.register.export_csv`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_cli"]


def _handle(args: argparse.Namespace) -> int:
    from evaluation.analysis.firms.register import export_csv
    from evaluation.core.errors import InputError, Problem
    from evaluation.io.atomic import write_atomically
    from evaluation.io.loader import load_project

    project = load_project(args.project)
    if project.firms is None:
        raise InputError([Problem(str(project.folder or project.id), "firms", "a firm table with the column org_nr",
                                  "no firm table")])
    data = export_csv(project.firms)
    n = data.count(b"\n") - 1
    if args.output is None:
        sys.stdout.write(data.decode("utf-8"))
    else:
        write_atomically({Path(args.output): data})
        print(f"{project.id}: {n} organisation numbers written to {args.output}", file=sys.stderr)
    return 0


def add_cli(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``evaluation export-firms PROJECT [--output FILE]``."""
    parser = subparsers.add_parser(
        "export-firms",
        help="write the participating firms' organisation numbers for a register linkage",
        description=("Write the organisation numbers of the project's participating firms (the column org_nr of its firm "
                     "table), one per line under the header org_nr, as 10 digits without hyphen: the list a register "
                     "linkage needs, and nothing else (no names, no firm ids, no outcomes). A participating firm without "
                     "a valid organisation number is bad input (exit 2), named by file and row."),
        epilog="examples:\n  evaluation export-firms nis60\n  evaluation export-firms nis60 --output nis60_org_nr.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("project", metavar="PROJECT", help="project id (e.g. nis60) or folder")
    parser.add_argument("--output", "-o", metavar="FILE", default=None, help="write to FILE (default: standard output)")
    parser.set_defaults(func=_handle)
    return parser
