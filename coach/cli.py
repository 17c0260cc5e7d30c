"""The `coach` command. Front end only: it reads input, calls coach.engine and prints.

Bad input exits with status 2 and one clear line on stderr, never a traceback: a CoachError, a
file the system cannot read or write (OSError), or a database that cannot be used. Ctrl-C stops
with status 130 and one line, whatever is running (batch workers included).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from coach.errors import CoachError, InputError
from coach.practice import cli as practice_cli
from coach.server import cli as server_cli
from coach.store import cli as store_cli
from coach.store import glossary_cli
from coach.textprep import decode_bytes, read_file_bytes, read_limited

if TYPE_CHECKING:
    from coach.report import Report

EXIT_BAD_INPUT = 2


def read_text_arg(source: str) -> str:
    """Read a reply from a file path or '-' (stdin)."""
    if source == "-":
        return decode_bytes(read_limited(sys.stdin.buffer, "Standard input"), "standard input")
    return decode_bytes(read_file_bytes(source), source)


def read_history_file(source: str) -> list[object]:
    """The --history file: a JSON list of turns (validated by analyze())."""
    try:
        history = json.loads(read_text_arg(source))
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON ({exc.msg}, line {exc.lineno}).") from None
    if not isinstance(history, list):
        raise InputError(f'{source}: expected a JSON list of {{"role": ..., "text": ...}} turns.')
    return history


def _add_check(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="check one draft reply")
    parser.add_argument("file", nargs="?", default="-", help="reply text file, or - for stdin (default)")
    parser.add_argument("--customer", metavar="FILE", help="the customer's message the reply answers")
    parser.add_argument("--audience", choices=("non-technical", "technical"),
                        help="who reads the reply (inferred from --customer when not given)")
    parser.add_argument("--channel", choices=("email", "chat"),
                        help="where the reply is sent (inferred from the reply when not given)")
    parser.add_argument("--history", metavar="FILE",
                        help='the conversation so far: a JSON list of {"role": "customer"|"agent", "text": ...}, '
                             "oldest first, not counting --customer")
    parser.add_argument("--team", metavar="NAME",
                        help="apply this team's own terms and approved words (coach glossary) and the rules its "
                             "managers turned off or down to hints")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (coach.report/1)")
    parser.add_argument("--all", action="store_true", help="show every suggestion, not just the top 3")
    parser.add_argument("--revise", action="store_true",
                        help="print the draft with every suggested change applied; facts only you know are "
                             "left as [placeholders] to fill in")
    parser.add_argument("--accept", metavar="ID,...",
                        help="print the draft with only these changes applied (ids as listed by `coach check`; "
                             "a rule id takes all of its changes); implies --revise")
    parser.add_argument("--agent-name", metavar="NAME", help="your name, written in place of [your name]")
    parser.set_defaults(handler=_run_check)


def _accepted_ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    ids = [part.strip() for part in value.split(",") if part.strip()]
    if not ids:
        raise InputError("--accept needs at least one suggestion id, e.g. --accept empathy.no-apology")
    return ids


def _print_revision(report: Report, ids: list[str] | None, agent_name: str | None) -> None:
    """The revised draft on stdout (nothing else, so it can be piped); on stderr, the changes
    applied, what they replaced, and which placeholders are left to fill in."""
    from coach import placeholders
    from coach.feedback import apply_suggestions

    known = {"your name": agent_name} if agent_name else None
    revised = apply_suggestions(report, ids=ids, known=known)
    sys.stdout.write(revised.rstrip("\n") + "\n")
    sys.stdout.flush()
    applied = [(suggestion, change) for suggestion in report.suggestions for change in suggestion.changes
               if ids is None or change.id in ids or suggestion.id in ids]
    if applied:
        sys.stderr.write("coach: applied " + ", ".join(change.id for _, change in applied) + "\n")
    for _, change in applied:
        if change.note:
            sys.stderr.write(f"coach: {change.note}\n")
    left = dict.fromkeys(finding.text for finding in placeholders.find(revised))
    if left:
        sys.stderr.write("coach: fill in before sending: " + ", ".join(left) + "\n")


def _run_check(args: argparse.Namespace) -> int:
    from coach.cli_output import render_report
    from coach.engine import analyze

    accepted = _accepted_ids(args.accept)
    text = read_text_arg(args.file)
    customer = read_text_arg(args.customer) if args.customer else None
    history = read_history_file(args.history) if args.history else None
    team = None
    if args.team:
        from coach.store.db import open_store
        from coach.store.rules import team_settings_of

        with open_store().read() as session:
            team = team_settings_of(session, args.team)
    report = analyze(text, customer_message=customer, audience=args.audience, channel=args.channel,
                     history=history, team=team)
    if args.revise or accepted is not None:
        _print_revision(report, accepted, args.agent_name)
    elif args.json:
        json.dump(report.to_dict(all_suggestions=args.all), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_report(report, all_suggestions=args.all))
    return 0


def _add_batch(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("batch", help="score a CSV of replies")
    parser.add_argument("input", help="CSV file with one reply per row")
    parser.add_argument("--text-column", required=True, help="column holding the reply")
    parser.add_argument("--customer-column", help="column holding the customer's message")
    parser.add_argument("--audience", choices=("non-technical", "technical"))
    parser.add_argument("--out", help="output CSV (default: INPUT.scored.csv)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run on a Dask cluster (e.g. tcp://10.0.0.5:8786); INPUT may then be a folder or glob "
                             "of CSV/Parquet files and --out a folder")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes to use (default 1; 0 = one per CPU core)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parser.add_argument("--restart", action="store_true",
                        help="score from the first row even if --out holds an earlier run (of this or another input)")
    parser.set_defaults(handler=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    import os

    from coach.batch import score_csv

    if args.workers < 0:
        raise InputError("--workers must be 0 (one per CPU core) or more.")
    workers = args.workers if args.workers > 0 else (os.cpu_count() or 1)
    if args.scheduler:
        from coach.distributed import score_on_dask

        out = Path(args.out) if args.out else Path(args.input.rstrip("/*")).with_suffix(".scored")
        summary = score_on_dask(args.input, out, args.text_column, args.customer_column, args.audience,
                                args.scheduler, progress=not args.no_progress)
        sys.stderr.write(f"{summary}\n")
        return 0
    out = Path(args.out) if args.out else Path(args.input).with_suffix(".scored.csv")
    summary = score_csv(Path(args.input), out, text_column=args.text_column,
                        customer_column=args.customer_column, audience=args.audience,
                        progress=not args.no_progress, workers=workers, restart=args.restart)
    sys.stderr.write(f"{summary}\n")
    return 0


def _add_eval(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="measure the coach against human judgements")
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME",
                        help="only this set (repeatable): precision, or a suite name")
    parser.add_argument("--out", metavar="FILE", help="where to write the figures (default eval/results/latest.json)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--qa", metavar="FILE.csv", type=Path,
                        help="also measure agreement with your team's QA reviewers: replies with their scores, in "
                             "the `coach calibrate import` format (sets qa-<skill>, qa-pass-fail; `--set qa` "
                             "for only these)")
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from coach.evaluation import RESULTS_FILE, render, run_eval, write_results

    extra = None
    if args.qa is not None:
        from coach.evaluation.qa import SET_PREFIX, qa_runner

        extra = {SET_PREFIX: qa_runner(args.qa)}
    results = run_eval(only=args.sets, extra=extra)
    path = write_results(results, Path(args.out) if args.out else RESULTS_FILE)
    if args.json:
        json.dump(results, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(results))
        sys.stdout.write(f"Figures written to {path}\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Support Coach: coaching for support replies.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_check(subparsers)
    _add_batch(subparsers)
    _add_eval(subparsers)
    # Commands that live with their feature: practice (scenarios, practice), store (users, demo, db), server (serve).
    practice_cli.register(subparsers)
    store_cli.register(subparsers)
    server_cli.register(subparsers)
    glossary_cli.register(subparsers)
    return parser


def _database_error(exc: Exception) -> bool:
    """Is `exc` an SQLAlchemy error (checked without importing SQLAlchemy for commands that never load it)?"""
    sqlalchemy_exc = sys.modules.get("sqlalchemy.exc")
    return sqlalchemy_exc is not None and isinstance(exc, sqlalchemy_exc.SQLAlchemyError)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CoachError as exc:
        sys.stderr.write(f"coach: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("coach: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`coach check | head`): stop quietly, and keep Python's exit from
        # failing again on the closed stdout.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a file the user named: unreadable, unwritable, disk full...
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"coach: {where}{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT
    except Exception as exc:
        if not _database_error(exc):
            raise
        sys.stderr.write(f"coach: the database cannot be used ({' '.join(str(getattr(exc, 'orig', exc)).split())})\n")
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
