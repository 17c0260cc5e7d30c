"""The grammar analyser through coach.analyze(): the spelling fallback (no LanguageTool configured),
its status and score, and a live LanguageTool server when COACH_LANGUAGETOOL_URL is set.
The LanguageTool adapter itself is tested against a fake server in tests/test_grammar_checkers.py."""
from __future__ import annotations

import os

import pytest

from coach import analyze
from coach.analyzers import grammar as grammar_module
from coach.grammar_checkers import CheckerUnavailable

SPELLING_ONLY = "partial: spelling only, no LanguageTool"


@pytest.fixture
def no_languagetool(monkeypatch):
    monkeypatch.delenv("COACH_LANGUAGETOOL_URL", raising=False)
    monkeypatch.delenv("COACH_LANGUAGETOOL_DIR", raising=False)


def grammar_findings(report):
    return [(f.rule, f.text, f.suggestion) for f in report.findings_of("grammar")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Sam, you will recieve teh new invoice today.",
     [("recieve", "receive"), ("teh", "the")]),
    ("Recieve the file first, then restart the router.", [("Recieve", "Receive")]),
    ("Thanks 😊🎉 for waiting, the update has definately finished.", [("definately", "definitely")]),
    ("I checked <b>your</b> acount and it's active again.", [("acount", "account")]),
    ("Sorry, it happend because of a seperate billing problem.",
     [("happend", "happened"), ("seperate", "separate")]),
])
def test_grammar_flags_misspellings_with_exact_spans(no_languagetool, text, expected):
    report = analyze(text)
    assert report.status["grammar"] == SPELLING_ONLY
    assert grammar_findings(report) == [("grammar.spelling", word, fix) for word, fix in expected]
    for finding in report.findings_of("grammar"):
        assert text[finding.start:finding.end] == finding.text
        assert finding.severity == "warning"
        assert finding.suggestion in finding.message


@pytest.mark.parametrize("text", [
    "Hi Sam, Kubernetes restarted the DNS pods, so your wifi should work again.",
    "Please don't unplug the router; I'll e-mail you when it's done.",
    "Priya from the helpdesk reset your Okta login and your iPhone passcode prompt.",
    "Check https://status.example.com or write to it-help@example.com about config.yaml.",
    "Open the dropdown, tick the checkbox and take a screenshot of the popup.",
    "Run `sudo systemctl restart nginx` and send me the output of dmesg.",
    "We're sorry! You'll receive a refund within 5-7 business days.",
])
def test_grammar_leaves_names_acronyms_tech_words_and_contractions_alone(no_languagetool, text):
    report = analyze(text)
    assert report.status["grammar"] == SPELLING_ONLY
    assert grammar_findings(report) == []
    assert report.scores["grammar"] == 100.0


@pytest.mark.parametrize(("fewer", "more"), [
    ("You will recieve the invoice today and the refund tomorrow.",
     "You will recieve teh invoice today and the refund tommorow."),
])
def test_grammar_score_drops_with_each_error(no_languagetool, fewer, more):
    assert analyze(fewer).scores["grammar"] > analyze(more).scores["grammar"]


@pytest.mark.parametrize("short_text", ["You will recieve the invoice today."])
def test_grammar_score_counts_errors_per_100_words(no_languagetool, short_text):
    filler = " We have checked your account and everything else looks fine." * 12
    assert analyze(short_text + filler).scores["grammar"] > analyze(short_text).scores["grammar"]


def test_grammar_unavailable_only_when_nothing_can_run(no_languagetool, monkeypatch):
    def broken():
        raise CheckerUnavailable("no spelling dictionary (test)")

    monkeypatch.setattr(grammar_module, "spelling_checker", broken)
    report = analyze("You will recieve the invoice today.")
    assert report.scores["grammar"] is None
    assert report.status["grammar"] == "unavailable: no LanguageTool; no spelling dictionary (test)"
    assert "grammar" not in [f.analyzer for f in report.findings]
    assert report.overall is not None


@pytest.mark.integration
@pytest.mark.skipif(not os.environ.get("COACH_LANGUAGETOOL_URL"),
                    reason="needs a live LanguageTool server: set COACH_LANGUAGETOOL_URL")
@pytest.mark.parametrize(("text", "word"), [
    ("Hi 😊 Sam, you will recieve the invoice today.", "recieve"),
    ("He go to the office every day.", "go"),
])
def test_grammar_live_languagetool(text, word):
    report = analyze(text)
    assert report.status["grammar"] == "ok"
    spans = [f.text for f in report.findings_of("grammar")]
    assert any(word in span for span in spans), spans
    assert all(text[f.start:f.end] == f.text for f in report.findings_of("grammar"))
