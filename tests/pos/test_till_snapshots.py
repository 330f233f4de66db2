"""How the till looks: a sale in progress and the pickup queue."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from pos.screens.pickups import PickupsScreen
from shared.client import Api
from shared.schemas.orders import Contact, LineIn, OrderCreate
from shared.timefmt import age
from tests.pos.pilot import settle


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot.app, pilot)
    # A blinking cursor would make the picture depend on the moment it is taken.
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_sale(snap_compare, till_factory, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def ring_up(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*"1111", "enter")
        await _settle(pilot)
        for sku in ("HO-MOK-05", "HO-MOK-05", "BK-NOV-02", "HO-MUG-01-BLU"):
            await pilot.press(*sku, "enter")
            await _settle(pilot)

    assert snap_compare(till_factory(), terminal_size=size, run_before=ring_up)


def test_pickup_queue(snap_compare, till_factory, core_client) -> None:  # type: ignore[no-untyped-def]
    async def queue(pilot) -> None:  # type: ignore[no-untyped-def]
        web = core_client("WEB", "web")
        for n, sku in enumerate(("HO-MOK-05", "BK-NOV-02")):
            await web.call(Api.place_order(OrderCreate(
                lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
                contact=Contact(name=f"Cliente {n}", email=f"c{n}@example.it")), f"snap-{n}-key"))
        await web.aclose()
        await pilot.press(*"1111", "enter")
        await _settle(pilot)
        pilot.app.push_screen(PickupsScreen())
        await _settle(pilot)

    assert snap_compare(till_factory(), terminal_size=(110, 30), run_before=queue)


def test_customer_panel(snap_compare, till_factory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The demo history is dated relative to seeding; show it by age so the
    # picture does not change with the calendar.
    monkeypatch.setattr("pos.screens.customer.history_date",
                        lambda moment: f"{age(moment).split()[0]} days ago")

    async def look_up(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*"1111", "enter")
        await _settle(pilot)
        await pilot.press("f9")
        await _settle(pilot)
        await pilot.press(*"rossi", "enter")
        await _settle(pilot)

    assert snap_compare(till_factory(), terminal_size=(110, 30), run_before=look_up)


def test_z_report(snap_compare, till_factory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("pos.screens.till.TillScreen._time", lambda self, moment: "23/11 09:00")

    async def close(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*"1111", "enter")
        await _settle(pilot)
        for sku in ("HO-MOK-05", "BK-NOV-02"):
            await pilot.press(*sku, "enter")
            await _settle(pilot)
        await pilot.press("f2", *"100", "enter")
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        await pilot.press("f12")
        await _settle(pilot)
        await pilot.press("f12", *"150", "enter")  # a little over: within the limit
        await _settle(pilot)

    assert snap_compare(till_factory(), terminal_size=(110, 36), run_before=close)
