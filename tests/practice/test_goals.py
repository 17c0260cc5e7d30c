"""Goal checks quote the reply's own words: what met an `expect`, what broke an `avoid`."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.practice import PracticeSession, load_library
from coach.practice.goals import check_goal, rule_matches


@pytest.fixture(scope="module")
def library():
    return load_library()


def _check(library, scenario_id: str, goal_id: str, reply: str, turn: int = 1):
    scenario = library.get(scenario_id)
    goal = next(g for g in scenario.goals if g.id == goal_id)
    report = analyze(reply, customer_message=scenario.opening, persona=PracticeSession(scenario).persona())
    result = check_goal(goal, turn, report, scenario.persona)
    for quote in (*result.evidence, *result.violations):
        assert reply[quote.start:quote.end] == quote.text
    return result


@pytest.mark.parametrize(("scenario_id", "goal_id", "reply", "evidence"), [
    ("third-outage-this-week", "acknowledge-repeat",
     "Hi Dan, I'm sorry this has happened a third time.", ["third"]),
    ("third-outage-this-week", "use-his-name", "Hi Dan, the engineer is booked.", ["Dan"]),
    ("third-outage-this-week", "time-frame",
     "The engineer will visit within 2 hours and I'll confirm by 5pm.", ["within 2 hours", "by 5pm"]),
    ("third-outage-this-week", "answer-the-charge",
     "No, you won't be charged for the visit.", ["won't be charged"]),
    ("outage-no-eta", "honest-no-eta",
     "Hi Bethany, I don't have a fix time yet, and I won't guess.", ["don't have a fix time"]),
    ("disable-mfa-request", "refuse-clearly",
     "Hi Derek, I can't turn the codes off, but there is a better way.", ["can't turn"]),
])
def test_goals_met_with_quoted_evidence(library, scenario_id, goal_id, reply, evidence):
    result = _check(library, scenario_id, goal_id, reply)
    assert result.met
    assert [q.text for q in result.evidence] == evidence
    assert result.violations == ()


@pytest.mark.parametrize(("scenario_id", "goal_id", "reply", "violations"), [
    ("third-outage-this-week", "no-restart-brush-off",
     "Hi Dan, please restart the router and try again.", ["restart the router"]),
    ("clicked-phishing-link", "no-password",
     "Hi Aisha, could you send me your password so I can check?", ["send me your password"]),
    ("elderly-email-stopped", "no-condescension",
     "Dear Mrs Ellis, obviously the settings are easy to find.", ["obviously"]),
    ("disable-mfa-request", "never-switch-off",
     "Hi Derek, I've turned off the codes for your account.", ["I've turned off the codes"]),
])
def test_goals_missed_quote_what_broke_them(library, scenario_id, goal_id, reply, violations):
    result = _check(library, scenario_id, goal_id, reply)
    assert not result.met
    assert [q.text for q in result.violations if q.source in ("pattern", "name")] == violations


@pytest.mark.parametrize(("scenario_id", "goal_id", "reply", "quote", "rule"), [
    ("third-outage-this-week", "plain-workaround",
     "Your card machine can use your phone. Set the SSID and the DHCP lease renews.", "DHCP lease",
     "jargon.glossary-term"),
])
def test_goals_use_analyser_findings_as_evidence(library, scenario_id, goal_id, reply, quote, rule):
    result = _check(library, scenario_id, goal_id, reply, turn=2)
    assert not result.met
    assert any(q.text == quote and q.source == rule for q in result.violations)


@pytest.mark.parametrize(("scenario_id", "goal_id", "reply"), [
    ("third-outage-this-week", "acknowledge-repeat", "Hello, the engineer is booked."),
    ("third-outage-this-week", "use-his-name", "Hello, the engineer is booked."),
])
def test_goals_missed_expect_has_a_note_and_no_quote(library, scenario_id, goal_id, reply):
    result = _check(library, scenario_id, goal_id, reply)
    assert not result.met
    assert result.evidence == ()
    assert result.notes == ("Not found in this reply.",)


@pytest.mark.parametrize(("rule", "wanted", "matches"), [
    ("jargon.acronym", ("jargon.*",), True),
    ("jargon.acronym", ("jargon.glossary-term",), False),
    ("empathy.time-frame", ("empathy.time-frame",), True),
])
def test_goals_rule_matches_exact_or_wildcard(rule, wanted, matches):
    assert rule_matches(rule, wanted) is matches
