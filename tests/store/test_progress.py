"""Progress arithmetic on hand-made rows: period comparison, per-person table, trends, coaching points."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from coach.store import progress

PERIOD = progress.Period(date(2025, 3, 3), date(2025, 3, 17))  # two weeks; the previous two weeks before it


def _row(attempt_id, user_id, name, when, overall, source="check", session=None, **scores):
    row = {"attempt_id": attempt_id, "user_id": user_id, "name": name, "created_at": when, "source": source,
           "practice_session_id": session, "overall": overall, "scenario_id": None, "turn": None,
           "outcome": None, "words": 10, "reply_text": None,
           "feedback": [{"rule": "tone.blame", "title": "Take the blame off them"}]}
    row.update({f"score_{name}": value for name, value in {"tone": overall, "empathy": overall / 2, **scores}.items()})
    return row


@pytest.fixture
def attempts():
    rows = [
        _row(1, 1, "Al", datetime(2025, 2, 17, 10), 40.0),                 # Al's first two weeks: 40, 50
        _row(2, 1, "Al", datetime(2025, 2, 24, 10), 50.0),
        _row(3, 1, "Al", datetime(2025, 3, 4, 10), 80.0),                  # in the period: 80, 90
        _row(4, 1, "Al", datetime(2025, 3, 16, 23), 90.0, "practice", 7),
        _row(5, 2, "Bea", datetime(2025, 3, 5, 9), 70.0),                  # Bea starts in the period
        _row(6, 2, "Bea", datetime(2025, 3, 17, 0), 10.0),                 # the day after the period
    ]
    return progress.attempts_frame(rows)


def test_progress_period_previous_has_the_same_length():
    assert PERIOD.previous == progress.Period(date(2025, 2, 17), date(2025, 3, 3))
    assert progress.Period.ending(date(2025, 3, 16), 14) == PERIOD


def test_progress_period_comparison(attempts):
    table = progress.period_comparison(attempts, PERIOD)
    assert table.loc["overall"].tolist() == [80.0, 45.0, 35.0]
    assert table.loc["empathy", "this period"] == 40.0
    assert list(table.index) == ["overall", "tone", "empathy"]  # registry order


def test_progress_person_table(attempts):
    table = progress.person_table(attempts, PERIOD).set_index("name")
    assert table.loc["Al", "checks"] == 1 and table.loc["Al", "practice sessions"] == 1
    assert table.loc["Al", "overall"] == 85.0
    assert table.loc["Al", "change since first two weeks"] == 40.0   # 85 now vs 45 in his first two weeks
    assert table.loc["Bea", "change since first two weeks"] == 0.0    # her first two weeks are now


def test_progress_person_table_of_an_empty_period(attempts):
    table = progress.person_table(attempts, progress.Period(date(2030, 1, 1), date(2030, 1, 8)))
    assert table.empty and "change since first two weeks" in table.columns


def test_progress_weekly_trend_is_per_week_and_dimension(attempts):
    trend = progress.weekly_trend(attempts)
    overall = trend[trend["dimension"] == "overall"].set_index("week")["score"]
    assert overall.to_dict() == {datetime(2025, 2, 17): 40.0, datetime(2025, 2, 24): 50.0,
                                 datetime(2025, 3, 3): 75.0, datetime(2025, 3, 10): 90.0, datetime(2025, 3, 17): 10.0}
    assert set(trend["dimension"]) == {"overall", "tone", "empathy"}


def test_progress_skills_matrix(attempts):
    matrix = progress.skills_matrix(progress.within(attempts, PERIOD)).set_index(["name", "dimension"])["score"]
    assert matrix[("Al", "tone")] == 85.0 and matrix[("Bea", "empathy")] == 35.0


def test_progress_coaching_points_rank_rules_with_quotes(attempts):
    findings = progress.findings_frame([
        {"attempt_id": 3, "user_id": 1, "name": "Al", "created_at": datetime(2025, 3, 4), "rule": "tone.blame",
         "analyzer": "tone", "severity": "warning", "count": 2, "example": "you broke it", "message": "m"},
        {"attempt_id": 5, "user_id": 2, "name": "Bea", "created_at": datetime(2025, 3, 5), "rule": "tone.blame",
         "analyzer": "tone", "severity": "warning", "count": 1, "example": "your fault", "message": "m"},
        {"attempt_id": 5, "user_id": 2, "name": "Bea", "created_at": datetime(2025, 3, 5), "rule": "jargon.acronym",
         "analyzer": "jargon", "severity": "warning", "count": 1, "example": None, "message": "'DNS' is jargon"},
    ])
    points = progress.coaching_points(findings)
    assert points["rule"].tolist() == ["tone.blame", "jargon.acronym"]
    first = points.iloc[0]
    assert (first["occurrences"], first["replies"], first["people"]) == (3, 2, 2)
    assert first["point"] == "Take the blame out"                # the rule's name, never its id
    assert first["examples"] == ["your fault", "you broke it"]     # newest first
    assert points.iloc[1]["point"] == "Spell out acronyms"


def test_progress_empty_history_gives_empty_tables():
    empty = progress.attempts_frame([])
    assert progress.weekly_trend(empty).empty
    assert progress.coaching_points(progress.findings_frame([])).empty
    assert progress.person_table(empty, PERIOD).empty


def test_progress_export_frame_has_one_row_per_attempt(attempts):
    out = progress.export_frame(attempts)
    assert len(out) == len(attempts)
    assert {"overall", "tone", "empathy", "coaching_points", "reply_text"} <= set(out.columns)
    assert out["coaching_points"].iloc[0] == "Take the blame out"
    assert str(out["attempt_id"].dtype) == "Int64" and out["created_at"].iloc[0] == "2025-02-17T10:00:00"
    assert out["practice_session_id"].tolist()[3] == 7 and out["practice_session_id"].isna().sum() == 5
