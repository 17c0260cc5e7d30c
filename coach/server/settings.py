"""How `coach serve` runs: the choices an admin makes on the command line, with safe defaults.

Uvicorn starts each worker process from an import string, so the settings travel to the workers
as JSON in the COACH_SERVE_SETTINGS environment variable (`ServerSettings.from_environment()`).
"""
from __future__ import annotations

import ipaddress
import json
import os

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.errors import InputError
from coach.textprep import MAX_CHARS

ENVIRONMENT_VARIABLE = "COACH_SERVE_SETTINGS"
# A request body larger than this is refused before it is read. It leaves room for a reply and a
# customer message at the check page's limit (coach.textprep.MAX_CHARS characters each) in the
# bulkiest encoding a client may use (form-encoded, up to 12 bytes per emoji), and for the history.
MAX_BODY_BYTES = 1_048_576


class ServerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(8081, ge=0, le=65535)
    workers: int = Field(1, ge=1, le=64)
    # Without a token a request is answered with the default settings, unless tokens are required.
    require_token: bool = False
    rate_limit_per_minute: int = Field(600, ge=1)
    cors_origins: tuple[str, ...] = ()
    # Reply texts never reach the log unless this is set (for debugging a deployment).
    log_text: bool = False
    max_text_chars: int = Field(MAX_CHARS, ge=1)
    max_body_bytes: int = Field(MAX_BODY_BYTES, ge=1024)
    max_batch_items: int = Field(50, ge=1)
    max_history_turns: int = Field(50, ge=0)
    # requests a worker holds (waiting or being analysed) before it answers 503 at once
    max_queue: int = Field(64, ge=1)
    # How long a token's team (and its settings) are remembered before the database is asked again.
    token_cache_seconds: float = Field(30.0, ge=0)
    database_url: str | None = None

    @property
    def loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host == "localhost"

    @property
    def rate_limit_per_worker(self) -> int:
        return max(1, self.rate_limit_per_minute // self.workers)

    @property
    def max_batch_body_bytes(self) -> int:
        return self.max_body_bytes * 4

    def to_environment(self) -> dict[str, str]:
        return {ENVIRONMENT_VARIABLE: self.model_dump_json()}

    @classmethod
    def from_environment(cls) -> ServerSettings:
        raw = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
        if not raw:
            return cls()
        try:
            return cls.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            raise InputError(f"{ENVIRONMENT_VARIABLE} is not valid server settings: {exc}") from None
