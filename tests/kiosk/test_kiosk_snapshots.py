"""How the kiosk looks: attract, product, basket QR and pickup, in two languages."""

from __future__ import annotations

import pytest

from kiosk.screens.handoff import HandoffScreen
from kiosk.screens.pickup import PickupScreen
from kiosk.screens.product import ProductScreen
from tests.pos.pilot import settle

SIZE = (110, 42)


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot.app, pilot)


@pytest.mark.parametrize("language", ["it", "en"])
def test_attract(snap_compare, kiosk_factory, language: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(kiosk_factory(language=language), terminal_size=SIZE)


@pytest.mark.parametrize("language", ["it", "en"])
def test_product(snap_compare, kiosk_factory, language: str) -> None:  # type: ignore[no-untyped-def]
    async def open_product(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.push_screen(ProductScreen("HO-MOK-05"))
        await _settle(pilot)

    assert snap_compare(kiosk_factory(language=language), terminal_size=SIZE,
                        run_before=open_product)


@pytest.mark.parametrize("language", ["it", "en"])
def test_basket_qr(snap_compare, kiosk_factory, language: str) -> None:  # type: ignore[no-untyped-def]
    async def show_code(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.push_screen(HandoffScreen("K7M2QX", "OT1:C:K7M2QX"))
        await _settle(pilot)

    assert snap_compare(kiosk_factory(language=language), terminal_size=(110, 48),
                        run_before=show_code)


@pytest.mark.parametrize("language", ["it", "en"])
def test_pickup(snap_compare, kiosk_factory, language: str) -> None:  # type: ignore[no-untyped-def]
    async def show_pickup(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.push_screen(PickupScreen())
        await _settle(pilot)

    assert snap_compare(kiosk_factory(language=language), terminal_size=SIZE,
                        run_before=show_pickup)
