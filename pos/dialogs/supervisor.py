"""A supervisor approves one action with their PIN, on this till, without the
cashier signing out: the core gets the supervisor's token as
``X-Approver-Token`` for that one request and records who approved."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from pos.screens.base import StaffDialog
from shared.client import Api
from shared.errors import CommerceError, Unavailable
from shared.i18n import N_
from shared.schemas.enums import Role


class SupervisorDialog(StaffDialog[str | None]):
    STATUS_LINE = "#supervisor-error"
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, why: str) -> None:
        super().__init__()
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(id="supervisor", classes="dialog"):
            yield Label(self.t("Supervisor approval"), classes="title")
            yield Label(self.why, id="supervisor-why")
            yield Label(self.t("Supervisor: type your PIN and press Enter (Esc cancels)"))
            yield Input(password=True, id="supervisor-pin", max_length=8, restrict=r"[0-9]*")
            yield Label("", id="supervisor-error", classes="-error")

    def on_mount(self) -> None:
        self.query_one("#supervisor-pin", Input).focus()

    @on(Input.Submitted, "#supervisor-pin")
    def submitted(self, event: Input.Submitted) -> None:
        pin, event.input.value = event.value, ""
        if pin:
            self.check(pin)

    @work(exclusive=True)
    async def check(self, pin: str) -> None:
        app = self.app
        offline = getattr(app, "offline", None)
        try:
            session = await app.client.call(Api.staff_sign_in(pin))
        except Unavailable as error:
            if offline is None:
                self.say(app.explain(error))
                return
            await self.check_offline(pin)
            return
        except CommerceError as error:
            self.say(app.explain(error))
            return
        if not Role(session.staff.role).at_least(Role.SUPERVISOR):
            # Never say whose PIN it was: the cashier next to them is watching.
            self.say(
                self.t("That PIN cannot approve this: a supervisor's PIN is needed."))
            return
        if offline is not None:
            await offline.remember(pin, session)  # so they can approve here offline
        self.dismiss(session.token)

    async def check_offline(self, pin: str) -> None:
        """The core does not answer: the PIN opens a supervisor's sign-in kept on
        this till, or not (see :mod:`pos.offline.approvals`)."""
        offline = self.app.offline
        if offline is None:  # a till without offline mode: the core must answer
            self.say(
                self.t("The store system is not answering; try again in a moment."))
            return
        offline.went_offline()
        approval = await offline.approve(pin)
        if approval is None:
            self.say(
                self.t("Offline: approval locked for a few minutes after wrong PINs.")
                if offline.approvers.locked() else
                self.t("Offline, only a supervisor who typed their PIN on this till today can "
                       "approve."))
            return
        self.dismiss(approval.token)

    def action_cancel(self) -> None:
        self.dismiss(None)
