"""`coach users add|list`, `coach demo`, `coach db upgrade`, `coach calibrate import`: registered into coach.cli by register().

Bad input raises CoachError subclasses; coach.cli prints the one-line message and exits with 2.
Passwords come from a hidden prompt (asked twice) or, with --password-stdin, the first line of
standard input; they are never taken as an argument, where they would land in the shell history.
"""
from __future__ import annotations

import argparse
import getpass
import sys

from coach.errors import InputError
from coach.store.models import ROLES

MAX_PASSWORD_BYTES = 1024  # --password-stdin reads one line, and only this far (stdin may be endless)


def register(subparsers: argparse._SubParsersAction) -> None:
    users = subparsers.add_parser("users", help="manage the accounts of the web app")
    users_commands = users.add_subparsers(dest="users_command", required=True)
    add = users_commands.add_parser("add", help="create an account")
    add.add_argument("--name", required=True, help="the person's name as shown to their manager")
    add.add_argument("--email", required=True, help="the address they sign in with")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", help="their team (created if new); a manager sees their teams' people")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input instead of prompting")
    add.set_defaults(handler=_run_users_add)
    listing = users_commands.add_parser("list", help="list every account")
    listing.set_defaults(handler=_run_users_list)

    demo = subparsers.add_parser("demo", help="fill a new database with a demo team and eight weeks of history")
    demo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    demo.add_argument("--weeks", type=int, default=8, help="weeks of history (default 8)")
    demo.set_defaults(handler=_run_demo)

    calibrate = subparsers.add_parser("calibrate", help="compare the coach with your QA reviewers")
    calibrate_commands = calibrate.add_subparsers(dest="calibrate_command", required=True)
    imports = calibrate_commands.add_parser(
        "import", help="import replies with reviewer scores (CSV: reply, reviewer, jargon..security, pass; see README)")
    imports.add_argument("file", help="the reviewer-scores CSV")
    imports.add_argument("--team", help="the team the reviews belong to (needed when there are several)")
    imports.set_defaults(handler=_run_calibrate_import)

    db = subparsers.add_parser("db", help="the history database")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply pending migrations (the app also does this at start)")
    upgrade.set_defaults(handler=_run_db_upgrade)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.buffer.readline(MAX_PASSWORD_BYTES + 1)
        if len(line.rstrip(b"\r\n")) > MAX_PASSWORD_BYTES:
            raise InputError(f"The password on standard input is longer than {MAX_PASSWORD_BYTES} bytes.")
        try:
            password = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise InputError("The password on standard input is not UTF-8 text.") from None
        if not password:
            raise InputError("No password on standard input.")
        return password
    if not sys.stdin.isatty():
        raise InputError("No terminal to ask for the password: pass it on standard input with --password-stdin.")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise InputError("The two passwords differ; nothing was created.")
    return first


def _run_users_add(args: argparse.Namespace) -> int:
    from coach.store import repository
    from coach.store.auth import check_password_strength
    from coach.store.db import open_store

    password = _read_password(args.password_stdin)
    check_password_strength(password)
    store = open_store()
    with store.write() as session:
        user = repository.add_user(session, args.name, args.email, args.role, password, args.team)
        team = f" in team {args.team}" if args.team else ""
        sys.stdout.write(f"Created {user.role} {user.name} <{user.email}>{team}.\n")
    return 0


def _run_users_list(args: argparse.Namespace) -> int:
    from coach.store import repository
    from coach.store.db import open_store

    with open_store().read() as session:
        users = repository.list_all_users(session)
    if not users:
        sys.stdout.write("No accounts yet: create the first manager with "
                         "`coach users add --role manager --name ... --email ...`.\n")
        return 0
    for user in users:
        demo = "  (demo)" if user.is_demo else ""
        sys.stdout.write(f"{user.name:<24} {user.email:<32} {user.role:<8} {', '.join(user.team_names)}{demo}\n")
    return 0


def _run_demo(args: argparse.Namespace) -> int:
    from coach.store.db import database_url, display_url, open_store
    from coach.store.demo import create_demo, refuse_real_workspace

    if args.weeks < 1:
        raise InputError("--weeks must be at least 1.")
    where = display_url(database_url())
    store = open_store()
    refuse_real_workspace(store)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError("Add --yes to create demo data without a prompt.")
        answer = input(f"Add demo accounts and {args.weeks} weeks of demo history to {where}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            sys.stderr.write("No demo data added.\n")
            return 1
    sys.stderr.write("Analysing the demo replies...\n")
    summary = create_demo(store, weeks=args.weeks)
    sys.stdout.write(f"{summary}\nDatabase: {where}\n")
    return 0


def _run_db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from coach.store.db import DatabaseError, current_revision, database_url, make_engine, upgrade

    engine = make_engine(database_url())
    try:
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
    except DBAPIError as exc:
        raise DatabaseError(f"Cannot upgrade the database: {exc.orig}") from None
    finally:
        engine.dispose()
    sys.stdout.write(f"Database at revision {after}" + (" (already up to date).\n" if before == after else
                                                        f" (was {before or 'empty'}).\n"))
    return 0


def _run_calibrate_import(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from coach.calibration_csv import read
    from coach.engine import analyze
    from coach.store import agreement, calibration
    from coach.store.db import open_store
    from coach.store.models import Team

    rows = read(args.file)
    store = open_store()
    with store.read() as session:
        teams = list(session.scalars(select(Team.name).order_by(Team.name)))
    team = args.team or (teams[0] if len(teams) == 1 else None)
    if team is None:
        raise InputError("Say which team the reviews belong to with --team (one of: "
                         f"{', '.join(teams) or 'none yet; create accounts first'}).")
    sys.stderr.write(f"Analysing {len(rows)} replies...\n")
    reports = []
    for row in rows:
        try:
            reports.append(analyze(row.reply, customer_message=row.customer_message, channel=row.channel).to_dict())
        except InputError as error:
            raise InputError(f"{args.file} line {row.line}: {error}") from None
    with store.write() as session:
        count = calibration.import_reviews(session, team, rows, reports)
    frame = agreement.file_frame(rows, reports)
    sys.stdout.write(f"Imported {count} reviewed replies into team {team}.\n")
    sys.stdout.write(_agreement_lines(agreement.per_dimension(frame), agreement.pass_fail(frame)))
    return 0


def _agreement_lines(per_dimension, pass_fail: dict) -> str:
    import pandas as pd

    lines = ["Coach vs reviewers in this file:"]
    for row in per_dimension.to_dict("records"):
        if not row["replies"]:
            continue
        correlation = "n/a" if pd.isna(row["correlation"]) else f"{row['correlation']:+.2f}"
        lines.append(f"  {row['dimension'].capitalize():<12} {row['replies']:>5} replies  correlation "
                     f"{correlation:>5}  coach minus reviewer {row['mean difference']:+.1f}")
    if pass_fail["replies"]:
        lines.append(f"  Pass/fail agree on {pass_fail['agreement']:.0%} of {pass_fail['replies']} replies.")
    return "\n".join(lines) + "\n"
