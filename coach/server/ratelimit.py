"""Per-token rate limit: a token bucket per key (a team's token, or the client's address without one).

A bucket holds up to `per_minute` requests and refills at `per_minute` a minute, so a team may
spend a minute's allowance in a burst (the browser add-on checks as people type) but not more.
Counts live in the worker process: with several workers each gets an equal share of the limit.
"""
from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# Buckets idle long enough to be full again are forgotten past this many keys, so memory stays bounded.
MAX_KEYS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("a rate limit needs at least 1 request a minute")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str, cost: int = 1) -> float:
        """Take `cost` requests from `key`'s allowance: 0.0 when allowed, else the seconds to wait
        before asking again (nothing is taken then)."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= MAX_KEYS:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(self.capacity, now)
            bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if cost > self.capacity:
                return math.inf
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                return 0.0
            return (cost - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        idle = self.capacity / self.rate
        for key in [k for k, b in self._buckets.items() if now - b.updated >= idle]:
            del self._buckets[key]
