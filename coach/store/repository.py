"""Data access: every read takes the viewing user and returns only what that user may see.

Who sees what (decided here, from the database, never from what a caller claims):
- a manager: the people who share at least one team with them, and themselves;
- an agent or a trainee: themselves only.
A request for anyone else's data returns nothing (an empty list, or None), exactly as if the
person did not exist, so a page cannot tell "forbidden" from "absent" and leak it.

Writes of history (checks, practice turns) are made by and for the signed-in user: they take the
SignedIn identity coach.store.auth gave at sign-in (never a user id) and check it against the
database first (auth.verify), so a front end cannot write into anyone else's history. Every text is
redacted (coach.store.redact) before it reaches a row. Nothing here analyses text: rows hold what
report.to_dict() said.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import Session, aliased

from coach.errors import CoachError
from coach.store.auth import hash_password, normalise_email, verify
from coach.store.db import Store
from coach.store.models import (
    ROLES,
    Attempt,
    FindingCount,
    Membership,
    PracticeSession,
    Score,
    SignedIn,
    Team,
    User,
    UserInfo,
    utcnow,
)
from coach.store.redact import redact, redact_data

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_NAME = 120  # users.name and teams.name
MAX_EMAIL = 254  # users.email (RFC 5321's limit)
SEVERITY_ORDER = ("hint", "suggestion", "warning", "error", "critical")


class AccountError(CoachError):
    """A user cannot be created as asked (bad e-mail, role, name, or the address is taken)."""


class SetupDoneError(AccountError):
    """The first manager can only be created while the database has no users."""


class NotFoundError(CoachError):
    """The thing asked for does not exist for this user (a practice session, a person)."""


# --- users and teams (the operator's CLI, first-run setup and the demo) -----------------------

def get_or_create_team(session: Session, name: str) -> Team:
    name = _text(name, "team").strip()
    if not name:
        raise AccountError("A team needs a name.")
    if len(name) > MAX_NAME:
        raise AccountError(f"A team name can have at most {MAX_NAME} characters ({len(name)} given).")
    team = session.scalars(select(Team).where(Team.name == name)).one_or_none()
    if team is None:
        team = Team(name=name)
        session.add(team)
        session.flush()
    return team


def add_user(session: Session, name: str, email: str, role: str, password: str, team: str | None = None,
             is_demo: bool = False) -> User:
    """Create a user (with their team, created if new). Raises AccountError / WeakPasswordError."""
    name, email = _text(name, "name").strip(), normalise_email(_text(email, "e-mail"))
    if not name:
        raise AccountError("A user needs a name.")
    if len(name) > MAX_NAME:
        raise AccountError(f"A name can have at most {MAX_NAME} characters ({len(name)} given).")
    if len(email) > MAX_EMAIL or not _EMAIL.match(email):
        raise AccountError(f"{email[:60]!r} is not an e-mail address.")
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    if session.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise AccountError(f"A user with the e-mail {email} already exists.")
    user = User(name=name, email=email, role=role, password_hash=hash_password(password), is_demo=is_demo)
    if team:
        user.teams.append(get_or_create_team(session, team))
    session.add(user)
    session.flush()
    return user


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise AccountError(f"The {what} must be text, not {type(value).__name__}.")
    return value


def create_first_manager(store: Store, name: str, email: str, password: str, team: str) -> UserInfo:
    """The first account of an empty database; refused once any user exists (checked in the same
    write transaction, so two people submitting the form at once cannot both become it)."""
    with store.write() as session:
        if count_users(session):
            raise SetupDoneError("This workspace already has accounts: sign in, or ask your manager for one.")
        return UserInfo.of(add_user(session, name, email, "manager", password, team))


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def count_real_users(session: Session) -> int:
    """Users that `coach demo` did not make: their presence means this is a real workspace."""
    return session.scalar(select(func.count()).select_from(User).where(User.is_demo.is_(False))) or 0


def list_all_users(session: Session) -> list[UserInfo]:
    """Every user: for the operator's `coach users list` only (whoever runs the CLI owns the database)."""
    return [UserInfo.of(u) for u in session.scalars(select(User).order_by(User.name, User.id))]


def user_info(session: Session, user_id: int) -> UserInfo | None:
    """The user a front end's session points at, fresh from the database (None if deleted or deactivated)."""
    user = session.get(User, user_id)
    return UserInfo.of(user) if user is not None and user.active else None


# --- who may see whom ----------------------------------------------------------------------------

