"""The demo's past sales can be returned as far as they were handed over (issue
12, item 8): a till sale and a delivered web order used to show "0/0" at the
kiosk because the demo history never marked their lines collected."""

from __future__ import annotations

from sqlalchemy import select
from textual.widgets import Label

from core.db import Database
from core.orders.models import Order, OrderLine
from core.signing import signed_code
from kiosk.screens.returns import ReturnScreen
from shared.codes import CodeKind
from tests.pos.pilot import settle, wait_until
from tests.support import SECRET

HANDED_OVER = ("completed", "delivered", "collected")


def test_every_past_order_handed_over_has_its_lines_collected(seeded_sqlite) -> None:  # type: ignore[no-untyped-def]
    db = Database(seeded_sqlite.url)
    with db.read() as session:
        rows = session.execute(select(Order.status, OrderLine.qty, OrderLine.qty_collected)
                               .join(OrderLine, OrderLine.order_id == Order.id)).all()
    db.dispose()
    handed = [(status, qty, collected) for status, qty, collected in rows
              if status in HANDED_OVER]
    assert {status for status, _, _ in handed} == set(HANDED_OVER)
    assert all(qty == collected for _, qty, collected in handed), handed[:5]


async def test_a_demo_till_sale_offers_its_units_at_the_kiosk(  # type: ignore[no-untyped-def]
    kiosk_factory, seeded_sqlite
) -> None:
    db = Database(seeded_sqlite.url)
    with db.read() as session:
        number = session.scalar(select(Order.number).where(
            Order.channel == "pos", Order.status == "completed")
            .order_by(Order.created_at.desc()).limit(1))
    db.dispose()
    assert number is not None
    app = kiosk_factory(language="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*signed_code(SECRET.encode(), CodeKind.RECEIPT, number), "enter")
        await wait_until(app, pilot, lambda: isinstance(app.screen, ReturnScreen)
                         and bool(app.screen.query(".line-name")), what="the lines")
        await settle(app, pilot)
        texts = [str(x.render()) for x in app.screen.query(".line-name").results(Label)]
        assert texts and not any(x.startswith("0/0 ") and "final sale" not in x
                                 for x in texts), texts
