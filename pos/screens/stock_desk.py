"""The stock desk: what a supervisor does with the store's stock, from the till,
with the scanner.

Scan an item to see its level here (on hand, reserved for orders and baskets,
available to sell); then count it, book goods received or damage written off,
or send units to another location. An incoming transfer is received by its
number: goods for the shelf go into stock, and a ship-to-store transfer makes
its waiting pickup order ready (the core tells the shopper).

Adjustments and outgoing transfers are a supervisor's: a cashier's till asks a
supervisor's PIN on the spot (``call_approved``) rather than refusing. Every
call runs in a worker; the level on screen changes only when the core answers,
so it never shows a number the core does not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Label

from pos.dialogs.stock_quantity import QuantityDialog
from pos.dialogs.transfer_receive import ReceiveTransferDialog, transfer_number
from pos.dialogs.transfer_send import SendTransferDialog
from pos.screens.base import StaffScreen
from pos.widgets.scan_field import ScanField
from shared.client import Api
from shared.errors import CommerceError, NotFound
from shared.i18n import N_
from shared.schemas.orders import (
    AdjustmentIn,
    StockLevelOut,
    TransferCreate,
    TransferLineIn,
    Transition,
)
from shared.schemas.reports import LowStockItem

CODE = re.compile(r"^(\d{8}|\d{12,14}|OT1:.+)$", re.IGNORECASE)
"""A barcode (EAN-8, UPC/EAN-13, GTIN-14) or one of our QR codes: asked of the
core's scan endpoint; anything else is a SKU or a search."""

SCANNED_TRANSFER = re.compile(r"^T-\d{1,6}$", re.IGNORECASE)
"""A transfer number scanned into the item field receives that transfer."""

ADJUSTED = {
    "count": N_("Counted {sku}: on hand now {on_hand}."),
    "receipt": N_("Goods received: {qty} × {sku}: on hand now {on_hand}."),
    "damage": N_("Damage written off: {qty} × {sku}: on hand now {on_hand}."),
}
"""What the status line says after each kind of adjustment (in the till's language)."""

LOW_STOCK_SHOWN = 12
"""Low-stock lines on the desk at once (the KPI screen has the whole list)."""


