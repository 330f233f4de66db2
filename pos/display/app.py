"""The customer display's application: thin. It is handed its client, formats
money in the till's locale, and its one screen does the rest."""

from __future__ import annotations

import httpx
from textual.app import App

from pos.display.screens.customer import CustomerScreen
from pos.display.texts import words
from pos.settings import PosSettings
from shared.client import AsyncCommerceClient
from shared.money import format_money

__all__ = ["DisplayApp", "make_display", "run"]


class DisplayApp(App[None]):
    CSS_PATH = "display.tcss"
    TITLE = "Omnitill display"
    ENABLE_COMMAND_PALETTE = False  # a keyboard left on the counter opens nothing

    def __init__(self, client: AsyncCommerceClient, settings: PosSettings) -> None:
        super().__init__()
        self.client = client
        self.settings = settings
        self.t = words(settings.display_language)

    def on_mount(self) -> None:
        self.push_screen(CustomerScreen())

    async def on_unmount(self) -> None:
        # The event stream keeps a connection open; give it back with the app.
        await self.client.aclose()

    def money(self, cents: int) -> str:
        return format_money(cents, locale=self.settings.locale)


def make_display(settings: PosSettings,
                 transport: httpx.AsyncBaseTransport | None = None) -> DisplayApp:
    """The display of the till whose device token ``settings`` carries."""
    client = AsyncCommerceClient(settings.core_url, settings.device_token, transport=transport)
    return DisplayApp(client, settings)


def run(settings: PosSettings) -> None:
    make_display(settings).run()
