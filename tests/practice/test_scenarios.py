"""Scenario files: every shipped one validates; a broken one is reported by file and field and never
stops the others from loading."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from coach.config import PROJECT_ROOT
from coach.practice import UnknownScenarioError, load_library
from coach.practice.scenarios import load_scenario_file

SCENARIO_FILES = sorted((PROJECT_ROOT / "scenarios").glob("*.yaml"))
REQUIRED_THEMES = ["office-network-down", "third-outage-this-week", "new-crm-rollout-reluctant",
                   "clicked-phishing-link", "account-breach-suspected", "deleted-folder-restore",
                   "locked-out-before-board-meeting", "elderly-email-stopped", "developer-api-errors",
                   "double-charged-invoice", "licence-seats-dispute", "escalation-second-line-wait",
                   "outage-no-eta", "disable-mfa-request"]


def _valid(path: Path = PROJECT_ROOT / "scenarios" / "printer-first-day.yaml") -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.stem for p in SCENARIO_FILES])
def test_scenarios_file_validates(path):
    scenario, problems = load_scenario_file(path)
    assert problems == []
    assert scenario.id == path.stem
    assert 2 <= len(scenario.turns) <= 5
    assert scenario.brief.facts and scenario.brief.must_not
    assert all(turn.model for turn in scenario.turns)


@pytest.mark.parametrize(("scenario_id", "goal_id", "text"), [
    ("clicked-phishing-link", "no-blame", "Don't blame Aisha or talk down to her"),
    ("third-outage-this-week", "no-blame", "Don't blame Dan or talk down to him"),
    ("developer-api-errors", "no-blame", "Don't blame Kenji or talk down to him"),
])
def test_scenarios_shared_goal_texts_follow_the_persona(scenario_id, goal_id, text):
    goal = next(g for g in load_library().get(scenario_id).goals if g.id == goal_id)
    assert goal.text == text


def test_scenarios_library_covers_the_themes():
    library = load_library()
    scenarios = list(library.scenarios.values())
    assert len(scenarios) >= 45
    assert sum(len(s.turns) >= 3 for s in scenarios) >= 15
    assert sum(len(s.turns) >= 4 for s in scenarios) >= 8
    topics = Counter(s.topic for s in scenarios)
    assert all(topics[t] >= 3 for t in ("network-outage", "software-rollout", "security-breach"))
    assert {"billing", "hardware", "accounts", "accessibility", "second-language", "abusive-customer",
            "technical-customer"} <= set(topics)
    assert not library.broken
    assert set(REQUIRED_THEMES) <= set(library.scenarios)
    assert {s.channel for s in library.scenarios.values()} == {"email", "chat"}
    assert {s.difficulty for s in library.scenarios.values()} == {1, 2, 3}


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["turns"][0].pop("next"), "turns[0].next: missing"),
    (lambda d: d["turns"][1]["reactions"].pop("resolved"), "turns[1].reactions.resolved: missing"),
    (lambda d: d.pop("opening"), "opening: missing"),
    (lambda d: d.pop("brief"), "brief: missing"),
    (lambda d: d["brief"]["facts"].append({"Steps": "x"}), "brief.facts[2]: must be text (put it in quotes"),
    (lambda d: d.update(difficulty=5), "difficulty: must be one of 1, 2, 3 (got 5)"),
    (lambda d: d["persona"].update(mood="furious"), "persona.mood: must be one of calm, upset, anxious (got 'furious')"),
    (lambda d: d["goals"][0].update(on_miss="rude"), "goals[0].on_miss: must be one of unsafe, jargon, cold, vague (got 'rude')"),
    (lambda d: d["goals"][1]["expect"]["patterns"].append("(unclosed"),
     "goals[1].expect.patterns[2]: invalid regular expression"),
    (lambda d: d["goals"][1]["expect"]["patterns"].append("@no-such-pattern"),
     "goals[1].expect.patterns[2]: no shared pattern '@no-such-pattern'"),
    (lambda d: d["goals"][0].update(at_turns=[4]), "goals[0].at_turns[0]: must be a turn number from 1 to 2"),
    (lambda d: d["goals"].append({"use": "no-such-goal"}), "goals[7].use: no goal 'no-such-goal' in the goal library"),
    (lambda d: d["goals"][2].pop("answers"), "goals[2].answers: missing: this goal is checked only after turn 1"),
    (lambda d: d["turns"][0]["reactions"].update(resolved="Thanks!"),
     "turns[0].reactions.resolved: unknown outcome (this turn takes unsafe, jargon, cold, vague, good)"),
    (lambda d: d.update(turns=d["turns"][:1]), "turns: must have 2 to 5 turns (has 1)"),
    (lambda d: d.update(id="other-id"), "id: must match the file name 'printer-first-day' (got 'other-id')"),
    (lambda d: d.update(colour="blue"), "colour: unknown field"),
])
def test_scenarios_broken_file_names_file_and_field(tmp_path, change, problem):
    data = _valid()
    change(data)
    _write(tmp_path, "printer-first-day", data)
    library = load_library(tmp_path)
    assert library.scenarios == {}
    assert any(line.startswith(f"{tmp_path / 'printer-first-day.yaml'}: {problem}") for line in library.problems()), \
        library.problems()


def test_scenarios_broken_file_does_not_stop_the_others(tmp_path):
    _write(tmp_path, "printer-first-day", _valid())
    broken = _valid(PROJECT_ROOT / "scenarios" / "elderly-email-stopped.yaml")
    broken["persona"]["technical_level"] = "expert"
    _write(tmp_path, "elderly-email-stopped", broken)
    _write(tmp_path, "not-yaml", "id: [unclosed\n")
    library = load_library(tmp_path)
    assert list(library.scenarios) == ["printer-first-day"]
    assert library.problems() == [
        f"{tmp_path / 'elderly-email-stopped.yaml'}: persona.technical_level: must be one of low, medium, "
        "high (got 'expert')",
        f"{tmp_path / 'not-yaml.yaml'}: line 2: invalid YAML (did not find expected ',' or ']')",
    ]


def test_scenarios_path_validator_fails_a_goal_not_asked_on_some_path(tmp_path):
    data = _valid()
    # the double-sided question is asked only after a good first reply: on the cold path it never is
    turn = data["turns"][0]
    turn["reactions"]["good"] = {"message": turn["reactions"]["good"] + " " + turn["next"], "asks": ["double-sided"]}
    turn["next"] = "Anything else I should know?"
    turn.pop("asks")
    _write(tmp_path, "printer-first-day", data)
    problems = load_library(tmp_path).problems()
    assert any("goals[2].answers: checked at turn 2, but on the path cold the customer has not asked about "
               "'double-sided'" in line for line in problems), problems


@pytest.mark.parametrize(("wanted", "suggestion"), [
    ("third-outage", "Did you mean: third-outage-this-week, abusive-customer-outage?"),
    ("phishing", "Did you mean: clicked-phishing-link?"),
    ("zzz", "Run `coach scenarios list` to see them."),
])
def test_scenarios_unknown_id_suggests_closest(wanted, suggestion):
    with pytest.raises(UnknownScenarioError, match=f"No scenario with id '{wanted}'") as error:
        load_library().get(wanted)
    assert str(error.value).endswith(suggestion)


def test_scenarios_asking_for_a_broken_one_says_it_is_broken(tmp_path):
    data = _valid()
    del data["title"]
    _write(tmp_path, "printer-first-day", data)
    with pytest.raises(UnknownScenarioError, match=r"printer-first-day.yaml is broken \(title: missing\)"):
        load_library(tmp_path).get("printer-first-day")
