"""The history database's tables (SQLAlchemy 2 declarative models).

What is kept, and why it is shaped this way:

- `users` and `teams`, linked by `memberships`: a manager sees the people who share a team with them.
- `attempts`: one row per checked reply or practice turn: who, when, where from (check / practice +
  scenario id), the overall score, and (redacted) texts only when they may be kept.
- `scores`: one row per attempt and dimension, so a new analyser needs no new column.
- `finding_counts`: how often each rule fired in an attempt, with one redacted example quote.
- `practice_sessions`: one run through a scenario; its turns are attempts pointing at it.
- `api_tokens`: teams' tokens for the HTTP server (`coach serve`), hashed.
- `login_throttle`: recent failed sign-ins per e-mail address and per client (see coach.store.auth), kept
  in the database so a restart does not reset them; rows expire.
- `team_words`: a team's own glossary: its terms (with a plain alternative) and its approved words
  (product names, terms its customers know); `team_word_changes` records who added, changed or
  removed which word (coach.store.glossary).
- `dismissals`: "this flag is wrong": who dismissed which rule's finding, why, with the (redacted)
  passage and its surroundings, so a manager can judge the rule on their team.
- `team_rule_settings`: a rule a manager turned off or down to a hint for their team.
- `audit_log`: who changed what and when (rule settings, people added, reset, deactivated, moved).
- `reviews` and `review_scores`: a QA reviewer's scores of a reply on the six dimensions and an
  overall pass/fail, next to the coach's scores of the same reply (QA calibration).

Text lengths are checked before every flush, on every database (SQLite does not enforce VARCHAR(n)):
a value longer than its column raises ValueTooLongError instead of being stored whole or cut.

Timestamps are naive UTC everywhere (SQLite keeps no time zone, so both databases store the same).
The analysis itself is never redone here: rows hold what report.to_dict() said.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from coach.errors import CoachError

ROLES = ("agent", "trainee", "manager")
SOURCES = ("check", "practice")
TEAM_WORD_KINDS = ("term", "approved")
TEAM_WORD_ACTIONS = ("add", "update", "remove")
DISMISS_REASONS = ("wrong", "not-relevant", "known-term", "other")
RULE_MODES = ("off", "hint")
REVIEW_SOURCES = ("app", "import")


def utcnow() -> datetime:
    """Now, as the naive UTC datetime every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


class ValueTooLongError(CoachError, ValueError):
    """A text is longer than its column allows (checked on every database, SQLite included)."""


class Base(DeclarativeBase):
    pass


@event.listens_for(Session, "before_flush")
def _check_lengths(session: Session, _context, _instances) -> None:
    for obj in (*session.new, *session.dirty):
        mapper = inspect(obj).mapper
        for attribute in mapper.column_attrs:
            column = attribute.columns[0]
            limit = getattr(column.type, "length", None)
            value = getattr(obj, attribute.key, None)
            if isinstance(column.type, String) and limit and isinstance(value, str) and len(value) > limit:
                raise ValueTooLongError(f"{mapper.class_.__tablename__}.{column.name} takes at most {limit} "
                                        f"characters; {len(value)} were given.")


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Membership(Base):
    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('agent', 'trainee', 'manager')", name="ck_users_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Demo users are what `coach demo` made; a database with any other user is a real workspace.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A deactivated person cannot sign in; their history stays for their manager.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # Set by a manager's password reset: the temporary password works for one sign-in only.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    # May score their team's replies as a QA reviewer (managers always may).
    is_reviewer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    teams: Mapped[list[Team]] = relationship(secondary="memberships", order_by=Team.name, lazy="selectin")

    def __repr__(self) -> str:  # never shows the hash
        return f"User(id={self.id!r}, email={self.email!r}, role={self.role!r})"


class PracticeSession(Base):
    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The debrief as the practice engine gave it (to_dict()), its texts redacted.
    debrief: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (CheckConstraint("source IN ('check', 'practice')", name="ck_attempts_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(16))
    scenario_id: Mapped[str | None] = mapped_column(String(80))
    practice_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True)
    turn: Mapped[int | None] = mapped_column(Integer)
    overall: Mapped[float | None] = mapped_column(Float)
    audience: Mapped[str | None] = mapped_column(String(32))
    words: Mapped[int | None] = mapped_column(Integer)
    # Redacted; None unless the text may be kept (practice always, checks on opt-in).
    reply_text: Mapped[str | None] = mapped_column(Text)
    customer_text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    # The feedback shown: [{"priority", "analyzer", "rule", "title"}] (no quotes: they are reply text).
    feedback: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    scores: Mapped[list[Score]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    finding_counts: Mapped[list[FindingCount]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class Score(Base):
    __tablename__ = "scores"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)


class FindingCount(Base):
    __tablename__ = "finding_counts"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(80), primary_key=True)
    analyzer: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    count: Mapped[int] = mapped_column(Integer)
    # One flagged passage and the message about it, redacted; None when the reply text is not kept.
    example: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)


