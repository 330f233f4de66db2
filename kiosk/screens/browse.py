"""Browse and search: department tiles and results as the shopper types."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from kiosk.messages import BasketChanged, Problem
from kiosk.widgets.nav import NavBar
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.catalog import CategoryOut, ProductOut


class BrowseScreen(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.categories: list[CategoryOut] = []

    def compose(self) -> ComposeResult:
        t = self.app.t  # type: ignore[attr-defined]
        with Vertical(id="browse"):
            yield Input(placeholder=t("search.placeholder"), id="search")
            yield Label(t("search.categories"), classes="section")
            yield Grid(id="categories")
            yield OptionList(id="results")
        yield NavBar()

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.load_categories()

    @work(exclusive=True, group="categories")
    async def load_categories(self) -> None:
        try:
            self.categories = await self.app.client.call(Api.categories())  # type: ignore[attr-defined]
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))  # type: ignore[attr-defined]
            return
        grid = self.query_one("#categories", Grid)
        await grid.remove_children()
        await grid.mount_all(Button(c.name, id=f"cat-{c.code}", classes="tile")
                             for c in self.categories)

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.search(q=event.value.strip())

    @on(Button.Pressed, ".tile")
    def department(self, event: Button.Pressed) -> None:
        self.search(category=(event.button.id or "").removeprefix("cat-"))

    @work(exclusive=True, group="search")
    async def search(self, q: str | None = None, category: str | None = None) -> None:
        """Exclusive: a new keystroke cancels the lookup still in flight."""
        try:
            page = await self.app.client.call(  # type: ignore[attr-defined]
                Api.products(q=q, category=category, limit=30))
        except CommerceError as error:
            self.post_message(Problem(self.app.explain(error)))  # type: ignore[attr-defined]
            return
        self.show(page.items)

    def show(self, products: list[ProductOut]) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        money = self.app.money  # type: ignore[attr-defined]
        if not products:
            results.add_option(Option(self.app.t("search.none"), disabled=True))  # type: ignore[attr-defined]
        results.add_options(
            Option(f"{p.name}  ·  {p.brand}  ·  {money(p.price_cents)}", id=p.sku)
            for p in products)

    @on(OptionList.OptionSelected, "#results")
    def open_product(self, event: OptionList.OptionSelected) -> None:
        from kiosk.screens.product import ProductScreen

        if event.option.id:
            self.app.push_screen(ProductScreen(event.option.id))

    @on(BasketChanged)
    def basket_changed(self) -> None:
        self.query_one(NavBar).refresh_count()
