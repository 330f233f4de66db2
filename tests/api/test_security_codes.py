"""Issue 11: kiosk returns need proof of purchase and never block a till; wrong
codes, surnames and receipt codes count per device *and* per target (the order
aimed at), so guesses spread over many devices are bounded too; and N parallel
guesses against a real server never evaluate more than the limit. On SQLite and
PostgreSQL."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.auth import service as auth
from core.catalog.models import Product
from core.db import Database
from core.timeutil import set_clock
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.enums import DeviceKind
from shared.schemas.orders import (
    CartCreate,
    CheckIn,
    Collect,
    LineIn,
    OrderCreate,
    OrderOut,
    PaymentIn,
    Transition,
)
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, set_stock, sign_in, web_pickup
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded

LIMIT = 5  # CoreSettings.lockout_attempts


def _devices(url: str, kind: DeviceKind, n: int, store: str = "MI01") -> list[str]:
    """More registered devices of one store: a chain has many kiosks and tills."""
    db = Database(url)
    try:
        with db.write() as session:
            return [auth.add_device(session, kind=kind, name=f"{store} extra {kind.value} {i}",
                                    store_code=store) for i in range(n)]
    finally:
        db.dispose()


def _client(http: TestClient, token: str) -> CommerceClient:
    return CommerceClient("http://testserver", token, http=http)


def _sale_to_rossi(till: CommerceClient, sku: str, qty: int = 2) -> OrderOut:
    """A till sale to the demo's Rossi (loyalty card attached by the cashier)."""
    customer = till.call(Api.customers("rossi"))[0]
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=qty)],
                                                  customer_id=customer.id), key()))
    order = till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                      amount_cents=order.total_cents)))
    assert order.status == "completed" and order.receipt_code
    return order


def _surname(till: CommerceClient) -> str:
    return till.call(Api.customers("rossi"))[0].name.split()[-1]


def _ret(qty: int, **proof: str) -> ReturnCreate:
    return ReturnCreate(lines=[ReturnLineIn(line_no=1, qty=qty, reason="size")],
                        **proof)  # type: ignore[arg-type]


def _forged(code: str) -> str:
    return code[:-2] + ("AA" if not code.endswith("AA") else "BB")


# -- kiosk returns ---------------------------------------------------------------------

SQLITE_ONLY = pytest.mark.parametrize("seeded", ["sqlite"], indirect=True)
"""Request rules, not database behaviour: the counting itself runs on both
databases in the per-target and parallel tests below."""


@SQLITE_ONLY
def test_a_kiosk_return_needs_proof_of_purchase_and_wrong_proof_counts(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    order = _sale_to_rossi(till, sku, qty=3)
    assert order.receipt_code
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    with pytest.raises(errors.Forbidden) as bare:  # a bare (sequential) number
        kiosk.call(Api.create_return(_ret(1, order_number=order.number)))
    assert bare.value.code == "buyer_required"
    with pytest.raises(errors.InvalidRequest) as wrong:
        kiosk.call(Api.create_return(_ret(1, order_number=order.number, buyer="Bianchi")))
    assert wrong.value.code == "buyer_mismatch"
    rossi = till.call(Api.customers("rossi"))[0]
    by_name = kiosk.call(Api.create_return(_ret(1, order_number=order.number,
                                                buyer=_surname(till).upper())))
    assert by_name.status == "requested" and by_name.order_number == order.number
    assert rossi.email
    assert kiosk.call(Api.create_return(_ret(1, order_number=order.number,
                                             buyer=rossi.email))).status == "requested"
    # one wrong surname so far; forged receipts add up on the same kiosk
    for _ in range(LIMIT - 2):
        with pytest.raises(errors.InvalidRequest):
            kiosk.call(Api.create_return(_ret(1, receipt_code=_forged(order.receipt_code))))
    with pytest.raises(errors.TooManyAttempts):
        kiosk.call(Api.create_return(_ret(1, receipt_code=_forged(order.receipt_code))))
    with pytest.raises(errors.TooManyAttempts):
        kiosk.call(Api.create_return(_ret(1, order_number=order.number, buyer=rossi.email)))
    # at a till, forged receipt codes count as well
    for _ in range(LIMIT - 1):
        with pytest.raises(errors.InvalidRequest):
            till.call(Api.create_return(_ret(1, receipt_code=_forged(order.receipt_code))))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.create_return(_ret(1, receipt_code=_forged(order.receipt_code))))


