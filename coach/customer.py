"""What the customer's message tells us about them: mood, technical level, name, terms they used."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pydantic import Field
from spacy.language import Language
from spacy.tokens import Doc, Span

from coach import glossary
from coach.context import Persona
from coach.datafiles import StrictSettings, validate
from coach.rules import compiled_rules, load_ruleset
from coach.sentiment import sentiment

QUESTION_KINDS = ("when", "why", "how", "yes-no", "what", "request")


class RequestSettings(StrictSettings):
    question_openers: frozenset[str] = Field(description="first words that make a sentence a question")
    request_openers: tuple[str, ...] = Field(description="openings that make a sentence a request")
    when_words: tuple[str, ...] = Field(description="words of a question about time (besides 'when <aux>')")
    auxiliaries: frozenset[str] = Field(description="auxiliaries and modals that follow a question word")
    why_words: tuple[str, ...] = Field(description="words of a question about a cause")
    how_words: tuple[str, ...] = Field(description="words of a question asking for steps")
    fillers: frozenset[str] = Field(description="words skipped before a question's first word (also, so, ok)")
    thanks_words: frozenset[str] = Field(description="words of thanks")
    happy_sentiment: float = Field(description="VADER compound of a happy thank-you message")
    closing_words: frozenset[str] = Field(description="the only words of a message that just thanks or confirms")
    fixed_words: tuple[str, ...] = Field(description="words reporting that the problem is fixed ('that worked')")
    trouble_words: tuple[str, ...] = Field(description="words that say it still isn't fixed ('still', 'but')")


@dataclass(frozen=True)
class Request:
    """A question or request in the customer's message, with what kind of answer it needs."""

    kind: str  # one of QUESTION_KINDS
    text: str  # the customer's sentence, as they wrote it, on one line
    lemmas: frozenset[str]  # its content words, to see whether a reply takes it up


@functools.cache
def request_settings() -> RequestSettings:
    ruleset = load_ruleset("customer")
    return validate(RequestSettings, ruleset.settings.get("requests"), ruleset.path, "settings.requests")


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
    compound = sentiment(customer_doc.text)
    text = customer_doc.text
    worded = [m for m in cues["customer.upset"] if any(c.isalpha() for c in text[m.start:m.end])]
    if not worded and compound >= settings["shouting_sentiment"]:
        cues["customer.upset"] = []  # "Now it works!! :-) Thank you", "Jippieh!!": delight, not anger
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


def has_phrase(text: str, phrases: tuple[str, ...] | frozenset[str]) -> bool:
    """Does `text` hold one of `phrases` as whole words?"""
    if not phrases:
        return False
    return _phrase_pattern(phrases if isinstance(phrases, (tuple, frozenset)) else tuple(phrases)).search(text) is not None


def phrase_spans(text: str, phrases: tuple[str, ...] | frozenset[str]) -> list[tuple[int, int]]:
    """Where `text` holds one of `phrases` as whole words (has_phrase's matches), as (start, end)."""
    if not phrases:
        return []
    pattern = _phrase_pattern(phrases if isinstance(phrases, (tuple, frozenset)) else tuple(phrases))
    return [found.span() for found in pattern.finditer(text)]


@functools.lru_cache(maxsize=256)
def _phrase_pattern(phrases: tuple[str, ...] | frozenset[str]) -> re.Pattern[str]:
    """One regex for a list of phrases, compiled once: each phrase as whole words."""
    return re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in phrases))


def _kind(sentence: str, settings: RequestSettings, question: bool) -> str:
    lower = sentence.lower().replace("’", "'")
    words = lower.split()
    # "when" asks for a time only as the question word ("When will it be back?"), not as a
    # conjunction ("When I search, two options appear?")
    asks_when = len(words) > 1 and words[0] == "when" and words[1] in settings.auxiliaries
    if asks_when or has_phrase(lower, settings.when_words):
        return "when"
    if has_phrase(lower, settings.why_words):
        return "why"
    if has_phrase(lower, settings.how_words):
        return "how"
    first = lower.split()[0] if lower.split() else ""
    if question and first in settings.question_openers and first not in ("what", "which", "who", "where", "how"):
        return "yes-no"
    return "what" if question else "request"


def _content_lemmas(span: Span) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in span
                     if t.is_alpha and not t.is_stop and t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ", "NUM"))


def read_requests(customer_doc: Doc | None) -> tuple[Request, ...]:
    """The customer's questions and requests, each with the kind of answer it needs."""
    if customer_doc is None:
        return ()
    settings = request_settings()
    requests = []
    for sent in customer_doc.sents:
        text = " ".join(sent.text.split())
        words = [w.strip(",.!") for w in text.lower().replace("’", "'").split()]
        while words and words[0] in settings.fillers:
            words = words[1:]
        if not words:
            continue
        # without a question mark, only an opening like "when will", "can you", "how do" asks
        question = text.endswith("?") or (words[0] in settings.question_openers and len(words) > 2
                                           and words[1] in settings.auxiliaries | {"i", "you", "we", "it"}
                                           and words[0] not in ("is", "was", "have", "has"))
        if text.endswith("!"):
            continue  # "Stay healthy!", "Have a lovely evening!": wishes, not asks
        request = not question and any(" ".join(words).startswith(p) for p in settings.request_openers)
        if question or request:
            requests.append(Request(_kind(" ".join(words), settings, question), text, _content_lemmas(sent)))
    return tuple(requests)


def only_thanks(customer_doc: Doc | None) -> bool:
    """Does the customer's message only thank, confirm a fix or say goodbye ("Thanks, that worked!")?"""
    if customer_doc is None:
        return False
    words = [t.lower_.replace("’", "'") for t in customer_doc if t.is_alpha]
    settings = request_settings()
    if not words or "?" in customer_doc.text or read_requests(customer_doc):
        return False
    if all(w in settings.closing_words for w in words):
        return True
    # "Thanks, that worked! The printer is printing again.": thanks in a happy message that asks
    # nothing, reports a fix or sounds happy, and doesn't say something is still wrong
    thanked = any(w in settings.thanks_words for w in words)
    text = customer_doc.text.lower().replace("’", "'")
    if not thanked or has_phrase(text, settings.trouble_words):
        return False
    return has_phrase(text, settings.fixed_words) or sentiment(customer_doc.text) >= settings.happy_sentiment
