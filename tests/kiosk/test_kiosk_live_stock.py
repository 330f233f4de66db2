"""Live stock on the kiosk's product screen, as a shopper sees it.

Two findings of the fresh-clone failure (issue 18): the product screen read the
event log from its start (so its view of stock lagged further behind as the
log grew), and it counted the shopper's own basket twice (the core's
"available" already leaves out what this basket holds), so "Add" went grey
while the shelf still had one for them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Button, Static

from core.db import Database
from core.events.service import emit
from kiosk.app import make_kiosk
from kiosk.screens.product import ProductScreen
from kiosk.settings import KioskSettings
from shared.client import Api, AsyncCommerceClient
from shared.schemas.orders import Contact, LineIn, OrderCreate
from tests.api.helpers import key, set_stock
from tests.e2e.server import running_core
from tests.pos.pilot import settle, tap, wait_until
from tests.support import SECRET, Seeded

SKU = "HO-MOK-05"


def _stock_text(app) -> str:  # type: ignore[no-untyped-def]
    found = app.screen.query("#stock").results(Static)
    return "".join(str(widget.render()) for widget in found)


async def test_the_shoppers_own_basket_does_not_hide_the_last_unit(kiosk_factory,  # type: ignore[no-untyped-def]
                                                                   seeded_sqlite) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 2)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 50)) as pilot:
        app.push_screen(ProductScreen(SKU))
        await settle(app, pilot)
        await tap(app, pilot, "#add")
        # The basket now holds one of the two: the screen says one is left here…
        await wait_until(app, pilot, lambda: "Available here: 1" in _stock_text(app),
                         what="the stock line to count the basket's reservation")
        # …and the shopper can still take it.
        assert not app.screen.query_one("#add", Button).disabled
        await tap(app, pilot, "#add")
        await wait_until(app, pilot, lambda: app.basket_count() == 2, what="two in the basket")
        await wait_until(app, pilot, lambda: "Available here: 0" in _stock_text(app),
                         what="nothing left here")
        assert app.screen.query_one("#add", Button).disabled


def _old_events(url: str, count: int) -> None:
    """A core that has been running a while: its log already holds many events."""
    db = Database(url)
    try:
        with db.write() as session:
            for i in range(count):
                emit(session, "stock.changed", store="RM01", subject=f"OLD-{i % 50}",
                     sku=f"OLD-{i % 50}", location="RM01")
    finally:
        db.dispose()


@pytest.mark.slow
async def test_a_sale_elsewhere_shows_on_an_open_product_at_once_however_long_the_log(
    seeded_sqlite: Seeded, tmp_path: Path,
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 3)
    _old_events(seeded_sqlite.url, 3_000)
    with running_core(seeded_sqlite.url, tmp_path, secret=SECRET) as base:
        app = make_kiosk(KioskSettings(core_url=base, language="en",
                                       device_token=seeded_sqlite.tokens["MI01"]["kiosk"]))
        async with app.run_test(size=(120, 50)) as pilot:
            app.push_screen(ProductScreen(SKU))
            await wait_until(app, pilot, lambda: "Available here: 3" in _stock_text(app),
                             what="the product's stock")
            async with AsyncCommerceClient(base, seeded_sqlite.tokens["WEB"]["web"]) as web:
                await web.call(Api.place_order(OrderCreate(
                    lines=[LineIn(sku=SKU, qty=1)], fulfilment="pickup", pickup_store="MI01",
                    contact=Contact(name="Giulia Rossi", email="g@example.com")), key()))
            sold = time.monotonic()
            await wait_until(app, pilot, lambda: "Available here: 2" in _stock_text(app),
                             what="the web sale to show", seconds=5)
            print(f"stock change visible on the kiosk after {time.monotonic() - sold:.2f} s")
            # Only the screen in front follows: nothing polls behind it.
            assert not [w for w in app.workers if w.is_running and w.node is not app
                        and w.group == "follow"]
