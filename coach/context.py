"""The shared input every analyser reads: the reply's Doc plus what we know about the customer,
the conversation it belongs to, and the team's own settings."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from coach.findings import Finding

AUDIENCES = ("non-technical", "technical")
MOODS = ("calm", "upset", "anxious")
CHANNELS = ("email", "chat")
ROLES = ("customer", "agent")


@dataclass(frozen=True)
class Persona:
    """Who the reply is for. From a scenario's persona, or inferred from the customer's message."""

    audience: str = "non-technical"
    mood: str = "calm"
    name: str | None = None
    # the customer's own words that showed their mood ("third time"), for feedback to quote back
    mood_cue: str | None = None


@dataclass(frozen=True)
class Turn:
    """One earlier message of the conversation: who wrote it and what they wrote."""

    role: str
    text: str


@dataclass(frozen=True)
class TeamTerm:
    """A team's own glossary term: flagged like a glossary term, with the team's plain wording."""

    term: str
    plain: str
    explanation: str | None = None


@dataclass(frozen=True)
class TeamSettings:
    """What a team has decided for its own checks: its terms, words its customers know, and rules it
    turned off or down to hints (shown, never scored)."""

    terms: tuple[TeamTerm, ...] = ()
    approved_words: frozenset[str] = frozenset()
    disabled_rules: frozenset[str] = frozenset()
    hint_rules: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AnalysisContext:
    """`text` is the reply exactly as given; `doc` was parsed from a same-length copy of it
    (HTML tags blanked out), so token offsets are offsets into `text`.

    `channel` is "email" or "chat"; `history` holds the conversation's earlier turns, oldest first,
    not counting `customer_message` (the message this reply answers)."""

    text: str
    doc: Doc
    persona: Persona = field(default_factory=Persona)
    customer_message: str | None = None
    customer_doc: Doc | None = None
    channel: str = "email"
    history: tuple[Turn, ...] = ()
    team: TeamSettings = field(default_factory=TeamSettings)
    # the channel was guessed from the reply, not given: a rule may hold back on a reply whose
    # layout doesn't show which it is (one short line may well be a chat message)
    channel_inferred: bool = False

    @property
    def audience(self) -> str:
        return self.persona.audience

    @property
    def first_turn(self) -> bool:
        """Is this the agent's first message of the conversation (where a greeting belongs)?"""
        return not any(turn.role == "agent" for turn in self.history)

    @property
    def mid_chat(self) -> bool:
        """A chat turn after the first: a lead expects neither a greeting nor a sign-off here."""
        return self.channel == "chat" and not self.first_turn

    def finding(self, analyzer: str, rule: str, severity: str, start: int, end: int,
                message: str, suggestion: str | None = None) -> Finding:
        """A Finding whose quoted text is always `text[start:end]`."""
        return Finding(analyzer, rule, severity, start, end, self.text[start:end], message, suggestion)

    def split_hints(self, findings: list[Finding] | tuple[Finding, ...]) -> tuple[list[Finding], list[Finding]]:
        """(findings that count towards the score, hints that are shown but never scored).

        Every analyser scores only the first list. Rules the team turned off are dropped; rules it
        turned down, and findings an analyser itself marks as hints, go to the second list.
        """
        scored, hints = [], []
        for finding in findings:
            # a critical finding (a request for a password...) is never the team's to switch off
            if finding.rule in self.team.disabled_rules and finding.severity != "critical":
                continue
            if finding.severity == "hint":
                hints.append(finding)
            elif finding.rule in self.team.hint_rules and finding.severity != "critical":
                hints.append(replace(finding, severity="hint"))
            else:
                scored.append(finding)
        return scored, hints
