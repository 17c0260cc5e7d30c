"""The Report: one text's scores, findings and feedback, in the shape of ../shared/DESIGN.md."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coach.context import Persona
from coach.findings import Evidence, Finding

SCHEMA = "coach.report/1"


@dataclass(frozen=True)
class Suggestion:
    """One mentor suggestion, anchored on a passage (start < end) or on an absence (start == end,
    the place where the missing sentence would go). `rewrite` replaces text[start:end]."""

    priority: int
    analyzer: str
    rule: str
    title: str
    detail: str
    quote: str
    start: int
    end: int
    rewrite: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"priority": self.priority, "analyzer": self.analyzer, "rule": self.rule,
                "title": self.title, "detail": self.detail, "quote": self.quote,
                "start": self.start, "end": self.end, "rewrite": self.rewrite}


@dataclass
class Report:
    text: str
    scores: dict[str, float | None]
    status: dict[str, str]
    findings: list[Finding]
    evidence: list[Evidence]
    metrics: dict[str, Any]
    overall: float | None
    persona: Persona
    customer_message: str | None = None
    channel: str = "email"
    suggestions: list[Suggestion] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    summary: str = ""

    MAX_SHOWN_SUGGESTIONS = 3

    @property
    def feedback(self) -> list[Suggestion]:
        """The top suggestions shown to the agent; `suggestions` holds the rest too."""
        return self.suggestions[: self.MAX_SHOWN_SUGGESTIONS]

    def findings_of(self, analyzer: str) -> list[Finding]:
        return [f for f in self.findings if f.analyzer == analyzer]

    def has_rule(self, rule: str) -> bool:
        return any(f.rule == rule for f in self.findings) or any(e.rule == rule for e in self.evidence)

    def to_dict(self, all_suggestions: bool = False) -> dict[str, Any]:
        shown = self.suggestions if all_suggestions else self.feedback
        return {
            "schema": SCHEMA,
            "overall": self.overall,
            "scores": dict(self.scores),
            "status": dict(self.status),
            "findings": [f.to_dict() for f in self.findings],
            "evidence": [e.to_dict() for e in self.evidence],
            "strengths": list(self.strengths),
            "feedback": [s.to_dict() for s in shown],
            "summary": self.summary,
            "audience": self.persona.audience,
            "customer_mood": self.persona.mood,
            "channel": self.channel,
            "metrics": dict(self.metrics),
        }
