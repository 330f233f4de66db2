"""Scanning at the till, as the cashier sees it: the basket table and the total
under it.

A scan changes one line, and the basket table redraws that line alone: in a
200-line basket the other 199 rows stay as they were (the whole table used to be
refilled on every scan, about half of a scan's time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Label

from pos.app import PosApp
from pos.dialogs.confirm import ConfirmDialog
from pos.screens.sell import SellScreen
from pos.widgets.basket_table import BasketTable
from shared.client import Api, AsyncCommerceClient
from shared.schemas.orders import CartCreate, CartLineSet
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, status
from tests.support import Seeded

MOKA, BOOK, MUG = "HO-MOK-05", "BK-NOV-02", "HO-MUG-01-BLU"

TillFactory = Callable[..., PosApp]
ClientFactory = Callable[[str, str], AsyncCommerceClient]


def _table(app: PosApp) -> BasketTable:
    return app.screen.query_one("#lines", BasketTable)


def _rows(app: PosApp) -> list[list[str]]:
    table = _table(app)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def _total(app: PosApp) -> str:
    return str(app.screen.query_one("#total", Label).render())


def _sell(app: PosApp) -> SellScreen:
    assert isinstance(app.screen, SellScreen), app.screen
    return app.screen


async def _scan(app: PosApp, pilot: Pilot[None], code: str) -> None:
    await pilot.press(*code, "enter")
    await settle(app, pilot)


async def test_a_scan_adds_a_line_and_the_total(till_factory: TillFactory) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(app, pilot)
        assert _rows(app) == [] and _total(app) == f"Total {app.money(0)}"
        await _scan(app, pilot, MOKA)
        cart = _sell(app).cart
        assert cart is not None
        line = cart.lines[0]
        assert _rows(app) == [[line.name, MOKA, "1", app.money(line.unit_price_cents), "",
                               app.money(line.total_cents)]]
        assert _total(app) == f"Total {app.money(cart.total_cents)}"
        await _scan(app, pilot, BOOK)
        cart = _sell(app).cart
        assert cart is not None
        assert [row[1] for row in _rows(app)] == [MOKA, BOOK]
        assert _total(app) == f"Total {app.money(cart.total_cents)}"
        # The cursor is on the line just scanned.
        assert _table(app).selected_sku() == BOOK


async def test_scanning_the_same_item_twice_makes_it_two(till_factory: TillFactory) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(app, pilot)
        await _scan(app, pilot, MOKA)
        one = _rows(app)
        await _scan(app, pilot, MOKA)
        cart = _sell(app).cart
        assert cart is not None
        unit = cart.lines[0].unit_price_cents
        assert len(_rows(app)) == 1
        assert _rows(app)[0] == [one[0][0], MOKA, "2", app.money(unit), "",
                                 app.money(2 * unit)]
        assert _total(app) == f"Total {app.money(2 * unit)}"


async def test_a_line_taken_down_to_nothing_leaves_the_basket(
    till_factory: TillFactory, seeded_sqlite: Seeded
) -> None:
    for sku in (MOKA, BOOK, MUG):
        set_stock(seeded_sqlite.url, "MI01", sku, 10)
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(app, pilot)
        for sku in (MOKA, BOOK, MUG):
            await _scan(app, pilot, sku)
        before = _rows(app)
        await pilot.press("up")  # from the mug, just scanned, to the book
        await pilot.press("f7")
        await settle(app, pilot)
        assert _rows(app) == [before[0], before[2]]
        cart = _sell(app).cart
        assert cart is not None and [line.sku for line in cart.lines] == [MOKA, MUG]
        assert _total(app) == f"Total {app.money(cart.total_cents)}"
        # F5 on the line now selected adds one of it; the others stay as they were.
        selected = _table(app).selected_sku()
        assert selected in (MOKA, MUG)
        await pilot.press("f5")
        await settle(app, pilot)
        rows = {row[1]: row for row in _rows(app)}
        assert rows[selected][2] == "2"
        other = MUG if selected == MOKA else MOKA
        assert rows[other] == next(row for row in before if row[1] == other)


async def test_voiding_the_sale_empties_the_table_and_the_total(
    till_factory: TillFactory,
) -> None:
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(app, pilot)
        await _scan(app, pilot, MOKA)
        await _scan(app, pilot, BOOK)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert "voided" in status(app)
        assert _rows(app) == [] and _total(app) == f"Total {app.money(0)}"


async def _skus(client: AsyncCommerceClient, count: int) -> list[str]:
    skus: list[str] = []
    cursor: str | None = None
    while len(skus) < count:
        page = await client.call(Api.products(limit=100, cursor=cursor))
        skus += [product.sku for product in page.items]
        assert page.next_cursor, f"the demo catalog has fewer than {count} products"
        cursor = page.next_cursor
    return skus[:count]


async def _parked_basket(core_client: ClientFactory, skus: list[str]) -> str:
    """A basket of ``skus`` rung up on another till of the store and parked; its id."""
    other = core_client("MI01", "pos")
    other.staff_token = (await other.call(Api.staff_sign_in("1111"))).token
    cart = await other.call(Api.create_cart(CartCreate()))
    for sku in skus:
        await other.call(Api.change_cart_line(cart.id, CartLineSet(sku=sku, qty=1)))
    await other.call(Api.park_cart(cart.id))
    await other.aclose()
    return cart.id


async def _recalled(app: PosApp, pilot: Pilot[None]) -> BasketTable:
    """Signed in, F4 on an empty till and the one parked sale: its basket table."""
    await sign_in(app, pilot)
    await pilot.press("f4")
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    return _table(app)


async def test_a_scan_in_a_200_line_basket_redraws_one_row(
    till_factory: TillFactory, core_client: ClientFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The basket is rung up on another till of the store and parked; this till
    recalls it (F4) and scans one of its items again."""
    skus = await _skus(core_client("MI01", "pos"), 200)
    await _parked_basket(core_client, skus)

    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _recalled(app, pilot)
        assert table.row_count == 200
        before = _rows(app)
        keys = list(table.rows)
        redrawn: list[int] = []
        refilled: list[bool] = []
        real_show, real_clear = table.show, table.clear

        def show(*args: Any, **kwargs: Any) -> int:
            redrawn.append(real_show(*args, **kwargs))
            return redrawn[-1]

        def clear(*args: Any, **kwargs: Any) -> BasketTable:
            refilled.append(True)
            return real_clear(*args, **kwargs)

        monkeypatch.setattr(table, "show", show)
        monkeypatch.setattr(table, "clear", clear)
        target = skus[120]
        await _scan(app, pilot, target)
        after = _rows(app)
        assert table.row_count == 200 and list(table.rows) == keys
        changed = [i for i, (old, new) in enumerate(zip(before, after, strict=True))
                   if old != new]
        assert [after[i][1] for i in changed] == [target]
        assert after[changed[0]][2] == "2"
        assert redrawn and redrawn[-1] == 1 and not refilled
        assert table.selected_sku() == target
        cart_now = _sell(app).cart
        assert cart_now is not None
        assert _total(app) == f"Total {app.money(cart_now.total_cents)}"


