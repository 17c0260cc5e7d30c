"""Practice history for the practice path: every finished practice run a viewer may see, oldest first.

Only queries: coach/practice/path.py turns these rows into first-to-best figures and the next
scenario to play (storage holds no analysis or scoring logic).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import PracticeSession, User, UserInfo
from coach.store.repository import visible_user_ids


def finished_practice(session: Session, viewer: UserInfo, user_id: int | None = None) -> list[dict[str, Any]]:
    """One dict per finished practice run visible to `viewer` (of `user_id` only, when given), oldest
    first: user_id, name, scenario_id, started_at, finished_at and the stored (redacted) debrief."""
    query = (select(PracticeSession, User.name)
             .join(User, User.id == PracticeSession.user_id)
             .where(PracticeSession.debrief.is_not(None),
                    PracticeSession.user_id.in_(visible_user_ids(viewer.id))))
    if user_id is not None:
        query = query.where(PracticeSession.user_id == user_id)
    query = query.order_by(PracticeSession.started_at, PracticeSession.id)
    return [{"user_id": run.user_id, "name": name, "scenario_id": run.scenario_id, "started_at": run.started_at,
             "finished_at": run.finished_at, "debrief": run.debrief}
            for run, name in session.execute(query)]
