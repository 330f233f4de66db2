"""The basket's life on the core (issue 12, items 7 and 12): a basket that ran
out of time is started again with what it held, not answered "start a new one"
by every button; a basket left behind gives its stock back at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from core.carts.models import Cart
from core.db import Database
from core.timeutil import utcnow
from kiosk.screens.basket import BasketScreen
from kiosk.screens.handoff import HandoffScreen
from kiosk.screens.product import ProductScreen
from shared.client import Api
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, tap, wait_until

SKU = "HO-MOK-05"


def expire(url: str, cart_id: str) -> None:
    """Fifteen minutes pass (the core expires a basket lazily, on its next use)."""
    db = Database(url)
    try:
        with db.write() as session:
            session.execute(update(Cart).where(Cart.id == cart_id)
                            .values(expires_at=utcnow() - timedelta(seconds=1)))
    finally:
        db.dispose()


async def add_one(app, pilot) -> None:  # type: ignore[no-untyped-def]
    count = app.basket_count()
    await tap(app, pilot, "#add")
    await wait_until(app, pilot, lambda: app.basket_count() == count + 1, what="one more")
    await settle(app, pilot)


async def open_product(app, pilot) -> None:  # type: ignore[no-untyped-def]
    app.push_screen(ProductScreen(SKU))
    await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                     and app.screen.availability is not None, what="the product")
    await settle(app, pilot)


async def test_an_expired_basket_is_started_again_with_what_it_held(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 5)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot)
        await add_one(app, pilot)
        old = app.cart.id
        expire(seeded_sqlite.url, old)
        await add_one(app, pilot)
        assert app.cart.id != old and app.cart.status == "open"
        assert app.qty_of(SKU) == 2
        assert any("started it again" in n.message for n in app._notifications)
        # And paying at the till after another timeout hands over a live basket.
        expire(seeded_sqlite.url, app.cart.id)
        app.action_basket()
        await settle(app, pilot)
        await tap(app, pilot, "#pay")
        await wait_until(app, pilot, lambda: isinstance(app.screen, HandoffScreen),
                         what="the basket's code for the till")


async def test_a_basket_left_behind_gives_its_stock_back_at_once(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", SKU, 2)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_product(app, pilot)
        await add_one(app, pilot)
        cart_id = app.cart.id
        here = (await app.client.call(Api.availability(SKU))).here
        assert here is not None and here.available == 1
        app.action_basket()
        await settle(app, pilot)
        assert isinstance(app.screen, BasketScreen)
        app.action_reset()  # what the idle watch does when nobody answers
        await settle(app, pilot)
        assert app.cart is None
        assert (await app.client.call(Api.cart(cart_id))).status == "abandoned"
        here = (await app.client.call(Api.availability(SKU))).here
        assert here is not None and here.available == 2
