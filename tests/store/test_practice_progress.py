"""Finished practice runs for the practice path: oldest first, only what the viewer may see."""
from __future__ import annotations

from datetime import datetime

import pytest

from coach.store import practice_progress, repository
from tests.store.conftest import report_dict, signed_in


def _run(store, user_id: int, scenario_id: str, overall: float | None, when: datetime) -> None:
    user = signed_in(store, user_id)
    with store.write() as session:
        practice = repository.start_practice(session, user, scenario_id, when=when)
        repository.record_practice_turn(session, user, practice, 1, "Help!", "Hi, I'm on it.", report_dict(), "good")
        if overall is not None:
            repository.finish_practice(session, user, practice,
                                       {"scenario": scenario_id, "average_overall": overall,
                                        "skills": {"empathy": overall - 10}}, when=when)


@pytest.fixture
def runs(store, teams):
    _run(store, teams["Tia"], "printer-first-day", 72.0, datetime(2026, 3, 2, 9))
    _run(store, teams["Tia"], "printer-first-day", 55.0, datetime(2026, 3, 1, 9))
    _run(store, teams["Tia"], "outage-no-eta", None, datetime(2026, 3, 3, 9))  # not finished
    _run(store, teams["Bea"], "printer-first-day", 90.0, datetime(2026, 3, 1, 9))
    return teams


@pytest.mark.parametrize(("viewer", "user", "expected"), [
    ("Ann", None, [("Tia", 55.0), ("Tia", 72.0)]),   # a manager: the team's finished runs, oldest first
    ("Tia", "Tia", [("Tia", 55.0), ("Tia", 72.0)]),  # a trainee: her own
    ("Tia", "Bea", []),                              # never someone outside what the viewer may see
    ("Bob", None, [("Bea", 90.0)]),
])
def test_practice_progress_finished_runs_visible_to_the_viewer(store, runs, info, viewer, user, expected):
    with store.read() as session:
        rows = practice_progress.finished_practice(session, info(viewer), runs[user] if user else None)
    assert [(row["name"], row["debrief"]["average_overall"]) for row in rows] == expected
    assert all(row["scenario_id"] == "printer-first-day" for row in rows)
