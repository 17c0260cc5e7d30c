"""`coach users add|list`, `coach demo`, `coach db upgrade`: registered into coach.cli by register().

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
