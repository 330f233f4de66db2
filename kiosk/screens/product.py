"""Product detail: price, colour and size, and where it is — here, nearby,
online — kept live from the core's stock events while the shopper looks.

Everything shown is drawn from the screen's state (``detail``, ``availability``,
``sku``), so a language switch redraws the same product in other words, and a
core that does not answer shows one calm line and is asked again by itself."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from kiosk.base import KioskScreen
from kiosk.messages import BasketChanged, StockChanged
from kiosk.widgets.nav import NavBar
from kiosk.widgets.variant_picker import VariantPicker, has_choices
from shared.client import Api
from shared.errors import CommerceError, NotFound
from shared.schemas.catalog import Availability, ProductDetail

RETRY_SECONDS = 3.0
"""How soon a product that could not be read is asked for again."""


class ProductScreen(KioskScreen[None]):
    AUTO_FOCUS = "#product"
    """The product's scroll (arrows scroll it; nothing is chosen by a stray key):
    what Textual's first-focusable rule picked, named so a kept screen can keep it."""

    def __init__(self, sku: str, detail: ProductDetail | None = None,
                 availability: Availability | None = None) -> None:
        """``detail`` and ``availability`` already read (a scan reads them while the
        code is looked up) make the screen whole at its first paint: composed and
        laid out once, not once empty and again with its choices."""
        super().__init__()
        self.sku = sku
        self.detail = detail
        self.availability = availability if detail is not None else None
        self.trouble: str | None = None
        self.drawn_in = ""
        """The language the screen's own words were composed in."""
        self._just_read = detail is not None and availability is not None

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.app.t
        self.drawn_in = self.app.language
        with VerticalScroll(id="product"):
            yield Label(self._name_text(), id="product-name", classes="title")
            yield Static(self._info_text(), id="product-info")
            with Vertical(id="variants"):
                if self.detail is not None and has_choices(self.detail):
                    yield VariantPicker(self.detail, self.sku, id="picker")
            yield Static(self._stock_text(), id="stock")
        with Horizontal(id="product-actions"):
            yield Button(t("Add to basket"), id="add", variant="success",
                         disabled=not self._here_count())
            yield Button(t("Order for pickup"), id="order", variant="primary",
                         disabled=self.availability is None)
            yield Button(t("Back"), id="back")
        yield NavBar()

    def _name_text(self) -> str:
        if self.detail is None:
            return self.trouble or "…"
        return self.detail.style_name or self.detail.name

    def _info_text(self) -> str:
        detail = self.detail
        if detail is None:
            return ""
        t, money = self.app.t, self.app.money
        vat = t("VAT included")
        text = (f"[b]{money(detail.price_cents)}[/b] {vat} · {detail.brand} · "
                f"{detail.category_name}\n{detail.description}")
        if detail.final_sale:
            text += "\n[b]" + t("Final sale: this product cannot be returned.") + "[/b]"
        return text

    def _here_count(self) -> int:
        stock = self.availability
        return stock.here.available if stock is not None and stock.here else 0

    def _stock_text(self) -> str:
        stock = self.availability
        if stock is None:
            return self.trouble if self.detail is not None and self.trouble else ""
        t = self.app.t
        here, elsewhere = t("Available here"), t("In other stores")
        lines = [f"[b]{here}: {self._here_count()}[/b]", f"{elsewhere}:"]
        lines += [f"  {loc.name} ({loc.city}): {loc.available}"
                  for loc in stock.locations if loc.kind != "warehouse"]
        lines.append(t("Online") + f": {stock.online}")
        return "\n".join(lines)

    async def render_detail(self) -> None:
        if not self.query("#product-name"):
            return  # the answer came after the shopper left (or the kiosk reset)
        self.query_one("#product-name", Label).update(self._name_text())
        self.query_one("#product-info", Static).update(self._info_text())
        box = self.query_one("#variants", Vertical)
        pickers = box.query(VariantPicker)
        if self.detail is not None and has_choices(self.detail):
            if pickers:
                await pickers.first(VariantPicker).show(self.detail, self.sku)
            else:
                await box.mount(VariantPicker(self.detail, self.sku, id="picker"))
        else:
            await pickers.remove()
        self.render_stock()

    def render_stock(self) -> None:
        if not self.query("#stock"):
            # Left while the choices were still being drawn, or a stock event
            # reached a screen already gone: nothing to show it on.
            return
        self.query_one("#stock", Static).update(self._stock_text())
        # "Available" already leaves out what this shopper's basket holds.
        self.query_one("#add", Button).disabled = self._here_count() <= 0
        self.query_one("#order", Button).disabled = self.availability is None

    # -- the core ---------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.detail is not None and self.availability is not None:
            return  # composed whole: nothing left to read
        # After the first refresh: a refusal can come back before the screen's
        # widgets are in place (a core that is down refuses at once).
        self.call_after_refresh(self.load)

    def on_screen_resume(self) -> None:
        """Back in front (a basket or an order screen was on top): stock may have
        moved meanwhile, and this screen heard nothing while it was behind. Not
        when it comes in with figures read a moment ago."""
        if self._just_read:
            self._just_read = False
            return
        if self.detail is not None:
            self.refresh_stock()

    async def show_product(self, sku: str, detail: ProductDetail,
                           availability: Availability) -> None:
        """Another scanned product on this screen, kept between scans: its figures
        put in place of the last one's. Composing and styling a new screen was
        most of what a scan waited for; the screen is as a new one would be
        (scrolled to the top, the focus on the product's scroll, the basket's count
        now). The focus stays where it is when it is there already: taking it away
        and giving it back restyled the whole product twice a scan."""
        self.workers.cancel_group(self, "product")
        self.workers.cancel_group(self, "stock")
        self.sku, self.detail, self.availability, self.trouble = sku, detail, availability, None
        self._just_read = True
        if self.drawn_in != self.app.language:
            await self.recompose()  # the language changed since: its own words too
        else:
            await self.render_detail()
            self.query_one(NavBar).refresh_count()
            self.query_one("#product", VerticalScroll).scroll_home(animate=False)
        self.set_focus(self.query_one("#product", VerticalScroll))

    @work(exclusive=True, group="product")
    async def load(self) -> None:
        """Read the product and its stock; if the core is away, say so once and
        ask again by itself until it answers."""
        client = self.app.client
        try:
            detail = await client.call(Api.product(self.sku))
            availability = await client.call(Api.availability(self.sku))
        except CommerceError as error:
            self.trouble = self.app.explain(error)
            self.availability = None
            await self.render_detail()
            if not isinstance(error, NotFound):
                self.set_timer(RETRY_SECONDS, self.load)
            return
        self.detail, self.availability, self.trouble = detail, availability, None
        await self.render_detail()

    def words_changed(self) -> None:
        """The language changed: the name and description in its words."""
        if self.detail is not None:
            self.load()

    @on(StockChanged)
    def stock_changed(self, message: StockChanged) -> None:
        if self.detail is not None and message.sku in {v.sku for v in self.detail.variants}:
            self.refresh_stock()

    @work(exclusive=True, group="stock")
    async def refresh_stock(self) -> None:
        """Stock of this product, and of its other sizes and colours (which of
        them are crossed out), read afresh."""
        client = self.app.client
        try:
            self.availability = await client.call(Api.availability(self.sku))
            if self.detail is not None and has_choices(self.detail):
                self.detail = await client.call(Api.product(self.sku))
        except CommerceError:
            return  # the next change, or coming back to this screen, reads it again
        await self.render_detail()

    # -- what the shopper does -------------------------------------------------------

    @on(VariantPicker.VariantChosen)
    def variant(self, message: VariantPicker.VariantChosen) -> None:
        self.sku = message.sku
        self.availability = None
        self.render_stock()
        self.workers.cancel_group(self, "stock")
        self.load()

    @on(Button.Pressed, "#add")
    def add(self) -> None:
        self.app.set_line(self.sku, self.app.qty_of(self.sku) + 1)

    @on(Button.Pressed, "#order")
    def order(self) -> None:
        from kiosk.screens.order import OrderScreen

        if self.availability is not None:
            name = self.detail.name if self.detail is not None else self.sku
            self.app.push_screen(OrderScreen(self.sku, self.availability, name))

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()

    @on(BasketChanged)
    def basket_changed(self) -> None:
        """The basket took (or gave back) stock here: read what is left."""
        self.query_one(NavBar).refresh_count()
        self.refresh_stock()
