"""Exchanges: a return credited to a new sale, only the difference paid or given
back, stock and points right on both sides, all or nothing; on every database."""

from __future__ import annotations

import pytest

from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.exchanges import ExchangeCreate, ExchangeOut
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, level, set_stock


def _skus(till: CommerceClient, seeded) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """Two items of one price (a size swap) and a dearer one, 5 of each at MI01."""
    items = [p for p in till.call(Api.products(limit=50)).items if not p.final_sale]
    by_price: dict[int, list[str]] = {}
    for item in items:
        by_price.setdefault(item.price_cents, []).append(item.sku)
    price, (first, second) = next((p, s[:2]) for p, s in sorted(by_price.items()) if len(s) > 1)
    dearer = min((p for p in items if p.price_cents > price + 500),
                 key=lambda p: p.price_cents).sku  # under the supervisor's threshold
    for sku in (first, second, dearer):
        set_stock(seeded.url, "MI01", sku, 5)
    return first, second, dearer


def _customer(till: CommerceClient) -> int:
    return till.call(Api.customers("rossi"))[0].id


def _points(till: CommerceClient, customer: int) -> int:
    return till.call(Api.customer_loyalty(customer)).balance


def _sold_and_returned(till: CommerceClient, sku: str, tender: str = "card",
                       customer: int | None = None) -> tuple[str, str]:
    """A sale of one ``sku`` paid by ``tender`` and its approved return (order, return)."""
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)],
                                                  customer_id=customer), key()))
    order = till.call(Api.pay(order.number, PaymentIn(tender=tender,
                                                      amount_cents=order.total_cents)))
    assert order.status == "completed"
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=order.number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    assert ret.status == "approved"
    return order.number, ret.number


def _exchange(till: CommerceClient, ret: str, sku: str, *payments: PaymentIn,
              idempotency: str | None = None) -> ExchangeOut:
    return till.call(Api.exchange(ret, ExchangeCreate(lines=[LineIn(sku=sku, qty=1)],
                                                      payments=list(payments)),
                                  idempotency or key()))


