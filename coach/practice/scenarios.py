"""Scenario files (scenarios/*.yaml): loading and validation, including every path through a scenario.

A scenario is data, not code. Its shape:

    id: third-outage-this-week          # must equal the file name without .yaml
    title: The same fault, a third time
    difficulty: 2                       # 1 (gentle) to 3 (hard)
    channel: email                      # email | chat
    topic: network-outage               # one of coach/data/practice.yaml `topics`
    skills: [empathy, jargon]           # the dimensions it trains most (the "next scenario" advice uses them)
    persona:
      name: Dan Okafor
      pronouns: he                      # he | she | they
      technical_level: low              # low | medium | high (coach/data/practice.yaml maps it to an audience)
      mood: upset                       # calm | upset | anxious: the mood at the start
      cares_about: Keeping his café's card machine working on a Saturday
      role: Owner of a small café       # optional
    brief:                              # what the trainee is told before the first reply
      situation: What has happened, in two or three sentences.
      facts: ["What you may tell the customer", ...]
      offers: ["What you may offer", ...]
      must_not: ["What you must not do", ...]
    opening: |                          # the customer's first message
      ...
    opening_asks: [topic-id]            # optional: what the opening asks about (goals `answers` it)
    goals:                              # what a good reply does (see coach/practice/goals.py)
      - use: acknowledge                # a goal of coach/data/practice.yaml `goal_library`; may override
        at_turns: [1]                   #   text, tip, at_turns, on_miss
      - id: answer-the-charge
        text: Answer the question about the charge clearly
        at_turns: [3]                   # 1-based reply numbers; default: every turn
        answers: charge                 # the topic this goal answers; on every path through the scenario
                                        # the customer must have asked about it before that turn (required
                                        # for a goal of the scenario's own checked only after turn 1)
        expect: {evidence: [empathy.time-frame], patterns: ["\\bno charge\\b", "@time-frame"], name: false}
        avoid: {findings: [security.asks-for-password], patterns: []}
        scores: {jargon: 70}            # minimum dimension scores
        on_miss: vague                  # optional: unsafe | jargon | cold | vague (the customer's reaction)
        covers: [empathy.no-time-frame] # optional: coaching this goal replaces once it is met
        tip: Answer a yes/no question with yes or no first.
    turns:                              # 2 to 5 replies the trainee writes
      - model: |                        # one good reply (shown after the debrief; tests play it)
          Hi Dan, ...
        reactions:                      # optional: the customer's own line per outcome of the reply, a string
          good: "Thank you."            # or {message, mood, asks}; missing ones come from practice.yaml
        next: "Am I paying for this?"   # the customer's next question, asked on every path (not on the last turn)
        asks: [charge]                  # topics `next` raises
      - ...                             # the last turn has reactions.resolved (the closing word) and no `next`

The customer's message after a reply is assembled by coach/practice/reactions.py: what they heard in
the reply (the trainee's own unexplained term, blame phrase or promise, quoted), their line for the
reply's outcome, then `next`. Patterns are Python regular expressions, matched case-insensitively;
"@name" stands for coach/data/practice.yaml's shared_patterns[name]. The loader reports every problem
of a file as "file: field: problem" and never raises for a broken scenario: the library lists it as
broken and loads the others.
"""
from __future__ import annotations

import difflib
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.analyzers import REGISTRY
from coach.config import PROJECT_ROOT, scenarios_dir
from coach.context import MOODS
from coach.datafiles import load_yaml
from coach.errors import CoachError, DataFileError
from coach.practice.settings import PRONOUNS, PROBLEM_OUTCOMES, SETTINGS_FILE, practice_settings
from coach.rules import load_ruleset

CHANNELS = ("email", "chat")
MIN_TURNS, MAX_TURNS = 2, 5
DIFFICULTIES = (1, 2, 3)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_RULE_ID = re.compile(r"^[a-z]+\.(?:[a-z0-9-]+|\*)$")
_GOAL_KEYS = {"id", "text", "at_turns", "expect", "avoid", "scores", "on_miss", "tip", "answers", "covers"}
_OVERRIDABLE = {"use", "text", "tip", "at_turns", "on_miss"}
# The analysers' finding for a customer question left unanswered; goals with `answers` cover it.
ANSWER_RULE = "empathy.unanswered-question"


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
    pronouns: str = "they"

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def audience(self) -> str:
        return practice_settings()["audience_for_level"][self.technical_level]

    def pronoun(self, case: str) -> str:
        """`case`: subject, object or possessive ("she", "her", "her")."""
        return PRONOUNS[self.pronouns][case]


