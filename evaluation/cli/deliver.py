"""``evaluation deliver PARAMS_FILE`` and ``evaluation verify REPORT``: delivered reports stay as delivered.

See :mod:`evaluation.run.delivery` (what a delivery records and why a delivered report is never
overwritten) and :mod:`evaluation.run.verify` (re-running a report and comparing it byte for byte).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["add_cli"]


def _deliver(args: argparse.Namespace) -> int:
    from evaluation.core import settings
    from evaluation.run.delivery import deliver
    from evaluation.run.files import shown_path

    with settings.use(**({"reports_dir": args.reports_dir} if args.reports_dir is not None else {})):
        done = deliver(args.params_file, supersede=args.supersede)
    files = ", ".join(sorted(done.files))
    print(f"{done.manifest['project']} {done.manifest['kind']}: delivered ({files}) to {shown_path(done.folder)}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from evaluation.core import settings
    from evaluation.run.verify import verify

    with settings.use(**({"reports_dir": args.reports_dir} if args.reports_dir is not None else {})):
        result = verify(args.report)
    for line in result.lines():
        print(line)
    return 0 if result.ok else 1


def add_cli(subparsers: Any) -> None:
    """Register ``evaluation deliver`` and ``evaluation verify``."""
    p = subparsers.add_parser(
        "deliver",
        help="mark a report delivered: copy its files and record what it was made from",
        description=("Copy the current report of PARAMS_FILE to deliveries/<project>/<kind>/ with a manifest.json "
                     "recording the parameters, every file's sha256, every input's sha256, the package versions and "
                     "the code commit. The report must be up to date with its inputs. Afterwards `evaluation report` "
                     "and `batch` skip it unless given --supersede."),
        epilog="examples:\n  evaluation deliver params/hso_midterm.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("params_file", metavar="PARAMS_FILE", type=Path, help="params/<project>_<kind>.yaml")
    p.add_argument("--supersede", action="store_true", help="deliver again; the earlier delivery is kept beside it")
    p.add_argument("--reports-dir", type=Path, default=None, metavar="DIR", help="where the report was written")
    p.set_defaults(func=_deliver)
    v = subparsers.add_parser(
        "verify",
        help="re-run a report from its recorded inputs and compare every file byte for byte",
        description=("Re-run REPORT (a parameter file, or reports/<project>/<kind>) from the parameters recorded at "
                     "delivery (or from its parameter file) into a scratch folder, compare every file byte for byte "
                     "with the delivered (or current) one, and name what changed since: inputs, parameter file, "
                     "notebook, code, package versions, commit. Exit 0 when every file matches, 1 when not."),
        epilog="examples:\n  evaluation verify params/hso_midterm.yaml\n  evaluation verify reports/hso/midterm",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    v.add_argument("report", metavar="REPORT", type=Path, help="params/<project>_<kind>.yaml or reports/<project>/<kind>")
    v.add_argument("--reports-dir", type=Path, default=None, metavar="DIR", help="where the report was written")
    v.set_defaults(func=_verify)
