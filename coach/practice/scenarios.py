"""Scenario files (scenarios/*.yaml): loading and validation.

A scenario is data, not code. Its shape:

    id: third-outage-this-week          # must equal the file name without .yaml
    title: The same fault, a third time
    difficulty: 2                       # 1 (gentle) to 3 (hard)
    channel: email                      # email | chat
    persona:
      name: Dan Okafor
      technical_level: low              # low | medium | high (coach/data/practice.yaml maps it to an audience)
      mood: upset                       # calm | upset | anxious: the mood at the start
      cares_about: Keeping his café's card machine working on a Saturday
      role: Owner of a small café       # optional
    opening: |                          # the customer's first message
      ...
    goals:                              # what a good reply does (see coach/practice/goals.py)
      - id: acknowledge-repeat
        text: Acknowledge that this is the third time
        at_turns: [1]                   # 1-based reply numbers; default: every turn
        expect: {evidence: [empathy.acknowledgement], patterns: ["\\bthird\\b", "@time-frame"], name: false}
        avoid: {findings: [security.asks-for-password], patterns: []}
        scores: {jargon: 70}            # minimum dimension scores
        on_miss: cold                   # optional: the outcome a miss leads to (unsafe | jargon | cold |
                                        # vague); without it a miss shows in the debrief only
        tip: Name it - "This is the third time this week, and that isn't good enough."   # optional
    turns:                              # 2 to 5 replies the trainee writes
      - responses:                      # the customer's next message for each outcome of the reply
          unsafe: "..."                 # a string, or {message: "...", mood: upset}
          jargon: "..."                 # optional when the persona is technical
          cold: "..."
          vague: "..."
          good: "..."                   # the last turn has `resolved` instead of `good`

Patterns are Python regular expressions, matched case-insensitively; "@name" stands for
coach/data/practice.yaml's shared_patterns[name]. The loader reports every problem of a file as
"file: field: problem" and never raises for a broken scenario: the library lists it as broken and
loads the others.
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.analyzers import REGISTRY
from coach.config import PROJECT_ROOT, scenarios_dir
from coach.context import MOODS
from coach.datafiles import load_yaml
from coach.errors import CoachError, DataFileError
from coach.practice.settings import PROBLEM_OUTCOMES, practice_settings
from coach.rules import load_ruleset

CHANNELS = ("email", "chat")
MIN_TURNS, MAX_TURNS = 2, 5
DIFFICULTIES = (1, 2, 3)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_ID = re.compile(r"^[a-z]+\.(?:[a-z0-9-]+|\*)$")


class UnknownScenarioError(CoachError):
    """No scenario has the id asked for; the message suggests the closest ids."""


@dataclass(frozen=True)
class CustomerProfile:
    """Who the simulated customer is."""

    name: str
    technical_level: str
    mood: str
    cares_about: str
    role: str | None = None

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def audience(self) -> str:
        return practice_settings()["audience_for_level"][self.technical_level]


@dataclass(frozen=True)
class Check:
    """What a goal looks for in a reply: any of these counts (rule ids may end in `.*`)."""

    rules: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    name: bool = False


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    at_turns: tuple[int, ...]
    expect: Check | None
    avoid: Check | None
    scores: tuple[tuple[str, float], ...]
    on_miss: str | None
    tip: str | None = None


@dataclass(frozen=True)
class Response:
    """The customer's next message, and their mood from then on (None: outcomes.yaml's default)."""

    message: str
    mood: str | None = None


@dataclass(frozen=True)
class Turn:
    responses: dict[str, Response]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    difficulty: int
    channel: str
    persona: CustomerProfile
    opening: str
    goals: tuple[Goal, ...]
    turns: tuple[Turn, ...]
    path: Path

    def goals_at(self, turn_number: int) -> tuple[Goal, ...]:
        """The goals checked on reply `turn_number` (1-based)."""
        return tuple(goal for goal in self.goals if turn_number in goal.at_turns)


@dataclass(frozen=True)
class BrokenScenario:
    path: Path
    problems: tuple[str, ...]

    @property
    def name(self) -> str:
        return display_path(self.path)


@dataclass(frozen=True)
class ScenarioLibrary:
    """Every scenario file of a folder: the valid ones by id, and the broken ones with their problems."""

    directory: Path
    scenarios: dict[str, Scenario]
    broken: tuple[BrokenScenario, ...]

    def get(self, scenario_id: str) -> Scenario:
        if scenario_id in self.scenarios:
            return self.scenarios[scenario_id]
        for broken in self.broken:
            if broken.path.stem == scenario_id:
                raise UnknownScenarioError(f"{broken.name} is broken ({broken.problems[0]}); "
                                           f"run `coach scenarios validate`.")
        ids = sorted(self.scenarios)
        close = difflib.get_close_matches(scenario_id, ids, n=3, cutoff=0.5)
        close += [i for i in ids if scenario_id and scenario_id in i and i not in close][: 3 - len(close)]
        hint = f" Did you mean: {', '.join(close)}?" if close else " Run `coach scenarios list` to see them."
        raise UnknownScenarioError(f"No scenario with id {scenario_id!r}.{hint}")

    def problems(self) -> list[str]:
        """One line per problem, "file: field: problem", for every broken file."""
        return [f"{broken.name}: {problem}" for broken in self.broken for problem in broken.problems]


def display_path(path: Path) -> str:
    """`scenarios/x.yaml` for files of the repository, the path as given otherwise."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


