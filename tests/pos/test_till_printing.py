"""The till and its printer, driven by the cashier's keys: what the till says
when the printer is out of paper or hangs up midway (and that F8 then prints),
that the till keeps taking keys while a slow printer prints, the drawer on cash
in and out, the return receipt and its copy, and each store's return window."""

from __future__ import annotations

import threading

from escpos.printer import Dummy
from textual.widgets import DataTable

from pos.app import PosApp
from pos.dialogs.receipt import ReceiptDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.screens.returns import ReturnsScreen
from pos.screens.sell import SellScreen
from pos.screens.till import TillScreen
from shared.client import Api
from shared.printers import DEFAULT_PROFILE, printer_from_config
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, sign_in, status, text_of, wait_until
from tests.unit.fake_printer import FakePrinter

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"
DRAWER_KICK = b"\x1bp"


def _paper(data: bytes) -> str:
    """Receipt bytes as text (the job selects WPC1252)."""
    return data.decode("cp1252", errors="replace")


async def _sell_by_card_and_print(app: PosApp, pilot, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    """Sign in, ring a moka pot up, pay by card, ask for a printed receipt."""
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    await sign_in(app, pilot)
    assert isinstance(app.screen, SellScreen)
    await pilot.press(*MOKA, "enter")
    await settle(app, pilot)
    await pilot.press("f3")
    await settle(app, pilot)
    assert isinstance(app.screen, ReceiptChoiceDialog), app.screen
    await pilot.press("p")


async def test_out_of_paper_is_said_and_f8_prints_once_a_roll_is_in(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    printer = FakePrinter(paper_out=True)
    app = till_factory()
    app.printer_factory = lambda: printer_from_config(printer.config)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await _sell_by_card_and_print(app, pilot, seeded_sqlite)
            await settle(app, pilot)
            assert isinstance(app.screen, ReceiptDialog)
            said = text_of(app, "#receipt-status")
            assert said == ("Printer out of paper: load a new roll; nothing was printed. "
                            "F8 reprints.")
            await pilot.press("escape")
            await settle(app, pilot)
            assert "Printer out of paper" in status(app) and "F8 reprints" in status(app)
            assert not any(printer.jobs)  # not a byte of the receipt was sent
            printer.paper_out = False  # the cashier loads a roll
            await pilot.press("f8")
            await settle(app, pilot)
            assert text_of(app, "#receipt-status") == "Receipt printed."
            order = app.last_order
            paper = _paper(printer.jobs[-1])
            assert order.number in paper and "COPIA" not in paper  # the first one out
    finally:
        printer.close()


async def test_a_printer_that_hangs_up_midway_is_an_incomplete_receipt(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    printer = FakePrinter(drop_after=600)
    app = till_factory()
    app.printer_factory = lambda: printer_from_config(printer.config)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await _sell_by_card_and_print(app, pilot, seeded_sqlite)
            await settle(app, pilot)
            said = text_of(app, "#receipt-status")
            assert "dropped mid-receipt" in said and "incomplete" in said
            assert "Receipt printed" not in said and said.endswith("F8 reprints.")
            await pilot.press("escape")
            await settle(app, pilot)
            printer.drop_after = None
            await pilot.press("f8")
            await settle(app, pilot)
            assert text_of(app, "#receipt-status") == "Receipt printed."
            paper = _paper(printer.jobs[-1])
            assert "COPIA" in paper and "ristampa del" in paper  # half of one is out
            assert b"\x1dV" in printer.jobs[-1]
    finally:
        printer.close()


class SlowPrinter(Dummy):
    """A printer that thinks before it cuts, until the test lets it go."""

    def __init__(self, go: threading.Event, flags: dict[str, bool]) -> None:
        super().__init__(profile=DEFAULT_PROFILE)
        self.go, self.flags = go, flags

    def cut(self, mode: str = "FULL", feed: bool = True) -> None:
        self.flags["started"] = True
        self.go.wait(10)  # a guard: a till that waits on this is frozen for 10 s
        super().cut(mode, feed)
        self.flags["finished"] = True


async def test_the_till_takes_the_next_scan_while_a_slow_printer_prints(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    go, flags = threading.Event(), {"started": False, "finished": False}
    made: list[SlowPrinter] = []
    app = till_factory()
    app.printer_factory = lambda: made.append(SlowPrinter(go, flags)) or made[-1]
    set_stock(seeded_sqlite.url, "MI01", BOOK, 10)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await _sell_by_card_and_print(app, pilot, seeded_sqlite)
            await wait_until(app, pilot, lambda: flags["started"], what="the printer to start")
            # The next customer's item, scanned while the receipt is still printing.
            await pilot.press(*BOOK, "enter")
            table = app.screen.query_one("#lines", DataTable)
            await wait_until(app, pilot, lambda: table.row_count == 1,
                             what="the scan to land on the next sale", seconds=5)
            assert not flags["finished"], "the scan waited for the printer"
            go.set()
            await settle(app, pilot)
            assert isinstance(app.screen, ReceiptDialog)
            assert text_of(app, "#receipt-status") == "Receipt printed."
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("f8")  # and a reprint says it is one
            await settle(app, pilot)
            assert "COPIA" in _paper(made[-1].output)
            assert "COPIA" not in _paper(made[0].output)
    finally:
        go.set()


async def test_cash_in_and_cash_out_open_the_drawer(till_factory, printed) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, TillScreen)
        before = len(printed)
        await pilot.press("f2", *"20", "enter", *"coins from the safe", "enter")
        await settle(app, pilot)
        assert [p.output for p in printed[before:]] == [DRAWER_KICK + b"\x0022"]
        await pilot.press("f3", *"50", "enter", *"cash drop", "enter")
        await settle(app, pilot)
        assert [p.output for p in printed[before:]] == [DRAWER_KICK + b"\x0022"] * 2
        assert "Cash out" in status(app)


async def test_the_return_receipt_names_the_products_and_f8_prints_a_copy(  # type: ignore[no-untyped-def]
    till_factory, printed, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = till_factory()
    async with app.run_test(size=(130, 40)) as pilot:
        await sign_in(app, pilot)
        order = await app.client.call(Api.place_order(
            OrderCreate(lines=[LineIn(sku=MOKA, qty=1)]), key()))
        order = await app.client.call(Api.pay(order.number, PaymentIn(
            tender="card", amount_cents=order.total_cents, card_token="approve")))
        await pilot.press("f11")
        await settle(app, pilot)
        assert isinstance(app.screen, ReturnsScreen)
        await pilot.press(*(order.receipt_code or ""), "enter")
        await settle(app, pilot)
        await pilot.press("f2", "f3", "f5")  # one back, damaged, refund
        await settle(app, pilot)
        assert "refunded" in status(app)
        paper = _paper(printed[-1].output)
        name = order.lines[0].name
        assert " ".join(name.split()[:2]) in paper and MOKA not in paper
        assert "danneggiato" in paper and "damaged" not in paper
        assert "di cui IVA 22%" in paper and "Carta" in paper
        assert app.store.address.split(",")[0] in paper and "COPIA" not in paper
        await pilot.press("f8")
        await settle(app, pilot)
        assert "COPIA" in _paper(printed[-1].output)


async def test_each_store_says_its_own_return_window(core_client) -> None:  # type: ignore[no-untyped-def]
    stores = {s.code: s for s in await core_client("MI01", "pos").call(Api.stores())}
    assert stores["MI01"].return_window_days == 30
    assert stores["TO01"].kind == "franchise" and stores["TO01"].return_window_days == 14