@dataclass(frozen=True)
class Brief:
    """What the trainee is told before the first reply."""

    situation: str
    facts: tuple[str, ...]
    offers: tuple[str, ...]
    must_not: tuple[str, ...]


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
    answers: str | None = None
    # rule ids of coaching this goal stands for: once the goal is met, that coaching is not shown
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """The customer's own line for one outcome, their mood from then on (None: practice.yaml's
    default for the outcome), and the topics the line raises."""

    message: str
    mood: str | None = None
    asks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    model: str
    reactions: dict[str, Response]
    next: str | None
    asks: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    difficulty: int
    channel: str
    topic: str
    skills: tuple[str, ...]
    persona: CustomerProfile
    brief: Brief
    opening: str
    opening_asks: tuple[str, ...]
    goals: tuple[Goal, ...]
    turns: tuple[Turn, ...]
    path: Path

    def goals_at(self, turn_number: int) -> tuple[Goal, ...]:
        """The goals checked on reply `turn_number` (1-based)."""
        return tuple(goal for goal in self.goals if turn_number in goal.at_turns)

    def outcomes_at(self, turn_number: int) -> tuple[str, ...]:
        """Every outcome reply `turn_number` can have (jargon only when it can happen)."""
        last = turn_number == len(self.turns)
        jargon = self.persona.audience != "technical" or any(g.on_miss == "jargon"
                                                             for g in self.goals_at(turn_number))
        return (*(o for o in PROBLEM_OUTCOMES if o != "jargon" or jargon), "resolved" if last else "good")


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
        line = f"{where}: {problem}" if where else problem
        if line not in self.problems:
            self.problems.append(line)

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

    def strings(self, mapping: dict[str, Any], key: str, where: str, required: bool = True,
                ids: bool = False) -> tuple[str, ...]:
        values = self.get(mapping, key, list, where, required) or []
        label = f"{where}.{key}" if where else key
        kept = []
        for index, value in enumerate(values):
            if isinstance(value, dict):
                self.add(f"{label}[{index}]", "must be text (put it in quotes: it contains ': ')")
            elif not isinstance(value, str) or not value.strip():
                self.add(f"{label}[{index}]", "must be non-empty text")
            elif ids and not _ID.match(value):
                self.add(f"{label}[{index}]", "must be lower-case words joined by hyphens")
            else:
                kept.append(value.strip())
        if required and values == []:
            self.add(label, "must not be empty")
        return tuple(kept)

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


def _parse_goal_fields(raw: dict[str, Any], where: str, turn_count: int, problems: _Collector) -> Goal | None:
    before = len(problems.problems)
    problems.known_keys(raw, _GOAL_KEYS, where)
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
    answers = problems.get(raw, "answers", str, where, required=False)
    if answers is not None and not _ID.match(answers):
        problems.add(f"{where}.answers", "must be a topic id (lower-case words joined by hyphens)")
    covers = problems.get(raw, "covers", list, where, required=False) or []
    covers = [r for i, r in enumerate(covers) if _check_rule_id(r, f"{where}.covers[{i}]", problems)]
    if len(problems.problems) > before:
        return None
    if answers and ANSWER_RULE in _known_rule_ids().get("empathy", ()):
        covers.append(ANSWER_RULE)  # a met goal that answers the question settles "answer the question"
    return Goal(goal_id, text.strip(), tuple(at_turns), expect, avoid, tuple(scores), on_miss,
                tip.strip() if tip else None, answers, tuple(dict.fromkeys(covers)))


@functools.cache
def goal_library() -> dict[str, dict[str, Any]]:
    """coach/data/practice.yaml `goal_library`: goals many scenarios share, by id (validated once)."""
    raw = practice_settings()["goal_library"]
    problems = _Collector()
    for goal_id, definition in raw.items():
        if not isinstance(definition, dict):
            problems.add(f"goal_library.{goal_id}", "must be a mapping")
            continue
        _parse_goal_fields({"id": goal_id, **definition}, f"goal_library.{goal_id}", MAX_TURNS, problems)
    if problems.problems:
        raise DataFileError(SETTINGS_FILE, "", "; ".join(problems.problems))
    return raw


def _personal(text: str, persona: CustomerProfile | None) -> str:
    """A goal library text with the customer's name and pronouns filled in."""
    if persona is None:
        return text
    return text.format(name=persona.first_name, **PRONOUNS[persona.pronouns])


