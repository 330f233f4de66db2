"""The till's offline copy of the catalog follows the core's event log: a price
changed on the core is the price the till sells at once the link drops, with no
restart; a large change copies the catalog again, with its progress shown."""

from __future__ import annotations

from typing import Any

from core.catalog import writes
from core.db import Database
from pos.offline.banner import banner_text
from pos.offline.catalog_sync import POSITION_AT
from pos.offline.link import OfflineTill
from pos.offline.store import LocalStore
from pos.screens.sell import SellScreen
from tests.api.helpers import set_stock
from tests.pos import test_offline_till as base
from tests.pos.pilot import settle, wait_until
from tests.pos.test_offline_till import MOKA, Link, _ready, _ring, banner

link, offline_till = base.link, base.offline_till  # the fixtures, shared


def _set_price(url: str, sku: str, cents: int) -> None:
    """What a price change on the core does (the ERP's price list, the back office)."""
    db = Database(url)
    try:
        with db.write() as session:
            writes.set_price(session, sku=sku, price_cents=cents)
    finally:
        db.dispose()


def _local_price(app: Any, sku: str) -> int | None:
    product = app.offline.store.product(sku)
    return product.price_cents if product else None


async def test_a_price_changed_on_the_core_is_sold_offline_without_a_restart(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        old = _local_price(app, MOKA)
        assert old is not None
        new = old + 150
        _set_price(seeded_sqlite.url, MOKA, new)
        await wait_until(app, pilot, lambda: _local_price(app, MOKA) == new,
                         what="the new price in the till's own catalog", seconds=30)
        link.down = True  # the core stops answering
        await _ring(app, pilot, MOKA)
        assert "OFFLINE" in banner(app)
        sell = app.screen
        assert isinstance(sell, SellScreen) and sell.cart is not None
        assert [(x.sku, x.unit_price_cents) for x in sell.cart.lines] == [(MOKA, new)]
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        [entry] = app.offline.store.pending()
        assert [p.amount_cents for p in entry.body.payments] == [new]


async def test_a_large_change_copies_the_catalog_again(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        offline = app.offline
        assert offline is not None
        rounds: list[str] = []
        offline.listen(lambda: rounds.append(banner_text(offline)))
        db = Database(seeded_sqlite.url)
        try:
            with db.write() as session:
                writes.set_price(session, sku=MOKA, price_cents=1234)
                writes.catalog_changed(session, [f"SKU{n}" for n in range(
                    writes.REFRESH_OVER + 1)])
        finally:
            db.dispose()
        await wait_until(app, pilot, lambda: _local_price(app, MOKA) == 1234,
                         what="the catalog copied again", seconds=30)
    copying = [text for text in rounds if text.startswith("Copying the catalog")]
    assert copying, "the header showed the copy's progress"
    assert " of " in copying[-1]


def test_progress_line_of_a_first_copy(tmp_path: Any) -> None:
    from pos.settings import PosSettings

    offline = OfflineTill(LocalStore(tmp_path), PosSettings(device_token="x"))
    offline.copied, offline.total = 4_200, 100_000
    assert banner_text(offline) == "Copying the catalog to this till… 4,200 of 100,000 products"


async def test_a_restarted_till_catches_up_from_the_log_instead_of_copying_again(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    async def start(app: Any) -> OfflineTill:
        async with app.run_test(size=(120, 36)) as pilot:
            offline = app.offline
            await wait_until(app, pilot, lambda: offline.synced, what="the catalog ready",
                             seconds=30)
        await app.client.aclose()
        offline.store.close()
        return offline  # type: ignore[no-any-return]

    first = await start(offline_till())
    assert first.copied > 0
    folder = first.store.path.parent
    _set_price(seeded_sqlite.url, MOKA, 777)  # while the till is off
    offline = await start(offline_till())
    assert offline.copied == 0, "no second copy"
    store = LocalStore(folder)
    product = store.product(MOKA)
    assert product is not None and product.price_cents == 777
    # A core restored from a backup no longer has the event the till stopped at.
    store.put(POSITION_AT, "1999-01-01T00:00:00+00:00")
    store.close()
    offline = await start(offline_till())
    assert offline.copied > 0, "copied again"
