"""The simulated customer: scripted replies through the real analysers reach the expected turns."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach import analyze
from coach.context import Persona
from coach.errors import InputError
from coach.practice import PracticeSession, load_library, run_scripted
from coach.practice.engine import PracticeFinishedError

CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "conversations.yaml").read_text(encoding="utf-8"))
PATHS = [pytest.param(scenario_id, name, id=f"{scenario_id}-{name}")
         for scenario_id, paths in CONVERSATIONS.items() for name in paths]


@pytest.fixture(scope="module")
def library():
    return load_library()


def _play(library, scenario_id: str, path: str) -> PracticeSession:
    return run_scripted(library.get(scenario_id), CONVERSATIONS[scenario_id][path]["replies"])


@pytest.mark.parametrize(("scenario_id", "path"), PATHS)
def test_engine_scripted_path_gets_expected_outcomes(library, scenario_id, path):
    session = _play(library, scenario_id, path)
    scenario = library.get(scenario_id)
    expected = CONVERSATIONS[scenario_id][path]["outcomes"]
    assert [t.outcome for t in session.turns] == expected
    for turn, outcome in zip(session.turns, expected):
        assert turn.next_message == scenario.turns[turn.number - 1].responses[outcome].message


@pytest.mark.parametrize(("scenario_id", "good_first", "poor_first"), [
    ("third-outage-this-week",
     "Thank you. That's the first time anyone has said they'll look at the actual cause. Saturday is "
     "our busiest day though. If it drops again before you've found the fault, what do I do?",
     "I don't know what \"line sync\" or a \"DHCP lease\" is. I make sandwiches. Is it fixed or not, "
     "and what am I supposed to do on Saturday if it drops again?"),
    ("clicked-phishing-link",
     "OK, I've changed it. My hands are shaking a bit, honestly. Is that enough? Can they still get "
     "into my email? And does my manager need to know?",
     "Wait, you want me to type my password here? The email I clicked asked for it too. How do I know "
     "you're really IT?"),
    ("disable-mfa-request",
     "Fine, I get why you won't switch it off. An app that works on a plane would actually be better. "
     "But I fly out Monday morning and I'm not fiddling with settings at an airport.",
     "Good, that's sorted then. Strange that it was so easy, mind you. I thought you'd put up more of "
     "a fight."),
])
def test_engine_good_and_poor_replies_reach_different_customer_messages(library, scenario_id, good_first, poor_first):
    good, poor = _play(library, scenario_id, "good"), _play(library, scenario_id, "poor")
    assert good.turns[0].next_message == good_first
    assert poor.turns[0].next_message == poor_first
    good_debrief, poor_debrief = good.debrief(), poor.debrief()
    assert good_debrief.goals_met > poor_debrief.goals_met
    assert good_debrief.average_overall > poor_debrief.average_overall
    assert good.closing_message == library.get(scenario_id).turns[-1].responses["resolved"].message
    assert poor.closing_message != good.closing_message


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week", "clicked-phishing-link"])
def test_engine_is_deterministic(library, scenario_id):
    first, second = _play(library, scenario_id, "poor"), _play(library, scenario_id, "poor")
    assert [t.to_dict() for t in first.turns] == [t.to_dict() for t in second.turns]
    assert first.debrief().to_dict() == second.debrief().to_dict()


@pytest.mark.parametrize(("scenario_id", "path", "reason"), [
    ("clicked-phishing-link", "poor", "unsafe: goal missed: Never ask her for the old or new password, or a code"),
    ("third-outage-this-week", "poor", "jargon: jargon.glossary-term: 'DHCP lease'"),
    ("third-outage-this-week", "poor", "cold: the customer is upset and the reply does not acknowledge it"),
])
def test_engine_first_turn_reasons_name_the_problem(library, scenario_id, path, reason):
    assert reason in _play(library, scenario_id, path).turns[0].reasons


@pytest.mark.parametrize("scenario_id", ["developer-api-errors"])
def test_engine_technical_persona_tolerates_jargon(library, scenario_id):
    reply = CONVERSATIONS[scenario_id]["jargon-ok"]["replies"][0]
    session = PracticeSession(library.get(scenario_id))
    assert session.persona().audience == "technical"
    assert session.reply(reply).outcome == "good"
    strict = analyze(reply, persona=Persona(audience="non-technical", mood="upset", name="Kenji"))
    assert any(f.rule.startswith("jargon.") for f in strict.findings)


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_engine_mood_changes_with_outcome(library, scenario_id):
    good, poor = _play(library, scenario_id, "good"), _play(library, scenario_id, "poor")
    assert [t.mood for t in good.turns] == ["upset", "calm", "calm"]
    assert [t.mood for t in poor.turns] == ["upset", "upset", "upset"]


@pytest.mark.parametrize("scenario_id", ["printer-first-day"])
def test_engine_rejects_reply_after_the_end_and_too_many_replies(library, scenario_id):
    scenario = library.get(scenario_id)
    replies = ["Hi Leo, welcome! 1. Click Print. 2. Choose Add a printer."] * len(scenario.turns)
    session = run_scripted(scenario, replies)
    assert session.finished
    with pytest.raises(PracticeFinishedError):
        session.reply("One more thing.")
    with pytest.raises(InputError, match="has 2 turns"):
        run_scripted(scenario, [*replies, "extra"])


@pytest.mark.parametrize("reply", ["", "   \n"])
def test_engine_empty_reply_is_an_input_error_and_does_not_advance(library, reply):
    session = PracticeSession(library.get("printer-first-day"))
    with pytest.raises(InputError):
        session.reply(reply)
    assert session.turn_number == 1
