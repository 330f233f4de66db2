"""Recalling a parked sale: the baskets this store's tills put aside."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from pos.screens.base import StaffDialog
from shared.i18n import N_
from shared.schemas.orders import CartOut


class ParkedDialog(StaffDialog[CartOut | None]):
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, carts: list[CartOut], money: Callable[[int], str]) -> None:
        super().__init__()
        self.carts, self.money = carts, money

    def compose(self) -> ComposeResult:
        with Vertical(id="parked", classes="dialog"):
            yield Label(self.t("Parked sales — Enter recalls"), classes="title")
            yield OptionList(*[
                Option(self.t("{label} · {count} items · {total}", label=c.label or self.t("Sale"),
                              count=sum(x.qty for x in c.lines),
                              total=self.money(c.total_cents)), id=c.id)
                for c in self.carts], id="parked-list")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(c for c in self.carts if c.id == event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)
