"""The sale: scan or type, adjust lines, take cash or card, print.

The scan field keeps the focus, so a scanner's code-and-Enter always lands.
The sale is recorded by the core (one idempotency key per sale, so a retry
never sells twice) before anything is printed.
"""

from __future__ import annotations

import asyncio
import re
import uuid

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Label

from pos.messages import Problem
from pos.offline.banner import OfflineBanner
from pos.offline.sale import is_local
from pos.offline.selling import OfflineSelling
from pos.printing import kick_drawer
from pos.sale_receipt import offer_receipt, reprint_last
from pos.screens.base import StaffScreen
from pos.widgets.scan_field import ScanField
from shared.client import Api, Call
from shared.errors import CommerceError, NotFound, Unavailable
from shared.money import POINT_VALUE_CENTS
from shared.schemas.enums import Role
from shared.schemas.orders import (
    CartCreate,
    CartLineOut,
    CartLineSet,
    CartOut,
    OrderCreate,
    OrderLineOut,
    OrderOut,
    PaymentIn,
    Transition,
)
from shared.schemas.returns import CustomerOut

TENDER_NAMES = {"card": "Card", "gift_card": "Gift card", "store_credit": "Store credit",
                "loyalty_points": "Points"}

CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:.+)$", re.IGNORECASE)

HANDOFF = re.compile(r"^[A-HJ-NP-Z2-9]{6}$", re.IGNORECASE)
"""The short code a kiosk shows under its basket QR, for a till without a scanner."""


SAVED = "The sale {} is saved."
"""How a printer-fault notice starts: the money is recorded either way."""

