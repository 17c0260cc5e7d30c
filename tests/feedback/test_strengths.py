"""Strengths: one or two specific things the reply does well, quoting it; the strongest is what
this customer needs most."""
from __future__ import annotations

import pytest

from coach.feedback import attach

TEXT = ("Hi Maria,\n\nI understand how frustrating this is. I'll call you within two hours.\n\n"
        "Let me know if anything else comes up.\n\nBest regards,\nKai")
EVIDENCE = [("tone.greeting", "Hi"), ("empathy.acknowledgement", "I understand how frustrating this is"),
            ("empathy.ownership", "I'll call"), ("empathy.time-frame", "within two hours"),
            ("empathy.further-help", "Let me know if anything else comes up"), ("tone.closing", "Best regards")]


def test_strengths_quote_the_reply(make_report):
    report = attach(make_report(TEXT, evidence=EVIDENCE))
    assert 1 <= len(report.strengths) <= 2
    for strength in report.strengths:
        quoted = strength.split("'")[1]
        assert quoted in TEXT


@pytest.mark.parametrize(("mood", "first"), [
    ("upset", "You showed you understand how Maria feels: 'I understand how frustrating this is'."),
    ("anxious", "You showed you understand how Maria feels: 'I understand how frustrating this is'."),
])
def test_strengths_strongest_is_what_this_customer_needs(make_report, mood, first):
    report = attach(make_report(TEXT, evidence=EVIDENCE, mood=mood, name="Maria"))
    assert report.strengths[0] == first


def test_strengths_time_frame_is_praised_specifically(make_report):
    report = attach(make_report(TEXT, evidence=EVIDENCE[3:4]))
    assert report.strengths == ["You gave a clear time frame: 'within two hours'."]


def test_strengths_a_passage_that_is_also_a_problem_is_not_praised(make_report):
    text = "Please reply with your password. Thanks for your patience."
    report = attach(make_report(text, [("security.asks-for-password", "critical", "reply with your password", None)],
                                [("empathy.next-step", "Please reply with your password"), ("tone.gratitude", "Thanks")]))
    assert all("password" not in s for s in report.strengths)
    assert report.strengths == ["Your tone is friendly and respectful: 'Thanks'."]


def test_strengths_without_evidence_praise_a_clean_dimension(make_report):
    report = attach(make_report("Restart it. Clear it.", [("tone.curt-command", "warning", "Restart it.", None)]))
    assert report.strengths == ["You kept your customer's account safe: nothing in the reply asks for or shares a secret."]


def test_strengths_none_when_nothing_stands_out(make_report):
    scores = {name: 50.0 for name in ("jargon", "readability", "tone", "empathy", "grammar", "security")}
    report = attach(make_report("Restart it.", [("tone.curt-command", "warning", "Restart it.", None)], scores=scores))
    assert report.strengths == []
