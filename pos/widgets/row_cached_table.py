"""A DataTable that draws again only the cells of rows that changed.

Textual's DataTable keys every cache of what it drew (cells, rows, lines) on one
counter that any change bumps: after one cell of a 200-line basket changes, each
row in view is drawn again, cell by cell, through Rich (about 30 rows, 6 cells
each), which was most of a till's scan. This table keeps the cells it drew
keyed on the row's own changes instead: a cell is drawn again only when its row
changed (a cell updated, the row added or removed), or it moved, its column's
width, its style, the cursor or hover on it changed, or the table was cleared or
restyled. Rows and lines are still put together from those cells as before
(cheap next to drawing the cells).
"""

from __future__ import annotations

from itertools import count
from typing import Any, TypeVar

from rich.style import Style
from textual.cache import LRUCache
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

CellType = TypeVar("CellType")

CELLS_KEPT = 10_000
"""Cells drawn and kept (as many as the DataTable's own cache)."""


class RowCachedTable(DataTable[CellType]):
    """A DataTable whose cells are drawn again only when their own row changed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._changes = count(1)
        self._row_change: dict[RowKey, int] = {}
        """When each row last changed (by the counter above); 0 for one never changed."""
        self._generation = 0
        """Bumped when the table is cleared or its columns change: nothing drawn before holds."""
        self._cells: LRUCache[tuple[Any, ...], Any] = LRUCache(CELLS_KEPT)

    def _row_changed(self, row_key: RowKey | str) -> None:
        key = RowKey(row_key) if isinstance(row_key, str) else row_key
        self._row_change[key] = next(self._changes)

    def update_cell(self, row_key: RowKey | str, column_key: ColumnKey | str,
                    value: CellType, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, value, update_width=update_width)
        self._row_changed(row_key)

    def add_row(self, *cells: CellType, height: int | None = 1, key: str | None = None,
                label: Any = None) -> RowKey:
        row_key = super().add_row(*cells, height=height, key=key, label=label)
        self._row_changed(row_key)
        return row_key

    def remove_row(self, row_key: RowKey | str) -> None:
        super().remove_row(row_key)
        self._row_changed(row_key)

    def add_column(self, *args: Any, **kwargs: Any) -> ColumnKey:
        self._generation += 1
        return super().add_column(*args, **kwargs)

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._forget_cells()

    def notify_style_update(self) -> None:
        self._forget_cells()
        super().notify_style_update()

    def _forget_cells(self) -> None:
        # Attributes are set in __init__, after DataTable's own may already call this.
        if hasattr(self, "_cells"):
            self._generation += 1
            self._cells.clear()

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> Any:
        row_key = (self._row_locations.get_key(row_index) if row_index >= 0
                   else self._header_row_key)
        changed = self._row_change.get(row_key, 0) if row_key is not None else 0
        key = (self._generation, row_key, changed, row_index,
               column_index, base_style, width, cursor, hover, self.show_cursor,
               self._show_hover_cursor, self._pseudo_class_state)
        drawn = self._cells.get(key)
        if drawn is None:
            drawn = super()._render_cell(row_index, column_index, base_style, width,
                                         cursor, hover)
            self._cells[key] = drawn
        return drawn