class _Collector:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}" if where else problem)

    def get(self, mapping: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
            required: bool = True) -> Any:
        label = f"{where}.{key}" if where else key
        value = mapping.get(key)
        if value is None:
            if required:
                self.add(label, "missing")
            return None
        # bool is an int in Python, but `difficulty: true` is a mistake, not a number
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
            self.add(label, f"must be {_kind_names(kind)}, got {type(value).__name__}")
            return None
        if isinstance(value, str) and not value.strip():
            self.add(label, "must not be empty")
            return None
        return value

    def choice(self, mapping: dict[str, Any], key: str, choices: tuple[Any, ...], where: str) -> Any:
        value = self.get(mapping, key, (str, int), where)
        if value is not None and value not in choices:
            self.add(f"{where}.{key}" if where else key,
                     f"must be one of {', '.join(str(c) for c in choices)} (got {value!r})")
            return None
        return value

    def known_keys(self, mapping: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(f"{where}.{key}" if where else str(key), "unknown field")


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_names(kind: type | tuple[type, ...]) -> str:
    names = {"str": "text", "dict": "a mapping", "list": "a list", "int": "a whole number",
             "float": "a number", "bool": "true or false"}
    return " or ".join(names.get(k.__name__, k.__name__) for k in _kinds(kind))


@functools.cache
def _known_rule_ids() -> dict[str, frozenset[str]]:
    """Rule ids per analyser, from coach/data/<analyzer>.yaml, to catch typos in goals.

    An analyser whose rules file is missing or broken is left out: its own tests report that.
    """
    known: dict[str, frozenset[str]] = {}
    for name in REGISTRY:
        try:
            known[name] = frozenset(rule.id for rule in load_ruleset(name).rules)
        except DataFileError:
            continue
    return known


def _check_rule_id(rule_id: Any, where: str, problems: _Collector) -> bool:
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        problems.add(where, f"must be a rule id like 'empathy.time-frame' or 'jargon.*' (got {rule_id!r})")
        return False
    analyzer = rule_id.split(".")[0]
    known = _known_rule_ids()
    if analyzer not in REGISTRY:
        problems.add(where, f"unknown analyser {analyzer!r} in {rule_id!r}")
        return False
    if analyzer in known and not rule_id.endswith(".*") and rule_id not in known[analyzer]:
        problems.add(where, f"unknown rule {rule_id!r} (see coach/data/{analyzer}.yaml)")
        return False
    return True


def _parse_check(raw: Any, rules_key: str, where: str, problems: _Collector) -> Check | None:
    if not isinstance(raw, dict):
        problems.add(where, "must be a mapping")
        return None
    problems.known_keys(raw, {rules_key, "patterns", "name"}, where)
    rules = problems.get(raw, rules_key, list, where, required=False) or []
    rules = [r for i, r in enumerate(rules) if _check_rule_id(r, f"{where}.{rules_key}[{i}]", problems)]
    compiled = []
    for index, expression in enumerate(problems.get(raw, "patterns", list, where, required=False) or []):
        if not isinstance(expression, str) or not expression.strip():
            problems.add(f"{where}.patterns[{index}]", "must be a non-empty regular expression")
            continue
        if expression.startswith("@"):
            shared = practice_settings()["shared_patterns"]
            if expression[1:] not in shared:
                problems.add(f"{where}.patterns[{index}]",
                             f"no shared pattern {expression!r} (known: {', '.join('@' + k for k in shared)})")
                continue
            expression = shared[expression[1:]]
        try:
            compiled.append(re.compile(expression, re.IGNORECASE))
        except re.error as exc:
            problems.add(f"{where}.patterns[{index}]", f"invalid regular expression ({exc})")
    name = problems.get(raw, "name", bool, where, required=False) or False
    if not (rules or compiled or name):
        problems.add(where, f"needs at least one of {rules_key}, patterns, name")
        return None
    return Check(tuple(rules), tuple(compiled), name)


def _parse_goal(raw: Any, index: int, turn_count: int, problems: _Collector) -> Goal | None:
    where = f"goals[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "must be a mapping")
        return None
    before = len(problems.problems)
    problems.known_keys(raw, {"id", "text", "at_turns", "expect", "avoid", "scores", "on_miss", "tip"}, where)
    goal_id = problems.get(raw, "id", str, where)
    if goal_id is not None and not _ID.match(goal_id):
        problems.add(f"{where}.id", "must be lower-case words joined by hyphens")
    text = problems.get(raw, "text", str, where)
    at_turns = problems.get(raw, "at_turns", list, where, required=False)
    if at_turns is None:
        at_turns = list(range(1, turn_count + 1))
    for position, number in enumerate(at_turns):
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= max(turn_count, 1):
            problems.add(f"{where}.at_turns[{position}]", f"must be a turn number from 1 to {turn_count}")
    expect = _parse_check(raw["expect"], "evidence", f"{where}.expect", problems) if "expect" in raw else None
    avoid = _parse_check(raw["avoid"], "findings", f"{where}.avoid", problems) if "avoid" in raw else None
    scores: list[tuple[str, float]] = []
    raw_scores = problems.get(raw, "scores", dict, where, required=False) or {}
    for dimension, minimum in raw_scores.items():
        if dimension not in REGISTRY and dimension != "overall":
            problems.add(f"{where}.scores.{dimension}", "unknown dimension")
        elif isinstance(minimum, bool) or not isinstance(minimum, (int, float)) or not 0 <= minimum <= 100:
            problems.add(f"{where}.scores.{dimension}", "must be a number from 0 to 100")
        else:
            scores.append((dimension, float(minimum)))
    if "expect" not in raw and "avoid" not in raw and not raw_scores:
        problems.add(where, "needs at least one of expect, avoid, scores")
    on_miss = problems.choice(raw, "on_miss", PROBLEM_OUTCOMES, where) if "on_miss" in raw else None
    tip = problems.get(raw, "tip", str, where, required=False)
    if len(problems.problems) > before:
        return None
    return Goal(goal_id, text.strip(), tuple(at_turns), expect, avoid, tuple(scores), on_miss,
                tip.strip() if tip else None)


def _parse_response(raw: Any, where: str, problems: _Collector) -> Response | None:
    if isinstance(raw, str):
        if not raw.strip():
            problems.add(where, "must not be empty")
            return None
        return Response(raw.strip())
    if isinstance(raw, dict):
        problems.known_keys(raw, {"message", "mood"}, where)
        message = problems.get(raw, "message", str, where)
        mood = problems.choice(raw, "mood", MOODS, where) if "mood" in raw else None
        return Response(message.strip(), mood) if message else None
    problems.add(where, "must be the customer's message, or {message, mood}")
    return None


def _expected_outcomes(is_last: bool, technical: bool, goals: list[Goal]) -> tuple[list[str], list[str]]:
    """(required, allowed) response keys of one turn."""
    allowed = [*PROBLEM_OUTCOMES, "resolved" if is_last else "good"]
    jargon_possible = not technical or any(goal.on_miss == "jargon" for goal in goals)
    required = [key for key in allowed if key != "jargon" or jargon_possible]
    return required, allowed


def _parse_turns(raw: Any, technical: bool, goals: list[Goal], problems: _Collector) -> list[Turn]:
    turns: list[Turn] = []
    for index, raw_turn in enumerate(raw):
        where = f"turns[{index}]"
        if not isinstance(raw_turn, dict):
            problems.add(where, "must be a mapping with `responses`")
            continue
        problems.known_keys(raw_turn, {"responses"}, where)
        responses = problems.get(raw_turn, "responses", dict, where)
        if responses is None:
            continue
        turn_goals = [goal for goal in goals if index + 1 in goal.at_turns]
        required, allowed = _expected_outcomes(index == len(raw) - 1, technical, turn_goals)
        parsed: dict[str, Response] = {}
        for key in required:
            if key not in responses:
                problems.add(f"{where}.responses.{key}", "missing")
        for key, value in responses.items():
            if key not in allowed:
                problems.add(f"{where}.responses.{key}",
                             f"unknown outcome (this turn takes {', '.join(allowed)})")
                continue
            response = _parse_response(value, f"{where}.responses.{key}", problems)
            if response:
                parsed[key] = response
        turns.append(Turn(parsed))
    return turns


def parse_scenario(raw: Any, path: Path) -> tuple[Scenario | None, list[str]]:
    """Validate one scenario's YAML data: (the Scenario, []) or (None, every problem found)."""
    problems = _Collector()
    if not isinstance(raw, dict):
        return None, ["must be a mapping with id, title, persona, opening, goals and turns"]
    problems.known_keys(raw, {"id", "title", "difficulty", "channel", "persona", "opening", "goals", "turns"}, "")
    scenario_id = problems.get(raw, "id", str, "")
    if scenario_id is not None and scenario_id != path.stem:
        problems.add("id", f"must match the file name {path.stem!r} (got {scenario_id!r})")
    title = problems.get(raw, "title", str, "")
    difficulty = problems.choice(raw, "difficulty", DIFFICULTIES, "")
    channel = problems.choice(raw, "channel", CHANNELS, "")
    opening = problems.get(raw, "opening", str, "")
    persona = None
    raw_persona = problems.get(raw, "persona", dict, "")
    if raw_persona is not None:
        problems.known_keys(raw_persona, {"name", "technical_level", "mood", "cares_about", "role"}, "persona")
        values = (problems.get(raw_persona, "name", str, "persona"),
                  problems.choice(raw_persona, "technical_level", tuple(practice_settings()["audience_for_level"]),
                                "persona"),
                  problems.choice(raw_persona, "mood", MOODS, "persona"),
                  problems.get(raw_persona, "cares_about", str, "persona"))
        role = problems.get(raw_persona, "role", str, "persona", required=False)
        if all(values):
            persona = CustomerProfile(*(v.strip() for v in values), role=role)
    raw_turns = problems.get(raw, "turns", list, "") or []
    if raw_turns and not MIN_TURNS <= len(raw_turns) <= MAX_TURNS:
        problems.add("turns", f"must have {MIN_TURNS} to {MAX_TURNS} turns (has {len(raw_turns)})")
    goals: list[Goal] = []
    raw_goals = problems.get(raw, "goals", list, "") or []
    for index, raw_goal in enumerate(raw_goals):
        goal = _parse_goal(raw_goal, index, len(raw_turns), problems)
        if goal:
            goals.append(goal)
    seen: set[str] = set()
    for index, goal in enumerate(goals):
        if goal.id in seen:
            problems.add(f"goals[{index}].id", f"duplicate goal id {goal.id!r}")
        seen.add(goal.id)
    for number in range(1, len(raw_turns) + 1):
        if not any(number in goal.at_turns for goal in goals) and len(goals) == len(raw_goals):
            problems.add("goals", f"no goal is checked at turn {number}")
    technical = persona is not None and persona.audience == "technical"
    turns = _parse_turns(raw_turns, technical, goals, problems)
    if problems.problems:
        return None, problems.problems
    return Scenario(scenario_id, title.strip(), difficulty, channel, persona, opening.strip(),
                    tuple(goals), tuple(turns), path), []


def load_scenario_file(path: Path) -> tuple[Scenario | None, list[str]]:
    try:
        raw = load_yaml(path)
    except DataFileError as exc:
        return None, [f"{exc.where}: {exc.problem}" if exc.where else exc.problem]
    return parse_scenario(raw, path)


def _signature(directory: Path) -> tuple[tuple[str, float, int], ...]:
    files = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files)


@functools.cache
def _load(directory: Path, signature: tuple[tuple[str, float, int], ...]) -> ScenarioLibrary:
    scenarios: dict[str, Scenario] = {}
    broken: list[BrokenScenario] = []
    for name, _, _ in signature:
        path = Path(name)
        scenario, problems = load_scenario_file(path)
        if scenario is None:
            broken.append(BrokenScenario(path, tuple(problems)))
        else:
            scenarios[scenario.id] = scenario
    ordered = dict(sorted(scenarios.items(), key=lambda item: (item[1].difficulty, item[1].title)))
    return ScenarioLibrary(directory, ordered, tuple(broken))


def load_library(directory: Path | None = None) -> ScenarioLibrary:
    """Load every scenarios/*.yaml file. Re-reads only when a file changed (size or time)."""
    directory = Path(directory) if directory is not None else scenarios_dir()
    return _load(directory, _signature(directory))
