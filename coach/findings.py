"""Findings and per-analyser results: the small values every analyser returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

# "hint": shown to the writer but never scored (a rule not yet precise enough, or one a team
# turned down); the others, in rising order, lower the analyser's score.
Severity = Literal["hint", "suggestion", "warning", "error", "critical"]
SEVERITIES: tuple[str, ...] = get_args(Severity)


@dataclass(frozen=True)
class Finding:
    """One flagged passage (or, with an empty span, one specific absence).

    `start`/`end` are Python string offsets into the text as given, so
    `text[start:end] == finding.text` always holds.
    """

    analyzer: str
    rule: str
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r} for rule {self.rule}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}-{self.end} for rule {self.rule}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Evidence:
    """A passage that shows something the reply does well (a greeting, a time frame...).

    Feedback turns evidence into strengths; practice scenarios use it to prove a goal was met.
    """

    analyzer: str
    rule: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"analyzer": self.analyzer, "rule": self.rule, "start": self.start,
                "end": self.end, "text": self.text}


@dataclass(frozen=True)
class AnalyzerResult:
    """What one analyser says about one text. `score` is None when it could not run."""

    score: float | None
    findings: tuple[Finding, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict)
    status: str = "ok"
