"""Background loops that sleep until nudged, and stopping them for sure.

Python 3.11's ``asyncio.wait_for`` loses a cancellation that arrives in the same
turn of the loop as the awaited thing completes (CPython gh-86296, fixed in
3.12): it returns the result instead of raising. A loop that waits for its
nudge that way and is cancelled just as a commit nudges it goes round again,
and whoever awaits the cancelled task waits forever: a core that never finished
shutting down, once, held a test run until CI's 90-minute limit. So loops wait
with :func:`nudged_within` (``asyncio.timeout``, which counts cancellations
properly), and owners stop them with :func:`stop`, which asks again until the
task has really ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

__all__ = ["nudged_within", "stop"]

log = logging.getLogger("omnitill")


async def nudged_within(nudge: asyncio.Event, seconds: float) -> bool:
    """Wait until ``nudge`` is set or ``seconds`` pass; ``True`` when it was set."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await nudge.wait()
    return nudge.is_set()


async def stop(task: asyncio.Task[object], *, patience: float = 30.0) -> None:
    """Cancel ``task`` and wait until it has ended, cancelling it again each
    second it carries on; after ``patience`` seconds it is left, said in the log."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=min(1.0, max(0.0, deadline - loop.time())))
        if loop.time() >= deadline and not task.done():
            log.error("the background task %s would not stop", task.get_name())
            return
    if not task.cancelled() and task.exception() is not None:
        log.error("the background task %s had failed", task.get_name(),
                  exc_info=task.exception())
