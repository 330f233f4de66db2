"""A locked till (issue 14): only the failing capability is locked, and a supervisor
unlocks it on the spot with their PIN, recorded in the event log. On every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.timeutil import set_clock
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.orders import CheckIn, Collect, Transition
from tests.api.helpers import key, sign_in, web_pickup

SUPERVISOR, ADMIN = "Giulia Verdi", "Anna Moretti"  # MI01's 2222 and the chain's 9999


def _lock_pins(till: CommerceClient) -> None:
    for _ in range(4):
        with pytest.raises(errors.Unauthorized):
            till.call(Api.staff_sign_in("0000"))
    with pytest.raises(errors.TooManyAttempts) as caught:
        till.call(Api.staff_sign_in("0000"))
    assert caught.value.code == "device_locked" and caught.value.context["lock"] == "pin"


def _forged(code: str) -> str:
    return code[:-2] + ("AA" if not code.endswith("AA") else "BB")


def _lock_codes(client: CommerceClient, pickup_code: str) -> None:
    for _ in range(4):
        with pytest.raises(errors.InvalidRequest):
            client.call(Api.scan(_forged(pickup_code)))
    with pytest.raises(errors.TooManyAttempts) as caught:
        client.call(Api.scan(_forged(pickup_code)))
    assert caught.value.context["lock"] == "codes"


def _unlock_events(client: CommerceClient) -> list[dict[str, object]]:
    return [e.payload for e in client.call(Api.events(types="device.unlocked"))]


def test_wrong_pins_lock_sign_in_but_never_product_scans(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    _lock_pins(till)
    with pytest.raises(errors.TooManyAttempts, match="supervisor"):
        till.call(Api.staff_sign_in("1111"))  # even the right PIN waits
    assert till.call(Api.scan(f"OT1:P:{sku}")).reference == sku
    gtin = till.call(Api.product(sku)).gtin
    assert gtin and till.call(Api.scan(gtin)).reference == sku


def test_wrong_pickup_codes_lock_codes_but_never_products_or_sign_in(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    kiosk: CommerceClient = as_device("MI01", "kiosk")
    order = kiosk.call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.pickup_code
    _lock_codes(till, order.pickup_code)

    assert till.call(Api.scan(f"OT1:P:{sku}")).reference == sku
    sign_in(as_device("MI01", "pos"), "1111")  # sign-in is another lock
    for call in (Api.scan(order.pickup_code), Api.check_in(CheckIn(code=order.pickup_code)),
                 Api.collect(order.number, Collect(code=order.pickup_code))):
        with pytest.raises(errors.TooManyAttempts):
            till.call(call)
    # the kiosk, another device, is not locked by this till's guesses
    assert kiosk.call(Api.scan(order.pickup_code)).reference == order.number


def test_wrong_pickup_codes_at_the_hand_over_count_too(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    order = as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, 1), key()))
    till.call(Api.pay(order.number, _card(order.total_cents)))
    for to in ("picking", "ready_for_pickup"):
        till.call(Api.transition(order.number, Transition(to=to)))
    assert order.pickup_code
    for _ in range(4):
        with pytest.raises(errors.InvalidRequest):
            till.call(Api.collect(order.number, Collect(code=_forged(order.pickup_code))))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.collect(order.number, Collect(code=_forged(order.pickup_code))))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.collect(order.number, Collect(code=order.pickup_code)))
    assert till.call(Api.scan(f"OT1:P:{sku}")).reference == sku


def _card(cents: int):  # type: ignore[no-untyped-def]
    from shared.schemas.orders import PaymentIn

    return PaymentIn(tender="card", amount_cents=cents)


def test_a_supervisor_unlocks_the_till_on_the_spot(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    _lock_pins(till)
    with pytest.raises(errors.Forbidden, match="supervisor") as caught:
        till.call(Api.unlock("1111"))  # a cashier cannot
    assert caught.value.code == "role_required"
    with pytest.raises(errors.Unauthorized):
        till.call(Api.unlock("0000"))
    done = till.call(Api.unlock("2222"))
    assert done.unlocked == ["pin"] and done.by.name == SUPERVISOR
    assert done.device.store_code == "MI01"
    assert sign_in(till, "1111", open_till=False).staff_token

    [event] = _unlock_events(till)
    assert event["staff"] == SUPERVISOR and event["role"] == "supervisor"
    assert event["device_id"] == done.device.id and event["locks"] == ["pin"]
    assert event["at"]


def test_the_admin_unlocks_both_locks(as_device, sku: str) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    order = as_device("MI01", "kiosk").call(Api.place_order(web_pickup(sku, 1), key()))
    assert order.pickup_code
    _lock_codes(till, order.pickup_code)
    _lock_pins(till)
    done = till.call(Api.unlock("9999"))
    assert sorted(done.unlocked) == ["codes", "pin"] and done.by.name == ADMIN
    assert till.call(Api.scan(order.pickup_code)).reference == order.number


def test_the_unlock_still_bounds_guessing(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    _lock_pins(till)
    for _ in range(4):
        with pytest.raises(errors.Unauthorized):
            till.call(Api.unlock("0001"))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.unlock("0002"))
    with pytest.raises(errors.TooManyAttempts):  # now even the right PIN waits for the lock
        till.call(Api.unlock("2222"))
    with pytest.raises(errors.TooManyAttempts):
        till.call(Api.staff_sign_in("1111"))
    later = datetime.now(UTC) + timedelta(minutes=16)
    set_clock(lambda: later)
    try:
        with pytest.raises(errors.Unauthorized):  # a fresh count after the lock ran out
            till.call(Api.staff_sign_in("0000"))
        assert sign_in(till, "1111", open_till=False).staff_token
    finally:
        set_clock(None)
    assert _unlock_events(till) == []


def test_an_unlock_of_an_unlocked_till_changes_nothing(as_device) -> None:  # type: ignore[no-untyped-def]
    till: CommerceClient = as_device("MI01", "pos")
    done = till.call(Api.unlock("2222"))
    assert done.unlocked == []
    assert _unlock_events(till) == []
    with pytest.raises(errors.Forbidden):
        as_device("MI01", "kiosk").call(Api.unlock("2222"))
    short = till.http.post("/v1/auth/unlock", json={"pin": "12"},
                           headers={"Authorization": f"Bearer {till.device_token}"})
    assert short.status_code == 422
    assert short.headers["content-type"].startswith("application/problem+json")
    with pytest.raises(errors.Unauthorized):  # a supervisor of another store
        as_device("RM01", "pos").call(Api.unlock("2222"))
