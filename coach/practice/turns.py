"""One played turn of a practice run: the reply, how it was judged, and what the customer said next."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coach.practice.goals import GoalResult
from coach.practice.settings import practice_settings
from coach.report import Report, Suggestion


def not_due(channel: str, number: int, turn_count: int) -> frozenset[str]:
    """Rules whose coaching is not due on reply `number` of `turn_count` (in a chat: no greeting after
    the first reply, no sign-off before the last)."""
    if channel != "chat":
        return frozenset()
    position = {"first": 1, "last": turn_count}
    return frozenset(rule for rule, when in practice_settings()["chat_due_only"].items() if number != position[when])


@dataclass(frozen=True)
class TurnResult:
    """One reply and how the customer took it. `number` is 1-based.

    `coaching` is the report's feedback without what a met goal of this turn already settles (so the
    coaching never asks for something the goals say was done); `heard` are the passages of the reply
    the customer's next message quotes, by quote field.
    """

    number: int
    customer: str
    reply: str
    mood: str
    report: Report
    goals: tuple[GoalResult, ...]
    outcome: str
    reasons: tuple[str, ...]
    next_message: str
    coaching: tuple[Suggestion, ...] = ()
    heard: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.number, "customer": self.customer, "reply": self.reply,
                "report": self.report.to_dict(), "outcome": self.outcome, "reasons": list(self.reasons),
                "goals": [g.to_dict() for g in self.goals], "next_customer": self.next_message,
                "coaching": [s.to_dict() for s in self.coaching], "heard": dict(self.heard)}
