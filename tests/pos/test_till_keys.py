"""The till's keys as a new cashier meets them (issue 14, item 12): F1 shows the
till's own keys and closes again, Ctrl+Q asks before it drops a sale, a scan
lands wherever the focus is, and a refused PIN never says whose it was."""

from __future__ import annotations

from textual.widgets import DataTable

from pos.dialogs.confirm import ConfirmDialog
from pos.dialogs.keys import KeysDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.sell import SellScreen
from shared.client import Api
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, text_of

MOKA = "HO-MOK-05"


async def test_f1_lists_the_tills_keys_and_f1_or_esc_closes_it(till_factory,  # type: ignore[no-untyped-def]
                                                               seeded_sqlite) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, KeysDialog)
        table = app.screen.query_one("#keys-table", DataTable)
        does = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Cash" in does and "Void" in does and "Customer" in does
        # Not the scan field's text-editing keys.
        assert not [d for d in does if "cursor" in d.lower() or "delete" in d.lower()]
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        await pilot.press("f1")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)


async def test_ctrl_q_asks_and_parks_the_sale(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    set_stock(seeded_sqlite.url, "MI01", MOKA, 5)
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and app.is_running
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        parked = await app.client.call(Api.parked_carts())
        assert [line.sku for cart in parked for line in cart.lines] == [MOKA]
    assert app.return_code == 0


async def test_a_scan_lands_when_the_focus_is_elsewhere(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    set_stock(seeded_sqlite.url, "MI01", MOKA, 5)
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        # The cashier clicked the lines; then the scanner fires.
        app.screen.query_one("#lines", DataTable).focus()
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        assert {line.sku: line.qty for line in app.screen.cart.lines} == {MOKA: 2}


async def test_a_refused_approval_does_not_name_the_pin_owner(till_factory,  # type: ignore[no-untyped-def]
                                                              seeded_sqlite) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 5)
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+t")
        await settle(app, pilot)
        await pilot.press(*"50%", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press(*"1111", "enter")  # the cashier's own PIN
        await settle(app, pilot)
        said = text_of(app, "#supervisor-error")
        assert "supervisor" in said and "Marco" not in said and "Bianchi" not in said