async def test_scans_into_a_long_basket_show_the_cores_lines_and_totals(
    till_factory: TillFactory, core_client: ClientFactory, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Into a 120-line basket: an item again (three times), a new item, a line taken
    down to nothing. After each, the till's lines and total are the core's basket as
    the core reads it whole, and the table draws again only the rows that changed
    (the line scanned, and the rows the cursor left and came to): the rows in
    view that did not change are not drawn again."""
    skus = await _skus(core_client("MI01", "pos"), 121)
    basket, new_item = skus[:120], skus[120]
    cart_id = await _parked_basket(core_client, basket)
    reader = core_client("MI01", "pos")
    reader.staff_token = (await reader.call(Api.staff_sign_in("1111"))).token

    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        table = await _recalled(app, pilot)
        assert table.row_count == 120
        drawn: set[int] = set()
        real = table._compute_row_renderables

        def draws(row_index: int) -> Any:
            drawn.add(row_index)
            return real(row_index)

        monkeypatch.setattr(table, "_compute_row_renderables", draws)

        async def shows_the_core(step: str) -> None:
            core = await reader.call(Api.cart(cart_id))
            mine = _sell(app).cart
            assert mine is not None and mine.lines == core.lines, step
            assert (mine.total_cents, mine.tax_cents) == (core.total_cents, core.tax_cents)
            assert _total(app) == f"Total {app.money(core.total_cents)}", step
            assert _rows(app) == [[line.name if len(line.name) <= table._room
                                   else line.name[:table._room - 1] + "…", line.sku,
                                   str(line.qty), app.money(line.unit_price_cents),
                                   f"-{app.money(line.discount_cents)}"
                                   if line.discount_cents else "",
                                   app.money(line.total_cents)] for line in core.lines], step

        async def drawn_after(step: str, *keys: str) -> set[int]:
            """The rows drawn from pressing ``keys`` until the screen is idle."""
            drawn.clear()
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.wait_for_scheduled_animations()
            await settle(app, pilot)
            await shows_the_core(step)
            return set(drawn)

        await drawn_after("recalled")
        # The first scan scrolls the table to the line: the rows come into view.
        await drawn_after("scrolled to the line", *basket[119], "enter")
        for step, code in (("again", basket[119]), ("once more", basket[119]),
                           ("a new item", new_item)):
            rows = await drawn_after(step, *code, "enter")
            assert rows, f"{step}: the table drew nothing (is it on the screen?)"
            assert len(rows - {-1}) <= 3, f"{step}: rows drawn again {sorted(rows)}"
        rows = await drawn_after("a line taken off", "f7")  # the new line, selected, goes
        assert table.row_count == 120 and new_item not in table.rows
        assert len(rows - {-1}) <= 3, f"a line taken off: rows drawn again {sorted(rows)}"
    await reader.aclose()
