"""Issue 13, item 7 (b) at the till: with a fiscal printer (an Epson RT, here the
fake of ``tests/support_fiscal.py``) every sale is printed on it once, its
numbers reach the core, a fault is said to the cashier and F8 tries again, and a
reprint is a courtesy copy on the receipt printer, never a second document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos.app import PosApp
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.fiscal import (
    check_fiscal_printer,
    close_fiscal_day,
    issue_refund_document,
    issue_sale_document,
    send_pending,
)
from pos.messages import Problem
from pos.offline.store import LocalStore
from pos.screens.sell import SellScreen
from shared.client import Api, Call
from shared.errors import Unavailable
from shared.fiscal import EpsonFiscalPrinter, sale_from_order
from shared.schemas.fiscal import FiscalDocument
from shared.schemas.orders import OrderOut
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, status
from tests.support_fiscal import FakeRT, fake_rt
from tests.unit.receipt_samples import refunded_return, sale

MOKA = "HO-MOK-05"


@pytest.fixture
def rt() -> Iterator[FakeRT]:
    with fake_rt() as fake:
        yield fake


async def _sell_and_print(app: PosApp, pilot, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    await sign_in(app, pilot)
    assert isinstance(app.screen, SellScreen)
    await pilot.press(*MOKA, "enter")
    await settle(app, pilot)
    await pilot.press("f3")  # card
    await settle(app, pilot)
    assert isinstance(app.screen, ReceiptChoiceDialog), app.screen
    await pilot.press("p")
    await settle(app, pilot)


async def test_a_sale_is_printed_on_the_rt_once_a_fault_said_and_the_core_records_it(  # type: ignore[no-untyped-def]
        till_factory, seeded_sqlite, rt: FakeRT, printed, core_client) -> None:
    """One flow: the RT is out of paper at the sale (said, nothing printed, the sale
    safe); F8 with a new roll prints it there and the core records its numbers; F8
    again is a courtesy copy on the receipt printer, never a second document."""
    app = till_factory()
    app.fiscal_printer = EpsonFiscalPrinter(rt.url, timeout=3)
    rt.fault = "paper_out"
    async with app.run_test(size=(120, 36)) as pilot:
        await _sell_and_print(app, pilot, seeded_sqlite)
        assert ("The fiscal printer is out of paper; no fiscal document was printed. "
                "F8 tries the fiscal printer again.") in status(app)
        assert rt.printed == [] and app.last_order.fiscal_document is None
        rt.fault = None  # a new roll
        await pilot.press("f8")
        await settle(app, pilot)
        assert status(app) == "Fiscal receipt 0007-0001 printed."
        order = app.last_order
        assert rt.refusals == ["paper end"] and len(rt.printed) == 1
        assert rt.printed[0].amount_cents == order.total_cents
        assert rt.printed[0].payments == [(2, order.total_cents)]  # by card
        assert not printed  # the RT's paper is the receipt: nothing on the ESC/POS printer
        async with core_client("MI01", "pos") as other:
            recorded = (await other.call(Api.order(order.number))).fiscal_document
        assert recorded and (recorded.closure_number, recorded.document_number) == (7, 1)
        assert recorded.serial == "99MEY012345"
        await pilot.press("f8")  # a copy for the customer
        await settle(app, pilot)
        assert len(rt.printed) == 1 and len(printed) == 1
        paper = printed[0].output
        assert b"DOCUMENTO NON FISCALE" in paper
        assert b"Rif. documento commerciale 0007-0001" in paper


class _Till:
    """What the returns desk and the till close hand the fiscal helpers: an app
    with an RT, a core to ask for the original sale, and a notice board."""

    def __init__(self, rt: FakeRT, original: OrderOut | None = None) -> None:
        self.fiscal_printer = EpsonFiscalPrinter(rt.url, timeout=3)
        self.original = original
        self.client = self
        self.offline = None
        self.notices: list[str] = []
        self.core_down = False
        self.recorded: dict[str, FiscalDocument] = {}

    async def call(self, call: Call[OrderOut]) -> OrderOut:
        if isinstance(call.body, FiscalDocument):
            if self.core_down:
                raise Unavailable("The store system is not answering.")
            number = call.path.split("/")[3]
            self.recorded[number] = call.body
            return sale().model_copy(update={"number": number, "fiscal_document": call.body})
        assert self.original is not None
        return self.original

    def explain(self, error: Exception) -> str:
        return str(error)

    def money(self, cents: int) -> str:
        return f"{cents / 100:.2f}"

    def post_message(self, message: Problem) -> None:
        self.notices.append(message.text)


async def test_a_refund_is_a_reso_and_the_till_close_is_the_rt_closure(rt: FakeRT) -> None:
    sold = sale()
    receipt = EpsonFiscalPrinter(rt.url).print_sale(sale_from_order(sold))
    till = _Till(rt, sold.model_copy(update={"fiscal_document": receipt.as_document()}))
    ret, _ = refunded_return()
    assert await issue_refund_document(till, ret) == ("Fiscal reso 0007-0002 printed (sale "
                                                      "0007-0001).")
    assert rt.printed[-1].kind == "refund" and rt.refusals == []
    said = await close_fiscal_day(till)
    day = (sold.total_cents - ret.refund_cents) / 100
    assert said == f"Fiscal closure 0007 printed, day's total {day:.2f}."
    rt.fault = "paper_out"
    assert "out of paper" in (await close_fiscal_day(till) or "")
    assert till.notices and "keypad" in till.notices[-1]


async def test_a_return_the_rt_never_sold_is_a_credit_note(rt: FakeRT) -> None:
    ret, _ = refunded_return()
    said = await issue_refund_document(_Till(rt, sale()), ret)
    assert said and "credit note" in said and rt.printed == []
    without_receipt = ret.model_copy(update={"order_number": None})
    assert "without a receipt" in (await issue_refund_document(_Till(rt), without_receipt) or "")


async def test_numbers_the_core_could_not_take_are_sent_with_the_next_sale(rt: FakeRT) -> None:
    till = _Till(rt)
    till.core_down = True
    first = sale().model_copy(update={"number": "T1-5"})  # sold offline
    order, said = await issue_sale_document(till, first, "saved")
    assert said == ("Fiscal receipt 0007-0001 printed; the store system records it when it "
                    "answers.")
    assert order.fiscal_document is None and till.recorded == {}
    till.core_down = False
    second = sale().model_copy(update={"number": "MI01-000200"})
    order, said = await issue_sale_document(till, second, "saved")
    assert said == "Fiscal receipt 0007-0002 printed." and order.fiscal_document
    assert [(n, d.document_number) for n, d in till.recorded.items()] == [("T1-5", 1),
                                                                          ("MI01-000200", 2)]
    assert len(rt.printed) == 2 and till.notices == []


async def test_the_till_asks_the_rt_its_state_when_it_starts(rt: FakeRT) -> None:
    till = _Till(rt)
    assert await check_fiscal_printer(till) is None and till.notices == []
    rt.fault = "paper_out"
    said = await check_fiscal_printer(till)
    assert said == "The fiscal printer is offline (out of paper or cover open)."
    assert till.notices == [said]
    rt.fault = "offline"
    assert "not answering" in (await check_fiscal_printer(till) or "")


class _Offline:
    """What a real till has beside its RT: its own SQLite file (``till.db``)."""

    def __init__(self, folder: Path) -> None:
        self.store = LocalStore(folder)
        self.active = False


async def test_rt_numbers_the_core_has_not_recorded_survive_a_till_restart(
    rt: FakeRT, tmp_path: Path
) -> None:
    """A sale printed on the RT while the core was down: the till is then closed (or
    killed). Its document numbers were only in memory, so the core never learnt
    them and a refund of that sale could not name its RT document. Kept in the
    till's own file, they reach the core from the next till run, and the sale is
    not printed on the RT a second time."""
    first_run = _Till(rt)
    first_run.offline = _Offline(tmp_path)
    first_run.core_down = True
    offline_sale = sale().model_copy(update={"number": "T1-5"})
    await issue_sale_document(first_run, offline_sale, "saved")
    assert first_run.recorded == {} and len(rt.printed) == 1
    first_run.offline.store.close()

    second_run = _Till(rt)
    second_run.offline = _Offline(tmp_path)
    order, said = await issue_sale_document(second_run, offline_sale, "saved")
    assert said == "Fiscal receipt 0007-0001 was printed already."
    assert len(rt.printed) == 1  # never a second fiscal document for one sale
    assert order.fiscal_document is not None and order.fiscal_document.document_number == 1
    assert list(second_run.recorded) == ["T1-5"]
    await send_pending(second_run)
    assert list(second_run.recorded) == ["T1-5"]  # sent once, then forgotten as pending
