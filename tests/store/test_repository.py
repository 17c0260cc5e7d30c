"""Data access: who sees whose history (enforced in every query), and what a recorded row holds."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from coach.store import repository
from coach.store.models import Attempt, User

from .conftest import PASSWORD, report_dict


@pytest.fixture
def history(store, teams):
    """One check by everybody, and one practice run by Tia."""
    with store.write() as session:
        for name, user_id in teams.items():
            repository.record_check(session, user_id, report_dict(), f"{name}'s reply about DNS", True)
        practice = repository.start_practice(session, teams["Tia"], "office-network-down")
        repository.record_practice_turn(session, teams["Tia"], practice, 1, "We are all offline!",
                                        "Hi Priya, call me on 07700 900123.", report_dict(), "good")
        repository.finish_practice(session, teams["Tia"], practice,
                                   {"scenario": "office-network-down", "average_overall": 70.0,
                                    "practice": [{"title": "Give a time frame", "example": "mail tia@a.example"}]})
    return teams


def _names(rows) -> set[str]:
    return {row["name"] for row in rows}


@pytest.mark.parametrize(("viewer", "sees"), [
    ("Ann", {"Ann", "Al", "Tia"}),   # manager of A: her team
    ("Bob", {"Bob", "Bea"}),         # manager of B: his team
    ("Zed", {"Zed"}),                # a manager without a team: only himself
    ("Al", {"Al"}),                  # an agent: only himself
    ("Tia", {"Tia"}),                # a trainee: only herself
])
def test_repository_each_viewer_sees_only_their_people(store, history, info, viewer, sees):
    me = info(viewer)
    with store.read() as session:
        assert {p.name for p in repository.people(session, me)} == sees
        assert _names(repository.attempt_rows(session, me)) == sees
        assert _names(repository.finding_rows(session, me)) == sees


@pytest.mark.parametrize(("viewer", "other"), [("Bob", "Al"), ("Bob", "Tia"), ("Ann", "Bea"), ("Al", "Tia"),
                                               ("Tia", "Ann"), ("Al", "Ann")])
def test_repository_another_teams_data_returns_nothing(store, history, info, viewer, other):
    me, other_id = info(viewer), history[other]
    with store.read() as session:
        assert repository.person(session, me, other_id) is None
        assert repository.attempt_rows(session, me, user_id=other_id) == []
        assert repository.finding_rows(session, me, user_id=other_id) == []
        assert repository.practice_transcripts(session, me, other_id) == []
        assert repository.practice_summaries(session, me, other_id, "office-network-down") == []


def test_repository_manager_drills_down_into_their_trainee(store, history, info):
    with store.read() as session:
        tia = repository.person(session, info("Ann"), history["Tia"])
        runs = repository.practice_transcripts(session, info("Ann"), history["Tia"])
    assert tia.name == "Tia"
    assert [(t["turn"], t["outcome"]) for t in runs[0]["turns"]] == [(1, "good")]


def test_repository_role_comes_from_the_database_not_the_caller(store, history, info):
    al = info("Al")
    forged = type(al)(al.id, al.name, al.email, "manager", al.team_ids, al.team_names, al.is_demo)
    with store.read() as session:
        assert _names(repository.attempt_rows(session, forged)) == {"Al"}


def test_repository_check_without_opt_in_keeps_no_text(store, teams, info):
    with store.write() as session:
        repository.record_check(session, teams["Al"], report_dict(), "Reset your DNS, mail al@a.example", False,
                                customer_message="help")
    with store.read() as session:
        row, = repository.attempt_rows(session, info("Al"))
        findings = repository.finding_rows(session, info("Al"))
    assert row["reply_text"] is None and row["customer_text"] is None
    assert {f["rule"]: (f["count"], f["example"]) for f in findings} == {
        "jargon.acronym": (2, None), "empathy.no-apology": (1, None)}


def test_repository_check_with_opt_in_keeps_redacted_text(store, teams, info):
    with store.write() as session:
        repository.record_check(session, teams["Al"], report_dict(), "Your password is hunter22, sam@x.example",
                                True, customer_message="Call me on +44 20 7946 0958")
    with store.read() as session:
        row, = repository.attempt_rows(session, info("Al"))
        examples = {f["rule"]: f["example"] for f in repository.finding_rows(session, info("Al"))}
    assert row["reply_text"] == "Your password is [credential], [email]"
    assert row["customer_text"] == "Call me on [phone]"
    assert examples == {"jargon.acronym": "DNS", "empathy.no-apology": None}


def test_repository_row_holds_scores_counts_and_feedback(store, teams, info):
    with store.write() as session:
        repository.record_check(session, teams["Al"], report_dict(overall=64.5, tone=42.0), "x", False)
    with store.read() as session:
        row, = repository.attempt_rows(session, info("Al"))
    assert (row["source"], row["overall"], row["score_tone"], row["score_security"]) == ("check", 64.5, 42.0, 100.0)
    assert row["feedback"] == [{"priority": 1, "analyzer": "jargon", "rule": "jargon.acronym", "title": "Spell out DNS"}]
    assert row["words"] == 12 and row["audience"] == "non-technical"


def test_repository_practice_turn_and_debrief_are_redacted(store, history, info):
    with store.read() as session:
        run, = repository.practice_transcripts(session, info("Tia"), history["Tia"])
    assert run["turns"][0]["reply"] == "Hi Priya, call me on [phone]."
    assert run["turns"][0]["customer"] == "We are all offline!"
    assert run["debrief"]["practice"][0]["example"] == "mail [email]"
    assert run["finished_at"] is not None


def test_repository_cannot_write_into_someone_elses_practice(store, history):
    with store.write() as session:
        practice = repository.start_practice(session, history["Tia"], "office-network-down")
    with pytest.raises(repository.NotFoundError), store.write() as session:
        repository.record_practice_turn(session, history["Al"], practice, 1, "hi", "hello", report_dict(), "good")


@pytest.mark.parametrize(("name", "email", "role", "message"), [
    ("", "x@a.example", "agent", "needs a name"),
    ("X", "not-an-address", "agent", "is not an e-mail address"),
    ("X", "x@a.example", "boss", "Unknown role"),
    ("X", "AL@a.example", "agent", "already exists"),
])
def test_repository_add_user_rejects_bad_input(store, teams, name, email, role, message):
    with pytest.raises(repository.AccountError, match=message), store.write() as session:
        repository.add_user(session, name, email, role, PASSWORD)


def test_repository_first_manager_only_in_an_empty_database(store):
    ann = repository.create_first_manager(store, "Ann", "ann@a.example", PASSWORD, "A")
    assert (ann.role, ann.team_names) == ("manager", ("A",))
    with pytest.raises(repository.SetupDoneError):
        repository.create_first_manager(store, "Eve", "eve@e.example", PASSWORD, "E")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_repository_period_bounds_are_start_inclusive_end_exclusive(store, teams, info):
    with store.write() as session:
        for day in (1, 2, 3):
            repository.record_check(session, teams["Al"], report_dict(), "x", False, when=datetime(2025, 3, day, 12))
    with store.read() as session:
        rows = repository.attempt_rows(session, info("Al"), start=datetime(2025, 3, 2), end=datetime(2025, 3, 3, 12))
        assert session.scalar(select(func.count()).select_from(Attempt)) == 3
    assert [r["created_at"].day for r in rows] == [2]
