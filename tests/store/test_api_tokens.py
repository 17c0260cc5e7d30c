"""Teams' API tokens: shown once, kept hashed, found by hash, revocable."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coach.store.api_tokens import create_token, hash_token, list_tokens, revoke_token, team_for_token
from coach.store.models import ApiToken
from coach.store.repository import NotFoundError


def test_token_is_kept_only_as_its_hash(store):
    with store.write() as session:
        token, info = create_token(session, "Support EU", "Zendesk add-on")
    with store.read() as session:
        row = session.scalars(select(ApiToken)).one()
    assert token.startswith("coach_") and len(token) > 40
    assert row.token_hash == hash_token(token) and token not in (row.token_hash, row.prefix)
    assert row.prefix == token[:12] and info.team == "Support EU" and info.label == "Zendesk add-on"


def test_token_opens_its_team_only(store):
    with store.write() as session:
        eu, _ = create_token(session, "Support EU")
        us, _ = create_token(session, "Support US")
    with store.read() as session:
        assert team_for_token(session, eu).team == "Support EU"
        assert team_for_token(session, us).team == "Support US"
        assert team_for_token(session, eu + "x") is None
        assert team_for_token(session, "") is None


def test_revoked_token_opens_nothing_but_stays_listed(store):
    with store.write() as session:
        token, info = create_token(session, "Support EU")
    with store.write() as session:
        revoked = revoke_token(session, info.id)
    assert revoked.revoked_at is not None
    with store.read() as session:
        assert team_for_token(session, token) is None
        assert [t.id for t in list_tokens(session)] == [info.id]


def test_revoking_an_unknown_token_says_so(store):
    with store.write() as session, pytest.raises(NotFoundError, match="No API token with id 99"):
        revoke_token(session, 99)
