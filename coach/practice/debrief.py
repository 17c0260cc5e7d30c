"""The debrief after a practice run: per-turn scores, goals with quoted evidence, the top things to
practise, and how this attempt compares with the trainee's previous ones at the same scenario.

The goals and "practise next" never disagree: a goal met over the run settles the coaching it
covers (a met time-frame goal means no "Say when" point), and a met goal is never a point itself.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from coach.practice.goals import GoalResult
from coach.practice.meaning import meant
from coach.practice.scenarios import Goal, Scenario
from coach.practice.settings import practice_settings
from coach.practice.turns import TurnResult, not_due


@dataclass(frozen=True)
class GoalSummary:
    """A goal over the whole run: met when met at every turn it was checked; None when never reached."""

    goal: Goal
    results: tuple[GoalResult, ...]

    @property
    def met(self) -> bool | None:
        return all(r.met for r in self.results) if self.results else None

    def to_dict(self) -> dict[str, Any]:
        return {"goal": self.goal.id, "text": self.goal.text, "met": self.met,
                "turns": [r.to_dict() for r in self.results]}


@dataclass(frozen=True)
class PracticePoint:
    """Something to practise: a rule the replies kept breaking, or a goal they kept missing."""

    key: str
    title: str
    count: int
    cost: float
    example: str
    example_turn: int
    advice: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "count": self.count, "cost": self.cost,
                "example": self.example, "example_turn": self.example_turn, "advice": self.advice}


@dataclass(frozen=True)
class Debrief:
    scenario_id: str
    title: str
    completed: bool
    turns: tuple[TurnResult, ...]
    goals: tuple[GoalSummary, ...]
    practice: tuple[PracticePoint, ...]
    closing: str | None
    comparison: dict[str, Any] | None

    @property
    def average_overall(self) -> float | None:
        scores = [t.report.overall for t in self.turns if t.report.overall is not None]
        return round(sum(scores) / len(scores), 1) if scores else None

    @property
    def goals_met(self) -> int:
        return sum(1 for g in self.goals if g.met)

    def comparison_text(self) -> str | None:
        """One sentence comparing this attempt with the last one at the same scenario."""
        comparison = self.comparison
        if comparison is None:
            return None
        change = comparison["change_from_last"]
        if change is None:
            trend = "no score to compare with"
        elif change:
            trend = f"{abs(change):.0f} points {'up' if change > 0 else 'down'} on your last attempt"
        else:
            trend = "the same score as your last attempt"
        return (f"Attempt {comparison['attempts_before'] + 1} at this scenario: {trend}; goals met "
                f"{comparison['goals_met']} of {comparison['goals_total']} "
                f"(last time {comparison['last_goals_met']}).")

    @property
    def skills(self) -> dict[str, float]:
        """Each dimension's average score over the turns (the practice path tracks these as skills)."""
        totals: dict[str, list[float]] = {}
        for turn in self.turns:
            for name, score in turn.report.scores.items():
                if score is not None:
                    totals.setdefault(name, []).append(score)
        return {name: round(sum(values) / len(values), 1) for name, values in totals.items()}

    def summary(self) -> dict[str, Any]:
        """What is kept of an attempt to compare later ones with (and what storage records)."""
        return {"scenario": self.scenario_id, "completed": self.completed,
                "average_overall": self.average_overall, "goals_met": self.goals_met,
                "goals_total": len(self.goals), "outcomes": [t.outcome for t in self.turns],
                "skills": self.skills}

    def to_dict(self) -> dict[str, Any]:
        return {**self.summary(), "title": self.title,
                "turns": [{"turn": t.number, "outcome": t.outcome, "overall": t.report.overall,
                           "scores": dict(t.report.scores)} for t in self.turns],
                "goals": [g.to_dict() for g in self.goals],
                "practice": [p.to_dict() for p in self.practice],
                "closing": self.closing, "comparison": self.comparison}


def _practice_points(turns: tuple[TurnResult, ...], goals: tuple[GoalSummary, ...],
                     channel: str, turn_count: int) -> tuple[PracticePoint, ...]:
    settings = practice_settings()
    costs = settings["practice_costs"]
    settled = {rule for summary in goals if summary.met for rule in summary.goal.covers}
    points: dict[str, dict[str, Any]] = {}
    for turn in turns:
        titles = {s.rule: (s.title, s.detail) for s in reversed(turn.report.suggestions)}
        for finding in turn.report.findings:
            if (finding.rule in settled or not meant(finding, turn.report.text)
                    or finding.rule in not_due(channel, turn.number, turn_count)):
                continue
            point = points.setdefault(finding.rule, {
                "title": titles.get(finding.rule, (finding.message, None))[0],
                "advice": titles.get(finding.rule, (None, finding.suggestion))[1] or finding.suggestion,
                "count": 0, "cost": 0.0, "example": finding.text, "example_turn": turn.number})
            point["count"] += 1
            point["cost"] += costs[finding.severity]
    for summary in goals:
        for result in summary.results:
            # a goal broken by an analyser's finding is already counted under that finding's rule
            if result.met or any(q.source not in ("pattern", "name") for q in result.violations):
                continue
            point = points.setdefault(f"goal:{summary.goal.id}", {
                "title": summary.goal.text, "advice": summary.goal.tip,
                "count": 0, "cost": 0.0, "example": result.violations[0].text if result.violations else "",
                "example_turn": result.turn})
            point["count"] += 1
            point["cost"] += costs["missed_goal"]
    ranked = sorted(points.items(), key=lambda item: (-item[1]["cost"], -item[1]["count"],
                                                      item[1]["example_turn"], item[0]))
    return tuple(PracticePoint(key, **values) for key, values in ranked[: settings["practice_points"]])


def compare(summary: dict[str, Any], previous: list[dict[str, Any]]) -> dict[str, Any] | None:
    """This attempt against earlier ones (oldest first); None for a first attempt."""
    if not previous:
        return None
    last = previous[-1]
    scored = [p["average_overall"] for p in previous if p.get("average_overall") is not None]
    now, before = summary["average_overall"], last.get("average_overall")
    return {"attempts_before": len(previous), "last_overall": before,
            "best_overall": max(scored) if scored else None,
            "change_from_last": round(now - before, 1) if now is not None and before is not None else None,
            "goals_met": summary["goals_met"], "last_goals_met": last.get("goals_met"),
            "goals_total": summary["goals_total"]}


def build_debrief(scenario: Scenario, turns: tuple[TurnResult, ...], closing: str | None,
                  previous: Iterable[dict[str, Any]] = ()) -> Debrief:
    """The debrief of the turns played so far; `closing` is the customer's last word once the run is
    over (None before); `previous` are earlier attempts' Debrief.summary() dicts."""
    goals = tuple(GoalSummary(goal, tuple(r for t in turns for r in t.goals if r.goal.id == goal.id))
                  for goal in scenario.goals)
    debrief = Debrief(scenario.id, scenario.title, len(turns) == len(scenario.turns), turns, goals,
                      _practice_points(turns, goals, scenario.channel, len(scenario.turns)), closing, None)
    same_scenario = [p for p in previous if p.get("scenario") == scenario.id]
    return replace(debrief, comparison=compare(debrief.summary(), same_scenario))
