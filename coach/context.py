"""The shared input every analyser reads: the reply's Doc plus what we know about the customer."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from coach.findings import Finding

AUDIENCES = ("non-technical", "technical")
MOODS = ("calm", "upset", "anxious")


@dataclass(frozen=True)
class Persona:
    """Who the reply is for. From a scenario's persona, or inferred from the customer's message."""

    audience: str = "non-technical"
    mood: str = "calm"
    name: str | None = None
    # the customer's own words that showed their mood ("third time"), for feedback to quote back
    mood_cue: str | None = None


@dataclass(frozen=True)
class AnalysisContext:
    """`text` is the reply exactly as given; `doc` was parsed from a same-length copy of it
    (HTML tags blanked out), so token offsets are offsets into `text`."""

    text: str
    doc: Doc
    persona: Persona = field(default_factory=Persona)
    customer_message: str | None = None
    customer_doc: Doc | None = None

    @property
    def audience(self) -> str:
        return self.persona.audience

    def finding(self, analyzer: str, rule: str, severity: str, start: int, end: int,
                message: str, suggestion: str | None = None) -> Finding:
        """A Finding whose quoted text is always `text[start:end]`."""
        return Finding(analyzer, rule, severity, start, end, self.text[start:end], message, suggestion)
