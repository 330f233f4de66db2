"""The core away and back (issue 12, item 13): one calm state instead of a
message per keystroke or a product stuck on "…" with Add enabled, and the
kiosk recovers by itself, without a restart."""

from __future__ import annotations

import httpx
from textual.widgets import Button, Label, OptionList

from kiosk.app import KioskApp, make_kiosk
from kiosk.screens.browse import BrowseScreen
from kiosk.screens.product import ProductScreen
from kiosk.settings import KioskSettings
from tests.pos.pilot import settle, tap, wait_until


class Switch(httpx.AsyncBaseTransport):
    """The network between kiosk and core, with a plug to pull."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self.inner.handle_async_request(request)


def kiosk(core_app, seeded_sqlite) -> tuple[KioskApp, Switch]:  # type: ignore[no-untyped-def]
    switch = Switch(httpx.ASGITransport(app=core_app))
    settings = KioskSettings(core_url="http://core", language="en",
                             device_token=seeded_sqlite.tokens["MI01"]["kiosk"])
    return make_kiosk(settings, transport=switch), switch


def name_on_screen(app) -> str:  # type: ignore[no-untyped-def]
    return "".join(str(x.render()) for x in app.screen.query("#product-name").results(Label))


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    results = app.screen.query_one("#results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def test_browse_says_it_once_and_comes_back_by_itself(core_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    app, switch = kiosk(core_app, seeded_sqlite)
    async with app.run_test(size=(120, 40)) as pilot:
        switch.down = True
        await tap(app, pilot, "#start")
        await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                         and any("not answering" in r for r in rows(app)),
                         what="the calm offline line")
        await pilot.press(*"polo")
        await settle(app, pilot)
        assert rows(app) == [
            app.t("The store system is not answering. Please try again in a moment.")]
        assert not app._notifications  # not one message per keystroke
        switch.down = False
        await wait_until(app, pilot, lambda: bool(app.screen.query(".tile"))
                         and any("Piqué Polo" in r for r in rows(app)),
                         what="departments and results to come back by themselves")


async def test_a_product_opened_meanwhile_waits_and_then_shows(core_app, seeded_sqlite  # type: ignore[no-untyped-def]
                                                               ) -> None:
    app, switch = kiosk(core_app, seeded_sqlite)
    async with app.run_test(size=(120, 40)) as pilot:
        switch.down = True
        app.push_screen(ProductScreen("HO-MOK-05"))
        await wait_until(app, pilot, lambda: isinstance(app.screen, ProductScreen)
                         and "not answering" in name_on_screen(app),
                         what="the calm offline line")
        assert app.screen.query_one("#add", Button).disabled
        assert app.screen.query_one("#order", Button).disabled
        switch.down = False
        await wait_until(app, pilot, lambda: "Moka Pot" in name_on_screen(app),
                         what="the product to come back by itself")
        await wait_until(app, pilot, lambda: not app.screen.query_one("#order", Button).disabled,
                         what="the order button")