@SQLITE_ONLY
def test_a_kiosk_request_never_blocks_the_till_and_lapses_after_two_hours(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    order = _sale_to_rossi(till, sku)
    assert order.receipt_code
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    slip = kiosk.call(Api.create_return(_ret(2, receipt_code=order.receipt_code)))
    assert slip.status == "requested"
    # another kiosk slip for the same items is refused while the first is open ...
    with pytest.raises(errors.Conflict, match="being returned"):
        kiosk.call(Api.create_return(_ret(1, receipt_code=order.receipt_code)))
    # ... but the till's return of the same lines goes through, and supersedes it
    done = till.call(Api.create_return(_ret(2, order_number=order.number)))
    assert done.status == "approved"
    assert till.call(Api.get_return(slip.number)).status == "rejected"
    with pytest.raises(errors.Conflict, match="already"):
        till.call(Api.approve_return(slip.number))

    other = _sale_to_rossi(till, sku)
    assert other.receipt_code
    old = kiosk.call(Api.create_return(_ret(2, receipt_code=other.receipt_code)))
    later = datetime.now(UTC) + timedelta(hours=2, minutes=1)
    set_clock(lambda: later)
    try:
        again = kiosk.call(Api.create_return(_ret(2, receipt_code=other.receipt_code)))
        assert again.status == "requested"  # the lapsed slip no longer holds the items
        assert old.number not in {r.number for r in till.call(Api.returns())}
        with pytest.raises(errors.Conflict) as caught:
            till.call(Api.approve_return(old.number))
        assert caught.value.code == "kiosk_request_expired"
        assert till.call(Api.approve_return(again.number)).status == "approved"
    finally:
        set_clock(None)


# -- a customer on a kiosk basket: only by a card the shopper holds --------------------


@SQLITE_ONLY
def test_a_kiosk_basket_gets_its_customer_only_from_a_card(  # type: ignore[no-untyped-def]
    as_device, till: CommerceClient
) -> None:
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    rossi = till.call(Api.customers("rossi"))[0]
    assert rossi.loyalty_card and rossi.loyalty_code
    with pytest.raises(errors.Forbidden) as refused:
        kiosk.call(Api.create_cart(CartCreate(customer_id=rossi.id)))
    assert refused.value.code == "customer_id_not_allowed"
    cart = kiosk.call(Api.create_cart())
    by_number = kiosk.call(Api.basket_loyalty_card(cart.id, rossi.loyalty_card))
    assert by_number.customer_id == rossi.id and by_number.customer_name != rossi.name
    other = as_device("RM01", "kiosk").call(Api.create_cart())
    with pytest.raises(errors.Forbidden):  # another device's basket
        kiosk.call(Api.basket_loyalty_card(other.id, rossi.loyalty_code))
    with pytest.raises(errors.InvalidRequest):
        kiosk.call(Api.basket_loyalty_card(cart.id, _forged(rossi.loyalty_code)))


# -- per target: many devices, one order -----------------------------------------------


def test_wrong_surnames_at_one_order_from_many_kiosks_lock_that_order(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded, sku: str
) -> None:
    order = as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.pickup_code
    kiosks = [_client(http, t) for t in _devices(seeded.url, DeviceKind.KIOSK, LIMIT + 1)]
    for kiosk in kiosks[:LIMIT - 1]:  # one wrong surname each: no kiosk near its own limit
        with pytest.raises(errors.InvalidRequest) as caught:
            kiosk.call(Api.check_in(CheckIn(order_number=order.number, last_name="Bianchi")))
        assert caught.value.code == "name_mismatch"
    with pytest.raises(errors.TooManyAttempts):  # the wrong one that fills the order's count
        kiosks[LIMIT - 1].call(Api.check_in(CheckIn(order_number=order.number,
                                                    last_name="Bianchi")))
    with pytest.raises(errors.TooManyAttempts) as locked:  # even the right surname waits
        kiosks[LIMIT].call(Api.check_in(CheckIn(order_number=order.number, last_name="Rossi")))
    assert locked.value.code == "target_locked"
    # the signed QR is not guessable: it still works, so a prankster cannot stop a pickup
    assert kiosks[LIMIT].call(Api.check_in(CheckIn(code=order.pickup_code))).number \
        == order.number


@SQLITE_ONLY
def test_wrong_surnames_at_the_collect_step_count_per_order_across_tills(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded, sku: str, till: CommerceClient
) -> None:
    order = as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, 1), key()))
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.total_cents)))
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(order.number, Transition(to=to)))
    tills = [sign_in(_client(http, t), open_till=False)
             for t in _devices(seeded.url, DeviceKind.POS, LIMIT)]
    for other in tills[:-1]:
        with pytest.raises(errors.InvalidRequest):
            other.call(Api.collect(order.number, Collect(last_name="Bianchi")))
    with pytest.raises(errors.TooManyAttempts):
        tills[-1].call(Api.collect(order.number, Collect(last_name="Bianchi")))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.collect(order.number, Collect(last_name="Rossi")))


