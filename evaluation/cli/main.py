"""The ``evaluation`` command (also ``python -m evaluation``).

Sub-commands: ``list`` (example projects), ``validate`` (load a project and report every input
problem), ``check`` (the logic checks of P1), ``report`` (one report), ``batch`` (many reports
in parallel). Exit status: 0 success, 1 a report or a strict check failed, 2 bad input.

This is the toolkit's entry point: :func:`main` reads the environment once into
:class:`~evaluation.core.settings.Settings` (``EVALUATION_HOME``, ``EVALUATION_TRACEBACK``; the
``--traceback`` option too) and runs the sub-command with those settings current.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING

from evaluation import __version__
from evaluation.core import settings
from evaluation.core.errors import EvaluationError
from evaluation.core.i18n import DEFAULT_LANGUAGE, SOURCE_LANGUAGE, Language, languages, ptext, text
from evaluation.core.settings import Settings

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _cmd_list(args: argparse.Namespace) -> int:
    from evaluation.io.loader import available_projects, load_project

    for pid in available_projects():
        try:
            project = load_project(pid)
        except EvaluationError as err:
            print(f"{pid}\t(invalid: {str(err).splitlines()[0]})")
            continue
        illustrative = ptext(DEFAULT_LANGUAGE, "project list", "illustrative")
        flag = f" [{illustrative}]" if project.is_illustrative() else ""
        print(f"{pid}\t{project.name}{flag}")
    return 0


def _traceback_wanted(args: argparse.Namespace) -> bool:
    """``--traceback`` given, or EVALUATION_TRACEBACK set to something other than 0 (see :func:`main`)."""
    return bool(getattr(args, "traceback", False)) or settings.current().traceback


def _language_choices() -> tuple[Language, ...]:
    """The report languages, the default first, then English, then the others."""
    return tuple(sorted(languages(), key=lambda x: (x != DEFAULT_LANGUAGE, x != SOURCE_LANGUAGE, x)))


def _severity_labels(lang: Language) -> dict[str, str]:
    return {"error": ptext(lang, "severity", "error"), "warning": ptext(lang, "severity", "warning"),
            "info": ptext(lang, "severity", "info")}


def _column_labels(lang: Language) -> dict[str, str]:
    """The columns of the findings and rules tables in ``lang`` (the frames name them in English)."""
    return {
        "severity": ptext(lang, "table column", "severity"),
        "check": ptext(lang, "table column", "check"),
        "subject": ptext(lang, "table column", "subject"),
        "text": ptext(lang, "table column", "text"),
        "default": ptext(lang, "table column", "default"),
        "project": ptext(lang, "table column", "project"),
        "action": ptext(lang, "table column", "action"),
        "why": ptext(lang, "table column", "why"),
    }


def _cmd_validate(args: argparse.Namespace) -> int:
    from evaluation.analysis.firms.panel import validate_register_columns
    from evaluation.io.loader import load_project

    status = 0
    for pid in args.projects:
        try:
            project = load_project(pid)
            if project.firms is not None:
                validate_register_columns(project.firms)  # organisation numbers (Luhn), SNI, municipality codes
        except EvaluationError as err:  # report it and go on with the next project
            if _traceback_wanted(args):
                traceback.print_exc()
            print(f"error: {err}", file=sys.stderr)
            status = max(status, err.exit_code)
            continue
        print(f"{project.id}: ok ({len(project.goal_tree.nodes)} goal-tree nodes, "
              f"{len(project.effect_chain.nodes)} effect-logic nodes, {len(project.indicators)} indicators)")
    return status


def _terminal_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """A DataFrame as a plain-text table whose last column wraps to the terminal's width."""
    import shutil
    import textwrap

    width = width or shutil.get_terminal_size((120, 24)).columns
    cols = list(frame.columns)
    cells = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max([len(str(c))] + [len(r[i]) for r in cells]) for i, c in enumerate(cols[:-1])]
    lead = sum(widths) + 2 * len(widths)
    last = max(30, width - lead)
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(cols[:-1], widths)) + "  " + str(cols[-1])]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * min(last, max(len(str(cols[-1])), 4)))
    for row in cells:
        wrapped = textwrap.wrap(row[-1], last) or [""]
        lines.append("  ".join(v.ljust(w) for v, w in zip(row[:-1], widths)) + "  " + wrapped[0])
        lines += [" " * lead + more for more in wrapped[1:]]
    return "\n".join(lines)