def visible_user_ids(viewer_id: int) -> Select:
    """A SELECT of the user ids `viewer_id` may see: themselves, plus their teams' people if a manager."""
    mine, theirs = aliased(Membership), aliased(Membership)
    team_people = (select(theirs.user_id)
                   .join(mine, mine.team_id == theirs.team_id)
                   .join(User, User.id == mine.user_id)
                   .where(mine.user_id == viewer_id, User.role == "manager"))
    return union(select(User.id).where(User.id == viewer_id), team_people)


def people(session: Session, viewer: UserInfo) -> list[UserInfo]:
    """The people `viewer` may see, by name."""
    query = select(User).where(User.id.in_(visible_user_ids(viewer.id))).order_by(User.name, User.id)
    return [UserInfo.of(u) for u in session.scalars(query)]


def person(session: Session, viewer: UserInfo, user_id: int) -> UserInfo | None:
    """One person, if `viewer` may see them; else None."""
    query = select(User).where(User.id == user_id, User.id.in_(visible_user_ids(viewer.id)))
    user = session.scalars(query).one_or_none()
    return UserInfo.of(user) if user is not None else None


def _visible_attempts(viewer: UserInfo, start: datetime | None, end: datetime | None,
                      user_id: int | None) -> Select:
    query = (select(Attempt, User.name)
             .join(User, User.id == Attempt.user_id)
             .where(Attempt.user_id.in_(visible_user_ids(viewer.id))))
    if start is not None:
        query = query.where(Attempt.created_at >= start)
    if end is not None:
        query = query.where(Attempt.created_at < end)
    if user_id is not None:
        query = query.where(Attempt.user_id == user_id)
    return query.order_by(Attempt.created_at, Attempt.id)


def attempt_rows(session: Session, viewer: UserInfo, start: datetime | None = None,
                 end: datetime | None = None, user_id: int | None = None) -> list[dict[str, Any]]:
    """One dict per visible attempt in [start, end): who, when, source, overall, each dimension's score
    (as `score_<dimension>`), the feedback shown, and the (redacted, possibly None) texts."""
    rows = []
    for attempt, name in session.execute(_visible_attempts(viewer, start, end, user_id)):
        row = {"attempt_id": attempt.id, "user_id": attempt.user_id, "name": name,
               "created_at": attempt.created_at, "source": attempt.source, "scenario_id": attempt.scenario_id,
               "practice_session_id": attempt.practice_session_id, "turn": attempt.turn,
               "overall": attempt.overall, "audience": attempt.audience, "words": attempt.words,
               "outcome": attempt.outcome, "reply_text": attempt.reply_text,
               "customer_text": attempt.customer_text, "feedback": attempt.feedback}
        row.update({f"score_{s.dimension}": s.value for s in attempt.scores})
        rows.append(row)
    return rows


def finding_rows(session: Session, viewer: UserInfo, start: datetime | None = None,
                 end: datetime | None = None, user_id: int | None = None) -> list[dict[str, Any]]:
    """One dict per (visible attempt, rule): how often the rule fired, with its redacted example."""
    attempts = _visible_attempts(viewer, start, end, user_id).subquery()
    query = (select(FindingCount, attempts.c.user_id, attempts.c.name, attempts.c.created_at,
                    attempts.c.source)
             .join(attempts, attempts.c.id == FindingCount.attempt_id)
             .order_by(attempts.c.created_at, FindingCount.attempt_id, FindingCount.rule))
    return [{"attempt_id": f.attempt_id, "user_id": uid, "name": name, "created_at": created, "source": source,
             "rule": f.rule, "analyzer": f.analyzer, "severity": f.severity, "count": f.count,
             "example": f.example, "message": f.message}
            for f, uid, name, created, source in session.execute(query)]


def practice_transcripts(session: Session, viewer: UserInfo, user_id: int, limit: int = 5) -> list[dict[str, Any]]:
    """The person's most recent practice sessions (newest first), each with its turns and debrief."""
    query = (select(PracticeSession)
             .where(PracticeSession.user_id == user_id,
                    PracticeSession.user_id.in_(visible_user_ids(viewer.id)))
             .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
             .limit(limit))
    sessions = list(session.scalars(query))
    turns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if sessions:
        turn_query = (select(Attempt)
                      .where(Attempt.practice_session_id.in_([s.id for s in sessions]))
                      .order_by(Attempt.turn, Attempt.id))
        for attempt in session.scalars(turn_query):
            turns[attempt.practice_session_id].append(
                {"turn": attempt.turn, "customer": attempt.customer_text, "reply": attempt.reply_text,
                 "outcome": attempt.outcome, "overall": attempt.overall, "feedback": attempt.feedback})
    return [{"id": s.id, "scenario_id": s.scenario_id, "started_at": s.started_at,
             "finished_at": s.finished_at, "debrief": s.debrief, "turns": turns[s.id]} for s in sessions]


