"""An exchange at the till, as the cashier does it: F11, scan the receipt, F2 on
the line that comes back, F7 (exchange), scan the replacement, take the
difference; one receipt with the returned line, the new line and the difference.
Esc on the exchange screen gives it up and nothing stays half done."""

from __future__ import annotations

from pos.app import PosApp
from pos.dialogs.cash import CashDialog
from pos.screens.exchange import ExchangeScreen
from pos.screens.returns import ReturnsScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.schemas.orders import LineIn, OrderCreate, OrderOut, PaymentIn
from tests.api.helpers import key, level, set_stock
from tests.pos.pilot import settle, sign_in, status, text_of

MOKA = "HO-MOK-05"  # 34,90 €
DRAWER_KICK = b"\x1bp"


def _amount(cents: int) -> str:
    """An amount as the receipt prints it (the currency sign is the code page's)."""
    return f"{cents / 100:.2f}".replace(".", ",")


async def _sold_by_card(app: PosApp) -> OrderOut:
    order = await app.client.call(Api.place_order(OrderCreate(lines=[LineIn(sku=MOKA, qty=1)]),
                                                  key()))
    return await app.client.call(Api.pay(order.number, PaymentIn(
        tender="card", amount_cents=order.total_cents, card_token="approve")))


async def _dearer(app: PosApp, than: int) -> tuple[str, str, int]:
    """An item dearer than ``than`` cents (sku, name, price)."""
    items = (await app.client.call(Api.products(limit=50))).items
    item = min((p for p in items if p.price_cents > than and not p.final_sale),
               key=lambda p: p.price_cents)
    return item.sku, item.name, item.price_cents


async def _exchange_screen(app: PosApp, pilot, order: OrderOut) -> ExchangeScreen:  # type: ignore[no-untyped-def]
    assert isinstance(app.screen, SellScreen)
    await pilot.press("f11")
    await settle(app, pilot)
    assert isinstance(app.screen, ReturnsScreen)
    await pilot.press(*(order.receipt_code or ""), "enter")
    await settle(app, pilot)
    await pilot.press("f2", "f7")  # one comes back; exchange it
    await settle(app, pilot)
    assert isinstance(app.screen, ExchangeScreen)
    return app.screen


async def test_an_exchange_for_a_dearer_item_takes_the_difference_in_cash_on_one_receipt(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        set_stock(seeded_sqlite.url, "MI01", MOKA, 3)
        order = await _sold_by_card(app)
        sku, name, price = await _dearer(app, order.total_cents + 500)
        set_stock(seeded_sqlite.url, "MI01", sku, 3)
        expected = (await app.client.call(Api.till_report())).expected_cash_cents
        await _exchange_screen(app, pilot, order)
        difference = price - order.total_cents
        await pilot.press("f10")  # not yet: nothing scanned
        await settle(app, pilot)
        assert "Scan the replacement" in status(app)
        await pilot.press(*sku, "enter")
        await settle(app, pilot)
        summary = text_of(app, "#exchange-summary")
        assert f"Difference to pay {app.money(difference)}" in summary
        await pilot.press("f10")  # there is a difference: F10 will not skip it
        await settle(app, pilot)
        assert "Take the difference first" in status(app)
        before = len(printed)
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, CashDialog)
        await pilot.press(*"100", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        said = status(app)
        assert "Exchange" in said and "done" in said
        assert f"Difference {app.money(difference)} paid" in said
        assert f"Change {app.money(10_000 - difference)}" in said
        jobs = [p.output for p in printed[before:]]
        assert DRAWER_KICK in jobs[0]  # the drawer opened for the cash
        paper = jobs[-1].decode("cp1252", errors="replace")
        moka = " ".join(order.lines[0].name.split()[:2])
        assert "RESO" in paper and moka in paper and "-" + _amount(order.total_cents) in paper
        assert "ACQUISTO" in paper and " ".join(name.split()[:2]) in paper
        assert "DIFFERENZA DA PAGARE" in paper and _amount(difference) in paper
        assert "Resto" in paper
        report = await app.client.call(Api.till_report())
        assert report.expected_cash_cents == expected + difference
    assert level(seeded_sqlite.url, "MI01", MOKA) == (3, 0)  # sold, and back on the shelf
    assert level(seeded_sqlite.url, "MI01", sku) == (2, 0)


async def test_esc_gives_the_exchange_up_and_withdraws_the_return(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        set_stock(seeded_sqlite.url, "MI01", MOKA, 3)
        order = await _sold_by_card(app)
        screen = await _exchange_screen(app, pilot, order)
        number = screen.ret.number
        await pilot.press(*MOKA, "enter")  # the same item, another one: an even swap
        await settle(app, pilot)
        assert "Even exchange" in text_of(app, "#exchange-summary"), status(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert f"return {number} withdrawn" in status(app)
        assert (await app.client.call(Api.get_return(number))).status == "rejected"
        assert level(seeded_sqlite.url, "MI01", MOKA) == (2, 0)
        await pilot.press(*(order.receipt_code or ""), "enter")  # it can come back again
        await settle(app, pilot)
        await pilot.press("f2", "f7")
        await settle(app, pilot)
        assert isinstance(app.screen, ExchangeScreen)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("f10")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert "Even: nothing to pay" in status(app)
    assert level(seeded_sqlite.url, "MI01", MOKA) == (2, 0)  # one back, one out
