"""The kiosk application: thin. Screens coordinate; this holds what is shared —
the client (handed in), the language, the basket and the idle watch."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from time import monotonic
from typing import TYPE_CHECKING

import httpx
from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.widgets import Input

from kiosk.basket import Basket, Renewal
from kiosk.codes import CODE
from kiosk.i18n import LOCALES, translate, translate_in
from kiosk.messages import BasketChanged, Problem, StockChanged
from kiosk.problems import UNKNOWN_CODE, explain
from kiosk.settings import KioskSettings
from kiosk.startup import SetupProblem, check_setup
from shared.client import Api, AsyncCommerceClient
from shared.errors import CommerceError, TooManyAttempts, Unavailable
from shared.events import afollow_events
from shared.money import format_money
from shared.schemas.catalog import ScanResult
from shared.schemas.orders import CartOut

if TYPE_CHECKING:
    from kiosk.screens.product import ProductScreen


SCANNED_PRODUCT = "scanned-product"
"""The name the product screen kept for scans is installed under."""


class KioskApp(App[None]):
    CSS_PATH = "kiosk.tcss"
    TITLE = "Portico"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    """A screen under 32 rows (80x24) gets the compact layout in ``kiosk.tcss``."""
    BINDINGS = [
        Binding("f2", "language('it')", "Italiano", id="lang_it"),
        Binding("f3", "language('en')", "English", id="lang_en"),
        Binding("f4", "language('es')", "Español", id="lang_es"),
        Binding("f5", "contrast", "Contrast", id="contrast"),
        Binding("f9", "basket", "Basket", id="basket"),
        Binding("f10", "reset", "Start over", id="reset"),
        # A kiosk is not quit from its own keyboard (Textual's Ctrl+Q, and Ctrl+C
        # that tells how to quit), nor has it a command palette (Ctrl+P).
        Binding("ctrl+q", "stay", show=False, priority=True, id="no_quit"),
        Binding("ctrl+c", "stay", show=False, priority=True, id="no_interrupt"),
    ]
    ENABLE_COMMAND_PALETTE = False
    SETUP_RETRY_SECONDS = 5.0
    """A core that does not answer at start-up is asked again this often."""

    def __init__(self, client: AsyncCommerceClient, settings: KioskSettings) -> None:
        super().__init__()
        self.client = client
        self.settings = settings
        self.language: str = settings.language
        client.language = self.language
        self.basket = Basket(client)
        self.setup_problem: SetupProblem | None = None
        self.store_names: dict[str, str] = {}
        self.store_code: str | None = None
        """This kiosk's store, as the core knows it (from its token)."""
        self.last_activity = monotonic()
        self.asking = False
        self._scan_buffer = ""
        self.scanned_product: ProductScreen | None = None
        """One product screen kept for scans (``_product_screen``)."""
        self._scan_at = 0.0

    # -- shared helpers for screens -------------------------------------------

    def t(self, message: str, **values: object) -> str:
        """``message`` (English) in the shopper's language, looked up now: the
        language changes per shopper."""
        return translate(self.language, message, **values)

    def tp(self, context: str, message: str, **values: object) -> str:
        """``message`` as said in ``context`` (the same English said two ways)."""
        return translate_in(self.language, context, message, **values)

    def money(self, cents: int) -> str:
        return format_money(cents, locale=LOCALES[self.language])

    def on_mount(self) -> None:
        from kiosk.screens.attract import AttractScreen

        if self.settings.high_contrast:
            self.add_class("-high-contrast")
        self.push_screen(AttractScreen())
        self.set_interval(1.0, self._check_idle)
        self.follow_stock()
        self.check_setup()

    @work(exclusive=True, group="setup", exit_on_error=False)
    async def check_setup(self) -> None:
        """Token and core checked at start-up; the attract screen says what to fix."""
        from kiosk.screens.attract import AttractScreen

        self.setup_problem, whoami = await check_setup(self.client, self.settings.core_url)
        if whoami is not None:
            self.store_code = whoami.device.store_code
        if self.setup_problem is None and not self.store_names:
            with suppress(CommerceError):
                stores = await self.client.call(Api.stores())
                self.store_names = {store.code: store.name for store in stores}
        for screen in self.screen_stack:
            if isinstance(screen, AttractScreen):
                screen.show_setup()
        if self.setup_problem is not None and not self.setup_problem.blocking:
            self.set_timer(self.SETUP_RETRY_SECONDS, self.check_setup)

    def action_stay(self) -> None:
        """Bound over the keys that would leave the kiosk: they do nothing."""

    async def on_unmount(self) -> None:
        """The event stream holds a connection open; give it back on the way out."""
        self.workers.cancel_group(self, "follower")
        await self.client.aclose()

    # -- live stock ---------------------------------------------------------------

    @work(exclusive=True, group="follower", exit_on_error=False)
    async def follow_stock(self) -> None:
        """One follower for the whole kiosk, on the core's event stream from *now*
        (what happened before is already in what a screen reads when it opens),
        resuming with ``Last-Event-ID`` after a blip. Only the screen in front
        hears of a change; a screen coming back to the front reads afresh."""
        async for event in afollow_events(self.client, types="stock.changed",
                                          retry_seconds=2.0):
            if event.subject:
                self.screen.post_message(StockChanged(event.subject))

    # -- idle watch -------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self.last_activity = monotonic()
        if (isinstance(event, events.Key) and not event.is_forwarded
                and not isinstance(self.focused, Input)) and self._wedge(event):
            return
        await super().on_event(event)

    def _wedge(self, key: events.Key) -> bool:
        """A scanner types its code and Enter wherever the focus is: collect the
        characters when no text field has focus; a pause of a second starts over."""
        now = monotonic()
        if now - self._scan_at > 1.0:
            self._scan_buffer = ""
        self._scan_at = now
        if key.key == "enter" and CODE.match(self._scan_buffer):
            text, self._scan_buffer = self._scan_buffer, ""
            self.scan(text)
            return True
        if key.character and key.is_printable and len(key.character) == 1:
            self._scan_buffer += key.character
        return False

    def _check_idle(self) -> None:
        from kiosk.dialogs.still_there import StillThere
        from kiosk.screens.attract import AttractScreen

        if self.asking or not self.screen_stack or isinstance(self.screen, AttractScreen):
            # (No screen at all: the kiosk is stopping, the timer fired on the way out.)
            return
        if monotonic() - self.last_activity >= self.settings.idle_seconds:
            self.asking = True

            def answered(stay: bool | None) -> None:
                self.asking = False
                self.last_activity = monotonic()
                if not stay:
                    self.action_reset()

            self.push_screen(StillThere(self.settings.idle_confirm_seconds), answered)

    def action_reset(self) -> None:
        """Back to the attract screen with nothing personal left behind (and the
        basket's stock back on the shelf, not held for whoever walked away)."""
        from kiosk.screens.attract import AttractScreen

        self.abandon_basket()
        self.language = self.client.language = self.settings.language
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(AttractScreen())

    async def action_language(self, language: str) -> None:
        """Only the words change: every screen is drawn again from what it holds
        (the product, the order, the lines chosen), and what the shopper typed
        is put back in its field. What the catalog says in words (names, descriptions,
        departments) is asked for again in the new language (``words_changed``)."""
        self.language = self.client.language = language
        for screen in self.screen_stack[1:]:
            typed = {field.id: field.value for field in screen.query(Input) if field.id}
            await screen.recompose()
            for field in screen.query(Input):
                if field.id in typed:
                    with field.prevent(Input.Changed):
                        field.value = typed[field.id]
            words_changed = getattr(screen, "words_changed", None)
            if callable(words_changed):
                words_changed()

    def action_contrast(self) -> None:
        self.toggle_class("-high-contrast")

    def action_basket(self) -> None:
        from kiosk.screens.basket import BasketScreen

        self.push_screen(BasketScreen())

    # -- errors ------------------------------------------------------------------

    def explain(self, error: CommerceError) -> str:
        """The core's refusal in the shopper's language (``kiosk.problems``)."""
        return explain(error, self.t, self.store_name)

    def store_name(self, code: str) -> str:
        return self.store_names.get(code, code)

    @on(Problem)
    def show_problem(self, message: Problem) -> None:
        self.notify(message.text, severity="warning", timeout=8)

    # -- basket ------------------------------------------------------------------

    @property
    def cart(self) -> CartOut | None:
        return self.basket.cart

    @work(exclusive=True, group="basket")
    async def set_line(self, sku: str, qty: int) -> None:
        try:
            renewal = await self.basket.set_line(sku, qty)
        except CommerceError as error:
            self.post_message(Problem(self.explain(error)))
            return
        self.tell_renewal(renewal)
        self.notify(self.t("Added to the basket.") if qty else self.t("Your basket"), timeout=3)
        self.screen.post_message(BasketChanged())

    def tell_renewal(self, renewal: Renewal) -> None:
        if renewal.renewed:
            self.notify(self.t("Your basket had timed out: we started it again with the same "
                               "items."), timeout=8)
        if renewal.dropped:
            self.notify(self.t("No longer available here: {names}.",
                               names=", ".join(renewal.dropped)),
                        severity="warning", timeout=10)

    @work(group="abandon", exit_on_error=False)
    async def abandon_basket(self) -> None:
        await self.basket.abandon()

    def basket_count(self) -> int:
        return self.basket.count()

    def qty_of(self, sku: str) -> int:
        return self.basket.qty_of(sku)

    # -- scanning -----------------------------------------------------------------

    @on(Input.Submitted)
    def maybe_scan(self, event: Input.Submitted) -> None:
        """Scanners type into whatever has focus and press Enter."""
        text = event.value.strip()
        if CODE.match(text):
            event.stop()
            event.input.value = ""
            self.scan(text)

    async def card_on_basket(self, code: str) -> None:
        """The scanned card goes on the shopper's basket (a new one if none yet), so
        the points are earned wherever it is paid. A basket that can no longer
        change keeps going without it: the points were shown all the same."""
        try:
            if self.basket.cart is None:
                self.basket.cart = await self.client.call(Api.create_cart())
            self.basket.cart = await self.client.call(
                Api.basket_loyalty_card(self.basket.cart.id, code))
        except (Unavailable, TooManyAttempts):
            raise
        except CommerceError:
            return

    async def _product_screen(self, scanned: ScanResult, sku: str) -> ProductScreen:
        """The scanned product's screen with its detail and stock, so it is drawn
        once and whole: from the scan's answer, or (a core that leaves them out)
        read side by side; if either read fails, the screen reads them itself and
        says what went wrong, as one opened from the aisles does."""
        from kiosk.screens.product import ProductScreen

        if scanned.detail is not None and scanned.availability is not None:
            detail, availability = scanned.detail, scanned.availability
        else:
            try:
                detail, availability = await asyncio.gather(
                    self.client.call(Api.product(sku)),
                    self.client.call(Api.availability(sku)))
            except CommerceError:
                return ProductScreen(sku)
        kept = self.scanned_product
        if kept is None or kept in self.screen_stack:
            # The first scan, or a scan over the kept screen (Back returns to it):
            # a screen of its own.
            screen = ProductScreen(sku, detail, availability)
            if kept is None:
                self.install_screen(screen, SCANNED_PRODUCT)
                self.scanned_product = screen
            return screen
        await kept.show_product(sku, detail, availability)
        return kept

    @work(exclusive=True, group="scan")
    async def scan(self, text: str) -> None:
        from kiosk.screens.pickup import PickupScreen

        self.last_activity = monotonic()
        try:
            result = await self.client.call(Api.scan(text, with_product=True))
            if result.kind == "product" and result.product:
                self.push_screen(await self._product_screen(result, result.product.sku))
            elif result.kind == "order_pickup":
                self.push_screen(PickupScreen(code=text))
            elif result.kind == "loyalty":
                view = await self.client.call(Api.loyalty_card(text))
                self.notify(self.t("Hello {name}: you have {points} points.", name=view.name,
                                   points=view.balance),
                            timeout=10)
                await self.card_on_basket(text)
            elif result.kind == "receipt":
                from kiosk.screens.returns import ReturnScreen

                self.push_screen(ReturnScreen(text))
            else:
                self.post_message(Problem(self.t(UNKNOWN_CODE)))
        except (Unavailable, TooManyAttempts) as error:
            self.post_message(Problem(self.explain(error)))
        except CommerceError as error:
            if error.code == "card_number_typo":
                self.post_message(Problem(self.t(
                    "That card number has a typo: please check the digits, or scan the card's "
                    "QR code.")))
                return
            locked = error.code == "device_locked"
            self.post_message(Problem(self.explain(error) if locked else self.t(UNKNOWN_CODE)))


def make_kiosk(settings: KioskSettings, transport: httpx.AsyncBaseTransport | None = None
               ) -> KioskApp:
    client = AsyncCommerceClient(settings.core_url, settings.device_token, transport=transport)
    return KioskApp(client, settings)


def run(settings: KioskSettings, web: bool = False, port: int = 8710,
        host: str = "127.0.0.1") -> None:
    """In this terminal, or in a browser (``web``) on ``host:port``: give the
    store network's address (or ``0.0.0.0``) for a touch screen on another machine."""
    if web:
        from kiosk.web import serve

        serve(host, port)
        return
    make_kiosk(settings).run()
