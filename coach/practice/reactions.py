"""The customer's next message, assembled from what the reply actually said.

A message has three parts, each optional: what the customer heard (the reply's own words, quoted:
an unexplained term, a blame phrase, what asked for a secret, a promise), the scenario's line for
the reply's outcome (coach/data/practice.yaml `default_reactions` when it has none), and the
scenario's next question, which is the same on every path so that later goals make sense whatever
happened before.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from coach.practice.goals import GoalResult, rule_matches
from coach.practice.meaning import clause_before, is_conditional, meant
from coach.practice.scenarios import Response, Turn
from coach.practice.settings import practice_settings
from coach.report import Report

# A promise is something the agent will do; "you'll need to" hands the work back.
_FIRST_PERSON = re.compile(r"^(?:I|we)\b", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,;:.!?\"'“”]+$")
_COMMITMENT = re.compile(r"\b(?:will|shall|going to)\b|['’]ll\b", re.IGNORECASE)
_LEADING_JOIN = re.compile(r"^(?:and|but|so|then|or)\s+", re.IGNORECASE)
# "I've checked" alone is not worth quoting back
_MIN_STEP_WORDS = 4


@dataclass(frozen=True)
class Reaction:
    message: str
    mood: str | None
    heard: dict[str, str]


def _to_clause_end(text: str, start: int, end: int) -> str:
    """text[start:end] carried on to the end of its clause ("u shud of done" -> "u shud of done the training")."""
    stop = re.search(r"[.!?;:,\n]", text[end:])
    return text[start:end + stop.start()] if stop else text[start:]


def _sentence(text: str, start: int) -> str:
    """The sentence holding the character at `start`."""
    before = max(text.rfind(mark, 0, start) for mark in ".!?\n") + 1
    after = re.search(r"[.!?\n]", text[start:])
    return text[before:start + after.start()] if after else text[before:]


def _quote(text: str) -> str:
    """A passage cut to a quotable length at a word boundary, without its trailing punctuation."""
    text = _TRAILING.sub("", " ".join(text.split()))
    limit = practice_settings()["quote_max_chars"]
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def heard_in(report: Report, goals: tuple[GoalResult, ...], audience: str) -> dict[str, str]:
    """The passages of the reply a customer would pick up on, by quote field (see QUOTE_FIELDS)."""
    settings = practice_settings()
    text = report.text
    findings = [f for f in report.findings if f.text.strip() and meant(f, text)]
    heard: dict[str, str] = {}
    if audience == "non-technical":
        terms = [f for f in findings if rule_matches(f.rule, tuple(settings["jargon_rules"]))]
        if terms:
            heard["term"] = _quote(terms[0].text)
    # blame and talking down first, then other tone slips (shouting, curt commands)
    tiers = ([(f.start, f.text) for f in findings if rule_matches(f.rule, tuple(settings["cold_rules"]))]
             + [(q.start, q.text) for g in goals if not g.met and g.goal.on_miss == "cold" for q in g.violations],
             [(f.start, f.text) for f in findings if f.analyzer == "tone" and f.severity != "hint"])
    for tier in tiers:
        if tier:
            start, phrase = min(tier)
            heard["blame"] = _quote(_to_clause_end(text, start, start + len(phrase)))
            break
    unsafe = [(f.start, f.text) for f in findings if f.severity in settings["unsafe_severities"]]
    unsafe += [(q.start, q.text) for g in goals if not g.met and g.goal.on_miss == "unsafe" for q in g.violations]
    if unsafe:
        heard["unsafe"] = _quote(min(unsafe)[1])
    # a promise is a time frame in a commitment ("I'll call you at 4pm", "it will reach you by Friday"),
    # not any date ("From Friday, signing in takes two steps"); a step is what the agent will do
    promises = [e for e in report.evidence if e.rule == "empathy.time-frame" and not is_conditional(text, e.start)
                and _COMMITMENT.search(_sentence(text, e.start))]
    steps = [_to_clause_end(text, e.start, e.end).strip() for e in report.evidence
             if e.rule in ("empathy.ownership", "empathy.next-step") and _FIRST_PERSON.match(e.text.strip())
             and not is_conditional(text, e.start)]
    steps = [step for step in steps if len(step.split()) >= _MIN_STEP_WORDS]
    if promises:
        first = promises[0]
        heard["promise"] = _quote(_LEADING_JOIN.sub("", clause_before(text, first.start).lstrip() + first.text))
    if steps:
        heard["step"] = _quote(max(steps, key=len))
    return heard


def _heard_line(outcome: str, heard: dict[str, str]) -> str:
    for template in practice_settings()["heard"][outcome]:
        fields = re.findall(r"{(\w+)}", template)
        if all(name in heard for name in fields):
            return template.format(**{name: heard[name] for name in fields})
    return ""


def react(turn: Turn, outcome: str, report: Report, goals: tuple[GoalResult, ...], audience: str) -> Reaction:
    """The customer's message after a reply with this outcome, and their mood (None: the default)."""
    heard = heard_in(report, goals, audience)
    response = turn.reactions.get(outcome) or Response(practice_settings()["default_reactions"][outcome])
    parts = [_heard_line(outcome, heard), response.message, turn.next or ""]
    return Reaction(" ".join(p for p in parts if p), response.mood, heard)
