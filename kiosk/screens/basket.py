"""The basket: quantities, total, and 'pay at the till'."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label

from kiosk.base import KioskScreen
from kiosk.messages import BasketChanged, Problem
from kiosk.widgets.nav import NavBar
from shared.client import Api
from shared.errors import CommerceError


class BasketScreen(KioskScreen[None]):
    """The lines by their names in the shopper's language: a basket line keeps the
    name it was added with (the catalog's own), so the screen asks the catalog for
    each product's name in the language on screen, and again when it changes."""

    def __init__(self) -> None:
        super().__init__()
        self.names: dict[str, str] = {}

    def on_mount(self) -> None:
        self.read_names()

    def words_changed(self) -> None:
        self.names = {}
        self.read_names()

    @work(exclusive=True, group="names")
    async def read_names(self) -> None:
        cart = self.app.cart
        missing = [line.sku for line in cart.lines if line.sku not in self.names] \
            if cart else []
        if not missing:
            return
        for sku in missing:
            try:
                detail = await self.app.client.call(Api.product(sku))
            except CommerceError:
                return  # the line keeps the name it has; the next change asks again
            self.names[sku] = detail.name
        # In place, not recomposed: a button under the shopper's finger stays put.
        for line in cart.lines if cart else []:
            for label in self.query(f"#name-{line.sku}").results(Label):
                label.update(self._line_text(line.qty, line.sku, line.name))

    def _line_text(self, qty: int, sku: str, name: str) -> str:
        return f"{qty} × {self.names.get(sku, name)}"

    def compose(self) -> ComposeResult:
        app = self.app
        t, money = app.t, app.money
        cart = app.cart
        with Vertical(id="basket"):
            yield Label(t("Your basket"), classes="title")
            with VerticalScroll(id="basket-lines"):
                if not cart or not cart.lines:
                    yield Label(t("Your basket is empty."), id="basket-empty")
                for line in cart.lines if cart else []:
                    with Horizontal(classes="basket-line"):
                        yield Label(self._line_text(line.qty, line.sku, line.name),
                                    id=f"name-{line.sku}", classes="line-name")
                        yield Label(money(line.total_cents), classes="line-total")
                        yield Button(t("−1"), id=f"less-{line.sku}", classes="less")
                        yield Button(t("+1"), id=f"more-{line.sku}", classes="more")
            yield Label(t("Total") + f": {money(cart.total_cents if cart else 0)}",
                        id="basket-total", classes="title")
            yield Button(t("Pay at the till"), id="pay", variant="success",
                         disabled=not (cart and cart.lines))
        yield NavBar()

    @on(Button.Pressed, ".less, .more")
    def change(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        sku = button_id.split("-", 1)[1]
        delta = 1 if button_id.startswith("more-") else -1
        self.app.set_line(sku, max(0, self.app.qty_of(sku) + delta))

    @on(BasketChanged)
    def basket_changed(self) -> None:
        self.refresh(recompose=True)
        self.read_names()

    @on(Button.Pressed, "#pay")
    def pay(self) -> None:
        self.hand_off()

    @work(exclusive=True, group="handoff")
    async def hand_off(self) -> None:
        from kiosk.screens.handoff import HandoffScreen

        app = self.app
        try:
            handoff, renewal = await app.basket.hand_off()
        except CommerceError as error:
            self.post_message(Problem(app.explain(error)))
            self.refresh(recompose=True)
            return
        app.tell_renewal(renewal)
        app.push_screen(HandoffScreen(handoff.code, handoff.payload))
