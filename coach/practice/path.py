"""A trainee's practice path: first attempt against best attempt, per scenario and per skill
("first-to-best"), and the next scenario to play, chosen for their weakest skill.

Plain functions over finished attempts, each {"scenario": id, "debrief": Debrief.to_dict()} (or its
summary()) oldest first, as storage returns them (coach/store/practice_progress.py) or a browser
session keeps them. A skill is an analyser dimension; an attempt's skill score is that dimension's
average over the attempt's turns (Debrief.skills).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coach.practice.scenarios import Scenario
from coach.practice.settings import practice_settings


@dataclass(frozen=True)
class FirstToBest:
    """One scenario or skill: the first attempt's score, the best one's, and how many attempts."""

    key: str
    first: float | None
    best: float | None
    attempts: int

    @property
    def gain(self) -> float | None:
        return None if self.first is None or self.best is None else round(self.best - self.first, 1)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "first": self.first, "best": self.best, "attempts": self.attempts,
                "gain": self.gain}


@dataclass(frozen=True)
class Recommendation:
    scenario_id: str
    title: str
    skill: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario_id, "title": self.title, "skill": self.skill, "reason": self.reason}


def _summary(attempt: Mapping[str, Any]) -> Mapping[str, Any]:
    return attempt.get("debrief") or attempt


def _by_scenario(attempts: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for attempt in attempts:
        summary = _summary(attempt)
        scenario_id = attempt.get("scenario_id") or summary.get("scenario")
        if scenario_id and summary.get("average_overall") is not None:
            grouped.setdefault(scenario_id, []).append(summary)
    return grouped


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def scenario_progress(attempts: Iterable[Mapping[str, Any]]) -> list[FirstToBest]:
    """Per scenario practised: the first attempt's average overall score and the best one's."""
    return [FirstToBest(scenario_id, runs[0]["average_overall"], max(r["average_overall"] for r in runs), len(runs))
            for scenario_id, runs in sorted(_by_scenario(attempts).items())]


def skill_progress(attempts: Iterable[Mapping[str, Any]]) -> list[FirstToBest]:
    """Per skill: the mean over scenarios of the first attempt's score and of the best attempt's."""
    firsts: dict[str, list[float]] = {}
    bests: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for runs in _by_scenario(attempts).values():
        for skill in {s for run in runs for s in (run.get("skills") or {})}:
            scores = [run["skills"][skill] for run in runs if skill in (run.get("skills") or {})]
            if (runs[0].get("skills") or {}).get(skill) is not None:
                firsts.setdefault(skill, []).append(runs[0]["skills"][skill])
            bests.setdefault(skill, []).append(max(scores))
            counts[skill] = counts.get(skill, 0) + len(scores)
    order = list(practice_settings()["skill_labels"])
    return [FirstToBest(skill, _mean(firsts.get(skill, [])), _mean(bests[skill]), counts[skill])
            for skill in sorted(bests, key=lambda s: (order.index(s) if s in order else len(order), s))]


def weakest_skill(attempts: Iterable[Mapping[str, Any]]) -> tuple[str, float] | None:
    """The skill with the lowest current level: the mean over scenarios of the latest attempt's score."""
    latest: dict[str, list[float]] = {}
    for runs in _by_scenario(attempts).values():
        for skill, score in (runs[-1].get("skills") or {}).items():
            if score is not None:
                latest.setdefault(skill, []).append(score)
    if not latest:
        return None
    return min(((skill, _mean(scores)) for skill, scores in latest.items()), key=lambda item: (item[1], item[0]))


def skill_label(skill: str) -> str:
    return practice_settings()["skill_labels"].get(skill, skill)


def recommend(scenarios: Mapping[str, Scenario], attempts: Iterable[Mapping[str, Any]]) -> Recommendation | None:
    """The next scenario: one that trains the weakest skill, not yet played (else the one where that
    skill's best score is lowest), at the difficulty one step above the hardest scenario played well.
    With no attempts yet: the gentlest scenario."""
    attempts = list(attempts)
    if not scenarios:
        return None
    played = _by_scenario(attempts)
    weakest = weakest_skill(attempts)
    if weakest is None:
        first = min(scenarios.values(), key=lambda s: (s.difficulty, s.id))
        return Recommendation(first.id, first.title, None, "A gentle one to start with.")
    skill, level = weakest
    threshold = practice_settings()["path"]["good_overall"]
    good_at = [scenarios[i].difficulty for i, runs in played.items()
               if i in scenarios and max(r["average_overall"] for r in runs) >= threshold]
    target = min(max(good_at, default=0) + 1, 3)  # one step above the hardest played well
    candidates = [s for s in scenarios.values() if skill in s.skills] or list(scenarios.values())

    def best_on_skill(scenario: Scenario) -> float:
        scores = [(r.get("skills") or {}).get(skill) for r in played.get(scenario.id, [])]
        return max((s for s in scores if s is not None), default=-1.0)

    def rank(scenario: Scenario) -> tuple:
        return (scenario.id in played, scenario.difficulty > target, best_on_skill(scenario),
                abs(scenario.difficulty - target), scenario.id)

    chosen = min(candidates, key=rank)
    label = skill_label(skill).lower()
    again = " again" if chosen.id in played else ""
    return Recommendation(chosen.id, chosen.title, skill,
                          f"Your weakest skill is {label} ({level:.0f} on your latest attempts); "
                          f"\u201c{chosen.title}\u201d trains it{again}.")


def team_practice(rows: Iterable[Mapping[str, Any]], scenarios: Mapping[str, Scenario]) -> list[dict[str, Any]]:
    """One row per person with finished practice (rows as coach/store/practice_progress.py gives them):
    scenarios and runs, mean first and best overall over their scenarios, weakest skill, next scenario,
    and each skill's first and best."""
    people: dict[int, list[Mapping[str, Any]]] = {}
    names: dict[int, str] = {}
    for row in rows:
        people.setdefault(row["user_id"], []).append(row)
        names[row["user_id"]] = row["name"]
    table = []
    for user_id, attempts in people.items():
        runs = scenario_progress(attempts)
        weakest = weakest_skill(attempts)
        advice = recommend(scenarios, attempts)
        row = {"user_id": user_id, "name": names[user_id], "scenarios": len(runs),
               "runs": sum(r.attempts for r in runs),
               "first": _mean([r.first for r in runs if r.first is not None]),
               "best": _mean([r.best for r in runs if r.best is not None]),
               "weakest skill": skill_label(weakest[0]) if weakest else None,
               "next scenario": advice.title if advice else None}
        # each skill as "first → best", the trainee's own path view in one cell
        row.update({skill_label(s.key): f"{s.first:.0f} → {s.best:.0f}" for s in skill_progress(attempts)
                    if s.first is not None and s.best is not None})
        table.append(row)
    return sorted(table, key=lambda row: (row["name"], row["user_id"]))
