"""What the customer's message tells us about them: mood, technical level, name, terms they used."""
from __future__ import annotations

import functools

from spacy.language import Language
from spacy.tokens import Doc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from coach import glossary
from coach.context import Persona
from coach.rules import compiled_rules, load_ruleset


@functools.cache
def _sentiment() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def infer_persona(customer_doc: Doc | None, nlp: Language, audience: str | None = None) -> Persona:
    """Infer audience (unless given), mood and name from the customer's message."""
    if customer_doc is None:
        return Persona(audience=audience or "non-technical")
    settings = load_ruleset("customer").settings
    matches = compiled_rules("customer", nlp).match(customer_doc)
    cues = {rule_id: [m for m in matches if m.rule.id == rule_id]
            for rule_id in ("customer.upset", "customer.anxious", "customer.technical", "customer.name")}
    technical_cues = len(cues["customer.technical"]) + len(glossary.find_terms(customer_doc))
    if audience is None:
        audience = "technical" if technical_cues >= settings["technical_cues_needed"] else "non-technical"
    compound = _sentiment().polarity_scores(customer_doc.text)["compound"]
    if cues["customer.upset"] and (len(cues["customer.upset"]) > 1 or compound <= settings["upset_sentiment"]):
        mood = "upset"
    elif cues["customer.anxious"]:
        mood = "anxious"
    elif cues["customer.upset"]:
        mood = "upset"
    else:
        mood = "calm"
    return Persona(audience=audience, mood=mood, name=_name(customer_doc, cues["customer.name"]),
                   mood_cue=_mood_cue(customer_doc, cues.get(f"customer.{mood}", [])))


def _mood_cue(customer_doc: Doc, mood_matches: list) -> str | None:
    """The customer's own words that showed their mood ("third time", "worried"), as they wrote them.

    Only word cues: "!!!" shows the mood too, but is nothing a mentor would quote back.
    """
    text = customer_doc.text
    for match in mood_matches:
        words = text[match.start:match.end]
        if any(ch.isalpha() for ch in words):
            return words
    return None


def _name(customer_doc: Doc, name_matches: list) -> str | None:
    text = customer_doc.text
    for match in name_matches:
        for expression in match.rule.regex:
            found = expression.search(text, match.start)
            if found and found.group(1):
                return found.group(1)
    return None


def customer_terms(customer_doc: Doc | None) -> set[str]:
    """Glossary term ids the customer used themselves (so they are not jargon in the reply)."""
    if customer_doc is None:
        return set()
    return {match.term.id for match in glossary.find_terms(customer_doc)}
