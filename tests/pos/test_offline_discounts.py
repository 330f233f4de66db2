"""Discounts on a sale made offline: within the cashier's limit at once; over it, a
supervisor's PIN checked on the till against their sign-in sealed under it (kept
when they typed it here online), and the core checks that approval on replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.carts.service import DISCOUNT_LIMIT_PERCENT as CORE_LIMIT
from pos.app import PosApp
from pos.dialogs.discount import DiscountDialog
from pos.dialogs.receipt_choice import ReceiptChoiceDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.offline import approvals
from pos.offline.approvals import Approvers
from pos.offline.sale import DISCOUNT_LIMIT_PERCENT
from pos.offline.store import LocalStore
from pos.screens.sell import SellScreen
from shared.client import Api
from shared.schemas.auth import StaffOut, StaffSession
from tests.api.helpers import set_stock
from tests.pos import test_offline_till as base
from tests.pos.pilot import settle, status, text_of, wait_until
from tests.pos.test_offline_till import BOOK, MOKA, Link, _ready, _ring

link, offline_till = base.link, base.offline_till  # the fixtures, shared


async def _discount(app: PosApp, pilot: Any, key: str, typed: str) -> None:
    await pilot.press(key)
    await settle(app, pilot)
    assert isinstance(app.screen, DiscountDialog)
    await pilot.press(*typed, "enter")
    await settle(app, pilot)


async def _pin(app: PosApp, pilot: Any, pin: str) -> None:
    assert isinstance(app.screen, SupervisorDialog)
    await pilot.press(*pin, "enter")
    await settle(app, pilot)


def _lines(app: PosApp) -> dict[str, int]:
    sell = app.screen
    assert isinstance(sell, SellScreen) and sell.cart is not None
    return {line.sku: line.discount_percent for line in sell.cart.lines}


async def test_a_supervisor_who_approved_online_approves_offline_and_the_core_agrees(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    for sku in (MOKA, BOOK):
        set_stock(seeded_sqlite.url, "MI01", sku, 10)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        offline = app.offline
        assert offline is not None and offline.approvers.count() == 0
        await _ring(app, pilot, MOKA)
        await _discount(app, pilot, "ctrl+t", "50%")  # online: the supervisor approves
        await _pin(app, pilot, "2222")
        assert "Discount given" in status(app) and _lines(app) == {MOKA: 50}
        assert offline.approvers.count() == 1  # sealed under their PIN, PIN not kept

        link.down = True
        await _ring(app, pilot, BOOK)  # the sale carries on offline
        await _discount(app, pilot, "ctrl+t", "10%")  # within the cashier's limit
        assert not isinstance(app.screen, SupervisorDialog)
        assert "Discount given" in status(app) and _lines(app) == {MOKA: 50, BOOK: 10}
        await pilot.press("f2", "enter")  # cash: the 50 % needs its approval on this sale
        await settle(app, pilot)
        await _pin(app, pilot, "9999")
        assert "only a supervisor who typed their PIN" in text_of(app, "#supervisor-error")
        await _pin(app, pilot, "2222")
        assert isinstance(app.screen, ReceiptChoiceDialog)
        [entry] = offline.store.pending()
        assert entry.approver_token
        assert {(x.sku, x.discount_percent) for x in entry.body.lines} == {(MOKA, 50),
                                                                          (BOOK, 10)}
        link.down = False
        await wait_until(app, pilot, lambda: offline.pending == 0 and not offline.active,
                         what="the replay", seconds=30)
        assert offline.review == 0, offline.store.entries("refused")
        [sent] = offline.store.entries("sent")
        order = await app.client.call(Api.order(sent.order_number or ""))
    by_sku = {line.sku: line for line in order.lines}
    for sku, percent in ((MOKA, 50), (BOOK, 10)):
        line = by_sku[sku]
        assert line.discount_cents == line.unit_price_cents * percent // 100


async def test_no_sealed_approval_no_discount_over_the_limit(  # type: ignore[no-untyped-def]
    offline_till, link: Link, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 10)
    app = offline_till()
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        link.down = True
        await _ring(app, pilot, MOKA)
        await _discount(app, pilot, "ctrl+b", "30%")
        await _pin(app, pilot, "2222")  # right PIN, but never typed here online
        assert "only a supervisor who typed their PIN" in text_of(app, "#supervisor-error")
        await pilot.press("escape")
        await settle(app, pilot)
        assert "needs a supervisor" in status(app) and _lines(app) == {MOKA: 0}
        await _discount(app, pilot, "ctrl+b", "20%")
        assert "Discount given" in status(app) and _lines(app) == {MOKA: 20}


def test_the_till_knows_the_cores_limit() -> None:
    assert DISCOUNT_LIMIT_PERCENT == CORE_LIMIT


def test_a_sealed_sign_in_opens_with_its_pin_only_and_locks_after_wrong_pins(
    tmp_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    kept = Approvers(LocalStore(tmp_path))
    session = StaffSession(token="header.payload.sig",
                           expires_at=datetime.now(UTC) + timedelta(hours=8),
                           staff=StaffOut(id=2, name="Sara", role="supervisor"))
    cashier = session.model_copy(update={"staff": StaffOut(id=1, name="Ugo",
                                                           role="cashier")})
    assert kept.remember("2468", session) and not kept.remember("1357", cashier)
    assert not any(b"header.payload" in f.read_bytes() for f in tmp_path.iterdir())
    approval = kept.check("2468")
    assert approval is not None and approval.token == "header.payload.sig"
    for _ in range(approvals.WRONG_PINS):
        assert kept.check("0000") is None
    assert kept.locked() and kept.check("2468") is None
