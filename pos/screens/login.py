"""Staff sign-in with a PIN; the till says plainly when it is locked, and how a
supervisor unlocks it on the spot (F5, then their PIN on this same field)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Input, Label

from pos.pin_shape import NOT_A_PIN, is_pin_shaped
from pos.screens.base import StaffScreen
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_

SIGN_IN_PROMPT = N_("Type your PIN and press Enter")
UNLOCK_PROMPT = N_("Supervisor: type your PIN and press Enter to unlock this till (Esc: back)")
UNLOCK_HINT = N_("Press F5: a supervisor types their PIN to unlock the till now.")
SIGN_IN_TITLE = N_("Omnitill — sign in")
UNLOCK_TITLE = N_("Omnitill — supervisor unlock")


class LoginScreen(StaffScreen[None]):
    STATUS_LINE = "#login-error"
    BINDINGS = [
        Binding("f5", "supervisor_unlock", N_("Supervisor unlock"), id="supervisor_unlock",
                tooltip=N_("A supervisor unlocks a till locked by wrong PINs, with their PIN")),
        Binding("escape", "back_to_sign_in", N_("Back"), id="back_to_sign_in",
                tooltip=N_("Back to the cashier's sign-in"), show=False),
    ]

    unlocking: reactive[bool] = reactive(False)
    """The PIN field takes a supervisor's PIN to unlock the till, not a sign-in."""

    def compose(self) -> ComposeResult:
        with Vertical(id="login"):
            yield Label(self.t(SIGN_IN_TITLE), id="login-title", classes="title")
            yield Label(self.t(SIGN_IN_PROMPT), id="login-prompt")
            yield Input(password=True, id="pin", max_length=8, restrict=r"[0-9]*")
            yield Label("", id="login-error")

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def watch_unlocking(self, unlocking: bool) -> None:
        self.query_one("#login-title", Label).update(
            self.t(UNLOCK_TITLE if unlocking else SIGN_IN_TITLE))
        self.query_one("#login-prompt", Label).update(
            self.t(UNLOCK_PROMPT if unlocking else SIGN_IN_PROMPT))
        self.query_one("#pin", Input).focus()

    def action_supervisor_unlock(self) -> None:
        self.unlocking = True
        self.say("")

    def action_back_to_sign_in(self) -> None:
        self.unlocking = False

    @on(Input.Submitted, "#pin")
    def submitted(self, event: Input.Submitted) -> None:
        pin, event.input.value = event.value, ""
        if not pin:
            return
        if self.unlocking and not is_pin_shaped(pin):
            self.say(self.t(NOT_A_PIN))
        elif self.unlocking:
            self.unlock(pin)
        else:
            self.sign_in(pin)

    def _explain(self, error: CommerceError) -> str:
        text: str = self.app.explain(error)
        if error.code == "device_locked" and error.context.get("lock") == "pin":
            text += "\n" + self.t(UNLOCK_HINT)
        return text

    @work(exclusive=True)
    async def unlock(self, pin: str) -> None:
        client = self.app.client
        try:
            done = await client.call(Api.unlock(pin))
        except CommerceError as error:
            self.say(self._explain(error))
            return
        self.unlocking = False
        prompt = self.t(SIGN_IN_PROMPT)
        self.say(self.t("Unlocked by {name}. {prompt}.", name=done.by.name, prompt=prompt)
                 if done.unlocked else
                 self.t("The till was not locked. {prompt}.", prompt=prompt))

    @work(exclusive=True)
    async def sign_in(self, pin: str) -> None:
        from pos.screens.sell import SellScreen

        app = self.app
        client = app.client
        try:
            session = await client.call(Api.staff_sign_in(pin))
            client.staff_token = session.token
            who = await client.call(Api.whoami())
            stores = await client.call(Api.stores())
        except CommerceError as error:
            self.say(self._explain(error))
            return
        app.staff = session.staff
        if app.offline is not None:
            await app.offline.remember(pin, session)
        app.store = next(s for s in stores if s.code == who.device.store_code)
        try:
            await client.call(Api.till_report())
        except CommerceError as error:
            if error.code == "till_closed":
                from pos.screens.open_till import OpenTillScreen

                app.switch_screen(OpenTillScreen())
                return
            # anything else: the drawer state shows on the till screen; sell anyway
        app.switch_screen(SellScreen())
