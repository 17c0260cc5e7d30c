"""Goals are judged on meaning: negated and conditional phrases don't count, "your fault number" is
not blame, chatspeak blame is still blame."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.practice import PracticeSession, load_library
from coach.practice.goals import check_goal
from coach.practice.meaning import is_conditional, is_negated

LIBRARY = load_library()


@pytest.mark.parametrize(("text", "phrase", "conditional", "negated"), [
    ("If the problem happens again, ring me.", "again", True, False),
    ("Ring me if it drops again.", "again", True, False),
    ("I'm sorry this has happened again.", "again", False, False),
    ("You don't need to restart the router.", "restart the router", False, True),
    ("I won't ask you to restart the router.", "restart the router", False, True),
    ("Please restart the router.", "restart the router", False, False),
])
def test_meaning_conditional_and_negated(text, phrase, conditional, negated):
    start = text.index(phrase)
    assert is_conditional(text, start) is conditional
    assert is_negated(text, start) is negated


def _goal(scenario_id: str, goal_id: str, reply: str, turn: int = 1):
    scenario = LIBRARY.get(scenario_id)
    goal = next(g for g in scenario.goals if g.id == goal_id)
    report = analyze(reply, customer_message=scenario.opening, persona=PracticeSession(scenario).persona(),
                     channel=scenario.channel)
    return check_goal(goal, turn, report, scenario.persona)


@pytest.mark.parametrize(("scenario_id", "goal_id", "reply", "met"), [
    ("third-outage-this-week", "acknowledge-repeat", "Hi Dan, if the problem happens again, ring me.", False),
    ("third-outage-this-week", "acknowledge-repeat", "Hi Dan, I'm sorry it has dropped again.", True),
    ("third-outage-this-week", "no-restart-brush-off", "Hi Dan, you don't need to restart the router.", True),
    ("third-outage-this-week", "no-restart-brush-off", "Hi Dan, please restart the router.", False),
    ("third-outage-this-week", "no-blame", "Hi Dan, please quote your fault number when you call.", True),
    ("new-expenses-app-training", "no-webinar-blame", "Hi Howard, u shud of done the training.", False),
    ("new-expenses-app-training", "no-webinar-blame", "Hi Howard, it was all covered in the webinar.", False),
    ("new-expenses-app-training", "no-webinar-blame", "Hi Howard, I'll show you how it works now.", True),
    # "what you will do" is the agent's commitment, not an instruction to the customer
    ("third-outage-this-week", "own-next-step", "Hi Dan, change the cable on the portal.", False),
    ("third-outage-this-week", "own-next-step", "Hi Dan, I'll book an engineer for Friday.", True),
])
def test_meaning_goal_met_on_sense(scenario_id, goal_id, reply, met):
    assert _goal(scenario_id, goal_id, reply).met is met


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_meaning_fault_number_is_not_heard_as_blame(scenario_id):
    session = PracticeSession(LIBRARY.get(scenario_id))
    turn = session.reply("Hi Dan, I'm so sorry this is the third time this week. Please quote your fault "
                         "number when you call, and I'll book an engineer to find the cause today.")
    assert "blame" not in dict(turn.heard)
    assert turn.outcome == "good"
    assert "tone.blame" not in {s.rule for s in turn.coaching}
