"""Ranking: suggestions ordered by how much each would improve the customer's experience."""
from __future__ import annotations

import pytest

from coach.feedback import attach
from coach.feedback.ranking import group_findings, impact, rank

REPLY = ("Obviously you should have restarted the router. Your password was reset. "
         "Please reply with your password. The DNS and the SSID are fine.")
FINDINGS = [
    ("tone.condescension", "warning", "Obviously", "Leave it out."),
    ("tone.blame", "warning", "you should have", "Describe what happened."),
    ("readability.passive-voice", "suggestion", "was reset", "Say who does it."),
    ("security.asks-for-password", "critical", "reply with your password", "Ask them to reset it."),
    ("jargon.glossary-term", "warning", "DNS", "internet address book"),
    ("jargon.glossary-term", "warning", "SSID", "Wi-Fi network name"),
    ("empathy.no-acknowledgement", "warning", "", None),
]


def test_ranking_critical_security_finding_comes_first(make_report):
    for mood in ("calm", "upset", "anxious"):
        report = attach(make_report(REPLY, FINDINGS, mood=mood, scores={"security": 15.0}))
        assert report.suggestions[0].rule == "security.asks-for-password", mood


@pytest.mark.parametrize("mood", ["upset", "anxious"])
def test_ranking_upset_customer_needs_acknowledgement_before_style(make_report, mood):
    report = attach(make_report(REPLY, FINDINGS[2:3] + FINDINGS[4:], mood=mood))
    rules = [s.rule for s in report.suggestions]
    assert rules[0] == "empathy.no-acknowledgement"
    assert rules.index("empathy.no-acknowledgement") < rules.index("readability.passive-voice")


def test_ranking_mood_raises_the_weight_of_acknowledgement(make_report):
    calm, upset = (make_report(REPLY, FINDINGS[4:], mood=m) for m in ("calm", "upset"))
    group = next(g for g in group_findings(calm.findings) if g.rule == "empathy.no-acknowledgement")
    assert impact(group, upset) > impact(group, calm)


def test_ranking_low_dimension_score_raises_priority(make_report):
    low, high = (make_report(REPLY, FINDINGS[4:6], scores={"jargon": s}) for s in (20.0, 95.0))
    group = group_findings(low.findings)[0]
    assert impact(group, low) > impact(group, high)


def test_ranking_repeated_findings_become_one_suggestion_quoting_the_first(make_report):
    report = attach(make_report(REPLY, FINDINGS[4:6]))
    jargon = [s for s in report.suggestions if s.rule == "jargon.glossary-term"]
    assert len(jargon) == 1
    assert jargon[0].quote == "DNS"
    assert "2" in jargon[0].detail and "'SSID'" in jargon[0].detail


def test_ranking_group_quotes_the_worst_finding(make_report):
    text = "The VPN uses a TTL."
    report = make_report(text, [("jargon.acronym", "suggestion", "VPN", None), ("jargon.acronym", "warning", "TTL", None)])
    assert group_findings(report.findings)[0].lead.text == "TTL"


def test_ranking_repeats_count_for_more(make_report):
    once = make_report(REPLY, FINDINGS[4:5])
    twice = make_report(REPLY, FINDINGS[4:6])
    assert impact(group_findings(twice.findings)[0], twice) > impact(group_findings(once.findings)[0], once)


def test_ranking_technical_audience_lowers_jargon(make_report):
    findings = [FINDINGS[2], FINDINGS[4]]
    lay, tech = (make_report(REPLY, findings, audience=a) for a in ("non-technical", "technical"))
    jargon = next(g for g in group_findings(lay.findings) if g.analyzer == "jargon")
    assert impact(jargon, tech) < impact(jargon, lay)


def test_ranking_extra_weights_and_goals_lift_a_rule(make_report):
    report = make_report(REPLY, FINDINGS[:3])
    assert rank(report)[0].rule != "readability.passive-voice"
    assert rank(report, {"readability.passive-voice": 50.0})[0].rule == "readability.passive-voice"
    assert rank(report, {"readability.*": 50.0})[0].rule == "readability.passive-voice"


def test_ranking_goal_named_by_its_evidence_lifts_the_absence(make_report):
    text = "Your laptop is ready. Obviously it works."
    findings = [("tone.condescension", "warning", "Obviously", None), ("empathy.no-time-frame", "suggestion", "", None, "end")]
    assert attach(make_report(text, findings)).suggestions[0].rule == "tone.condescension"
    report = attach(make_report(text, findings), goals=["empathy.time-frame"])
    assert report.suggestions[0].rule == "empathy.no-time-frame"


def test_ranking_is_deterministic_and_independent_of_finding_order(make_report):
    forward = attach(make_report(REPLY, FINDINGS))
    backward = attach(make_report(REPLY, list(reversed(FINDINGS))))
    assert forward.suggestions == backward.suggestions
    assert [s.priority for s in forward.suggestions] == list(range(1, len(forward.suggestions) + 1))


def test_ranking_at_most_three_shown(make_report):
    report = attach(make_report(REPLY, FINDINGS))
    assert len(report.suggestions) == 6
    assert report.feedback == report.suggestions[:3]
    assert len(report.to_dict()["feedback"]) == 3


# The same content with the customer's question unanswered: the real analysers decide the findings.
UNANSWERED = [
    pytest.param("I have a presentation at 2pm and our office internet is down. When will it be back?",
                 "Dear customer, we are aware of the network outage. Our engineers are working on it. The "
                 "issue was caused by a BGP misconfiguration on the core router. ETA for resolution is TBD.",
                 "When will it be back?", id="outage-jargon"),
    pytest.param("The app keeps logging me out. Why does this happen, and how do I stop it?",
                 "Hi Priya, thanks for your message. I have passed this to our app team. Best regards, Jo",
                 "Why does this happen", id="why-how"),
]


@pytest.mark.parametrize(("customer", "reply", "question"), UNANSWERED)
def test_ranking_an_unanswered_question_comes_first_and_is_quoted(customer, reply, question):
    from coach import analyze
    report = analyze(reply, customer_message=customer)
    top = report.suggestions[0]
    assert top.rule == "empathy.unanswered-question"
    assert question in top.detail
