"""Browse and search: department tiles and results as the shopper types.

One row per style (a polo in twelve sizes and colours is one row; its sizes
are chosen on the product), every style reachable ("show more" follows the
core's cursor), and the list always about what the field and the chosen
department say *now*: clearing the field clears the list, a department tap
clears the old words, an answer to an older question is dropped.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from kiosk.base import KioskScreen
from kiosk.codes import is_code
from kiosk.messages import BasketChanged
from kiosk.widgets.nav import NavBar
from shared.client import Api
from shared.errors import CommerceError
from shared.schemas.catalog import CategoryOut, ProductOut

PAGE = 30
"""Styles fetched at a time; "show more" fetches the next page."""

MORE = "more"
"""Option id of the "show more results" row at the end of the list."""

RETRY_SECONDS = 3.0
"""A core that did not answer is asked again this soon, by itself."""


class BrowseScreen(KioskScreen[None]):
    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.categories: list[CategoryOut] = []
        self.words = query.strip()[:100]
        self.department: CategoryOut | None = None
        self.items: list[ProductOut] = []
        self.cursor: str | None = None
        self.trouble: str | None = None
        """Why the list could not be read (the core away), shown in its place."""
        self._retries: dict[str, Timer] = {}

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="browse"):
            yield Input(self.words, placeholder=t("Search a product, a brand…"), id="search",
                        max_length=100)
            yield Label(t("Departments"), classes="section")
            with Grid(id="categories"):
                yield from self._tiles()
            yield Label(self._heading(), id="results-title", classes="section")
            yield OptionList(*self._options(), id="results")
        yield NavBar()

    def _tiles(self) -> list[Button]:
        return [Button(c.name, id=f"cat-{c.code}", classes="tile") for c in self.categories]

    def _heading(self) -> str:
        t = self.app.t
        if self.words:
            return t("Results for “{q}”", q=self.words)
        if self.department is not None:
            return self.department.name
        return t("Type what you are looking for, or choose a department.")

    def _row(self, product: ProductOut) -> str:
        money, t = self.app.money, self.app.t
        low = product.price_min_cents if product.price_min_cents is not None else \
            product.price_cents
        high = product.price_max_cents if product.price_max_cents is not None else low
        price = money(low) if low == high else t("from {price}", price=money(low))
        row = f"{product.style_name or product.name}  ·  {product.brand}  ·  {price}"
        if (product.variant_count or 1) > 1:
            row += "  ·  " + t("{count} options", count=product.variant_count)
        return row

    def _options(self) -> list[Option]:
        t = self.app.t
        if self.trouble:
            return [Option(self.trouble, disabled=True)]
        if not self.words and self.department is None:
            return []
        if not self.items:
            none = t("Nothing found for “{q}”. Try another word, or choose a department.",
                     q=self.words) if self.words else t("No products found.")
            return [Option(none, disabled=True)]
        options = [Option(self._row(p), id=p.sku) for p in self.items]
        if self.cursor:
            options.append(Option("▼ " + t("Show more results"), id=MORE))
        return options

    def show(self, highlight: int | None = None) -> None:
        """Put the state on screen (the list is rebuilt, never patched)."""
        self.query_one("#results-title", Label).update(self._heading())
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options(self._options())
        if highlight is not None and highlight < results.option_count:
            results.highlighted = highlight

    # -- what the shopper does -------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.load_categories()
        if self.words:
            self.find()

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        """The list follows the field: new words, a new search over every
        department; an empty field, an empty list (and no answer still coming)."""
        self.words = event.value.strip()
        self.department = None
        if self.words:
            self.find()
        else:
            self.workers.cancel_group(self, "search")
            self.items, self.cursor, self.trouble = [], None, None
            self.show()

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        """Enter after words takes the shopper into the list (a scanned code
        goes on to the app, which opens what it names)."""
        if is_code(event.value):
            return
        event.stop()
        results = self.query_one("#results", OptionList)
        if self.items:
            results.focus()
            results.highlighted = 0

    @on(Button.Pressed, ".tile")
    def choose_department(self, event: Button.Pressed) -> None:
        code = (event.button.id or "").removeprefix("cat-")
        self.department = next((c for c in self.categories if c.code == code), None)
        self.words = ""
        search = self.query_one("#search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.find()

    @on(OptionList.OptionSelected, "#results")
    def open_product(self, event: OptionList.OptionSelected) -> None:
        from kiosk.screens.product import ProductScreen

        if event.option.id == MORE:
            self.find(more=True)
        elif event.option.id:
            self.app.push_screen(ProductScreen(event.option.id))

    def search_for(self, words: str) -> None:
        """Words typed elsewhere (the scan field): shown here as if typed here."""
        self.query_one("#search", Input).value = words.strip()[:100]

    # -- the core ---------------------------------------------------------------------

    def _again(self, name: str, what: Callable[[], object]) -> None:
        """The core did not answer: say so once (in place of the list, not a
        message per keystroke) and ask again by itself."""
        if name in self._retries:
            self._retries[name].stop()
        self._retries[name] = self.set_timer(RETRY_SECONDS, what)

    @work(exclusive=True, group="categories")
    async def load_categories(self) -> None:
        try:
            self.categories = await self.app.client.call(Api.categories())
        except CommerceError as error:
            self.trouble = self.app.explain(error)
            self.show()
            self._again("categories", self.load_categories)
            return
        if self.department is not None:  # the same department, named in today's words
            code = self.department.code
            self.department = next((c for c in self.categories if c.code == code),
                                   self.department)
            self.query_one("#results-title", Label).update(self._heading())
        grid = self.query_one("#categories", Grid)
        await grid.remove_children()
        await grid.mount_all(self._tiles())
        if self.trouble:
            self.trouble = None
            if self.words or self.department:
                self.find()
            else:
                self.show()

    @work(exclusive=True, group="search")
    async def find(self, more: bool = False) -> None:
        """Exclusive: a new keystroke cancels the lookup still in flight; and an
        answer is shown only if it still answers what the screen asks."""
        asked = (self.words, self.department.code if self.department else None)
        if asked == ("", None):
            return
        try:
            page = await self.app.client.call(Api.styles(
                q=asked[0] or None, category=asked[1], limit=PAGE,
                cursor=self.cursor if more else None))
        except CommerceError as error:
            self.trouble = self.app.explain(error)
            self.show()
            self._again("search", lambda: self.find(more))
            return
        if asked != (self.words, self.department.code if self.department else None):
            return
        first_new = len(self.items) if more else 0
        self.items = (self.items if more else []) + page.items
        self.cursor, self.trouble = page.next_cursor, None
        self.show(highlight=first_new if more else None)
        if not self.categories:
            self.load_categories()

    def words_changed(self) -> None:
        """The language changed: departments and the styles listed, in its words."""
        self.load_categories()
        if self.words or self.department is not None:
            self.find()

    @on(BasketChanged)
    def basket_changed(self) -> None:
        self.query_one(NavBar).refresh_count()
