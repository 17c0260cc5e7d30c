"""The practice path: first-to-best per scenario and skill, and a next scenario for the weakest skill."""
from __future__ import annotations

import pytest

from coach.practice import load_library
from coach.practice.path import recommend, scenario_progress, skill_progress, team_practice, weakest_skill

LIBRARY = load_library()
SKILLS = ("jargon", "readability", "tone", "empathy", "grammar", "security")


def _attempt(scenario_id: str, overall: float, **low: float) -> dict:
    skills = {skill: low.get(skill, 90.0) for skill in SKILLS}
    return {"scenario_id": scenario_id, "debrief": {"scenario": scenario_id, "average_overall": overall,
                                                    "skills": skills}}


HISTORIES = [
    pytest.param([_attempt("printer-first-day", 80, jargon=40), _attempt("slow-home-broadband", 70, jargon=55)],
                 "jargon", id="weak-on-plain-words"),
    pytest.param([_attempt("printer-first-day", 85, security=30), _attempt("printer-first-day", 88, security=35)],
                 "security", id="weak-on-security"),
    pytest.param([_attempt("licence-seats-dispute", 60, empathy=20),
                  _attempt("licence-seats-dispute", 82, empathy=70, tone=50)],
                 "tone", id="empathy-improved-tone-now-weakest"),
]


@pytest.mark.parametrize(("history", "skill"), HISTORIES)
def test_path_recommends_a_scenario_training_the_weakest_skill(history, skill):
    assert weakest_skill(history)[0] == skill
    advice = recommend(LIBRARY.scenarios, history)
    assert advice.skill == skill
    assert skill in LIBRARY.get(advice.scenario_id).skills
    assert advice.scenario_id not in {a["scenario_id"] for a in history}


def test_path_with_no_history_starts_gently():
    advice = recommend(LIBRARY.scenarios, [])
    assert LIBRARY.get(advice.scenario_id).difficulty == 1
    assert advice.skill is None


def test_path_first_to_best():
    history = [_attempt("printer-first-day", 60, tone=40), _attempt("printer-first-day", 85, tone=80),
               _attempt("printer-first-day", 70, tone=60), _attempt("slow-home-broadband", 50, tone=30)]
    runs = {r.key: r for r in scenario_progress(history)}
    assert (runs["printer-first-day"].first, runs["printer-first-day"].best, runs["printer-first-day"].attempts) == (60, 85, 3)
    assert runs["printer-first-day"].gain == 25
    tone = {s.key: s for s in skill_progress(history)}["tone"]
    assert (tone.first, tone.best) == (35.0, 55.0)  # means over the two scenarios: (40+30)/2, (80+30)/2


def test_path_team_practice_one_row_per_person_with_skills_first_to_best():
    rows = [{"user_id": 1, "name": "Sam", **_attempt("printer-first-day", 60, tone=40)},
            {"user_id": 1, "name": "Sam", **_attempt("printer-first-day", 80, tone=70)},
            {"user_id": 2, "name": "Ana", **_attempt("slow-home-broadband", 90)}]
    table = team_practice(rows, LIBRARY.scenarios)
    assert [row["name"] for row in table] == ["Ana", "Sam"]
    sam = table[1]
    assert (sam["scenarios"], sam["runs"], sam["first"], sam["best"]) == (1, 2, 60, 80)
    assert sam["Tone"] == "40 → 70"
    assert sam["weakest skill"] == "Tone"
    assert "tone" in LIBRARY.get(next(s.id for s in LIBRARY.scenarios.values() if s.title == sam["next scenario"])).skills