def test_an_even_exchange_moves_no_money_and_fixes_stock_and_points(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    first, second, _ = _skus(till, seeded)
    customer = _customer(till)
    _, ret = _sold_and_returned(till, first, customer=customer)
    before = till.call(Api.till_report())
    points = _points(till, customer)
    done = _exchange(till, ret, second)
    assert done.order.status == "completed" and done.order.customer_id == customer
    assert done.difference_cents == 0 and done.credit_cents == done.order.total_cents
    assert [(p.tender, p.amount_cents) for p in done.order.payments] == [
        ("exchange_credit", done.order.total_cents)]
    assert done.returned.status == "refunded" and done.refunds == []
    assert [(x.sku, x.qty) for x in done.returned_lines] == [(first, 1)]
    assert level(seeded.url, "MI01", first) == (5, 0)  # sold one, it came back
    assert level(seeded.url, "MI01", second) == (4, 0)  # the replacement left the shelf
    clawed = done.returned.points_clawed_back
    assert clawed > 0 and _points(till, customer) == points - clawed + \
        till.call(Api.order(done.order.number)).points_earned
    after = till.call(Api.till_report())
    assert after.expected_cash_cents == before.expected_cash_cents  # no cash moved
    sales = {t.tender: t.amount_cents for t in after.sales}
    refunds = {t.tender: t.amount_cents for t in after.refunds}
    assert sales["exchange_credit"] == done.credit_cents
    assert refunds["exchange_credit"] == done.credit_cents


@pytest.mark.parametrize("tender", ["cash", "card"])
def test_a_dearer_replacement_pays_only_the_difference(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient, tender: str
) -> None:
    first, _, dearer = _skus(till, seeded)
    _, ret = _sold_and_returned(till, first)
    before = till.call(Api.till_report())
    price = till.call(Api.product(dearer)).price_cents
    returned = till.call(Api.get_return(ret)).refund_cents
    difference = price - returned
    payment = PaymentIn(tender="cash", amount_cents=difference, tendered_cents=difference + 500) \
        if tender == "cash" else PaymentIn(tender="card", amount_cents=difference)
    done = _exchange(till, ret, dearer, payment)
    assert done.difference_cents == difference and done.credit_cents == returned
    paid = {p.tender: p.amount_cents for p in done.order.payments}
    assert paid == {"exchange_credit": returned, tender: difference}
    if tender == "cash":
        assert [p.change_cents for p in done.order.payments if p.tender == "cash"] == [500]
    after = till.call(Api.till_report())
    cash_in = difference if tender == "cash" else 0
    assert after.expected_cash_cents == before.expected_cash_cents + cash_in
    assert level(seeded.url, "MI01", first) == (5, 0)
    assert level(seeded.url, "MI01", dearer) == (4, 0)


def test_a_cheaper_replacement_gives_the_rest_back_the_way_it_was_paid(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    first, _, dearer = _skus(till, seeded)
    _, ret = _sold_and_returned(till, dearer, tender="cash")
    before = till.call(Api.till_report())
    returned = till.call(Api.get_return(ret)).refund_cents
    done = _exchange(till, ret, first)
    rest = returned - done.order.total_cents
    assert rest > 0 and done.difference_cents == -rest
    assert [(r.tender, r.amount_cents) for r in done.refunds] == [("cash", rest)]
    assert done.order.payments[0].tender == "exchange_credit"
    assert done.order.payments[0].amount_cents == done.order.total_cents
    after = till.call(Api.till_report())
    assert after.expected_cash_cents == before.expected_cash_cents - rest
    assert level(seeded.url, "MI01", dearer) == (5, 0)
    assert level(seeded.url, "MI01", first) == (4, 0)


def test_a_failed_sale_step_leaves_no_half_exchange(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    first, _, dearer = _skus(till, seeded)
    customer = _customer(till)
    _, ret = _sold_and_returned(till, first, customer=customer)
    points, report = _points(till, customer), till.call(Api.till_report())
    difference = till.call(Api.product(dearer)).price_cents - \
        till.call(Api.get_return(ret)).refund_cents
    with pytest.raises(errors.Conflict, match="not approved"):
        _exchange(till, ret, dearer, PaymentIn(tender="card", amount_cents=difference,
                                               card_token="decline"))
    with pytest.raises(errors.InvalidRequest, match="more than the return") as short:
        _exchange(till, ret, dearer, PaymentIn(tender="cash", amount_cents=difference - 1))
    assert short.value.context["due_cents"] == difference
    with pytest.raises(errors.NotFound):
        _exchange(till, ret, "NO-SUCH-SKU")
    waiting = till.call(Api.get_return(ret))
    assert waiting.status == "approved" and waiting.refunds == []
    assert level(seeded.url, "MI01", first) == (4, 0) and level(seeded.url, "MI01", dearer) \
        == (5, 0)
    assert _points(till, customer) == points
    assert till.call(Api.till_report()).sales == report.sales
    assert till.call(Api.reject_return(ret, note="shopper changed their mind")).status \
        == "rejected"  # still cancellable


def test_an_exchange_is_placed_once_per_key_and_only_from_an_approved_return(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    first, second, _ = _skus(till, seeded)
    _, ret = _sold_and_returned(till, first)
    once = key()
    done = _exchange(till, ret, second, idempotency=once)
    again = _exchange(till, ret, second, idempotency=once)
    assert again.order.number == done.order.number
    assert level(seeded.url, "MI01", second) == (4, 0)
    with pytest.raises(errors.Conflict, match="refunded"):
        _exchange(till, ret, second)
    with pytest.raises(errors.Forbidden):  # exchange credit is no tender of its own
        order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=second, qty=1)]),
                                          key()))
        till.call(Api.pay(order.number, PaymentIn(tender="exchange_credit",
                                                  amount_cents=order.total_cents)))


def test_returning_the_replacement_gives_the_credit_back_as_store_credit(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    first, second, _ = _skus(till, seeded)
    _, ret = _sold_and_returned(till, first, tender="cash")
    done = _exchange(till, ret, second)
    again = till.call(Api.create_return(ReturnCreate(
        order_number=done.order.number, lines=[ReturnLineIn(line_no=1, qty=1)])))
    refunded = till.call(Api.refund_return(again.number))
    assert [r.tender for r in refunded.refunds] == ["store_credit"]  # never cash for a card
    card = refunded.refunds[0].card_number
    assert card and till.call(Api.credit(card)).balance_cents >= refunded.refund_cents