class StockDeskScreen(StaffScreen[None]):
    BINDINGS = [
        Binding("f2", "count", N_("Count"), id="stock_count",
                tooltip=N_("Type the units counted on the shelf; the core books the difference")),
        Binding("f3", "received", N_("Received"), id="stock_received",
                tooltip=N_("Goods received: add units to this store's stock")),
        Binding("f4", "damage", N_("Damage"), id="stock_damage",
                tooltip=N_("Write damaged units off this store's stock")),
        Binding("f5", "send", N_("Send"), id="transfer_send",
                tooltip=N_("Send units of the item to another location")),
        Binding("f6", "receive", N_("Receive"), id="transfer_receive",
                tooltip=N_("An incoming transfer arrived: scan or type its number")),
        Binding("f7", "low_stock", N_("Low stock"), id="stock_low",
                tooltip=N_("The items of this store with few or none available, lowest first")),
        Binding("escape", "back", N_("Back"), id="back", tooltip=N_("Back to the sale")),
        Binding("f1", "app.keys", N_("Keys"), id="keys", tooltip=N_("Every key of this screen")),
    ]

    @dataclass
    class LevelRead(Message):
        """The core's level of the item on the desk, after a look-up or a change."""

        level: StockLevelOut
        name: str

    @dataclass
    class LowStockRead(Message):
        """The store's low-stock items, lowest first, and the threshold they are under."""

        items: list[LowStockItem]
        units: int

    def __init__(self) -> None:
        super().__init__()
        self.sku: str | None = None
        self.item_name = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="stock-desk"):
            yield Label(self.t("Stock desk"), classes="title")
            yield ScanField(id="scan", placeholder=self.t(
                "Scan an item (or type its SKU or name); scan a transfer number to receive it"))
            yield Label(self.t("No item yet: scan one to see its stock here."), id="item")
            yield Label("", id="level")
            yield Label("", id="status")
            yield Label("", id="low")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scan", ScanField).focus()


    def refused(self, error: CommerceError) -> None:
        self.say(self.app.explain(error), error=True)

    @property
    def store(self) -> str:
        return self.app.here.code

    # -- the item on the desk --------------------------------------------------------

    @on(ScanField.Scanned, "#scan")
    def scanned(self, event: ScanField.Scanned) -> None:
        if SCANNED_TRANSFER.match(event.text):
            self.receive(transfer_number(event.text) or event.text)
        else:
            self.look_up(event.text)

    @work(exclusive=True, group="stock")
    async def look_up(self, text: str) -> None:
        """Find the item a scan or typed text means, then read its level here."""
        client = self.app.client
        try:
            if CODE.match(text):
                result = await client.call(Api.scan(text))
                if result.kind != "product" or result.product is None:
                    self.say(self.t("That code is not an item; scan the item's barcode."),
                             error=True)
                    return
                sku, name = result.product.sku, result.product.name
            else:
                try:
                    product = await client.call(Api.product(text.upper()))
                    sku, name = product.sku, product.name
                except NotFound:
                    found = await self._search(text)
                    if found is None:
                        return
                    sku, name = found
            level = await client.call(Api.stock_level(self.store, sku))
        except CommerceError as error:
            self.refused(error)
            return
        self.post_message(self.LevelRead(level, name))
        self.say(self.t(
            "F2 count · F3 goods received · F4 damage · F5 send to another location"))

    async def _search(self, text: str) -> tuple[str, str] | None:
        """An item by name: the only match, or the one the supervisor picks."""
        from pos.dialogs.pick_product import PickProductDialog

        page = await self.app.client.call(Api.products(q=text, limit=20))
        if not page.items:
            self.say(self.t("Nothing matches {text}.", text=repr(text)), error=True)
            return None
        if len(page.items) == 1:
            return page.items[0].sku, page.items[0].name
        sku = await self.app.push_screen_wait(PickProductDialog(
            text, page.items, self.app.money))
        names = {item.sku: item.name for item in page.items}
        return (sku, names[sku]) if sku else None

    @on(LevelRead)
    def show_level(self, event: LevelRead) -> None:
        level = event.level
        self.sku, self.item_name = level.sku, event.name
        self.query_one("#item", Label).update(self.t(
            "{sku}  {name}  at {location}", sku=level.sku, name=event.name,
            location=level.location))
        self.query_one("#level", Label).update(
            self.t("On hand {on_hand} · Reserved {reserved} · Available {available}",
                   on_hand=level.on_hand, reserved=level.reserved, available=level.available))

    def _item(self) -> str | None:
        """The item on the desk, read when the key is pressed."""
        if self.sku is None:
            self.say(self.t("Scan an item first."), error=True)
        return self.sku

    # -- adjustments -----------------------------------------------------------------

    def action_count(self) -> None:
        if sku := self._item():
            self.adjust(sku, "count")

    def action_received(self) -> None:
        if sku := self._item():
            self.adjust(sku, "receipt")

    def action_damage(self) -> None:
        if sku := self._item():
            self.adjust(sku, "damage")

    @work(exclusive=True, group="stock")
    async def adjust(self, sku: str, reason: str) -> None:
        title = {"count": self.t("Count of {sku}: units on the shelf here", sku=sku),
                 "receipt": self.t("Goods received: units of {sku}", sku=sku),
                 "damage": self.t("Damaged: units of {sku} to write off", sku=sku)}[reason]
        qty = await self.app.push_screen_wait(
            QuantityDialog(title, minimum=0 if reason == "count" else 1))
        if qty is None:
            return
        try:
            level = await self.app.call_approved(Api.adjust_stock(
                AdjustmentIn(location=self.store, sku=sku, reason=reason, qty=qty)))
        except CommerceError as error:
            self.refused(error)
            return
        self.post_message(self.LevelRead(level, self.item_name))
        self.say(self.t(ADJUSTED[reason], sku=sku, qty=qty, on_hand=level.on_hand))

    # -- transfers -------------------------------------------------------------------

    def action_send(self) -> None:
        if sku := self._item():
            self.send(sku)

    @work(exclusive=True, group="stock")
    async def send(self, sku: str) -> None:
        answer = await self.app.push_screen_wait(SendTransferDialog(sku, self.store))
        if answer is None:
            return
        destination, qty = answer
        client = self.app.client
        try:
            transfer = await self.app.call_approved(Api.create_transfer(TransferCreate(
                from_location=self.store, to_location=destination,
                lines=[TransferLineIn(sku=sku, qty=qty)])))
            level = await client.call(Api.stock_level(self.store, sku))
        except CommerceError as error:
            self.refused(error)
            return
        self.post_message(self.LevelRead(level, self.item_name))
        self.say(self.t("Transfer {number}: {qty} × {sku} on its way to {destination}. "
                        "Write the number on the parcel.", number=transfer.number, qty=qty,
                        sku=sku, destination=transfer.to_location))

    def action_receive(self) -> None:
        self.ask_transfer()

    @work(exclusive=True, group="stock")
    async def ask_transfer(self) -> None:
        number = await self.app.push_screen_wait(ReceiveTransferDialog())
        if number:
            await self._receive(number)

    @work(exclusive=True, group="stock")
    async def receive(self, number: str) -> None:
        await self._receive(number)

    async def _receive(self, number: str) -> None:
        """Goods for the shelf go into stock; a ship-to-store transfer belongs to a
        pickup order, and marking that order ready is what books the goods in
        (reserved for it) and tells the shopper."""
        client = self.app.client
        try:
            try:
                transfer = await client.call(Api.receive_transfer(number))
            except CommerceError as error:
                order = error.context.get("order") if error.code == "order_transfer" else None
                if not order:
                    raise
                await client.call(Api.transition(str(order), Transition(
                    to="ready_for_pickup", note=f"transfer {number} received")))
                self.say(self.t("Transfer {number} received: order {order} is ready for "
                                "pickup and the shopper is told. Put it on the pickup shelf.",
                                number=number, order=order))
                return
            if self.sku is not None and self.sku in {line.sku for line in transfer.lines}:
                level = await client.call(Api.stock_level(self.store, self.sku))
                self.post_message(self.LevelRead(level, self.item_name))
        except CommerceError as error:
            self.refused(error)
            return
        units = sum(line.qty for line in transfer.lines)
        self.say(self.t("Transfer {number} from {source} received: {units} units into stock "
                        "here.", number=transfer.number, source=transfer.from_location,
                        units=units) if units != 1 else self.t(
            "Transfer {number} from {source} received: 1 unit into stock here.",
            number=transfer.number, source=transfer.from_location))

    # -- low stock ------------------------------------------------------------------

    def action_low_stock(self) -> None:
        self.low_stock()

    @work(exclusive=True, group="stock")
    async def low_stock(self) -> None:
        """The store's items at or below the core's low-stock threshold (the one its
        ``stock.low`` event uses), read from the KPI report: a supervisor's."""
        try:
            report = await self.app.call_approved(Api.kpis(store=self.store))
        except CommerceError as error:
            self.refused(error)
            return
        self.post_message(self.LowStockRead(report.low_stock_items, report.low_stock_units))

    @on(LowStockRead)
    def show_low_stock(self, event: LowStockRead) -> None:
        if not event.items:
            self.query_one("#low", Label).update(
                self.t("Low stock: no item here has {units} or fewer available.",
                       units=event.units))
            return
        shown = event.items[:LOW_STOCK_SHOWN]
        lines = [self.t("Low stock ({units} or fewer available), lowest first:",
                        units=event.units)] + [
            f"  {item.available:>4}  {item.sku}  {item.name}" for item in shown]
        if len(event.items) > len(shown):
            lines.append("  " + self.t("… and {count} more", count=len(event.items) - len(shown)))
        self.query_one("#low", Label).update("\n".join(lines))

    def action_back(self) -> None:
        self.app.pop_screen()
