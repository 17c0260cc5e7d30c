"""Errors the server answers, in the form each kind of client reads.

The JSON API answers `{"error": {"code": ..., "message": ...}}`. The LanguageTool endpoints answer
as LanguageTool does, in plain text starting "Error: ": its clients show that text (the
browser add-on in its error note, language-tool-python in the LanguageToolError it raises), where
a JSON body would reach them as a puzzling parse error. Neither ever carries a traceback.
"""
from __future__ import annotations

from starlette.responses import JSONResponse, PlainTextResponse, Response

LANGUAGETOOL_PREFIX = "/v2/"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(path: str, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if path.startswith(LANGUAGETOOL_PREFIX):
        return PlainTextResponse(f"Error: {message}", status_code=status, headers=headers)
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def too_large(what: str, size: int, limit: int, unit: str) -> ApiError:
    return ApiError(413, "too_large", f"{what} is {size:,} {unit} long; Support Coach checks one reply at a "
                                      f"time, up to {limit:,} {unit} (as on the check page).")
