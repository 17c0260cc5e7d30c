"""A manager's people management: add, reset password (one-time temporary password), deactivate,
move between teams, QA reviewer flag; each authorised in the data layer and logged."""
from __future__ import annotations

import pytest

from coach.store import audit, auth, people, repository
from coach.store.audit import NotAllowedError
from coach.store.auth import AuthError, NotSignedInError, sign_in
from coach.store.models import User
from coach.store.repository import AccountError, NotFoundError

from .conftest import PASSWORD


@pytest.fixture
def second_team(store, teams, info) -> int:
    """Ann also manages team C (empty but for her)."""
    with store.write() as session:
        ann = session.get(repository.User, teams["Ann"])
        ann.teams.append(repository.get_or_create_team(session, "C"))
    return next(t for t in info("Ann").team_ids if t != info("Al").team_ids[0])


def test_add_person_gives_a_temporary_password_that_works_once(store, info, me):
    team_a = info("Ann").team_ids[0]
    with store.write() as session:
        added, password = people.add_person(session, me("Ann"), "Cas Diaz", "cas@a.example", "agent", team_a)
    assert added.team_names == ("A",) and added.must_change_password
    assert len(password.split("-")) == 5
    signed = sign_in(store, "cas@a.example", password)
    assert signed.must_change_password
    with pytest.raises(AuthError):
        sign_in(store, "cas@a.example", password)
    with store.write() as session:
        changed = people.change_password(session, signed, "my own long password")
    assert not changed.must_change_password
    assert sign_in(store, "cas@a.example", "my own long password").name == "Cas Diaz"
    with store.read() as session:
        entry, = audit.audit_entries(session, info("Ann"))
    assert (entry["who"], entry["action"], entry["person"], entry["team"]) == ("Ann", "person.add", "Cas Diaz", "A")


def test_reset_password_replaces_the_old_one(store, info, me):
    with store.write() as session:
        temporary = people.reset_password(session, me("Ann"), info("Al").id)
    with pytest.raises(AuthError):
        sign_in(store, "al@a.example", PASSWORD)
    assert sign_in(store, "al@a.example", temporary).must_change_password
    with store.read() as session:
        assert audit.audit_entries(session, info("Ann"))[0]["action"] == "person.reset-password"


def test_deactivated_person_cannot_sign_in_and_is_signed_out(store, info, me):
    al = info("Al")
    with store.write() as session:
        people.set_active(session, me("Ann"), al.id, False)
    with pytest.raises(AuthError, match="deactivated"):
        sign_in(store, "al@a.example", PASSWORD)
    with store.read() as session:
        assert repository.user_info(session, al.id) is None
        listed = {p["name"]: p for p in people.team_people(session, me("Ann"))}
        # their history stays visible to the manager
        assert listed["Al"]["active"] is False and [p.name for p in repository.people(session, info("Ann"))].count("Al")
    with store.write() as session:
        people.set_active(session, me("Ann"), al.id, True)
    assert sign_in(store, "al@a.example", PASSWORD).name == "Al"
    with store.read() as session:
        assert [e["action"] for e in audit.audit_entries(session, info("Ann"))] == [
            "person.reactivate", "person.deactivate"]


def test_move_person_between_the_managers_teams(store, info, me, second_team):
    with store.write() as session:
        people.move_person(session, me("Ann"), info("Tia").id, second_team)
    assert info("Tia").team_names == ("C",)
    with store.read() as session:
        entry = audit.audit_entries(session, info("Ann"))[0]
    assert entry["action"] == "person.move" and entry["detail"] == {"from": ["A"], "to": "C"}


def test_reviewer_flag_lets_a_person_score(store, info, me):
    with store.write() as session:
        people.set_reviewer(session, me("Ann"), info("Tia").id, True)
    assert info("Tia").can_review and not info("Al").can_review


@pytest.mark.parametrize("action", ["reset", "deactivate", "move", "reviewer"])
@pytest.mark.parametrize("who, whom", [("Al", "Tia"), ("Ann", "Bea"), ("Bob", "Al"), ("Ann", "Zed")])
def test_people_actions_are_authorised_in_the_data_layer(store, info, me, second_team, action, who, whom):
    calls = {"reset": lambda s: people.reset_password(s, me(who), info(whom).id),
             "deactivate": lambda s: people.set_active(s, me(who), info(whom).id, False),
             "move": lambda s: people.move_person(s, me(who), info(whom).id, second_team),
             "reviewer": lambda s: people.set_reviewer(s, me(who), info(whom).id, True)}
    with pytest.raises((NotAllowedError, NotFoundError)), store.write() as session:
        calls[action](session)
    with store.read() as session:
        assert audit.audit_entries(session, info("Ann")) == []
    assert sign_in(store, info(whom).email, PASSWORD)


@pytest.mark.parametrize("call", [
    lambda s, me, i: people.set_active(s, me("Ann"), i("Ann").id, False),
    lambda s, me, i: people.reset_password(s, me("Ann"), i("Ann").id),
    lambda s, me, i: people.add_person(s, me("Ann"), "Eve", "eve@b.example", "agent", i("Bob").team_ids[0]),
    lambda s, me, i: people.add_person(s, me("Al"), "Eve", "eve@a.example", "agent", i("Al").team_ids[0]),
])
def test_managers_cannot_act_on_themselves_or_other_teams(store, info, me, call):
    with pytest.raises(NotAllowedError), store.write() as session:
        call(session, me, info)


@pytest.mark.parametrize("call", [
    lambda s, i: people.set_active(s, i("Ann"), i("Al").id, False),
    lambda s, i: people.add_person(s, i("Ann"), "Eve", "eve@a.example", "agent", i("Ann").team_ids[0]),
])
def test_people_actions_need_a_signed_in_identity_not_a_user_info(store, info, call):
    """A front end's UserInfo of a manager (what anyone can build from a user id) changes nobody."""
    with pytest.raises(NotSignedInError), store.write() as session:
        call(session, info)
    with store.read() as session:
        assert audit.audit_entries(session, info("Ann")) == []


def test_a_deactivated_manager_can_no_longer_act_with_their_old_sign_in(store, info, me):
    ann = me("Ann")
    with store.write() as session:
        cas, _ = people.add_person(session, ann, "Cas Diaz", "cas@a.example", "manager", info("Ann").team_ids[0])
        people.set_active(session, auth.identity(session.get(User, cas.id)),
                          ann.id, False)
    with pytest.raises(NotSignedInError, match="deactivated"), store.write() as session:
        people.reset_password(session, ann, info("Al").id)
    assert auth.resume(store, ann.id, ann.token) is None


def test_change_password_gives_a_new_identity_and_ends_the_old_one(store, info, me):
    al = me("Al")
    with store.write() as session:
        renewed = people.change_password(session, al, "a brand new password")
    assert renewed.id == al.id and renewed.token != al.token
    assert auth.resume(store, al.id, al.token) is None
    assert auth.resume(store, al.id, renewed.token) == renewed


def test_add_person_validates_like_every_account(store, info, me):
    with pytest.raises(AccountError, match="already exists"), store.write() as session:
        people.add_person(session, me("Ann"), "Al again", "AL@a.example", "agent", info("Ann").team_ids[0])