# -- parallel guesses against a real server --------------------------------------------


def _guess(base: str, token: str, path: str, body: dict[str, object]) -> str:
    with httpx.Client(base_url=base, timeout=60) as client:
        response = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    return str(response.json().get("code", response.status_code))


@pytest.mark.slow
def test_parallel_guesses_never_evaluate_more_than_the_limit(  # type: ignore[no-untyped-def]
    seeded: Seeded, tmp_path: Path
) -> None:
    """Every answer that says 'wrong' was an evaluated guess; the others were refused
    unevaluated. 16 threads at one order from 8 kiosks (the order's count), then 16
    threads from one kiosk at 16 forged receipts (the kiosk's count)."""
    kiosks = _devices(seeded.url, DeviceKind.KIOSK, 9)
    sku = _stocked_sku(seeded.url)
    with running_core(seeded.url, tmp_path, secret=SECRET) as base:
        placed = httpx.post(f"{base}/v1/orders", headers={
            "Authorization": f"Bearer {seeded.tokens['WEB']['web']}",
            "Idempotency-Key": uuid.uuid4().hex}, timeout=60, json={
            "lines": [{"sku": sku, "qty": 1}], "fulfilment": "pickup",
            "pickup_store": "MI01", "channel": "web",
            "contact": {"name": "Giulia Rossi", "email": "giulia.test@example.it"}})
        number = placed.json()["number"]
        with ThreadPoolExecutor(max_workers=16) as pool:
            at_order = Counter(pool.map(
                lambda i: _guess(base, kiosks[i % 8], "/v1/pickups/check-in",
                                 {"order_number": number, "last_name": f"Wrong{i}"}),
                range(16)))
            one_kiosk = Counter(pool.map(
                lambda i: _guess(base, kiosks[8], "/v1/returns", {
                    "receipt_code": f"OT1:R:MI01-{900000 + i:06d}:AAAAAAAAAA",
                    "lines": [{"line_no": 1, "qty": 1}]}),
                range(16)))
    assert at_order["name_mismatch"] <= LIMIT, at_order
    assert set(at_order) <= {"name_mismatch", "device_locked", "target_locked"}, at_order
    assert one_kiosk["invalid_code"] <= LIMIT, one_kiosk
    assert set(one_kiosk) <= {"invalid_code", "device_locked", "target_locked"}, one_kiosk


def _stocked_sku(url: str) -> str:
    db = Database(url)
    try:
        with db.read() as session:
            sku = session.scalars(select(Product.sku).order_by(Product.sku).limit(1)).one()
    finally:
        db.dispose()
    for location in ("MI01", "WH01"):
        set_stock(url, location, sku, 5)
    return sku
