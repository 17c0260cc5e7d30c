"""Every scenario, played to the end with a good, a jargon-heavy, a cold and an unsafe script through
the real analysers: the customer answers what was actually written, and goals, coaching and debrief
never contradict each other."""
from __future__ import annotations

import functools

import pytest

from coach.practice import load_library, run_scripted
from tests.practice.scripts import BLAME, JARGON_TERMS, UNSAFE, script

LIBRARY = load_library()
KINDS = ("good", "jargon", "cold", "unsafe")
RUNS = [pytest.param(scenario_id, kind, id=f"{scenario_id}-{kind}") for scenario_id in LIBRARY.scenarios
        for kind in KINDS]


@functools.cache
def _play(scenario_id: str, kind: str):
    """Each run is played once and read by both tests (the analysis is deterministic)."""
    scenario = LIBRARY.get(scenario_id)
    return scenario, run_scripted(scenario, [script(kind, turn.model) for turn in scenario.turns])


def _expected(kind: str, technical: bool, last: bool) -> set[str]:
    good = {"resolved" if last else "good"}
    if kind == "good" or (kind == "jargon" and technical):
        return good
    return {kind}


@pytest.mark.parametrize(("scenario_id", "kind"), RUNS)
def test_play_all_customer_answers_what_was_written(scenario_id, kind):
    scenario, session = _play(scenario_id, kind)
    technical = scenario.persona.audience == "technical"
    assert session.finished
    for turn in session.turns:
        last = turn.number == len(scenario.turns)
        assert turn.outcome in _expected(kind, technical, last), (turn.number, turn.reasons)
        heard = dict(turn.heard)
        if turn.outcome == "jargon":
            assert heard["term"] in JARGON_TERMS
            assert f'"{heard["term"]}"' in turn.next_message
        elif turn.outcome == "cold":
            assert BLAME.startswith(heard["blame"])
            assert f'"{heard["blame"]}"' in turn.next_message
        elif turn.outcome == "unsafe":
            assert heard["unsafe"] in UNSAFE
            assert f'"{heard["unsafe"]}"' in turn.next_message
        elif "promise" in heard:
            assert heard["promise"].removesuffix("…") in turn.reply
            assert f'"{heard["promise"]}"' in turn.next_message
        # whatever happened, the customer goes on to the scenario's next question
        if not last:
            assert turn.next_message.endswith(scenario.turns[turn.number - 1].next)


@pytest.mark.parametrize(("scenario_id", "kind"), RUNS)
def test_play_all_goals_coaching_and_debrief_agree(scenario_id, kind):
    scenario, session = _play(scenario_id, kind)
    debrief = session.debrief()
    met = [summary for summary in debrief.goals if summary.met]
    settled = {rule for summary in met for rule in summary.goal.covers}
    for point in debrief.practice:
        assert point.key not in settled
        assert point.key not in {f"goal:{summary.goal.id}" for summary in met}
    for turn in session.turns:
        met_by_now = {rule for t in session.turns[: turn.number] for g in t.goals if g.met for rule in g.goal.covers}
        assert not {s.rule for s in turn.coaching} & met_by_now
        for result in turn.goals:
            for quote in (*result.evidence, *result.violations):
                assert turn.reply[quote.start:quote.end] == quote.text
    if kind == "good":
        assert debrief.goals_met == len(debrief.goals)
        assert debrief.closing.endswith(scenario.turns[-1].reactions["resolved"].message)
    if scenario.channel == "chat":
        # a chat greets in its first reply and signs off in its last, never in between
        for turn in session.turns:
            rules = {s.rule for s in turn.coaching}
            assert turn.number == 1 or "tone.missing-greeting" not in rules
            assert turn.number == len(scenario.turns) or "tone.missing-closing" not in rules
