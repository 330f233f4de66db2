"""The till's day: open with a float, cash in and out, X report, close with a
counted drawer (a supervisor approves a variance over the limit), Z report."""

from __future__ import annotations

from pos.dialogs.amount import AmountDialog, parse_amount
from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.login import LoginScreen
from pos.screens.open_till import OpenTillScreen
from pos.screens.sell import SellScreen
from pos.screens.till import TillScreen
from shared.client import Api
from tests.pos.pilot import settle
from tests.pos.pilot import text_of as _text


def test_amounts_as_cashiers_type_them() -> None:
    assert parse_amount("150") == 15_000
    assert parse_amount("150,5") == 15_050
    assert parse_amount(" 12.34 € ") == 1_234
    assert (parse_amount("0,005"), parse_amount("0,015")) == (0, 2)  # half-even on the cent
    for wrong in ("", "abc", "-5", "1e9", "nan"):
        assert parse_amount(wrong) is None, wrong


async def test_a_closed_till_asks_for_the_float_then_sells(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory(till_open=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OpenTillScreen)
        await pilot.press(*"abc", "enter")
        await settle(app, pilot)
        assert "Type an amount" in _text(app, "#status")
        await pilot.press("backspace", "backspace", "backspace", *"120,50", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        report = await app.client.call(Api.till_report())
        assert report.kind == "X" and report.float_cents == 12_050
        assert report.opened_by == "Marco Bianchi"


async def test_cash_in_out_and_x_report(till_factory) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, TillScreen)
        assert "X REPORT" in _text(app, "#report")
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, AmountDialog)
        await pilot.press(*"20", "enter", "enter")  # no reason yet
        await settle(app, pilot)
        assert "Say why" in _text(app, "#amount-error")
        await pilot.press(*"coins from the safe", "enter")
        await settle(app, pilot)
        await pilot.press("f3", *"500", "enter", *"cash drop", "enter")
        await settle(app, pilot)
        assert "not that much cash" in _text(app, "#status")
        await pilot.press("f3", *"50", "enter", *"cash drop", "enter")
        await settle(app, pilot)
        report = await app.client.call(Api.till_report())
        assert (report.cash_in_cents, report.cash_out_cents) == (2_000, 5_000)
        assert report.expected_cash_cents == report.float_cents + 2_000 - 5_000
        shown = _text(app, "#report")
        assert "Cash in" in shown and app.money(2_000) in shown
        assert "Expected" not in shown  # a cashier counts blind (test_till_close_blind.py)


async def test_close_with_a_variance_needs_a_supervisor_then_z_report(  # type: ignore[no-untyped-def]
    till_factory, printed
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        expected = (await app.client.call(Api.till_report())).expected_cash_cents
        await pilot.press("f12")
        await settle(app, pilot)
        counted = expected - 1_000  # ten euros short: over the 5.00 limit
        await pilot.press("f12", *f"{counted / 100:.2f}", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press(*"1111", "enter")  # the cashier cannot approve their own count
        await settle(app, pilot)
        assert "a supervisor's PIN is needed" in _text(app, "#supervisor-error")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "supervisor must approve" in _text(app, "#status")
        assert (await app.client.call(Api.till_report())).kind == "X"  # still open

        await pilot.press("f12", *f"{counted / 100:.2f}", "enter")
        await settle(app, pilot)
        await pilot.press(*"2222", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TillScreen)
        shown = _text(app, "#report")
        assert "Z REPORT" in shown and "Variance approved by Giulia Verdi" in shown
        assert "-" + app.money(1_000) in shown
        await pilot.press("f8")
        await settle(app, pilot)
        assert "Z REPORT" in printed[-1].output.decode("cp437", errors="replace")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"1111", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, OpenTillScreen)  # the next shift counts a new float
