"""The real server: `python -m coach serve` in a subprocess on a free loopback port, with its own
SQLite database; tests talk to it over HTTP with third-party clients. Its log goes to test-output/."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import serving

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_DIR = ROOT / "test-output"
START_TIMEOUT_S = 120
# The strict server's limit: small, so the rate-limit test needs only a few requests.
STRICT_RATE_LIMIT = 4
CORS_ORIGIN = "chrome-extension://support-coach-test"


@dataclass(frozen=True)
class Server:
    url: str
    log_path: Path
    database_url: str

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")


def coach_cli(database_url: str, *argv: str) -> subprocess.CompletedProcess:
    """`python -m coach ARGV` against `database_url`, as an admin runs it."""
    return subprocess.run([sys.executable, "-m", "coach", *argv], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "COACH_DATABASE_URL": database_url}, timeout=120)


@contextmanager
def running_server(name: str, database_url: str, *options: str) -> Iterator[Server]:
    log_path = OUTPUT_DIR / f"server-{name}.log"
    with serving("coach serve", lambda port: [sys.executable, "-m", "coach", "serve", "--port", str(port), *options],
                 "/api/v1/health", log_path, env={"COACH_DATABASE_URL": database_url},
                 start_timeout_s=START_TIMEOUT_S) as url:
        yield Server(url, log_path, database_url)


@pytest.fixture(scope="session")
def server_database(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('server') / 'coach.db'}"


@pytest.fixture(scope="session")
def team_tokens(server_database) -> dict[str, str]:
    """Tokens made with `coach serve tokens create`, as an admin makes them: team -> token."""
    tokens = {}
    for team in ("Support EU", "Support US", "Billing"):
        result = coach_cli(server_database, "serve", "tokens", "create", "--team", team, "--label", "tests")
        assert result.returncode == 0, result.stderr
        tokens[team] = result.stdout.strip()
    return tokens


@pytest.fixture(scope="session")
def server(server_database, team_tokens) -> Iterator[Server]:
    """Default settings: tokens optional, the default rate limit."""
    with running_server("default", server_database) as running:
        yield running


@pytest.fixture(scope="session")
def strict_server(server_database, team_tokens) -> Iterator[Server]:
    """Tokens required, a small rate limit, CORS open to one add-on origin, texts logged."""
    with running_server("strict", server_database, "--require-token", "--rate-limit", str(STRICT_RATE_LIMIT),
                        "--cors-origin", CORS_ORIGIN, "--log-text") as running:
        yield running
