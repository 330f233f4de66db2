"""The sale: scan or type, adjust lines, take cash or card, print.

The scan field keeps the focus, so a scanner's code-and-Enter always lands.
The sale is recorded by the core (one idempotency key per sale, so a retry
never sells twice) before anything is printed.

This screen holds the sale (``cart``, then ``order`` once payment started, and
``customer``) and wires its parts: scans (:mod:`pos.sale.scan`), lines
(:mod:`pos.sale.lines`), discounts, parking and voiding (:mod:`pos.sale`), the
tender flows (:mod:`pos.tenders`), and the widgets that draw the basket
(:class:`BasketTable`) and its total (:class:`SaleTotals`).
"""

from __future__ import annotations

import asyncio
import uuid

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label

from pos.messages import Problem
from pos.offline.banner import OfflineBanner
from pos.offline.selling import OfflineSelling
from pos.printing import kick_drawer
from pos.sale import discounts, holding
from pos.sale.customer import attach as attach_customer
from pos.sale.desks import OtherDesks
from pos.sale.keys import SALE_KEYS
from pos.sale.lines import change_line
from pos.sale.scan import scan
from pos.sale_receipt import reprint_last
from pos.tenders import Tendered, settle
from pos.tenders.card import charge_card
from pos.tenders.cash import take_cash
from pos.tenders.gift_card import take_gift_card
from pos.tenders.points import take_points
from pos.tenders.settle import SAVED, due_now, take_payment
from pos.widgets.basket_table import BasketTable
from pos.widgets.sale_totals import SaleTotals
from pos.widgets.scan_field import ScanField
from shared.errors import CommerceError
from shared.schemas.orders import CartOut, OrderOut, PaymentIn
from shared.schemas.returns import CustomerOut