def _parse_goal(raw: Any, index: int, turn_count: int, persona: CustomerProfile | None,
                problems: _Collector) -> Goal | None:
    where = f"goals[{index}]"
    if not isinstance(raw, dict):
        problems.add(where, "must be a mapping")
        return None
    if "use" not in raw:
        goal = _parse_goal_fields(raw, where, turn_count, problems)
        # a scenario's own goal that starts after the first reply answers something said later: it
        # must name it, so that check_paths can make sure it was said on every path
        if goal is not None and goal.expect is not None and min(goal.at_turns) > 1 and not goal.answers:
            problems.add(f"{where}.answers", "missing: this goal is checked only after turn 1, so say which of "
                                             "the customer's questions it answers (a topic in `asks`)")
            return None
        return goal
    problems.known_keys(raw, _OVERRIDABLE, where)
    shared = goal_library()
    if raw["use"] not in shared:
        problems.add(f"{where}.use", f"no goal {raw['use']!r} in the goal library of "
                                     f"{display_path(SETTINGS_FILE)} (known: {', '.join(shared)})")
        return None
    merged = {"id": raw["use"], **shared[raw["use"]]}
    merged.update({key: _personal(merged[key], persona) for key in ("text", "tip") if key in merged})
    merged.update({k: v for k, v in raw.items() if k != "use"})
    return _parse_goal_fields(merged, where, turn_count, problems)


def _parse_response(raw: Any, where: str, problems: _Collector) -> Response | None:
    if isinstance(raw, str):
        if not raw.strip():
            problems.add(where, "must not be empty")
            return None
        return Response(" ".join(raw.split()))
    if isinstance(raw, dict):
        problems.known_keys(raw, {"message", "mood", "asks"}, where)
        message = problems.get(raw, "message", str, where)
        mood = problems.choice(raw, "mood", MOODS, where) if "mood" in raw else None
        asks = problems.strings(raw, "asks", where, required=False, ids=True)
        return Response(" ".join(message.split()), mood, asks) if message else None
    problems.add(where, "must be the customer's line, or {message, mood, asks}")
    return None


def _parse_turns(raw: list[Any], problems: _Collector) -> list[Turn]:
    turns: list[Turn] = []
    for index, raw_turn in enumerate(raw):
        where = f"turns[{index}]"
        last = index == len(raw) - 1
        if not isinstance(raw_turn, dict):
            problems.add(where, "must be a mapping with model, reactions and next")
            continue
        problems.known_keys(raw_turn, {"model", "reactions", "next", "asks"}, where)
        model = problems.get(raw_turn, "model", str, where)
        next_message = problems.get(raw_turn, "next", str, where, required=not last)
        if last and next_message is not None:
            problems.add(f"{where}.next", "the last turn ends the conversation: its closing word is "
                                          "reactions.resolved")
        asks = problems.strings(raw_turn, "asks", where, required=False, ids=True)
        allowed = (*PROBLEM_OUTCOMES, "resolved" if last else "good")
        reactions: dict[str, Response] = {}
        for key, value in (problems.get(raw_turn, "reactions", dict, where, required=last) or {}).items():
            if key not in allowed:
                problems.add(f"{where}.reactions.{key}", f"unknown outcome (this turn takes {', '.join(allowed)})")
                continue
            response = _parse_response(value, f"{where}.reactions.{key}", problems)
            if response:
                reactions[key] = response
        if last and "resolved" not in reactions:
            problems.add(f"{where}.reactions.resolved", "missing (the customer's last word after a good reply)")
        turns.append(Turn(model.strip() if model else "", reactions,
                          " ".join(next_message.split()) if next_message else None, asks))
    return turns


def _parse_brief(raw: dict[str, Any] | None, problems: _Collector) -> Brief | None:
    if raw is None:
        return None
    problems.known_keys(raw, {"situation", "facts", "offers", "must_not"}, "brief")
    situation = problems.get(raw, "situation", str, "brief")
    facts = problems.strings(raw, "facts", "brief")
    offers = problems.strings(raw, "offers", "brief")
    must_not = problems.strings(raw, "must_not", "brief")
    if not situation:
        return None
    return Brief(" ".join(situation.split()), facts, offers, must_not)


def _path_label(outcomes: tuple[str, ...]) -> str:
    return " > ".join(outcomes) if outcomes else "the opening"


