"""The ASGI application of `coach serve` (FastAPI on uvicorn).

One app per worker process: the pipeline is loaded when the worker starts (not on the first
request). Every request passes RequestGuard, which enforces the body size limit before reading
the body, takes a token out of a `/t/<token>/...` address, logs one line without any reply text
or token, and turns any unexpected failure into a clear error instead of a traceback.
"""
from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coach.context import TeamSettings
from coach.server import api, v2
from coach.server.errors import ApiError, error_response
from coach.server.languagetool import software_version
from coach.server.runtime import Runtime, TeamSettingsLoader
from coach.server.settings import ServerSettings
from coach.store.api_tokens import TeamIdentity
from coach.store.db import Store

logger = logging.getLogger("coach.server")
_TOKEN_IN_PATH = re.compile(r"^/t/([^/]+)(/.*)$")
BATCH_PATH = "/api/v1/batch"


class _BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parsing passes it on
    instead of calling it a parse error."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than this server's limit of {limit:,} bytes.")


def stored_team_settings(store: Store, team: TeamIdentity) -> TeamSettings | None:
    """The settings a team's token brings to its checks, as its managers keep them in the database:
    the team's terms and approved words (Team terms) and the rules it turned off or down to hints
    (Progress → Flags and rules)."""
    from coach.store.rules import team_settings_of

    with store.read() as session:
        return team_settings_of(session, team.team)


class RequestGuard:
    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path, token = scope["path"], None
        in_path = _TOKEN_IN_PATH.match(path)
        if in_path:
            token, path = unquote(in_path.group(1)), in_path.group(2)
            scope = {**scope, "path": path, "raw_path": path.encode()}
        state = {**scope.get("state", {}), "path_token": token, "caller": "-"}
        scope = {**scope, "state": state}
        limit = self.settings.max_batch_body_bytes if path == BATCH_PATH else self.settings.max_body_bytes
        sent = {"status": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            await send(message)

        async def respond(status: int, code: str, message: str) -> None:
            if not sent["status"]:
                await error_response(path, status, code, message)(scope, receive, send_logged)

        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        try:
            declared = dict(scope["headers"]).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise _BodyTooLarge(limit)
            await self.app(scope, receive_limited, send_logged)
        except _BodyTooLarge as exc:
            await respond(413, "too_large", exc.detail)
        except Exception as exc:  # noqa: BLE001 - the client gets a clear error, the log the stack
            # the exception's message may quote the reply, so only its type and stack are logged
            logger.error("internal error on %s %s: %s\n%s", scope["method"], path, type(exc).__name__,
                         "".join(traceback.format_tb(exc.__traceback__)))
            await respond(500, "internal", "Support Coach could not answer because of an internal error; "
                                           "it has been logged for the admin.")
        finally:
            client = scope.get("client")
            logger.info("%s %s %s %d %.1fms %s", client[0] if client else "-", scope["method"], path,
                        sent["status"], (time.perf_counter() - started) * 1000, state["caller"])


def _api_error(request: Request, exc: ApiError) -> Response:
    return error_response(request.url.path, exc.status, exc.code, exc.message, exc.headers)


def _invalid(request: Request, exc: RequestValidationError) -> Response:
    """Which field is wrong and why, never the submitted values (they may be reply text)."""
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    if any(e.get("type") == "json_invalid" for e in exc.errors()):
        return error_response(request.url.path, 400, "invalid_json", "The request body is not valid JSON.")
    return error_response(request.url.path, 422, "invalid_request", "; ".join(problems))


def _http_error(request: Request, exc: HTTPException) -> Response:
    code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http_error")
    message = {404: f"No such endpoint: {request.url.path}",
               405: f"{request.method} is not allowed on {request.url.path}"}.get(exc.status_code, str(exc.detail))
    return error_response(request.url.path, exc.status_code, code, message, getattr(exc, "headers", None))


def create_app(settings: ServerSettings | None = None,
               load_team_settings: TeamSettingsLoader = stored_team_settings) -> FastAPI:
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime(settings, load_team_settings)
        runtime.analyst.warm_up()
        app.state.runtime = runtime
        try:
            yield
        finally:
            runtime.close()

    app = FastAPI(title="Support Coach", version=software_version(), lifespan=lifespan,
                  description="Coaching for support replies: a LanguageTool-compatible /v2/check for help-desk "
                              "add-ons, and a JSON API returning the coach.report/1 report.",
                  openapi_url="/api/v1/openapi.json", docs_url=None, redoc_url=None)
    app.include_router(v2.router)
    app.include_router(api.router)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_middleware(RequestGuard, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"],
                           expose_headers=["Retry-After", "Server-Timing"], max_age=600)
    return app


def app_from_environment() -> FastAPI:
    """The app as uvicorn's workers build it (`coach serve` puts the settings in the environment)."""
    return create_app(ServerSettings.from_environment())
