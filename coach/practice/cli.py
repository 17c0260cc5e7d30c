"""`coach scenarios validate|list` and `coach practice SCENARIO_ID` (registered by coach/cli.py).

Errors are CoachError subclasses: coach/cli.py prints them as one line and exits with status 2.
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TextIO

from coach.errors import InputError
from coach.practice.debrief import Debrief
from coach.practice.engine import PracticeSession, run_scripted
from coach.practice.turns import TurnResult
from coach.practice.scenarios import Scenario, ScenarioLibrary, load_library
from coach.textprep import decode_bytes, read_file_bytes

EXIT_BROKEN = 2
WIDTH = 88


def register(subparsers: argparse._SubParsersAction) -> None:
    scenarios = subparsers.add_parser("scenarios", help="check or list the practice scenarios")
    actions = scenarios.add_subparsers(dest="scenarios_command", required=True)
    validate = actions.add_parser("validate", help="check every scenario file; exit 2 when one is broken")
    validate.set_defaults(handler=_run_validate)
    listing = actions.add_parser("list", help="list the scenarios")
    listing.set_defaults(handler=_run_list)
    for parser in (validate, listing):
        parser.add_argument("--dir", type=Path, help="scenario folder (default: scenarios/, or $COACH_SCENARIOS_DIR)")

    practice = subparsers.add_parser("practice", help="play a practice scenario in the terminal")
    practice.add_argument("scenario", metavar="SCENARIO_ID", help="see `coach scenarios list`")
    practice.add_argument("--replies", metavar="FILE.json", help="a JSON list of replies to play in order")
    practice.add_argument("--json", action="store_true", help="print the whole run as JSON")
    practice.add_argument("--coaching", action="store_true", help="show live coaching after each reply")
    practice.add_argument("--dir", type=Path, help="scenario folder (default: scenarios/, or $COACH_SCENARIOS_DIR)")
    practice.set_defaults(handler=_run_practice)


def _run_validate(args: argparse.Namespace) -> int:
    library = load_library(args.dir)
    problems = library.problems()
    for line in problems:
        sys.stdout.write(line + "\n")
    if problems:
        sys.stderr.write(f"{len(library.broken)} of {len(library.broken) + len(library.scenarios)} "
                         f"scenario files are broken.\n")
        return EXIT_BROKEN
    sys.stdout.write(f"OK: {len(library.scenarios)} scenarios valid in {library.directory}\n")
    return 0


def _run_list(args: argparse.Namespace) -> int:
    library = load_library(args.dir)
    width = max((len(i) for i in library.scenarios), default=2)
    for scenario in library.scenarios.values():
        persona = scenario.persona
        sys.stdout.write(f"{scenario.id:<{width}}  {'*' * scenario.difficulty:<3}  {scenario.channel:<5}  "
                         f"{scenario.title} ({persona.name}, {persona.mood})\n")
    for broken in library.broken:
        sys.stdout.write(f"BROKEN {broken.name}: {len(broken.problems)} problem(s); "
                         f"run `coach scenarios validate`\n")
    return 0


def read_replies(source: str) -> list[str]:
    """A JSON list of non-empty reply strings from a file, or InputError saying what is wrong."""
    try:
        replies = json.loads(decode_bytes(read_file_bytes(source), source))
    except json.JSONDecodeError as exc:
        raise InputError(f"{source}: not valid JSON (line {exc.lineno}: {exc.msg}).") from None
    if not isinstance(replies, list) or not replies:
        raise InputError(f"{source}: must be a JSON list of reply strings, e.g. [\"Hi Dan, ...\"].")
    for index, reply in enumerate(replies):
        if not isinstance(reply, str) or not reply.strip():
            raise InputError(f"{source}: item {index} must be a non-empty string.")
    return replies


def _block(label: str, text: str) -> str:
    lines = [textwrap.fill(line, WIDTH, initial_indent="    ", subsequent_indent="    ") if line.strip() else ""
             for line in text.splitlines()]
    return f"{label}\n" + "\n".join(lines) + "\n"


def render_turn(turn: TurnResult, coaching: bool) -> str:
    overall = "n/a" if turn.report.overall is None else f"{turn.report.overall:.0f}/100"
    out = [f"  [turn {turn.number}: {turn.outcome}, overall {overall}]"]
    if coaching:
        for goal in turn.goals:
            mark = "met" if goal.met else "missed"
            quotes = ", ".join(f'"{text}"' for text in goal.shown_quotes())
            out.append(f"    goal {mark}: {goal.goal.text}" + (f" ({quotes})" if quotes else ""))
        for suggestion in turn.coaching:
            out.append(f"    coach: {suggestion.title}: {suggestion.detail}")
    return "\n".join(out) + "\n"


def render_debrief(debrief: Debrief) -> str:
    out = ["", "=" * WIDTH, f"Debrief: {debrief.title}", "=" * WIDTH]
    if not debrief.completed:
        out.append("(stopped before the end of the scenario)")
    for turn in debrief.turns:
        scores = ", ".join(f"{k} {v:.0f}" for k, v in turn.report.scores.items() if v is not None)
        overall = "n/a" if turn.report.overall is None else f"{turn.report.overall:.0f}"
        out.append(f"Turn {turn.number}: {turn.outcome:<8} overall {overall}  ({scores})")
    average = debrief.average_overall
    out.append(f"Average overall: {'n/a' if average is None else f'{average:.0f}'}; "
               f"goals met: {debrief.goals_met} of {len(debrief.goals)}")
    out.append("")
    out.append("Goals:")
    for summary in debrief.goals:
        mark = {True: "[x]", False: "[ ]", None: "[-]"}[summary.met]
        out.append(f"  {mark} {summary.goal.text}")
        for result in summary.results:
            quotes = ", ".join(f'"{text}"' for text in result.shown_quotes())
            if quotes:
                out.append(f"        turn {result.turn}: {quotes}")
            if not result.met:
                out.extend(f"        turn {result.turn}: {note}" for note in result.notes)
        if summary.met is None:
            out.append("        not reached")
        elif not summary.met and summary.goal.tip:
            out.append(f"        tip: {summary.goal.tip}")
    if debrief.practice:
        out.append("")
        out.append("Practise next:")
        for index, point in enumerate(debrief.practice, 1):
            example = f' (e.g. turn {point.example_turn}: "{point.example}")' if point.example else ""
            out.append(f"  {index}. {point.title}{example}")
            if point.advice:
                out.append(f"     {point.advice}")
    if debrief.comparison:
        out.append("")
        out.append(debrief.comparison_text())
    return "\n".join(out) + "\n"


def read_reply(stream: TextIO, out: TextIO) -> str | None:
    """Lines until a blank line (after some text) or end of input; None at end of input with no text."""
    out.write("Your reply (finish with a blank line, or Ctrl-D):\n")
    out.flush()
    lines: list[str] = []
    for line in stream:
        if not line.strip():
            if lines:
                break
            continue
        lines.append(line.rstrip("\n"))
    return "\n".join(lines) if lines else None


def render_brief(scenario: Scenario) -> str:
    """The trainee's brief: who, the situation, what they may say and offer, what not to do, the goals."""
    persona, brief = scenario.persona, scenario.brief
    out = [f"{scenario.title}  ({scenario.channel}, difficulty {scenario.difficulty}/3)",
           f"Customer: {persona.name}" + (f", {persona.role}" if persona.role else "") +
           f". Cares about: {persona.cares_about}", "", textwrap.fill(brief.situation, WIDTH), ""]
    for heading, items in (("Facts you may give", brief.facts), ("You may offer", brief.offers),
                           ("Do not", brief.must_not), ("Goals", tuple(g.text for g in scenario.goals))):
        out.append(f"{heading}:")
        out += [textwrap.fill(item, WIDTH, initial_indent="  - ", subsequent_indent="    ") for item in items]
    return "\n".join(out) + "\n\n"


