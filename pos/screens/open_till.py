"""Opening the till: the cashier counts the float into the drawer first, so the
Z report at closing has something true to compare the count with."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label

from pos.dialogs.amount import parse_amount
from pos.screens.base import StaffScreen
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_

DEFAULT_FLOAT_CENTS = 15_000


class OpenTillScreen(StaffScreen[None]):
    BINDINGS = [Binding("f10", "sign_out", N_("Sign out"), id="sign_out")]

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical(id="open-till"):
            yield Label(self.t("{store} — the till is closed",
                               store=app.store.name if app.store else ""), classes="title")
            yield Label(self.t("Count the float into the drawer, type it and press Enter "
                               "(Enter alone = {amount}).",
                               amount=app.money(DEFAULT_FLOAT_CENTS)))
            yield Input(id="float", placeholder=self.t("e.g. 150,00"))
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#float", Input).focus()

    @on(Input.Submitted, "#float")
    def typed(self, event: Input.Submitted) -> None:
        cents = DEFAULT_FLOAT_CENTS if not event.value.strip() else parse_amount(event.value)
        if cents is None:
            self.say(self.t("Type an amount, e.g. 150,00"))
            return
        self.open_till(cents)

    @work(exclusive=True)
    async def open_till(self, cents: int) -> None:
        from pos.screens.sell import SellScreen

        app = self.app
        try:
            await app.client.call(Api.open_till(cents))
        except CommerceError as error:
            if error.code != "till_open":  # opened meanwhile from elsewhere: carry on
                self.say(app.explain(error))
                return
        app.notify(self.t("Till open with a float of {amount}.", amount=app.money(cents)))
        app.switch_screen(SellScreen())

    def action_sign_out(self) -> None:
        self.app.sign_out()
