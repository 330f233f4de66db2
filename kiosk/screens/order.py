"""Endless aisle: order what this store lacks, for pickup here (sent from the
warehouse) or at the nearest store that has it, and pay when collecting.

Home delivery is not offered at the kiosk: a delivered order has no counter
where it could be paid, and the core refuses to pick an unpaid one, so the
promise "pay on delivery" was a dead end. The pickup confirmation says where
(store, city, distance): one went to a store 140 km away without a word."""

from __future__ import annotations

import uuid

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label

from kiosk.base import KioskScreen
from kiosk.messages import Problem
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.catalog import Availability, LocationStock
from shared.schemas.enums import Fulfilment
from shared.schemas.orders import Contact, LineIn, OrderCreate


class OrderScreen(KioskScreen[None]):
    def __init__(self, sku: str, availability: Availability, name: str = "") -> None:
        super().__init__()
        self.sku = sku
        self.availability = availability
        self.name_of_product = name or sku
        self.key = uuid.uuid4().hex  # one order, however often the button is pressed

    @property
    def elsewhere(self) -> LocationStock | None:
        """The nearest other store that has one (the list is nearest first)."""
        return next((loc for loc in self.availability.locations
                     if loc.kind != "warehouse" and loc.available > 0), None)

    def compose(self) -> ComposeResult:
        t = self.app.t
        here, there = self.availability.here, self.elsewhere
        with Vertical(id="order-form"):
            yield Label(t("Order for pickup: {name}", name=self.name_of_product), classes="title")
            yield Input(placeholder=t("Full name"), id="name", max_length=120)
            yield Input(placeholder=t("Email"), id="email", max_length=200)
            with Horizontal(id="order-choices"):
                if here is not None and self.availability.online > 0:
                    yield Button(t("Pick up in this store") + f" ({here.name})", id="ship-here",
                                 variant="success")
                if there is not None:
                    km = f"{there.distance_km:.0f}" if there.distance_km is not None else "?"
                    yield Button(t("Pick up at {store}, {city} ({km} km)", store=there.name,
                                   city=there.city, km=km), id=f"at-{there.code}", classes="at",
                                 variant="primary")
            if self.availability.online <= 0 and there is None:
                yield Label(t("There is none to order anywhere right now."), id="order-none")
            yield Button(t("Back"), id="back")

    def _body(self, fulfilment: Fulfilment, store: str | None) -> OrderCreate | None:
        t = self.app.t
        name = " ".join(self.query_one("#name", Input).value.split())
        email = self.query_one("#email", Input).value.strip()
        if len(name.split(" ")) < 2:
            self.post_message(Problem(t("Please type your name and surname: you give your "
                                        "surname when you collect.")))
            self.query_one("#name", Input).focus()
            return None
        try:
            return OrderCreate(lines=[LineIn(sku=self.sku, qty=1)], fulfilment=fulfilment,
                               pickup_store=store, contact=Contact(name=name, email=email))
        except ValueError:
            self.post_message(Problem(t("Please type a valid email: we write to you when it "
                                        "is ready.")))
            self.query_one("#email", Input).focus()
            return None

    @on(Button.Pressed, "#ship-here")
    def ship_here(self) -> None:
        here = self.availability.here
        if here and (body := self._body(Fulfilment.SHIP_TO_STORE, here.code)):
            self.place(body, here)

    @on(Button.Pressed, ".at")
    def at_store(self) -> None:
        there = self.elsewhere
        if there and (body := self._body(Fulfilment.PICKUP, there.code)):
            self.place(body, there)

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()

    @work(exclusive=True, group="order")
    async def place(self, body: OrderCreate, where: LocationStock) -> None:
        from kiosk.screens.pickup_code import PickupCodeScreen

        try:
            order = await self.app.client.call(Api.place_order(body, self.key))
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))
            return
        if order.pickup_code:
            self.app.switch_screen(PickupCodeScreen(order.number, order.pickup_code,
                                                    store=where.name, city=where.city))
