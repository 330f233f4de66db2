"""The dispatcher: follows the event log and posts each event to its subscribers.

Every worker of ``omnitill serve`` starts one, but only the holder of the
lease row (``webhook_lease``) works: it takes the lease when it is free or
expired and renews it while it runs, so one deployment posts each delivery from
one place at a time, even with several workers or several machines on one
PostgreSQL. A worker that stops cleanly gives the lease back at once; one that
dies leaves it to expire (``LEASE_SECONDS`` plus three timeouts), then another
takes over from the database: nothing it knew lives only in its memory.

One round: number the log (PostgreSQL), turn the events after each
subscription's cursor into delivery rows and move the cursor on (one
transaction), then post the deliveries that are due, a few at a time, and
record each attempt. A failed attempt is tried again after
``backoff * 2^(attempt-1)`` seconds (at most ``cap``); after ``max_attempts``
the delivery is ``failed``. A core stopped between a POST and its record posts
again after the restart: delivery is at least once, and receivers drop an event
id they already have.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy import exists, or_, select, update

from core import __version__
from core.db import Database, rows_changed
from core.events import service as events
from core.events.models import Event
from core.threads import ThreadCalls
from core.timeutil import aware, utcnow
from core.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookLease,
    WebhookSubscription,
)
from core.webhooks.service import matches
from core.webhooks.signature import SIGNATURE_HEADER, body_of, secret_for, sign
from shared.tasks import nudged_within, stop

__all__ = ["Dispatcher", "Policy", "backoff_seconds"]

log = logging.getLogger("omnitill.webhooks")

LEASE = "dispatcher"
LEASE_SECONDS = 30.0
"""The lease's life beyond three delivery timeouts; renewed at half of it."""
ENQUEUE_BATCH = 500
"""Events of the log taken into deliveries per transaction."""
CONCURRENCY = 8
"""Deliveries posted at once: one round lasts about one timeout at most."""
MIN_GAP = 0.05
"""Seconds between two rounds at least, however often commits wake the dispatcher."""


@dataclass(frozen=True, slots=True)
class Policy:
    poll_seconds: float = 1.0
    max_attempts: int = 12
    backoff_seconds: float = 10.0
    backoff_cap_seconds: float = 3600.0
    timeout_seconds: float = 10.0


def backoff_seconds(policy: Policy, attempt: int) -> float:
    """The wait after failed attempt number ``attempt`` (1, 2, ...)."""
    return min(policy.backoff_cap_seconds, policy.backoff_seconds * 2.0 ** min(attempt - 1, 60))


@dataclass(frozen=True, slots=True)
class Job:
    """One attempt to make: everything the POST needs, read in one query."""

    delivery_id: int
    attempt: int
    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes


_HAS_WORK = select(exists().where(WebhookSubscription.removed_at.is_(None))
                   | exists().where(WebhookDelivery.status == "pending"))


