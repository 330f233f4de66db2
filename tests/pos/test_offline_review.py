"""A replay the core refuses lands in front of a supervisor: kept on the till as
"needs review", counted in the header, listed with the core's reason on the
review screen (Ctrl+R), and resubmitted on the supervisor's sign-in or written
off; never dropped, never retried on its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from pos.app import PosApp
from pos.dialogs.confirm import ConfirmDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.offline_review import OfflineReviewScreen
from pos.screens.sell import SellScreen
from shared.client import Api
from tests.api.helpers import set_stock
from tests.pos import test_offline_till as base
from tests.pos.pilot import settle, status, text_of, wait_until
from tests.pos.test_offline_till import BOOK, MOKA, Link, _ready, _ring, banner
from tests.support import SECRET

link, offline_till = base.link, base.offline_till  # the fixtures, shared


def _lapsed(token: str) -> str:
    """The same cashier's sign-in, but one that had expired before the sale (the
    shift ended while the till was offline)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    earlier = datetime.now(UTC) - timedelta(hours=10)
    claims |= {"iat": int(earlier.timestamp()),
               "exp": int((earlier + timedelta(hours=1)).timestamp())}
    return jwt.encode(claims, SECRET.encode(), algorithm="HS256")


async def _rounds(app: PosApp, pilot: Any, count: int) -> None:
    """Wait for ``count`` more rounds of the till's background link worker."""
    assert app.offline is not None
    seen: list[None] = []
    stop = app.offline.listen(lambda: seen.append(None))
    try:
        await wait_until(app, pilot, lambda: len(seen) >= count, what=f"{count} rounds",
                         seconds=30)
    finally:
        stop()


async def _sell_offline(app: PosApp, pilot: Any, link: Link, sku: str) -> str:
    """One cash sale made offline whose cashier's sign-in will not check out."""
    link.down = True
    await _ring(app, pilot, sku)
    await pilot.press("f2", "enter")
    await settle(app, pilot)
    await pilot.press("escape")  # no receipt
    await settle(app, pilot)
    assert app.offline is not None
    entry = app.offline.store.pending()[-1]
    with app.offline.store._transaction() as db:
        db.execute("UPDATE outbox SET staff_token = ? WHERE id = ?",
                   (_lapsed(entry.staff_token), entry.id))
    return entry.offline_number


async def test_refused_replays_wait_for_a_supervisor_who_resubmits_or_writes_off(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    for sku in (MOKA, BOOK):
        set_stock(seeded_sqlite.url, "MI01", sku, 10)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        offline = app.offline
        assert offline is not None
        number = await _sell_offline(app, pilot, link, MOKA)
        other = await _sell_offline(app, pilot, link, BOOK)
        link.down = False
        await wait_until(app, pilot, lambda: offline.review == 2 and not offline.pending,
                         what="the refused replays set aside for review", seconds=30)
        await settle(app, pilot)
        assert "2 refused sales need a supervisor (Ctrl+R)" in banner(app)
        # They are not tried again on their own: three more rounds of the till's link.
        await _rounds(app, pilot, 3)
        assert offline.review == 2 and offline.store.entries("sent") == []

        # The cashier opens the list: a supervisor's PIN first; no PIN, no list.
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen)
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        await pilot.press(*"2222", "enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, OfflineReviewScreen)
        assert [e.offline_number for e in screen.rows] == [number, other]
        assert "not valid when the sale was made" in str(
            screen.query_one("#review-reason").render())

        await pilot.press("r")  # the first: resubmitted on the supervisor's sign-in
        await wait_until(app, pilot, lambda: offline.review == 1 and not offline.pending,
                         what="the resubmitted sale replayed", seconds=30)
        [sent] = offline.store.entries("sent")
        assert sent.offline_number == number and sent.order_number
        order = await app.client.call(Api.order(sent.order_number))

        await settle(app, pilot)
        await pilot.press("w")  # the second: written off
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        await wait_until(app, pilot, lambda: offline.review == 0, what="the write-off",
                         seconds=30)
        assert f"{other} written off." in status(app)
        [handled] = offline.store.entries("handled")
        assert handled.offline_number == other and handled.handled_by
        assert "not valid when the sale was made" in (handled.note or "")
        assert text_of(app, "#review-reason") == "Nothing waits for review."
        await _rounds(app, pilot, 3)
        assert [e.offline_number for e in offline.store.entries("sent")] == [number]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, SellScreen) and banner(app) == ""
    assert order.offline_number == number and order.status == "completed"
    assert [line.sku for line in order.lines] == [MOKA]
