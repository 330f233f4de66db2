"""The till speaks the cashier's language (``OMNITILL_TILL_LANGUAGE``, issue 16
item 3): the sign-in, the supervisor unlock and the opening of the till read in
Italian or in English, from the same code."""

from __future__ import annotations

import httpx
import pytest
from textual.widgets import Input, Label

from pos.app import PosApp, make_pos
from pos.screens.open_till import OpenTillScreen
from pos.screens.sell import SellScreen
from pos.settings import PosSettings
from tests.pos.pilot import settle
from tests.pos.pilot import text_of as _text
from tests.support import Seeded

SAID = {
    "it": {"title": "Omnitill — accesso", "prompt": "Digita il tuo PIN e premi Invio",
           "unlock": "Omnitill — sblocco del supervisore", "closed": "la cassa è chiusa",
           "float": "es. 150,00", "opened": "Cassa aperta con un fondo di"},
    "en": {"title": "Omnitill — sign in", "prompt": "Type your PIN and press Enter",
           "unlock": "Omnitill — supervisor unlock", "closed": "the till is closed",
           "float": "e.g. 150,00", "opened": "Till open with a float of"},
}


def _till(core_app, seeded: Seeded, language: str) -> PosApp:  # type: ignore[no-untyped-def]
    settings = PosSettings(core_url="http://core", device_token=seeded.tokens["MI01"]["pos"],
                           till_language=language)
    return make_pos(settings, transport=httpx.ASGITransport(app=core_app),
                    printer_factory=lambda: None)


@pytest.mark.parametrize("language", ["it", "en"])
async def test_the_till_reads_in_its_language(core_app, seeded_sqlite: Seeded,  # type: ignore[no-untyped-def]
                                              language: str) -> None:
    said = SAID[language]
    app = _till(core_app, seeded_sqlite, language)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert _text(app, "#login-title") == said["title"]
        assert _text(app, "#login-prompt") == said["prompt"]
        await pilot.press("f5")
        await settle(app, pilot)
        assert _text(app, "#login-title") == said["unlock"]
        await pilot.press("escape")
        await settle(app, pilot)

        await pilot.press(*"1111", "enter")  # the drawer is closed: open it first
        await settle(app, pilot)
        assert isinstance(app.screen, OpenTillScreen)
        title = str(app.screen.query_one(".title", Label).render())
        assert title.endswith(said["closed"])
        assert app.screen.query_one("#float", Input).placeholder == said["float"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        assert any(n.message.startswith(said["opened"]) for n in app._notifications)


def test_an_unknown_till_language_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="till_language"):
        PosSettings(till_language="fr")  # type: ignore[arg-type]
