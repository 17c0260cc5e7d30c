"""The LanguageTool-compatible endpoints: POST/GET /v2/check and GET /v2/languages."""
from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from coach.errors import InputError
from coach.server import languagetool
from coach.server.analysis import AnalysisTime, server_timing, timed_analyze
from coach.server.errors import ApiError, too_large
from coach.server.languagetool import ProtocolError
from coach.server.runtime import runtime_of

router = APIRouter(prefix="/v2", tags=["LanguageTool-compatible"])
# a LanguageTool client sends a dozen fields at most
MAX_FIELDS = 100


@router.get("/languages", summary="The languages /v2/check accepts (LanguageTool format)")
async def get_languages(request: Request) -> list[dict[str, str]]:
    # a client asks for these first: a wrong token shows up here, when the client is set up
    runtime_of(request).caller(request, request.query_params.get("apiKey"))
    return languagetool.languages()


async def _fields(request: Request) -> dict[str, str]:
    """Query parameters and (for POST) the form-encoded body, as LanguageTool reads them."""
    fields = dict(request.query_params)
    if request.method == "POST":
        body = await request.body()
        try:
            fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                                    max_num_fields=MAX_FIELDS))
        except UnicodeDecodeError:
            raise ApiError(400, "bad_request", "The request body is not UTF-8 form data") from None
        except ValueError:
            raise ApiError(400, "bad_request", f"More than {MAX_FIELDS} form fields") from None
    return fields


_FIELD = {"type": "string"}
CHECK_FORM = {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object", "required": ["language"],
    "properties": {
        "text": {**_FIELD, "description": "the text to check (or `data`)"},
        "data": {**_FIELD, "description": 'text with markup: {"annotation": [{"text": "Hi "}, {"markup": "<b>"}, '
                                          '{"markup": "<p>", "interpretAs": "\\n\\n"}]}'},
        "language": {**_FIELD, "description": "en, en-US, en-GB, ... or auto"},
        "level": {**_FIELD, "description": "picky: also the coach's hints"},
        "enabledRules": {**_FIELD, "description": "comma-separated rule ids (e.g. tone.blame)"},
        "disabledRules": {**_FIELD, "description": "comma-separated rule ids"},
        "enabledCategories": {**_FIELD, "description": "comma-separated category ids (e.g. COACH_TONE)"},
        "disabledCategories": {**_FIELD, "description": "comma-separated category ids"},
        "enabledOnly": {**_FIELD, "description": "true: only the enabled rules and categories"},
        "mode": {**_FIELD, "description": "all (default); textLevelOnly: the whole-text findings (missing "
                                          "sentences); allButTextLevelOnly: the rest"},
        "apiKey": {**_FIELD, "description": "a team's API token (or send it as Authorization: Bearer)"},
    },
    "additionalProperties": _FIELD}}}}}


_CHECK_SUMMARY = "Check a reply; Support Coach's findings come back as LanguageTool matches"
_CHECK_DESCRIPTION = ("LanguageTool's /v2/check: offsets and lengths in UTF-16 code units. Fields LanguageTool "
                      "clients send that mean nothing here (motherTongue, preferredVariants, ...) are ignored.")


@router.post("/check", openapi_extra=CHECK_FORM, summary=_CHECK_SUMMARY, description=_CHECK_DESCRIPTION)
async def check(request: Request) -> JSONResponse:
    return await _check(request)


@router.get("/check", summary=_CHECK_SUMMARY + " (fields as query parameters)", description=_CHECK_DESCRIPTION)
async def check_by_query(request: Request) -> JSONResponse:
    return await _check(request)


async def _check(request: Request) -> JSONResponse:
    runtime = runtime_of(request)
    fields = await _fields(request)
    try:
        parsed = languagetool.parse_check_request(fields)
    except ProtocolError as exc:
        raise ApiError(exc.status, "bad_request", str(exc)) from None
    caller = runtime.caller(request, parsed.api_key)
    plain = parsed.document.plain
    limit = runtime.settings.max_text_chars
    if len(plain) > limit:
        raise too_large("The text", len(plain), limit, "characters")
    runtime.admit(request, caller)
    runtime.log_text(request, plain)

    def work() -> tuple[dict[str, Any], AnalysisTime]:
        try:
            report, timing = timed_analyze(plain, team=caller.settings)
        except InputError as exc:
            # LanguageTool answers text it has nothing to say about (an empty field, another
            # language) with no matches; the reason goes along for whoever looks.
            return languagetool.check_response(parsed, None, str(exc)), AnalysisTime()
        return languagetool.check_response(parsed, report), timing

    async with runtime.queued():
        answer, timing = await runtime.analyst.run(work)
    return JSONResponse(answer, headers=server_timing(timing))
