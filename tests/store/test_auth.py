"""Passwords (argon2 only) and sign-in throttling that survives a restart."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from coach.store import repository
from coach.store.auth import AuthError, SignInLockedError, ThrottlePolicy, WeakPasswordError, sign_in
from coach.store.db import open_store
from coach.store.models import User, utcnow

from .conftest import PASSWORD

POLICY = ThrottlePolicy(max_failures=5, base_delay=timedelta(seconds=30), max_delay=timedelta(minutes=10))


def _fail(store, email, times, now):
    for _ in range(times):
        with pytest.raises(AuthError):
            sign_in(store, email, "wrong password", now=now, policy=POLICY)


def test_auth_stores_only_an_argon2_hash(store, teams):
    with store.read() as session:
        user = session.get(User, teams["Al"])
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert "password_hash" not in repr(user) and user.password_hash not in repr(user)


@pytest.mark.parametrize("email", ["al@a.example", "  AL@A.example "])
def test_auth_signs_in_with_the_right_password(store, teams, email):
    user = sign_in(store, email, PASSWORD)
    assert (user.id, user.role, user.team_names) == (teams["Al"], "agent", ("A",))


@pytest.mark.parametrize("email", ["al@a.example", "nobody@a.example"])
def test_auth_wrong_password_or_unknown_address_gives_the_same_answer(store, teams, email):
    with pytest.raises(AuthError, match="^Wrong e-mail or password.$"):
        sign_in(store, email, "wrong password")


def test_auth_locks_after_five_failures_even_with_the_right_password(store, teams):
    now = utcnow()
    _fail(store, "al@a.example", 4, now)
    with pytest.raises(SignInLockedError) as locked:
        sign_in(store, "al@a.example", "wrong password", now=now, policy=POLICY)
    assert locked.value.retry_after == 30
    with pytest.raises(SignInLockedError):
        sign_in(store, "al@a.example", PASSWORD, now=now + timedelta(seconds=29), policy=POLICY)
    assert sign_in(store, "al@a.example", PASSWORD, now=now + timedelta(seconds=31), policy=POLICY).id == teams["Al"]


def test_auth_delay_grows_with_each_further_failure(store, teams):
    now = utcnow()
    _fail(store, "al@a.example", 5, now)
    delays = []
    for step in range(1, 4):
        later = now + timedelta(hours=step)
        with pytest.raises(SignInLockedError) as locked:
            sign_in(store, "al@a.example", "wrong password", now=later, policy=POLICY)
        delays.append(locked.value.retry_after)
    assert delays == [60, 120, 240]


def test_auth_lock_survives_a_restart(store, teams, database_url):
    now = utcnow()
    _fail(store, "al@a.example", 5, now)
    store.dispose()
    restarted = open_store(database_url)
    with pytest.raises(SignInLockedError):
        sign_in(restarted, "al@a.example", PASSWORD, now=now + timedelta(seconds=5), policy=POLICY)
    restarted.dispose()


def test_auth_success_resets_the_counter(store, teams):
    now = utcnow()
    _fail(store, "al@a.example", 4, now)
    sign_in(store, "al@a.example", PASSWORD, now=now, policy=POLICY)
    _fail(store, "al@a.example", 4, now)  # four more: still not locked, the count started again
    assert sign_in(store, "al@a.example", PASSWORD, now=now, policy=POLICY).id == teams["Al"]


def test_auth_unknown_addresses_are_throttled_too(store, teams):
    now = utcnow()
    _fail(store, "ghost@a.example", 4, now)
    with pytest.raises(SignInLockedError):
        sign_in(store, "ghost@a.example", "guess", now=now, policy=POLICY)


def test_auth_never_logs_the_password(store, teams, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in(store, "al@a.example", PASSWORD)
    with pytest.raises(AuthError):
        sign_in(store, "al@a.example", "s3cret-typo")
    assert PASSWORD not in caplog.text and "s3cret-typo" not in caplog.text


@pytest.mark.parametrize("password", ["", "short", "1234567"])
def test_auth_rejects_short_passwords(store, password):
    with store.write() as session, pytest.raises(WeakPasswordError):
        repository.add_user(session, "Short", "short@a.example", "agent", password)
    with store.read() as session:
        assert session.scalars(select(User)).all() == []
