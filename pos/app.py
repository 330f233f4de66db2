"""The till application: thin. It is handed its client and its printer, keeps
the signed-in cashier, and the screens do the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx
from escpos.escpos import Escpos
from textual import on
from textual.app import App

from pos.messages import Problem
from pos.offline import OfflineTill, default_data_dir
from pos.settings import PosSettings
from shared.client import AsyncCommerceClient, Call
from shared.errors import CommerceError, Unavailable
from shared.fiscal import FiscalPrinter, fiscal_printer_from_config
from shared.i18n import translator
from shared.money import format_money
from shared.printers import printer_from_config
from shared.schemas.auth import StaffOut
from shared.schemas.catalog import StoreOut
from shared.schemas.orders import OrderOut

T = TypeVar("T")

APPROVAL_CODES = frozenset({"role_required", "variance_needs_supervisor"})
"""Refusals a supervisor's PIN on this till can turn into a yes."""


class PosApp(App[None]):
    CSS_PATH = "pos.tcss"
    TITLE = "Omnitill POS"

    def __init__(self, client: AsyncCommerceClient, settings: PosSettings,
                 printer_factory: Callable[[], Escpos | None] | None = None,
                 offline: OfflineTill | None = None,
                 fiscal_printer: FiscalPrinter | None = None) -> None:
        super().__init__()
        self.client = client
        self.settings = settings
        self.t = translator("till", settings.till_language)
        """The cashier's words in ``OMNITILL_TILL_LANGUAGE``: ``t("Till open")``."""
        self.offline = offline
        """The local store for selling while the core is out of reach (None: no
        offline mode)."""
        self.printer_factory = printer_factory or (lambda: printer_from_config(settings.printer))
        self.fiscal_printer = fiscal_printer or fiscal_printer_from_config(
            settings.fiscal_printer)
        """The RT that prints each sale's documento commerciale (None: no RT)."""
        self.staff: StaffOut | None = None
        self.store: StoreOut | None = None
        self.last_order: OrderOut | None = None
        if settings.keys:
            self.set_keymap(settings.keys)

    def on_mount(self) -> None:
        from pos.screens.login import LoginScreen

        if self.offline is not None:
            self.offline.start(self)
        self.push_screen(LoginScreen())
        if self.fiscal_printer is not None:
            from pos.fiscal import check_fiscal_printer

            self.run_worker(check_fiscal_printer(self), group="fiscal")

    @property
    def here(self) -> StoreOut:
        """The till's store, known from the first sign-in on: every screen behind
        the login reads it."""
        if self.store is None:
            raise RuntimeError("The till's store is read at sign-in; nobody has signed in.")
        return self.store

    def money(self, cents: int) -> str:
        return format_money(cents, locale=self.settings.locale)

    def explain(self, error: CommerceError) -> str:
        if isinstance(error, Unavailable):
            if self.offline is not None:
                self.offline.went_offline()  # the header says so; sales go on locally
                return self.t("Offline: this waits for the store system. The till keeps "
                              "selling for cash.")
            return self.t("The store system is not answering; try again in a moment.")
        return str(error)

    async def call_approved(self, call: Call[T]) -> T:
        """Make the call; if only a supervisor may do it, ask for their PIN here and
        retry countersigned. Must run in a worker (it waits for the dialog).
        Cancelling the dialog raises the original refusal, which says why."""
        try:
            return await self.client.call(call)
        except CommerceError as error:
            token = await self.approval_for(error)
            if token is None:
                raise
        return await self.client.call(call.approved_by(token))

    async def approval_for(self, error: CommerceError) -> str | None:
        """A supervisor's token for a refusal only they can lift (asking for their
        PIN on this till), or None: not theirs to lift, or they said no."""
        from pos.dialogs.supervisor import SupervisorDialog

        if error.code not in APPROVAL_CODES:
            return None
        return await self.push_screen_wait(SupervisorDialog(str(error)))

    def action_keys(self) -> None:
        """F1: the keys of the screen in front (closes again with F1 or Esc)."""
        from pos.dialogs.keys import KeysDialog

        if not isinstance(self.screen, KeysDialog):
            self.push_screen(KeysDialog(self.screen))

    async def action_quit(self) -> None:
        """Ctrl+Q asks first when a sale is on the till; an unpaid basket is parked
        (any till recalls it) and a sale whose payment started comes back on this
        till at the next sign-in."""
        from pos.dialogs.confirm import ConfirmDialog
        from pos.screens.sell import SellScreen

        sell = next((s for s in self.screen_stack if isinstance(s, SellScreen)), None)
        if sell is None or not sell.busy():
            self.exit()
            return

        async def answered(yes: bool | None) -> None:
            if yes:
                await sell.put_aside()
                self.exit()

        self.push_screen(ConfirmDialog(self.t("Quit the till? The sale on it is kept: parked, "
                                              "or back on this till at the next sign-in."),
                                       self.t("Quit")), answered)

    @on(Problem)
    def show_problem(self, message: Problem) -> None:
        self.notify(message.text, severity="error", timeout=10)

    def sign_out(self) -> None:
        from pos.screens.login import LoginScreen

        self.staff, self.client.staff_token = None, None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LoginScreen())


def make_pos(settings: PosSettings, transport: httpx.AsyncBaseTransport | None = None,
             printer_factory: Callable[[], Escpos | None] | None = None,
             fiscal_printer: FiscalPrinter | None = None) -> PosApp:
    """The till; with ``settings.data_dir`` it keeps a local store and sells offline."""
    client = AsyncCommerceClient(settings.core_url, settings.device_token, transport=transport)
    offline = OfflineTill.open(settings) if settings.data_dir else None
    return PosApp(client, settings, printer_factory, offline, fiscal_printer)


def run(settings: PosSettings) -> None:
    """``omnitill pos``: a real till always sells offline (``var/pos-<device>/`` unless
    ``OMNITILL_DATA_DIR`` says where)."""
    if settings.data_dir is None:
        settings = settings.model_copy(update={"data_dir": default_data_dir(settings)})
    make_pos(settings).run()
