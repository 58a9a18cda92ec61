"""The ``evaluation`` command (also ``python -m evaluation``).

Sub-commands: ``list`` (example projects), ``validate`` (load a project and report every input
problem), ``check`` (the logic checks of P1), ``report`` (one report), ``batch`` (many reports
in parallel). Exit status: 0 success, 1 a report or a strict check failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from . import __version__
from .errors import EvaluationError


def _cmd_list(args: argparse.Namespace) -> int:
    from .loader import available_projects, load_project

    for pid in available_projects():
        try:
            project = load_project(pid)
        except EvaluationError as err:
            print(f"{pid}\t(invalid: {str(err).splitlines()[0]})")
            continue
        flag = " [illustrativ]" if project.is_illustrative() else ""
        print(f"{pid}\t{project.name}{flag}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .loader import load_project

    status = 0
    for pid in args.projects:
        try:
            project = load_project(pid)
        except EvaluationError as err:  # report it and go on with the next project
            print(f"error: {err}", file=sys.stderr)
            status = max(status, err.exit_code)
            continue
        print(f"{project.id}: ok ({len(project.goal_tree.nodes)} goal-tree nodes, "
              f"{len(project.effect_chain.nodes)} effect-logic nodes, {len(project.indicators)} indicators)")
    return status


def _cmd_check(args: argparse.Namespace) -> int:
    from .checks import check_project, coherence_score, findings_frame
    from .loader import load_project

    from . import fmt

    worst = 0
    documents = []
    for pid in args.projects:
        project = load_project(pid)
        findings = check_project(project)
        coherence = coherence_score(project)
        if args.format == "json":
            payload = {
                "project": project.id,
                "coherence_score": coherence.score,
                "findings": [{"severity": f.severity, "check": f.check, "subject": f.subject, "sv": f.sv, "en": f.en} for f in findings],
            }
            documents.append(payload)
        else:
            label = "röd tråd" if args.lang == "sv" else "coherence"
            print(f"== {project.id}: {project.name} ({label}: {fmt.number(coherence.score, args.lang)})")
            frame = findings_frame(findings, args.lang)
            for row in frame.itertuples(index=False):
                print(f"{row.severity:8} {row.check:32} {row.subject:24} {row.text}")
            if frame.empty:
                print("inga anmärkningar" if args.lang == "sv" else "no findings")
        if args.strict and any(f.severity == "error" for f in findings):
            worst = 1
    if args.format == "json":  # one document: an object for one project, a list for several
        print(json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2, sort_keys=True))
    return worst


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evaluation",
        description="Evaluate regional business-development projects: logic checks, mid-term and final reports, batch runs.",
    )
    parser.add_argument("--version", action="version", version=f"evaluation {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="list the projects under data/", description="List the project folders under data/ with their names.")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("validate", help="load projects and report every input problem",
                       description="Load each project (id or folder) and report every problem in its files at once.")
    p.add_argument("projects", nargs="+", metavar="PROJECT", help="project id (e.g. nis60) or folder")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("check", help="run the logic checks on projects",
                       description="Run the evaluator's logic checks (goal tree, effect logic, indicators, horizontal criteria, economics) and print the findings.")
    p.add_argument("projects", nargs="+", metavar="PROJECT", help="project id (e.g. nis60) or folder")
    p.add_argument("--lang", choices=("sv", "en"), default="sv", help="language of the findings (default sv)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any finding has severity error")
    p.set_defaults(func=_cmd_check)

    from . import report

    report.add_cli(sub)
    try:
        from . import batch
    except ImportError:  # pragma: no cover - batch module is optional during development
        batch = None  # type: ignore[assignment]
    if batch is not None:
        batch.add_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except EvaluationError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
