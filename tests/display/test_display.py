"""The customer display following its till's sales live, against a real core."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from textual.widgets import Digits

import pos.display.screens.customer as customer_screen
from pos.display import DisplayApp, make_display
from pos.display.mirror import GoIdle, ShowCart, ShowOrder, masked, step_for
from pos.settings import PosSettings
from shared.client import Api
from shared.schemas.orders import (
    CartCreate,
    CartLineSet,
    EventOut,
    OrderCreate,
    OrderOut,
    PaymentIn,
)
from tests.display.helpers import (
    decode_qr_on_screen,
    sale_key,
    screen_text,
    start_following,
    wait_for_text,
    wait_until,
    watch_streams,
)
from tests.e2e.server import free_port

SIZE = (80, 30)


def _total(app: DisplayApp) -> str:
    return str(app.screen.query_one("#sale-total", Digits).value)


@pytest.mark.slow
async def test_display_follows_a_sale_live(display_factory, device) -> None:  # type: ignore[no-untyped-def]
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=SIZE) as pilot, device("MI01", "pos") as till:
        await start_following(pilot, streams)
        assert "Milano" in screen_text(app)

        cart = await till.call(Api.create_cart())
        await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="HO-MOK-05", qty=2)))
        cart = await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="BK-NOV-02", qty=1)))
        first, second = cart.lines
        await wait_for_text(pilot, first.name, second.name)
        await wait_until(pilot, lambda: _total(app) == app.money(cart.total_cents),
                         "the total")

        rossi = (await till.call(Api.customers("rossi")))[0]
        cart = await till.call(Api.set_cart_customer(cart.id, rossi.id))
        assert cart.points_to_earn and cart.points_balance is not None
        text = await wait_for_text(pilot, f"You will earn {cart.points_to_earn} points",
                                   f"Balance: {cart.points_balance} points")
        assert f"Hello {cart.customer_name}" in text
        assert app.money(first.unit_price_cents) in text and app.money(first.total_cents) in text

        order = await till.call(Api.place_order(OrderCreate(cart_id=cart.id), sale_key()))
        await till.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=1000)))
        due = order.total_cents - 1000
        text = await wait_for_text(pilot, f"Paid {app.money(1000)} · Still due {app.money(due)}")
        # The till reads the order's customer in full; the shopper's screen does not.
        assert f"Hello {cart.customer_name}" in text and rossi.name not in text

        paid = await till.call(Api.pay(order.number, PaymentIn(
            tender="cash", amount_cents=due, tendered_cents=due + 500)))
        assert paid.status == "completed" and paid.receipt_code
        text = await wait_for_text(pilot, "Thank you!", "Scan for your receipt")
        assert f"Your change: {app.money(500)}" in text
        assert f"You earned {paid.points_earned} points" in text
        assert f"Balance: {paid.points_balance} points" in text
        assert decode_qr_on_screen(app, "#receipt-qr") == [paid.receipt_code]
        assert "Traceback" not in text


@pytest.mark.slow
async def test_sales_of_other_devices_are_not_shown(display_factory, device) -> None:  # type: ignore[no-untyped-def]
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=SIZE) as pilot, device("MI01", "kiosk") as kiosk, \
            device("MI01", "pos") as till:
        await start_following(pilot, streams)
        basket = await kiosk.call(Api.create_cart(CartCreate()))
        basket = await kiosk.call(Api.set_cart_line(basket.id, CartLineSet(sku="BK-NOV-02",
                                                                          qty=1)))
        # Events arrive in order: once the till's line is up, the kiosk's basket
        # has been seen, and passed over.
        cart = await till.call(Api.create_cart())
        cart = await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="HO-MOK-05", qty=1)))
        text = await wait_for_text(pilot, cart.lines[0].name)
        assert basket.lines[0].name not in text
        assert _total(app) == app.money(cart.total_cents)


async def _sell(till, sku: str) -> OrderOut:  # type: ignore[no-untyped-def]
    cart = await till.call(Api.create_cart())
    await till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1)))
    order = await till.call(Api.place_order(OrderCreate(cart_id=cart.id), sale_key()))
    return await till.call(Api.pay(order.number, PaymentIn(  # type: ignore[no-any-return]
        tender="cash", amount_cents=order.due_cents)))


@pytest.mark.slow
async def test_the_thanks_gives_way_to_the_next_sale_or_the_welcome(  # type: ignore[no-untyped-def]
    display_factory, device, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(customer_screen, "THANKS_SECONDS", 1.0)
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=SIZE) as pilot, device("MI01", "pos") as till:
        await start_following(pilot, streams)
        await _sell(till, "HO-MOK-05")
        await wait_for_text(pilot, "Thank you!")
        cart = await till.call(Api.create_cart())
        cart = await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="BK-NOV-02", qty=1)))
        text = await wait_for_text(pilot, cart.lines[0].name)
        assert "Thank you!" not in text
        await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="BK-NOV-02", qty=0)))
        await wait_for_text(pilot, "Welcome")
        await _sell(till, "HO-MOK-05")
        await wait_for_text(pilot, "Thank you!")
        text = await wait_for_text(pilot, "Welcome")
        assert "Thank you!" not in text


@pytest.mark.slow
async def test_a_parked_sale_leaves_the_welcome(display_factory, device) -> None:  # type: ignore[no-untyped-def]
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=SIZE) as pilot, device("MI01", "pos") as till:
        await start_following(pilot, streams)
        cart = await till.call(Api.create_cart())
        cart = await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="HO-MOK-05", qty=1)))
        await wait_for_text(pilot, cart.lines[0].name)
        await till.call(Api.park_cart(cart.id, "back in a minute"))
        text = await wait_for_text(pilot, "Welcome")
        assert cart.lines[0].name not in text


async def test_an_unreachable_core_is_a_calm_line_not_a_traceback() -> None:
    app = make_display(PosSettings(core_url=f"http://127.0.0.1:{free_port()}",
                                   device_token="nobody"))
    async with app.run_test(size=SIZE) as pilot:
        text = await wait_for_text(pilot, "Connecting to the till…")
        assert "Welcome" in text and "Traceback" not in text
    assert app.client.http.is_closed  # the display gives its connections back on exit


@pytest.mark.slow
async def test_a_display_set_up_with_the_wrong_token_says_so_calmly(  # type: ignore[no-untyped-def]
    display_factory, live_core: str
) -> None:
    # The display shares its till's token; a token of no till shows no sale, so
    # the screen says what to fix instead of waiting forever in silence.
    for app, problem in (
        (display_factory("MI01", "kiosk"), "This display needs its till's device token."),
        (make_display(PosSettings(core_url=live_core, device_token="not-a-token")),
         "This display is not registered with the store system."),
    ):
        async with app.run_test(size=SIZE) as pilot:
            text = await wait_for_text(pilot, problem, "Welcome")
            assert "Traceback" not in text


# -- which events are this till's business (no core needed) ---------------------


def _event(type_: str, subject: str = "", **payload: object) -> EventOut:
    return EventOut(seq=1, type=type_, store="MI01", subject=subject, payload=payload,
                    created_at=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(("event", "showing", "step"), [
    (_event("cart.updated", cart_id="c1", device_id=7), None, ShowCart("c1")),
    (_event("cart.updated", cart_id="c2", device_id=8), None, None),
    (_event("cart.updated", cart_id="c1", device_id=8), ("c1", None), GoIdle()),
    (_event("cart.parked", "c1"), ("c1", None), GoIdle()),
    (_event("cart.parked", "c2"), ("c1", None), None),
    (_event("cart.expired", "c1"), None, None),
    (_event("order.created", "A-1", order="A-1", device_id=7, cart_id="c1"), None,
     ShowOrder("A-1", "c1")),
    (_event("order.created", "W-1", order="W-1", device_id=3, cart_id="c9"), None, None),
    (_event("order.pending_payment", "A-1", order="A-1", device_id=7, cart_id="c1"),
     ("c1", None), ShowOrder("A-1", "c1")),
    (_event("order.completed", "A-1", order="A-1", device_id=7, cart_id="c1"),
     (None, "A-1"), ShowOrder("A-1", "c1")),
    # Paying here for an order another device made (a web pickup).
    (_event("payment.approved", "W-1", order="W-1", device_id=7, cart_id=None), None,
     ShowOrder("W-1", None)),
    (_event("payment.approved", "W-1", order="W-1", device_id=8, cart_id=None), None, None),
    # Days later, an order this till once sold moves on: not in front of a new shopper.
    (_event("order.shipped", "A-0", order="A-0", device_id=7, cart_id="c0"), None, None),
    (_event("order.shipped", "A-0", order="A-0", device_id=7, cart_id="c0"), ("c1", "A-1"),
     None),
    (_event("order.receipt_requested", "A-1", order="A-1"), None, None),
    (_event("stock.changed", "HO-MOK-05", device_id=7), None, None),
])
def test_only_this_tills_events_matter(event: EventOut, showing: tuple[str | None, str | None]
                                       | None, step: object) -> None:
    cart_id, order = showing or (None, None)
    assert step_for(event, device_id=7, cart_id=cart_id, order=order) == step


@pytest.mark.parametrize(("name", "shown"), [
    ("Giulia Rossi", "Giulia R."), ("Giulia R.", "Giulia R."), ("Cher", "Cher"), (None, None),
    ("Maria Grazia De Luca", "Maria L."),
])
def test_names_are_masked_for_the_shopper(name: str | None, shown: str | None) -> None:
    assert masked(name) == shown


def test_the_cli_starts_the_display(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from cli.main import app as cli

    for name in ("OMNITILL_CORE_URL", "OMNITILL_DEVICE_TOKEN"):
        monkeypatch.setenv(name, "")  # restored afterwards: the command writes them
    started: list[PosSettings] = []
    monkeypatch.setattr("pos.display.app.run", started.append)
    result = CliRunner().invoke(cli, ["display", "--url", "http://core:8700", "--token", "t0k"])
    assert result.exit_code == 0, result.output
    assert started[0].core_url == "http://core:8700" and started[0].device_token == "t0k"



@pytest.mark.slow
async def test_a_kiosk_basket_taken_up_at_the_till_shows_on_its_display(  # type: ignore[no-untyped-def]
        display_factory, device) -> None:
    """Issue 14, item 11: the display followed the previous customer while the till
    worked on a kiosk basket; taking the basket over makes it this till's sale."""
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=SIZE) as pilot, device("MI01", "pos") as till, \
            device("MI01", "kiosk") as kiosk:
        await start_following(pilot, streams)
        basket = await kiosk.call(Api.create_cart())
        basket = await kiosk.call(Api.set_cart_line(basket.id, CartLineSet(
            sku="BK-NOV-02", qty=1)))
        await kiosk.call(Api.handoff(basket.id))
        taken = await till.call(Api.recall_cart(basket.id))
        await wait_for_text(pilot, taken.lines[0].name)
        await wait_until(pilot, lambda: _total(app) == app.money(taken.total_cents),
                         "the kiosk basket's total")
