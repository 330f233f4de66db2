"""Issue 12 item 10 (and issue 11): a loyalty card at the kiosk. The card carries its
signed QR and its number printed under an EAN-13 barcode; both work at the kiosk,
typed or scanned, under the codes lockout (per kiosk and per card)."""

from __future__ import annotations

from collections.abc import Callable

from core.seed.demo_data import load_demo_data
from kiosk.app import KioskApp
from shared.client import Api
from shared.codes import ean13_check_digit
from tests.pos.pilot import settle, wait_until

LIMIT = 5  # CoreSettings.lockout_attempts
ROSSI = next(c for c in load_demo_data().customers if c.last_name == "Rossi")


def _messages(app: KioskApp) -> list[str]:
    return [n.message for n in app._notifications]


async def _scan(app: KioskApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    app.clear_notifications()  # older ones expire on their own: count from none
    await pilot.press(*text, "enter")
    await settle(app, pilot)
    await wait_until(app, pilot, lambda: len(app._notifications) > 0,
                     what=f"an answer to {text}")


async def test_the_printed_card_number_is_recognised_typed_or_scanned(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await _scan(app, pilot, ROSSI.loyalty_card)
        hello = _messages(app)[-1]
        assert hello.startswith("Hello ") and "points" in hello, hello
        assert "Rossi" not in hello  # masked, as the QR shows it
        # the QR on the same card says the same
        view = await app.client.call(Api.loyalty_card(ROSSI.loyalty_card))
        assert view.name in hello and str(view.balance) in hello


async def test_a_mistyped_card_number_is_said_as_such(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")
    number = ROSSI.loyalty_card
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(LIMIT + 1):  # a typo names no card: it never counts
            await _scan(app, pilot, typo)
            assert "typo" in _messages(app)[-1]
        await _scan(app, pilot, number)
        assert _messages(app)[-1].startswith("Hello ")


async def test_guessed_card_numbers_lock_the_kiosks_codes_not_its_products(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")

    def unregistered(n: int) -> str:
        body = f"29{9_000_000_000 + n:010d}"
        return body + str(ean13_check_digit(body))

    async with app.run_test(size=(120, 40)) as pilot:
        for n in range(LIMIT - 1):
            await _scan(app, pilot, unregistered(n))
            assert "don't recognise" in _messages(app)[-1]
        await _scan(app, pilot, unregistered(LIMIT))
        assert "ask a member of staff" in _messages(app)[-1]
        await _scan(app, pilot, ROSSI.loyalty_card)  # the right card waits too
        assert "Too many wrong tries" in _messages(app)[-1]
        product = (await app.client.call(Api.products(q="moka"))).items[0]
        assert product.gtin
        assert (await app.client.call(Api.scan(product.gtin))).reference == product.sku


async def test_the_card_goes_on_the_shoppers_basket(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await _scan(app, pilot, ROSSI.loyalty_card)
        await wait_until(app, pilot, lambda: app.basket.cart is not None
                         and app.basket.cart.customer_id is not None,
                         what="the card on the basket")
        cart = app.basket.cart
        assert cart is not None and cart.customer_name and "Rossi" not in cart.customer_name
        assert cart.points_balance is not None
