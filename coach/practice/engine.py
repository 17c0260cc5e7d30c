"""The simulated customer: analyse each reply, check the turn's goals, decide the outcome, and
answer with a message assembled from what the reply said (coach/practice/reactions.py).

Deterministic: the same scenario and the same replies always give the same conversation, because
the analysis is deterministic and the answer is assembled by fixed rules (see coach/data/practice.yaml
for how the outcome is decided and in which order problems win).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from coach.context import Persona
from coach.engine import analyze
from coach.errors import CoachError, InputError
from coach.practice.debrief import Debrief, build_debrief
from coach.practice.goals import GoalResult, check_goal, rule_matches
from coach.practice.meaning import meant
from coach.practice.reactions import react
from coach.practice.scenarios import Scenario
from coach.practice.settings import practice_settings
from coach.practice.turns import TurnResult, not_due
from coach.report import Report, Suggestion


class PracticeFinishedError(CoachError):
    """A reply was sent after the scenario's last turn."""


def classify(report: Report, goals: tuple[GoalResult, ...], mood: str, audience: str,
             last_turn: bool) -> tuple[str, tuple[str, ...]]:
    """The reply's outcome and the reasons for it (all problems found, the winning one first)."""
    settings = practice_settings()
    missed = [g for g in goals if not g.met]
    problems: dict[str, list[str]] = {outcome: [] for outcome in settings["precedence"]}
    for finding in (f for f in report.findings if meant(f, report.text)):
        if finding.severity in settings["unsafe_severities"]:
            problems["unsafe"].append(f"{finding.rule}: {finding.message}")
        if audience == "non-technical" and rule_matches(finding.rule, tuple(settings["jargon_rules"])):
            problems["jargon"].append(f"{finding.rule}: {finding.text!r}")
        if rule_matches(finding.rule, tuple(settings["cold_rules"])):
            problems["cold"].append(f"{finding.rule}: {finding.text!r}")
    # a met scenario goal that looks for warmth (an `expect` whose miss is cold) acknowledges too
    acknowledged = (any(rule_matches(e.rule, tuple(settings["acknowledgement_rules"])) for e in report.evidence)
                    or any(g.met and g.goal.on_miss == "cold" and g.goal.expect for g in goals))
    if mood in settings["cold_moods"] and not acknowledged:
        problems["cold"].append(f"the customer is {mood} and the reply does not acknowledge it")
    for result in missed:
        if result.goal.on_miss:
            problems[result.goal.on_miss].append(f"goal missed: {result.goal.text}")
    reasons = tuple(f"{outcome}: {reason}" for outcome in settings["precedence"] for reason in problems[outcome])
    for outcome in settings["precedence"]:
        if problems[outcome]:
            return outcome, reasons
    return ("resolved" if last_turn else "good"), reasons


def coaching_for(report: Report, goals: tuple[GoalResult, ...],
                 skip: frozenset[str] = frozenset()) -> tuple[Suggestion, ...]:
    """The report's feedback minus what the met ones of `goals` (this turn's and earlier turns') settle,
    phrases that meant something else, and the `skip` rules not due at this point: a met "acknowledge"
    goal and "Start by showing you understand" never appear together."""
    settled = {rule for g in goals if g.met for rule in g.goal.covers} | skip
    not_meant = {(f.rule, f.start, f.end) for f in report.findings if not meant(f, report.text)}
    kept = [s for s in report.suggestions if s.rule not in settled and (s.rule, s.start, s.end) not in not_meant]
    return tuple(kept[: report.MAX_SHOWN_SUGGESTIONS])


class PracticeSession:
    """One run through a scenario. Send replies with reply(); read debrief() once finished."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.turns: list[TurnResult] = []
        self.mood = scenario.persona.mood
        self.current_message = scenario.opening

    @property
    def finished(self) -> bool:
        return len(self.turns) == len(self.scenario.turns)

    @property
    def turn_number(self) -> int:
        """The 1-based number of the reply expected next."""
        return len(self.turns) + 1

    @property
    def closing_message(self) -> str | None:
        """The customer's last word once the scenario is finished."""
        return self.turns[-1].next_message if self.finished else None

    def persona(self) -> Persona:
        """What coach.analyze is told about the customer now (their mood changes as they go)."""
        profile = self.scenario.persona
        return Persona(audience=profile.audience, mood=self.mood, name=profile.first_name)

    def history(self) -> list[dict[str, str]]:
        """The conversation before the current customer message, oldest first, as analyze() takes it."""
        turns: list[dict[str, str]] = []
        for turn in self.turns:
            turns += [{"role": "customer", "text": turn.customer}, {"role": "agent", "text": turn.reply}]
        return turns

    def reply(self, text: str) -> TurnResult:
        """Judge one reply and move the conversation on. Raises InputError for an unusable reply."""
        if self.finished:
            raise PracticeFinishedError(f"The scenario {self.scenario.id!r} is over; start it again to retry.")
        number = self.turn_number
        report = analyze(text, customer_message=self.current_message, persona=self.persona(),
                         channel=self.scenario.channel, history=self.history())
        goals = tuple(check_goal(goal, number, report, self.scenario.persona)
                      for goal in self.scenario.goals_at(number))
        last_turn = number == len(self.scenario.turns)
        audience = self.scenario.persona.audience
        outcome, reasons = classify(report, goals, self.mood, audience, last_turn)
        reaction = react(self.scenario.turns[number - 1], outcome, report, goals, audience)
        met_so_far = (*(g for t in self.turns for g in t.goals if g.met), *goals)
        skip = not_due(self.scenario.channel, number, len(self.scenario.turns))
        result = TurnResult(number, self.current_message, text, self.mood, report, goals, outcome, reasons,
                            reaction.message, coaching_for(report, met_so_far, skip), tuple(reaction.heard.items()))
        self.turns.append(result)
        mood = reaction.mood or practice_settings()["mood_after"][outcome]
        self.mood = self.mood if mood == "keep" else mood
        self.current_message = reaction.message
        return result

    def debrief(self, previous: Iterable[dict[str, Any]] = ()) -> Debrief:
        """The debrief of the turns played so far, compared with `previous` attempts' summaries."""
        return build_debrief(self.scenario, tuple(self.turns), self.closing_message, previous)


def run_scripted(scenario: Scenario, replies: list[str]) -> PracticeSession:
    """Play `replies` in order. Fewer replies than turns stops early (the debrief says so)."""
    if len(replies) > len(scenario.turns):
        raise InputError(f"{len(replies)} replies given, but the scenario {scenario.id!r} "
                         f"has {len(scenario.turns)} turns.")
    session = PracticeSession(scenario)
    for text in replies:
        session.reply(text)
    return session
