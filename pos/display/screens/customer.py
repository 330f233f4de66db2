"""The one screen the shopper sees, switching between welcome, sale and thanks.

A background worker follows the store's event stream, keeps what concerns this
till, asks the core for the current basket or order and posts a message; the
handlers below only change the view. Nothing the core says, or fails to say,
ever reaches the shopper as an error: at worst a calm "connecting" line while
the stream reconnects on its own.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, TypeVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Label
from textual.worker import Worker, WorkerState

from pos.display.messages import LinkChanged, ReceiptReady, SaleChanged, SaleLeft, StoreKnown
from pos.display.mirror import (
    EVENT_TYPES,
    GoIdle,
    ShowCart,
    ShowOrder,
    Step,
    cart_shows_sale,
    is_settled,
    sale_of_cart,
    sale_of_order,
    step_for,
)
from pos.display.widgets import SaleView, ThanksView, WelcomeView
from shared.client import Api, Call
from shared.errors import CommerceError, Forbidden, NotFound, Unauthorized
from shared.events import afollow_events
from shared.i18n import N_
from shared.schemas.enums import CartStatus, DeviceKind, OrderStatus
from shared.schemas.orders import CartOut

if TYPE_CHECKING:
    from pos.display.app import DisplayApp

T = TypeVar("T")

CONNECTING = N_("Connecting to the till…")
"""The one calm line the shopper reads while the core does not answer."""

THANKS_SECONDS = 30.0
"""How long the thank-you and receipt QR stay up when the till does not start
another sale first: long enough to scan, short enough not to greet the next
shopper with someone else's receipt."""

RETRY_SECONDS = 2.0
"""Pause before asking an unanswering core again (and before restarting a
follower that fell over)."""

FETCH_ATTEMPTS = 3
"""Tries at fetching the basket or order an event names before showing the
"connecting" line and waiting for the next event."""


class CustomerScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.device_id: int | None = None
        self.cart: CartOut | None = None
        """The basket on show, or being paid; its points promise outlives it."""
        self.order: str | None = None
        """The number of the order on show, whose later events are still followed."""
        self.thanks_timer: Timer | None = None

    @property
    def display_app(self) -> DisplayApp:
        return cast("DisplayApp", self.app)

    def compose(self) -> ComposeResult:
        yield Label("", id="store")
        with ContentSwitcher(initial="welcome", id="views"):
            t = self.display_app.t
            yield WelcomeView(t, id="welcome")
            yield SaleView(t, id="sale")
            yield ThanksView(t, id="thanks")
        yield Label("", id="link")

    def on_mount(self) -> None:
        self.query_one("#link", Label).display = False
        self.follow()

    # -- the worker: all I/O ---------------------------------------------------

    @work(exclusive=True, group="follow", exit_on_error=False)
    async def follow(self) -> None:
        """Learn which till this is, then mirror its sales until the app ends."""
        client = self.display_app.client
        who = await self._answer(Api.whoami())
        if who.device.kind != DeviceKind.POS:
            # Only the till's own token sees the till's baskets and sales.
            self.post_message(LinkChanged(self.display_app.t(
                "This display needs its till's device token.")))
            return
        store = who.device.store_code
        self.device_id = who.device.id
        stores = await self._answer(Api.stores())
        self.post_message(StoreKnown(next(
            (s.name for s in stores if s.code == store), store or "")))
        async for event in afollow_events(client, store=store, types=EVENT_TYPES,
                                          retry_seconds=RETRY_SECONDS):
            step = step_for(event, device_id=self.device_id,
                            cart_id=self.cart.id if self.cart else None, order=self.order)
            if step is not None:
                await self._take(step)

    async def _answer(self, call: Call[T]) -> T:
        """Ask until the core answers: the display has nothing better to do."""
        while True:
            try:
                answer = await self.display_app.client.call(call)
            except CommerceError as error:
                t = self.display_app.t
                self.post_message(LinkChanged(
                    t("This display is not registered with the store system.")
                    if isinstance(error, Unauthorized | Forbidden) else t(CONNECTING)))
                await asyncio.sleep(RETRY_SECONDS)
                continue
            self.post_message(LinkChanged(None))
            return answer

    async def _fetch(self, call: Call[T]) -> T | None:
        """A few tries; ``None`` when the thing is gone or the core is away (the
        next event brings the display up to date again)."""
        for attempt in range(FETCH_ATTEMPTS):
            try:
                answer = await self.display_app.client.call(call)
            except (NotFound, Forbidden):
                return None
            except CommerceError:
                self.post_message(LinkChanged(self.display_app.t(CONNECTING)))
                if attempt + 1 < FETCH_ATTEMPTS:
                    await asyncio.sleep(RETRY_SECONDS / FETCH_ATTEMPTS)
                continue
            self.post_message(LinkChanged(None))
            return answer
        return None

    async def _take(self, step: Step) -> None:
        if isinstance(step, GoIdle):
            self.cart = self.order = None
            self.post_message(SaleLeft())
        elif isinstance(step, ShowCart):
            cart = await self._fetch(Api.cart(step.cart_id))
            if cart is None or cart.status in (CartStatus.CHECKED_OUT, CartStatus.HANDED_OFF):
                return  # the order's own events carry on from here
            self.cart = cart if cart_shows_sale(cart) else None
            self.order = None
            self.post_message(SaleChanged(sale_of_cart(cart)) if self.cart else SaleLeft())
        elif isinstance(step, ShowOrder):
            order = await self._fetch(Api.order(step.number))
            if order is None:
                return
            basket = self.cart if self.cart and self.cart.id == step.cart_id else None
            self.order = order.number
            if order.status == OrderStatus.CANCELLED:
                self.cart = self.order = None
                self.post_message(SaleLeft())
            elif is_settled(order):
                self.cart = None
                self.post_message(ReceiptReady(order))
            else:
                self.post_message(SaleChanged(sale_of_order(order, basket=basket)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A follower that fell over is started again: this screen runs unattended."""
        if event.worker.group == "follow" and event.state == WorkerState.ERROR:
            self.post_message(LinkChanged(self.display_app.t(CONNECTING)))
            self.set_timer(RETRY_SECONDS, self.follow)

    # -- the handlers: all looks ------------------------------------------------

    def _switch(self, view: str) -> None:
        if self.thanks_timer is not None:
            self.thanks_timer.stop()
            self.thanks_timer = None
        self.query_one("#views", ContentSwitcher).current = view

    @on(StoreKnown)
    def store_known(self, message: StoreKnown) -> None:
        self.query_one("#store", Label).update(message.name)
        self.query_one(WelcomeView).show_store(message.name)

    @on(SaleChanged)
    def sale_changed(self, message: SaleChanged) -> None:
        self._switch("sale")
        self.query_one(SaleView).show(message.sale, self.display_app.money)

    @on(ReceiptReady)
    def receipt_ready(self, message: ReceiptReady) -> None:
        self._switch("thanks")
        self.query_one(ThanksView).show(message.order, self.display_app.money)
        self.thanks_timer = self.set_timer(THANKS_SECONDS, self.thanks_over)

    @on(SaleLeft)
    def sale_left(self) -> None:
        self.welcome()

    def welcome(self) -> None:
        self._switch("welcome")

    def thanks_over(self) -> None:
        """The receipt had its time; the order is history for this display."""
        self.order = None
        self.welcome()

    @on(LinkChanged)
    def link_changed(self, message: LinkChanged) -> None:
        link = self.query_one("#link", Label)
        link.update(message.problem or "")
        link.display = message.problem is not None
