"""Whether a phrase found in a reply is said, or only mentioned: negated ("I won't ask you to restart
the router") or conditional ("if the problem happens again").

Goal patterns are short regular expressions; these checks read the clause each match sits in (the
text between sentence or clause punctuation before it), so "again" in "ring me if it happens again"
does not acknowledge a repeat, and "restart the router" in "you don't need to restart the router"
is not a brush-off. Analyser findings are read the same way where practice.yaml `not_meant` says a
rule's phrase can mean something else ("your fault number").
"""
from __future__ import annotations

import functools
import re

from coach.findings import Finding
from coach.practice.settings import practice_settings

# Where a clause starts: sentence ends, line breaks, and clause punctuation.
_CLAUSE_BREAK = re.compile(r"[.!?;:,()\u2014\u2013]\s|\n|[.!?]$")
_CONDITIONAL = re.compile(r"\b(?:if|in case|unless|whenever|when|should (?:it|this|that|the|you|anything)|"
                          r"were (?:it|this))\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|never|without|nor|neither|won't|don't|doesn't|didn't|can't|cannot|"
                       r"shouldn't|wouldn't|isn't|aren't|wasn't|no need|nothing)\b|n't\b|n’t\b", re.IGNORECASE)
# How many words before a phrase a negation may stand and still apply to it.
_NEGATION_REACH = 5


def clause_before(text: str, start: int) -> str:
    """The part of the phrase's clause that comes before it."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    return text[breaks[-1] if breaks else 0:start]


def is_conditional(text: str, start: int) -> bool:
    """The phrase at `start` sits in an if/when/unless clause: a possibility, not a statement."""
    return bool(_CONDITIONAL.search(clause_before(text, start)))


def is_negated(text: str, start: int) -> bool:
    """A negation stands a few words before the phrase at `start`, in the same clause."""
    words = clause_before(text, start).split()
    return bool(_NEGATION.search(" ".join(words[-_NEGATION_REACH:])))


@functools.cache
def _not_meant() -> dict[str, tuple[re.Pattern[str], ...]]:
    return {rule: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
            for rule, patterns in practice_settings()["not_meant"].items()}


def meant(finding: Finding, text: str) -> bool:
    """False when the finding's phrase, read on to the end of its sentence, means something else."""
    patterns = _not_meant().get(finding.rule, ())
    rest = re.split(r"[.!?\n]", text[finding.start:], maxsplit=1)[0] if patterns else ""
    return not any(p.search(rest) for p in patterns)
