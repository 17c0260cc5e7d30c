"""QA calibration: human reviewers' scores of replies, next to the coach's scores of the same replies.

- `reviewable_replies` / `record_review`: a manager or QA reviewer scores a stored reply of their
  team (one whose text its author chose to keep) on the six dimensions and pass/fail. The coach's
  scores are copied from the stored check, so the comparison is with what the agent was shown.
- `import_reviews`: the operator's `coach calibrate import FILE.csv` (coach.calibration_csv format);
  the CLI analyses each reply and passes the reports; nothing here analyses text.
- `review_rows`: the reviews a viewer may see, one flat dict each, for coach.store.agreement.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.calibration_csv import DIMENSIONS, ReviewerRow
from coach.errors import InputError
from coach.store import audit
from coach.store.auth import verify
from coach.store.models import Attempt, Membership, Review, ReviewScore, SignedIn, Team, User, UserInfo, utcnow
from coach.store.redact import redact
from coach.store.repository import NotFoundError

MAX_NOTE = 1000


def _team_ids(user: User) -> list[int]:
    return [t.id for t in user.teams]


def _reviewer(session: Session, actor: SignedIn) -> User:
    user = verify(session, actor)
    if user.role != "manager" and not user.is_reviewer:
        raise audit.NotAllowedError("Only a manager or a QA reviewer can score replies.")
    return user


def _team_members(team_ids: list[int]):
    return select(Membership.user_id).where(Membership.team_id.in_(team_ids))


def reviewable_replies(session: Session, actor: SignedIn, start: datetime | None = None,
                       end: datetime | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Kept replies of the reviewer's teammates (not their own) that they have not scored, newest first."""
    user = _reviewer(session, actor)
    mine = select(Review.attempt_id).where(Review.reviewer_id == user.id, Review.attempt_id.is_not(None))
    query = (select(Attempt, User.name).join(User, User.id == Attempt.user_id)
             .where(Attempt.user_id.in_(_team_members(_team_ids(user))), Attempt.user_id != user.id,
                    Attempt.reply_text.is_not(None), Attempt.id.not_in(mine)))
    if start is not None:
        query = query.where(Attempt.created_at >= start)
    if end is not None:
        query = query.where(Attempt.created_at < end)
    query = query.order_by(Attempt.created_at.desc(), Attempt.id.desc()).limit(limit)
    return [{"attempt_id": a.id, "name": name, "created_at": a.created_at, "source": a.source,
             "scenario_id": a.scenario_id, "reply_text": a.reply_text, "customer_text": a.customer_text}
            for a, name in session.execute(query)]


def _check_scores(scores: dict[str, float | None]) -> dict[str, float]:
    clean = {}
    for dimension, value in scores.items():
        if dimension not in DIMENSIONS:
            raise InputError(f"Unknown dimension {dimension!r}.")
        if value is None:
            continue
        if not 0 <= float(value) <= 100:
            raise InputError(f"The {dimension} score must be between 0 and 100.")
        clean[dimension] = float(value)
    return clean


def record_review(session: Session, actor: SignedIn, attempt_id: int, scores: dict[str, float | None],
                  passed: bool | None, note: str | None = None, when: datetime | None = None) -> int:
    """The signed-in manager or QA reviewer scores one stored reply of their team (0-100 per dimension)."""
    user = _reviewer(session, actor)
    attempt = session.get(Attempt, attempt_id)
    team_ids = _team_ids(user)
    shared = None
    if attempt is not None and attempt.reply_text is not None and attempt.user_id != user.id:
        author = session.get(User, attempt.user_id)
        shared = next((t.id for t in author.teams if t.id in team_ids), None)
    if shared is None:
        raise NotFoundError("No such reply to score in your teams.")
    clean = _check_scores(scores)
    if not clean and passed is None:
        raise InputError("Score at least one dimension, or say pass or fail.")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise InputError(f"The note can have at most {MAX_NOTE} characters ({len(note)} given).")
    coach = {s.dimension: s.value for s in attempt.scores}
    review = Review(team_id=shared, attempt_id=attempt.id, agent_id=attempt.user_id, reviewer_id=user.id,
                    reviewer_name=user.name, source="app", created_at=when or utcnow(),
                    replied_at=attempt.created_at, reply_text=attempt.reply_text,
                    customer_text=attempt.customer_text, coach_overall=attempt.overall, passed=passed,
                    note=redact(note),
                    scores=[ReviewScore(dimension=d, reviewer=clean.get(d), coach=coach.get(d))
                            for d in DIMENSIONS if d in clean or d in coach])
    session.add(review)
    session.flush()
    return review.id


def import_reviews(session: Session, team_name: str, rows: list[ReviewerRow], reports: list[dict[str, Any]],
                   when: datetime | None = None) -> int:
    """Store imported reviewer rows with the coach's report of each reply (report.to_dict()), for the
    team `team_name` (the operator's command; the team must exist). Returns how many were stored."""
    team = session.scalars(select(Team).where(Team.name == team_name.strip())).one_or_none()
    if team is None:
        raise NotFoundError(f"No team called {team_name!r}: see `coach users list`.")
    if len(rows) != len(reports):
        raise ValueError("one report per row")
    members = {u.email: u for u in session.scalars(select(User).where(User.id.in_(_team_members([team.id]))))}
    now = when or utcnow()
    for row, report in zip(rows, reports):
        reviewer = members.get(row.reviewer.strip().lower())
        agent = members.get(row.agent) if row.agent else None
        coach_scores = report.get("scores") or {}
        session.add(Review(
            team_id=team.id, agent_id=agent.id if agent else None, reviewer_id=reviewer.id if reviewer else None,
            reviewer_name=reviewer.name if reviewer else row.reviewer, source="import", created_at=now,
            replied_at=row.date or now, reply_text=redact(row.reply), customer_text=redact(row.customer_message),
            channel=row.channel, coach_overall=report.get("overall"), passed=row.passed,
            scores=[ReviewScore(dimension=d, reviewer=row.scores.get(d), coach=coach_scores.get(d))
                    for d in DIMENSIONS if d in row.scores or coach_scores.get(d) is not None]))
    session.flush()
    return len(rows)


def review_rows(session: Session, viewer: UserInfo, start: datetime | None = None,
                end: datetime | None = None) -> list[dict[str, Any]]:
    """Reviews in [start, end) of the reply date: a manager sees their teams' reviews, a QA reviewer
    their own, anyone else none. Each row has `coach_<dimension>` and `reviewer_<dimension>`."""
    user = session.get(User, viewer.id)
    if user is None or not user.active:
        return []
    if user.role == "manager":
        query = select(Review).where(Review.team_id.in_(_team_ids(user)))
    elif user.is_reviewer:
        query = select(Review).where(Review.reviewer_id == user.id)
    else:
        return []
    if start is not None:
        query = query.where(Review.replied_at >= start)
    if end is not None:
        query = query.where(Review.replied_at < end)
    names = dict(session.execute(select(User.id, User.name)).all())
    rows = []
    for review in session.scalars(query.order_by(Review.replied_at, Review.id)):
        row = {"review_id": review.id, "attempt_id": review.attempt_id, "replied_at": review.replied_at,
               "reviewed_at": review.created_at, "reviewer": review.reviewer_name,
               "agent": names.get(review.agent_id), "source": review.source, "passed": review.passed,
               "coach_overall": review.coach_overall, "reply_text": review.reply_text,
               "customer_text": review.customer_text, "note": review.note}
        for score in review.scores:
            row[f"coach_{score.dimension}"] = score.coach
            row[f"reviewer_{score.dimension}"] = score.reviewer
        rows.append(row)
    return rows
