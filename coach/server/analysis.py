"""The analysis side of a server worker: the pipeline, loaded once, and one analysis at a time.

Analyses run on one thread of their own, in the order requests arrive (a queue, not a lock race,
so no request waits behind later ones). Analysis is CPU-bound Python: more threads would not make
it faster, only slower for everyone; more processes do (`coach serve --workers N`). When more
requests wait than the queue may hold, a new one is turned away at once (Busy) rather than left
to wait so long that the agent has moved on.
"""
from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from coach import engine
from coach.engine import analyze
from coach.report import Report

Result = TypeVar("Result")


@dataclass(frozen=True)
class AnalysisTime:
    """How long analyses took in milliseconds: wall-clock time, and the CPU time of the analysis
    thread (on a busy machine the wall time also counts waiting for a core; the CPU time doesn't)."""

    wall_ms: float = 0.0
    cpu_ms: float = 0.0

    def __add__(self, other: AnalysisTime) -> AnalysisTime:
        return AnalysisTime(self.wall_ms + other.wall_ms, self.cpu_ms + other.cpu_ms)


def timed_analyze(text: str, **context: Any) -> tuple[Report, AnalysisTime]:
    """analyze(text, **context) and how long it took (the Server-Timing header reports it, so a
    client can tell the analysis from the server's own overhead)."""
    start, cpu_start = time.perf_counter(), time.thread_time()
    report = analyze(text, **context)
    return report, AnalysisTime((time.perf_counter() - start) * 1000, (time.thread_time() - cpu_start) * 1000)


def server_timing(timing: AnalysisTime) -> dict[str, str]:
    return {"Server-Timing": f"analyze;dur={timing.wall_ms:.1f}, analyze-cpu;dur={timing.cpu_ms:.1f}"}


class Busy(Exception):
    """The queue is full."""


class Analyst:
    def __init__(self, max_queue: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-analysis")
        self._max_queue = max_queue
        self._in_queue = 0  # requests holding a place; only the event loop's thread changes it

    @asynccontextmanager
    async def place(self) -> AsyncIterator[None]:
        """A request's place in the queue, for all the analyses it runs; Busy when there is none."""
        if self._in_queue >= self._max_queue:
            raise Busy
        self._in_queue += 1
        try:
            yield
        finally:
            self._in_queue -= 1

    def warm_up(self) -> None:
        """Load the spaCy pipeline, word lists and data files now, not on the first request.

        Then the garbage collector is told to leave what is loaded alone (gc.freeze): a full
        collection walks every object the pipeline and data files hold, a pause of a few hundred
        milliseconds that would otherwise land on a random request."""
        engine.warm_up()
        gc.collect()
        gc.freeze()

    async def run(self, work: Callable[[], Result]) -> Result:
        """`work()` on the analysis thread, after the work queued before it."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
