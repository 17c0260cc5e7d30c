"""`coach glossary add|remove|list --team NAME`: a team's own terms and approved words, from the
operator's command line (registered into coach.cli by register()).

    coach glossary add --team Support "Zephyr queue" --plain "repair waiting list"
    coach glossary add --team Support "Acme Sync" --approved
    coach glossary remove --team Support "Zephyr queue"
    coach glossary list --team Support [--json]
"""
from __future__ import annotations

import argparse
import json
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("glossary", help="a team's own terms and approved words")
    commands = parser.add_subparsers(dest="glossary_command", required=True)
    add = commands.add_parser("add", help="add or change a term (with --plain) or an approved word (--approved)")
    add.add_argument("term", help="the word or phrase, as agents write it")
    add.add_argument("--team", required=True, help="the team's name")
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--plain", help="the plain words agents should use instead (up to 8 words)")
    kind.add_argument("--approved", action="store_true", help="a word the team's customers know: never flag it")
    add.add_argument("--explanation", help="one line explaining the term to a customer")
    add.set_defaults(handler=_run_add)
    remove = commands.add_parser("remove", help="remove a term or approved word")
    remove.add_argument("term")
    remove.add_argument("--team", required=True)
    remove.set_defaults(handler=_run_remove)
    listing = commands.add_parser("list", help="list the team's terms and approved words")
    listing.add_argument("--team", required=True)
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=_run_list)


def _run_add(args: argparse.Namespace) -> int:
    from coach.store.db import open_store
    from coach.store.glossary import operator_add

    with open_store().write() as session:
        word = operator_add(session, args.team, args.term, args.plain, args.approved, args.explanation)
    what = f"approved word {word.text!r}" if word.kind == "approved" else f"term {word.text!r} -> {word.plain!r}"
    sys.stdout.write(f"Saved {what} for team {word.team}.\n")
    return 0


def _run_remove(args: argparse.Namespace) -> int:
    from coach.errors import InputError
    from coach.store.db import open_store
    from coach.store.glossary import operator_remove

    with open_store().write() as session:
        removed = operator_remove(session, args.team, args.term)
    if not removed:
        raise InputError(f"{args.term!r} is not in team {args.team}'s list.")
    sys.stdout.write(f"Removed {args.term!r} from team {args.team}.\n")
    return 0


def _run_list(args: argparse.Namespace) -> int:
    from coach.store.db import open_store
    from coach.store.glossary import operator_list

    with open_store().read() as session:
        words = operator_list(session, args.team)
    if args.json:
        json.dump([{"kind": w.kind, "term": w.text, "plain": w.plain, "explanation": w.explanation} for w in words],
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not words:
        sys.stdout.write(f"Team {args.team} has no terms or approved words yet.\n")
    for word in words:
        if word.kind == "approved":
            sys.stdout.write(f"approved  {word.text}\n")
        else:
            sys.stdout.write(f"term      {word.text}  ->  {word.plain}\n")
    return 0
