"""coach/rules.py's KeyedMatcher runs only the token patterns that can match, on the tokens where
they can: it must find exactly what one spaCy Matcher holding every pattern finds."""
from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from coach.analyzers.security import _config as security_config
from coach.rules import KeyedMatcher, compiled_rules, load_ruleset
from coach.samples import load_samples

PATTERN_RULESETS = ("tone", "empathy")

# edge cases for the windows: repeated words ("*" runs), matches at the very start and end
EDGE_TEXTS = [
    "I understand.",
    "I really really totally completely absolutely do understand how frustrating this is",
    "that is so so so so very really frustrating",
    "Let me know. What is your password? i need your 2FA code",
    "Please send me the code you have just just received",
    "You must be so very really worried",
    "Sorry, please sign in again",
    "understand I",
]


def _texts() -> list[str]:
    texts = list(EDGE_TEXTS)
    for name in PATTERN_RULESETS + ("security",):
        for rule in load_ruleset(name).rules:
            texts += [example.text for example in rule.flag_examples + rule.pass_examples]
    texts += [reply.text for case in load_samples() for reply in case.replies]
    return texts


def _plain(matcher: Matcher, doc) -> set[tuple[str, int, int]]:
    return {(doc.vocab.strings[key], start, end) for key, start, end in matcher(doc)}


def _keyed_matchers(nlp) -> dict[str, tuple[KeyedMatcher, Matcher]]:
    """Each KeyedMatcher in use, with a plain Matcher holding the same patterns under the same keys."""
    found = {}
    for name in PATTERN_RULESETS:
        plain = Matcher(nlp.vocab)
        for rule in load_ruleset(name).rules:
            if rule.patterns:
                plain.add(rule.id, [list(p) for p in rule.patterns])
        found[name] = (compiled_rules(name, nlp)._matcher, plain)
    security = security_config(nlp).matcher
    found["security"] = (security, security._all)  # built from the same calls as the KeyedMatcher
    return found


@pytest.mark.parametrize("name", [*PATTERN_RULESETS, "security"])
def test_keyed_matcher_finds_what_one_matcher_finds(nlp, name):
    keyed, plain = _keyed_matchers(nlp)[name]
    for doc in nlp.pipe(_texts()):
        got = keyed(doc)
        assert set(got) == _plain(plain, doc), doc.text
        assert len(got) == len(set(got)), "each match once"
        assert got == sorted(got, key=lambda match: (match[1], match[2])), "matches are in text order"


def test_keyed_matcher_skips_patterns_whose_words_are_missing(nlp):
    matcher = KeyedMatcher(nlp.vocab)
    matcher.add("maiden", [[{"LOWER": "maiden"}, {"LOWER": "name"}]])
    matcher.add("sorry", [[{"LOWER": "sorry"}, {"LOWER": {"IN": ["for", "about"]}, "OP": "?"}]])
    doc = nlp("Sorry about the wait, I have fixed your name in the system.")
    assert matcher(doc) == [("sorry", 0, 1), ("sorry", 0, 2)]
    assert matcher(nlp("Your maiden name is not needed.")) == [("maiden", 1, 3)]
    assert matcher(nlp("Nothing to find here.")) == []