class SellScreen(OtherDesks, OfflineSelling):
    BINDINGS = SALE_KEYS

    def __init__(self) -> None:
        super().__init__()
        self.cart: CartOut | None = None
        self.order: OrderOut | None = None
        self.customer: CustomerOut | None = None
        self.key = uuid.uuid4().hex
        self._serial = asyncio.Lock()
        """Scans and line keys run one at a time, in the order they were pressed
        (asyncio's lock is first come, first served), so none is lost or reordered."""

    def compose(self) -> ComposeResult:
        app = self.app
        store = app.store.name if app.store else ""
        staff = app.staff.name if app.staff else ""
        with Vertical(id="sell"):
            yield OfflineBanner()
            yield Label(f"{store} — {staff}", id="who", classes="title")
            yield ScanField(placeholder=self.t("Scan or type a product, basket or pickup code"),
                            id="scan")
            yield BasketTable(app.money, id="lines", t=app.t)
            yield SaleTotals(app.money, id="totals", t=app.t)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan", Input).focus()
        self.render_sale()
        self.recall_open_sale()

    @work(group="sale")
    async def recall_open_sale(self) -> None:
        async with self._serial:
            await holding.recall_open_sale(self)
            self.render_sale()

    # -- display -------------------------------------------------------------------

    def render_sale(self, select: str | None = None) -> None:
        """Show the sale: only the lines that changed are redrawn; the cursor stays
        on the line the cashier had selected (or on ``select``, the line just
        scanned)."""
        cart, order, customer = self.cart, self.order, self.customer
        self.query_one(BasketTable).show(
            cart.lines if cart else order.lines if order else [], select)
        total = order.total_cents if order else cart.total_cents if cart else 0
        self.query_one(SaleTotals).show(
            total, order.due_cents if order else None,
            customer.name if customer else None,
            (cart.points_to_earn or 0) if customer and cart else 0)

    def on_resize(self) -> None:
        self.query_one(BasketTable).refit()

    def new_sale(self) -> None:
        self.cart, self.order, self.key = None, None, uuid.uuid4().hex
        self.customer = None
        self.render_sale()

    def busy(self) -> bool:
        """A sale is on the till: lines rung up, or payment started."""
        return bool(self.order is not None or (self.cart and self.cart.lines))

    # -- scanning and lines ----------------------------------------------------------

    @on(ScanField.Scanned, "#scan")
    def scanned(self, event: ScanField.Scanned) -> None:
        self.lookup(event.text)

    @work(group="sale")
    async def lookup(self, text: str) -> None:
        async with self._serial:
            self.render_sale(select=await scan(self, text))

    @work(group="sale")
    async def change_qty(self, sku: str, delta: int) -> None:
        async with self._serial:
            try:
                await change_line(self, sku, delta)
            except CommerceError as error:
                self.say(self.app.explain(error), error=True)
            self.render_sale(select=sku)

    def action_line(self, step: int) -> None:
        self.query_one(BasketTable).step(step)

    def action_more(self) -> None:
        # The line is the one selected when the key is pressed, not when it runs.
        if sku := self.query_one(BasketTable).selected_sku():
            self.change_qty(sku, +1)

    def action_less(self) -> None:
        if sku := self.query_one(BasketTable).selected_sku():
            self.change_qty(sku, -1)

    @work(exclusive=True, group="discount")
    async def action_line_discount(self) -> None:
        sku = self.query_one(BasketTable).selected_sku()
        await self._discount(await discounts.ask_line_discount(self, sku))

    @work(exclusive=True, group="discount")
    async def action_basket_discount(self) -> None:
        await self._discount(await discounts.ask_basket_discount(self))

    async def _discount(self, wanted: discounts.Wanted | None) -> None:
        if wanted is None:
            return
        async with self._serial:
            if self.discount_here():
                await self.offline_discount(wanted)
            else:
                await discounts.give(self, wanted)
            self.render_sale()

    # -- payment ---------------------------------------------------------------------

    def action_pay_cash(self) -> None:
        if (due := due_now(self)) is not None:
            take_cash(self, due)

    def action_pay_card(self) -> None:
        if (due := due_now(self)) is not None:
            charge_card(self, due)

    @work(exclusive=True, group="pay")
    async def action_pay_credit(self) -> None:
        if (due := due_now(self)) is not None:
            await take_gift_card(self, due)

    @work(exclusive=True, group="pay")
    async def action_pay_points(self) -> None:
        if (due := due_now(self)) is not None:
            await take_points(self, due)

    @on(Tendered)
    def tendered(self, event: Tendered) -> None:
        self.pay(event.payment)

    @work(exclusive=True, group="pay")
    async def pay(self, payment: PaymentIn) -> None:
        await take_payment(self, payment)

    async def kick_drawer(self) -> None:
        problem = await kick_drawer(self.app)
        if problem:
            self.post_message(Problem(problem))

    async def finish(self, order: OrderOut) -> None:
        await settle.finish(self, order)

    @work(group="print")
    async def action_reprint(self) -> None:
        found, outcome = await reprint_last(self.app, self.t(SAVED))
        self.say(outcome, error=not found)

    # -- parking, voiding, the customer ----------------------------------------------

    @work(exclusive=True, group="park")
    async def action_park(self) -> None:
        try:
            await holding.park_or_recall(self)
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
        self.render_sale()

    @work(exclusive=True, group="park")
    async def action_void(self) -> None:
        await holding.void(self)

    async def put_aside(self) -> bool:
        return await holding.put_aside(self)

    @work(exclusive=True, group="park")
    async def action_sign_out(self) -> None:
        await holding.sign_out(self)

    def action_customer(self) -> None:
        from pos.screens.customer import CustomerScreen

        def chosen(customer: CustomerOut | None) -> None:
            if customer is not None:
                self.attach(customer)

        self.app.push_screen(CustomerScreen(), chosen)

    def action_detach(self) -> None:
        if self.customer is None:
            self.say(self.t("No customer on this sale."))
            return
        self.attach(None)

    @work(exclusive=True, group="attach")
    async def attach(self, customer: CustomerOut | None) -> None:
        await attach_customer(self, customer)
        self.render_sale()

    def on_key(self, event: events.Key) -> None:
        """A scanner types wherever the focus is: a character typed while the scan
        field does not have the focus goes to it, and the focus with it."""
        scan_field = self.query_one("#scan", ScanField)
        if scan_field.has_focus or not event.is_printable or isinstance(
                self.app.focused, Input):
            return
        event.stop()
        scan_field.focus()
        scan_field.insert_text_at_cursor(event.character or "")

