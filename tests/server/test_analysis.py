"""The worker's analysis queue: in arrival order, one at a time, and a bounded number of places."""
from __future__ import annotations

import asyncio
import threading

import pytest

from coach.server.analysis import Analyst, Busy


def test_analyses_run_one_at_a_time_in_arrival_order():
    analyst = Analyst(max_queue=10)
    order, running = [], []

    def job(number: int):
        running.append(number)
        assert len(running) == 1  # never two at once
        order.append(number)
        running.remove(number)
        return number

    async def main():
        return await asyncio.gather(*(analyst.run(lambda n=n: job(n)) for n in range(8)))

    try:
        assert asyncio.run(main()) == list(range(8))
    finally:
        analyst.close()
    assert order == list(range(8))


@pytest.mark.parametrize("max_queue", [1, 3])
def test_a_full_queue_turns_the_next_request_away(max_queue):
    analyst = Analyst(max_queue=max_queue)
    release = threading.Event()

    async def hold_place():
        async with analyst.place():
            await analyst.run(lambda: release.wait(10))

    async def main():
        holders = [asyncio.create_task(hold_place()) for _ in range(max_queue)]
        await asyncio.sleep(0.05)
        with pytest.raises(Busy):
            async with analyst.place():
                pass
        release.set()
        await asyncio.gather(*holders)
        async with analyst.place():  # room again
            pass

    try:
        asyncio.run(main())
    finally:
        release.set()
        analyst.close()


def test_warm_up_leaves_the_loaded_pipeline_out_of_garbage_collection():
    import gc

    analyst = Analyst(max_queue=1)
    try:
        analyst.warm_up()
        assert gc.get_freeze_count() > 10_000  # the pipeline, word lists and data files
    finally:
        gc.unfreeze()
        analyst.close()
