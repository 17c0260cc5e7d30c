"""Passwords and sign-in: argon2 hashes only, throttling that slows guessing, and signed-in identities.

Throttling has two counters, both kept in the database (login_throttle) so a restart does not reset them:
- per account (e-mail address): after `max_failures` wrong passwords, sign-in for that address waits
  `base_delay`, doubling with each further failure but never more than `max_delay` (at most a
  minute), so a stranger typing wrong passwords can slow a colleague down but never lock them out;
- per client (the front end's key for where the attempt comes from, e.g. the IP address): after
  `client_max_failures` failures across any addresses, that client waits, doubling up to
  `client_max_delay`. This is what stops one machine guessing many passwords or many accounts.
A row with no failure for `forget_after` is deleted (its counter starts again), so throttle rows
for addresses typed once never pile up. A successful sign-in resets its account's counter.
Unknown addresses are throttled and answered exactly like known ones, so the sign-in form does not
tell an attacker which addresses exist. Passwords and hashes are never logged or put in messages.

`sign_in` returns a SignedIn identity; the data layer (coach.store.repository) writes history only
for one whose token still matches the database (`verify`): a token is an HMAC keyed with the user's
password hash, so it dies with the account or a password change and cannot be made from a user id.

A deactivated account cannot sign in; a temporary password from a manager's reset works once.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.store.db import Store
from coach.store.models import LoginThrottle, SignedIn, User, UserInfo, utcnow

MIN_PASSWORD_LENGTH = 8


class AuthError(CoachError):
    """Sign-in refused: wrong e-mail or password (never saying which)."""


class SignInLockedError(AuthError):
    """Too many failed sign-ins for this address; `retry_after` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many failed sign-ins. Try again in {_duration(retry_after)}.")


class NotSignedInError(AuthError):
    """A write of history was asked for without a valid signed-in identity."""


class WeakPasswordError(CoachError):
    """The password is too short to be accepted."""


MAX_ACCOUNT_DELAY = timedelta(minutes=1)
_CLIENT_PREFIX = "client "  # account keys never contain whitespace (see _account_key)
_MAX_KEY = 254  # login_throttle.email


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    base_delay: timedelta = timedelta(seconds=15)
    max_delay: timedelta = MAX_ACCOUNT_DELAY
    client_max_failures: int = 20
    client_base_delay: timedelta = timedelta(minutes=1)
    client_max_delay: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(hours=1)

    def __post_init__(self) -> None:
        if self.max_delay > MAX_ACCOUNT_DELAY:
            raise ValueError("An account's sign-in delay may not exceed a minute: anyone could lock it for longer.")

    def delay(self, failures: int) -> timedelta | None:
        """How long an account waits after `failures` recent failures (None: not at all)."""
        return _backoff(failures, self.max_failures, self.base_delay, self.max_delay)

    def client_delay(self, failures: int) -> timedelta | None:
        """How long a client waits after `failures` recent failures (None: not at all)."""
        return _backoff(failures, self.client_max_failures, self.client_base_delay, self.client_max_delay)


def _backoff(failures: int, free: int, base: timedelta, cap: timedelta) -> timedelta | None:
    if failures < free:
        return None
    return min(base * 2 ** min(failures - free, 32), cap)


DEFAULT_POLICY = ThrottlePolicy()


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the address is unknown, so both answers take as long.
    return _hasher().hash("not a real password")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _account_key(email: str) -> str | None:
    """The throttle key of an address, or None for text that cannot be anyone's address."""
    key = normalise_email(email)
    if not key or len(key) > _MAX_KEY or any(ch.isspace() for ch in key):
        return None
    return key


def _client_key(client: str | None) -> str | None:
    if not isinstance(client, str) or not client:
        return None
    key = _CLIENT_PREFIX + client
    return key if len(key) <= _MAX_KEY else _CLIENT_PREFIX + hashlib.sha256(client.encode()).hexdigest()


def session_token(user: User) -> str:
    """The token of a signed-in identity: valid while the account and its password hash are unchanged."""
    message = f"{user.id}\n{user.email}\n{user.role}".encode()
    return hmac.new(user.password_hash.encode(), message, hashlib.sha256).hexdigest()


def identity(user: User) -> SignedIn:
    """`user` as a signed-in identity. Only for sign-in itself and for the operator (the CLI, `coach
    demo`), who owns the database; front ends get theirs from sign_in() or resume()."""
    info = UserInfo.of(user)
    return SignedIn(info.id, info.name, info.email, info.role, info.team_ids, info.team_names, info.is_demo,
                    info.is_reviewer, info.must_change_password, token=session_token(user))


