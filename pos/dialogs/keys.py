"""F1: the keys of the screen in front, as the till is configured (remapped keys
show as remapped), without the text-editing keys of the scan field. F1 or Esc
closes it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Label

from pos.screens.base import StaffDialog
from shared.i18n import N_


class KeysDialog(StaffDialog[None]):
    BINDINGS = [Binding("f1,escape", "close", N_("Close"), id="keys_close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.rows: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            # Only what the screen and the app offer; a text field's own keys
            # (cursor, delete, select) are the same everywhere.
            if active.node not in (screen, screen.app) or binding.id in seen:
                continue
            if binding.action in ("app.keys", "close"):
                continue
            seen.add(binding.id or binding.action)
            self.rows.append((screen.app.get_key_display(binding), binding.description,
                              active.tooltip or binding.tooltip))
        self.title_text = self.t("Keys — {screen} (F1 or Esc closes)",
                                 screen=screen.__class__.__name__.removesuffix("Screen"))

    def compose(self) -> ComposeResult:
        with Vertical(id="keys", classes="dialog"):
            yield Label(self.title_text, classes="title")
            yield DataTable(id="keys-table", cursor_type="none", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#keys-table", DataTable)
        table.add_columns(self.t("Key"), self.t("Does"), "")
        for row in self.rows:
            table.add_row(*row)

    def action_close(self) -> None:
        self.dismiss(None)
