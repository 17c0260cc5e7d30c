"""Which team a request comes from: its API token, looked up (by hash) in the database.

A client presents its token as `Authorization: Bearer <token>` (scripts, the JSON API), in the
server address as `/t/<token>/v2/...` (LanguageTool clients, whose settings hold only a server
URL), or as LanguageTool's own `apiKey` field. A token that is presented but unknown or revoked
is refused even where tokens are optional: a team must not silently lose its settings.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from coach.context import TeamSettings
from coach.store.api_tokens import TeamIdentity, team_for_token
from coach.store.db import Store, open_store


class Unauthorized(Exception):
    """No usable token; the message says what to do."""


@dataclass(frozen=True)
class Caller:
    """Who is asking: a team (with its settings) or, where tokens are optional, anyone."""

    team: TeamIdentity | None
    settings: TeamSettings | None

    @property
    def label(self) -> str:
        return f"team {self.team.team}" if self.team else "anonymous"


ANONYMOUS = Caller(None, None)


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("The Authorization header must be 'Bearer <token>'.")
    return value.strip()


class TokenResolver:
    """Presented token -> Caller, remembered for `cache_seconds` (revoking a token or changing a
    team's settings takes effect within that time). The database is opened on first use, so a
    server where nobody uses tokens never needs one."""

    def __init__(self, database_url: str | None, require_token: bool, cache_seconds: float,
                 load_settings: Callable[[Store, TeamIdentity], TeamSettings | None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._database_url = database_url
        self._require_token = require_token
        self._cache_seconds = cache_seconds
        self._load_settings = load_settings
        self._clock = clock
        self._store: Store | None = None
        self._cache: dict[str, tuple[float, Caller | None]] = {}
        self._lock = threading.Lock()

    def _database(self) -> Store:
        with self._lock:
            if self._store is None:
                self._store = open_store(self._database_url)
            return self._store

    def resolve(self, token: str | None) -> Caller:
        if token is None:
            if self._require_token:
                raise Unauthorized("This server needs an API token: ask your admin for your team's "
                                   "(`coach serve tokens create --team NAME`).")
            return ANONYMOUS
        now = self._clock()
        cached = self._cache.get(token)
        if cached is not None and now - cached[0] < self._cache_seconds:
            caller = cached[1]
        else:
            store = self._database()
            with store.read() as session:
                identity = team_for_token(session, token)
            caller = None if identity is None else Caller(identity, self._load_settings(store, identity))
            if len(self._cache) > 1000:
                self._cache.clear()
            self._cache[token] = (now, caller)
        if caller is None:
            raise Unauthorized("Unknown or revoked API token.")
        return caller

    def close(self) -> None:
        if self._store is not None:
            self._store.dispose()
