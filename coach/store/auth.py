"""Passwords and sign-in: argon2 hashes only, and throttling after repeated failures.

After `max_failures` wrong passwords for one e-mail address, sign-in for that address is locked for
`base_delay`, doubling with every further failure up to `max_delay`. The counter lives in the
database (login_throttle), so restarting the app does not reset it; a successful sign-in does.
Unknown addresses are throttled and answered exactly like known ones, so the sign-in form does not
tell an attacker which addresses exist. Passwords and hashes are never logged or put in messages.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.store.db import Store
from coach.store.models import LoginThrottle, User, UserInfo, utcnow

MIN_PASSWORD_LENGTH = 8


class AuthError(CoachError):
    """Sign-in refused: wrong e-mail or password (never saying which)."""


class SignInLockedError(AuthError):
    """Too many failed sign-ins for this address; `retry_after` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many failed sign-ins. Try again in {_duration(retry_after)}.")


class WeakPasswordError(CoachError):
    """The password is too short to be accepted."""


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    base_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(hours=1)

    def delay(self, failures: int) -> timedelta | None:
        """How long sign-in stays locked after `failures` consecutive failures (None: not locked)."""
        if failures < self.max_failures:
            return None
        return min(self.base_delay * 2 ** (failures - self.max_failures), self.max_delay)


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


def _check(session: Session, email: str, password: str, now: datetime,
           policy: ThrottlePolicy) -> User | AuthError:
    """The user, or the error to raise once the failure has been committed."""
    key = normalise_email(email)
    throttle = session.get(LoginThrottle, key, with_for_update=True)
    if throttle is not None and throttle.locked_until is not None and throttle.locked_until > now:
        return SignInLockedError(math.ceil((throttle.locked_until - now).total_seconds()))
    user = session.scalars(select(User).where(User.email == key)).one_or_none()
    if user is None:
        _verify(_dummy_hash(), password)
    elif _verify(user.password_hash, password):
        if throttle is not None:
            session.delete(throttle)
        if _hasher().check_needs_rehash(user.password_hash):
            user.password_hash = _hasher().hash(password)
        return user
    if throttle is None:
        throttle = LoginThrottle(email=key, failures=0)
        session.add(throttle)
    throttle.failures += 1
    throttle.last_failure_at = now
    delay = policy.delay(throttle.failures)
    throttle.locked_until = now + delay if delay else None
    if delay:
        return SignInLockedError(math.ceil(delay.total_seconds()))
    return AuthError("Wrong e-mail or password.")


def sign_in(store: Store, email: str, password: str, now: datetime | None = None,
            policy: ThrottlePolicy = DEFAULT_POLICY) -> UserInfo:
    """The signed-in user, or AuthError / SignInLockedError.

    A failure is committed before the error is raised, so the throttle counts it.
    """
    for retry in (True, False):
        try:
            with store.write() as session:
                outcome = _check(session, email, password, now or utcnow(), policy)
                if isinstance(outcome, User):
                    return UserInfo.of(outcome)
            break
        except IntegrityError:
            # Two first failures for the same address at once both inserted its counter: count again.
            if not retry:
                raise
    raise outcome
