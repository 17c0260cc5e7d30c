"""The debrief: goals with quoted evidence, the top things to practise, and the comparison with
earlier attempts."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.practice import load_library, run_scripted

CONVERSATIONS = yaml.safe_load((Path(__file__).parent / "conversations.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def library():
    return load_library()


def _debrief(library, scenario_id: str, path: str, previous=()):
    replies = CONVERSATIONS[scenario_id][path]["replies"]
    return run_scripted(library.get(scenario_id), replies).debrief(previous)


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_good_run_meets_every_goal_with_quotes(library, scenario_id):
    debrief = _debrief(library, scenario_id, "good")
    assert debrief.completed
    assert debrief.goals_met == len(debrief.goals) == 8
    goals = {g.goal.id: g for g in debrief.goals}
    assert [q.text for q in goals["acknowledge-repeat"].results[0].evidence] == ["third", "again"]
    assert [q.text for q in goals["use-his-name"].results[0].evidence] == ["Dan"]
    assert "won't be charged" in [q.text for q in goals["answer-the-charge"].results[0].evidence]
    assert [r.turn for r in goals["no-password"].results] == [1, 2, 3]


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_poor_run_names_what_to_practise(library, scenario_id):
    debrief = _debrief(library, scenario_id, "poor")
    goals = {g.goal.id: g for g in debrief.goals}
    assert goals["no-restart-brush-off"].met is False
    assert [q.text for q in goals["no-restart-brush-off"].results[0].violations] == ["restart the router"]
    assert len(debrief.practice) == 3
    top = debrief.practice[0]
    assert top.key == "jargon.glossary-term"
    assert top.count == 4
    assert top.example == "DHCP lease"
    assert top.example_turn == 1


@pytest.mark.parametrize("scenario_id", ["clicked-phishing-link"])
def test_debrief_security_slip_ranks_first(library, scenario_id):
    debrief = _debrief(library, scenario_id, "poor")
    assert debrief.practice[0].key == "security.asks-for-password"
    assert debrief.practice[0].example_turn == 1


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_compares_with_previous_attempts(library, scenario_id):
    first = _debrief(library, scenario_id, "poor")
    assert first.comparison is None
    second = _debrief(library, scenario_id, "good", previous=[first.summary()])
    comparison = second.comparison
    assert comparison["attempts_before"] == 1
    assert comparison["last_overall"] == first.average_overall
    assert comparison["change_from_last"] == round(second.average_overall - first.average_overall, 1)
    assert comparison["change_from_last"] > 0
    assert comparison["last_goals_met"] == first.goals_met
    assert second.comparison_text().startswith("Attempt 2 at this scenario: ")
    assert "points up on your last attempt" in second.comparison_text()


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_ignores_attempts_at_other_scenarios(library, scenario_id):
    other = _debrief(library, "clicked-phishing-link", "good")
    assert _debrief(library, scenario_id, "good", previous=[other.summary()]).comparison is None


@pytest.mark.parametrize("scenario_id", ["third-outage-this-week"])
def test_debrief_of_an_unfinished_run(library, scenario_id):
    replies = CONVERSATIONS[scenario_id]["good"]["replies"][:1]
    debrief = run_scripted(library.get(scenario_id), replies).debrief()
    assert not debrief.completed
    assert debrief.closing is None
    goals = {g.goal.id: g for g in debrief.goals}
    assert goals["answer-the-charge"].met is None
    assert goals["acknowledge-repeat"].met is True
