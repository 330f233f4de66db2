"""One reader of the event log per process, fanning new events out to every open stream.

Each ``GET /v1/events`` follower used to poll the database itself every
``event_poll_seconds``: 200 open screens made 400 queries a second to learn,
almost always, that nothing had happened. Here one task per process polls
(only while someone follows), serializes each new event once, and hands it to
every follower whose filter takes it, through a bounded queue per follower.
A command of this process that wrote events wakes the poller at once (events
written by other workers wait for the next poll).

A follower that does not keep up (its queue full) is dropped rather than
allowed to hold the others back or grow without bound: its stream ends with a
``reconnect`` event and the client comes back with ``Last-Event-ID``, catching
up from the database (see :mod:`core.events.routes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sse_starlette import ServerSentEvent

from core.carts.models import Cart
from core.db import Database
from core.events import service
from core.events.models import Event
from core.orders.models import Order
from core.threads import ThreadCalls
from shared.schemas.orders import EventOut
from shared.tasks import nudged_within, stop

__all__ = ["EventHub", "Follower", "Published", "event_out", "frame"]

log = logging.getLogger("omnitill.events")

BATCH = 500
"""Events read per poll; a full batch is followed by another read at once."""

MIN_GAP = 0.01
"""Seconds between two reads at least: under a stream of commits, one read takes
the events of many commands instead of one read each."""

QUEUE_SIZE = 1000
"""Events a follower may have waiting before it is told to reconnect."""

READ_DEADLINE = 30.0
"""How long closing waits for a read of the log already running (see core.threads)."""


def event_out(event: Event) -> EventOut:
    return EventOut(seq=event.seq, type=event.type, store=event.store_code,
                    subject=event.subject, payload=event.payload, created_at=event.created_at)


def frame(event: Event) -> bytes:
    """The event as one Server-Sent Event: its number as the id (``Last-Event-ID``)."""
    return ServerSentEvent(id=str(event.seq), event=event.type, data=json.dumps(
        event_out(event).model_dump(mode="json"))).encode()


@dataclass(frozen=True, slots=True)
class Published:
    """An event as the hub hands it out: what filters need, and the JSON once for all."""

    seq: int
    type: str
    store_code: str | None
    subject: str
    owner_device: int | None
    """The device whose cart or order the event's subject names (kiosks see only theirs)."""
    frame: bytes
    """The Server-Sent Event as sent, encoded once for every follower."""


class Follower:
    """One open stream's place in the fan-out."""

    def __init__(self, accepts: Callable[[Published], bool], size: int) -> None:
        self.accepts = accepts
        self.queue: asyncio.Queue[Published] = asyncio.Queue(size)
        self.overflowed = False
        """Set when the queue was full: nothing more is queued, the stream must end."""


def _owners(db: Database, events: list[Event]) -> dict[tuple[str, str], int | None]:
    """Which device made each cart and order the batch names, in two queries."""
    carts = {e.subject for e in events if e.type.startswith("cart.")}
    orders = {e.subject for e in events if e.type.startswith(("order.", "payment."))}
    owners: dict[tuple[str, str], int | None] = {}
    with db.read() as session:
        if carts:
            owners |= {("cart", i): d for i, d in session.execute(
                select(Cart.id, Cart.device_id).where(Cart.id.in_(carts)))}
        if orders:
            owners |= {("order", n): d for n, d in session.execute(
                select(Order.number, Order.device_id).where(Order.number.in_(orders)))}
    return owners


def _kind(type_: str) -> str:
    return "cart" if type_.startswith("cart.") else "order"


class EventHub:
    """The process's one poller of the event log and its followers."""

    def __init__(self, db: Database, *, poll_seconds: float, queue_size: int = QUEUE_SIZE,
                 batch: int = BATCH) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.queue_size = queue_size
        self.batch = batch
        self.polls = 0
        """Reads of the log so far (the fan-out test and ``bench.sse`` count them)."""
        self.position: int | None = None
        """The last sequence number handed out; ``None`` while nobody follows."""
        self._followers: set[Follower] = set()
        self._task: asyncio.Task[None] | None = None
        self._someone: asyncio.Event | None = None
        self._nudged: asyncio.Event | None = None
        self._unlisten: Callable[[], None] | None = None
        self._threads = ThreadCalls()

    @property
    def followers(self) -> int:
        return len(self._followers)

    def start(self) -> None:
        """Start the poller on the running loop (the app's lifespan; or the first
        follower when the app runs without one, as under ``httpx.ASGITransport``)."""
        if (self._task is not None and not self._task.done()
                and self._task.get_loop() is asyncio.get_running_loop()):
            return
        self._stop_listening()
        self._followers.clear()
        self.position = None
        self._someone = asyncio.Event()
        nudged = self._nudged = asyncio.Event()
        loop = asyncio.get_running_loop()

        def nudge() -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(nudged.set)

        self._unlisten = service.on_committed(nudge)
        self._task = asyncio.create_task(self._run(), name="event-hub")

    def _stop_listening(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None

    async def close(self) -> None:
        self._stop_listening()
        if self._task is not None:
            await stop(self._task)
            self._task = None
        await self._threads.drain(READ_DEADLINE)  # see core.threads

    async def join(self, accepts: Callable[[Published], bool]) -> tuple[Follower, int]:
        """Add a follower; returns it and the sequence number from which its queue
        receives every event it accepts (what came before, it reads from the log)."""
        self.start()
        if self.position is None:
            last = await self._threads.run(self._last_seq)
            if self.position is None:  # another follower may have set it meanwhile
                self.position = last
        follower = Follower(accepts, self.queue_size)
        self._followers.add(follower)
        assert self._someone is not None
        self._someone.set()
        return follower, self.position

    def leave(self, follower: Follower) -> None:
        self._followers.discard(follower)

    def _last_seq(self) -> int:
        service.number_pending(self.db.writer_engine)
        with self.db.read() as session:
            return service.last_seq(session)

    def _read(self, after: int) -> list[Published]:
        """Runs in a worker thread: one read of the log, owners, and the JSON."""
        service.number_pending(self.db.writer_engine)
        with self.db.read() as session:
            rows = service.events_after(session, after=after, store=None, types=None,
                                        limit=self.batch)
        owners = _owners(self.db, rows) if any(
            e.type.startswith(("cart.", "order.", "payment.")) for e in rows) else {}
        return [Published(e.seq, e.type, e.store_code, e.subject,
                          owners.get((_kind(e.type), e.subject)), frame(e))
                for e in rows]

    def _fan_out(self, events: list[Published]) -> None:
        for follower in list(self._followers):
            for event in events:
                if not follower.accepts(event):
                    continue
                try:
                    follower.queue.put_nowait(event)
                except asyncio.QueueFull:
                    follower.overflowed = True
                    self._followers.discard(follower)
                    break

    async def _run(self) -> None:
        assert self._someone is not None and self._nudged is not None
        while True:
            if not self._followers:
                self.position = None
                self._someone.clear()
                await self._someone.wait()
                continue
            if self.position is None:  # set by join before it wakes us
                await asyncio.sleep(0)
                continue
            self._nudged.clear()
            try:
                events = await self._threads.run(self._read, self.position)
                self.polls += 1
            except Exception:  # the database is away: try again next interval
                log.exception("reading the event log failed")
                events = []
            if events and self.position is not None:
                self.position = events[-1].seq
                self._fan_out(events)
            await asyncio.sleep(MIN_GAP)
            if len(events) < self.batch:
                await nudged_within(self._nudged, max(0.0, self.poll_seconds - MIN_GAP))
