"""The stock desk's low-stock list (F7): the store's items at or below the core's
threshold, lowest first; a cashier's till asks a supervisor's PIN for it."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from core.db import Database
from core.stock.models import StockLevel
from pos.app import PosApp
from tests.api.helpers import set_stock
from tests.pos.pilot import settle, sign_in, text_of
from tests.support import Seeded

MOKA = "HO-MOK-05"
SIZE = (130, 40)


def _only_these_low(url: str, levels: dict[str, int]) -> None:
    """Every MI01 shelf well stocked, except ``levels``."""
    db = Database(url)
    try:
        with db.write() as session:
            session.execute(update(StockLevel).where(StockLevel.location_code == "MI01")
                            .values(on_hand=StockLevel.reserved + 50))
    finally:
        db.dispose()
    for sku, units in levels.items():
        set_stock(url, "MI01", sku, units)


async def test_f7_lists_the_stores_low_items_lowest_first(
    till_factory: Callable[..., PosApp], seeded_sqlite: Seeded
) -> None:
    _only_these_low(seeded_sqlite.url, {MOKA: 2})
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(app, pilot, "2222")
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        shown = text_of(app, "#low")
        assert "Low stock (3 or fewer available)" in shown
        assert f"2  {MOKA}" in shown and shown.count("\n") == 1


async def test_a_cashier_needs_a_supervisor_for_the_list(
    till_factory: Callable[..., PosApp], seeded_sqlite: Seeded
) -> None:
    _only_these_low(seeded_sqlite.url, {})
    app = till_factory()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(app, pilot, "1111")
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SupervisorDialog"
        await pilot.press(*"2222", "enter")
        await settle(app, pilot)
        assert "no item here has 3 or fewer available" in text_of(app, "#low")
