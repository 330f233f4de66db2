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
from pos.screens.stock_desk import StockDeskScreen
from pos.settings import PosSettings
from pos.widgets.basket_table import BasketTable
from tests.api.helpers import set_stock
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


MOKA = "HO-MOK-05"


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


async def _open_sale(app: PosApp, pilot, pin: str = "1111") -> None:  # type: ignore[no-untyped-def]
    """Sign in and open the drawer (its float as offered), as the morning's first
    cashier does: the sale screen is in front."""
    await pilot.press(*pin, "enter")
    await settle(app, pilot)
    if isinstance(app.screen, OpenTillScreen):
        await pilot.press("enter")
        await settle(app, pilot)
    assert isinstance(app.screen, SellScreen), type(app.screen).__name__


async def test_the_sale_screen_reads_in_italian(core_app, seeded_sqlite: Seeded  # type: ignore[no-untyped-def]
                                                ) -> None:
    app = _till(core_app, seeded_sqlite, "it")
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_sale(app, pilot)
        table = app.screen.query_one(BasketTable)
        assert [str(column.label) for column in table.columns.values()] == [
            "Articolo", "Codice", "Qtà", "Prezzo", "Sconto", "Totale"]
        assert app.screen.query_one("#scan", Input).placeholder.startswith("Scansiona")
        assert _text(app, "#total") == f"Totale {app.money(0)}"
        keys = app.screen.active_bindings
        assert keys["f2"].binding.description == "Contanti"
        assert keys["f4"].binding.description == "Sospendi"
        assert keys["f2"].binding.tooltip.startswith("Incassa contanti")

        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        assert table.row_count == 1
        assert _text(app, "#total").startswith("Totale ")
        await pilot.press(*"zzqqxx", "enter")
        await settle(app, pilot)
        assert _text(app, "#status") == "Nessun risultato per 'zzqqxx'."
        await pilot.press("f10")  # a sale on the till: asked before signing out
        await settle(app, pilot)
        assert _text(app, "#confirm-question").startswith("Uscire? La vendita in cassa")


async def test_the_stock_desk_reads_in_spanish(core_app, seeded_sqlite: Seeded  # type: ignore[no-untyped-def]
                                               ) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 20)
    app = _till(core_app, seeded_sqlite, "es")
    async with app.run_test(size=(130, 36)) as pilot:
        await _open_sale(app, pilot)
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        assert isinstance(app.screen, StockDeskScreen)
        assert str(app.screen.query_one(".title", Label).render()) == "Mostrador de stock"
        assert _text(app, "#item") == "Ningún artículo todavía: escanea uno para ver aquí su stock."
        assert app.screen.active_bindings["f2"].binding.description == "Recuento"
        await pilot.press("f2")  # no item yet
        await settle(app, pilot)
        assert _text(app, "#status") == "Primero escanea un artículo."
        await pilot.press(*MOKA, "enter")
        await settle(app, pilot)
        assert _text(app, "#level") == (
            "En existencia 20 · Reservadas 0 · Disponibles 20")
        assert _text(app, "#status").startswith("F2 recuento · F3 mercancía recibida")


async def test_english_stays_as_it_was(core_app, seeded_sqlite: Seeded  # type: ignore[no-untyped-def]
                                       ) -> None:
    app = _till(core_app, seeded_sqlite, "en")
    async with app.run_test(size=(120, 36)) as pilot:
        await _open_sale(app, pilot)
        table = app.screen.query_one(BasketTable)
        assert [str(column.label) for column in table.columns.values()] == [
            "Item", "SKU", "Qty", "Price", "Discount", "Total"]
        assert app.screen.active_bindings["f2"].binding.description == "Cash"
