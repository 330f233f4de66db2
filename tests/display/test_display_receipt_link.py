"""Issue 13, item 8: the customer display's QR carries the digital receipt's link,
read off the screen with zxing-cpp as a phone would, and the link opens the
receipt (against a real core with a public URL configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared.client import Api
from shared.schemas.orders import CartLineSet, OrderCreate, PaymentIn
from tests.display.helpers import (
    decode_qr_on_screen,
    sale_key,
    start_following,
    wait_for_text,
    watch_streams,
)
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded

PUBLIC = "http://shop.example"


@pytest.fixture
def live_core(seeded_sqlite: Seeded, tmp_path: Path) -> Iterator[str]:
    """The core with a public URL (as a shop would put it behind its domain)."""
    with running_core(seeded_sqlite.url, tmp_path, secret=SECRET,
                      extra_env={"OMNITILL_PUBLIC_URL": PUBLIC}) as base:
        yield base


@pytest.mark.slow
async def test_the_display_qr_is_the_receipt_link(display_factory, device,  # type: ignore[no-untyped-def]
                                                  live_core: str) -> None:
    app = display_factory()
    streams = watch_streams(app)
    async with app.run_test(size=(80, 34)) as pilot, device("MI01", "pos") as till:
        await start_following(pilot, streams)
        cart = await till.call(Api.create_cart())
        cart = await till.call(Api.set_cart_line(cart.id, CartLineSet(sku="HO-MOK-05", qty=1)))
        order = await till.call(Api.place_order(OrderCreate(cart_id=cart.id), sale_key()))
        paid = await till.call(Api.pay(order.number, PaymentIn(
            tender="cash", amount_cents=order.total_cents)))
        await wait_for_text(pilot, "Thank you!", "Scan for your receipt")
        assert paid.receipt_url and paid.receipt_url.startswith(f"{PUBLIC}/r/{paid.number}-")
        assert decode_qr_on_screen(app, "#receipt-qr") == [paid.receipt_url]
    page = httpx.get(live_core + paid.receipt_url.removeprefix(PUBLIC), timeout=10)
    assert page.status_code == 200 and paid.lines[0].name in page.text
