"""A background loop that sleeps until nudged stops when cancelled, even when the
cancel and the nudge come in the same turn of the event loop (``shared.tasks``).

On Python 3.11 a loop waiting with ``asyncio.wait_for`` swallows that cancel and
goes round again; whoever awaits it (a core shutting down) waits forever."""

from __future__ import annotations

import asyncio

import pytest

from shared.tasks import nudged_within, stop
from tests.support import wait_for_async


def _loop(nudge: asyncio.Event, rounds: list[int]) -> asyncio.Task[None]:
    async def run() -> None:
        while True:
            rounds.append(1)
            nudge.clear()
            await nudged_within(nudge, 30)

    return asyncio.create_task(run(), name="nudged-loop")


async def test_a_cancel_that_comes_with_a_nudge_ends_the_loop() -> None:
    nudge, rounds = asyncio.Event(), []
    task = _loop(nudge, rounds)
    await wait_for_async(lambda: rounds, "the loop's first round", 5, step=0)
    nudge.set()  # a commit nudges the loop ...
    task.cancel()  # ... in the same turn as the shutdown cancels it
    done, _ = await asyncio.wait({task}, timeout=5)
    assert task in done and task.cancelled()
    assert len(rounds) == 1, "the loop went round again after its cancel"


async def test_a_nudge_wakes_the_loop_and_a_quiet_one_times_out() -> None:
    nudge = asyncio.Event()
    asyncio.get_running_loop().call_soon(nudge.set)
    assert await nudged_within(nudge, 30) is True
    nudge.clear()
    assert await nudged_within(nudge, 0.01) is False


async def test_stop_ends_a_task_that_ignores_its_first_cancel() -> None:
    ignored: list[int] = []
    started: list[int] = []

    async def stubborn() -> None:
        started.append(1)
        while True:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                if ignored:
                    raise
                ignored.append(1)  # as wait_for did: the cancel lost once

    task = asyncio.create_task(stubborn())
    await wait_for_async(lambda: started, "the task to start", 5, step=0)
    await asyncio.wait_for(stop(task, patience=10), 5)
    assert task.cancelled() and ignored == [1]


async def test_stop_gives_up_on_a_task_that_never_ends(caplog: pytest.LogCaptureFixture) -> None:
    released: list[int] = []
    started: list[int] = []

    async def deaf() -> None:
        started.append(1)
        while not released:
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                continue

    task = asyncio.create_task(deaf(), name="deaf")
    await wait_for_async(lambda: started, "the task to start", 5, step=0)
    await asyncio.wait_for(stop(task, patience=0.05), 5)
    assert not task.done() and "deaf would not stop" in caplog.text
    released.append(1)  # the test's own clean-up: now the next cancel ends it
    task.cancel()
    await asyncio.wait({task}, timeout=5)
    assert task.done()
