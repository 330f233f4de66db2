"""Staff sign-in with a PIN; the till says plainly when it is locked."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Label

from shared.client import Api
from shared.errors import CommerceError


class LoginScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Label("Omnitill — sign in", classes="title")
            yield Label("Type your PIN and press Enter")
            yield Input(password=True, id="pin", max_length=8, restrict=r"[0-9]*")
            yield Label("", id="login-error")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def submitted(self, event: Input.Submitted) -> None:
        self.sign_in(event.value)
        event.input.value = ""

    @work(exclusive=True)
    async def sign_in(self, pin: str) -> None:
        from pos.screens.sell import SellScreen

        app = self.app
        client = app.client  # type: ignore[attr-defined]
        try:
            session = await client.call(Api.staff_sign_in(pin))
            client.staff_token = session.token
            who = await client.call(Api.whoami())
            stores = await client.call(Api.stores())
        except CommerceError as error:
            self.query_one("#login-error", Label).update(app.explain(error))  # type: ignore[attr-defined]
            return
        app.staff = session.staff  # type: ignore[attr-defined]
        app.store = next(s for s in stores if s.code == who.device.store_code)  # type: ignore[attr-defined]
        try:
            await client.call(Api.till_report())
        except CommerceError as error:
            if error.code == "till_closed":
                from pos.screens.open_till import OpenTillScreen

                app.switch_screen(OpenTillScreen())
                return
            # anything else: the drawer state shows on the till screen; sell anyway
        app.switch_screen(SellScreen())
