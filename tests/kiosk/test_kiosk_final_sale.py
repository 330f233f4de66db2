"""Final-sale goods are said to be final where the shopper looks (issue 12,
item 8): on the product, and on the return screen, where they cannot be chosen."""

from __future__ import annotations

import httpx
from textual.widgets import Button, Label, Static

from kiosk.screens.product import ProductScreen
from kiosk.screens.returns import ReturnScreen
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, wait_until

OIL = "GO-OIL-01"
"""Extra virgin olive oil: gourmet food, a final-sale department."""


async def test_the_product_says_it_is_a_final_sale(kiosk_factory) -> None:  # type: ignore[no-untyped-def]
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(ProductScreen(OIL))
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and app.screen.availability is not None, what="the oil")
        await settle(app, pilot)
        assert "cannot be returned" in str(app.screen.query_one("#product-info", Static).render())


async def test_a_final_sale_line_cannot_be_chosen_for_a_return(  # type: ignore[no-untyped-def]
    kiosk_factory, core_app, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", OIL, 5)
    set_stock(seeded_sqlite.url, "MI01", "HO-MOK-05", 5)
    pos = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        staff = (await http.post("/v1/auth/staff", json={"pin": "1111"}, headers=pos)).json()
        till = pos | {"X-Staff-Token": staff["token"]}
        await http.post("/v1/till/open", headers=till, json={"float_cents": 10_000})
        sale = (await http.post("/v1/orders", headers=till | {"Idempotency-Key": key()}, json={
            "lines": [{"sku": OIL, "qty": 1}, {"sku": "HO-MOK-05", "qty": 1}],
            "payments": [{"tender": "cash", "amount_cents": 10_000}]})).json()
    oil_line = next(line["line_no"] for line in sale["lines"] if line["sku"] == OIL)
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*sale["receipt_code"], "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ReturnScreen)
                         and bool(app.screen.query(f"#more-{oil_line}")), what="the lines")
        await settle(app, pilot)
        assert app.screen.query_one(f"#more-{oil_line}", Button).disabled
        texts = [str(x.render()) for x in app.screen.query(".line-name").results(Label)]
        assert any("Olive Oil" in x and "final sale" in x for x in texts), texts
        assert any("Moka" in x and "final sale" not in x for x in texts), texts
