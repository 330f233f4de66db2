"""Another channel sells out an item while the till is offline: the till's sale of
it is replayed and accepted (the goods have left), and the conflict the core
noted is listed for a supervisor on the till's review screen (Ctrl+R)."""

from __future__ import annotations

import uuid

from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.offline_review import OfflineReviewScreen
from shared.client import Api
from tests.api.helpers import level, set_stock, web_pickup
from tests.pos import test_offline_till as base
from tests.pos.pilot import settle, status, wait_until
from tests.pos.test_offline_till import MOKA, Link, _ready, _ring, banner

link, offline_till = base.link, base.offline_till  # the fixtures, shared


async def test_a_sale_sold_out_elsewhere_meanwhile_is_accepted_and_listed(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite, core_client
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 1)
    for other in ("RM01", "WH01"):
        set_stock(seeded_sqlite.url, other, MOKA, 0)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        offline = app.offline
        assert offline is not None
        link.down = True
        await _ring(app, pilot, MOKA)  # the last moka, sold offline
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        async with core_client("WEB", "web") as web:  # meanwhile the web shop sells it too
            await web.call(Api.place_order(web_pickup(MOKA, 1), uuid.uuid4().hex))
        assert level(seeded_sqlite.url, "MI01", MOKA) == (1, 1)

        link.down = False
        await wait_until(app, pilot, lambda: offline.pending == 0 and offline.conflicts == 1,
                         what="the replay accepted and its conflict noted", seconds=30)
        assert offline.review == 0
        await settle(app, pilot)
        assert "1 replayed sale with a stock conflict (Ctrl+R)" in banner(app)
        [sent] = offline.store.entries("sent")

        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press(*"2222", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, OfflineReviewScreen)
        assert [(e.offline_number, e.order_number, e.conflict) for e in screen.conflicts] == [
            (sent.offline_number, sent.order_number, f"1 × {MOKA} sold elsewhere meanwhile")]
        await pilot.press("s")
        await settle(app, pilot)
        assert "conflict seen" in status(app)
        await wait_until(app, pilot, lambda: offline.conflicts == 0, what="seen", seconds=30)
        await pilot.press("escape")
        await settle(app, pilot)
        assert banner(app) == ""
    assert level(seeded_sqlite.url, "MI01", MOKA) == (1, 1)  # the web's unit still waits
