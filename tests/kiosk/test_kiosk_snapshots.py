"""How the kiosk looks: its main screens at 80x24 (the smallest screen it must
work on) and 120x40, in each of its languages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from kiosk.screens.browse import BrowseScreen
from kiosk.screens.handoff import HandoffScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.product import ProductScreen
from tests.pos.pilot import settle, tap, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["it", "en", "es"]


async def _attract(pilot: Pilot[None]) -> None:
    await settle(pilot.app, pilot)


async def _browse(pilot: Pilot[None]) -> None:
    app = pilot.app
    await tap(app, pilot, "#start")
    await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                     and bool(app.screen.query(".tile")), what="the departments")
    await settle(app, pilot)
    await tap(app, pilot, "#cat-clothing")
    # The tap, its search and the list it fills are several messages apart: on a
    # busy machine "idle" can come between them, so wait for the list itself.
    await wait_until(app, pilot, lambda: isinstance(app.screen, BrowseScreen)
                     and app.screen.department is not None and bool(app.screen.items),
                     what="the clothing department's styles")
    await settle(app, pilot)
    app.screen.query_one("#search").focus()
    await wait_until(app, pilot, lambda: app.focused is not None and app.focused.id == "search",
                     what="the search field to have the focus")
    await settle(app, pilot)


async def _product(pilot: Pilot[None]) -> None:
    pilot.app.push_screen(ProductScreen("PT-TEE-01-NAV-L"))
    await wait_until(pilot.app, pilot, lambda: isinstance(pilot.app.screen, ProductScreen)
                     and pilot.app.screen.availability is not None, what="the tee")
    await settle(pilot.app, pilot)


async def _basket_qr(pilot: Pilot[None]) -> None:
    pilot.app.push_screen(HandoffScreen("K7M2QX", "OT1:C:K7M2QX"))
    await settle(pilot.app, pilot)


async def _pickup(pilot: Pilot[None]) -> None:
    app = pilot.app
    app.push_screen(PickupScreen())
    await wait_until(app, pilot, lambda: isinstance(app.screen, PickupScreen)
                     and app.focused is not None and app.focused.id == "number",
                     what="the order number field to have the focus")
    await settle(app, pilot)


SCREENS: dict[str, Callable[[Pilot[None]], Awaitable[None]]] = {
    "attract": _attract, "browse": _browse, "product": _product, "basket_qr": _basket_qr,
    "pickup": _pickup,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, kiosk_factory, screen: str, language: str,  # type: ignore[no-untyped-def]
                size: tuple[int, int]) -> None:
    assert snap_compare(kiosk_factory(language=language), terminal_size=size,
                        run_before=SCREENS[screen])
