"""Reports built by hand, for unit tests of the feedback layer that don't depend on the analysers'
exact output (the end-to-end tests in test_feedback.py run the real analyze())."""
from __future__ import annotations

import pytest

from coach.context import Persona
from coach.findings import Evidence, Finding
from coach.report import Report

SCORES = {"jargon": 80.0, "readability": 90.0, "tone": 70.0, "empathy": 40.0, "grammar": 100.0, "security": 100.0}


def _span(text: str, passage: str, at: str) -> tuple[int, int]:
    if passage == "":
        return (0, 0) if at == "start" else (len(text), len(text))
    start = text.index(passage)
    return start, start + len(passage)


def build_report(text, findings=(), evidence=(), mood="calm", name=None, customer=None, sentences=None,
                 scores=None, audience="non-technical", mood_cue=None):
    """Findings as (rule, severity, passage, suggestion[, "start" | "end"]) with "" for an absence;
    evidence as (rule, passage)."""
    built = []
    for rule, severity, passage, suggestion, *at in findings:
        start, end = _span(text, passage, at[0] if at else "start")
        built.append(Finding(rule.split(".")[0], rule, severity, start, end, text[start:end], "message", suggestion))
    proof = [Evidence(rule.split(".")[0], rule, *_span(text, passage, "start"), passage) for rule, passage in evidence]
    metrics = {"words": len(text.split()), "sentences": sentences if sentences is not None else text.count(". ") + 1}
    return Report(text=text, scores={**SCORES, **(scores or {})}, status={}, findings=built, evidence=proof,
                  metrics=metrics, overall=60.0, persona=Persona(audience=audience, mood=mood, name=name, mood_cue=mood_cue),
                  customer_message=customer)


@pytest.fixture
def make_report():
    return build_report