def _interactive(library: ScenarioLibrary, scenario_id: str, coaching: bool) -> Debrief:
    scenario = library.get(scenario_id)
    session = PracticeSession(scenario)
    persona = scenario.persona
    out = sys.stdout
    out.write(render_brief(scenario))
    while not session.finished:
        out.write(_block(f"{persona.first_name} (customer):", session.current_message))
        reply = read_reply(sys.stdin, out)
        if reply is None:
            break
        try:
            turn = session.reply(reply)
        except InputError as error:
            out.write(f"  {error}\n")
            continue
        out.write(render_turn(turn, coaching))
    if session.closing_message:
        out.write(_block(f"{persona.first_name} (customer):", session.closing_message))
    return session.debrief()


def _run_practice(args: argparse.Namespace) -> int:
    library = load_library(args.dir)
    if args.replies is None and args.json:
        raise InputError("--json needs --replies FILE.json (a scripted run).")
    if args.replies is None:
        sys.stdout.write(render_debrief(_interactive(library, args.scenario, args.coaching)))
        return 0
    scenario = library.get(args.scenario)
    session = run_scripted(scenario, read_replies(args.replies))
    debrief = session.debrief()
    if args.json:
        payload = {"scenario": scenario.id, "turns": [t.to_dict() for t in session.turns],
                   "closing": session.closing_message, "debrief": debrief.to_dict()}
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    persona = scenario.persona
    sys.stdout.write(render_brief(scenario))
    for turn in session.turns:
        sys.stdout.write(_block(f"{persona.first_name} (customer):", turn.customer))
        sys.stdout.write(_block("You:", turn.reply))
        sys.stdout.write(render_turn(turn, args.coaching))
    if session.closing_message:
        sys.stdout.write(_block(f"{persona.first_name} (customer):", session.closing_message))
    sys.stdout.write(render_debrief(debrief))
    return 0
