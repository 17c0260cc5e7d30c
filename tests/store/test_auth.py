"""Passwords (argon2 only), and sign-in throttling that survives a restart, slows guessing, and never
lets a stranger lock a colleague out for more than a minute."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from coach.store import repository
from coach.store.auth import AuthError, SignInLockedError, ThrottlePolicy, WeakPasswordError, resume, sign_in
from coach.store.db import open_store
from coach.store.models import LoginThrottle, User, utcnow

from .conftest import PASSWORD

POLICY = ThrottlePolicy(max_failures=5, base_delay=timedelta(seconds=30), max_delay=timedelta(minutes=1),
                        client_max_failures=8, client_base_delay=timedelta(minutes=1),
                        client_max_delay=timedelta(minutes=15), forget_after=timedelta(hours=1))


def _fail(store, email, times, now, client=None):
    for _ in range(times):
        with pytest.raises(AuthError):
            sign_in(store, email, "wrong password", now=now, policy=POLICY, client=client)


def _throttle_keys(store) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(LoginThrottle.email)))


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


def test_auth_delay_grows_but_never_beyond_a_minute(store, teams):
    """A stranger typing wrong passwords for Al's address makes Al wait at most a minute."""
    now = utcnow()
    _fail(store, "al@a.example", 5, now)
    delays = []
    for step in range(1, 6):
        later = now + timedelta(minutes=step * 2)
        with pytest.raises(SignInLockedError) as locked:
            sign_in(store, "al@a.example", "wrong password", now=later, policy=POLICY)
        delays.append(locked.value.retry_after)
    assert delays == [60, 60, 60, 60, 60]
    assert sign_in(store, "al@a.example", PASSWORD, now=now + timedelta(minutes=11, seconds=1),
                   policy=POLICY).id == teams["Al"]


def test_auth_policy_refuses_account_delays_longer_than_a_minute():
    with pytest.raises(ValueError, match="a minute"):
        ThrottlePolicy(max_delay=timedelta(hours=1))


def test_auth_one_client_guessing_many_addresses_is_slowed(store, teams):
    """The per-client limit: spreading guesses over many accounts does not escape the throttle."""
    now = utcnow()
    for index in range(7):
        _fail(store, f"user{index}@a.example", 1, now, client="203.0.113.9")
    with pytest.raises(SignInLockedError) as locked:
        sign_in(store, "user7@a.example", "guess", now=now, policy=POLICY, client="203.0.113.9")
    assert locked.value.retry_after == 60
    with pytest.raises(SignInLockedError):  # even the right password, from that client
        sign_in(store, "al@a.example", PASSWORD, now=now + timedelta(seconds=30), policy=POLICY,
                client="203.0.113.9")
    # Al, elsewhere, signs in at once.
    assert sign_in(store, "al@a.example", PASSWORD, now=now, policy=POLICY, client="198.51.100.4").id == teams["Al"]


def test_auth_client_delay_grows_to_its_cap(store, teams):
    now = utcnow()
    for index in range(8):
        _fail(store, f"x{index}@a.example", 1, now, client="203.0.113.9")
    delays = []
    for step in range(1, 7):
        with pytest.raises(SignInLockedError) as locked:
            sign_in(store, f"y{step}@a.example", "guess", now=now + timedelta(minutes=20 * step), policy=POLICY,
                    client="203.0.113.9")
        delays.append(locked.value.retry_after)
    assert delays == [120, 240, 480, 900, 900, 900]


def test_auth_throttle_rows_expire(store, teams):
    """Every unknown address typed leaves a row; rows quiet for `forget_after` are deleted."""
    now = utcnow()
    for index in range(5):
        _fail(store, f"typo{index}@a.example", 1, now, client="203.0.113.9")
    assert len(_throttle_keys(store)) == 6
    later = now + timedelta(hours=1, seconds=1)
    _fail(store, "al@a.example", 1, later)
    assert _throttle_keys(store) == {"al@a.example"}


def test_auth_old_failures_stop_counting(store, teams):
    now = utcnow()
    _fail(store, "al@a.example", 4, now)
    _fail(store, "al@a.example", 4, now + timedelta(hours=2))  # the first four were forgotten: not locked
    assert sign_in(store, "al@a.example", PASSWORD, now=now + timedelta(hours=2), policy=POLICY).id == teams["Al"]


@pytest.mark.parametrize("email", ["client 203.0.113.9", "a" * 300 + "@a.example", ""])
def test_auth_text_that_cannot_be_an_address_adds_no_account_row(store, teams, email):
    """An address with a space cannot collide with a client's counter; an overlong one cannot fail the write."""
    with pytest.raises(AuthError, match="^Wrong e-mail or password.$"):
        sign_in(store, email, "guess", policy=POLICY)
    assert _throttle_keys(store) == set()


def test_auth_sign_in_gives_an_identity_the_data_layer_accepts(store, teams):
    user = sign_in(store, "al@a.example", PASSWORD)
    assert user.token and user.token not in repr(user)
    assert resume(store, user.id, user.token) == user
    assert resume(store, user.id, "forged") is None


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
