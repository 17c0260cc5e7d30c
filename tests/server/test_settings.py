"""Server settings: loopback detection, the per-worker share of the rate limit, and the trip to the
worker processes through the environment."""
from __future__ import annotations

import pytest

from coach.errors import InputError
from coach.server.settings import ENVIRONMENT_VARIABLE, ServerSettings


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("10.0.0.5", False), ("coach.example.internal", False),
])
def test_loopback(host, loopback):
    assert ServerSettings(host=host).loopback is loopback


@pytest.mark.parametrize(("per_minute", "workers", "share"), [(600, 1, 600), (600, 4, 150), (3, 4, 1)])
def test_each_worker_gets_a_share_of_the_rate_limit(per_minute, workers, share):
    assert ServerSettings(rate_limit_per_minute=per_minute, workers=workers).rate_limit_per_worker == share


def test_settings_reach_the_workers_through_the_environment(monkeypatch):
    settings = ServerSettings(port=9000, require_token=True, cors_origins=("chrome-extension://x",), max_queue=5)
    for key, value in settings.to_environment().items():
        monkeypatch.setenv(key, value)
    assert ServerSettings.from_environment() == settings


def test_defaults_are_safe(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    settings = ServerSettings.from_environment()
    assert settings.host == "127.0.0.1" and not settings.cors_origins and not settings.log_text
    assert settings.max_text_chars == 20_000


def test_broken_environment_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, '{"port": "many"}')
    with pytest.raises(InputError, match=ENVIRONMENT_VARIABLE):
        ServerSettings.from_environment()
