"""Endless aisle: order what this store lacks, for pickup here, at another
store that has it, or delivered home. Paid at the till or on pickup."""

from __future__ import annotations

import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label

from kiosk.messages import Problem
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.catalog import Availability
from shared.schemas.orders import Contact, LineIn, OrderCreate


class OrderScreen(Screen[None]):
    def __init__(self, sku: str, availability: Availability) -> None:
        super().__init__()
        self.sku = sku
        self.availability = availability
        self.key = uuid.uuid4().hex  # one order, however often the button is pressed

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        here = self.availability.here
        with Vertical(id="order-form"):
            yield Label(t("product.order"), classes="title")
            yield Input(placeholder=t("order.name"), id="name")
            yield Input(placeholder=t("order.email"), id="email")
            with Horizontal():
                if here is not None:
                    yield Button(f"{t('order.pickup_here')} ({here.name})", id="ship-here",
                                 variant="success", disabled=self.availability.online <= 0)
                for loc in self.availability.locations:
                    if loc.kind != "warehouse" and loc.available > 0:
                        yield Button(f"{loc.name}", id=f"at-{loc.code}", classes="at")
                        break
            yield Input(placeholder=t("order.address"), id="address")
            yield Button(t("order.deliver"), id="deliver", variant="primary",
                         disabled=self.availability.online <= 0)
            yield Button(t("nav.back"), id="back")

    def _body(self, fulfilment: str, store: str | None, address: str | None = None
              ) -> OrderCreate | None:
        name = self.query_one("#name", Input).value.strip()
        email = self.query_one("#email", Input).value.strip()
        if not email:
            self.post_message(Problem(self.app.t("order.email")))  # type: ignore[attr-defined]
            return None
        try:
            return OrderCreate(lines=[LineIn(sku=self.sku, qty=1)], fulfilment=fulfilment,
                               pickup_store=store, delivery_address=address,
                               contact=Contact(name=name or None, email=email))
        except ValueError:
            self.post_message(Problem(self.app.t("order.email")))  # type: ignore[attr-defined]
            return None

    @on(Button.Pressed, "#ship-here")
    def ship_here(self) -> None:
        here = self.availability.here
        if here and (body := self._body("ship_to_store", here.code)):
            self.place(body)

    @on(Button.Pressed, ".at")
    def at_store(self, event: Button.Pressed) -> None:
        if body := self._body("pickup", (event.button.id or "").removeprefix("at-")):
            self.place(body)

    @on(Button.Pressed, "#deliver")
    def deliver(self) -> None:
        address = self.query_one("#address", Input).value.strip()
        if len(address) < 5:
            self.post_message(Problem(self.app.t("order.address")))  # type: ignore[attr-defined]
            return
        if body := self._body("delivery", None, address):
            self.place(body)

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="order")
    async def place(self, body: OrderCreate) -> None:
        from kiosk.screens.pickup_code import PickupCodeScreen

        try:
            order = await self.app.client.call(Api.place_order(body, self.key))  # type: ignore[attr-defined]
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))  # type: ignore[attr-defined]
            return
        if order.pickup_code:
            self.app.switch_screen(PickupCodeScreen(order.number, order.pickup_code))
        else:
            self.app.notify(self.app.t("order.delivery_placed", number=order.number),  # type: ignore[attr-defined]
                            timeout=10)
            self.app.pop_screen()
