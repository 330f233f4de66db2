"""F12 at the till: the count is blind. A cashier sees neither the expected cash
nor the figures that add up to it (cash sales, cash refunds, totals) until the
count is in; a supervisor's X report shows them (they reconcile the drawer)."""

from __future__ import annotations

from pos.app import PosApp
from pos.dialogs.amount import AmountDialog
from pos.dialogs.supervisor import SupervisorDialog
from pos.screens.till import TillScreen
from shared.client import Api
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, set_stock
from tests.pos.pilot import settle, sign_in, text_of

MOKA = "HO-MOK-05"


async def _cash_sale(app: PosApp) -> int:
    """A cash sale rung up before the close; its total, in cents."""
    order = await app.client.call(Api.place_order(OrderCreate(lines=[LineIn(sku=MOKA, qty=1)]),
                                                  key()))
    await app.client.call(Api.pay(order.number, PaymentIn(tender="cash",
                                                          amount_cents=order.total_cents)))
    return order.total_cents


async def test_the_cashier_counts_blind_and_sees_expected_and_variance_after_submitting(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 5)
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot)  # Marco Bianchi, a cashier
        sold = await _cash_sale(app)
        expected = (await app.client.call(Api.till_report())).expected_cash_cents
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, TillScreen)
        shown = text_of(app, "#report")
        assert "X REPORT" in shown
        assert "Expected" not in shown and app.money(expected) not in shown
        assert app.money(sold) not in shown  # cash sales would add up to it
        await pilot.press("f12")
        await settle(app, pilot)
        assert isinstance(app.screen, AmountDialog)
        assert app.money(expected) not in text_of(app, ".title")
        under = str(app.screen_stack[-2].query_one("#report").render())
        assert "Expected" not in under and app.money(expected) not in under
        await pilot.press(*f"{(expected - 1_234) / 100:.2f}", "enter")  # over the limit
        await settle(app, pilot)
        assert isinstance(app.screen, SupervisorDialog)
        why = text_of(app, "#supervisor-why")  # a supervisor approves, told no figure
        assert "supervisor" in why
        assert "12.34" not in why and app.money(1_234) not in why and app.money(expected) not in why
        await pilot.press("escape")
        await settle(app, pilot)
        said = text_of(app, "#status")
        assert "supervisor must approve" in said and "12.34" not in said
        assert "Expected" not in text_of(app, "#report")  # still blind: counting again
        await pilot.press("f12", *f"{(expected - 200) / 100:.2f}", "enter")  # within the limit
        await settle(app, pilot)
        shown = text_of(app, "#report")
        assert "Z REPORT" in shown
        assert "Expected cash in drawer" in shown and app.money(expected) in shown
        assert "Variance" in shown and "-" + app.money(200) in shown


async def test_a_supervisors_x_report_shows_the_expected_cash(  # type: ignore[no-untyped-def]
    till_factory, seeded_sqlite
) -> None:
    set_stock(seeded_sqlite.url, "MI01", MOKA, 5)
    app = till_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(app, pilot, "2222")  # Giulia Verdi, a supervisor
        sold = await _cash_sale(app)
        expected = (await app.client.call(Api.till_report())).expected_cash_cents
        await pilot.press("f12")
        await settle(app, pilot)
        shown = text_of(app, "#report")
        assert "Expected cash in drawer" in shown and app.money(expected) in shown
        assert app.money(sold) in shown
