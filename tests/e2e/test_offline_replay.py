"""Offline till, end to end: a real core on a free port is stopped and started again
under a real till; sales made meanwhile reach it exactly once, whatever dies when."""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from escpos.printer import Dummy
from sqlalchemy import func, select

from core.db import Database
from core.orders.models import Order
from core.stock.models import StockMovement
from pos.app import PosApp, make_pos
from pos.dialogs.receipt import ReceiptDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.offline.link import OfflineTill
from pos.offline.replay import replay
from pos.offline.store import LocalStore
from pos.screens.sell import SellScreen
from pos.settings import PosSettings
from shared.client import Api, AsyncCommerceClient, CommerceClient
from shared.printers import PROFILE
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from tests.api.helpers import level, set_stock, sign_in, web_pickup
from tests.e2e.server import running_core
from tests.pos.pilot import settle, wait_until
from tests.pos.pilot import sign_in as type_pin
from tests.support import SECRET, Seeded

pytestmark = pytest.mark.slow

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"


def _orders_numbered(url: str, *numbers: str) -> dict[str, int]:
    """How many orders the core holds for each offline number."""
    db = Database(url)
    try:
        with db.read() as session:
            rows = session.execute(select(Order.offline_number, func.count())
                                   .where(Order.offline_number.in_(numbers))
                                   .group_by(Order.offline_number)).all()
    finally:
        db.dispose()
    return {number: count for number, count in rows}


