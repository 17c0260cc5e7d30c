"""The one-line summary: a mentor's voice, built from this reply's strongest point and top suggestion."""
from __future__ import annotations

from coach.feedback import attach

GOOD = ("Hi Maria,\n\nI understand how frustrating this is. I'll call you within two hours.\n\nBest regards,\nKai")


def test_summary_names_the_strength_and_the_top_suggestion(make_report):
    report = attach(make_report(GOOD, [("jargon.glossary-term", "warning", "call", "phone")],
                                [("empathy.time-frame", "within two hours")], name="Maria"))
    assert report.summary == ("Your time frame ('within two hours') lets Maria plan; "
                              "next, swap 'call' for plain words.")


def test_summary_changes_with_the_reply(make_report):
    first = attach(make_report(GOOD, [("empathy.no-apology", "warning", "", None)],
                               [("empathy.time-frame", "within two hours")]))
    second = attach(make_report(GOOD, [("tone.blame", "warning", "I'll call", None)],
                                [("empathy.acknowledgement", "I understand how frustrating this is")]))
    assert first.summary != second.summary
    assert "within two hours" in first.summary and "sorry" in first.summary
    assert "I understand" in second.summary and "blame" in second.summary


def test_summary_without_problems_says_ready(make_report):
    report = attach(make_report(GOOD, evidence=[("empathy.time-frame", "within two hours")]))
    assert report.summary.endswith("this reply is ready to send.")
    assert report.suggestions == []


def test_summary_without_strengths_leads_with_the_fix(make_report):
    scores = {name: 50.0 for name in ("jargon", "readability", "tone", "empathy", "grammar", "security")}
    report = attach(make_report("Restart it.", [("tone.curt-command", "warning", "Restart it.", None)], scores=scores))
    assert report.summary == "To make this reply work for your customer, turn the bare commands into requests."


def test_summary_of_a_cold_reply_with_nothing_to_fix_says_so_instead_of_ready():
    """No rule fires on a polite-sounding brush-off, but people rate its tone low: the summary
    says it reads cold and does not call it ready to send."""
    from coach.engine import analyze

    report = analyze("Honestly, that's a question for the product team, not us. Feel free to raise it with them.",
                     customer_message="Why can't I export my reports to Excel anymore?", channel="chat")
    assert report.scores["tone"] < 45 and not report.suggestions
    assert "reads cold" in report.summary and "ready to send" not in report.summary


def test_summary_of_a_neutral_reply_with_nothing_to_fix_still_says_ready(make_report):
    scores = {name: 100.0 for name in ("jargon", "readability", "empathy", "grammar", "security")} | {"tone": 60.0}
    report = attach(make_report(GOOD, evidence=[("empathy.time-frame", "within two hours")], scores=scores))
    assert report.summary.endswith("this reply is ready to send.")
