"""Data access: who sees whose history (enforced in every query), and what a recorded row holds."""
from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from sqlalchemy import func, select

from coach.store import auth, repository
from coach.store.auth import NotSignedInError
from coach.store.models import Attempt, SignedIn, User, ValueTooLongError

from .conftest import PASSWORD, report_dict


@pytest.fixture
def history(store, teams, me):
    """One check by everybody, and one practice run by Tia."""
    with store.write() as session:
        for name in teams:
            repository.record_check(session, me(name), report_dict(), f"{name}'s reply about DNS", True)
        practice = repository.start_practice(session, me("Tia"), "office-network-down")
        repository.record_practice_turn(session, me("Tia"), practice, 1, "We are all offline!",
                                        "Hi Priya, call me on 07700 900123.", report_dict(), "good")
        repository.finish_practice(session, me("Tia"), practice,
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


def test_repository_check_without_opt_in_keeps_no_text(store, teams, info, me):
    with store.write() as session:
        repository.record_check(session, me("Al"), report_dict(), "Reset your DNS, mail al@a.example", False,
                                customer_message="help")
    with store.read() as session:
        row, = repository.attempt_rows(session, info("Al"))
        findings = repository.finding_rows(session, info("Al"))
    assert row["reply_text"] is None and row["customer_text"] is None
    assert {f["rule"]: (f["count"], f["example"]) for f in findings} == {
        "jargon.acronym": (2, None), "empathy.no-apology": (1, None)}


def test_repository_check_with_opt_in_keeps_redacted_text(store, teams, info, me):
    with store.write() as session:
        repository.record_check(session, me("Al"), report_dict(), "Your password is hunter22, sam@x.example",
                                True, customer_message="Call me on +44 20 7946 0958")
    with store.read() as session:
        row, = repository.attempt_rows(session, info("Al"))
        examples = {f["rule"]: f["example"] for f in repository.finding_rows(session, info("Al"))}
    assert row["reply_text"] == "Your password is [credential], [email]"
    assert row["customer_text"] == "Call me on [phone]"
    assert examples == {"jargon.acronym": "DNS", "empathy.no-apology": None}


def test_repository_row_holds_scores_counts_and_feedback(store, teams, info, me):
    with store.write() as session:
        repository.record_check(session, me("Al"), report_dict(overall=64.5, tone=42.0), "x", False)
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


def test_repository_cannot_write_into_someone_elses_practice(store, history, me):
    with store.write() as session:
        practice = repository.start_practice(session, me("Tia"), "office-network-down")
    with pytest.raises(repository.NotFoundError), store.write() as session:
        repository.record_practice_turn(session, me("Al"), practice, 1, "hi", "hello", report_dict(), "good")


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


def test_repository_period_bounds_are_start_inclusive_end_exclusive(store, teams, info, me):
    with store.write() as session:
        for day in (1, 2, 3):
            repository.record_check(session, me("Al"), report_dict(), "x", False, when=datetime(2025, 3, day, 12))
    with store.read() as session:
        rows = repository.attempt_rows(session, info("Al"), start=datetime(2025, 3, 2), end=datetime(2025, 3, 3, 12))
        assert session.scalar(select(func.count()).select_from(Attempt)) == 3
    assert [r["created_at"].day for r in rows] == [2]


@pytest.mark.parametrize("who", ["a user id", "a UserInfo of someone", "a forged token"])
def test_repository_writes_refuse_anything_but_the_signed_in_identity(store, teams, info, who):
    """The data layer, not the caller, decides whose history a write lands in."""
    forged = SignedIn(*dataclasses.astuple(info("Al")), token="0" * 64)
    actor = {"a user id": teams["Al"], "a UserInfo of someone": info("Al"), "a forged token": forged}[who]
    with pytest.raises(NotSignedInError), store.write() as session:
        repository.record_check(session, actor, report_dict(), "x", False)
    with pytest.raises(NotSignedInError), store.write() as session:
        repository.start_practice(session, actor, "office-network-down")
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Attempt)) == 0


def test_repository_identity_dies_with_a_password_change(store, teams, me):
    al = me("Al")
    with store.write() as session:
        session.get(User, teams["Al"]).password_hash = auth.hash_password("a brand new password")
    with pytest.raises(NotSignedInError, match="sign in again"), store.write() as session:
        repository.record_check(session, al, report_dict(), "x", False)
    assert auth.resume(store, teams["Al"], al.token) is None


def test_repository_signed_in_identity_writes_only_its_own_history(store, teams, me, info):
    with store.write() as session:
        repository.record_check(session, me("Bea"), report_dict(), "x", False)
    with store.read() as session:
        assert [row["name"] for row in repository.attempt_rows(session, info("Bob"))] == ["Bea"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "N" * 121, "at most 120 characters"),
    ("email", "n" * 250 + "@a.example", "is not an e-mail address"),
    ("team", "T" * 121, "at most 120 characters"),
    ("name", 123, "must be text"),
])
def test_repository_add_user_refuses_values_longer_than_their_column(store, field, value, message):
    values = {"name": "N", "email": "n@a.example", "team": "T"} | {field: value}
    with pytest.raises(repository.AccountError, match=message), store.write() as session:
        repository.add_user(session, values["name"], values["email"], "agent", PASSWORD, values["team"])
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_repository_name_of_exactly_120_characters_is_kept_whole(store):
    with store.write() as session:
        repository.add_user(session, "N" * 120, "n@a.example", "agent", PASSWORD)
    with store.read() as session:
        assert session.scalars(select(User.name)).one() == "N" * 120


def test_models_every_database_refuses_text_longer_than_its_column(store, me):
    """SQLite ignores VARCHAR(n); the check before each flush does not."""
    with pytest.raises(ValueTooLongError, match=r"practice_sessions.scenario_id takes at most 80"), \
            store.write() as session:
        repository.start_practice(session, me("Tia"), "s" * 81)