def _order_count(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as session:
            return int(session.scalar(select(func.count()).select_from(Order)) or 0)
    finally:
        db.dispose()


def _till(base: str, token: str, data_dir: Path, printed: list[Dummy]) -> PosApp:
    def printer() -> Dummy:
        printed.append(Dummy(profile=PROFILE))
        return printed[-1]

    return make_pos(PosSettings(core_url=base, device_token=token, data_dir=data_dir,
                                offline_probe_seconds=0.1), printer_factory=printer)


def _open_drawer(base: str, token: str) -> str:
    """The supervisor opens the till for the day; returns a cashier's sign-in."""
    with CommerceClient(base, token) as till:
        sign_in(till, "2222")
    with CommerceClient(base, token) as till:
        return sign_in(till, "1111", open_till=False).staff_token or ""


async def test_a_sale_finished_offline_reaches_the_core_once_after_the_till_dies(
    seeded: Seeded, tmp_path: Path
) -> None:
    token = seeded.tokens["MI01"]["pos"]
    data_dir, printed = tmp_path / "till", []
    for sku in (MOKA, BOOK):
        set_stock(seeded.url, "MI01", sku, 10)
    before = _order_count(seeded.url)

    with contextlib.ExitStack() as core:
        base = core.enter_context(running_core(seeded.url, tmp_path, secret=SECRET))
        _open_drawer(base, token)
        app = _till(base, token, data_dir, printed)
        async with app.run_test(size=(120, 36)) as pilot:
            offline = app.offline
            assert offline is not None
            await wait_until(app, pilot, lambda: offline.synced and bool(offline.till),
                             what="the catalog copied to the till", seconds=30)
            await type_pin(app, pilot)
            assert isinstance(app.screen, SellScreen)
            await pilot.press(*MOKA, "enter")
            await settle(app, pilot)
            core.close()  # the core stops (terminated) with the sale on the screen
            await pilot.press(*BOOK, "enter")
            await settle(app, pilot)
            assert offline.active
            await pilot.press("f2", "enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReceiptChoiceDialog)
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, ReceiptDialog)
            number = offline.store.pending()[0].offline_number
            assert number.encode() in printed[-1].output
        await app.client.aclose()
        # The till is dropped here with its sale only in its outbox (as if killed).

    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        app = _till(base, token, data_dir, printed)
        async with app.run_test(size=(120, 36)) as pilot:
            offline = app.offline
            assert offline is not None and offline.pending == 1
            await wait_until(app, pilot, lambda: offline.pending == 0, seconds=15,
                             what="the outbox replayed after the restart")
        await app.client.aclose()
        assert _orders_numbered(seeded.url, number) == {number: 1}
        with CommerceClient(base, token) as reader:
            sign_in(reader, open_till=False)
            sent = LocalStore(data_dir).entries("sent")
            order = reader.call(Api.order(sent[0].order_number or ""))
        assert order.offline_number == number and order.status == "completed"
        assert sorted(x.sku for x in order.lines) == sorted([MOKA, BOOK])
        assert level(seeded.url, "MI01", MOKA) == (9, 0)
        assert level(seeded.url, "MI01", BOOK) == (9, 0)

        # A further restart replays nothing.
        app = _till(base, token, data_dir, printed)
        async with app.run_test(size=(120, 36)) as pilot:
            offline = app.offline
            assert offline is not None and offline.pending == 0
            await wait_until(app, pilot, lambda: offline.synced, what="a full round",
                             seconds=30)
        await app.client.aclose()
    assert _orders_numbered(seeded.url, number) == {number: 1}
    assert _order_count(seeded.url) == before + 1


class LosesAnswers(httpx.AsyncBaseTransport):
    """The core gets the request and answers, but after ``deliver`` answers the till
    dies before reading one: the answer is lost and nothing more is sent."""

    def __init__(self, deliver: int) -> None:
        self.inner, self.deliver = httpx.AsyncHTTPTransport(), deliver

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.deliver < 0:
            raise httpx.ConnectError("the till is dead", request=request)
        response = await self.inner.handle_async_request(request)
        await response.aread()
        if request.url.path == "/v1/orders":
            self.deliver -= 1
            if self.deliver < 0:
                raise httpx.ReadError("killed before the answer was read", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def _queue(store: LocalStore, staff: str, sku: str, count: int, price: int) -> list[str]:
    offline = OfflineTill(store, PosSettings(device_token="x"))
    offline.till = "MI01TILL"
    numbers = []
    for _ in range(count):
        entry = offline.keep(key=uuid.uuid4().hex, staff_token=staff, build=lambda n: (
            OrderCreate(lines=[LineIn(sku=sku, qty=1)], offline=True,
                        sold_at=datetime.now(UTC), offline_number=n,
                        payments=[PaymentIn(tender="cash", amount_cents=price)])))
        numbers.append(entry.offline_number)
    return numbers


async def test_a_replay_killed_midway_ends_with_every_sale_once(seeded: Seeded,
                                                                tmp_path: Path) -> None:
    token = seeded.tokens["MI01"]["pos"]
    set_stock(seeded.url, "MI01", MOKA, 50)
    store = LocalStore(tmp_path / "till")
    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        staff = _open_drawer(base, token)
        with CommerceClient(base, token) as reader:
            price = reader.call(Api.product(MOKA)).price_cents
        numbers = _queue(store, staff, MOKA, 20, price)
        assert store.count() == 20
        # First attempt: 8 answers read, the 9th sale reaches the core but its answer
        # is lost as the till dies.
        async with AsyncCommerceClient(base, token, transport=LosesAnswers(8)) as client:
            result = await replay(client, store)
        assert result.sent == 8 and result.stopped is not None and store.count() == 12
        # The till comes back and finishes the job.
        async with AsyncCommerceClient(base, token) as client:
            result = await replay(client, store)
        assert result.sent == 12 and result.refused == 0 and store.count() == 0
    counts = _orders_numbered(seeded.url, *numbers)
    assert sorted(counts) == sorted(numbers)
    assert Counter(counts.values()) == Counter({1: 20}), "0 duplicates"
    assert level(seeded.url, "MI01", MOKA) == (30, 0)


async def test_an_item_sold_out_elsewhere_during_the_outage_is_accepted_and_noted(
    seeded: Seeded, tmp_path: Path
) -> None:
    token = seeded.tokens["MI01"]["pos"]
    set_stock(seeded.url, "MI01", MOKA, 1)
    for other in ("RM01", "WH01"):
        set_stock(seeded.url, other, MOKA, 0)
    store = LocalStore(tmp_path / "till")
    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        staff = _open_drawer(base, token)
        with CommerceClient(base, token) as reader:
            price = reader.call(Api.product(MOKA)).price_cents
        # The till sold the last moka offline; meanwhile the web shop sold it too.
        [number] = _queue(store, staff, MOKA, 1, price)
        with CommerceClient(base, seeded.tokens["WEB"]["web"]) as web:
            web.call(Api.place_order(web_pickup(MOKA, 1), uuid.uuid4().hex))
        assert level(seeded.url, "MI01", MOKA) == (1, 1)
        async with AsyncCommerceClient(base, token) as client:
            result = await replay(client, store)
            assert result.sent == 1 and result.refused == 0
            client.staff_token = staff
            noted = await client.call(Api.events(types="stock.discrepancy"))
    assert _orders_numbered(seeded.url, number) == {number: 1}
    assert [e.subject for e in noted if e.subject == MOKA] == [MOKA]
    db = Database(seeded.url)
    try:
        with db.read() as session:
            corrections = list(session.scalars(select(StockMovement.delta).where(
                StockMovement.sku == MOKA, StockMovement.reason == "count_correction")))
    finally:
        db.dispose()
    assert corrections == [1]
    assert level(seeded.url, "MI01", MOKA) == (1, 1)  # the web's unit still waits for pickup
