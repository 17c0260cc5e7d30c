"""People and teams, managed by a manager from the Account page.

A manager may add people to the teams they manage, reset their passwords, deactivate (and
reactivate) them, move them between the teams they manage, and let them score replies as QA
reviewers. Every action is authorised here from the database and logged (coach.store.audit).

A reset gives a temporary password, shown to the manager once and never stored in clear: it
works for one sign-in only (coach.store.auth), after which the person must choose their own
(`change_password`).
"""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store import audit
from coach.store.auth import check_password_strength, hash_password, identity, verify
from coach.store.models import ROLES, Membership, SignedIn, User, UserInfo
from coach.store.repository import AccountError, NotFoundError, add_user

# Words a person can read out over the phone; 4 of 64 words and 4 digits: about 37 bits, enough
# for a password that works once and only until its first use.
_WORDS = ("amber", "anchor", "apple", "arrow", "badge", "basket", "beacon", "birch", "bridge", "button",
          "candle", "canyon", "cedar", "cobalt", "comet", "copper", "coral", "delta", "ember", "falcon",
          "fern", "forest", "garnet", "glacier", "harbor", "hazel", "island", "jasper", "juniper", "kettle",
          "lantern", "lemon", "maple", "marble", "meadow", "mango", "nectar", "ocean", "olive", "orbit",
          "pebble", "pepper", "pilot", "planet", "quartz", "raven", "river", "rocket", "saffron", "silver",
          "sparrow", "spruce", "summit", "thistle", "timber", "topaz", "tulip", "velvet", "violet", "walnut",
          "willow", "winter", "yarrow", "zephyr")


def temporary_password() -> str:
    return "-".join(secrets.choice(_WORDS) for _ in range(4)) + f"-{secrets.randbelow(10_000):04d}"


def _member(session: Session, manager: User, user_id: int) -> User:
    """A person in one of `manager`'s teams; NotFoundError for anyone else (as if absent)."""
    team_ids = [t.id for t in manager.teams]
    query = (select(User).join(Membership, Membership.user_id == User.id)
             .where(User.id == user_id, Membership.team_id.in_(team_ids)))
    user = session.scalars(query).first()
    if user is None:
        raise NotFoundError("No such person in your teams.")
    return user


def _not_self(manager: User, user: User, what: str) -> None:
    if manager.id == user.id:
        raise audit.NotAllowedError(f"You cannot {what} yourself: ask another manager.")


def team_people(session: Session, actor: SignedIn) -> list[dict[str, Any]]:
    """Everyone in the teams the manager manages (deactivated people too), by name."""
    manager = audit.managing_user(session, actor)
    team_ids = {t.id for t in manager.teams}
    query = (select(User).join(Membership, Membership.user_id == User.id)
             .where(Membership.team_id.in_(team_ids)).distinct().order_by(User.name, User.id))
    return [{"id": u.id, "name": u.name, "email": u.email, "role": u.role, "active": u.active,
             "reviewer": u.is_reviewer, "teams": [t.name for t in u.teams if t.id in team_ids],
             "team_ids": [t.id for t in u.teams if t.id in team_ids], "is_me": u.id == manager.id}
            for u in session.scalars(query)]


def add_person(session: Session, actor: SignedIn, name: str, email: str, role: str, team_id: int,
               is_reviewer: bool = False, when: datetime | None = None) -> tuple[UserInfo, str]:
    """A new person in one of the manager's teams; returns them and their temporary password."""
    manager = audit.managing_user(session, actor)
    team = audit.managed_team(session, manager, team_id)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    password = temporary_password()
    user = add_user(session, name, email, role, password, team.name)
    user.must_change_password = True
    user.is_reviewer = bool(is_reviewer)
    audit.log(session, manager, "person.add", team.id, user, {"role": role, "reviewer": bool(is_reviewer)}, when)
    session.flush()
    return UserInfo.of(user), password


def reset_password(session: Session, actor: SignedIn, user_id: int, when: datetime | None = None) -> str:
    """A new temporary password for a person of the manager's teams (their old one stops working)."""
    manager = audit.managing_user(session, actor)
    user = _member(session, manager, user_id)
    _not_self(manager, user, "reset the password of")
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    audit.log(session, manager, "person.reset-password", None, user, when=when)
    return password


def set_active(session: Session, actor: SignedIn, user_id: int, active: bool, when: datetime | None = None) -> None:
    """Deactivate (they can no longer sign in; their history stays) or reactivate a person."""
    manager = audit.managing_user(session, actor)
    user = _member(session, manager, user_id)
    _not_self(manager, user, "deactivate")
    if user.active == active:
        return
    user.active = active
    audit.log(session, manager, "person.reactivate" if active else "person.deactivate", None, user, when=when)


def move_person(session: Session, actor: SignedIn, user_id: int, to_team_id: int,
                when: datetime | None = None) -> None:
    """Move a person from the manager's teams they are in to another team the manager manages (their
    memberships of teams the manager does not manage stay)."""
    manager = audit.managing_user(session, actor)
    user = _member(session, manager, user_id)
    _not_self(manager, user, "move")
    target = audit.managed_team(session, manager, to_team_id)
    managed = {t.id for t in manager.teams}
    before = [t for t in user.teams if t.id in managed]
    if [t.id for t in before] == [target.id]:
        return
    user.teams = [t for t in user.teams if t.id not in managed] + [target]
    audit.log(session, manager, "person.move", target.id, user,
              {"from": [t.name for t in before], "to": target.name}, when)


def set_reviewer(session: Session, actor: SignedIn, user_id: int, is_reviewer: bool,
                 when: datetime | None = None) -> None:
    """Let a person of the manager's teams score replies as a QA reviewer (or stop them)."""
    manager = audit.managing_user(session, actor)
    user = _member(session, manager, user_id)
    if user.is_reviewer == is_reviewer:
        return
    user.is_reviewer = is_reviewer
    audit.log(session, manager, "person.reviewer", None, user, {"reviewer": is_reviewer}, when)


def change_password(session: Session, actor: SignedIn, new_password: str) -> SignedIn:
    """The signed-in person chooses their own password (after a reset, they must). Returns their new
    identity: the old one's token dies with the old password."""
    user = verify(session, actor)
    check_password_strength(new_password)
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.flush()
    return identity(user)
