"""The cashier at the counter: each key lands on the line they see selected, every
press and scan counts, the right customer (or none) earns the points, and a
sale is never dropped by a key pressed by mistake.

Each test was written from a finding of issue 14 and failed on the till before
the fix."""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable

from pos.dialogs.confirm import ConfirmDialog
from pos.screens.customer import CustomerScreen
from pos.screens.login import LoginScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, status, text_of, wait_until

MOKA, BOOK = "HO-MOK-05", "BK-NOV-02"


def _qty(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    cart = app.screen.cart
    return {line.sku: line.qty for line in cart.lines} if cart else {}


def _selected(app) -> str:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#lines", DataTable)
    row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return str(row_key.value)


def _burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as a scanner or a fast cashier sends them: each one queued at once,
    without waiting for the till to finish the one before."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def _start(app, pilot, seeded_sqlite, *skus: str) -> None:  # type: ignore[no-untyped-def]
    for sku in skus:
        set_stock(seeded_sqlite.url, "MI01", sku, 20)
    await sign_in(app, pilot)
    assert isinstance(app.screen, SellScreen)


async def test_a_scanned_line_is_selected_and_f5_lands_on_it(till_factory,  # type: ignore[no-untyped-def]
                                                             seeded_sqlite) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA, BOOK)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press(*BOOK, "enter")
        await settle(app, pilot)
        assert _selected(app) == BOOK, "the line just scanned is the one selected"
        await pilot.press("f5")
        await settle(app, pilot)
        assert _qty(app) == {MOKA: 1, BOOK: 2}
        # The cursor stays where the cashier put it after the table is redrawn.
        await pilot.press("up")
        assert _selected(app) == MOKA
        await pilot.press("f5")
        await settle(app, pilot)
        assert _selected(app) == MOKA
        await pilot.press("f5")
        await settle(app, pilot)
        assert _qty(app) == {MOKA: 3, BOOK: 2}


async def test_every_press_and_scan_counts_in_order(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA, BOOK)
        # Three scans in a burst, as a scanner types them.
        _burst(app, *MOKA, "enter", *BOOK, "enter", *MOKA, "enter")
        await wait_until(app, pilot, lambda: _qty(app) == {MOKA: 2, BOOK: 1},
                         what="three scans to land")
        await settle(app, pilot)
        assert _selected(app) == MOKA
        _burst(app, "f5", "f5", "f5", "f5", "f7")
        await wait_until(app, pilot, lambda: _qty(app) == {MOKA: 5, BOOK: 1},
                         what="four up and one down")
        _burst(app, "f7", "f7", "f7", "f7")
        await wait_until(app, pilot, lambda: _qty(app) == {MOKA: 1, BOOK: 1},
                         what="four down")
        await settle(app, pilot)
        assert _qty(app) == {MOKA: 1, BOOK: 1}


async def _find_customer(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, CustomerScreen)
    screen.query_one("#find").value = ""
    await pilot.press(*text, "enter")
    await settle(app, pilot)


async def test_a_search_that_finds_nobody_attaches_nobody(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        await _find_customer(app, pilot, "Rossi")
        assert "Giulia Rossi" in text_of(app, "#profile")
        await _find_customer(app, pilot, "Nobodyhere")
        assert "No customer found" in text_of(app, "#profile")
        await pilot.press("f2")
        await settle(app, pilot)
        assert "Nobody to attach" in text_of(app, "#profile")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        assert app.screen.customer is None and app.screen.cart.customer_id is None


async def test_several_matches_are_listed_to_pick_from(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA)
        await pilot.press("f9")
        await settle(app, pilot)
        # "Ri" starts three surnames: Ricci, Rinaldi, Rizzo.
        await _find_customer(app, pilot, "Ri")
        matches = app.screen.query_one("#matches")
        assert matches.option_count >= 2
        names = [str(matches.get_option_at_index(i).prompt)
                 for i in range(matches.option_count)]
        assert len(names) == 3 and all(" Ri" in name for name in names)
        # The cashier picks the second one; that is who the profile shows.
        matches.focus()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        second = names[1].split("  ")[0]
        assert second in text_of(app, "#profile")
        await pilot.press("f2")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and app.screen.customer is not None
        assert app.screen.customer.name == second


async def test_a_customer_can_be_taken_off_the_sale(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        await _find_customer(app, pilot, "Rossi")
        await pilot.press("f2")
        await settle(app, pilot)
        assert app.screen.cart.customer_id is not None
        await pilot.press("shift+f9")
        await settle(app, pilot)
        assert app.screen.customer is None and app.screen.cart.customer_id is None
        assert "Rossi" not in text_of(app, "#total")


async def test_void_and_sign_out_ask_first(till_factory, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA)
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and _qty(app) == {MOKA: 1}
        await pilot.press("f10")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and _qty(app) == {MOKA: 1}
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert _qty(app) == {} and "voided" in status(app)
        # With nothing on the till, signing out needs no question.
        await pilot.press("f10")
        await wait_until(app, pilot, lambda: isinstance(app.screen, LoginScreen),
                         what="the login screen")


async def test_several_matching_products_are_listed_to_choose_from(till_factory,  # type: ignore[no-untyped-def]
                                                                   seeded_sqlite) -> None:
    from pos.dialogs.pick_product import PickProductDialog

    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite)
        await pilot.press(*"mug", "enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, PickProductDialog) and len(dialog.products) >= 2
        second = dialog.products[1].sku
        set_stock(seeded_sqlite.url, "MI01", second, 5)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and _qty(app) == {second: 1}
        # Esc on the list adds nothing.
        await pilot.press(*"mug", "enter")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert _qty(app) == {second: 1}


async def _basket_discount(app, pilot, percent: str) -> int:  # type: ignore[no-untyped-def]
    """Ctrl+B with ``percent``; returns how many times a supervisor was asked
    (answering 2222 each time, or Esc when ``percent`` ends with '!')."""
    from pos.dialogs.discount import DiscountDialog
    from pos.dialogs.supervisor import SupervisorDialog

    cancel = percent.endswith("!")
    await pilot.press("ctrl+b")
    await settle(app, pilot)
    assert isinstance(app.screen, DiscountDialog)
    await pilot.press(*percent.rstrip("!"), "enter")
    await settle(app, pilot)
    asked = 0
    while isinstance(app.screen, SupervisorDialog):
        asked += 1
        await pilot.press(*(["escape"] if cancel else [*"2222", "enter"]))
        await settle(app, pilot)
    return asked


async def test_a_basket_discount_over_the_limit_asks_once_for_the_whole_basket(  # type: ignore[no-untyped-def]
        till_factory, seeded_sqlite) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA, BOOK)
        await pilot.press(*MOKA, "enter", *BOOK, "enter")
        await settle(app, pilot)
        assert await _basket_discount(app, pilot, "30%") == 1
        lines = app.screen.cart.lines
        assert all(line.discount_percent == 30 for line in lines)


async def test_a_refused_basket_discount_leaves_no_line_discounted(till_factory,  # type: ignore[no-untyped-def]
                                                                   seeded_sqlite) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await _start(app, pilot, seeded_sqlite, MOKA, BOOK)
        await pilot.press(*MOKA, "enter", *BOOK, "enter")
        await settle(app, pilot)
        assert await _basket_discount(app, pilot, "10%") == 0
        assert await _basket_discount(app, pilot, "30%!") == 1
        cart = await app.client.call(Api.cart(app.screen.cart.id))
        # All or nothing: the 10 % given before stays on every line, no 30 % anywhere.
        assert [line.discount_percent for line in cart.lines] == [10, 10]
        assert "supervisor" in status(app).lower()
