"""The `coach` command. Front end only: it reads input, calls coach.engine and prints.

Bad input exits with status 2 and one clear line on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from coach.errors import CoachError, InputError
from coach.practice import cli as practice_cli
from coach.store import cli as store_cli
from coach.store import glossary_cli
from coach.textprep import decode_bytes, read_file_bytes

EXIT_BAD_INPUT = 2


def read_text_arg(source: str) -> str:
    """Read a reply from a file path or '-' (stdin)."""
    if source == "-":
        return decode_bytes(sys.stdin.buffer.read(), "standard input")
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
    parser.add_argument("--team", metavar="NAME", help="apply this team's own terms and approved words (coach glossary)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (coach.report/1)")
    parser.add_argument("--all", action="store_true", help="show every suggestion, not just the top 3")
    parser.add_argument("--revise", action="store_true", help="print the draft with the suggested rewrites applied")
    parser.set_defaults(handler=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from coach.cli_output import render_report
    from coach.engine import analyze
    from coach.feedback import apply_suggestions

    text = read_text_arg(args.file)
    customer = read_text_arg(args.customer) if args.customer else None
    history = read_history_file(args.history) if args.history else None
    team = None
    if args.team:
        from coach.store.db import open_store
        from coach.store.glossary import operator_team_settings

        with open_store().read() as session:
            team = operator_team_settings(session, args.team)
    report = analyze(text, customer_message=customer, audience=args.audience, channel=args.channel,
                     history=history, team=team)
    if args.revise:
        sys.stdout.write(apply_suggestions(report).rstrip("\n") + "\n")
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
    parser.set_defaults(handler=_run_batch)


def _run_batch(args: argparse.Namespace) -> int:
    import os

    from coach.batch import score_csv

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
                        progress=not args.no_progress, workers=workers)
    sys.stderr.write(f"{summary}\n")
    return 0


def _add_eval(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="measure the coach against human judgements")
    parser.add_argument("--set", action="append", dest="sets", metavar="NAME",
                        help="only this set (repeatable): precision, or a suite name")
    parser.add_argument("--out", metavar="FILE", help="where to write the figures (default eval/results/latest.json)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(handler=_run_eval)


def _run_eval(args: argparse.Namespace) -> int:
    from coach.evaluation import RESULTS_FILE, render, run_eval, write_results

    results = run_eval(only=args.sets)
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
    # Commands that live with their feature: practice (scenarios, practice) and store (users, demo, db).
    practice_cli.register(subparsers)
    store_cli.register(subparsers)
    glossary_cli.register(subparsers)
    return parser


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
        return 0


if __name__ == "__main__":
    sys.exit(main())