def check_paths(scenario: Scenario) -> list[str]:
    """Walk every path through the scenario (every outcome of every reply) and report each goal that
    answers a topic the customer has not raised before that reply on some path."""
    problems: list[str] = []
    raised_anywhere = set(scenario.opening_asks)
    for turn in scenario.turns:
        raised_anywhere |= set(turn.asks) | {a for r in turn.reactions.values() for a in r.asks}
    for index, goal in enumerate(scenario.goals):
        if goal.answers and goal.answers not in raised_anywhere:
            problems.append(f"goals[{index}].answers: no customer message asks about {goal.answers!r}")
    answering = [(i, g) for i, g in enumerate(scenario.goals) if g.answers and g.answers in raised_anywhere]
    if not answering:
        return problems
    for number in range(1, len(scenario.turns) + 1):
        checked = [(i, g) for i, g in answering if number in g.at_turns]
        if not checked:
            continue
        # the customer messages before reply `number` depend on the outcomes of replies 1 .. number-1
        earlier = [scenario.outcomes_at(n) for n in range(1, number)]
        for outcomes in itertools.product(*earlier):
            raised = set(scenario.opening_asks)
            for turn, outcome in zip(scenario.turns, outcomes):
                raised |= set(turn.asks)
                if outcome in turn.reactions:
                    raised |= set(turn.reactions[outcome].asks)
            for index, goal in checked:
                if goal.answers not in raised:
                    problems.append(f"goals[{index}].answers: checked at turn {number}, but on the path "
                                    f"{_path_label(outcomes)} the customer has not asked about {goal.answers!r}")
    return list(dict.fromkeys(problems))


def parse_scenario(raw: Any, path: Path) -> tuple[Scenario | None, list[str]]:
    """Validate one scenario's YAML data: (the Scenario, []) or (None, every problem found)."""
    problems = _Collector()
    if not isinstance(raw, dict):
        return None, ["must be a mapping with id, title, persona, brief, opening, goals and turns"]
    problems.known_keys(raw, {"id", "title", "difficulty", "channel", "topic", "skills", "persona", "brief",
                              "opening", "opening_asks", "goals", "turns"}, "")
    scenario_id = problems.get(raw, "id", str, "")
    if scenario_id is not None and scenario_id != path.stem:
        problems.add("id", f"must match the file name {path.stem!r} (got {scenario_id!r})")
    title = problems.get(raw, "title", str, "")
    difficulty = problems.choice(raw, "difficulty", DIFFICULTIES, "")
    channel = problems.choice(raw, "channel", CHANNELS, "")
    topic = problems.choice(raw, "topic", tuple(practice_settings()["topics"]), "")
    skills = problems.strings(raw, "skills", "")
    for index, skill in enumerate(skills):
        if skill not in REGISTRY:
            problems.add(f"skills[{index}]", f"must be one of {', '.join(REGISTRY)} (got {skill!r})")
    opening = problems.get(raw, "opening", str, "")
    opening_asks = problems.strings(raw, "opening_asks", "", required=False, ids=True)
    persona = None
    raw_persona = problems.get(raw, "persona", dict, "")
    if raw_persona is not None:
        problems.known_keys(raw_persona, {"name", "pronouns", "technical_level", "mood", "cares_about", "role"},
                            "persona")
        values = (problems.get(raw_persona, "name", str, "persona"),
                  problems.choice(raw_persona, "technical_level", tuple(practice_settings()["audience_for_level"]),
                                  "persona"),
                  problems.choice(raw_persona, "mood", MOODS, "persona"),
                  problems.get(raw_persona, "cares_about", str, "persona"))
        pronouns = problems.choice(raw_persona, "pronouns", tuple(PRONOUNS), "persona")
        role = problems.get(raw_persona, "role", str, "persona", required=False)
        if all(values) and pronouns:
            persona = CustomerProfile(*(v.strip() for v in values), role=role, pronouns=pronouns)
    brief = _parse_brief(problems.get(raw, "brief", dict, ""), problems)
    raw_turns = problems.get(raw, "turns", list, "") or []
    if raw_turns and not MIN_TURNS <= len(raw_turns) <= MAX_TURNS:
        problems.add("turns", f"must have {MIN_TURNS} to {MAX_TURNS} turns (has {len(raw_turns)})")
    goals: list[Goal] = []
    raw_goals = problems.get(raw, "goals", list, "") or []
    for index, raw_goal in enumerate(raw_goals):
        goal = _parse_goal(raw_goal, index, len(raw_turns), persona, problems)
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
    turns = _parse_turns(raw_turns, problems)
    if problems.problems:
        return None, problems.problems
    scenario = Scenario(scenario_id, title.strip(), difficulty, channel, topic, skills, persona, brief,
                        opening.strip(), opening_asks, tuple(goals), tuple(turns), path)
    path_problems = check_paths(scenario)
    if path_problems:
        return None, path_problems
    return scenario, []


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
