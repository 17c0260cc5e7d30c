"""Who may change the team's set-up, and the audit log of every change (who, when, what).

Managers change their own teams only: their rule settings and their people. Every such change is
authorised here, in the data layer, from the database (never from what the front end claims about
the signed-in person: a change takes the SignedIn identity sign-in gave, checked by auth.verify),
and written to `audit_log` in the same transaction as the change itself,
so a change without its log entry cannot exist.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from coach.errors import CoachError
from coach.store.auth import verify
from coach.store.models import AuditEntry, Membership, SignedIn, Team, TeamWordChange, User, UserInfo, utcnow

# What each action means, as the log shows it to a manager.
ACTIONS = {
    "rule.off": "turned a rule off",
    "rule.hint": "turned a rule down to a hint",
    "rule.on": "turned a rule back on",
    "person.add": "added a person",
    "person.reset-password": "reset a password",
    "person.deactivate": "deactivated a person",
    "person.reactivate": "reactivated a person",
    "person.move": "moved a person to another team",
    "person.reviewer": "changed who may score replies",
}


class NotAllowedError(CoachError):
    """The signed-in person may not make this change (not a manager of that team, or themselves)."""


def managing_user(session: Session, actor: SignedIn) -> User:
    """The signed-in person (checked by auth.verify: NotSignedInError when their sign-in is no longer
    valid or they were deactivated), who must be a manager."""
    user = verify(session, actor)
    if user.role != "manager":
        raise NotAllowedError("Only a manager can change this.")
    return user


def managed_team(session: Session, manager: User, team_id: int) -> Team:
    """One of `manager`'s teams; NotAllowedError for any other team."""
    team = next((t for t in manager.teams if t.id == team_id), None)
    if team is None:
        raise NotAllowedError("You can only change the teams you manage.")
    return team


def log(session: Session, actor: User, action: str, team_id: int | None = None, target: User | None = None,
        detail: dict[str, Any] | None = None, when: datetime | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(AuditEntry(created_at=when or utcnow(), actor_id=actor.id, actor_name=actor.name, team_id=team_id,
                           action=action, target_user_id=target.id if target else None,
                           target=target.name if target else None, detail=detail or {}))


# How a change to the team's words (coach.store.glossary's team_word_changes) reads in the log.
WORD_ACTIONS = {("add", "term"): "added a team term", ("update", "term"): "changed a team term",
                ("remove", "term"): "removed a team term", ("add", "approved"): "added an approved word",
                ("update", "approved"): "made a word approved", ("remove", "approved"): "removed an approved word"}
OPERATOR = "the administrator (command line)"


def audit_entries(session: Session, viewer: UserInfo, limit: int = 100) -> list[dict[str, Any]]:
    """The newest changes to the viewer's teams (or their people), for a manager; empty for others.
    Changes to the teams' words (terms and approved words) are listed with them."""
    user = session.get(User, viewer.id)
    if user is None or user.role != "manager" or not user.active:
        return []
    team_ids = [t.id for t in user.teams]
    members = select(Membership.user_id).where(Membership.team_id.in_(team_ids))
    query = (select(AuditEntry, Team.name)
             .outerjoin(Team, Team.id == AuditEntry.team_id)
             .where(or_(AuditEntry.team_id.in_(team_ids), AuditEntry.target_user_id.in_(members)))
             .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
             .limit(limit))
    entries = [{"id": entry.id, "when": entry.created_at, "who": entry.actor_name, "team": team_name,
                "action": entry.action, "what": ACTIONS.get(entry.action, entry.action), "person": entry.target,
                "detail": entry.detail or {}}
               for entry, team_name in session.execute(query)]
    words = (select(TeamWordChange, Team.name, User.name)
             .join(Team, Team.id == TeamWordChange.team_id)
             .outerjoin(User, User.id == TeamWordChange.user_id)
             .where(TeamWordChange.team_id.in_(team_ids))
             .order_by(TeamWordChange.at.desc(), TeamWordChange.id.desc())
             .limit(limit))
    entries += [{"id": None, "when": change.at, "who": name or OPERATOR, "team": team_name,
                 "action": f"words.{change.action}",
                 "what": WORD_ACTIONS.get((change.action, change.kind), change.action), "person": None,
                 "detail": {"word": change.text}}
                for change, team_name, name in session.execute(words)]
    return sorted(entries, key=lambda e: e["when"], reverse=True)[:limit]
