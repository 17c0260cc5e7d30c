"""Teams' API tokens for the HTTP server (`coach serve tokens ...`).

A token is shown once, when it is made; the database keeps only its SHA-256. Tokens are 256-bit
random strings, so a fast hash is enough (no dictionary to guess from) and a request's token is
found by its hash in one indexed lookup. A revoked token stays listed (who had one, when it was
revoked) but no longer opens anything.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.store.models import ApiToken, Team, utcnow
from coach.store.repository import NotFoundError, get_or_create_team

TOKEN_PREFIX = "coach_"
# What `coach serve tokens list` shows of a token: enough to tell two apart, too little to use.
SHOWN_CHARACTERS = 12


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: never the token itself."""

    id: int
    team_id: int
    team: str
    prefix: str
    label: str | None
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class TeamIdentity:
    """Who a request's token belongs to."""

    token_id: int
    team_id: int
    team: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(row.id, row.team_id, row.team.name, row.prefix, row.label, row.created_at, row.revoked_at)


def create_token(session: Session, team: str, label: str | None = None) -> tuple[str, TokenInfo]:
    """A new token for `team` (created if new): (the token, to show once; what is kept of it)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(team=get_or_create_team(session, team), token_hash=hash_token(token),
                   prefix=token[:SHOWN_CHARACTERS], label=(label or "").strip() or None)
    session.add(row)
    session.flush()
    return token, _info(row)


def list_tokens(session: Session) -> list[TokenInfo]:
    rows = session.scalars(select(ApiToken).join(Team).order_by(Team.name, ApiToken.id))
    return [_info(row) for row in rows]


def revoke_token(session: Session, token_id: int) -> TokenInfo:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError(f"No API token with id {token_id}: `coach serve tokens list` shows them.")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return _info(row)


def team_for_token(session: Session, token: str) -> TeamIdentity | None:
    """The team a presented token opens, or None (unknown or revoked)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token),
                                                ApiToken.revoked_at.is_(None)))
    return None if row is None else TeamIdentity(row.id, row.team_id, row.team.name)
