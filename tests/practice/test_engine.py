"""The simulated customer: deterministic runs, technical customers, and unusable replies."""
from __future__ import annotations

import pytest

from coach import analyze
from coach.context import Persona
from coach.errors import InputError
from coach.practice import PracticeSession, load_library, run_scripted
from coach.practice.engine import PracticeFinishedError
from tests.practice.scripts import JARGON, script

LIBRARY = load_library()


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week", "clicked-phishing-link"])
def test_engine_is_deterministic(scenario_id):
    scenario = LIBRARY.get(scenario_id)
    replies = [script("cold", turn.model) for turn in scenario.turns]
    first, second = run_scripted(scenario, replies), run_scripted(scenario, replies)
    assert [t.to_dict() for t in first.turns] == [t.to_dict() for t in second.turns]
    assert first.debrief().to_dict() == second.debrief().to_dict()


@pytest.mark.parametrize("scenario_id", ["developer-api-errors"])
def test_engine_technical_persona_tolerates_jargon(scenario_id):
    reply = script("jargon", LIBRARY.get(scenario_id).turns[0].model)
    session = PracticeSession(LIBRARY.get(scenario_id))
    assert session.persona().audience == "technical"
    assert session.reply(reply).outcome == "good"
    strict = analyze(JARGON, persona=Persona(audience="non-technical", mood="upset", name="Kenji"))
    assert any(f.rule.startswith("jargon.") for f in strict.findings)


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_engine_mood_changes_with_outcome(scenario_id):
    scenario = LIBRARY.get(scenario_id)
    good = run_scripted(scenario, [t.model for t in scenario.turns])
    cold = run_scripted(scenario, [script("cold", t.model) for t in scenario.turns])
    assert [t.mood for t in good.turns] == ["upset", "calm", "calm"]
    assert [t.mood for t in cold.turns] == ["upset", "upset", "upset"]


@pytest.mark.parametrize("scenario_id", ["printer-first-day"])
def test_engine_rejects_reply_after_the_end_and_too_many_replies(scenario_id):
    scenario = LIBRARY.get(scenario_id)
    replies = [t.model for t in scenario.turns]
    session = run_scripted(scenario, replies)
    with pytest.raises(PracticeFinishedError):
        session.reply("One more thing.")
    with pytest.raises(InputError, match="has 2 turns"):
        run_scripted(scenario, [*replies, "extra"])


@pytest.mark.parametrize("reply", ["", "   \n"])
def test_engine_empty_reply_is_an_input_error_and_does_not_advance(reply):
    session = PracticeSession(LIBRARY.get("printer-first-day"))
    with pytest.raises(InputError):
        session.reply(reply)
    assert session.turn_number == 1
