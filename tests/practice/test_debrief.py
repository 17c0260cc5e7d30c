"""The debrief: what to practise, the comparison with earlier attempts, unfinished runs, and skills."""
from __future__ import annotations

import pytest

from coach.practice import load_library, run_scripted
from tests.practice.scripts import script

LIBRARY = load_library()


def _debrief(scenario_id: str, kind: str, previous=(), replies: int | None = None):
    scenario = LIBRARY.get(scenario_id)
    texts = [script(kind, turn.model) for turn in scenario.turns][:replies]
    return run_scripted(scenario, texts).debrief(previous)


@pytest.mark.parametrize("scenario_id", ["clicked-phishing-link", "third-outage-this-week"])
def test_debrief_security_slip_ranks_first(scenario_id):
    debrief = _debrief(scenario_id, "unsafe")
    assert debrief.practice[0].key == "security.asks-for-password"
    assert debrief.practice[0].example_turn == 1


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_compares_with_previous_attempts(scenario_id):
    first = _debrief(scenario_id, "cold")
    assert first.comparison is None
    second = _debrief(scenario_id, "good", previous=[first.summary()])
    comparison = second.comparison
    assert comparison["attempts_before"] == 1
    assert comparison["last_overall"] == first.average_overall
    assert comparison["change_from_last"] == round(second.average_overall - first.average_overall, 1)
    assert comparison["change_from_last"] > 0
    assert comparison["last_goals_met"] == first.goals_met
    assert "points up on your last attempt" in second.comparison_text()


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_ignores_attempts_at_other_scenarios(scenario_id):
    other = _debrief("clicked-phishing-link", "good")
    assert _debrief(scenario_id, "good", previous=[other.summary()]).comparison is None


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_of_an_unfinished_run(scenario_id):
    debrief = _debrief(scenario_id, "good", replies=1)
    assert not debrief.completed
    assert debrief.closing is None
    goals = {g.goal.id: g for g in debrief.goals}
    assert goals["answer-the-charge"].met is None
    assert goals["acknowledge-repeat"].met is True


@pytest.mark.parametrize("scenario_id", ["slow-home-broadband"])
def test_debrief_skills_average_each_dimension_over_the_turns(scenario_id):
    debrief = _debrief(scenario_id, "jargon")
    jargon = [t.report.scores["jargon"] for t in debrief.turns]
    assert debrief.summary()["skills"]["jargon"] == round(sum(jargon) / len(jargon), 1)
    assert debrief.skills["jargon"] < _debrief(scenario_id, "good").skills["jargon"]
