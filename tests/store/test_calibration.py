"""QA calibration: reviewers score stored replies; the agreement view compares them with the coach."""
from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from coach.calibration_csv import ReviewerRow
from coach.errors import InputError
from coach.store import agreement, calibration, people, repository
from coach.store.audit import NotAllowedError
from coach.store.repository import NotFoundError

from .conftest import report_dict

REPLY = "Hi Sam, I reset your router. It should work now. Best, Al"


@pytest.fixture
def kept(store, info, me) -> dict[str, int]:
    """One kept check of Al, one unkept; one kept check of Bea (team B)."""
    with store.write() as session:
        return {"al": repository.record_check(session, me("Al"), report_dict(70.0, tone=90.0), REPLY, True),
                "al_unkept": repository.record_check(session, me("Al"), report_dict(), REPLY, False),
                "bea": repository.record_check(session, me("Bea"), report_dict(), REPLY, True)}


def test_manager_scores_a_kept_reply_of_their_team(store, info, me, kept):
    with store.read() as session:
        queue = calibration.reviewable_replies(session, me("Ann"))
    assert [r["attempt_id"] for r in queue] == [kept["al"]]
    with store.write() as session:
        calibration.record_review(session, me("Ann"), kept["al"], {"tone": 60.0, "empathy": 50.0}, True,
                                  note="Fine, a bit flat")
    with store.read() as session:
        assert calibration.reviewable_replies(session, me("Ann")) == []
        row, = calibration.review_rows(session, info("Ann"))
        assert calibration.review_rows(session, info("Bob")) == []
        assert calibration.review_rows(session, info("Al")) == []
    assert (row["reviewer"], row["agent"], row["passed"], row["coach_overall"]) == ("Ann", "Al", True, 70.0)
    assert (row["coach_tone"], row["reviewer_tone"]) == (90.0, 60.0)
    assert row["reviewer_jargon"] is None and row["coach_jargon"] == 60.0


@pytest.mark.parametrize("who, which, error", [
    ("Al", "al", NotAllowedError),        # an agent is not a reviewer
    ("Ann", "bea", NotFoundError),        # another team's reply
    ("Ann", "al_unkept", NotFoundError),  # its text was not kept: nothing to read
])
def test_record_review_is_authorised_in_the_data_layer(store, info, me, kept, who, which, error):
    with pytest.raises(error), store.write() as session:
        calibration.record_review(session, me(who), kept[which], {"tone": 50.0}, None)


def test_a_qa_reviewer_scores_and_sees_their_own_reviews(store, info, me, kept):
    with store.write() as session:
        people.set_reviewer(session, me("Ann"), info("Tia").id, True)
        calibration.record_review(session, me("Tia"), kept["al"], {"tone": 80.0}, None)
    with store.read() as session:
        assert [r["reviewer"] for r in calibration.review_rows(session, info("Tia"))] == ["Tia"]
        assert [r["reviewer"] for r in calibration.review_rows(session, info("Ann"))] == ["Tia"]


@pytest.mark.parametrize("scores, passed, problem", [({"tone": 120.0}, None, "between 0 and 100"),
                                                     ({"mood": 50.0}, None, "Unknown dimension"),
                                                     ({}, None, "at least one")])
def test_record_review_refuses_bad_scores(store, info, me, kept, scores, passed, problem):
    with pytest.raises(InputError, match=problem), store.write() as session:
        calibration.record_review(session, me("Ann"), kept["al"], scores, passed)


def test_import_reviews_links_known_reviewers_and_agents(store, info):
    rows = [ReviewerRow(line=2, reply="Hi, call me on 07700 900123.", reviewer="ann@a.example",
                        scores={"tone": 25.0}, passed=False, agent="al@a.example", date=datetime(2026, 11, 2)),
            ReviewerRow(line=3, reply="Hello!", reviewer="Quinn (QA vendor)", scores={"empathy": 75.0})]
    with store.write() as session:
        assert calibration.import_reviews(session, "A", rows, [report_dict(40.0), report_dict(80.0)]) == 2
    with store.read() as session:
        first, second = calibration.review_rows(session, info("Ann"))
    assert (first["reviewer"], first["agent"], first["source"]) == ("Ann", "Al", "import")
    assert first["reply_text"] == "Hi, call me on [phone]." and first["replied_at"] == datetime(2026, 11, 2)
    assert second["reviewer"] == "Quinn (QA vendor)" and second["agent"] is None
    with pytest.raises(NotFoundError), store.write() as session:
        calibration.import_reviews(session, "No such team", rows[:1], [report_dict()])


