"""Product detail: price, variants, and where it is — here, nearby, online —
kept live from the core's stock events while the shopper looks."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from kiosk.messages import BasketChanged, Problem, StockChanged
from kiosk.widgets.nav import NavBar
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.catalog import Availability, ProductDetail


class ProductScreen(Screen[None]):
    def __init__(self, sku: str) -> None:
        super().__init__()
        self.sku = sku
        self.detail: ProductDetail | None = None
        self.availability: Availability | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        with VerticalScroll(id="product"):
            yield Label("…", id="product-name", classes="title")
            yield Static("", id="product-info")
            yield Label(t("product.variants"), classes="section")
            yield Horizontal(id="variants")
            yield Static("", id="stock")
            with Horizontal(id="product-actions"):
                yield Button(t("product.add"), id="add", variant="success")
                yield Button(t("product.order"), id="order", variant="primary")
                yield Button(t("nav.back"), id="back")
        yield NavBar()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        """Back in front (a basket or an order screen was on top): stock may have
        moved meanwhile, and this screen heard nothing while it was behind."""
        if self.detail is not None:
            self.refresh_stock()

    @work(exclusive=True, group="product")
    async def load(self) -> None:
        client = self.app.client  # type: ignore[attr-defined]
        try:
            self.detail = await client.call(Api.product(self.sku))
            self.availability = await client.call(Api.availability(self.sku))
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))  # type: ignore[attr-defined]
            return
        await self.render_detail()

    @on(StockChanged)
    def stock_changed(self, message: StockChanged) -> None:
        if message.sku == self.sku:
            self.refresh_stock()

    @work(exclusive=True, group="stock")
    async def refresh_stock(self) -> None:
        try:
            self.availability = await self.app.client.call(  # type: ignore[attr-defined]
                Api.availability(self.sku))
        except CommerceError:
            return  # the next change, or coming back to this screen, reads it again
        self.render_stock()

    async def render_detail(self) -> None:
        detail = self.detail
        if detail is None:
            return
        t, money = self.app.t, self.app.money  # type: ignore[attr-defined]
        self.query_one("#product-name", Label).update(detail.name)
        self.query_one("#product-info", Static).update(
            f"{detail.brand} · {detail.category_name}\n\n{detail.description}\n\n"
            f"[b]{money(detail.price_cents)}[/b]  {t('product.vat')}")
        variants = self.query_one("#variants", Horizontal)
        await variants.remove_children()
        await variants.mount_all(
            Button(" ".join(x for x in (v.colour, v.size) if x) or v.sku,
                   id=f"v-{v.sku}", classes="variant" + (" -current" if v.sku == self.sku
                                                          else ""))
            for v in detail.variants[:12])
        self.render_stock()

    def render_stock(self) -> None:
        stock = self.availability
        if stock is None:
            return
        t = self.app.t  # type: ignore[attr-defined]
        here = stock.here.available if stock.here else 0
        lines = [f"[b]{t('product.here')}: {here}[/b]", f"{t('product.elsewhere')}:"]
        lines += [f"  {loc.name} ({loc.city}): {loc.available}"
                  for loc in stock.locations if loc.kind != "warehouse"]
        lines.append(f"{t('product.online')}: {stock.online}")
        self.query_one("#stock", Static).update("\n".join(lines))
        # "Available" already leaves out what this shopper's basket holds.
        self.query_one("#add", Button).disabled = here <= 0

    @on(Button.Pressed, ".variant")
    def variant(self, event: Button.Pressed) -> None:
        self.sku = (event.button.id or "").removeprefix("v-")
        self.load()

    @on(Button.Pressed, "#add")
    def add(self) -> None:
        self.app.set_line(self.sku, self.app.qty_of(self.sku) + 1)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#order")
    def order(self) -> None:
        from kiosk.screens.order import OrderScreen

        if self.availability is not None:
            self.app.push_screen(OrderScreen(self.sku, self.availability))

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()

    @on(BasketChanged)
    def basket_changed(self) -> None:
        """The basket took (or gave back) stock here: read what is left."""
        self.query_one(NavBar).refresh_count()
        self.refresh_stock()
