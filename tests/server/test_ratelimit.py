"""The per-token rate limit, on a clock the test moves."""
from __future__ import annotations

import math

import pytest

from coach.server.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("per_minute", [1, 4, 60])
def test_a_minutes_allowance_then_a_wait(per_minute):
    clock = Clock()
    limiter = RateLimiter(per_minute, clock)
    assert [limiter.acquire("team") for _ in range(per_minute)] == [0.0] * per_minute
    wait = limiter.acquire("team")
    assert wait == pytest.approx(60 / per_minute)
    clock.now += wait
    assert limiter.acquire("team") == 0.0


def test_keys_have_their_own_allowance():
    limiter = RateLimiter(2, Clock())
    assert limiter.acquire("a") == limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0


def test_a_refused_request_takes_nothing():
    clock = Clock()
    limiter = RateLimiter(6, clock)
    assert limiter.acquire("team", cost=5) == 0.0
    assert limiter.acquire("team", cost=3) == pytest.approx(20.0)  # 2 more needed at 1 per 10 s
    clock.now += 10
    assert limiter.acquire("team", cost=2) == 0.0


def test_a_cost_above_the_allowance_never_passes():
    assert math.isinf(RateLimiter(3, Clock()).acquire("team", cost=4))


def test_idle_keys_are_forgotten(monkeypatch):
    monkeypatch.setattr("coach.server.ratelimit.MAX_KEYS", 3)
    clock = Clock()
    limiter = RateLimiter(60, clock)
    for key in ("a", "b", "c"):
        limiter.acquire(key)
    clock.now += 61
    limiter.acquire("d")
    assert set(limiter._buckets) == {"d"}