class LoginThrottle(Base):
    __tablename__ = "login_throttle"

    # A normalised e-mail address (an account), or "client " + the client's key (see coach.store.auth).
    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A team's token for `coach serve` (help-desk add-ons, scripts). Only the token's SHA-256 is
    kept: tokens are long random strings, so a fast hash is safe and lets a request be looked up by
    its hash; `prefix` (the token's first characters) lets an admin tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    team: Mapped[Team] = relationship(lazy="joined")


class TeamWord(Base):
    """One entry of a team's glossary: a term agents should explain (kind "term", with `plain`) or a
    word its customers know (kind "approved"). `key` is the lower-cased, single-spaced text."""

    __tablename__ = "team_words"
    __table_args__ = (CheckConstraint("kind IN ('term', 'approved')", name="ck_team_words_kind"),
                      UniqueConstraint("team_id", "key", name="uq_team_words_team_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(120))
    key: Mapped[str] = mapped_column(String(120))
    plain: Mapped[str | None] = mapped_column(String(200))
    explanation: Mapped[str | None] = mapped_column(String(300))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class TeamWordChange(Base):
    """Who added, changed or removed a team word, and when (`user_id` None: the operator's CLI)."""

    __tablename__ = "team_word_changes"
    __table_args__ = (CheckConstraint("action IN ('add', 'update', 'remove')", name="ck_team_word_changes_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
class Dismissal(Base):
    __tablename__ = "dismissals"
    __table_args__ = (
        CheckConstraint("reason IN ('wrong', 'not-relevant', 'known-term', 'other')", name="ck_dismissals_reason"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    source: Mapped[str] = mapped_column(String(16))
    scenario_id: Mapped[str | None] = mapped_column(String(80))
    # The stored check or practice turn the finding came from, when it was recorded.
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    rule: Mapped[str] = mapped_column(String(80), index=True)
    analyzer: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(16))
    # All redacted: the person's note, the flagged passage, the sentence around it, the coach's message.
    note: Mapped[str | None] = mapped_column(Text)
    span_text: Mapped[str | None] = mapped_column(Text)
    context: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str | None] = mapped_column(Text)


class TeamRuleSetting(Base):
    __tablename__ = "team_rule_settings"
    __table_args__ = (CheckConstraint("mode IN ('off', 'hint')", name="ck_team_rule_settings_mode"),)

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(80), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Names as they were at the time, so the log still reads right after a rename or deletion.
    actor_name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target: Mapped[str | None] = mapped_column(String(254))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (CheckConstraint("source IN ('app', 'import')", name="ck_reviews_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the reviewed reply was written (the trend of agreement is over this).
    replied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    reply_text: Mapped[str | None] = mapped_column(Text)
    customer_text: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(16))
    coach_overall: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)

    scores: Mapped[list[ReviewScore]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class ReviewScore(Base):
    __tablename__ = "review_scores"

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    reviewer: Mapped[float | None] = mapped_column(Float)
    coach: Mapped[float | None] = mapped_column(Float)


@dataclass(frozen=True)
class UserInfo:
    """A user as front ends hold it between requests: plain values, no database session, no hash."""

    id: int
    name: str
    email: str
    role: str
    team_ids: tuple[int, ...]
    team_names: tuple[str, ...]
    is_demo: bool
    is_reviewer: bool = False
    must_change_password: bool = False

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def can_review(self) -> bool:
        """Managers and QA reviewers score replies for calibration."""
        return self.is_manager or self.is_reviewer

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(user.id, user.name, user.email, user.role, tuple(t.id for t in user.teams),
                   tuple(t.name for t in user.teams), user.is_demo, bool(user.is_reviewer),
                   bool(user.must_change_password))


@dataclass(frozen=True)
class SignedIn(UserInfo):
    """The signed-in user, as only coach.store.auth makes it (sign_in, resume, operator): a UserInfo
    plus a token the data layer checks against the database before every write of history. A
    UserInfo of someone else (repository.people) or a bare user id cannot be written for."""

    token: str = field(repr=False, default="")
