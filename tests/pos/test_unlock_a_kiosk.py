"""A kiosk locked by wrong codes tells its shopper to ask staff; a supervisor
unlocks it from a till of the store (Ctrl+U, pick the device, their PIN), and the
core records who did (issue 12, item 11)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from core.auth.models import Device
from core.db import Database
from core.timeutil import utcnow
from pos.dialogs.unlock_device import UnlockDeviceDialog
from pos.screens.sell import SellScreen
from shared.client import Api
from tests.pos.pilot import settle, sign_in, text_of, wait_until


def lock_kiosk(url: str, store: str) -> int:
    """The state five wrong codes leave a kiosk in: codes locked for 15 minutes."""
    db = Database(url)
    with db.write() as session:
        device_id = session.scalar(select(Device.id).where(Device.name == f"{store} kiosk"))
        session.execute(update(Device).where(Device.id == device_id).values(
            failed_attempts=5, locked_until=utcnow() + timedelta(minutes=15)))
    db.dispose()
    assert device_id is not None
    return device_id


def kiosk_locked(url: str, device_id: int) -> bool:
    db = Database(url)
    with db.read() as session:
        device = session.get(Device, device_id)
        locked = device is not None and device.locked_until is not None
    db.dispose()
    return locked


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    listed = app.screen.query_one("#unlock-devices")
    return [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]


async def test_a_supervisor_unlocks_the_stores_kiosk_from_the_till(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    kiosk = lock_kiosk(seeded_sqlite.url, "MI01")
    app = till_factory()
    async with app.run_test(size=(120, 36)) as pilot:
        await sign_in(app, pilot)
        assert isinstance(app.screen, SellScreen)
        await pilot.press("ctrl+u")
        await wait_until(app, pilot, lambda: isinstance(app.screen, UnlockDeviceDialog)
                         and any("LOCKED" in row for row in rows(app)), what="the devices")
        await settle(app, pilot)
        [locked] = [row for row in rows(app) if "LOCKED" in row]
        assert locked.startswith("MI01 kiosk (kiosk)") and "codes" in locked
        assert app.screen.chosen is not None and app.screen.chosen.id == kiosk
        assert not any("RM01" in row for row in rows(app))

        await pilot.press(*"1111", "enter")  # the cashier's own PIN is not enough
        await wait_until(app, pilot, lambda: "supervisor" in text_of(app, "#unlock-said"),
                         what="the refusal")
        assert kiosk_locked(seeded_sqlite.url, kiosk)

        await pilot.press(*"2222", "enter")
        await wait_until(app, pilot, lambda: "Unlocked" in text_of(app, "#unlock-said"),
                         what="the unlock")
        assert text_of(app, "#unlock-said") == "Unlocked MI01 kiosk (codes) by Giulia Verdi."
        await wait_until(app, pilot, lambda: not any("LOCKED" in row for row in rows(app)),
                         what="the list without the lock")
        assert not kiosk_locked(seeded_sqlite.url, kiosk)
        events = await app.client.call(Api.events(types="device.unlocked"))
        assert [(e.payload["device"], e.payload["staff"], e.payload["locks"])
                for e in events] == [("MI01 kiosk", "Giulia Verdi", ["codes"])]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)


async def test_a_till_cannot_unlock_another_stores_kiosk(core_app, seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    other = lock_kiosk(seeded_sqlite.url, "RM01")
    till = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=core_app),
                                 base_url="http://core") as http:
        answer = await http.post("/v1/auth/unlock", headers=till,
                                 json={"pin": "2222", "device_id": other})
    assert answer.status_code == 404 and answer.json()["code"] == "device_not_found"
    assert kiosk_locked(seeded_sqlite.url, other)
