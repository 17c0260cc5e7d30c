"""What every request handler of a worker shares: settings, the analyst, tokens and the rate limit."""
from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from starlette.requests import Request

from coach.context import TeamSettings
from coach.server.analysis import Analyst, Busy
from coach.server.auth import Caller, TokenResolver, Unauthorized, bearer_token
from coach.server.errors import ApiError
from coach.server.ratelimit import RateLimiter
from coach.server.settings import ServerSettings
from coach.store.api_tokens import TeamIdentity
from coach.store.db import DatabaseError, Store

logger = logging.getLogger("coach.server")

TeamSettingsLoader = Callable[[Store, TeamIdentity], TeamSettings | None]
BUSY_RETRY_SECONDS = 2


class Runtime:
    def __init__(self, settings: ServerSettings, load_team_settings: TeamSettingsLoader) -> None:
        self.settings = settings
        self.analyst = Analyst(settings.max_queue)
        self.tokens = TokenResolver(settings.database_url, settings.require_token,
                                    settings.token_cache_seconds, load_team_settings)
        self.limiter = RateLimiter(settings.rate_limit_per_worker)

    def close(self) -> None:
        self.analyst.close()
        self.tokens.close()

    def caller(self, request: Request, form_token: str | None = None) -> Caller:
        """Who sent `request`, from its token: in the address, the Authorization header or
        LanguageTool's apiKey field. 401 for a wrong token, or none where one is required."""
        try:
            token = (request.state.path_token or bearer_token(request.headers.get("authorization"))
                     or form_token)
            caller = self.tokens.resolve(token)
        except Unauthorized as exc:
            raise ApiError(401, "unauthorized", str(exc), {"WWW-Authenticate": "Bearer"}) from None
        except DatabaseError as exc:
            logger.error("cannot check an API token: %s", exc)
            raise ApiError(503, "unavailable", "The server cannot check API tokens right now (its database is "
                                               "unavailable); the admin has it in the log.") from None
        request.state.caller = caller.label
        return caller

    def admit(self, request: Request, caller: Caller, cost: int = 1) -> None:
        """Charge `cost` requests to the caller's allowance, or refuse with 429 and Retry-After."""
        if caller.team:
            key = f"token:{caller.team.token_id}"
        else:
            key = f"address:{request.client.host if request.client else '-'}"
        wait = self.limiter.acquire(key, cost)
        if wait == 0.0:
            return
        per_minute = self.settings.rate_limit_per_minute
        if math.isinf(wait):
            raise ApiError(429, "rate_limited", f"{cost} replies in one request are more than this server's "
                                                f"limit of {per_minute} a minute; send smaller batches.")
        raise ApiError(429, "rate_limited", f"Too many requests: the limit is {per_minute} a minute "
                                            f"({caller.label}). Try again in {math.ceil(wait)} s.",
                       {"Retry-After": str(math.ceil(wait))})

    @asynccontextmanager
    async def queued(self) -> AsyncIterator[None]:
        """A place in the analysis queue for this request, or 503 with Retry-After when it is full."""
        try:
            async with self.analyst.place():
                yield
        except Busy:
            raise ApiError(503, "busy", "Support Coach is checking as many replies as it can; try again in a "
                                        "moment.", {"Retry-After": str(BUSY_RETRY_SECONDS)}) from None

    def log_text(self, request: Request, text: str) -> None:
        """The checked text, in the log only when the admin asked for it (--log-text)."""
        if self.settings.log_text:
            logger.info("text of %s %s: %r", request.method, request.url.path, text)


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime
