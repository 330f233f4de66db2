"""Several products match what the cashier typed: they choose one with the arrows
and Enter (Esc adds nothing)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pos.screens.base import StaffDialog
from shared.i18n import N_
from shared.schemas.catalog import ProductOut


class PickProductDialog(StaffDialog[str | None]):
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, typed: str, products: list[ProductOut],
                 money: Callable[[int], str]) -> None:
        super().__init__()
        self.typed, self.products, self.money = typed, products, money

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-product", classes="dialog"):
            yield Label(self.t("{count} products match {typed}: choose one (Enter), Esc adds "
                               "nothing", count=len(self.products), typed=repr(self.typed)),
                        classes="title")
            yield OptionList(*[
                Option(f"{p.name} · {p.sku} · {self.money(p.price_cents)}", id=p.sku)
                for p in self.products], id="pick-list")

    def on_mount(self) -> None:
        self.query_one("#pick-list", OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
