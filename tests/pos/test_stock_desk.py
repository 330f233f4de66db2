"""The stock desk (issue 15, item 3), driven key by key at the MI01 till against the
real core: what the stock API can do, a store does from the till with the scanner.

The levels are checked in the core's database afterwards, not only on screen: a
desk that shows a number the core does not hold is the bug that matters.
"""

from __future__ import annotations

from sqlalchemy import select
from textual.app import App
from textual.pilot import Pilot

from core.db import Database
from core.stock.models import Transfer
from shared.client import Api
from shared.schemas.orders import PaymentIn
from tests.api.helpers import key, level, set_stock, warehouse_moves, web_pickup
from tests.pos.pilot import settle, sign_in, status, text_of

MOKA = "HO-MOK-05"
SIZE = (130, 36)


def _on(app: App[None], name: str) -> bool:
    """Which screen or dialog is in front, by class name."""
    return type(app.screen).__name__ == name


async def _open_desk(app: App[None], pilot: Pilot[None], pin: str, sku: str) -> None:
    """Sign in, open the desk with Ctrl+K and scan ``sku`` onto it."""
    await sign_in(app, pilot, pin)
    await pilot.press("ctrl+k")
    await settle(app, pilot)
    assert _on(app, "StockDeskScreen"), (type(app.screen).__name__, [
        str(label.render()) for label in app.screen.query("Label")])
    await pilot.press(*sku, "enter")
    await settle(app, pilot)


async def _type(app: App[None], pilot: Pilot[None], *keys: str) -> None:
    await pilot.press(*keys, "enter")
    await settle(app, pilot)


async def test_a_cashier_counts_an_item_with_a_supervisors_pin(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 20)
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await _open_desk(app, pilot, "1111", MOKA)
        assert "On hand 20" in text_of(app, "#level")
        assert "Available 20" in text_of(app, "#level")
        await pilot.press("f2")
        await settle(app, pilot)
        assert _on(app, "QuantityDialog")
        await _type(app, pilot, "1", "7")
        assert _on(app, "SupervisorDialog"), "a cashier's count needs a supervisor"
        await _type(app, pilot, *"2222")
        assert _on(app, "StockDeskScreen")
        assert "Counted" in status(app) and "17" in status(app)
        assert "On hand 17" in text_of(app, "#level")
    assert level(seeded_sqlite.url, "MI01", MOKA) == (17, 0)


async def test_without_the_pin_nothing_changes_and_the_refusal_is_said(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 20)
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await _open_desk(app, pilot, "1111", MOKA)
        await pilot.press("f4")
        await settle(app, pilot)
        await _type(app, pilot, "3")
        assert _on(app, "SupervisorDialog")
        await pilot.press("escape")
        await settle(app, pilot)
        assert _on(app, "StockDeskScreen")
        assert "supervisor" in status(app).lower()
    assert level(seeded_sqlite.url, "MI01", MOKA) == (20, 0)


async def test_a_supervisor_books_goods_received_and_damage(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await _open_desk(app, pilot, "2222", MOKA)
        await pilot.press("f3")
        await settle(app, pilot)
        await _type(app, pilot, "5")
        assert "Goods received: 5" in status(app) and "on hand now 15" in status(app)
        assert level(seeded_sqlite.url, "MI01", MOKA) == (15, 0)
        await pilot.press("f4")
        await settle(app, pilot)
        await _type(app, pilot, "0")
        assert _on(app, "QuantityDialog"), "damage of nothing is refused in the dialog"
        await pilot.press("backspace")
        await _type(app, pilot, "2")
        assert "Damage written off: 2" in status(app)
        assert "On hand 13" in text_of(app, "#level")
    assert level(seeded_sqlite.url, "MI01", MOKA) == (13, 0)


async def test_a_supervisor_sends_a_transfer_to_the_warehouse(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    set_stock(seeded_sqlite.url, "WH01", MOKA, 0)
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await _open_desk(app, pilot, "2222", MOKA)
        await pilot.press("f5")
        await settle(app, pilot)
        assert _on(app, "SendTransferDialog")
        await pilot.press(*"wh01", "enter", "3", "enter")
        await settle(app, pilot)
        assert "on its way to WH01" in status(app)
        assert "On hand 7" in text_of(app, "#level")
    assert level(seeded_sqlite.url, "MI01", MOKA) == (7, 0)
    db = Database(seeded_sqlite.url)
    try:
        with db.read() as session:
            sent = session.scalars(select(Transfer).where(Transfer.from_location == "MI01")).one()
            assert (sent.to_location, sent.status) == ("WH01", "in_transit")
    finally:
        db.dispose()


async def test_receiving_a_ship_to_store_transfer_makes_its_pickup_ready(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 0)
    set_stock(seeded_sqlite.url, "WH01", MOKA, 5)
    web = core_client("WEB", "web")
    order = await web.call(Api.place_order(web_pickup(MOKA, 2, fulfilment="ship_to_store"),
                                           key()))
    await web.call(Api.pay(order.number, PaymentIn(tender="card",
                                                   amount_cents=order.total_cents)))
    await web.aclose()
    warehouse_moves(seeded_sqlite.url, order.number, "picking", "shipped")
    db = Database(seeded_sqlite.url)
    try:
        with db.read() as session:
            number = session.scalars(select(Transfer.number).where(
                Transfer.order_number == order.number)).one()
    finally:
        db.dispose()
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(app, pilot, "1111")  # receiving goods is a cashier's job too
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert _on(app, "ReceiveTransferDialog")
        await _type(app, pilot, *number.lower())
        assert _on(app, "StockDeskScreen")
        said = status(app)
        assert number in said and order.number in said and "ready for pickup" in said
        client = app.client  # type: ignore[attr-defined]
        assert (await client.call(Api.order(order.number))).status == "ready_for_pickup"
        told = await client.call(Api.events(store="MI01", types="order.ready_for_pickup"))
        assert order.number in {event.subject for event in told}
        # Scanning the same transfer again is refused in plain words.
        await _type(app, pilot, *number)
        assert "already received" in status(app)
    assert level(seeded_sqlite.url, "MI01", MOKA) == (2, 2)
