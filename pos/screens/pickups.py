"""The click-and-collect counter: this store's pickup queue, kept live from the
core's events, and everything the clerk does with a shopper at the counter.

Pick and mark ready (the shopper is told); take what is still due as at a
sale (cash with the amount handed over, change, drawer and receipt, or card);
hand over by scanning the shopper's pickup QR, by a surname check when they
have no code, or only some lines now.

Every action works on the order the clerk sees highlighted: the order number
is read when the key is pressed, and the cursor follows that order (not the
row) when the queue re-sorts under it.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Input, Label

from pos.messages import Problem
from pos.printing import kick_drawer
from pos.sale_receipt import offer_receipt, reprint_last
from pos.screens.base import StaffScreen
from shared.client import Api
from shared.errors import CommerceError
from shared.i18n import N_
from shared.schemas.orders import Collect, OrderOut, PaymentIn, PickupOut, Transition
from shared.timefmt import age

ORDER = ["ready_for_pickup", "picking", "paid", "pending_payment", "shipped"]
"""Queue order by status (ready ones first), then oldest first."""

EVENT_PAGE = 1000
"""Events read per request while catching up (the most the core gives at once)."""

NOT_READY = {
    "pending_payment": N_("{number} is waiting for payment and not picked yet; it cannot be "
                          "handed over."),
    "paid": N_("{number} is paid but not picked yet; it cannot be handed over."),
    "picking": N_("{number} is being picked; it cannot be handed over."),
    "shipped": N_("{number} is still on its way to the store; it cannot be handed over."),
    "collected": N_("{number} is already collected; it cannot be handed over."),
    "cancelled": N_("{number} is cancelled; it cannot be handed over."),
}
"""Why an order cannot be handed over yet, said before the clerk asks the shopper."""

STATUS_NAMES = {
    "pending_payment": N_("pending payment"), "paid": N_("paid"), "picking": N_("picking"),
    "ready_for_pickup": N_("ready for pickup"), "shipped": N_("shipped"),
    "collected": N_("collected"), "cancelled": N_("cancelled"),
}
"""An order's status as the queue and the status line say it (in the till's language)."""


SAVED = N_("{} is paid.")
"""How a printer-fault notice starts: the money is recorded either way."""

class PickupsScreen(StaffScreen[None]):
    BINDINGS = [
        # Most used at the counter first: the footer cuts from the right, F1 lists all.
        Binding("f4", "take_cash", N_("Cash"), id="pickup_cash",
                tooltip=N_("Take what is due in cash: amount handed over, change, receipt")),
        Binding("f5", "take_card", N_("Card"), id="pickup_card",
                tooltip=N_("Charge what is due on the card terminal")),
        Binding("f7", "by_name", N_("Name check"), id="pickup_by_name",
                tooltip=N_("Hand over without a code: the shopper's surname is checked")),
        Binding("f9", "partial", N_("Partial"), id="pickup_partial",
                tooltip=N_("Hand over some lines now; the rest waits, or is cancelled and "
                           "refunded")),
        Binding("f2", "picking", N_("Start picking"), id="start_picking"),
        Binding("f3", "ready", N_("Ready"), id="mark_ready", tooltip=N_("Tell the shopper")),
        Binding("f8", "reprint", N_("Reprint"), id="reprint", tooltip=N_("Print the last receipt")),
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the sale")),
        Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
        # The scan field keeps the focus; the arrows still move through the queue.
        Binding("up", "cursor(-1)", N_("Previous order"), show=False, id="pickup_up"),
        Binding("down", "cursor(1)", N_("Next order"), show=False, id="pickup_down"),
    ]

    def __init__(self, collect_code: str | None = None) -> None:
        super().__init__()
        self.collect_code = collect_code
        self.rows: list[PickupOut] = []
        self.last_event = 0
        self.following = False
        self.focus_order: str | None = None
        """An order to put the cursor on once the queue shows it (a scanned code's)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="pickups"):
            yield Label(self.t("Click & collect"), classes="title")
            yield Input(placeholder=self.t("Scan the shopper's pickup code to hand over, "
                                           "or type an order number to select it"), id="scan")
            yield DataTable(id="queue", cursor_type="row", zebra_stripes=True)
            yield Label("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#queue", DataTable).add_columns(
            *(self.t(name) for name in (N_("Order"), N_("Status"), N_("Customer"), N_("Units"),
                                        N_("Due"), N_("Waiting"), N_("Here"))))
        self.query_one("#scan", Input).focus()
        self.follow()  # finds where the event log ends, then loads the queue
        self.set_interval(2.0, self.follow)
        if self.collect_code:
            self.collect(self.collect_code)


    # -- the queue -------------------------------------------------------------------

    @work(exclusive=True, group="queue")
    async def refresh_queue(self) -> None:
        app = self.app
        try:
            rows = await app.client.call(Api.pickups(app.here.code))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            return
        rows.sort(key=lambda r: (ORDER.index(r.status) if r.status in ORDER else 9,
                                 r.created_at))
        table = self.query_one("#queue", DataTable)
        # The clerk is looking at an order, not at a row number: keep the cursor on it.
        kept, row_was = self.focus_order or self._selected(), table.cursor_row
        self.rows = rows
        table.clear()
        for row in rows:
            table.add_row(row.number, self._status(row.status), row.customer_name or "",
                          str(row.units),
                          app.money(row.due_cents) if row.due_cents else self.t("paid"),
                          age(row.created_at), self.t("✔ here") if row.checked_in_at else "",
                          key=row.number)
        numbers, self.focus_order = [row.number for row in rows], None
        if rows:
            table.move_cursor(row=numbers.index(kept) if kept in numbers
                              else min(row_was, len(rows) - 1), animate=False)

    @work(exclusive=True, group="follow")
    async def follow(self) -> None:
        """Refresh the queue when the store's orders change.

        The first poll only finds where the log ends (a page at a time through a
        long history) and then loads the queue, so no event is lost between the
        two and the first change after opening the screen is never mistaken for
        history.
        """
        app = self.app
        seen = self.last_event
        try:
            while True:
                events = await app.client.call(Api.events(
                    after=self.last_event, store=app.here.code, types="order.",
                    limit=EVENT_PAGE))
                if events:
                    self.last_event = events[-1].seq
                if len(events) < EVENT_PAGE:
                    break
        except CommerceError:
            if not self.following:
                self.refresh_queue()  # says why the queue cannot be shown
            return
        if not self.following or self.last_event != seen:
            self.following = True
            self.refresh_queue()

    def _selected(self) -> str | None:
        table = self.query_one("#queue", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value)

    def _chosen(self) -> str | None:
        """The highlighted order, read when the key is pressed (not later in a
        worker, when a refresh may have moved things)."""
        number = self._selected()
        if number is None:
            self.say(self.t("No order is selected: the queue is empty."), error=True)
        return number

    def action_cursor(self, step: int) -> None:
        table = self.query_one("#queue", DataTable)
        if table.row_count:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def _select(self, number: str) -> bool:
        """Put the cursor on ``number`` if it is in the queue."""
        numbers = [row.number for row in self.rows]
        if number not in numbers:
            return False
        self.query_one("#queue", DataTable).move_cursor(row=numbers.index(number))
        return True

    async def _order(self, number: str) -> OrderOut | None:
        """The order as the core has it now (the queue row may be seconds old)."""
        try:
            return await self.app.client.call(Api.order(number))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return None

    # -- picking ---------------------------------------------------------------------

    @work(exclusive=True, group="act")
    async def move(self, number: str, to: str) -> None:
        try:
            await self.app.client.call(Api.transition(number, Transition(to=to)))
            self.say(f"{number}: {self._status(to)}")
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
        self.refresh_queue()

    def action_picking(self) -> None:
        if number := self._chosen():
            self.move(number, "picking")

    def action_ready(self) -> None:
        if number := self._chosen():
            self.move(number, "ready_for_pickup")

    # -- payment: the same tender flow as a sale ---------------------------------------

    def action_take_cash(self) -> None:
        if number := self._chosen():
            self.take_cash(number)

    def action_take_card(self) -> None:
        if number := self._chosen():
            self.take_card(number)

    async def _due(self, number: str) -> OrderOut | None:
        order = await self._order(number)
        if order is not None and not order.due_cents:
            self.say(self.t("Nothing is due on {number}.", number=number))
            return None
        return order

    @work(exclusive=True, group="act")
    async def take_cash(self, number: str) -> None:
        from pos.dialogs.cash import CashDialog

        app = self.app
        order = await self._due(number)
        if order is None:
            return
        due = order.due_cents
        cents = await app.push_screen_wait(CashDialog(
            due, self.t("{amount} on {number}", amount=app.money(due), number=number)))
        if cents:
            await self._pay(number, PaymentIn(tender="cash", amount_cents=min(due, cents),
                                              tendered_cents=cents))

    @work(exclusive=True, group="act")
    async def take_card(self, number: str) -> None:
        order = await self._due(number)
        if order is None:
            return
        self.say(self.t("{number}: card for {amount}, follow the terminal…", number=number,
                        amount=self.app.money(order.due_cents)))
        await self._pay(number, PaymentIn(tender="card", amount_cents=order.due_cents))

    async def _pay(self, number: str, payment: PaymentIn) -> None:
        app = self.app
        try:
            order = await app.client.call(Api.pay(number, payment))
        except CommerceError as error:
            self.say(app.explain(error), error=True)
            self.refresh_queue()
            return
        self.refresh_queue()
        last = order.payments[-1]
        if payment.tender == "cash" and last.status == "approved":
            await self._kick_drawer()
        if last.status != "approved":
            self.say(f"{last.status.upper()}: {last.message}", error=True)
        elif order.due_cents:
            self.say(self.t("{number}: paid {amount}; {due} still due (F4 cash, F5 card).",
                            number=number, amount=app.money(last.amount_cents),
                            due=app.money(order.due_cents)))
        else:
            await self._offer_receipt(order)

    async def _kick_drawer(self) -> None:
        problem = await kick_drawer(self.app)
        if problem:
            self.post_message(Problem(problem))

    async def _offer_receipt(self, order: OrderOut) -> None:
        """As after a sale: paid first, then paper, the display's QR, e-mail or nothing."""
        app = self.app
        paid = self.t("{number} paid — change {change}", number=order.number,
                      change=app.money(order.change_cents)) if order.change_cents else self.t(
            "{number} paid", number=order.number)
        self.say(paid + ".")
        outcome = await offer_receipt(app, order, paid, self.t(SAVED))
        self.say(f"{paid}. {outcome}")

    @work(group="print")
    async def action_reprint(self) -> None:
        found, outcome = await reprint_last(self.app, self.t(SAVED))
        self.say(outcome, error=not found)

    # -- hand-over ---------------------------------------------------------------------

    @on(Input.Submitted, "#scan")
    def scanned(self, event: Input.Submitted) -> None:
        code = event.value.strip()
        event.input.value = ""
        if not code:
            return
        if self._select(code.upper()):
            self.say(self.t("{number} selected: F4 cash, F5 card, F7 name check, F9 partial.",
                            number=code.upper()))
            return
        self.collect(code)

    @work(exclusive=True, group="act")
    async def collect(self, code: str) -> None:
        try:
            found = await self.app.client.call(Api.scan(code))
        except CommerceError as error:
            self.say(self.app.explain(error), error=True)
            return
        if found.kind != "order_pickup" or not found.reference:
            self.say(self.t("That is not a pickup code."), error=True)
            return
        # Whatever happens next (a payment first, say), F4/F5 then apply to this order.
        self.focus_order = found.reference
        if not self._select(found.reference):
            self.refresh_queue()
        await self._collect(found.reference, Collect(code=code))

    def _ready_to_hand_over(self, order: OrderOut) -> bool:
        """Say why not before the clerk asks the shopper anything."""
        if order.due_cents:
            self.say(self.t("{amount} is still due on {number}: take it first (F4 cash, F5 "
                            "card).", amount=self.app.money(order.due_cents),
                            number=order.number), error=True)
            return False
        if order.status != "ready_for_pickup":
            why = NOT_READY.get(order.status)
            self.say(self.t(why, number=order.number) if why else self.t(
                "{number} is {status}; it cannot be handed over.", number=order.number,
                status=self._status(order.status)), error=True)
            return False
        return True

    def action_by_name(self) -> None:
        if number := self._chosen():
            self.by_name(number)

    @work(exclusive=True, group="act")
    async def by_name(self, number: str) -> None:
        from pos.dialogs.handover import HandoverDialog

        app = self.app
        order = await self._order(number)
        if order is None or not self._ready_to_hand_over(order):
            return
        units = sum(line.qty - line.qty_collected - line.qty_cancelled for line in order.lines)
        surname = await app.push_screen_wait(HandoverDialog(
            number, self.t("{units} items to hand over, {amount}", units=units,
                           amount=app.money(order.total_cents)) if units != 1 else self.t(
                "1 item to hand over, {amount}", amount=app.money(order.total_cents))))
        if surname:
            await self._collect(number, Collect(last_name=surname))

    def action_partial(self) -> None:
        if number := self._chosen():
            self.partial(number)

    @work(exclusive=True, group="act")
    async def partial(self, number: str) -> None:
        from pos.dialogs.partial_pickup import PartialPickupDialog

        app = self.app
        order = await self._order(number)
        if order is None or not self._ready_to_hand_over(order):
            return
        body = await app.push_screen_wait(PartialPickupDialog(order, app.money))
        if body is not None:
            await self._collect(number, body, before=order)

    async def _collect(self, number: str, body: Collect, before: OrderOut | None = None
                       ) -> None:
        """Hand over through the core, which checks the code or the surname and what
        is left; then say what happened, and open the drawer for a cash refund."""
        app = self.app
        try:
            order = await app.client.call(Api.collect(number, body))
        except CommerceError as error:
            due = error.context.get("due_cents")
            if error.code == "payment_due" and isinstance(due, int):
                self.say(self.t("{amount} is still due on {number}: take it first (F4 cash, "
                                "F5 card), then hand over.", amount=app.money(due),
                                number=number), error=True)
            else:
                self.say(app.explain(error), error=True)
            self.refresh_queue()
            return
        self.refresh_queue()
        who = order.customer_name or self.t("the customer")
        if before is None:
            self.say(self.t("{number} handed over to {who}.", number=order.number, who=who))
            return
        taken = sum(x.qty_collected for x in order.lines) - sum(
            x.qty_collected for x in before.lines)
        left = sum(x.qty - x.qty_collected - x.qty_cancelled for x in order.lines)
        text = self.t("{number}: {taken} items handed over to {who}", number=order.number,
                      taken=taken, who=who) if taken != 1 else self.t(
            "{number}: 1 item handed over to {who}", number=order.number, who=who)
        refunded = {p.id: p.refunded_cents for p in before.payments}
        refunds = [(p.tender, p.refunded_cents - refunded.get(p.id, 0)) for p in order.payments]
        refund = sum(cents for _, cents in refunds)
        cash = sum(cents for tender, cents in refunds if tender == "cash")
        if refund:
            if cash:
                await self._kick_drawer()
                text += "; " + self.t("the rest is cancelled and {refund} refunded: give "
                                     "{cash} back in cash", refund=app.money(refund),
                                      cash=app.money(cash))
            else:
                text += "; " + self.t("the rest is cancelled and {refund} refunded",
                               refund=app.money(refund))
        elif left:
            text += "; " + self.t("{left} still to collect", left=left)
        self.say(text + ".")

    def _status(self, status: str) -> str:
        """``status`` as the clerk reads it, in the till's language."""
        name = STATUS_NAMES.get(status)
        return self.t(name) if name else status.replace("_", " ")

    def action_back(self) -> None:
        self.app.pop_screen()
