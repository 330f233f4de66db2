"""Carts, orders, payments and pickups through the API, on every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.timeutil import set_clock
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.orders import (
    CartLineSet,
    CheckIn,
    Collect,
    CollectLine,
    LineIn,
    OrderCreate,
    PaymentIn,
    Transition,
)
from tests.api.helpers import key, level, set_stock, sign_in, web_pickup


def test_kiosk_basket_reserves_and_a_till_sells_it_for_cash(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str, till: CommerceClient
) -> None:
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    cart = kiosk.call(Api.create_cart())
    cart = kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=2)))
    assert level(seeded.url, "MI01", sku) == (5, 2)
    handoff = kiosk.call(Api.handoff(cart.id))
    assert handoff.payload == f"OT1:C:{handoff.code}"

    scanned = till.call(Api.scan(handoff.payload))
    assert scanned.kind == "cart" and scanned.reference == cart.id
    order = till.call(Api.place_order(OrderCreate(
        cart_id=cart.id, payments=[PaymentIn(tender="cash", amount_cents=cart.total_cents,
                                             tendered_cents=cart.total_cents + 1000)]), key()))
    assert order.status == "completed"
    assert order.number.startswith("MI01-")
    assert order.change_cents == 1000
    assert level(seeded.url, "MI01", sku) == (3, 0)
    with pytest.raises(errors.Conflict, match="already paid"):
        till.call(Api.scan(handoff.payload))


def test_a_kiosk_cannot_reserve_more_than_is_there(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    cart = kiosk.call(Api.create_cart())
    with pytest.raises(errors.OutOfStock, match="Only 5") as caught:
        kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=6)))
    assert caught.value.context["available"] == 5


def test_a_till_sells_goods_in_hand_even_when_the_count_says_none(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient
) -> None:
    set_stock(seeded.url, "MI01", sku, 0)
    after = till.call(Api.events(types="stock.discrepancy")) or []
    start = after[-1].seq if after else 0
    order = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=2)],
        payments=[PaymentIn(tender="card", amount_cents=1, card_token="approve")]), key()))
    assert order.status == "pending_payment" and order.due_cents > 0
    order = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.due_cents,
                                                      card_token="approve")))
    assert order.status == "completed"
    assert level(seeded.url, "MI01", sku) == (0, 0)
    events = till.call(Api.events(after=start, types="stock.discrepancy"))
    assert [e.payload["shortfall"] for e in events if e.subject == sku] == [2]


def test_declined_then_approved_card(seeded, sku: str, till: CommerceClient) -> None:  # type: ignore[no-untyped-def]
    order = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)],
        payments=[PaymentIn(tender="card", amount_cents=1, card_token="decline")]), key()))
    assert order.status == "pending_payment"
    assert [p.status for p in order.payments] == ["declined"]
    assert level(seeded.url, "MI01", sku) == (5, 1)  # still held for the shopper
    order = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.due_cents,
                                                      card_token="timeout")))
    assert order.payments[-1].status == "timeout" and "did not answer" in order.payments[-1].message
    order = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.due_cents)))
    assert order.status == "completed" and order.due_cents == 0
    assert level(seeded.url, "MI01", sku) == (4, 0)


def test_split_tender_card_then_cash_with_change(sku: str, till: CommerceClient) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)]), key()))
    half = order.total_cents // 2
    order = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=half)))
    assert order.status == "pending_payment" and order.due_cents == order.total_cents - half
    order = till.call(Api.pay(order.number, PaymentIn(
        tender="cash", amount_cents=order.due_cents, tendered_cents=order.due_cents + 250)))
    assert order.status == "completed" and order.change_cents == 250
    assert sum(p.amount_cents for p in order.payments) == order.total_cents


def test_overpaying_by_card_is_refused(sku: str, till: CommerceClient) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    with pytest.raises(errors.InvalidRequest, match="due"):
        till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                  amount_cents=order.total_cents + 1)))


def test_selling_needs_a_signed_in_cashier(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.Unauthorized, match="PIN"):
        as_device("MI01", "pos").call(Api.place_order(
            OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))


def test_big_discounts_need_a_supervisor(as_device, sku: str, till: CommerceClient) -> None:  # type: ignore[no-untyped-def]
    body = OrderCreate(lines=[LineIn(sku=sku, qty=1, discount_percent=50)])
    with pytest.raises(errors.Forbidden, match="supervisor"):
        till.call(Api.place_order(body, key()))
    supervisor = sign_in(as_device("MI01", "pos"), "2222")
    order = supervisor.call(Api.place_order(body, key()))
    assert order.discount_cents == order.subtotal_cents - order.total_cents > 0


def test_promotion_applies_the_same_on_web_and_till(as_device, sku: str, till) -> None:  # type: ignore[no-untyped-def]
    web: CommerceClient = as_device("WEB", "web")
    online = web.call(Api.place_order(web_pickup(sku, 2, promotion="WELCOME10"), key()))
    in_store = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)],
                                                     promotion="WELCOME10"), key()))
    assert online.total_cents == in_store.total_cents < online.subtotal_cents
    assert sum(t.tax_cents for t in online.tax_breakdown) == online.tax_cents
    with pytest.raises(errors.InvalidRequest, match="not valid"):
        web.call(Api.place_order(web_pickup(sku, 1, promotion="NOPE"), key()))


def test_idempotent_replay_and_key_reuse(as_device, seeded, sku: str) -> None:  # type: ignore[no-untyped-def]
    web: CommerceClient = as_device("WEB", "web")
    k = key()
    first = web.call(Api.place_order(web_pickup(sku, 1), k))
    again = web.call(Api.place_order(web_pickup(sku, 1), k))
    assert again.number == first.number
    assert level(seeded.url, "MI01", sku) == (5, 1)
    with pytest.raises(errors.Conflict, match="already used"):
        web.call(Api.place_order(web_pickup(sku, 2), k))


def test_click_and_collect_from_web_to_collected(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str, till: CommerceClient
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    order = web.call(Api.place_order(web_pickup(sku, 2), key()))
    order = web.call(Api.pay(order.number, PaymentIn(tender="card",
                                                     amount_cents=order.total_cents)))
    assert order.status == "paid" and order.number.startswith("W-")
    assert order.pickup_code and order.pickup_code.startswith(f"OT1:O:{order.number}:")
    queue = till.call(Api.pickups("MI01"))
    assert order.number in {p.number for p in queue}
    till.call(Api.transition(order.number, Transition(to="picking")))
    till.call(Api.transition(order.number, Transition(to="ready_for_pickup")))
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    checked = kiosk.call(Api.check_in(CheckIn(code=order.pickup_code)))
    assert "ready" in checked.message and checked.customer_name == "Giulia R."
    assert till.call(Api.pickups("MI01", "ready_for_pickup"))[0].checked_in_at is not None
    done = till.call(Api.collect(order.number, Collect(code=order.pickup_code)))
    assert done.status == "collected"
    assert level(seeded.url, "MI01", sku) == (3, 0)
    with pytest.raises(errors.Conflict, match="already collected"):
        till.call(Api.collect(order.number, Collect(code=order.pickup_code)))
    assert level(seeded.url, "MI01", sku) == (3, 0)


def test_partial_pickup_then_cancel_the_rest_refunds_it(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str, till: CommerceClient
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    order = web.call(Api.place_order(web_pickup(sku, 3), key()))
    order = web.call(Api.pay(order.number, PaymentIn(tender="card",
                                                     amount_cents=order.total_cents)))
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(order.number, Transition(to=to)))
    part = till.call(Api.collect(order.number, Collect(code=order.pickup_code,
                                                       lines=[CollectLine(line_no=1, qty=1)])))
    assert part.status == "ready_for_pickup" and part.lines[0].qty_collected == 1
    assert level(seeded.url, "MI01", sku) == (4, 2)
    rest = till.call(Api.collect(order.number, Collect(code=order.pickup_code, lines=[],
                                                       cancel_rest=True)))
    assert rest.status == "collected" and rest.lines[0].qty_cancelled == 2
    assert level(seeded.url, "MI01", sku) == (4, 0)
    assert rest.payments[0].refunded_cents == rest.lines[0].total_cents * 2 // 3


def test_an_unpaid_pickup_takes_payment_before_hand_over(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    order = as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.status == "pending_payment" and order.payments == []
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(order.number, Transition(to=to)))
    with pytest.raises(errors.Conflict, match="still due"):
        till.call(Api.collect(order.number, Collect(last_name="Rossi")))
    till.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=order.total_cents)))
    assert till.call(Api.collect(order.number, Collect(last_name="rossi"))).status == "collected"


def test_cancel_releases_stock_and_refunds(as_device, seeded, sku: str, till) -> None:  # type: ignore[no-untyped-def]
    web: CommerceClient = as_device("WEB", "web")
    order = web.call(Api.place_order(web_pickup(sku, 2), key()))
    web.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    assert level(seeded.url, "MI01", sku) == (5, 2)
    cancelled = till.call(Api.transition(order.number, Transition(to="cancelled")))
    assert cancelled.status == "cancelled"
    assert cancelled.payments[0].refunded_cents == cancelled.total_cents
    assert level(seeded.url, "MI01", sku) == (5, 0)


def test_ship_to_store_moves_goods_through_a_transfer(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str, till: CommerceClient
) -> None:
    set_stock(seeded.url, "MI01", sku, 0)
    web: CommerceClient = as_device("WEB", "web")
    body = web_pickup(sku, 2, fulfilment="ship_to_store")
    order = web.call(Api.place_order(body, key()))
    assert order.lines[0].source_location == "WH01"
    assert level(seeded.url, "WH01", sku) == (5, 2)
    web.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    till.call(Api.transition(order.number, Transition(to="picking")))
    till.call(Api.transition(order.number, Transition(to="shipped")))
    assert level(seeded.url, "WH01", sku) == (3, 0)
    till.call(Api.transition(order.number, Transition(to="ready_for_pickup")))
    assert level(seeded.url, "MI01", sku) == (2, 2)
    till.call(Api.collect(order.number, Collect(code=order.pickup_code)))
    assert level(seeded.url, "MI01", sku) == (0, 0)


def test_uncollected_pickups_are_cancelled_after_the_hold(  # type: ignore[no-untyped-def]
    as_device, app, seeded, sku: str, till: CommerceClient
) -> None:
    from core.app import run_sweep

    web: CommerceClient = as_device("WEB", "web")
    order = web.call(Api.place_order(web_pickup(sku, 1), key()))
    web.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(order.number, Transition(to=to)))
    later = datetime.now(UTC) + timedelta(days=8)
    set_clock(lambda: later)
    try:
        result = run_sweep(app.state.db, app.state.settings, app.state.gateway)
    finally:
        set_clock(None)
    assert result["cancelled_pickups"] == 1
    final = till.call(Api.order(order.number))
    assert final.status == "cancelled" and final.payments[0].refunded_cents == final.total_cents
    assert level(seeded.url, "MI01", sku) == (5, 0)


def test_an_idle_basket_gives_its_stock_back(as_device, app, seeded, sku: str) -> None:  # type: ignore[no-untyped-def]
    from core.app import run_sweep

    kiosk: CommerceClient = as_device("MI01", "kiosk")
    cart = kiosk.call(Api.create_cart())
    kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=3)))
    assert level(seeded.url, "MI01", sku) == (5, 3)
    later = datetime.now(UTC) + timedelta(minutes=16)
    set_clock(lambda: later)
    try:
        run_sweep(app.state.db, app.state.settings, app.state.gateway)
        assert kiosk.call(Api.cart(cart.id)).status == "expired"
    finally:
        set_clock(None)
    assert level(seeded.url, "MI01", sku) == (5, 0)
    with pytest.raises(errors.Conflict, match="expired"):
        kiosk.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1)))


def test_a_forged_pickup_code_is_refused_and_counted(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    order = kiosk.call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.pickup_code
    forged = order.pickup_code[:-2] + ("AA" if not order.pickup_code.endswith("AA") else "BB")
    for _ in range(4):
        with pytest.raises(errors.InvalidRequest, match="not valid"):
            kiosk.call(Api.scan(forged))
    with pytest.raises(errors.TooManyAttempts):
        kiosk.call(Api.scan(forged))
    with pytest.raises(errors.TooManyAttempts):
        kiosk.call(Api.scan(order.pickup_code))


def test_kiosk_sees_a_masked_order(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    order = kiosk.call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.customer_name == "Giulia R."
    assert order.contact_email == "g***@example.it"
    assert order.contact_phone is None and order.customer_id is None


def test_an_order_cannot_skip_or_undo_a_step(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str, till: CommerceClient
) -> None:
    """The state machine refuses what is not a next step, says where the order is and
    how it moves on, and changes nothing: a web pickup order cannot be marked
    collected from the queue (only the pickup code hands it over), nor go back
    from ready to picking."""
    web: CommerceClient = as_device("WEB", "web")
    order = web.call(Api.place_order(web_pickup(sku, 1), key()))
    order = web.call(Api.pay(order.number, PaymentIn(tender="card",
                                                     amount_cents=order.total_cents)))
    with pytest.raises(errors.Conflict, match="pickup code") as skipped:
        till.call(Api.transition(order.number, Transition(to="collected")))
    assert skipped.value.code == "illegal_transition"
    assert skipped.value.context == {"current": "paid", "requested": "collected"}
    assert till.call(Api.order(order.number)).status == "paid"
    till.call(Api.transition(order.number, Transition(to="picking")))
    till.call(Api.transition(order.number, Transition(to="ready_for_pickup")))
    with pytest.raises(errors.Conflict) as undone:
        till.call(Api.transition(order.number, Transition(to="picking")))
    assert undone.value.code == "illegal_transition"
    assert till.call(Api.order(order.number)).status == "ready_for_pickup"
    assert level(seeded.url, "MI01", sku) == (5, 1)
