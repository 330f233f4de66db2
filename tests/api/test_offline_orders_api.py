"""An offline sale replayed from a till's outbox: who sold it, how it was paid, what
it keeps, and that a replay is one order however often it arrives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import func, select

from core.db import Database
from core.orders.models import Order
from core.payments.models import Payment
from core.stock.models import Reservation, StockMovement
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.orders import CartLineSet, LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, level, set_stock
from tests.support import SECRET


def _now() -> datetime:
    return datetime.now(UTC)


def _token(till: CommerceClient, *, issued: datetime, expires: datetime,
           device_id: int | None = None) -> str:
    """A staff sign-in as the core signs it, issued and expiring when the test says
    (a shift that ended while the till was offline)."""
    who = till.call(Api.whoami())
    assert who.staff is not None
    return jwt.encode({"iat": int(issued.timestamp()), "exp": int(expires.timestamp()),
                       "sub": str(who.staff.id), "dev": device_id or who.device.id,
                       "role": who.staff.role.value, "name": who.staff.name},
                      SECRET.encode(), algorithm="HS256")


def _sale(sku: str, price: int, *, sold_at: datetime | None = None, number: str = "T1-1",
          tender: str = "cash", **extra: object) -> OrderCreate:
    payment = PaymentIn(tender=tender, amount_cents=price, tendered_cents=price
                        if tender == "cash" else None,
                        points=price if tender == "loyalty_points" else None,
                        card_number="GC-1" if tender in ("gift_card", "store_credit") else None)
    return OrderCreate(lines=[LineIn(sku=sku, qty=1)], offline=True, offline_number=number,
                       sold_at=sold_at or _now(), payments=[payment], **extra)


def _post(till: CommerceClient, body: OrderCreate, idem: str, staff: str | None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {till.device_token}", "Idempotency-Key": idem}
    if staff:
        headers["X-Staff-Token"] = staff
    return till.http.post("/v1/orders", json=body.model_dump(mode="json", exclude_none=True),
                          headers=headers)


def test_an_offline_sale_without_a_cashier_is_refused(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    """Today's hole: a till with nobody signed in sold with ``offline: true``."""
    till: CommerceClient = as_device("MI01", "pos")
    response = _post(till, _sale(sku, 100), key(), None)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "staff_required"


def test_a_sign_in_expired_since_the_sale_is_accepted(till: CommerceClient, sku: str) -> None:
    """The shift ended while the core was down: the sale was made inside it."""
    price = till.call(Api.product(sku)).price_cents
    start = _now() - timedelta(hours=9)
    staff = _token(till, issued=start, expires=start + timedelta(hours=8))
    response = _post(till, _sale(sku, price, sold_at=start + timedelta(hours=2),
                                 number="CASSA1-17"), key(), staff)
    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "completed" and order["offline_number"] == "CASSA1-17"
    assert till.call(Api.order(order["number"])).offline_number == "CASSA1-17"


@pytest.mark.parametrize(("sold", "why"), [
    (timedelta(hours=8, minutes=30), "after the sign-in expired"),
    (timedelta(minutes=-30), "before the cashier signed in"),
])
def test_a_sale_outside_the_sign_in_is_refused(till: CommerceClient, sku: str,
                                               sold: timedelta, why: str) -> None:
    start = _now() - timedelta(hours=9)
    staff = _token(till, issued=start, expires=start + timedelta(hours=8))
    response = _post(till, _sale(sku, 100, sold_at=start + sold), key(), staff)
    assert response.status_code == 401, why
    assert response.json()["code"] == "staff_token_not_valid_then"


def test_another_tills_sign_in_is_refused(till: CommerceClient, sku: str) -> None:
    staff = _token(till, issued=_now() - timedelta(minutes=5),
                   expires=_now() + timedelta(hours=1), device_id=99_999)
    response = _post(till, _sale(sku, 100), key(), staff)
    assert response.status_code == 403 and response.json()["code"] == "wrong_device"


