"""Live events at scale: one reader of the log per process, fanned out to every stream.

Each follower of ``GET /v1/events`` must still get exactly its device's slice of
the log (what ``GET /v1/events/recent`` gives the same device), in order, once,
and resume from ``Last-Event-ID`` without a gap; and however many follow, the
process reads the log once per poll interval, not once per follower.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import event

from core.app import create_app
from core.db import Database
from core.events.hub import EventHub
from core.events.service import emit
from core.settings import CoreSettings
from shared.client import Api, AsyncCommerceClient, CommerceClient
from shared.events import afollow_events
from shared.schemas.orders import AdjustmentIn, CartCreate, CartLineSet, EventOut
from tests.api.helpers import key, sign_in, web_pickup
from tests.e2e.server import free_port, running_core
from tests.support import SECRET, Seeded, wait_for_async

DEVICES = (("MI01", "pos"), ("RM01", "pos"), ("MI01", "kiosk"), ("WEB", "web"))


async def _until(check: Callable[[], bool], what: str, seconds: float = 15) -> None:
    await wait_for_async(check, what, seconds)


def _make_events(base: str, tokens: dict[str, dict[str, str]], sku: str, round_: int) -> None:
    """Stock changes in two stores, a web order and a kiosk basket: each device
    sees a different part of them."""
    with (CommerceClient(base, tokens["MI01"]["pos"]) as milan,
          CommerceClient(base, tokens["RM01"]["pos"]) as rome,
          CommerceClient(base, tokens["WEB"]["web"]) as web,
          CommerceClient(base, tokens["MI01"]["kiosk"]) as kiosk):
        sign_in(milan, "2222", open_till=False).call(Api.adjust_stock(AdjustmentIn(
            location="MI01", sku=sku, reason="receipt", qty=5 + round_)))
        sign_in(rome, "4222", open_till=False).call(Api.adjust_stock(AdjustmentIn(
            location="RM01", sku=sku, reason="receipt", qty=3)))
        web.call(Api.place_order(web_pickup(sku), key()))
        cart = kiosk.call(Api.create_cart(CartCreate()))
        kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1)))


async def _follow(base: str, token: str, after: int, into: list[EventOut],
                  stop_after: int | None = None) -> None:
    async with AsyncCommerceClient(base, token) as client:
        async for item in afollow_events(client, after=after, retry_seconds=0.1):
            into.append(item)
            if stop_after is not None and len(into) >= stop_after:
                return


@pytest.mark.slow
async def test_each_device_gets_its_slice_in_order_once_and_resumes(
        seeded: Seeded, tmp_path: Path) -> None:
    tokens = seeded.tokens
    with running_core(seeded.url, tmp_path, secret=SECRET) as base, ExitStack() as stack:
        clients = {d: stack.enter_context(CommerceClient(base, tokens[d[0]][d[1]]))
                   for d in DEVICES}
        start = max((e.seq for e in clients["MI01", "pos"].call(Api.events(limit=1000))),
                    default=0)
        sku = clients["MI01", "pos"].call(Api.products(limit=1)).items[0].sku
        got: dict[tuple[str, str], list[EventOut]] = {d: [] for d in DEVICES}
        followers = [asyncio.create_task(_follow(base, tokens[d[0]][d[1]], start, got[d]))
                     for d in DEVICES if d != ("MI01", "kiosk")]
        # the kiosk's follower leaves after its first events and resumes later
        kiosk = ("MI01", "kiosk")
        first = asyncio.create_task(_follow(base, tokens["MI01"]["kiosk"], start, got[kiosk],
                                            stop_after=2))
        await asyncio.to_thread(_make_events, base, tokens, sku, 0)
        await first
        await asyncio.to_thread(_make_events, base, tokens, sku, 1)
        resumed = asyncio.create_task(_follow(base, tokens["MI01"]["kiosk"],
                                              got[kiosk][-1].seq, got[kiosk]))
        await asyncio.to_thread(_make_events, base, tokens, sku, 2)

        expected = {d: [e.seq for e in clients[d].call(Api.events(after=start, limit=1000))]
                    for d in DEVICES}
        try:
            for d in DEVICES:
                await _until(lambda d=d: len(got[d]) >= len(expected[d]),  # type: ignore[misc]
                             f"{d}'s {len(expected[d])} events")
        finally:
            for task in (*followers, resumed):
                task.cancel()
            await asyncio.gather(*followers, resumed, return_exceptions=True)
        for d in DEVICES:  # (a stream is in order: a repeat would show before the last)
            assert [e.seq for e in got[d]] == expected[d], d
        kinds = {d: {e.type for e in got[d]} for d in DEVICES}
        assert "cart.updated" in kinds["MI01", "kiosk"]
        assert "cart.updated" not in kinds["WEB", "web"]
        assert any(t.startswith("order.") for t in kinds["WEB", "web"])
        assert not any(t.startswith("order.") for t in kinds["MI01", "kiosk"])
        assert {e.store for e in got["RM01", "pos"]} <= {"RM01", None}
        assert "RM01" not in {e.store for e in got["MI01", "pos"]}


@contextmanager
def _core_in_thread(url: str, tmp_path: Path, poll: float) -> Iterator[tuple[str, Database]]:
    """A real uvicorn on a socket, in this process, so the test can count its SQL."""
    db = Database(url)
    settings = CoreSettings(database_url=url, var_dir=tmp_path, secret=SECRET,
                            event_poll_seconds=poll)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, database=db), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert time.monotonic() < deadline, "the core did not start"
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}", db
    finally:
        server.should_exit = True
        thread.join(15)
        db.dispose()


async def test_many_followers_cost_one_read_of_the_log_per_interval(
        seeded_sqlite: Seeded, tmp_path: Path) -> None:
    followers, poll, window = 20, 0.05, 1.0
    reads: list[float] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM events" in statement:
            reads.append(time.monotonic())

    with _core_in_thread(seeded_sqlite.url, tmp_path, poll) as (base, db):
        for engine in {db.reader_engine, db.writer_engine}:
            event.listen(engine, "before_cursor_execute", count)
        connected = [asyncio.Event() for _ in range(followers)]

        async def follow(client: httpx.AsyncClient, ready: asyncio.Event, token: str) -> None:
            async with client.stream("GET", "/v1/events",
                                     headers={"Authorization": f"Bearer {token}"}) as response:
                async for line in response.aiter_lines():
                    if line.startswith(":"):
                        ready.set()

        token = seeded_sqlite.tokens["MI01"]["kiosk"]
        async with httpx.AsyncClient(base_url=base, timeout=None) as client:
            tasks = [asyncio.create_task(follow(client, ready, token)) for ready in connected]
            try:
                await _until(lambda: all(c.is_set() for c in connected), "every stream")
                await asyncio.sleep(2 * poll)
                began = time.monotonic()
                await asyncio.sleep(window)
                during = [t for t in reads if began <= t <= began + window]
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
    # one reader: about window / poll reads, where one per follower would be 20x that
    assert len(during) <= 1.5 * window / poll + 3, len(during)
    assert len(during) >= 0.3 * window / poll, len(during)


async def test_a_follower_that_falls_behind_is_dropped_not_waited_for(
        seeded_sqlite: Seeded) -> None:
    db = Database(seeded_sqlite.url)
    hub = EventHub(db, poll_seconds=0.02, queue_size=3)
    try:
        slow, _ = await hub.join(lambda e: True)
        behind, _ = await hub.join(lambda e: True)
        hub.queue_size = 100
        quick, joined_at = await hub.join(lambda e: True)

        def write(n: int) -> None:
            with db.write() as session:
                for i in range(n):
                    emit(session, "stock.changed", store="MI01", subject=f"SKU-{i}")

        await asyncio.to_thread(write, 5)
        await _until(lambda: quick.queue.qsize() == 5, "the quick follower's 5 events")
        assert slow.overflowed and behind.overflowed and not quick.overflowed
        assert hub.followers == 1  # the others no longer get anything queued
        assert [slow.queue.get_nowait().seq for _ in range(3)] == \
            [joined_at + 1, joined_at + 2, joined_at + 3]  # what it got is in order
    finally:
        await hub.close()
        db.dispose()


async def test_a_stream_that_falls_behind_sends_what_it_has_then_asks_to_reconnect(
        seeded_sqlite: Seeded, tmp_path: Path) -> None:
    db = Database(seeded_sqlite.url)
    app = create_app(CoreSettings(database_url=seeded_sqlite.url, var_dir=tmp_path,
                                  secret=SECRET, event_poll_seconds=0.02), database=db)
    app.state.events.queue_size = 3
    bodies: list[bytes] = []
    ended = asyncio.Event()
    gate = asyncio.Event()  # the client's socket, full until set

    async def receive() -> dict[str, Any]:
        await ended.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body":
            bodies.append(message.get("body", b""))
            if b"id:" in message.get("body", b""):
                await gate.wait()
            if not message.get("more_body", False):
                ended.set()

    def write(n: int) -> None:
        with db.write() as session:
            for i in range(n):
                emit(session, "stock.changed", store="MI01", subject=f"SKU-{i}")

    token = seeded_sqlite.tokens["MI01"]["kiosk"]
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/v1/events", "raw_path": b"/v1/events",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80),
             "headers": [(b"host", b"core"), (b"authorization", f"Bearer {token}".encode())]}
    stream = asyncio.create_task(app(scope, receive, send))
    try:
        await _until(lambda: app.state.events.followers == 1, "the stream to join")
        await asyncio.to_thread(write, 1)
        await _until(lambda: any(b"id:" in b for b in bodies), "the first event")
        await asyncio.to_thread(write, 5)  # 1 being sent, 3 queued, then no room
        await _until(lambda: app.state.events.followers == 0, "the stream to be dropped")
        gate.set()
        await asyncio.wait_for(stream, 10)
    finally:
        stream.cancel()
        await app.state.events.close()
        db.dispose()
    text = b"".join(bodies).decode()
    ids = [int(line[3:]) for line in text.splitlines() if line.startswith("id:")]
    assert len(ids) == 4 and ids == sorted(ids) and ids[-1] - ids[0] == 3
    # and the last thing sent, with the delay to retry after: reconnect from the last id
    assert text.rstrip().endswith(": fell behind: reconnect with Last-Event-ID\r\nretry: 1000")
