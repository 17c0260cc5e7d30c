"""The simulated customer: analyse each reply, check the turn's goals, pick the customer's next message.

Deterministic: the same scenario and the same replies always give the same conversation, because
the analysis is deterministic and the next message is a lookup by outcome (see coach/data/practice.yaml
for how the outcome is decided and in which order problems win).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coach.context import Persona
from coach.engine import analyze
from coach.errors import CoachError, InputError
from coach.practice.debrief import Debrief, build_debrief
from coach.practice.goals import GoalResult, check_goal, rule_matches
from coach.practice.scenarios import Scenario
from coach.practice.settings import practice_settings
from coach.report import Report


class PracticeFinishedError(CoachError):
    """A reply was sent after the scenario's last turn."""


@dataclass(frozen=True)
class TurnResult:
    """One reply and how the customer took it. `number` is 1-based."""

    number: int
    customer: str
    reply: str
    mood: str
    report: Report
    goals: tuple[GoalResult, ...]
    outcome: str
    reasons: tuple[str, ...]
    next_message: str

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.number, "customer": self.customer, "reply": self.reply,
                "report": self.report.to_dict(), "outcome": self.outcome, "reasons": list(self.reasons),
                "goals": [g.to_dict() for g in self.goals], "next_customer": self.next_message}


def classify(report: Report, goals: tuple[GoalResult, ...], mood: str, audience: str,
             last_turn: bool) -> tuple[str, tuple[str, ...]]:
    """The reply's outcome and the reasons for it (all problems found, the winning one first)."""
    settings = practice_settings()
    missed = [g for g in goals if not g.met]
    problems: dict[str, list[str]] = {outcome: [] for outcome in settings["precedence"]}
    for finding in report.findings:
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

    def reply(self, text: str) -> TurnResult:
        """Judge one reply and move the conversation on. Raises InputError for an unusable reply."""
        if self.finished:
            raise PracticeFinishedError(f"The scenario {self.scenario.id!r} is over; start it again to retry.")
        number = self.turn_number
        report = analyze(text, customer_message=self.current_message, persona=self.persona())
        goals = tuple(check_goal(goal, number, report, self.scenario.persona)
                      for goal in self.scenario.goals_at(number))
        last_turn = number == len(self.scenario.turns)
        outcome, reasons = classify(report, goals, self.mood, self.scenario.persona.audience, last_turn)
        response = self.scenario.turns[number - 1].responses[outcome]
        result = TurnResult(number, self.current_message, text, self.mood, report, goals, outcome, reasons,
                            response.message)
        self.turns.append(result)
        mood = response.mood or practice_settings()["mood_after"][outcome]
        self.mood = self.mood if mood == "keep" else mood
        self.current_message = response.message
        return result

    def debrief(self, previous: Iterable[dict[str, Any]] = ()) -> Debrief:
        """The debrief of the turns played so far, compared with `previous` attempts' summaries."""
        return build_debrief(self, previous)


def run_scripted(scenario: Scenario, replies: list[str]) -> PracticeSession:
    """Play `replies` in order. Fewer replies than turns stops early (the debrief says so)."""
    if len(replies) > len(scenario.turns):
        raise InputError(f"{len(replies)} replies given, but the scenario {scenario.id!r} "
                         f"has {len(scenario.turns)} turns.")
    session = PracticeSession(scenario)
    for text in replies:
        session.reply(text)
    return session