class Dispatcher:
    """The deployment's one poster of webhooks (whichever worker holds the lease)."""

    def __init__(self, db: Database, *, core_secret: Callable[[], bytes], policy: Policy,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.db = db
        self.policy = policy
        self._core_secret = core_secret
        self._transport = transport
        self.holder = f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"
        self.lease_seconds = LEASE_SECONDS + 3 * policy.timeout_seconds
        self.leading = False
        self.rounds = 0
        self.idle = False
        """The last round found no subscription and nothing pending."""
        self._task: asyncio.Task[None] | None = None
        self._nudged: asyncio.Event | None = None
        self._unlisten: Callable[[], None] | None = None
        self._threads = ThreadCalls()

    # -- life -------------------------------------------------------------------------

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        nudged = self._nudged = asyncio.Event()

        def nudge() -> None:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(nudged.set)

        self._unlisten = events.on_committed(nudge)
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def close(self) -> None:
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None
        if self._task is not None:
            await stop(self._task)
            self._task = None
        await self._threads.drain(LEASE_SECONDS)  # see core.threads
        if self.leading:
            try:
                await asyncio.to_thread(self.release)
            except Exception:  # the database is away: the lease expires by itself
                log.exception("giving the webhook lease back failed")

    async def _run(self) -> None:
        assert self._nudged is not None
        timeout = httpx.Timeout(self.policy.timeout_seconds)
        async with httpx.AsyncClient(timeout=timeout, transport=self._transport,
                                     follow_redirects=False) as client:
            while True:
                self._nudged.clear()
                busy = False
                try:
                    busy = await self.round(client)
                except Exception:  # the database is away: try again next interval
                    log.exception("a webhook round failed")
                await asyncio.sleep(MIN_GAP)
                if self.idle:
                    # Nobody subscribes: a commit has nothing to deliver, so it does
                    # not wake us (every order did: a read each). A subscription made
                    # meanwhile is found at the next interval.
                    await asyncio.sleep(self.policy.poll_seconds)
                elif not busy:
                    await nudged_within(self._nudged, self.policy.poll_seconds)

    async def round(self, client: httpx.AsyncClient) -> bool:
        """One pass; ``True`` when more is waiting right away."""
        self.rounds += 1
        self.idle = not await self._threads.run(self.has_work)
        if self.idle:
            return False
        self.leading = await self._threads.run(self.lead)
        if not self.leading:
            return False
        more = await self._threads.run(self.enqueue)
        jobs = await self._threads.run(self.due, CONCURRENCY)
        if jobs:
            outcomes = await asyncio.gather(*(self.post(client, job) for job in jobs))
            await self._threads.run(self.record_all,
                                  list(zip(jobs, outcomes, strict=True)))
        return more or len(jobs) == CONCURRENCY

    # -- the lease --------------------------------------------------------------------

    def has_work(self) -> bool:
        """A subscription or a pending delivery exists (else no lease is taken: a
        deployment without webhooks writes nothing)."""
        with self.db.reader_engine.connect() as connection:
            return bool(connection.scalar(_HAS_WORK))

    def lead(self) -> bool:
        now = utcnow()
        with self.db.read() as session:
            row = session.get(WebhookLease, LEASE)
            if row is not None:
                expires = aware(row.expires_at)
                if row.holder != self.holder and expires > now:
                    return False
                if row.holder == self.holder and (expires - now).total_seconds() \
                        > self.lease_seconds / 2:
                    return True
        with self.db.write() as session:
            if row is None:  # a database migrated before the row existed
                session.merge(WebhookLease(name=LEASE, holder="", expires_at=now))
                session.flush()
            taken = rows_changed(session.execute(
                update(WebhookLease)
                .where(WebhookLease.name == LEASE,
                       or_(WebhookLease.holder == self.holder, WebhookLease.expires_at <= now))
                .values(holder=self.holder,
                        expires_at=now + timedelta(seconds=self.lease_seconds))
                .execution_options(synchronize_session=False)))
        if taken and not self.leading:
            log.info("this process dispatches webhooks now (%s)", self.holder)
        return taken == 1

    def release(self) -> None:
        with self.db.write() as session:
            session.execute(update(WebhookLease).where(
                WebhookLease.name == LEASE, WebhookLease.holder == self.holder,
            ).values(expires_at=utcnow() - timedelta(seconds=1))
                .execution_options(synchronize_session=False))
        self.leading = False

    # -- from the log to deliveries ---------------------------------------------------

    def enqueue(self) -> bool:
        """Deliveries for the events after each cursor, and the cursors moved on, in one
        transaction; ``True`` when the log had more than one batch waiting."""
        events.number_pending(self.db.writer_engine)
        with self.db.write() as session:
            subscriptions = list(session.scalars(select(WebhookSubscription).where(
                WebhookSubscription.removed_at.is_(None))))
            if not subscriptions:
                return False
            start = min(s.cursor for s in subscriptions)
            rows = session.execute(select(Event.seq, Event.type).where(Event.seq > start)
                                   .order_by(Event.seq).limit(ENQUEUE_BATCH)).all()
            if not rows:
                return False
            last = rows[-1].seq
            for subscription in subscriptions:
                if subscription.cursor >= last:
                    continue
                session.add_all(
                    WebhookDelivery(subscription_id=subscription.id, event_seq=seq,
                                    event_type=type_)
                    for seq, type_ in rows
                    if seq > subscription.cursor and matches(subscription.events, type_))
                moved = rows_changed(session.execute(
                    update(WebhookSubscription)
                    .where(WebhookSubscription.id == subscription.id,
                           WebhookSubscription.cursor == subscription.cursor)
                    .values(cursor=last).execution_options(synchronize_session=False)))
                if moved != 1:  # another dispatcher moved it: ours is stale, take nothing
                    raise RuntimeError("a webhook cursor moved under this dispatcher")
        return len(rows) == ENQUEUE_BATCH

    def due(self, limit: int) -> list[Job]:
        now = utcnow()
        secret = self._core_secret()
        with self.db.read() as session:
            rows = session.execute(
                select(WebhookDelivery.id, WebhookDelivery.attempts, WebhookSubscription.url,
                       WebhookSubscription.secret_salt, Event)
                .join(WebhookSubscription,
                      WebhookSubscription.id == WebhookDelivery.subscription_id)
                .join(Event, Event.seq == WebhookDelivery.event_seq)
                .where(WebhookDelivery.status == "pending",
                       WebhookDelivery.next_attempt_at <= now,
                       WebhookSubscription.removed_at.is_(None))
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(limit)).all()
        return [Job(delivery_id=d_id, attempt=attempts + 1, url=url,
                    secret=secret_for(secret, salt), event_id=f"evt_{event.seq}",
                    event_type=event.type,
                    body=body_of(seq=event.seq, type_=event.type,
                                 created_at=aware(event.created_at), store=event.store_code,
                                 subject=event.subject, data=event.payload))
                for d_id, attempts, url, salt, event in rows]

    # -- posting ----------------------------------------------------------------------

    async def post(self, client: httpx.AsyncClient, job: Job) -> tuple[int | None, str, int]:
        """The receiver's status code (``None`` when none came), an error and the
        duration in milliseconds. Only a 2xx answer counts as delivered."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"Omnitill-Webhooks/{__version__}",
            SIGNATURE_HEADER: sign(job.secret, job.body, int(time.time())),
            "Omnitill-Event-Id": job.event_id,
            "Omnitill-Event-Type": job.event_type,
            "Omnitill-Delivery": str(job.delivery_id),
            "Omnitill-Attempt": str(job.attempt),
        }
        started = time.perf_counter()
        code: int | None = None
        try:
            response = await asyncio.wait_for(
                client.post(job.url, content=job.body, headers=headers),
                self.policy.timeout_seconds)
            code = response.status_code
            error = "" if 200 <= code < 300 else f"the receiver answered {code}"
        except TimeoutError:
            error = f"no answer within {self.policy.timeout_seconds:g} s"
        except Exception as exc:  # noqa: BLE001 - whatever it was, it is this attempt's failure
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return code, error[:200], round((time.perf_counter() - started) * 1000)

    def record_all(self, done: list[tuple[Job, tuple[int | None, str, int]]]) -> None:
        now = utcnow()
        with self.db.write() as session:
            for job, (code, error, duration_ms) in done:
                session.add(WebhookAttempt(delivery_id=job.delivery_id, attempt=job.attempt,
                                           at=now, status_code=code, error=error,
                                           duration_ms=duration_ms))
                values: dict[str, object] = {"attempts": job.attempt,
                                             "last_status_code": code, "last_error": error}
                if not error:
                    values |= {"status": "delivered", "next_attempt_at": None,
                               "finished_at": now}
                elif job.attempt >= self.policy.max_attempts:
                    values |= {"status": "failed", "next_attempt_at": None, "finished_at": now}
                else:
                    values["next_attempt_at"] = now + timedelta(
                        seconds=backoff_seconds(self.policy, job.attempt))
                session.execute(update(WebhookDelivery).where(
                    WebhookDelivery.id == job.delivery_id, WebhookDelivery.status == "pending",
                    WebhookDelivery.attempts == job.attempt - 1,
                ).values(**values).execution_options(synchronize_session=False))
