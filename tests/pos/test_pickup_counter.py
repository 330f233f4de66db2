"""The click-and-collect counter (issue 14, "The till at the counter"), driven key
by key by a clerk at the MI01 till against the real core.

Each test is a finding of the tester: taking payment for a pickup is a sale at
the till (tendered, change, drawer, receipt), the queue never moves an action
onto another order, and the hand-overs the API allows (by surname, some lines
now) are on the till.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from shared.client import Api
from shared.schemas.orders import Contact, LineIn, OrderCreate, OrderOut, PaymentIn, Transition
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, sign_in, status
from tests.support import wait_for_async

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"
"""34,90 € and 18,00 €: no amount ends in ,01 or ,02, which the simulated terminal
declines or times out."""


async def _until(app: App[None], pilot: Pilot[None], ready: Callable[[], bool], what: str,
                 seconds: float = 10.0) -> None:
    """Wait for a state (the queue follows the core every 2 s), never a fixed sleep."""
    await wait_for_async(ready, what, seconds, pause=pilot.pause, step=0.05)


def _on(app: App[None], name: str) -> bool:
    """Which screen or dialog the clerk is looking at, by class name, so a missing
    dialog fails the assertion rather than the import."""
    return type(app.screen).__name__ == name


async def _web_orders(core_client, seeded_sqlite, *baskets: dict[str, int]  # type: ignore[no-untyped-def]
                      ) -> list[OrderOut]:
    """Web orders for pickup at MI01 by Giulia Rossi, unpaid, in this order."""
    for sku in {sku for basket in baskets for sku in basket}:
        set_stock(seeded_sqlite.url, "MI01", sku, 20)
    web = core_client("WEB", "web")
    orders = [await web.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=qty) for sku, qty in basket.items()],
        fulfilment="pickup", pickup_store="MI01",
        contact=Contact(name="Giulia Rossi", email="g@example.it")), key()))
        for basket in baskets]
    await web.aclose()
    return orders


async def _paid_and_ready(app: App[None], number: str, tender: str = "card") -> OrderOut:
    """Set-up as the back office would have done it (paid online, picked, ready)."""
    client = app.client  # type: ignore[attr-defined]
    order = await client.call(Api.order(number))
    await client.call(Api.pay(number, PaymentIn(tender=tender, amount_cents=order.due_cents,
                                                tendered_cents=order.due_cents
                                                if tender == "cash" else None)))
    await client.call(Api.transition(number, Transition(to="picking")))
    return await client.call(Api.transition(number, Transition(to="ready_for_pickup")))  # type: ignore[no-any-return]


async def _open_counter(app: App[None], pilot: Pilot[None], rows: int) -> DataTable:
    await sign_in(app, pilot)
    await pilot.press("f6")
    await settle(app, pilot)
    assert _on(app, "PickupsScreen")
    queue = app.screen.query_one("#queue", DataTable)
    await _until(app, pilot, lambda: queue.row_count == rows, f"{rows} orders in the queue")
    return queue


def _cursor_order(queue: DataTable) -> str:
    """The order number on the row the clerk sees highlighted."""
    return str(queue.get_row_at(queue.cursor_row)[0])


# -- finding 1: taking payment is a sale at the till -------------------------------------


async def test_cash_for_a_pickup_asks_tendered_gives_change_opens_drawer_and_offers_receipt(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite, printed
) -> None:
    (order,) = await _web_orders(core_client, seeded_sqlite, {MOKA: 1})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await _open_counter(app, pilot, rows=1)
        # F4 asks what was handed over; changing one's mind records nothing.
        await pilot.press("f4")
        await settle(app, pilot)
        assert _on(app, "CashDialog")
        await pilot.press("escape")
        await settle(app, pilot)
        assert (await app.client.call(Api.order(order.number))).paid_cents == 0
        assert not any(b"\x1bp" in p.output for p in printed)
        # 50 € for 34,90 €: 15,10 € change, the drawer opens, the receipt is offered.
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press(*"50", "enter")
        await settle(app, pilot)
        assert _on(app, "ReceiptChoiceDialog")
        assert "15,10" in str(app.screen.query_one("#choice-summary").render())
        assert any(b"\x1bp" in p.output for p in printed)
        drawer_kicks = len(printed)
        await pilot.press("p")
        await settle(app, pilot)
        assert _on(app, "ReceiptDialog")
        await pilot.press("escape")
        await settle(app, pilot)
        assert _on(app, "PickupsScreen")
        assert "15,10" in status(app) and "Receipt printed" in status(app)
        receipt = printed[-1].output.decode("cp437", errors="replace")
        assert len(printed) == drawer_kicks + 1 and order.number in receipt
        assert "34,90" in receipt and "15,10" in receipt
        final = await app.client.call(Api.order(order.number))
        cash = final.payments[-1]
        assert (cash.tender, cash.status, cash.amount_cents) == ("cash", "approved", 3490)
        assert (cash.tendered_cents, cash.change_cents) == (5000, 1510)
        assert final.due_cents == 0 and final.status == "paid"
        assert app.last_order is not None and app.last_order.number == order.number  # type: ignore[attr-defined]


async def test_card_pays_the_rest_of_a_split_and_enter_is_exact_cash(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite, printed
) -> None:
    order, second = await _web_orders(core_client, seeded_sqlite, {MOKA: 1, BOOK: 1}, {BOOK: 1})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await _open_counter(app, pilot, rows=2)
        assert _cursor_order(app.screen.query_one("#queue", DataTable)) == order.number
        await pilot.press("f4")
        await settle(app, pilot)
        await pilot.press(*"20", "enter")  # 20 € of 52,90 €: the rest by card
        await settle(app, pilot)
        assert _on(app, "PickupsScreen")
        assert "32,90" in status(app) and "still due" in status(app)
        await pilot.press("f5")
        await settle(app, pilot)
        assert _on(app, "ReceiptChoiceDialog")
        await pilot.press("n")
        await settle(app, pilot)
        assert "No receipt" in status(app)
        final = await app.client.call(Api.order(order.number))
        assert [(p.tender, p.status, p.amount_cents) for p in final.payments] == [
            ("cash", "approved", 2000), ("card", "approved", 3290)]
        assert final.due_cents == 0 and final.status == "paid"
        # Nothing more is due on it: F4 says so instead of asking.
        await pilot.press("f4")
        await settle(app, pilot)
        assert _on(app, "PickupsScreen") and "Nothing is due" in status(app)
        # The next shopper names her order; the clerk types it, Enter in the cash
        # dialog takes the exact amount.
        await pilot.press(*second.number, "enter")
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert _on(app, "CashDialog")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        final = await app.client.call(Api.order(second.number))
        assert [(p.tender, p.tendered_cents, p.change_cents) for p in final.payments] == [
            ("cash", 1800, 0)]


# -- finding 2: the queue never moves an action onto another order -------------------------


async def test_cursor_stays_on_the_order_when_the_queue_resorts(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    first, second, third = await _web_orders(core_client, seeded_sqlite,
                                             {MOKA: 1}, {BOOK: 1}, {BOOK: 2})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        queue = await _open_counter(app, pilot, rows=3)
        assert [queue.get_row_at(i)[0] for i in range(3)] == [
            first.number, second.number, third.number]
        await pilot.press("tab", "down")  # from the scan field into the queue
        assert _cursor_order(queue) == second.number
        # Another till starts picking the third order: it jumps to the top of the queue.
        await app.client.call(Api.transition(third.number, Transition(to="picking")))
        await _until(app, pilot, lambda: queue.get_row_at(0)[0] == third.number,
                     "the queue to follow the other till")
        await settle(app, pilot)
        assert _cursor_order(queue) == second.number
        await pilot.press("f2")  # start picking what the clerk sees selected
        await settle(app, pilot)
        assert f"{second.number}: picking" in status(app)
        assert (await app.client.call(Api.order(second.number))).status == "picking"
        assert (await app.client.call(Api.order(first.number))).status == "pending_payment"
        # Its own move re-sorts the queue too; the cursor goes with the order.
        assert _cursor_order(queue) == second.number


async def test_a_scanned_code_with_money_due_selects_that_order_for_payment(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    paid, unpaid = await _web_orders(core_client, seeded_sqlite, {BOOK: 1}, {MOKA: 1})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await sign_in(app, pilot)
        await _paid_and_ready(app, paid.number)
        for to in ("picking", "ready_for_pickup"):  # pay at pickup
            await app.client.call(Api.transition(unpaid.number, Transition(to=to)))
        await pilot.press("f6")
        await settle(app, pilot)
        queue = app.screen.query_one("#queue", DataTable)
        assert _cursor_order(queue) == paid.number
        await pilot.press(*(unpaid.pickup_code or ""), "enter")
        await settle(app, pilot)
        assert "34,90 € is still due on" in status(app).replace("\xa0", " ")
        assert _cursor_order(queue) == unpaid.number
        await pilot.press("f4", "enter")  # the payment goes on the scanned order
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*(unpaid.pickup_code or ""), "enter")
        await settle(app, pilot)
        assert f"{unpaid.number} handed over to Giulia Rossi" in status(app)
        final = await app.client.call(Api.order(unpaid.number))
        assert final.status == "collected" and [p.tender for p in final.payments] == ["cash"]
        assert [p.tender for p in (await app.client.call(Api.order(paid.number))).payments
                ] == ["card"]


# -- finding 3: hand-overs the API allows, now on the till ---------------------------------


async def test_hand_over_by_surname_when_the_shopper_has_no_code(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    other, order = await _web_orders(core_client, seeded_sqlite, {BOOK: 1}, {MOKA: 1})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await sign_in(app, pilot)
        await _paid_and_ready(app, order.number)
        await pilot.press("f6")
        await settle(app, pilot)
        queue = app.screen.query_one("#queue", DataTable)
        await _until(app, pilot, lambda: queue.row_count == 2, "the queue")
        # The shopper tells the order number; the clerk types it and it is selected.
        await pilot.press(*order.number.lower(), "enter")
        await settle(app, pilot)
        assert _cursor_order(queue) == order.number
        await pilot.press("f7")
        await settle(app, pilot)
        assert _on(app, "HandoverDialog")
        await pilot.press(*"Bianchi", "enter")
        await settle(app, pilot)
        assert _on(app, "PickupsScreen")
        assert "name does not match" in status(app)
        assert (await app.client.call(Api.order(order.number))).status == "ready_for_pickup"
        await pilot.press("f7")
        await settle(app, pilot)
        await pilot.press(*"rossi", "enter")
        await settle(app, pilot)
        assert f"{order.number} handed over to Giulia Rossi" in status(app)
        final = await app.client.call(Api.order(order.number))
        assert final.status == "collected"
        assert [line.qty_collected for line in final.lines] == [1]
        assert (await app.client.call(Api.order(other.number))).status == "pending_payment"
        await _until(app, pilot, lambda: queue.row_count == 1, "the collected order to leave")


async def test_partial_pickup_takes_some_lines_now_and_the_rest_later(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite
) -> None:
    (order,) = await _web_orders(core_client, seeded_sqlite, {MOKA: 1, BOOK: 2})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await sign_in(app, pilot)
        ready = await _paid_and_ready(app, order.number)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert _on(app, "PartialPickupDialog")
        lines = app.screen.query_one("#partial-lines", DataTable)
        assert lines.row_count == 2
        # The shopper takes the moka pot and one of the two books today.
        await pilot.press("down", "f7")
        await pilot.press("enter")  # nobody checked them yet
        await settle(app, pilot)
        assert _on(app, "PartialPickupDialog")
        await pilot.press(*"Rossi", "enter")
        await settle(app, pilot)
        assert _on(app, "PickupsScreen")
        assert "2 items handed over" in status(app) and "1 still to collect" in status(app)
        after = await app.client.call(Api.order(order.number))
        assert after.status == "ready_for_pickup"
        assert [(x.sku, x.qty_collected, x.qty_cancelled) for x in after.lines] == [
            (MOKA, 1, 0), (BOOK, 1, 0)]
        # She comes back with her code for the last book.
        await pilot.press(*(ready.pickup_code or ""), "enter")
        await settle(app, pilot)
        final = await app.client.call(Api.order(order.number))
        assert final.status == "collected"
        assert [x.qty_collected for x in final.lines] == [1, 2]


async def test_partial_pickup_with_the_code_cancels_and_refunds_the_rest_in_cash(  # type: ignore[no-untyped-def]
    till_factory, core_client, seeded_sqlite, printed
) -> None:
    (order,) = await _web_orders(core_client, seeded_sqlite, {MOKA: 1, BOOK: 1})
    app = till_factory()
    async with app.run_test(size=(130, 36)) as pilot:
        await sign_in(app, pilot)
        ready = await _paid_and_ready(app, order.number, tender="cash")
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert _on(app, "PartialPickupDialog")
        # She does not want the book after all: only the moka pot, the rest refunded.
        await pilot.press("down", "f7", "ctrl+r")
        await pilot.press(*(ready.pickup_code or ""), "enter")
        await settle(app, pilot)
        assert _on(app, "PickupsScreen")
        assert "18,00" in status(app) and "cash" in status(app)
        assert b"\x1bp" in printed[-1].output
        final = await app.client.call(Api.order(order.number))
        assert final.status == "collected"
        assert [(x.qty_collected, x.qty_cancelled) for x in final.lines] == [(1, 0), (0, 1)]
        assert [(p.tender, p.refunded_cents) for p in final.payments] == [("cash", 1800)]
