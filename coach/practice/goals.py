"""Checking a scenario goal against one reply's Report, with the reply's own words as evidence.

A goal is met when every part it has holds:
- `expect`: at least one of its evidence rule ids is in report.evidence, or one of its patterns
  matches the reply where it is said, not merely mentioned (not negated, not in an if/when clause:
  see coach/practice/meaning.py), or (with `name: true`) the reply uses the customer's first name;
- `avoid`: none of its finding rule ids is in report.findings (unless the phrase means something
  else there) and none of its patterns matches outside a negation;
- `scores`: each named dimension (or `overall`) scores at least the minimum. A dimension that could
  not run is not held against the reply.
The quotes are spans of the reply (text[start:end]): what met an `expect`, or what broke an `avoid`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from coach.practice.meaning import is_conditional, is_negated, meant
from coach.practice.scenarios import Check, CustomerProfile, Goal
from coach.report import Report


@dataclass(frozen=True)
class Quote:
    """A span of the reply and what found it: a rule id, "pattern" or "name"."""

    text: str
    start: int
    end: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end, "source": self.source}


@dataclass(frozen=True)
class GoalResult:
    """`evidence`: the spans that meet the goal's `expect`; `violations`: the spans that break its `avoid`."""

    goal: Goal
    turn: int
    met: bool
    evidence: tuple[Quote, ...]
    violations: tuple[Quote, ...]
    notes: tuple[str, ...]

    def shown_quotes(self) -> list[str]:
        """The distinct words to show: what met the goal, or what broke it."""
        texts = [q.text for q in (self.evidence if self.met else self.violations) if q.text]
        return list(dict.fromkeys(texts))

    def to_dict(self) -> dict[str, Any]:
        return {"goal": self.goal.id, "text": self.goal.text, "tip": self.goal.tip, "turn": self.turn,
                "met": self.met,
                "evidence": [q.to_dict() for q in self.evidence],
                "violations": [q.to_dict() for q in self.violations], "notes": list(self.notes)}


def rule_matches(rule_id: str, wanted: tuple[str, ...]) -> bool:
    """`wanted` holds exact rule ids or `<analyzer>.*`."""
    return any(rule_id == w or (w.endswith(".*") and rule_id.startswith(w[:-1])) for w in wanted)


def _pattern_quotes(check: Check, text: str, profile: CustomerProfile, expecting: bool) -> list[Quote]:
    """Pattern matches said in earnest: an expected phrase must not be negated or conditional, an
    avoided one must not be negated ("I won't ask you to restart the router")."""
    quotes = [Quote(m.group(0), m.start(), m.end(), "pattern")
              for pattern in check.patterns for m in pattern.finditer(text)
              if m.end() > m.start() and not is_negated(text, m.start())
              and not (expecting and is_conditional(text, m.start()))]
    if check.name:
        name = re.compile(rf"\b{re.escape(profile.first_name)}\b")
        quotes += [Quote(m.group(0), m.start(), m.end(), "name") for m in name.finditer(text)]
    return quotes


def _ordered(quotes: list[Quote]) -> tuple[Quote, ...]:
    """Document order, without spans inside another one (a pattern and a rule often find the same words)."""
    kept: list[Quote] = []
    for quote in sorted(quotes, key=lambda q: (q.start, -q.end, q.source)):
        if kept and quote.end <= kept[-1].end:
            continue
        kept.append(quote)
    return tuple(kept)


def check_goal(goal: Goal, turn: int, report: Report, profile: CustomerProfile) -> GoalResult:
    """Whether the reply in `report` meets `goal`, with the quoted spans that show it."""
    text = report.text
    evidence: list[Quote] = []
    violations: list[Quote] = []
    notes: list[str] = []
    met = True
    if goal.expect is not None:
        evidence = [Quote(e.text, e.start, e.end, e.rule) for e in report.evidence
                    if rule_matches(e.rule, goal.expect.rules)]
        evidence += _pattern_quotes(goal.expect, text, profile, expecting=True)
        if not evidence:
            met = False
            notes.append("Not found in this reply.")
    if goal.avoid is not None:
        broken = [f for f in report.findings if rule_matches(f.rule, goal.avoid.rules) and meant(f, text)]
        violations = [Quote(f.text, f.start, f.end, f.rule) for f in broken]
        violations += _pattern_quotes(goal.avoid, text, profile, expecting=False)
        if violations:
            met = False
            notes += [f.message for f in broken[:1]]
    for dimension, minimum in goal.scores:
        score = report.overall if dimension == "overall" else report.scores.get(dimension)
        if score is None:
            notes.append(f"{dimension} could not be scored ({report.status.get(dimension, 'not run')}).")
        elif score < minimum:
            met = False
            notes.append(f"{dimension} scored {score:.0f}; this goal needs {minimum:.0f}.")
    return GoalResult(goal, turn, met, _ordered(evidence), _ordered(violations), tuple(notes))
