"""A cashier at the MI01 till: discounts (with and without a supervisor), split
tenders, gift cards, loyalty points, email receipts, parking and card outcomes.

Each test drives the till by its keys and then checks both what the screen says
and what the core recorded."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, OptionList

from core.seed.demo import DEMO_GIFT_CARDS
from pos.dialogs.cash import CashDialog
from pos.dialogs.credit import CreditDialog
from pos.dialogs.discount import DiscountDialog
from pos.dialogs.parked import ParkedDialog
from pos.dialogs.points import PointsDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.schemas.orders import OrderOut
from tests.api.helpers import set_stock
from tests.pos.pilot import settle as _settle
from tests.pos.pilot import sign_in
from tests.pos.pilot import status as _status
from tests.pos.pilot import text_of as _label

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"
DRAWER_KICK = b"\x1bp"



async def _sign_in(app, pilot, pin: str = "1111") -> None:  # type: ignore[no-untyped-def]
    await sign_in(app, pilot, pin)
    assert isinstance(app.screen, SellScreen)


async def _ring(app, pilot, *skus: str) -> None:  # type: ignore[no-untyped-def]
    for sku in skus:
        await pilot.press(*sku, "enter")
        await _settle(app, pilot)


async def _type(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press(*text, "enter")
    await _settle(app, pilot)


def _stock(seeded_sqlite, *skus: str) -> None:  # type: ignore[no-untyped-def]
    for sku in skus:
        set_stock(seeded_sqlite.url, "MI01", sku, 10)


def _key(action_id: str) -> str:
    """The key the sale screen declares for one of its actions (by binding id): the
    ctrl+ keys have moved to stay clear of what the focused scan field takes."""
    return next(b.key for b in SellScreen.BINDINGS
                if isinstance(b, Binding) and b.id == action_id).split(",")[0]



def _status_is_error(app) -> bool:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#status", Label).has_class("-error")


def _total(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#total", Label).render())


def _rows(app) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#lines", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]



def _sell(app) -> SellScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, SellScreen), f"expected the sale screen, got {screen!r}"
    return screen


def _card_approves(cents: int) -> None:
    # The simulated terminal declines ..01 and times out ..02 cents; these tests
    # want an approval from a plain F3, so the amount must not end like that.
    assert cents % 100 not in (1, 2), cents


async def _no_receipt(app, pilot) -> OrderOut:  # type: ignore[no-untyped-def]
    """The sale completed: answer the receipt question with N and fetch the order."""
    assert isinstance(app.screen, ReceiptChoiceDialog), app.screen
    await pilot.press("n")
    await _settle(app, pilot)
    assert "completed" in _status(app)
    return await app.client.call(Api.order(app.last_order.number))


def _kicks(printed) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for printer in printed if printer.output.startswith(DRAWER_KICK))


def _tenths(gross: int) -> int:
    """10 % of ``gross`` in whole cents, half a cent rounded up."""
    return (gross * 10 + 50) // 100


# -- discounts ------------------------------------------------------------------------


async def test_line_discount_of_ten_percent_needs_no_supervisor(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        screen = _sell(app)
        assert screen.cart is not None
        before = await app.client.call(Api.cart(screen.cart.id))
        gross = before.lines[0].unit_price_cents * before.lines[0].qty
        assert before.total_cents == gross and before.lines[0].discount_cents == 0
        await pilot.press(_key("line_discount"))
        await _settle(app, pilot)
        assert isinstance(app.screen, DiscountDialog)
        await _type(app, pilot, "10%")
        screen = _sell(app)  # no supervisor was asked for
        assert "Discount given" in _status(app) and not _status_is_error(app)
        discount = _tenths(gross)
        after = await app.client.call(Api.cart(screen.cart.id))
        assert after.lines[0].discount_cents == discount
        assert after.lines[0].total_cents == gross - discount
        assert after.total_cents == before.total_cents - discount
        row = _rows(app)[0]
        assert row[4] == f"-{app.money(discount)}"
        assert row[5] == app.money(gross - discount)
        assert app.money(after.total_cents) in _total(app)


async def test_line_discount_over_the_limit_asks_a_supervisor(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        screen = _sell(app)
        gross = screen.cart.lines[0].unit_price_cents
        await pilot.press(_key("line_discount"))
        await _type(app, pilot, "30%")
        dialog = app.screen
        assert isinstance(dialog, SupervisorDialog)
        assert "supervisor" in _label(app, "#supervisor-why")
        # The cashier's own PIN is a real PIN, but not a supervisor's.
        await _type(app, pilot, "1111")
        assert app.screen is dialog
        assert "a supervisor's PIN is needed" in _label(app, "#supervisor-error")
        await _type(app, pilot, "2222")
        screen = _sell(app)
        discount = gross * 30 // 100
        assert "Discount given" in _status(app) and not _status_is_error(app)
        assert _rows(app)[0][4] == f"-{app.money(discount)}"
        # The cashier is still the one signed in: the supervisor only countersigned.
        assert (await app.client.call(Api.whoami())).staff.name == app.staff.name
        cart = await app.client.call(Api.cart(screen.cart.id))
        assert cart.lines[0].discount_cents == discount
        # One more of the line grows the discount: the supervisor is asked again.
        await pilot.press("f5")
        await _settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await _type(app, pilot, "2222")
        cart = await app.client.call(Api.cart(screen.cart.id))
        assert cart.lines[0].qty == 2 and cart.lines[0].discount_cents == gross * 2 * 30 // 100
        await pilot.press("f7")  # one fewer shrinks it: still over 20 %, asked again
        await _settle(app, pilot)
        await _type(app, pilot, "2222")
        cart = await app.client.call(Api.cart(screen.cart.id))
        assert cart.lines[0].qty == 1 and cart.lines[0].discount_cents == discount
        _card_approves(cart.total_cents)
        await pilot.press("f3")
        await _settle(app, pilot)
        order = await _no_receipt(app, pilot)
        assert order.status == "completed"
        assert order.lines[0].discount_cents == discount
        assert order.lines[0].total_cents == gross - discount
        assert order.total_cents == gross - discount


async def test_cancelling_the_supervisor_leaves_the_line_undiscounted(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        await pilot.press(_key("line_discount"))
        await _type(app, pilot, "30%")
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press("escape")
        await _settle(app, pilot)
        screen = _sell(app)
        assert _status_is_error(app)
        assert "supervisor" in _status(app) and "20 %" in _status(app)
        assert _rows(app)[0][4] == ""
        cart = await app.client.call(Api.cart(screen.cart.id))
        assert cart.lines[0].discount_cents == 0
        assert cart.total_cents == cart.lines[0].unit_price_cents
        # Nothing is remembered for the next quantity change either.
        assert (cart.lines[0].discount_percent, cart.lines[0].discount_amount_cents) == (0, 0)


async def test_basket_discount_takes_the_same_percent_off_every_line(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA, BOOK)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA, BOOK)
        screen = _sell(app)
        gross = {line.sku: line.unit_price_cents * line.qty for line in screen.cart.lines}
        assert set(gross) == {MOKA, BOOK}
        await pilot.press(_key("basket_discount"))
        await _settle(app, pilot)
        assert isinstance(app.screen, DiscountDialog)
        await _type(app, pilot, "10%")
        screen = _sell(app)
        assert "Discount given" in _status(app)
        cart = await app.client.call(Api.cart(screen.cart.id))
        by_sku = {line.sku: line for line in cart.lines}
        for sku, cents in gross.items():
            assert by_sku[sku].discount_cents == _tenths(cents)
            assert by_sku[sku].total_cents == cents - _tenths(cents)
        assert cart.total_cents == sum(line.total_cents for line in cart.lines)
        assert cart.total_cents == sum(c - _tenths(c) for c in gross.values())
        rows = {row[1]: row for row in _rows(app)}
        for sku, cents in gross.items():
            assert rows[sku][4] == f"-{app.money(_tenths(cents))}"
            assert rows[sku][5] == app.money(cents - _tenths(cents))
        assert app.money(cart.total_cents) in _total(app)


# -- tenders --------------------------------------------------------------------------


async def test_split_tender_cash_then_card(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        total = _sell(app).cart.total_cents
        assert total > 2000
        _card_approves(total - 2000)
        await pilot.press("f2")
        await _settle(app, pilot)
        assert isinstance(app.screen, CashDialog)
        await _type(app, pilot, "20,00")
        _sell(app)
        status = _status(app)
        assert f"Paid {app.money(2000)}" in status
        assert f"{app.money(total - 2000)} still due" in status
        assert f"Due {app.money(total - 2000)}" in _total(app)
        assert _kicks(printed) == 1
        await pilot.press("f3")
        await _settle(app, pilot)
        order = await _no_receipt(app, pilot)
        assert order.status == "completed" and order.due_cents == 0
        assert [(p.tender, p.status, p.amount_cents) for p in order.payments] == [
            ("cash", "approved", 2000), ("card", "approved", total - 2000)]
        assert order.payments[0].change_cents == 0
        assert _kicks(printed) == 1  # the card part does not open the drawer again
        assert len(printed) == 1  # and no receipt was asked for


async def test_gift_card_pays_part_and_cash_the_rest(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    card = next(n for n, (_, cents) in DEMO_GIFT_CARDS.items() if cents == 1000)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        assert (await app.client.call(Api.credit(card))).balance_cents == 1000
        await _ring(app, pilot, MOKA)
        total = _sell(app).cart.total_cents
        assert total > 1000
        await pilot.press(_key("pay_credit"))
        await _settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, CreditDialog)
        await _type(app, pilot, card)
        assert app.screen is dialog
        assert f"Balance {app.money(1000)}" in _label(app, "#credit-balance")
        # More than the card holds is refused on the dialog, before the core.
        await _type(app, pilot, "10,50")
        assert app.screen is dialog
        assert f"At most {app.money(1000)}" in _label(app, "#credit-error")
        assert (await app.client.call(Api.credit(card))).balance_cents == 1000
        amount = app.screen.query_one("#credit-amount", Input)
        await pilot.press(*["backspace"] * len(amount.value))
        await _type(app, pilot, "")  # Enter = as much as possible
        _sell(app)
        assert f"Paid {app.money(1000)}" in _status(app)
        assert f"{app.money(total - 1000)} still due" in _status(app)
        await pilot.press("f2")
        await _settle(app, pilot)
        await _type(app, pilot, "")  # exact cash
        order = await _no_receipt(app, pilot)
        assert order.status == "completed"
        assert [(p.tender, p.status, p.amount_cents) for p in order.payments] == [
            ("gift_card", "approved", 1000), ("cash", "approved", total - 1000)]
        assert (await app.client.call(Api.credit(card))).balance_cents == 0
        assert _kicks(printed) == 1


async def test_loyalty_points_pay_part_and_the_money_part_earns(  # type: ignore[no-untyped-def]
    till_factory, core_app, seeded_sqlite
) -> None:
    from pos.screens.customer import CustomerScreen

    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        # No customer yet: the till says how to get one.
        await pilot.press(_key("pay_points"))
        await _settle(app, pilot)
        _sell(app)
        assert "Attach the customer" in _status(app) and _status_is_error(app)
        await pilot.press("f9")
        await _settle(app, pilot)
        assert isinstance(app.screen, CustomerScreen)
        await _type(app, pilot, "rossi")
        customer = app.screen.customer
        assert customer is not None and customer.name == "Giulia Rossi"
        await pilot.press("f2")
        await _settle(app, pilot)
        screen = _sell(app)
        assert "Giulia Rossi" in _total(app)
        account = await app.client.call(Api.customer_loyalty(customer.id))
        before = account.balance
        assert before >= 500
        total = screen.cart.total_cents
        _card_approves(total - 500)
        await pilot.press(_key("pay_points"))
        await _settle(app, pilot)
        assert isinstance(app.screen, PointsDialog)
        await _type(app, pilot, "500")
        _sell(app)
        assert f"Paid {app.money(500)}" in _status(app)
        assert f"{app.money(total - 500)} still due" in _status(app)
        assert (await app.client.call(Api.customer_loyalty(customer.id))).balance == before - 500
        await pilot.press("f3")
        await _settle(app, pilot)
        order = await _no_receipt(app, pilot)
        assert order.status == "completed" and order.customer_id == customer.id
        assert [(p.tender, p.status, p.amount_cents) for p in order.payments] == [
            ("loyalty_points", "approved", 500), ("card", "approved", total - 500)]
        per_euro = core_app.state.settings.loyalty_points_per_euro
        earned = (total - 500) // 100 * per_euro * account.multiplier_percent // 100
        assert earned > 0 and order.points_earned == earned
        after = await app.client.call(Api.customer_loyalty(customer.id))
        assert after.balance == before - 500 + earned
        mine = sorted((e.kind, e.points) for e in after.entries if e.order_number == order.number)
        assert mine == [("earn", earned), ("redeem", -500)]


# -- receipts, parking, card outcomes -------------------------------------------------


async def test_receipt_by_email_is_recorded_and_nothing_is_printed(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    address = "giulia.rossi@example.com"
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        _card_approves(_sell(app).cart.total_cents)
        await pilot.press("f3")
        await _settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReceiptChoiceDialog)
        await pilot.press("e")
        await _settle(app, pilot)
        box = dialog.query_one("#receipt-email", Input)
        assert box.display and box.has_focus
        await _type(app, pilot, address)
        _sell(app)
        number = app.last_order.number
        assert f"Sale {number} completed" in _status(app)
        assert f"emailed to {address}" in _status(app)
        order = await app.client.call(Api.order(number))
        assert order.status == "completed"
        assert order.receipt_email == address
        assert not [p for p in printed if number.encode() in p.output]
        assert printed == []  # a card sale: no drawer kick, no paper


async def test_park_then_recall_and_pay(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        cart_id = _sell(app).cart.id
        total = _sell(app).cart.total_cents
        await pilot.press("f4")
        await _settle(app, pilot)
        screen = _sell(app)
        assert "parked" in _status(app)
        assert _rows(app) == [] and screen.cart is None
        assert cart_id in [c.id for c in await app.client.call(Api.parked_carts())]
        await pilot.press("f4")
        await _settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ParkedDialog)
        options = dialog.query_one("#parked-list", OptionList)
        index = next(i for i in range(options.option_count)
                     if options.get_option_at_index(i).id == cart_id)
        assert app.money(total) in str(options.get_option_at_index(index).prompt)
        await pilot.press(*["down"] * index, "enter")
        await _settle(app, pilot)
        screen = _sell(app)
        assert "recalled" in _status(app)
        assert screen.cart is not None and screen.cart.id == cart_id
        assert [(row[1], row[2]) for row in _rows(app)] == [(MOKA, "1")]
        assert app.money(total) in _total(app)
        assert cart_id not in [c.id for c in await app.client.call(Api.parked_carts())]
        await pilot.press("f2")
        await _settle(app, pilot)
        await _type(app, pilot, "")
        order = await _no_receipt(app, pilot)
        assert order.status == "completed" and order.total_cents == total
        assert [(line.sku, line.qty) for line in order.lines] == [(MOKA, 1)]


async def test_a_recalled_sale_keeps_its_percent_discount(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        await pilot.press(_key("line_discount"))
        await _type(app, pilot, "10%")
        gross = _sell(app).cart.lines[0].unit_price_cents
        await pilot.press("f4")  # park
        await _settle(app, pilot)
        await pilot.press("f4")  # recall the only parked sale
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("f5")  # one more: still 10 % off, now of two
        await _settle(app, pilot)
        line = _sell(app).cart.lines[0]
        assert line.qty == 2 and line.discount_cents == _tenths(2 * gross)


async def test_declined_then_timed_out_then_approved_card(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    """The simulated terminal declines an amount ending in ..01 cents and times out
    on ..02: cash taken first leaves such an amount due, then F3 charges it, all
    by the till's keys as a cashier would."""
    _stock(seeded_sqlite, MOKA)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await _sign_in(app, pilot)
        await _ring(app, pilot, MOKA)
        screen = _sell(app)
        assert screen.cart is not None
        total = screen.cart.total_cents
        assert total > 1001, total
        cash = total - 1001  # leaves 10.01 due: the terminal declines it

        async def cash_in(cents: int) -> None:
            await pilot.press("f2")
            await _settle(app, pilot)
            assert isinstance(app.screen, CashDialog)
            await pilot.press(*f"{cents // 100}.{cents % 100:02d}", "enter")
            await _settle(app, pilot)

        await cash_in(cash)
        assert "still due" in _status(app)
        await pilot.press("f3")
        await _settle(app, pilot)
        _sell(app)
        assert "DECLINED" in _status(app) and "Card declined" in _status(app)
        assert _status_is_error(app)
        assert "completed" not in _status(app)
        await cash_in(99)  # 9.02 due: the terminal times out
        await pilot.press("f3")
        await _settle(app, pilot)
        _sell(app)
        assert "TIMEOUT" in _status(app) and "did not answer" in _status(app)
        assert "Nothing was charged" in _status(app) and _status_is_error(app)
        assert screen.order is not None and screen.order.due_cents == 902
        await cash_in(2)  # 9.00 due: approved
        await pilot.press("f3")
        await _settle(app, pilot)
        order = await _no_receipt(app, pilot)
        assert order.status == "completed"
        assert [(p.tender, p.status, p.amount_cents) for p in order.payments] == [
            ("cash", "approved", cash), ("card", "declined", 1001),
            ("cash", "approved", 99), ("card", "timeout", 902),
            ("cash", "approved", 2), ("card", "approved", 900)]