def practice_summaries(session: Session, viewer: UserInfo, user_id: int, scenario_id: str) -> list[dict[str, Any]]:
    """The stored debriefs of the person's finished runs of `scenario_id`, oldest first (for the
    practice engine's comparison with earlier attempts)."""
    query = (select(PracticeSession.debrief)
             .where(PracticeSession.user_id == user_id, PracticeSession.scenario_id == scenario_id,
                    PracticeSession.debrief.is_not(None),
                    PracticeSession.user_id.in_(visible_user_ids(viewer.id)))
             .order_by(PracticeSession.started_at, PracticeSession.id))
    return list(session.scalars(query))


# --- recording history ---------------------------------------------------------------------------

def _finding_counts(findings: Iterable[dict[str, Any]], keep_text: bool) -> list[FindingCount]:
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        by_rule[finding["rule"]].append(finding)
    counts = []
    for rule, items in by_rule.items():
        quoted = next((f for f in items if f.get("text")), items[0])
        severity = max((f.get("severity", "suggestion") for f in items),
                       key=lambda s: SEVERITY_ORDER.index(s) if s in SEVERITY_ORDER else 0)
        counts.append(FindingCount(rule=rule, analyzer=items[0].get("analyzer") or rule.split(".")[0],
                                   severity=severity, count=len(items),
                                   example=redact(quoted.get("text") or None) if keep_text else None,
                                   message=redact(quoted.get("message")) if keep_text else None))
    return counts


def _attempt(user_id: int, report: dict[str, Any], source: str, keep_text: bool, reply: str | None,
             customer: str | None, when: datetime | None) -> Attempt:
    """An Attempt (with its scores and finding counts) from report.to_dict()'s contents."""
    feedback = [{"priority": item.get("priority"), "analyzer": item.get("analyzer"), "rule": item.get("rule"),
                 "title": redact(item.get("title"))} for item in report.get("feedback", [])]
    return Attempt(
        user_id=user_id, created_at=when or utcnow(), source=source, overall=report.get("overall"),
        audience=report.get("audience"), words=(report.get("metrics") or {}).get("words"),
        reply_text=redact(reply) if keep_text else None,
        customer_text=redact(customer) if keep_text else None, feedback=feedback,
        scores=[Score(dimension=name, value=value) for name, value in (report.get("scores") or {}).items()],
        finding_counts=_finding_counts(report.get("findings", []), keep_text))


def record_check(session: Session, signed_in: SignedIn, report: dict[str, Any], text: str, store_text: bool,
                 customer_message: str | None = None, when: datetime | None = None) -> int:
    """Store one checked reply of the signed-in user; the texts only when `store_text` (they opted in)."""
    user = verify(session, signed_in)
    attempt = _attempt(user.id, report, "check", store_text, text, customer_message, when)
    session.add(attempt)
    session.flush()
    return attempt.id


def start_practice(session: Session, signed_in: SignedIn, scenario_id: str, when: datetime | None = None) -> int:
    """A new practice session of the signed-in user on `scenario_id`; returns its id for the turns."""
    user = verify(session, signed_in)
    practice = PracticeSession(user_id=user.id, scenario_id=scenario_id, started_at=when or utcnow())
    session.add(practice)
    session.flush()
    return practice.id


def _own_practice(session: Session, signed_in: SignedIn, practice_session_id: int) -> PracticeSession:
    user = verify(session, signed_in)
    practice = session.get(PracticeSession, practice_session_id)
    if practice is None or practice.user_id != user.id:
        raise NotFoundError(f"No practice session {practice_session_id} for this user.")
    return practice


def record_practice_turn(session: Session, signed_in: SignedIn, practice_session_id: int, turn: int,
                         customer_message: str, reply: str, report: dict[str, Any], outcome: str | None,
                         when: datetime | None = None) -> int:
    """Store one practice turn (texts always kept, redacted) in the user's own practice session."""
    practice = _own_practice(session, signed_in, practice_session_id)
    attempt = _attempt(practice.user_id, report, "practice", True, reply, customer_message, when)
    attempt.scenario_id = practice.scenario_id
    attempt.practice_session_id = practice.id
    attempt.turn = turn
    attempt.outcome = outcome
    session.add(attempt)
    session.flush()
    return attempt.id


def finish_practice(session: Session, signed_in: SignedIn, practice_session_id: int, debrief: dict[str, Any],
                    when: datetime | None = None) -> None:
    """Close the user's practice session with its debrief (redacted)."""
    practice = _own_practice(session, signed_in, practice_session_id)
    practice.debrief = redact_data(debrief)
    practice.finished_at = when or utcnow()
