"""The returns desk, driven by its keys against the real core: what each refund
pays back per tender (and the cash to hand out), the refund destination chosen
per return, a supervisor prompt cancelled, the store's open returns, and a
return without a receipt.

Each test reads what the screen and the printer say, then checks the core."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.returns import ReturnsScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.money import format_money
from shared.schemas.orders import LineIn, OrderCreate, OrderOut, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, level, set_stock
from tests.pos.pilot import settle, sign_in, status, text_of

MOKA = "HO-MOK-05"  # 34,90 €: four of them are over the 100 € a cashier refunds alone
DRAWER_KICK = b"\x1bp"


async def _sale(app, qty: int = 1, card: int | None = None) -> OrderOut:  # type: ignore[no-untyped-def]
    """A MOKA sale: ``card`` cents (all of it by default) by card, the rest in cash."""
    order = await app.client.call(Api.place_order(
        OrderCreate(lines=[LineIn(sku=MOKA, qty=qty)]), key()))
    card = order.total_cents if card is None else card
    order = await app.client.call(Api.pay(order.number, PaymentIn(
        tender="card", amount_cents=card, card_token="approve")))
    if card < order.total_cents:
        order = await app.client.call(Api.pay(order.number, PaymentIn(
            tender="cash", amount_cents=order.total_cents - card)))
    assert order.status == "completed"
    return order


async def _desk(app, pilot) -> ReturnsScreen:  # type: ignore[no-untyped-def]
    """Signed in at the sale screen, F11 opens the returns desk."""
    await sign_in(app, pilot)
    assert isinstance(app.screen, SellScreen)
    await pilot.press("f11")
    await settle(app, pilot)
    assert isinstance(app.screen, ReturnsScreen)
    return app.screen


async def _type(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text, "enter")
    await settle(app, pilot)


def _summary(app) -> str:  # type: ignore[no-untyped-def]
    return text_of(app, "#return-summary")


def _receipt(printed) -> str:  # type: ignore[no-untyped-def]
    return printed[-1].output.decode("cp437", errors="replace")


def _paper(cents: int) -> str:
    """An amount as the receipt prints it, less the euro sign (not in code page 437)."""
    return format_money(cents).replace("\xa0", " ").removesuffix(" €")


def _kicks(printed) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for printer in printed if printer.output.startswith(DRAWER_KICK))


async def test_a_split_refund_says_what_goes_back_per_tender_and_opens_the_drawer(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        card = 5610
        order = await _sale(app, qty=4, card=card)
        cash = order.total_cents - card
        before = len(printed)
        await _type(app, pilot, order.receipt_code or "")
        await pilot.press("f2", "f2", "f2", "f2", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)  # 139,60 € is over the threshold
        await _type(app, pilot, "2222")
        said = status(app)
        assert "refunded" in said and app.money(order.total_cents) in said
        assert f"Card {app.money(card)}" in said
        assert f"Cash to hand out {app.money(cash)}" in said
        assert f"Cash to hand out {app.money(cash)}" in _summary(app)
        assert _kicks(printed[before:]) == 1  # the drawer opened for the cash
        paper = _receipt(printed)
        assert "RIMBORSO" in paper
        assert "Carta" in paper and _paper(card) in paper
        assert "Contanti" in paper and _paper(cash) in paper
        refunded = {p.tender: p.refunded_cents
                    for p in (await app.client.call(Api.order(order.number))).payments}
        assert refunded == {"card": card, "cash": cash}


async def test_store_credit_is_chosen_per_return_not_for_the_next_receipt(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        first, second = await _sale(app), await _sale(app)
        await _type(app, pilot, first.receipt_code or "")
        assert "original tender" in _summary(app)
        await pilot.press("f4")
        assert "store credit" in _summary(app)
        await pilot.press("f2", "f5")
        await settle(app, pilot)
        assert "Store credit" in status(app)
        before = len(printed)
        await _type(app, pilot, second.receipt_code or "")
        assert "original tender" in _summary(app)  # not carried over from the last one
        await pilot.press("f2", "f5")
        await settle(app, pilot)
        said = status(app)
        assert "refunded" in said and f"Card {app.money(second.total_cents)}" in said
        assert "Cash" not in said and _kicks(printed[before:]) == 0  # no cash, no drawer
        paid = (await app.client.call(Api.order(second.number))).payments
        assert paid[0].refunded_cents == second.total_cents
        # Choosing store credit and then scanning another receipt starts over too.
        third = await _sale(app)
        await _type(app, pilot, first.receipt_code or "")
        await pilot.press("f4")
        await _type(app, pilot, third.receipt_code or "")
        assert "original tender" in _summary(app)


async def test_cancelling_the_supervisor_prompt_withdraws_the_return(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        order = await _sale(app, qty=4)
        await _type(app, pilot, order.receipt_code or "")
        await pilot.press("f2", "f2", "f2", "f2", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert "withdrawn" in status(app)
        # Nothing is left waiting in the core: the same items come back at once.
        await _type(app, pilot, order.receipt_code or "")
        await pilot.press("f2", "f2", "f2", "f2", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog), status(app)
        await _type(app, pilot, "2222")
        assert "refunded" in status(app)
        final = await app.client.call(Api.order(order.number))
        assert final.lines[0].qty_returned == 4
        assert final.payments[0].refunded_cents == order.total_cents


async def test_the_desk_lists_open_returns_and_clears_them(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        stuck_order, kiosk_order = await _sale(app, qty=4), await _sale(app)
        # A request this till left waiting for a supervisor (as Esc used to) ...
        stuck = await app.client.call(Api.create_return(ReturnCreate(
            order_number=stuck_order.number, lines=[ReturnLineIn(line_no=1, qty=4)])))
        assert stuck.status == "requested"
        # ... and one a shopper started at the kiosk.
        kiosk = core_client("MI01", "kiosk")
        slip = await kiosk.call(Api.create_return(ReturnCreate(
            receipt_code=kiosk_order.receipt_code, lines=[ReturnLineIn(line_no=1, qty=1)])))
        await kiosk.aclose()
        await pilot.press("f6")
        await settle(app, pilot)
        listing = app.screen.query_one("#open-returns", OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert ids == [stuck.number, slip.number]
        assert listing.highlighted == 0
        await pilot.press("w")  # withdraw this till's own request: no PIN needed
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert "withdrawn" in status(app)
        assert (await app.client.call(Api.get_return(stuck.number))).status == "rejected"
        again = await app.client.call(Api.create_return(ReturnCreate(
            order_number=stuck_order.number, lines=[ReturnLineIn(line_no=1, qty=4)])))
        assert again.status == "requested"  # the moka pots are returnable again
        await app.client.call(Api.reject_return(again.number))
        # The kiosk's request: Enter takes it to the desk, F5 approves and refunds it.
        await pilot.press("f6")
        await settle(app, pilot)
        listing = app.screen.query_one("#open-returns", OptionList)
        assert [listing.get_option_at_index(i).id
                for i in range(listing.option_count)] == [slip.number]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        assert slip.number in status(app)
        await pilot.press("f5")
        await settle(app, pilot)
        assert "refunded" in status(app)
        assert (await app.client.call(Api.get_return(slip.number))).status == "refunded"


async def test_a_product_code_without_a_receipt_refunds_store_credit_after_a_pin(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        product = await app.client.call(Api.product(MOKA))
        assert product.gtin
        await _type(app, pilot, product.gtin)
        table = app.screen.query_one("#return-lines", DataTable)
        assert table.row_count == 1
        row = [str(cell) for cell in table.get_row_at(0)]
        assert product.name in row and "1" in row and app.money(product.price_cents) in row
        assert "without a receipt" in _summary(app) and "store credit" in _summary(app)
        await _type(app, pilot, MOKA.lower())  # the SKU typed in counts the same item
        assert [str(c) for c in table.get_row_at(0)][4] == "2"
        await pilot.press("f2")  # F2 cycles how many come back: 3
        assert [str(c) for c in table.get_row_at(0)][4] == "3"
        stock_before = level(seeded_sqlite.url, "MI01", MOKA)[0]
        await pilot.press("f5")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)  # no receipt: a supervisor decides
        await _type(app, pilot, "2222")
        said = status(app)
        value = 3 * product.price_cents
        assert "refunded" in said and app.money(value) in said and "Store credit" in said
        assert _kicks(printed) == 0
        assert level(seeded_sqlite.url, "MI01", MOKA)[0] == stock_before + 3
        assert "credito negozio" in _receipt(printed).lower()
        card = next(word for word in said.replace(".", " ").split() if word.startswith("SC"))
        assert (await app.client.call(Api.credit(card))).balance_cents == value


async def test_an_unknown_code_at_the_desk_says_so(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _desk(app, pilot)
        await _type(app, pilot, "NO-SUCH-THING")
        assert "no order or product" in status(app)

