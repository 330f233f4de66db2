"""The attract screen: what a passer-by sees; touch, a key or a scan starts."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Input, Label

from kiosk.base import KioskScreen
from kiosk.codes import is_code
from kiosk.i18n import LANGUAGES


class AttractScreen(KioskScreen[None]):
    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(id="attract"):
            yield Label(t("Welcome to Portico"), id="attract-title", classes="title")
            yield Label(t("Touch or scan to start"), id="attract-touch")
            with Center():
                yield Button(t("Start"), id="start", variant="success")
            with Center(), Horizontal(id="languages"):
                for code, name in LANGUAGES.items():
                    yield Button(name, id=f"lang-{code}", classes="lang")
            with Center():
                yield Input(placeholder=t("Scan a code here"), id="scan", max_length=200)
            yield Label("", id="setup-problem")

    def on_mount(self) -> None:
        self.query_one("#scan", Input).focus()
        self.show_setup()

    def show_setup(self) -> None:
        """A setting staff must fix, said in one sentence; shoppers are not let
        in while the core refuses this kiosk."""
        problem = self.app.setup_problem
        label = self.query_one("#setup-problem", Label)
        label.update(problem.text(self.app.t) if problem else "")
        label.display = problem is not None
        self.query_one("#start", Button).disabled = bool(problem and problem.blocking)

    @on(Button.Pressed, ".lang")
    def language(self, event: Button.Pressed) -> None:
        """Asked of the app, not done here: this button is redrawn with the screen."""
        self.app.call_later(self.app.action_language,
                            (event.button.id or "lang-it").removeprefix("lang-"))

    @on(Button.Pressed, "#start")
    def start(self) -> None:
        self.begin()

    def begin(self, words: str = "") -> None:
        from kiosk.screens.browse import BrowseScreen

        problem = self.app.setup_problem
        if problem is None or not problem.blocking:
            self.app.switch_screen(BrowseScreen(words))

    def on_click(self, event: events.Click) -> None:
        """A touch anywhere starts, as the screen says (a language button or the
        scan field does what it shows instead)."""
        if not isinstance(event.widget, Button | Input):
            self.begin()

    @on(Input.Submitted, "#scan")
    def words(self, event: Input.Submitted) -> None:
        """Words typed here are a search (a scanned code goes on to the app)."""
        if is_code(event.value) or not event.value.strip():
            return
        event.stop()
        self.begin(event.value)