def test_a_sale_dated_in_the_future_is_refused(till: CommerceClient, sku: str) -> None:
    response = _post(till, _sale(sku, 100, sold_at=_now() + timedelta(hours=1)), key(),
                     till.staff_token)
    assert response.status_code == 422 and response.json()["code"] == "sold_at_in_future"


@pytest.mark.parametrize("tender", ["loyalty_points", "gift_card", "store_credit"])
def test_tenders_that_need_the_core_are_refused_offline(till: CommerceClient, sku: str,
                                                        tender: str) -> None:
    with pytest.raises(errors.Forbidden) as refused:
        till.call(Api.place_order(_sale(sku, 100, tender=tender), key()))
    assert refused.value.code == "tender_needs_core"


def test_offline_fields_belong_to_offline_sales(till: CommerceClient, sku: str) -> None:
    response = till.http.post("/v1/orders", json={
        "lines": [{"sku": sku, "qty": 1}], "offline_number": "T1-1"}, headers={
        "Authorization": f"Bearer {till.device_token}", "Idempotency-Key": key(),
        "X-Staff-Token": till.staff_token or ""})
    assert response.status_code == 422


def test_a_replay_is_the_same_order_with_one_payment(seeded, till: CommerceClient,  # type: ignore[no-untyped-def]
                                                     sku: str) -> None:
    price = till.call(Api.product(sku)).price_cents
    body, idem = _sale(sku, price, number="T1-5"), key()
    first = till.call(Api.place_order(body, idem))
    again = till.call(Api.place_order(body, idem))
    assert again.number == first.number and again.offline_number == "T1-5"
    assert level(seeded.url, "MI01", sku) == (4, 0)
    db = Database(seeded.url)
    try:
        with db.read() as session:
            order_id = session.scalar(select(Order.id).where(Order.number == first.number))
            count = session.scalar(select(func.count()).select_from(Payment)
                                   .where(Payment.order_id == order_id))
    finally:
        db.dispose()
    assert count == 1


def test_a_sale_of_stock_sold_elsewhere_meanwhile_is_accepted_and_noted(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient, sku: str
) -> None:
    set_stock(seeded.url, "MI01", sku, 0)
    price = till.call(Api.product(sku)).price_cents
    done = till.call(Api.place_order(_sale(sku, price), key()))
    assert done.status == "completed"
    assert level(seeded.url, "MI01", sku) == (0, 0)
    db = Database(seeded.url)
    try:
        with db.read() as session:
            corrections = list(session.scalars(select(StockMovement.delta).where(
                StockMovement.sku == sku, StockMovement.reason == "count_correction")))
    finally:
        db.dispose()
    assert corrections == [1]
    noted = till.call(Api.events(types="stock.discrepancy"))
    assert [e for e in noted if e.subject == sku]


def test_the_basket_open_when_the_link_dropped_leaves_nothing_behind(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient, sku: str
) -> None:
    """One line rung up online (reserved), the rest offline: one order, the basket
    closed, its reservation gone, the stock down by what was sold."""
    cart = till.call(Api.create_cart())
    cart = till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1)))
    assert level(seeded.url, "MI01", sku) == (5, 1)
    body = OrderCreate(lines=[LineIn(sku=sku, qty=2)], offline=True, sold_at=_now(),
                       offline_number="T1-9", replaces_cart=cart.id,
                       payments=[PaymentIn(tender="cash", amount_cents=cart.total_cents * 2)])
    order = till.call(Api.place_order(body, key()))
    assert order.status == "completed" and [x.qty for x in order.lines] == [2]
    assert level(seeded.url, "MI01", sku) == (3, 0)
    assert till.call(Api.cart(cart.id)).status == "checked_out"
    db = Database(seeded.url)
    try:
        with db.read() as session:
            held = session.scalar(select(func.count()).select_from(Reservation).where(
                Reservation.owner_id == cart.id))
    finally:
        db.dispose()
    assert held == 0