class SellScreen(OfflineSelling, StaffScreen[None]):
    BINDINGS = [
        # Most used first: on a narrow screen the footer cuts from the right,
        # and F1 lists every key.
        Binding("f2", "pay_cash", "Cash", id="pay_cash",
                tooltip="Take cash, give change (less than due = split tender)"),
        Binding("f3", "pay_card", "Card", id="pay_card", tooltip="Charge the card terminal"),
        Binding("f5", "more", "+1", id="qty_more", tooltip="One more of the line"),
        Binding("f7", "less", "−1", id="qty_less", tooltip="One fewer of the line"),
        Binding("f9", "customer", "Customer", id="customer",
                tooltip="Find a customer, see their history, attach them to the sale"),
        Binding("ctrl+t", "line_discount", "Disc", id="line_discount",
                tooltip="Discount the selected line (% or amount)"),
        Binding("ctrl+b", "basket_discount", "Basket%", id="basket_discount",
                tooltip="The same percentage off every line"),
        Binding("ctrl+g", "pay_credit", "Gift", id="pay_credit",
                tooltip="Pay with a gift card or store credit"),
        Binding("ctrl+l", "pay_points", "Points", id="pay_points",
                tooltip="Pay with the customer's loyalty points"),
        Binding("f4", "park", "Park", id="park",
                tooltip="Park this sale, or recall a parked one when the till is empty"),
        Binding("ctrl+n", "void", "Void", id="void_sale",
                tooltip="Cancel the sale being rung up; its stock goes back"),
        Binding("shift+f9", "detach", "No cust.", key_display="⇧F9", id="detach_customer",
                tooltip="Take the customer off this sale"),
        Binding("f6", "pickups", "Pickups", id="pickups", tooltip="Click-and-collect queue"),
        Binding("f11", "returns", "Returns", id="returns", tooltip="Returns desk"),
        # Priority: the scan field's Input would take Ctrl+K as "delete to the right".
        # A back-office key: listed under F1, kept out of the cashier's footer.
        Binding("ctrl+k", "stock_desk", "Stock", id="stock_desk", priority=True, show=False,
                tooltip="Stock desk: counts, goods received, damage, transfers"),
        Binding("ctrl+o", "manager", "Office", id="manager", priority=True, show=False,
                tooltip="Back office: figures, plots, low stock, audit (supervisor, manager)"),
        Binding("ctrl+u", "unlock_device", "Unlock", id="unlock_device", priority=True,
                show=False, tooltip="Unlock a kiosk or till of this store (a supervisor's PIN)"),
        Binding("ctrl+r", "offline_review", "Review", id="offline_review", show=False,
                tooltip="Refused offline sales: a supervisor resubmits or writes off"),
        Binding("f8", "reprint", "Reprint", id="reprint", tooltip="Print the last receipt"),
        Binding("f12", "till", "Till", id="till", tooltip="X report, cash in/out, close (Z)"),
        Binding("f10", "sign_out", "Sign out", id="sign_out", tooltip="Switch cashier"),
        Binding("f1", "app.keys", "Keys", id="keys", tooltip="Every key of this screen"),
        # The scan field keeps the focus and has no use for up and down: they
        # move the line selection, so F5/F7/Ctrl+T never need the mouse.
        Binding("up", "line(-1)", "Line up", id="line_up", show=False),
        Binding("down", "line(1)", "Line down", id="line_down", show=False),
    ]

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
            yield ScanField(placeholder="Scan or type a product, basket or pickup code",
                            id="scan")
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="totals"):
                yield Label("", id="total", classes="title")
                yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.add_columns("Item", "SKU", "Qty", "Price", "Discount", "Total")
        self.query_one("#scan", Input).focus()
        self.render_sale()
        self.recall_open_sale()

    @work(group="sale")
    async def recall_open_sale(self) -> None:
        """A sale whose payment started is money in the drawer: after a sign-out, a
        crash or a restart it comes back on this till until it is paid or voided."""
        async with self._serial:
            try:
                waiting = await self.app.client.call(Api.open_sales())
            except CommerceError:
                return  # nothing to show yet; the core keeps the sale either way
            if not waiting or self.busy():
                return
            self.order, self.cart = waiting[0], None
            money = self.app.money
            more = f" ({len(waiting) - 1} more after it)" if len(waiting) > 1 else ""
            self.say(f"Sale {self.order.number} was not finished: "
                     f"{money(self.order.paid_cents)} paid, {money(self.order.due_cents)} "
                     f"still due{more}. Take the rest, or Ctrl+N to void it and hand "
                     "the money back.", error=True)
            self.render_sale()

    # -- display -------------------------------------------------------------------

    def render_sale(self, select: str | None = None) -> None:
        """Redraw the lines, keeping the cursor on the line the cashier had
        selected (or on ``select``, the line just scanned), scrolled into view."""
        money = self.app.money
        table = self.query_one("#lines", DataTable)
        keep, row = select or self._selected_sku(), table.cursor_row
        table.clear()
        skus = []
        lines: list[CartLineOut] | list[OrderLineOut] = (
            self.cart.lines if self.cart else self.order.lines if self.order else [])
        # The item's name gives way first, so Qty and Total always show (80x24 too).
        room = max(12, self.size.width - 62)
        for line in lines:
            name = line.name if len(line.name) <= room else line.name[:room - 1] + "…"
            table.add_row(name, line.sku, str(line.qty), money(line.unit_price_cents),
                          f"-{money(line.discount_cents)}" if line.discount_cents else "",
                          money(line.total_cents), key=line.sku)
            skus.append(line.sku)
        if skus:
            table.move_cursor(row=skus.index(keep) if keep in skus else min(row, len(skus) - 1),
                              scroll=True)
        total = self.order.total_cents if self.order else (self.cart.total_cents
                                                             if self.cart else 0)
        due = self.order.due_cents if self.order else total
        text = f"Total {money(total)}"
        if self.customer:
            text = f"{self.customer.name} · " + text
            if self.cart and self.cart.points_to_earn:
                text += f" · +{self.cart.points_to_earn} pts"
        if self.order and due != total:
            text += f"   Due {money(due)}"
        self.query_one("#total", Label).update(text)

    def on_resize(self) -> None:
        self.render_sale()


    def new_sale(self) -> None:
        self.cart, self.order, self.key = None, None, uuid.uuid4().hex
        self.customer = None
        self.render_sale()

    # -- scanning and lines -----------------------------------------------------------

    @on(ScanField.Scanned, "#scan")
    def scanned(self, event: ScanField.Scanned) -> None:
        self.lookup(event.text)

    @work(group="sale")
    async def lookup(self, text: str) -> None:
        async with self._serial:
            await self._lookup(text)

    async def _lookup(self, text: str) -> None:
        client = self.app.client
        added: str | None = None
        if self.offline_now():
            self.render_sale(select=await self.offline_lookup(text))
            return
        try:
            if CODE.match(text):
                result = await client.call(Api.scan(text))
                if result.kind == "product" and result.product:
                    added = await self._add(result.product.sku, +1)
                elif result.kind == "cart" and result.reference:
                    await self._take_basket(result.reference)
                elif result.kind == "loyalty":
                    found = await client.call(Api.customers(result.reference or ""))
                    if found:
                        self.attach(found[0])
                    else:
                        self.say("That loyalty card belongs to nobody we know.", error=True)
                elif result.kind in ("receipt", "return_slip"):
                    from pos.screens.returns import ReturnsScreen

                    self.app.push_screen(ReturnsScreen(code=text))
                elif result.kind == "order_pickup":
                    from pos.screens.pickups import PickupsScreen

                    self.app.push_screen(PickupsScreen(collect_code=text))
                else:
                    self.say("That code is not for a sale.", error=True)
            else:
                if HANDOFF.match(text):
                    try:
                        found = await client.call(Api.scan(f"OT1:C:{text.upper()}"))
                    except NotFound:
                        found = None
                    if found is not None and found.kind == "cart" and found.reference:
                        await self._take_basket(found.reference)
                        self.render_sale()
                        return
                try:
                    product = await client.call(Api.product(text.upper()))
                    added = await self._add(product.sku, +1)
                    self.render_sale(select=added)
                    return
                except NotFound:
                    pass
                page = await client.call(Api.products(q=text, limit=20))
                if len(page.items) == 1:
                    added = await self._add(page.items[0].sku, +1)
                elif page.items:
                    from pos.dialogs.pick_product import PickProductDialog

                    sku = await self.app.push_screen_wait(PickProductDialog(
                        text, page.items, self.app.money))
                    if sku:
                        added = await self._add(sku, +1)
                else:
                    self.say(f"Nothing matches {text!r}.", error=True)
        except CommerceError as error:
            if isinstance(error, Unavailable) and self.go_offline():
                added = await self.offline_lookup(text)
            else:
                self.say(self.app.explain(error), error=True)
        self.render_sale(select=added)

    async def _take_basket(self, cart_id: str) -> None:
        """A kiosk's basket becomes this till's sale: editable like any other."""
        if self.busy():
            self.say("Finish or park the sale on the till before loading a basket.", error=True)
            return
        self.cart = await self.app.client.call(Api.recall_cart(cart_id))
        self.customer = None
        if self.cart.customer_id:
            self.customer = await self.app.client.call(
                Api.customer(self.cart.customer_id))
        self.say(f"Kiosk basket loaded: {sum(x.qty for x in self.cart.lines)} items")

    async def _add(self, sku: str, delta: int) -> str | None:
        """Change a line by ``delta``; the SKU changed, or None when refused."""
        if self.order is not None:
            self.say("Payment has started; finish or cancel this sale first.", error=True)
            return None
        if is_local(self.cart):
            return self.offline_add(sku, delta)
        client = self.app.client
        if self.cart is None:
            self.cart = await client.call(Api.create_cart(CartCreate(
                customer_id=self.customer.id if self.customer else None)))
        line = self._line(sku)
        qty = max(0, (line.qty if line else 0) + delta)
        # The line keeps its discount; one a supervisor gave asks them again when
        # the quantity (and so the discount) changes.
        self.cart = await self.app.call_approved(Api.set_cart_line(
            self.cart.id, CartLineSet(
                sku=sku, qty=qty, discount_percent=line.discount_percent if line else 0,
                discount_cents=min(line.discount_amount_cents, line.unit_price_cents * qty)
                if line else 0)))
        self.say("")
        return sku

    def _line(self, sku: str | None) -> CartLineOut | None:
        return next((x for x in self.cart.lines if x.sku == sku), None) if self.cart else None

    def _selected_sku(self) -> str | None:
        table = self.query_one("#lines", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    @work(group="sale")
    async def change_qty(self, sku: str, delta: int) -> None:
        async with self._serial:
            try:
                await self._add(sku, delta)
            except CommerceError as error:
                self.say(self.app.explain(error), error=True)
            self.render_sale(select=sku)

    def action_line(self, step: int) -> None:
        table = self.query_one("#lines", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)),
                              scroll=True)

    def action_more(self) -> None:
        # The line is the one selected when the key is pressed, not when it runs.
        if sku := self._selected_sku():
            self.change_qty(sku, +1)

    def action_less(self) -> None:
        if sku := self._selected_sku():
            self.change_qty(sku, -1)

    # -- discounts -------------------------------------------------------------------

    @work(exclusive=True, group="discount")
    async def action_line_discount(self) -> None:
        from pos.dialogs.discount import DiscountDialog

        sku = self._selected_sku()
        line = self._line(sku)
        if line is None or self.order is not None:
            self.say("Choose a line of an unpaid sale first.", error=True)
            return
        typed = await self.app.push_screen_wait(DiscountDialog(line.name))
        if typed is not None:
            await self._discount({line.sku: typed})

    @work(exclusive=True, group="discount")
    async def action_basket_discount(self) -> None:
        """A basket discount is the same percentage on every line: each line then
        carries its share, so a later return refunds exactly what was paid for it."""
        from pos.dialogs.discount import DiscountDialog

        if not self.cart or not self.cart.lines or self.order is not None:
            self.say("Ring something up first.", error=True)
            return
        typed = await self.app.push_screen_wait(DiscountDialog("the whole basket",
                                                               percent_only=True))
        if typed is not None:
            await self._discount({line.sku: typed for line in self.cart.lines})

    async def _discount(self, wanted: dict[str, tuple[int, int]]) -> None:
        async with self._serial:
            if self.discount_here():
                await self.offline_discount(wanted)
                self.render_sale()
                return
            await self._discount_lines(wanted)

    async def _discount_lines(self, wanted: dict[str, tuple[int, int]]) -> None:
        """One supervisor approval covers the whole basket, and the discount lands
        on every line or on none: a refusal half-way puts back what it changed."""
        assert self.cart is not None
        app = self.app
        before = {line.sku: (line.discount_percent, line.discount_amount_cents)
                  for line in self.cart.lines}
        token: str | None = None
        done: list[str] = []

        def set_line(sku: str, percent: int, amount: int) -> Call[CartOut]:
            assert self.cart is not None
            line = self._line(sku)
            assert line is not None
            call = Api.set_cart_line(self.cart.id, CartLineSet(
                sku=sku, qty=line.qty, discount_percent=percent, discount_cents=amount))
            return call.approved_by(token) if token else call

        try:
            for sku, (percent, amount) in wanted.items():
                try:
                    self.cart = await app.client.call(set_line(sku, percent, amount))
                except CommerceError as error:
                    if token is not None:
                        raise
                    token = await app.approval_for(error)
                    if token is None:
                        raise
                    self.cart = await app.client.call(set_line(sku, percent, amount))
                done.append(sku)
        except CommerceError as error:
            for sku in done:
                self.cart = await app.client.call(set_line(sku, *before[sku]))
            self.say(app.explain(error), error=True)
        else:
            self.say("Discount given." if any(p or a for p, a in wanted.values())
                     else "Discount removed.")
        self.render_sale()

    # -- payment ---------------------------------------------------------------------

    def _due(self) -> int | None:
        if self.order is not None:
            return self.order.due_cents
        if not self.cart or not self.cart.lines:
            self.say("Scan something first.", error=True)
            return None
        return self.cart.total_cents

    def action_pay_cash(self) -> None:
        from pos.dialogs.cash import CashDialog

        due = self._due()
        if due is None:
            return

        def tendered(cents: int | None) -> None:
            if cents:
                self.pay(PaymentIn(tender="cash", amount_cents=min(due, cents),
                                   tendered_cents=cents))

        self.app.push_screen(CashDialog(due, self.app.money(due)), tendered)

    def action_pay_card(self) -> None:
        due = self._due()
        if due is not None:
            self.say("Card: follow the terminal…")
            self.pay(PaymentIn(tender="card", amount_cents=due))

    @work(exclusive=True, group="pay")
    async def action_pay_credit(self) -> None:
        from pos.dialogs.credit import CreditDialog

        due = self._due()
        if due is not None:
            payment = await self.app.push_screen_wait(CreditDialog(due))
            if payment is not None:
                self.pay(payment)

    @work(exclusive=True, group="pay")
    async def action_pay_points(self) -> None:
        from pos.dialogs.points import PointsDialog

        due = self._due()
        if due is None:
            return
        if self.customer is None:
            self.say("Attach the customer first (F9 or scan their loyalty card).", error=True)
            return
        app = self.app
        try:
            account = await app.client.call(Api.customer_loyalty(self.customer.id))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        points = await app.push_screen_wait(PointsDialog(
            account.name, account.balance, due, app.money(due)))
        if points:
            self.pay(PaymentIn(tender="loyalty_points", amount_cents=points * POINT_VALUE_CENTS,
                               points=points))

    @work(exclusive=True, group="pay")
    async def pay(self, payment: PaymentIn) -> None:
        client = self.app.client
        if self.offline_now():
            await self.pay_offline(payment)
            self.render_sale()
            return
        try:
            if self.order is None:
                assert self.cart is not None
                self.order = await client.call(Api.place_order(OrderCreate(
                    cart_id=self.cart.id,
                    customer_id=self.customer.id if self.customer else None), self.key))
            self.order = await client.call(Api.pay(self.order.number, payment))
        except CommerceError as error:
            if isinstance(error, Unavailable) and self.order is None and self.go_offline():
                await self.pay_offline(payment)  # same key: a sale the core did get is one
            else:
                self.say(self.app.explain(error), error=True)
            self.render_sale()
            return
        last = self.order.payments[-1]
        if payment.tender == "cash" and last.status == "approved":
            await self.kick_drawer()
        if last.status != "approved":
            self.say(f"{last.status.upper()}: {last.message}", error=True)
        elif self.order.status == "completed":
            await self.finish(self.order)
            return
        else:
            self.say(f"Paid {self.app.money(last.amount_cents)}; "
                     f"{self.app.money(self.order.due_cents)} still due")
        self.render_sale()

    async def kick_drawer(self) -> None:
        problem = await kick_drawer(self.app)
        if problem:
            self.post_message(Problem(problem))

    async def finish(self, order: OrderOut) -> None:
        app = self.app
        change = f" — change {app.money(order.change_cents)}" if order.change_cents else ""
        self.new_sale()
        self.say(f"Sale {order.number} completed{change}.")
        outcome = await offer_receipt(app, order, f"Sale {order.number} completed{change}",
                                      SAVED)
        self.say(f"Sale {order.number} completed{change}. {outcome}")

    @work(group="print")
    async def action_reprint(self) -> None:
        found, outcome = await reprint_last(self.app, SAVED)
        self.say(outcome, error=not found)

    # -- other actions ---------------------------------------------------------------

    @work(exclusive=True, group="park")
    async def action_park(self) -> None:
        from pos.dialogs.parked import ParkedDialog

        app = self.app
        client = app.client
        try:
            if self.cart and self.cart.lines and self.order is None:
                await client.call(Api.park_cart(self.cart.id))
                self.new_sale()
                self.say("Sale parked. F4 on an empty till recalls it.")
                return
            if self.cart and self.cart.lines:
                self.say("Payment has started; finish this sale first.", error=True)
                return
            carts = await client.call(Api.parked_carts())
            if not carts:
                self.say("No parked sales.")
                return
            chosen = await app.push_screen_wait(ParkedDialog(carts, app.money))
            if chosen is None:
                return
            self.new_sale()
            self.cart = await client.call(Api.recall_cart(chosen.id))
            if self.cart.customer_id:
                self.customer = await client.call(Api.customer(self.cart.customer_id))
            self.say("Parked sale recalled.")
        except CommerceError as error:
            self.say(app.explain(error), error=True)
        self.render_sale()

    @work(exclusive=True, group="park")
    async def action_void(self) -> None:
        from pos.dialogs.confirm import ConfirmDialog

        app = self.app
        money = app.money
        if not self.busy():
            self.say("Nothing to void.")
            return
        paid = self.order.paid_cents if self.order is not None else 0
        question = ("Void this sale? Its lines are cleared and the stock goes back." if not paid
                    else f"Void this sale? {money(paid)} already paid goes back to the "
                    "customer, each tender as it was paid.")
        if not await app.push_screen_wait(ConfirmDialog(question, "Void")):
            return
        try:
            if self.order is not None:
                cancelled = await app.client.call(Api.transition(
                    self.order.number, Transition(to="cancelled", note="voided at the till")))
            else:
                assert self.cart is not None
                if not is_local(self.cart):  # an offline sale lives on this till alone
                    await app.client.call(Api.abandon_cart(self.cart.id))
                cancelled = None
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        self.new_sale()
        self.say("Sale voided." + (self._payout(cancelled) if cancelled else ""))

    def _payout(self, order: OrderOut) -> str:
        """What the cashier hands back, per tender; cash opens the drawer."""
        money = self.app.money
        back: dict[str, int] = {}
        for payment in order.payments:
            if payment.refunded_cents:
                back[payment.tender] = back.get(payment.tender, 0) + payment.refunded_cents
        if back.get("cash"):
            self.run_worker(self.kick_drawer(), group="drawer")
        parts = [f"Cash to hand back {money(cents)}" if tender == "cash"
                 else f"{TENDER_NAMES.get(tender, tender)} refunded {money(cents)}"
                 for tender, cents in back.items()]
        return (" " + " · ".join(parts) + ".") if parts else ""

    def action_pickups(self) -> None:
        from pos.screens.pickups import PickupsScreen

        self.app.push_screen(PickupsScreen())

    def action_stock_desk(self) -> None:
        """Ctrl+K: the stock desk (supervisor actions ask for a PIN there)."""
        from pos.screens.stock_desk import StockDeskScreen

        self.app.push_screen(StockDeskScreen())

    def action_unlock_device(self) -> None:
        """Ctrl+U: a kiosk that told its shopper to ask staff is unlocked from here."""
        from pos.dialogs.unlock_device import UnlockDeviceDialog

        self.app.push_screen(UnlockDeviceDialog())

    def action_manager(self) -> None:
        """Ctrl+O: the back office, for a supervisor (their store) or a manager."""
        from pos.screens.manager import ManagerScreen

        staff = self.app.staff
        if staff is None or not staff.role.at_least(Role.SUPERVISOR):
            self.say("The back office is for a supervisor or a manager: sign in as one "
                     "(F10) to open it.", error=True)
            return
        self.app.push_screen(ManagerScreen())

    def action_detach(self) -> None:
        if self.customer is None:
            self.say("No customer on this sale.")
            return
        self.attach(None)

    def action_customer(self) -> None:
        from pos.screens.customer import CustomerScreen

        def chosen(customer: CustomerOut | None) -> None:
            if customer is not None:
                self.attach(customer)

        self.app.push_screen(CustomerScreen(), chosen)

    @work(exclusive=True, group="attach")
    async def attach(self, customer: CustomerOut | None) -> None:
        """The customer goes on the basket itself, so the customer display shows
        their points and the order gets them whichever till takes the payment."""
        if self.order is not None:
            self.say("Payment has started; the customer can no longer change.", error=True)
            return
        self.customer = customer
        if self.cart is not None:
            try:
                self.cart = await self.app.client.call(Api.set_cart_customer(
                    self.cart.id, customer.id if customer else None))
            except CommerceError as error:
                self.say(self.app.explain(error), error=True)
        self.say(f"Customer: {customer.name}" if customer else "")
        self.render_sale()

    def action_offline_review(self) -> None:
        from pos.screens.offline_review import OfflineReviewScreen

        if self.offline_till is not None:
            self.app.push_screen(OfflineReviewScreen())

    def action_till(self) -> None:
        from pos.screens.till import TillScreen

        self.app.push_screen(TillScreen())

    def action_returns(self) -> None:
        from pos.screens.returns import ReturnsScreen

        self.app.push_screen(ReturnsScreen())

    async def put_aside(self) -> bool:
        """Park an unpaid basket before the cashier leaves; a sale whose payment
        started stays with the core and comes back at the next sign-in."""
        if self.cart and self.cart.lines and self.order is None:
            try:
                await self.app.client.call(Api.park_cart(self.cart.id, "left at sign-out"))
            except CommerceError as error:
                self.say(self.app.explain(error), error=True)
                return False
        return True

    def on_key(self, event: events.Key) -> None:
        """A scanner types wherever the focus is: a character typed while the scan
        field does not have the focus goes to it, and the focus with it."""
        scan = self.query_one("#scan", ScanField)
        if scan.has_focus or not event.is_printable or isinstance(self.app.focused, Input):
            return
        event.stop()
        scan.focus()
        scan.insert_text_at_cursor(event.character or "")

    def busy(self) -> bool:
        """A sale is on the till: lines rung up, or payment started."""
        return bool(self.order is not None or (self.cart and self.cart.lines))

    @work(exclusive=True, group="park")
    async def action_sign_out(self) -> None:
        from pos.dialogs.confirm import ConfirmDialog

        if self.order is not None and self.order.paid_cents:
            self.say("Part is paid: take the rest or void it (the money goes back) "
                     "before signing out.", error=True)
            return
        if self.busy() and not await self.app.push_screen_wait(ConfirmDialog(
                "Sign out? The sale on the till stays parked for the next cashier.",
                "Park and sign out")):
            return
        if not await self.put_aside():
            return
        self.app.sign_out()
