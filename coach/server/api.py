"""Support Coach's own JSON API: /api/v1/check (one reply -> the coach.report/1 report),
/api/v1/batch (a list), /api/v1/health; described at /api/v1/openapi.json."""
from __future__ import annotations

import functools
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from coach.context import TeamSettings
from coach.errors import InputError
from coach.findings import Evidence, Finding
from coach.report import SCHEMA, Suggestion
from coach.server.analysis import AnalysisTime, server_timing, timed_analyze
from coach.server.errors import ApiError, too_large
from coach.server.languagetool import is_unicode, software_version
from coach.server.runtime import Runtime, runtime_of

router = APIRouter(prefix="/api/v1")


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Literal["customer", "agent"]
    text: str


class CheckBody(BaseModel):
    """One draft reply and what is known of its conversation."""

    model_config = ConfigDict(extra="forbid")

    reply: str = Field(description="the draft reply, as the agent wrote it (plain text or e-mail HTML)")
    customer_message: str | None = Field(None, description="the customer's message the reply answers")
    channel: Literal["chat", "email"] | None = Field(None, description="inferred from the reply when absent")
    history: list[Turn] | None = Field(None, description="the conversation's earlier turns, oldest first, "
                                                         "not counting customer_message")
    audience: Literal["non-technical", "technical"] | None = Field(
        None, description="how technical the customer is; inferred from customer_message when absent")
    all_suggestions: bool = Field(False, description="every suggestion in `feedback`, not just the top 3")


class BatchBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[CheckBody] = Field(min_length=1)


class ReportOut(BaseModel):
    """The coach.report/1 report, as `coach check --json` prints it (more keys may follow). Its parts
    are the report's own dataclasses, so this description cannot drift from what is sent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    schema_: Literal["coach.report/1"] = Field(alias="schema")
    overall: float | None
    scores: dict[str, float | None]
    status: dict[str, str]
    findings: list[Finding]
    evidence: list[Evidence]
    strengths: list[str]
    feedback: list[Suggestion]
    summary: str
    ready_to_send: bool = Field(description="no unfilled [placeholder] and nothing critical")
    audience: str
    customer_mood: str
    channel: Literal["chat", "email"]
    metrics: dict[str, Any]


class ErrorDetail(BaseModel):
    code: str = Field(description="bad_input, invalid_request, too_large, unauthorized, rate_limited, internal, ...")
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


class BatchResult(BaseModel):
    index: int
    report: ReportOut | None = None
    error: ErrorDetail | None = None


class BatchOut(BaseModel):
    results: list[BatchResult]


class HealthOut(BaseModel):
    status: Literal["ok"]
    software: str
    version: str
    schema_: str = Field(alias="schema")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description} for status, description in (
        (400, "the body is not JSON"), (401, "missing, unknown or revoked API token"),
        (413, "the body or a text is too large"), (422, "the body does not fit the schema, or the reply "
                                                        "cannot be checked (empty, not English, binary)"),
        (429, "rate limit reached (see Retry-After)"), (503, "too many requests waiting (see Retry-After)"))}


def _check_sizes(body: CheckBody, runtime: Runtime, label: str = "The reply") -> None:
    settings = runtime.settings
    limit = settings.max_text_chars
    texts = [(label, body.reply), ("The customer's message", body.customer_message or "")]
    texts += [(f"History turn {n}", turn.text) for n, turn in enumerate(body.history or [], start=1)]
    for what, text in texts:
        if len(text) > limit:
            raise too_large(what, len(text), limit, "characters")
        if not is_unicode(text):
            raise ApiError(422, "bad_input", f"{what} has a lone UTF-16 surrogate (half an emoji?): "
                                             "it is not valid Unicode.")
    if body.history and len(body.history) > settings.max_history_turns:
        raise ApiError(413, "too_large", f"The history has {len(body.history)} turns; up to "
                                         f"{settings.max_history_turns} are read.")


def _report(body: CheckBody, team: TeamSettings | None) -> tuple[dict[str, Any], AnalysisTime]:
    """The report for one item and how long analyze() took; InputError for a reply that cannot be checked."""
    history = [turn.model_dump() for turn in body.history] if body.history is not None else None
    report, timing = timed_analyze(body.reply, customer_message=body.customer_message, audience=body.audience,
                                   channel=body.channel, history=history, team=team)
    return report.to_dict(all_suggestions=body.all_suggestions), timing


@router.post("/check", summary="Check one reply", response_class=JSONResponse,
             responses={200: {"model": ReportOut, "description": "the coach.report/1 report"}, **ERRORS})
async def check(body: CheckBody, request: Request) -> JSONResponse:
    runtime = runtime_of(request)
    caller = runtime.caller(request)
    _check_sizes(body, runtime)
    runtime.admit(request, caller)
    runtime.log_text(request, body.reply)

    def work() -> tuple[dict[str, Any], AnalysisTime] | str:
        try:
            return _report(body, caller.settings)
        except InputError as exc:
            return str(exc)

    async with runtime.queued():
        result = await runtime.analyst.run(work)
    if isinstance(result, str):
        raise ApiError(422, "bad_input", result)
    report, timing = result
    return JSONResponse(report, headers=server_timing(timing))


@router.post("/batch", summary="Check several replies (each gets a report or an error)",
             response_class=JSONResponse,
             responses={200: {"model": BatchOut, "description": "one result per item, in order"}, **ERRORS})
async def batch(body: BatchBody, request: Request) -> JSONResponse:
    runtime = runtime_of(request)
    caller = runtime.caller(request)
    limit = runtime.settings.max_batch_items
    if len(body.items) > limit:
        raise ApiError(413, "too_large", f"The batch has {len(body.items)} items; up to {limit} per request.")
    for number, item in enumerate(body.items, start=1):
        _check_sizes(item, runtime, f"Item {number}'s reply")
    runtime.admit(request, caller, cost=len(body.items))
    for item in body.items:
        runtime.log_text(request, item.reply)

    def work(index: int, item: CheckBody) -> tuple[dict[str, Any], AnalysisTime]:
        try:
            report, timing = _report(item, caller.settings)
            return {"index": index, "report": report}, timing
        except InputError as exc:
            return {"index": index, "error": {"code": "bad_input", "message": str(exc)}}, AnalysisTime()

    # One queued analysis per item, so a batch takes turns with other requests instead of holding
    # the worker until it is done.
    results, total = [], AnalysisTime()
    async with runtime.queued():
        for index, item in enumerate(body.items):
            result, timing = await runtime.analyst.run(functools.partial(work, index, item))
            results.append(result)
            total += timing
    return JSONResponse({"results": results}, headers=server_timing(total))


@router.get("/health", summary="Is the server up (for load balancers and monitoring)", response_model=HealthOut)
async def health() -> dict[str, str]:
    return {"status": "ok", "software": "Support Coach", "version": software_version(), "schema": SCHEMA}
