"""Each suggestion: the exact passage, why it matters to this customer, and a rewrite where one can be made."""
from __future__ import annotations

import re

import pytest

from coach.feedback import attach
from coach.feedback.voice import customer_values, short

TEXT = ("Hi,\n\nObviously you should have restarted the router. Your DNS is down and the SSID changed. "
        "Please utilize the portal.\n\nBest regards,\nKai")
FINDINGS = [
    ("tone.condescension", "warning", "Obviously", "Leave it out."),
    ("tone.blame", "warning", "you should have", "Describe what happened."),
    ("jargon.glossary-term", "warning", "DNS", "internet address book"),
    ("jargon.glossary-term", "warning", "SSID", "Wi-Fi network name"),
    ("readability.complex-word", "suggestion", "utilize", "use"),
    ("empathy.no-acknowledgement", "warning", "", None),
    ("empathy.no-next-step", "warning", "", None, "end"),
    ("grammar.semantics", "warning", "changed", "has changed"),
]
EVIDENCE = [("tone.greeting", "Hi"), ("tone.closing", "Best regards")]
UPSET = "This is the THIRD time this week our wifi has gone down!!! Unacceptable."


@pytest.fixture
def report(make_report):
    return attach(make_report(TEXT, FINDINGS, EVIDENCE, mood="upset", name="Maria", customer=UPSET,
                              mood_cue="THIRD time"))


def test_suggestions_quote_the_exact_passage(report):
    for suggestion in report.suggestions:
        assert suggestion.quote == report.text[suggestion.start:suggestion.end]


def test_suggestions_absence_is_anchored_where_the_sentence_goes(report):
    ack = next(s for s in report.suggestions if s.rule == "empathy.no-acknowledgement")
    assert ack.start == ack.end and ack.quote == ""
    assert report.text[:ack.start] == "Hi,\n\n"
    step = next(s for s in report.suggestions if s.rule == "empathy.no-next-step")
    assert report.text[step.start:].startswith("Best regards")


def test_suggestions_explain_why_for_this_customer(report):
    ack = report.suggestions[0]
    assert ack.rule == "empathy.no-acknowledgement"
    assert "Maria" in ack.detail and '"THIRD time"' in ack.detail
    # the detail quotes Maria's words; the sentence itself is the agent's to write (a placeholder)
    assert ack.rewrite == "[say what you understand about their situation] "


def test_suggestions_details_are_short_kind_and_plain(report):
    for suggestion in report.suggestions:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", suggestion.detail) if s]
        assert 1 <= len(sentences) <= 3, suggestion.detail
        assert "{" not in suggestion.detail + suggestion.title
        own_words = suggestion.detail.replace(f"'{short(suggestion.quote)}'", "")
        assert not re.search(r"\byou (failed|forgot|should have|got it wrong)\b|\bmistake\b", own_words, re.I)


def test_suggestions_rewrites_come_from_the_finding_data(report):
    rewrites = {s.rule: (s.quote, s.rewrite) for s in report.suggestions}
    assert rewrites["jargon.glossary-term"] == ("DNS", "internet address book")
    assert rewrites["readability.complex-word"] == ("utilize", "use")
    assert rewrites["tone.condescension"] == ("Obviously you", "You")
    assert rewrites["grammar.semantics"] == ("changed", "has changed")


def test_suggestions_unknown_rule_uses_its_analyser_fallback(report):
    grammar = next(s for s in report.suggestions if s.rule == "grammar.semantics")
    assert grammar.title == "Check 'changed'"


@pytest.mark.parametrize(("mood", "audience", "expected"), [
    ("calm", "non-technical", "is a term Maria may not know"),
    ("upset", "non-technical", "Maria is upset already"),
    ("calm", "technical", "Even for a technical reader"),
])
def test_suggestions_why_adapts_to_mood_and_audience(make_report, mood, audience, expected):
    report = attach(make_report(TEXT, FINDINGS[2:3], mood=mood, audience=audience, name="Maria"))
    assert expected in report.suggestions[0].detail


def test_suggestions_unnamed_customer(make_report):
    report = attach(make_report(TEXT, FINDINGS[5:6], mood="upset"))
    assert report.suggestions[0].detail.startswith("Your customer is upset")
    assert report.suggestions[0].rewrite == "[say what you understand about their situation] "


@pytest.mark.parametrize("cue", ["THIRD time", None])
def test_voice_cue_placeholder_comes_from_the_persona(make_report, cue):
    report = make_report("Hi.", mood="upset", customer=UPSET, mood_cue=cue)
    assert customer_values(report)["cue"] == (cue or "")


def test_voice_short_cuts_long_passages_at_a_word():
    passage = "Restores are processed by the backup team according to the queue and are performed from the snapshot"
    assert short(passage, 40) == "Restores are processed by the backup…"
    assert short("DNS") == "DNS"


@pytest.mark.parametrize(("evidence", "comma_name"), [
    pytest.param([], ", Maria", id="name-not-used-yet"),
    pytest.param([("empathy.personalisation", "Maria")], "", id="already-greeted-by-name"),
])
def test_voice_drafted_sentences_name_the_customer_once(make_report, evidence, comma_name):
    report = make_report("Hi Maria, it works now.", evidence=evidence, name="Maria")
    assert customer_values(report)["comma_name"] == comma_name
