"""The till's lines fit their columns as a table filled afresh would, while a
scan measures only the cells it changes (issue 17: fitting a column measured a
200-line basket's every cell on each scan)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets.data_table import ColumnKey

from pos.widgets.basket_table import COLUMNS, BasketTable
from shared.schemas.orders import CartLineOut


def _line(sku: str, qty: int) -> CartLineOut:
    return CartLineOut(sku=sku, name=f"Item {sku}", qty=qty, unit_price_cents=250,
                       discount_cents=0, total_cents=250 * qty, vat_rate_bp=2200)


def _money(cents: int) -> str:
    return f"€{cents / 100:.2f}"


class _Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield BasketTable(_money, id="kept")


def _widths(table: BasketTable) -> list[int]:
    return [table.columns[ColumnKey(key)].content_width for key, _ in COLUMNS]


async def test_columns_widen_and_narrow_back_as_a_fresh_table_fits_them() -> None:
    app = _Tables()
    async with app.run_test(size=(120, 40)) as pilot:
        kept = app.query_one("#kept", BasketTable)
        lines = [_line(f"SKU-{n:03}", 1) for n in range(30)]
        kept.show(lines)
        for qty in (9, 10, 12345, 10, 2, 1):
            lines[7] = _line("SKU-007", qty)
            kept.show(list(lines))
            await pilot.pause()
            fresh = BasketTable(_money)
            await app.mount(fresh)
            fresh.show(list(lines))
            await pilot.pause()
            assert _widths(kept) == _widths(fresh), qty
            await fresh.remove()
            assert str(kept.get_row("SKU-007")[2]) == str(qty)
