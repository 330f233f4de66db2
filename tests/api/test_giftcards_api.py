"""Issue 11, gift cards: random numbers with a Luhn check digit, a PIN for use
without the card (the web shop), and the lockout on balance look-ups and wrong
PINs, per device and per card. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from core.auth import service as auth
from core.db import Database
from core.giftcards import numbers
from core.payments.service import issue_credit
from core.seed.demo import DEMO_GIFT_CARDS
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.enums import DeviceKind
from shared.schemas.orders import LineIn, OrderCreate, OrderOut, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.api.helpers import key, web_pickup
from tests.support import Seeded

LIMIT = 5  # CoreSettings.lockout_attempts
SQLITE_ONLY = pytest.mark.parametrize("seeded", ["sqlite"], indirect=True)
"""Request rules; the counting itself runs on both databases in the parallel test."""
(FIFTY, (FIFTY_PIN, _)), (TEN, (TEN_PIN, _)) = DEMO_GIFT_CARDS.items()


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def _web_devices(http: TestClient, url: str, n: int) -> list[CommerceClient]:
    db = Database(url)
    try:
        with db.write() as session:
            tokens = [auth.add_device(session, kind=DeviceKind.WEB, name=f"Web shop {i}",
                                      store_code=None) for i in range(n)]
    finally:
        db.dispose()
    return [CommerceClient("http://testserver", t, http=http) for t in tokens]


def _web_order(web: CommerceClient, sku: str) -> OrderOut:
    return web.call(Api.place_order(web_pickup(sku, 1), key()))


def _fail(client: CommerceClient, call) -> tuple[type[errors.CommerceError], str]:  # type: ignore[no-untyped-def]
    try:
        client.call(call)
    except errors.CommerceError as exc:
        return type(exc), exc.code
    raise AssertionError("accepted")


def test_gift_card_numbers_are_random_with_a_luhn_check_digit() -> None:
    assert all(numbers.is_valid(n) for n in DEMO_GIFT_CARDS)
    drawn = {numbers.new_number() for _ in range(500)}
    assert len(drawn) == 500 and all(numbers.is_valid(n) for n in drawn)
    # any single mistyped digit is caught by the check digit
    for i in range(16):
        typo = FIFTY[:i] + str((int(FIFTY[i]) + 3) % 10) + FIFTY[i + 1:]
        assert not numbers.is_valid(typo)


@SQLITE_ONLY
def test_balance_checks_need_the_pin_off_a_till_and_count_when_wrong(  # type: ignore[no-untyped-def]
    as_device, till: CommerceClient
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    assert _fail(web, Api.giftcard_balance(TEN)) == (errors.InvalidRequest, "card_pin_required")
    assert _fail(web, Api.giftcard_balance(TEN, _wrong(TEN_PIN))) == \
        (errors.Unauthorized, "wrong_card_pin")
    unknown = "60" + "1" * 13
    unknown += str(numbers.luhn_check_digit(unknown))
    # an unknown card answers as a wrong PIN does: the web learns nothing of what exists
    assert _fail(web, Api.giftcard_balance(unknown, "123456")) == \
        (errors.Unauthorized, "wrong_card_pin")
    typo = TEN[:-1] + str((int(TEN[-1]) + 1) % 10)
    for _ in range(LIMIT):  # a typo names no card: said as such, never counted
        assert _fail(web, Api.giftcard_balance(typo, TEN_PIN)) == \
            (errors.InvalidRequest, "card_number_typo")
    assert web.call(Api.giftcard_balance(numbers.printed(TEN), TEN_PIN)).balance_cents == 1_000

    # by number alone: a till only, card in hand
    for client in (web, as_device("MI01", "kiosk")):
        with pytest.raises(errors.Forbidden):
            client.call(Api.credit(FIFTY))
    assert till.call(Api.credit(FIFTY)).balance_cents == 5_000
    assert till.call(Api.giftcard_balance(FIFTY)).balance_cents == 5_000
    for n in range(LIMIT - 1):
        with pytest.raises(errors.NotFound):
            till.call(Api.credit(f"SC00000000000{n}"))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.credit("SC000000000009"))
    with pytest.raises(errors.TooManyAttempts):  # codes are locked; the sale goes on
        till.call(Api.credit(FIFTY))


@SQLITE_ONLY
def test_wrong_pins_lock_the_card_whatever_the_device(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, seeded: Seeded
) -> None:
    shops = _web_devices(http, seeded.url, LIMIT)
    for shop in shops[:LIMIT - 1]:  # one guess each: no shop near its own limit
        assert _fail(shop, Api.giftcard_balance(FIFTY, _wrong(FIFTY_PIN)))[0] is \
            errors.Unauthorized
    assert _fail(shops[-1], Api.giftcard_balance(FIFTY, _wrong(FIFTY_PIN)))[0] is \
        errors.TooManyAttempts
    # the right PIN now waits too, from any shop; another card does not
    assert _fail(as_device("WEB", "web"), Api.giftcard_balance(FIFTY, FIFTY_PIN)) == \
        (errors.TooManyAttempts, "target_locked")
    assert as_device("WEB", "web").call(Api.giftcard_balance(TEN, TEN_PIN)).balance_cents \
        == 1_000


def test_parallel_wrong_pins_are_never_checked_beyond_the_limit(  # type: ignore[no-untyped-def]
    http: TestClient, seeded: Seeded
) -> None:
    shops = _web_devices(http, seeded.url, 4)
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = Counter(pool.map(
            lambda i: _fail(shops[i % 4], Api.giftcard_balance(TEN, f"{i:06d}"))[1],
            range(24)))
    assert answers["wrong_card_pin"] <= LIMIT - 1, answers
    assert set(answers) <= {"wrong_card_pin", "device_locked", "target_locked"}, answers


@SQLITE_ONLY
def test_a_web_payment_by_gift_card_needs_its_pin(  # type: ignore[no-untyped-def]
    as_device, seeded: Seeded, sku: str, till: CommerceClient
) -> None:
    web: CommerceClient = as_device("WEB", "web")
    order = _web_order(web, sku)
    part = min(1_000, order.total_cents)

    def pay(**card: str | None) -> OrderOut:
        return web.call(Api.pay(order.number, PaymentIn(amount_cents=part, **card)))  # type: ignore[arg-type]

    with pytest.raises(errors.InvalidRequest, match="PIN"):
        pay(tender="gift_card", card_number=TEN)
    with pytest.raises(errors.Unauthorized):
        pay(tender="gift_card", card_number=TEN, card_pin=_wrong(TEN_PIN))
    with pytest.raises(errors.Unauthorized):  # named as store credit, it still needs the PIN
        pay(tender="store_credit", card_number=TEN)
    paid = pay(tender="gift_card", card_number=TEN, card_pin=TEN_PIN)
    assert [(p.tender, p.amount_cents) for p in paid.payments] == [("gift_card", part)]
    assert web.call(Api.giftcard_balance(TEN, TEN_PIN)).balance_cents == 1_000 - part

    # a card sold before PINs (migration 0011) is spent at a till only
    db = Database(seeded.url)
    try:
        with db.write() as session:
            issue_credit(session, card_number="GC-2026-0001", amount_cents=2_000,
                         reason="gift card sold", reference="before 0011", kind="gift_card")
    finally:
        db.dispose()
    with pytest.raises(errors.Unauthorized):
        web.call(Api.pay(_web_order(web, sku).number, PaymentIn(
            tender="gift_card", amount_cents=500, card_number="GC-2026-0001",
            card_pin="123456")))
    assert till.call(Api.credit("GC-2026-0001")).balance_cents == 2_000


@SQLITE_ONLY
def test_store_credit_on_a_loyalty_card_is_not_spent_online_by_number(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    rossi = till.call(Api.customers("rossi"))[0]
    sale = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)],
                                                 customer_id=rossi.id), key()))
    sale = till.call(Api.pay(sale.number, PaymentIn(tender="card",
                                                    amount_cents=sale.total_cents)))
    ret = till.call(Api.refund_return(till.call(Api.create_return(ReturnCreate(
        order_number=sale.number, refund_to="store_credit",
        lines=[ReturnLineIn(line_no=1, qty=1)]))).number))
    assert ret.credit_card_number == rossi.loyalty_card  # sequential, printed on the card
    web: CommerceClient = as_device("WEB", "web")
    order = _web_order(web, sku)
    with pytest.raises(errors.Forbidden) as refused:
        web.call(Api.pay(order.number, PaymentIn(tender="store_credit", amount_cents=100,
                                                 card_number=rossi.loyalty_card)))
    assert refused.value.code == "credit_in_store_only"
    assert till.call(Api.credit(rossi.loyalty_card)).balance_cents == ret.refund_cents
