"""The sale's lines, one row per SKU, changed row by row.

Clearing and refilling the table on every scan cost a 200-line basket about half
of its scan time; a scan changes one line, so this table compares what each row
shows with what it should show and adds, updates or removes only the rows that
differ. The cursor stays on the line the cashier had selected, or moves to the
line just scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual.message import Message
from textual.render import measure
from textual.widgets._data_table import default_cell_formatter
from textual.widgets.data_table import ColumnKey

from pos.widgets.row_cached_table import RowCachedTable
from shared.i18n import N_
from shared.schemas.orders import CartLineOut, OrderLineOut

COLUMNS = (("item", N_("Item")), ("sku", N_("SKU")), ("qty", N_("Qty")),
           ("price", N_("Price")), ("discount", N_("Discount")), ("total", N_("Total")))
"""The headers, in the till's language when the table is first filled."""

OTHER_COLUMNS_WIDTH = 62
"""What every column but the item's name takes on the screen: the name gives way
first, so Qty and Total always show (80x24 too)."""

Cells = tuple[str, str, str, str, str, str]

Shown = tuple[tuple[str, int, int, int, int, int], Cells]
"""A row: the line's figures (name, qty, unit price, discount, total, name room)
and the cells drawn from them. Formatting money is the costly part of a row (a
locale lookup per amount), so a row whose figures did not change is not drawn
again."""


class BasketTable(RowCachedTable[str]):
    """The lines of the sale on the till (a basket's, or a placed order's); a row
    that did not change is not drawn again (:class:`RowCachedTable`)."""

    @dataclass
    class Redrawn(Message):
        """The table shows new lines: ``changed`` rows were added, updated or removed."""

        table: BasketTable
        changed: int

        @property
        def control(self) -> BasketTable:
            return self.table

    def __init__(self, money: Callable[[int], str], *, id: str | None = None,
                 t: Callable[[str], str] = str) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._money = money
        self._t = t
        """The headers' words in the till's language (as they are, by default)."""
        self._shown: dict[str, Shown] = {}
        """What each row shows, by SKU, in the table's order."""
        self._lines: Sequence[CartLineOut | OrderLineOut] = ()
        self._room = 0

    def selected_sku(self) -> str | None:
        """The SKU of the line under the cursor, None on an empty table."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value)

    def step(self, rows: int) -> None:
        """Move the selection ``rows`` lines down (up when negative), within the lines."""
        if self.row_count:
            self.move_cursor(row=max(0, min(self.row_count - 1, self.cursor_row + rows)),
                             scroll=True)

    def show(self, lines: Sequence[CartLineOut | OrderLineOut],
             select: str | None = None) -> int:
        """Show ``lines``, keeping the cursor on the selected line (or on ``select``);
        the number of rows that changed."""
        if not self.columns:
            for key, label in COLUMNS:
                self.add_column(self._t(label), key=key)
        keep, row = select or self.selected_sku(), self.cursor_row
        self._lines = lines
        room = self._name_room()
        wanted = {line.sku: self._row(line, room) for line in lines}
        changed = self._apply(wanted, rebuild=room != self._room)
        self._room = room
        skus = list(wanted)
        if skus:
            target = skus.index(keep) if keep in skus else min(row, len(skus) - 1)
            if target != self.cursor_row or changed:
                self.move_cursor(row=target, scroll=True)
        if changed:
            self.post_message(self.Redrawn(self, changed))
        return changed

    def refit(self) -> None:
        """The screen changed width: names are cut to the new room."""
        if self._name_room() != self._room:
            self.show(self._lines)

    def _name_room(self) -> int:
        width = self.screen.size.width if self.is_attached else 0
        return max(12, width - OTHER_COLUMNS_WIDTH)

    def _row(self, line: CartLineOut | OrderLineOut, room: int) -> Shown:
        figures = (line.name, line.qty, line.unit_price_cents, line.discount_cents,
                   line.total_cents, room)
        shown = self._shown.get(line.sku)
        if shown is not None and shown[0] == figures:
            return shown
        money = self._money
        name = line.name if len(line.name) <= room else line.name[:room - 1] + "…"
        return figures, (name, line.sku, str(line.qty), money(line.unit_price_cents),
                         f"-{money(line.discount_cents)}" if line.discount_cents else "",
                         money(line.total_cents))

    def _resizes(self, column: str, old: str, new: str) -> bool:
        """Whether a cell changed from ``old`` to ``new`` can change its column's
        width: only when it is wider than the column, or was the widest cell and
        narrows. Asking the table to fit the column otherwise measures every cell
        of it (a 200-line basket's every quantity, on each scan)."""
        console = self.app.console
        widest = self.columns[ColumnKey(column)].content_width
        before = measure(console, default_cell_formatter(old, wrap=False, height=1), 1)
        after = measure(console, default_cell_formatter(new, wrap=False, height=1), 1)
        return after > widest or (before >= widest and after < before)

    def _apply(self, wanted: dict[str, Shown], rebuild: bool) -> int:
        """Turn the rows shown into ``wanted``: rows gone are removed, changed cells
        updated, new rows appended. Rows are only ever appended, so when the order
        of the rows that stay differs (or every name is cut anew) the table is
        filled again from scratch."""
        kept = [sku for sku in self._shown if sku in wanted]
        if rebuild or kept != [sku for sku in wanted if sku in self._shown]:
            gone = len(self._shown)
            self.clear()
            self._shown = {}
            for sku, row in wanted.items():
                self.add_row(*row[1], key=sku)
                self._shown[sku] = row
            return max(gone, len(wanted))
        changed = 0
        for sku in [sku for sku in self._shown if sku not in wanted]:
            self.remove_row(sku)
            del self._shown[sku]
            changed += 1
        for sku, row in wanted.items():
            shown = self._shown.get(sku)
            if shown is row:
                continue
            self._shown[sku] = row
            if shown is None:
                self.add_row(*row[1], key=sku)
            elif shown[1] != row[1]:
                for (column, _), old, new in zip(COLUMNS, shown[1], row[1], strict=True):
                    if old != new:
                        self.update_cell(sku, column, new,
                                         update_width=self._resizes(column, old, new))
            else:
                continue
            changed += 1
        return changed
