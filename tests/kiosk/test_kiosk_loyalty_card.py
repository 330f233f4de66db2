"""Issue 12 item 10 (and issue 11): a loyalty card at the kiosk. The card carries its
signed QR and its number printed under an EAN-13 barcode; both work at the kiosk,
typed or scanned, under the codes lockout (per kiosk and per card)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from core.seed.demo_data import load_demo_data
from kiosk.app import KioskApp
from shared.client import Api
from shared.codes import ean13_check_digit
from shared.errors import CommerceError
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


async def test_the_printed_card_number_is_recognised_and_goes_on_the_basket(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await _scan(app, pilot, ROSSI.loyalty_card)  # typed, or read from its barcode
        hello = _messages(app)[-1]
        assert hello.startswith("Hello ") and "points" in hello, hello
        assert "Rossi" not in hello  # masked, as the QR shows it
        await wait_until(app, pilot, lambda: app.basket.cart is not None
                         and app.basket.cart.customer_id is not None,
                         what="the card on the basket")
        cart = app.basket.cart
        assert cart is not None and cart.customer_name and "Rossi" not in cart.customer_name
        assert cart.points_balance is not None and str(cart.points_balance) in hello


async def test_a_typo_is_said_as_such_and_guessed_numbers_lock_codes_not_products(  # type: ignore[no-untyped-def]
    kiosk_factory: Callable[..., KioskApp]
) -> None:
    app = kiosk_factory(language="en")
    number = ROSSI.loyalty_card

    def unregistered(n: int) -> str:
        body = f"29{9_000_000_000 + n:010d}"
        return body + str(ean13_check_digit(body))

    async with app.run_test(size=(120, 40)) as pilot:
        await _scan(app, pilot, number[:-1] + str((int(number[-1]) + 1) % 10))
        assert "typo" in _messages(app)[-1]
        await _scan(app, pilot, unregistered(0))
        assert "don't recognise" in _messages(app)[-1]
        for n in range(1, LIMIT):  # the same kiosk guessing on (through its own client)
            with contextlib.suppress(CommerceError):
                await app.client.call(Api.loyalty_card(unregistered(n)))
        await _scan(app, pilot, number)  # now even the right card waits
        assert "ask a member of staff" in _messages(app)[-1]
        product = (await app.client.call(Api.products(q="moka"))).items[0]
        assert product.gtin
        assert (await app.client.call(Api.scan(product.gtin))).reference == product.sku
