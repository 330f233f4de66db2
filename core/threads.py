"""Blocking database calls made by the core's background tasks, in worker threads.

Cancelling a task (the app shutting down) does not stop a call it already runs
in a thread: that call goes on, and if the pool is disposed meanwhile its
connection is dropped open, mid-transaction (psycopg says so with a
``ResourceWarning``). So each background task runs its calls through one of
these and, on close, lets the calls in flight finish before the pool closes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

__all__ = ["ThreadCalls"]


class ThreadCalls:
    """The calls a background task has running in worker threads."""

    def __init__(self) -> None:
        self._running: set[asyncio.Future[Any]] = set()

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """``call(*args)`` in a worker thread, remembered until it has returned.
        Cancelling the caller cancels its wait, never the call (see :meth:`drain`)."""
        running = asyncio.ensure_future(asyncio.to_thread(call, *args))
        self._running.add(running)
        running.add_done_callback(self._running.discard)
        return await asyncio.shield(running)

    async def drain(self, timeout: float) -> None:
        """Wait, up to ``timeout`` seconds, for the calls still running to return."""
        if self._running:
            await asyncio.wait(set(self._running), timeout=timeout)
