"""Money at the till, right to the cent (issue 14), on every database.

A part-paid till sale is never lost: the sweep leaves it alone, the till can
recall it after a restart, and cancelling it gives each tender back through the
till session. The X/Z report counts every refund this till made, store credit
issued by its returns desk included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.timeutil import set_clock
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.orders import Contact, LineIn, OrderCreate, OrderOut, PaymentIn, Transition
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from shared.schemas.tills import TenderTotal, TillClose
from tests.api.helpers import key, level, set_stock, sign_in

FLOAT = 10_000
"""``sign_in`` opens the drawer with a 100.00 float."""


def _by_tender(totals: list[TenderTotal]) -> dict[str, tuple[int, int]]:
    return {t.tender: (t.count, t.amount_cents) for t in totals}


def _sweep_later(app, minutes: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from core.app import run_sweep

    moment = datetime.now(UTC) + timedelta(minutes=minutes)
    set_clock(lambda: moment)
    try:
        return run_sweep(app.state.db, app.state.settings, app.state.gateway)
    finally:
        set_clock(None)


def _part_paid(till: CommerceClient, sku: str, cash: int = 100) -> OrderOut:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)]), key()))
    order = till.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=cash,
                                                      tendered_cents=cash)))
    assert order.status == "pending_payment" and order.due_cents > 0
    return order


# -- the sweep ---------------------------------------------------------------------


def test_the_sweep_never_cancels_a_part_paid_till_sale(  # type: ignore[no-untyped-def]
    app, seeded, sku: str, till: CommerceClient
) -> None:
    order = _part_paid(till, sku)
    _sweep_later(app, 16)
    kept = till.call(Api.order(order.number))
    assert kept.status == "pending_payment" and kept.paid_cents == 100
    assert [(p.status, p.refunded_cents) for p in kept.payments] == [("approved", 0)]
    assert level(seeded.url, "MI01", sku) == (5, 2)  # the goods stay held for it
    x = till.call(Api.till_report())
    assert _by_tender(x.sales) == {"cash": (1, 100)} and x.refunds == []
    assert x.expected_cash_cents == FLOAT + 100
    # ... and much later too: only a person at a till cancels it
    _sweep_later(app, 60 * 24)
    assert till.call(Api.order(order.number)).status == "pending_payment"
    done = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=kept.due_cents,
                                                     card_token="approve")))
    assert done.status == "completed" and level(seeded.url, "MI01", sku) == (3, 0)


def test_the_sweep_still_cancels_an_unpaid_till_sale(  # type: ignore[no-untyped-def]
    app, seeded, sku: str, till: CommerceClient
) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)]), key()))
    declined = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=100,
                                                         card_token="decline")))
    assert declined.paid_cents == 0
    assert level(seeded.url, "MI01", sku) == (5, 2)
    _sweep_later(app, 16)
    assert till.call(Api.order(order.number)).status == "cancelled"
    assert level(seeded.url, "MI01", sku) == (5, 0)


# -- recall after a restart ----------------------------------------------------------


def test_a_till_recalls_its_open_sales_after_a_restart(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    older = _part_paid(till, sku, cash=70)
    newer = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    till.call(Api.pay(newer.number, PaymentIn(tender="card", amount_cents=newer.due_cents,
                                              card_token="decline")))
    done = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)],
        payments=[PaymentIn(tender="card", amount_cents=newer.total_cents)]), key()))
    assert done.status == "completed"
    as_device("MI01", "kiosk").call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact=Contact(email="k@example.it")), key()))  # another device's open order
    rome = sign_in(as_device("RM01", "pos"), "4111")
    assert rome.call(Api.open_sales()) == []

    restarted = sign_in(as_device("MI01", "pos"), "2222", open_till=False)
    recalled = restarted.call(Api.open_sales())
    assert [o.number for o in recalled] == [newer.number, older.number]
    first, second = recalled
    assert [(p.tender, p.status) for p in first.payments] == [("card", "declined")]
    assert second.paid_cents == 70 and second.due_cents == older.due_cents
    assert [(line.sku, line.qty) for line in second.lines] == [(sku, 2)]

    with pytest.raises(errors.Unauthorized):  # a till with nobody signed in
        as_device("MI01", "pos").call(Api.open_sales())
    with pytest.raises(errors.Forbidden):
        as_device("MI01", "kiosk").call(Api.open_sales())
    with pytest.raises(errors.NotFound):  # the single-order read is not shadowed
        till.call(Api.order("MI01-999999"))


# -- cancelling a part-paid sale -------------------------------------------------------


def test_cancelling_a_part_paid_sale_gives_each_tender_back_at_the_till(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient
) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)]), key()))
    card, cash = order.total_cents // 4, order.total_cents // 3
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=card,
                                              card_token="approve")))
    till.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=cash,
                                              tendered_cents=cash + 50)))
    cancelled = till.call(Api.transition(order.number, Transition(to="cancelled",
                                                                  note="customer left")))
    assert cancelled.status == "cancelled"
    assert [(p.tender, p.amount_cents, p.refunded_cents) for p in cancelled.payments] == [
        ("card", card, card), ("cash", cash, cash)]
    assert cancelled.refunded_cents == card + cash and cancelled.paid_cents == 0
    assert level(seeded.url, "MI01", sku) == (5, 0)

    x = till.call(Api.till_report())
    assert _by_tender(x.sales) == {"card": (1, card), "cash": (1, cash)}
    assert _by_tender(x.refunds) == {"card": (1, card), "cash": (1, cash)}
    assert (x.sales_cents, x.refunds_cents) == (card + cash, card + cash)
    assert x.expected_cash_cents == FLOAT


def test_a_part_paid_cash_sale_is_cancelled_only_with_the_drawer_open(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient
) -> None:
    order = _part_paid(till, sku)
    expected = till.call(Api.till_report()).expected_cash_cents
    till.call(Api.close_till(TillClose(counted_cents=expected)))
    with pytest.raises(errors.Conflict) as caught:
        till.call(Api.transition(order.number, Transition(to="cancelled")))
    assert caught.value.code == "till_closed"
    unchanged = till.call(Api.order(order.number))  # nothing half-written
    assert unchanged.status == "pending_payment" and unchanged.paid_cents == 100
    assert level(seeded.url, "MI01", sku) == (5, 2)
    till.call(Api.open_till(FLOAT))
    assert till.call(Api.transition(order.number, Transition(to="cancelled"))).refunded_cents == 100
    x = till.call(Api.till_report())
    assert _by_tender(x.refunds) == {"cash": (1, 100)}
    assert x.expected_cash_cents == FLOAT - 100


# -- the Z report --------------------------------------------------------------------


def _cheap_skus(client: CommerceClient, count: int) -> list[tuple[str, int]]:
    """SKUs under the return threshold (a cashier approves their return alone)."""
    items = client.call(Api.products(limit=50)).items
    chosen = [(p.sku, p.price_cents) for p in items
              if 1_000 <= p.price_cents <= 5_000 and not p.final_sale]
    assert len(chosen) >= count
    return chosen[:count]


def _to_store_credit(till: CommerceClient, number: str) -> tuple[int, str]:
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")],
        refund_to="store_credit")))
    assert ret.status == "approved"
    done = till.call(Api.refund_return(ret.number))
    assert done.status == "refunded" and done.credit_card_number
    return done.refund_cents, done.credit_card_number


def test_the_z_report_counts_store_credit_issued_by_this_till_to_the_cent(  # type: ignore[no-untyped-def]
    as_device, seeded, till: CommerceClient
) -> None:
    skus = _cheap_skus(till, 3)
    for sku, _ in skus:
        for store in ("MI01", "RM01"):
            set_stock(seeded.url, store, sku, 10)
    card_sales = []
    for sku, _ in skus:
        order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
        card_sales.append(till.call(Api.pay(order.number, PaymentIn(
            tender="card", amount_cents=order.total_cents))))
    cash_sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=skus[0][0], qty=1)]),
                                          key()))
    cash_sale = till.call(Api.pay(cash_sale.number, PaymentIn(
        tender="cash", amount_cents=cash_sale.total_cents, tendered_cents=10_000)))
    credits = [_to_store_credit(till, sale.number) for sale in card_sales]
    returned = [cents for cents, _ in credits]
    assert returned == [price for _, price in skus]

    # a web order paid with that store credit, cancelled from this till: credit given back
    web: CommerceClient = as_device("WEB", "web")
    web_order = web.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=skus[0][0], qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact=Contact(email="x@example.it")), key()))
    web_order = web.call(Api.pay(web_order.number, PaymentIn(
        tender="store_credit", amount_cents=web_order.total_cents,
        card_number=credits[0][1])))
    assert web_order.status == "paid"
    till.call(Api.transition(web_order.number, Transition(to="cancelled")))

    # another store's returns desk is not this till's business
    rome = sign_in(as_device("RM01", "pos"), "4111")
    rome_sale = rome.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=skus[2][0], qty=1)],
        payments=[PaymentIn(tender="card", amount_cents=skus[2][1])]), key()))
    _to_store_credit(rome, rome_sale.number)

    issued = sum(returned) + web_order.total_cents
    sold_by_card = sum(s.total_cents for s in card_sales)
    for report in (till.call(Api.till_report()),
                   till.call(Api.close_till(TillClose(
                       counted_cents=FLOAT + cash_sale.total_cents)))):
        assert _by_tender(report.sales) == {"card": (3, sold_by_card),
                                            "cash": (1, cash_sale.total_cents)}
        assert _by_tender(report.refunds) == {"store_credit": (4, issued)}
        assert report.refunds_cents == issued
        assert (report.store_credit_issued_count, report.store_credit_issued_cents) == (
            4, issued)
        assert report.expected_cash_cents == FLOAT + cash_sale.total_cents
    assert report.kind == "Z" and report.variance_cents == 0
    rome_x = rome.call(Api.till_report())
    assert _by_tender(rome_x.refunds) == {"store_credit": (1, skus[2][1])}