def verify(session: Session, signed_in: object) -> User:
    """The user behind `signed_in`, checked against the database; NotSignedInError otherwise."""
    if not isinstance(signed_in, SignedIn):
        raise NotSignedInError("Only a signed-in user can record history: sign in first.")
    user = session.get(User, signed_in.id)
    if user is None or not hmac.compare_digest(session_token(user), signed_in.token):
        raise NotSignedInError("Your sign-in is no longer valid (the account changed): sign in again.")
    if not user.active:
        raise NotSignedInError("This account was deactivated: ask your manager.")
    return user


def resume(store: Store, user_id: int, token: str) -> SignedIn | None:
    """The identity a front end kept between requests (user id and token), or None when the account
    was deleted, deactivated or its password changed since."""
    with store.read() as session:
        user = session.get(User, user_id)
        if user is None or not user.active or not hmac.compare_digest(session_token(user), token or ""):
            return None
        return identity(user)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (after checking its length)."""
    check_password_strength(password)
    return _hasher().hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _spend_temporary_password(user: User) -> None:
    """A temporary password (a manager's reset) works once: replaced by an unknowable one at its first
    use; the person then chooses their own (coach.store.people.change_password)."""
    user.password_hash = _hasher().hash(secrets.token_urlsafe(32))


def _recent(throttle: LoginThrottle | None, now: datetime, policy: ThrottlePolicy) -> int:
    """The failures of `throttle` that still count (none once it has been quiet for forget_after)."""
    if throttle is None or throttle.last_failure_at is None or now - throttle.last_failure_at >= policy.forget_after:
        return 0
    return throttle.failures


def _locked_for(throttle: LoginThrottle | None, now: datetime) -> int | None:
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return math.ceil((throttle.locked_until - now).total_seconds())
    return None


def _count_failure(session: Session, key: str, throttle: LoginThrottle | None, now: datetime,
                   policy: ThrottlePolicy, delay_of) -> timedelta | None:
    failures = _recent(throttle, now, policy) + 1
    if throttle is None:
        throttle = LoginThrottle(email=key)
        session.add(throttle)
    throttle.failures = failures
    throttle.last_failure_at = now
    delay = delay_of(failures)
    throttle.locked_until = now + delay if delay else None
    return delay


def _check(session: Session, email: str, password: str, now: datetime, policy: ThrottlePolicy,
           client: str | None) -> User | AuthError:
    """The user, or the error to raise once the failure has been committed."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - policy.forget_after)
                    .execution_options(synchronize_session=False))
    account_key, client_key = _account_key(email), _client_key(client)
    account = session.get(LoginThrottle, account_key, with_for_update=True) if account_key else None
    origin = session.get(LoginThrottle, client_key, with_for_update=True) if client_key else None
    waits = [w for w in (_locked_for(account, now), _locked_for(origin, now)) if w]
    if waits:
        return SignInLockedError(max(waits))
    user = session.scalars(select(User).where(User.email == account_key)).one_or_none() if account_key else None
    if user is None:
        _verify(_dummy_hash(), password)
    elif _verify(user.password_hash, password):
        if account is not None:
            session.delete(account)
        if not user.active:
            return AuthError("This account was deactivated: ask your manager.")
        if user.must_change_password:
            _spend_temporary_password(user)
        elif _hasher().check_needs_rehash(user.password_hash):
            user.password_hash = _hasher().hash(password)
        return user
    delays = []
    if account_key:
        delays.append(_count_failure(session, account_key, account, now, policy, policy.delay))
    if client_key:
        delays.append(_count_failure(session, client_key, origin, now, policy, policy.client_delay))
    delays = [d for d in delays if d]
    if delays:
        return SignInLockedError(math.ceil(max(delays).total_seconds()))
    return AuthError("Wrong e-mail or password.")


def sign_in(store: Store, email: str, password: str, now: datetime | None = None,
            policy: ThrottlePolicy = DEFAULT_POLICY, client: str | None = None) -> SignedIn:
    """The signed-in identity, or AuthError / SignInLockedError.

    `client` is where the attempt comes from (an IP address, or the browser session when none is
    known); failures are counted per address and per client. A failure is committed before the
    error is raised, so the throttle counts it.
    """
    if not isinstance(email, str) or not isinstance(password, str):
        raise AuthError("Wrong e-mail or password.")
    for retry in (True, False):
        try:
            with store.write() as session:
                outcome = _check(session, email, password, now or utcnow(), policy, client)
                if isinstance(outcome, User):
                    return identity(outcome)
            break
        except IntegrityError:
            # Two first failures for the same key at once both inserted its counter: count again.
            if not retry:
                raise
    raise outcome