def _frame(pairs: list[tuple[float, float]], dimension: str = "tone", start=datetime(2026, 11, 2)) -> pd.DataFrame:
    return agreement.reviews_frame([
        {"review_id": i, "replied_at": start + timedelta(days=i), "reviewer": "Ann", "agent": "Al",
         "passed": None, "coach_overall": None, f"coach_{dimension}": coach, f"reviewer_{dimension}": reviewer}
        for i, (coach, reviewer) in enumerate(pairs)])


def test_per_dimension_agreement():
    same_order = _frame([(50, 40), (60, 50), (70, 60), (80, 70), (90, 80)])
    tone = agreement.per_dimension(same_order).set_index("dimension").loc["tone"]
    assert tone["replies"] == 5 and tone["correlation"] == pytest.approx(1.0)
    assert tone["mean difference"] == pytest.approx(10.0) and tone["mean gap"] == pytest.approx(10.0)
    reversed_order = _frame([(50, 80), (60, 70), (70, 60), (80, 50), (90, 40)])
    assert agreement.per_dimension(reversed_order).set_index("dimension").loc["tone", "correlation"] == \
        pytest.approx(-1.0)
    few = agreement.per_dimension(_frame([(50, 40), (60, 50)])).set_index("dimension").loc["tone"]
    assert few["replies"] == 2 and few["correlation"] is None


def test_pass_fail_agreement_uses_the_pass_mark():
    frame = agreement.reviews_frame([
        {"review_id": 1, "replied_at": datetime(2026, 11, 2), "passed": True, "coach_overall": 75.0},
        {"review_id": 2, "replied_at": datetime(2026, 11, 2), "passed": False, "coach_overall": 72.0},
        {"review_id": 3, "replied_at": datetime(2026, 11, 2), "passed": False, "coach_overall": 40.0},
        {"review_id": 4, "replied_at": datetime(2026, 11, 2), "passed": None, "coach_overall": 40.0}])
    result = agreement.pass_fail(frame)
    assert result["replies"] == 3 and result["agreement"] == pytest.approx(2 / 3)


def test_disagreements_put_the_widest_gap_first():
    frame = _frame([(50, 45), (90, 20), (60, 40)])
    worst = agreement.disagreements(frame, limit=2)
    assert list(worst["review_id"]) == [1, 2]
    assert worst.iloc[0]["widest"] == "tone" and (worst.iloc[0]["coach"], worst.iloc[0]["reviewer score"]) == (90, 20)


def test_weekly_gap_trend_per_dimension_and_overall():
    frame = _frame([(50, 40), (60, 60), (70, 40), (80, 80), (90, 90), (50, 50), (60, 60), (70, 70)])
    trend = agreement.weekly_gap(frame)
    overall = trend[trend["dimension"] == agreement.ALL].sort_values("week")
    assert len(overall) == 2
    assert overall["gap"].iloc[0] > overall["gap"].iloc[1]


def test_export_frame_has_integer_ids_iso_times_and_verdict_words():
    frame = agreement.reviews_frame([
        {"review_id": 3, "replied_at": datetime(2026, 11, 2, 9, 30), "reviewed_at": datetime(2026, 11, 3),
         "reviewer": "Ann", "agent": "Al", "passed": False, "coach_overall": 72.0, "coach_tone": 80.0,
         "reviewer_tone": 50.0, "note": None},
        {"review_id": 4, "replied_at": datetime(2026, 11, 2), "reviewed_at": datetime(2026, 11, 3),
         "reviewer": "Ann", "agent": None, "passed": None, "coach_overall": 60.0}])
    out = agreement.export_frame(frame)
    assert list(out["review_id"]) == [3, 4] and str(out["review_id"].dtype) == "Int64"
    assert out["replied_at"].iloc[0] == "2026-11-02T09:30:00"
    assert list(out["reviewer_verdict"]) == ["fail", ""]
    assert (out["coach_tone"].iloc[0], out["reviewer_tone"].iloc[0]) == (80.0, 50.0)
