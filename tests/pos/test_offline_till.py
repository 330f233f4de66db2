"""The till keeps selling when the core stops answering, and the sales reach the core
once it answers again: driven by the cashier's keys against the real core (in
process), with the link cut and restored by the transport."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from pos.app import PosApp, make_pos
from pos.dialogs.receipt import ReceiptDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.offline.banner import OfflineBanner
from pos.screens.sell import SellScreen
from pos.settings import PosSettings
from shared.client import Api
from shared.errors import Unavailable
from shared.printers import PROFILE
from tests.api.helpers import level, set_stock
from tests.pos.pilot import settle, sign_in, status, wait_until

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"


class Link(httpx.AsyncBaseTransport):
    """The network between till and core: ``down`` refuses every connection, as a
    pulled cable or a stopped core does."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.down = inner, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


@pytest.fixture
def link(core_app: Any) -> Link:
    return Link(httpx.ASGITransport(app=core_app))


@pytest.fixture
def offline_till(till_factory: Any, seeded_sqlite: Any, link: Link, printed: list[Any],
                 tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(**settings: Any) -> PosApp:
        till_factory()  # opens the drawer with its float, as the morning's cashier did
        from escpos.printer import Dummy

        def printer() -> Dummy:
            printed.append(Dummy(profile=PROFILE))
            return printed[-1]

        return make_pos(PosSettings(core_url="http://core",
                                    device_token=seeded_sqlite.tokens["MI01"]["pos"],
                                    data_dir=tmp_path / "till", offline_probe_seconds=0.05,
                                    **settings),
                        transport=link, printer_factory=printer)

    return make


def banner(app: PosApp) -> str:
    return str(app.screen.query_one(OfflineBanner).render())


async def _ready(app: PosApp, pilot: Any) -> None:
    assert app.offline is not None
    await wait_until(app, pilot, lambda: app.offline is not None and app.offline.synced
                     and bool(app.offline.till), what="the catalog copied to the till")
    await sign_in(app, pilot)
    assert isinstance(app.screen, SellScreen)


async def _ring(app: PosApp, pilot: Any, *codes: str) -> None:
    for code in codes:
        await pilot.press(*code, "enter")
        await settle(app, pilot)


async def test_a_sale_started_online_finishes_offline_and_reaches_the_core(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite, printed
) -> None:
    for sku in (MOKA, BOOK):
        set_stock(seeded_sqlite.url, "MI01", sku, 10)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        await _ring(app, pilot, MOKA)
        link.down = True
        await _ring(app, pilot, BOOK)
        assert "OFFLINE" in banner(app) and "0 sales waiting" in banner(app)
        assert app.screen.query_one(OfflineBanner).has_class("-offline")
        sell = app.screen
        assert isinstance(sell, SellScreen) and sell.cart is not None
        assert [line.sku for line in sell.cart.lines] == [MOKA, BOOK]
        total = sell.cart.total_cents
        await pilot.press("f2", "enter")  # cash, Enter = the exact amount
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptChoiceDialog)
        # Kept before anything printed: the outbox has it, the drawer has opened.
        assert app.offline.pending == 1
        entry = app.offline.store.pending()[0]
        assert entry.offline_number.endswith("-1")
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptDialog)
        assert entry.offline_number.encode() in printed[-1].output
        await pilot.press("escape")
        await settle(app, pilot)
        assert "1 sale waiting" in banner(app)
        link.down = False
        await wait_until(app, pilot, lambda: app.offline.pending == 0 and not
                         app.offline.active, what="the outbox replayed")
        assert banner(app) == ""
        sent = app.offline.store.entries("sent")
        assert len(sent) == 1 and sent[0].order_number
        order = await app.client.call(Api.order(sent[0].order_number))
    assert order.offline_number == entry.offline_number
    assert order.status == "completed" and order.total_cents == total
    assert sorted((x.sku, x.qty) for x in order.lines) == sorted([(MOKA, 1), (BOOK, 1)])
    assert level(seeded_sqlite.url, "MI01", MOKA) == (9, 0)
    assert level(seeded_sqlite.url, "MI01", BOOK) == (9, 0)


async def test_what_waits_for_the_core_says_so_in_one_sentence(  # type: ignore[no-untyped-def]
    offline_till, link: Link
) -> None:
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        link.down = True
        await _ring(app, pilot, MOKA)
        assert "OFFLINE" in banner(app)
        await pilot.press("f3")  # card: off by default while offline
        await settle(app, pilot)
        assert "Card needs the store system" in status(app)
        await _ring(app, pilot, "OT1:L:123456:abcdef")
        assert "waits for the store system" in status(app)
        assert "waits for the store system" in app.explain(Unavailable("down"))
        assert app.offline is not None and app.offline.pending == 0


async def test_card_offline_within_the_configured_limit(  # type: ignore[no-untyped-def]
    offline_till, link: Link
) -> None:
    app = offline_till(offline_card_limit_cents=100_000, offline_card_daily_cents=100_000)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        link.down = True
        await _ring(app, pilot, MOKA)
        await pilot.press("f3")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptChoiceDialog)
        assert app.offline is not None and app.offline.pending == 1
        assert [p.tender for p in app.offline.store.pending()[0].body.payments] == ["card"]


async def test_offline_sales_need_a_cashier_signed_in_online(  # type: ignore[no-untyped-def]
    offline_till, link: Link
) -> None:
    """No PIN verifiers leave the core: a till that lost the link before anyone
    signed in cannot sign anyone in, so it cannot sell."""
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        assert app.offline is not None
        await wait_until(app, pilot, lambda: app.offline is not None and app.offline.synced,
                         what="the catalog copied")
        link.down = True
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, SellScreen)
        assert app.offline.pending == 0
