"""The bar under every screen: where to go, the language, and the scan field."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input

from kiosk.base import KioskHorizontal
from kiosk.codes import is_code
from kiosk.i18n import LANGUAGES


class NavBar(KioskHorizontal):
    DEFAULT_CSS = """
    NavBar { height: auto; dock: bottom; padding: 0 1; }
    NavBar Button { margin: 0 1 0 0; min-width: 8; }
    NavBar Button.lang { min-width: 6; }
    NavBar Input { width: 1fr; min-width: 14; }
    """

    def compose(self) -> ComposeResult:
        app = self.app
        yield Button(app.t("Home"), id="nav-home")
        yield Button(app.t("Basket ({count})", count=app.basket_count()),
                     id="nav-basket", variant="primary")
        yield Button(app.tp("nav", "Collect an order"), id="nav-pickup")
        for code in LANGUAGES:
            yield Button(code.upper(), id=f"lang-{code}", classes="lang")
        yield Input(placeholder=app.t("Scan a code here"), id="scan", max_length=200)

    @on(Button.Pressed, "#nav-home")
    def home(self) -> None:
        self.browse()

    def browse(self, words: str = "") -> None:
        """Back to the browse screen (searching ``words`` if given)."""
        from kiosk.screens.browse import BrowseScreen

        app = self.app
        while len(app.screen_stack) > 2:
            app.pop_screen()
        if not isinstance(app.screen, BrowseScreen):
            app.push_screen(BrowseScreen(words))
        elif words:
            app.screen.search_for(words)

    @on(Input.Submitted, "#scan")
    def words(self, event: Input.Submitted) -> None:
        """Words typed into the scan field are a search, not a dead end (a real
        code goes on to the app, which opens what it names)."""
        if is_code(event.value) or not event.value.strip():
            return
        event.stop()
        words, event.input.value = event.value, ""
        self.browse(words)

    @on(Button.Pressed, "#nav-basket")
    def basket(self) -> None:
        self.app.action_basket()

    @on(Button.Pressed, "#nav-pickup")
    def pickup(self) -> None:
        from kiosk.screens.pickup import PickupScreen

        self.app.push_screen(PickupScreen())

    @on(Button.Pressed, ".lang")
    def language(self, event: Button.Pressed) -> None:
        """Asked of the app, not done here: this button is redrawn with the screen."""
        self.app.call_later(self.app.action_language,
                            (event.button.id or "lang-it").removeprefix("lang-"))

    def refresh_count(self) -> None:
        self.query_one("#nav-basket", Button).label = self.app.t(
            "Basket ({count})", count=self.app.basket_count())
