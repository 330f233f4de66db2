"""Click-and-collect check-in: scan the pickup QR or type order number and surname."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from kiosk.base import KioskScreen
from kiosk.messages import Problem
from kiosk.widgets.nav import NavBar
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.enums import OrderStatus
from shared.schemas.orders import CheckIn, CheckInResult


class PickupScreen(KioskScreen[None]):
    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code
        self.result: CheckInResult | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="pickup"):
            yield Label(t("Collect an order"), classes="title")
            # No max_length: a field that is full swallows the keys of a code the
            # shopper scans while it has the focus (the kiosk hears scans wherever
            # the focus is); what is longer than any order is "not found" below.
            yield Input(placeholder=t("Order number"), id="number")
            yield Input(placeholder=t("Surname"), id="surname")
            yield Button(t("I'm here"), id="check-in", variant="success")
            yield Static(self._result_text(), id="pickup-result")
        yield NavBar()

    def on_mount(self) -> None:
        if self.code:
            self.check_in(CheckIn(code=self.code))
        else:
            self.query_one("#number", Input).focus()

    @on(Button.Pressed, "#check-in")
    def typed(self) -> None:
        number = self.query_one("#number", Input).value.strip()
        surname = self.query_one("#surname", Input).value.strip()
        if not (number and surname):
            return
        try:
            body = CheckIn(order_number=number, last_name=surname)
        except ValueError:
            # More than an order number or a surname can be: no order has it.
            self.post_message(Problem(self.app.t("We could not find that order.")))
            return
        self.check_in(body)

    @work(exclusive=True, group="check-in")
    async def check_in(self, body: CheckIn) -> None:
        try:
            result = await self.app.client.call(Api.check_in(body))
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))
            return
        self.result = result
        self.query_one("#pickup-result", Static).update(self._result_text())

    def _result_text(self) -> str:
        result = self.result
        if result is None:
            return ""
        app, due = self.app, ""
        if result.due_cents:
            amount = app.money(result.due_cents)
            due = "\n[b]" + app.t("To pay when you collect: {amount}", amount=amount) + "[/b]"
        return (f"[b]{result.number}[/b] · {result.customer_name or ''}\n"
                f"{self._status_text(result)}{due}")

    def _status_text(self, result: CheckInResult) -> str:
        """What to do next, in the shopper's words (the core's sentence is English)."""
        t, here = self.app.t, self.app.store_code
        if result.pickup_store and here and result.pickup_store != here:
            return t("This order is collected at {store}, not here.",
                     store=result.pickup_store_name or result.pickup_store)
        by_status = {
            OrderStatus.READY_FOR_PICKUP:
                N_("Your order is ready: please go to the click-and-collect desk."),
            OrderStatus.COLLECTED: N_("This order has already been collected."),
            OrderStatus.CANCELLED: N_("This order was cancelled. Please ask at a till."),
        }
        preparing = N_("Your order is being prepared. We have told the staff you are here.")
        return t(by_status.get(result.status, preparing))