def _cmd_check(args: argparse.Namespace) -> int:
    from evaluation.core import fmt
    from evaluation.io.loader import load_project
    from evaluation.review import completeness
    from evaluation.review.checks import check_project, findings_frame
    from evaluation.review.coherence import coherence_score

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
                "findings": [{"severity": f.severity, "check": f.check, "subject": f.subject, "sv": f.text("sv"),
                              "en": f.text("en")} for f in findings],
                "missing": {kind: [{"kind": m.kind, "subject": m.subject, "sv": m.text("sv"), "en": m.text("en")}
                                   for m in completeness.for_report(project, kind, completeness.default_as_of(project, kind))]
                            for kind in ("midterm", "final")},
            }
            documents.append(payload)
        else:
            label = ptext(args.lang, "check heading", "coherence")
            print(f"== {project.id}: {project.name} ({label}: {fmt.number(coherence.score, args.lang)})")
            frame = findings_frame(findings, args.lang)
            if frame.empty:
                print(ptext(args.lang, "check table", "no findings"))
            else:
                frame = frame.assign(severity=frame["severity"].map(_severity_labels(args.lang)))
                frame.columns = [_column_labels(args.lang).get(c, c) for c in frame.columns]
                print(_terminal_table(frame))
            stops = sum(1 for f in findings if f.severity == "error")
            if stops:
                print(text(args.lang, "{n} finding(s) stop the report (see evaluation rules {project})",
                           n=stops, project=project.id))
            print("\n".join(completeness.check_lines(project, args.lang)))  # what the evaluator still has to write
        if any(f.severity == "error" for f in findings) or (args.strict and any(f.severity == "warning" for f in findings)):
            worst = 1
    if args.format == "json":  # one document: an object for one project, a list for several
        print(json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2, sort_keys=True))
    return worst


def _cmd_rules(args: argparse.Namespace) -> int:
    from evaluation.io.loader import load_project
    from evaluation.review.rules import rules_frame

    project = load_project(args.project) if args.project else None
    frame = rules_frame(project, args.lang)
    frame.columns = [_column_labels(args.lang).get(c, c) for c in frame.columns]
    print(_terminal_table(frame))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evaluation",
        description="Evaluate regional business-development projects: logic checks, mid-term and final reports, batch runs.",
    )
    parser.add_argument("--version", action="version", version=f"evaluation {__version__}")
    parser.add_argument("--traceback", action="store_true",
                        help="show the Python traceback of an error (also EVALUATION_TRACEBACK=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("list", help="list the projects under data/", description="List the project folders under data/ with their names.",
                       epilog="example:\n  evaluation list", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("validate", help="load projects and report every input problem",
                       description="Load each project (id or folder) and report every problem in its files at once, "
                                   "without running a report.",
                       epilog="examples:\n  evaluation validate nis60\n  evaluation validate nis60 hso data/myproject",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("projects", nargs="+", metavar="PROJECT", help="project id (e.g. nis60) or folder")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("check", help="run the logic checks on projects",
                       description="Run the evaluator's logic checks (goal tree, effect logic, indicators, horizontal criteria, "
                                   "economics, firm tables, dates, duplicates) and print the findings as a table. Exit 1 when a "
                                   "finding's rule is stop (see evaluation rules).",
                       epilog="examples:\n  evaluation check nis60\n  evaluation check hso --lang en --format json",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("projects", nargs="+", metavar="PROJECT", help="project id (e.g. nis60) or folder")
    p.add_argument("--lang", choices=_language_choices(), default=DEFAULT_LANGUAGE,
                   help=f"language of the findings (default {DEFAULT_LANGUAGE})")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (default table)")
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too (findings whose rule is stop always give exit 1)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("rules", help="show which findings stop a report and which only warn",
                       description="Show the rule of every check: its default action (stop, warn, note, off), the project's own "
                                   "setting from 'rules:' in project.yaml, the action that applies and why.",
                       epilog="example:\n  evaluation rules nis60\n\nchange a rule in data/<id>/project.yaml:\n  rules:\n    firm_total_mismatch: stop",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("project", nargs="?", metavar="PROJECT", help="project id or folder (default: only the defaults)")
    p.add_argument("--lang", choices=_language_choices(), default=DEFAULT_LANGUAGE,
                   help=f"language of the table (default {DEFAULT_LANGUAGE})")
    p.set_defaults(func=_cmd_rules)

    from evaluation.authoring import scaffold, workbook
    from evaluation.cli import deliver, export, firm_aggregates
    from evaluation.run import batch, report

    export.add_cli(sub)
    deliver.add_cli(sub)
    firm_aggregates.add_cli(sub)
    report.add_cli(sub)
    scaffold.add_cli(sub)
    workbook.add_cli(sub)
    batch.add_cli(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``evaluation`` command with ``argv`` (default ``sys.argv[1:]``); return its exit status.

    The environment is read here, once, into the settings the sub-command runs with.
    """
    from evaluation.run.startup import leave_out_unused_imports

    leave_out_unused_imports()  # before the sub-commands import nbformat (about 1 s saved)
    parser = build_parser()
    args = parser.parse_args(argv)
    config = Settings.from_environ(os.environ)
    if args.traceback:
        config = config.replace(traceback=True)
    with settings.use(config):
        return _run(args, config.traceback)


def _run(args: argparse.Namespace, show_traceback: bool) -> int:
    """The sub-command of ``args``; every error becomes one message and an exit status."""
    try:
        return int(args.func(args))
    except EvaluationError as err:
        if show_traceback:
            traceback.print_exc()
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug, not bad input: say so plainly, trace on request
        if show_traceback:
            traceback.print_exc()
        print(f"internal error: {type(err).__name__}: {err}\n"
              "This is a fault in the toolkit, not in your data; please report it with the output of "
              "the same command run with --traceback.", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
