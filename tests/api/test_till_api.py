"""The till session through the API, on every database: the float, sales and refunds
by tender, cash in and out, the X and Z reports, and what needs a supervisor."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from core.auth.models import Device
from core.db import Database
from core.orders.models import Order
from core.payments.models import Payment
from core.tills import service as till_service
from core.tills.models import TillSession
from shared import errors
from shared.client import Api, CommerceClient
from shared.money import percent_of
from shared.schemas.orders import CartLineSet, LineIn, OrderCreate, OrderOut, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from shared.schemas.tills import CashMovementIn, TenderTotal, TillClose, TillReport
from tests.api.helpers import key, level, set_stock, sign_in, some_sku

FLOAT = 10_000
"""``sign_in`` opens the drawer with a 100.00 float."""
CASHIER, SUPERVISOR = "Marco Bianchi", "Giulia Verdi"  # MI01's 1111 and 2222


# -- helpers -------------------------------------------------------------------


def _x(client: CommerceClient) -> TillReport:
    return client.call(Api.till_report())


def _by_tender(totals: list[TenderTotal]) -> dict[str, tuple[int, int]]:
    return {t.tender: (t.count, t.amount_cents) for t in totals}


def _close(counted: int, note: str = ""):  # type: ignore[no-untyped-def]
    return Api.close_till(TillClose(counted_cents=counted, note=note))


def _cash_sale(till: CommerceClient, sku: str, qty: int = 1, change: int = 0) -> OrderOut:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=qty)]), key()))
    paid = till.call(Api.pay(order.number, PaymentIn(
        tender="cash", amount_cents=order.due_cents, tendered_cents=order.due_cents + change)))
    assert paid.status == "completed"
    return paid


def _card_sale(till: CommerceClient, sku: str, qty: int = 1) -> OrderOut:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=qty)]), key()))
    paid = till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.due_cents,
                                                     card_token="approve")))
    assert paid.status == "completed"
    return paid


def _return_approved(till: CommerceClient, supervisor: CommerceClient, number: str) -> str:
    """Take a return of line 1 (one unit); approved by the cashier or, when its value
    needs one, by the supervisor."""
    ret = till.call(Api.create_return(ReturnCreate(
        order_number=number, lines=[ReturnLineIn(line_no=1, qty=1, reason="size")])))
    if ret.status == "requested":
        ret = supervisor.call(Api.approve_return(ret.number))
    assert ret.status == "approved"
    return ret.number


def _raw(client: CommerceClient, method: str, path: str, json: Any = None,
         **headers: str) -> httpx.Response:
    """The plain HTTP answer (status, content type) of a call the client would refuse
    to build or would turn into an exception."""
    sent = {"Authorization": f"Bearer {client.device_token}", **headers}
    if client.staff_token:
        sent["X-Staff-Token"] = client.staff_token
    return client.http.request(method, path, json=json, headers=sent)


def _scalar(url: str, stmt: Any) -> Any:
    db = Database(url)
    try:
        with db.read() as session:
            return session.scalar(stmt)
    finally:
        db.dispose()


def _orders_at(url: str, store: str) -> int:
    return _scalar(url, select(func.count()).select_from(Order).where(Order.store_code == store))


def _approved_cash_at(url: str, store: str) -> int:
    return _scalar(url, select(func.count()).select_from(Payment).join(
        Order, Order.id == Payment.order_id).where(
        Order.store_code == store, Payment.tender == "cash", Payment.status == "approved"))


def _device_id(url: str, name: str) -> int:
    return _scalar(url, select(Device.id).where(Device.name == name))


def _sessions_of(url: str, device_id: int, status: str | None = None) -> int:
    stmt = select(func.count()).select_from(TillSession).where(
        TillSession.device_id == device_id)
    if status:
        stmt = stmt.where(TillSession.status == status)
    return _scalar(url, stmt)


# -- 1. opening --------------------------------------------------------------------


def test_open_shows_the_float_and_a_second_open_is_refused(  # type: ignore[no-untyped-def]
    as_device, till: CommerceClient
) -> None:
    x = _x(till)
    assert x.kind == "X" and x.store == "MI01" and x.till == "MI01 pos"
    assert x.float_cents == x.expected_cash_cents == FLOAT
    assert x.opened_by == till.call(Api.whoami()).staff.name == CASHIER
    assert x.closed_at is None and x.closed_by is None and x.approved_by is None
    assert x.counted_cents is None and x.variance_cents is None
    assert x.sales == [] and x.refunds == [] and x.sales_cents == x.refunds_cents == 0
    assert x.cash_in_cents == x.cash_out_cents == 0
    assert x.needs_supervisor_over_cents == 500

    with pytest.raises(errors.Conflict) as caught:
        till.call(Api.open_till(5_000))
    assert caught.value.status == 409 and caught.value.code == "till_open"
    assert "already open" in str(caught.value)
    again = _x(till)
    assert again.session_id == x.session_id and again.float_cents == FLOAT  # float unchanged

    rome = sign_in(as_device("RM01", "pos"), "4111", open_till=False)
    response = _raw(rome, "POST", "/v1/till/open", {"float_cents": 7_550})
    assert response.status_code == 201
    opened = TillReport.model_validate(response.json())
    assert opened.kind == "X" and opened.float_cents == opened.expected_cash_cents == 7_550
    assert opened.opened_by == "Sara Conti" and opened.store == "RM01"
    assert opened.session_id != x.session_id
    negative = _raw(rome, "POST", "/v1/till/open", {"float_cents": -1})
    assert negative.status_code == 422


# -- 2. sales and refunds by tender -------------------------------------------------


def test_a_cash_sale_adds_the_sale_not_the_banknote(sku: str, till: CommerceClient) -> None:
    sale = _cash_sale(till, sku, change=1_000)
    assert sale.change_cents == 1_000
    x = _x(till)
    assert x.expected_cash_cents == FLOAT + sale.total_cents
    assert _by_tender(x.sales) == {"cash": (1, sale.total_cents)}
    assert x.sales_cents == sale.total_cents and x.refunds == []

    # Paid in one go with a 500.00 note and an amount above what is due: the
    # drawer keeps the total, the rest is change.
    second = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)],
        payments=[PaymentIn(tender="cash", amount_cents=50_000, tendered_cents=50_000)]), key()))
    assert second.status == "completed"
    assert second.change_cents == 50_000 - second.total_cents
    x = _x(till)
    assert x.expected_cash_cents == FLOAT + sale.total_cents + second.total_cents
    assert _by_tender(x.sales) == {"cash": (2, sale.total_cents + second.total_cents)}


def test_a_card_sale_is_reported_but_leaves_the_drawer_alone(
    sku: str, till: CommerceClient
) -> None:
    sale = _card_sale(till, sku)
    declined = till.call(Api.place_order(OrderCreate(
        lines=[LineIn(sku=sku, qty=1)],
        payments=[PaymentIn(tender="card", amount_cents=1, card_token="decline")]), key()))
    assert declined.payments[0].status == "declined"
    x = _x(till)
    assert _by_tender(x.sales) == {"card": (1, sale.total_cents)}  # the declined one is not
    assert x.sales_cents == sale.total_cents
    assert x.expected_cash_cents == FLOAT


def test_a_split_sale_counts_each_tender_once(sku: str, till: CommerceClient) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=2)]), key()))
    card_part = order.total_cents // 3
    till.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=card_part)))
    paid = till.call(Api.pay(order.number, PaymentIn(
        tender="cash", amount_cents=order.total_cents - card_part,
        tendered_cents=order.total_cents - card_part + 330)))
    assert paid.status == "completed" and paid.change_cents == 330
    x = _x(till)
    cash_part = order.total_cents - card_part
    assert _by_tender(x.sales) == {"card": (1, card_part), "cash": (1, cash_part)}
    assert x.sales_cents == order.total_cents
    assert x.expected_cash_cents == FLOAT + cash_part


def test_a_cash_refund_takes_cash_out_of_the_drawer(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    sale = _cash_sale(till, sku, change=200)
    number = _return_approved(till, supervisor, sale.number)
    done = till.call(Api.refund_return(number))
    assert done.status == "refunded" and done.refund_cents == sale.total_cents
    x = _x(till)
    assert _by_tender(x.refunds) == {"cash": (1, done.refund_cents)}
    assert x.refunds_cents == done.refund_cents
    assert _by_tender(x.sales) == {"cash": (1, sale.total_cents)}  # the sale still shows
    assert x.expected_cash_cents == FLOAT + sale.total_cents - done.refund_cents == FLOAT
    assert level(seeded.url, "MI01", sku) == (5, 0)


def test_a_card_refund_is_reported_but_leaves_the_drawer_alone(  # type: ignore[no-untyped-def]
    sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    sale = _card_sale(till, sku)
    done = till.call(Api.refund_return(_return_approved(till, supervisor, sale.number)))
    x = _x(till)
    assert _by_tender(x.refunds) == {"card": (1, done.refund_cents)}
    assert x.expected_cash_cents == FLOAT


# -- 3. cash in and out ----------------------------------------------------------


def test_cash_in_and_out_move_the_expected_cash(till: CommerceClient) -> None:
    x = till.call(Api.cash_movement(CashMovementIn(kind="in", amount_cents=2_000,
                                                   reason="coins from the bank")))
    assert x.cash_in_cents == 2_000 and x.expected_cash_cents == FLOAT + 2_000
    x = till.call(Api.cash_movement(CashMovementIn(kind="out", amount_cents=5_000,
                                                   reason="safe drop")))
    assert x.cash_in_cents == 2_000 and x.cash_out_cents == 5_000
    assert x.expected_cash_cents == FLOAT + 2_000 - 5_000
    assert x.sales == [] and x.refunds == []  # movements are not sales
    assert _x(till).expected_cash_cents == FLOAT - 3_000

    with pytest.raises(errors.Conflict) as caught:
        till.call(Api.cash_movement(CashMovementIn(kind="out", amount_cents=FLOAT - 3_000 + 1,
                                                   reason="safe drop")))
    assert caught.value.code == "not_enough_cash" and "drawer" in str(caught.value)
    assert _x(till).cash_out_cents == 5_000  # nothing was written

    emptied = till.call(Api.cash_movement(CashMovementIn(kind="out", amount_cents=FLOAT - 3_000,
                                                         reason="end of day drop")))
    assert emptied.expected_cash_cents == 0 and emptied.cash_out_cents == FLOAT + 2_000


@pytest.mark.parametrize("body", [
    {"kind": "out", "amount_cents": 100, "reason": "   "},
    {"kind": "out", "amount_cents": 100, "reason": ""},
    {"kind": "out", "amount_cents": 0, "reason": "safe drop"},
    {"kind": "sideways", "amount_cents": 100, "reason": "safe drop"},
])
def test_a_movement_needs_a_reason_an_amount_and_a_direction(
    till: CommerceClient, body: dict[str, Any]
) -> None:
    response = _raw(till, "POST", "/v1/till/movements", body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "invalid_input" and problem["detail"]
    assert _x(till).expected_cash_cents == FLOAT


# -- 4. no cash without an open drawer ------------------------------------------


def test_cash_without_an_open_drawer_is_refused_and_nothing_is_half_written(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str
) -> None:
    rome = sign_in(as_device("RM01", "pos"), "4111", open_till=False)
    orders_before = _orders_at(seeded.url, "RM01")
    cash_before = _approved_cash_at(seeded.url, "RM01")

    with pytest.raises(errors.Conflict) as caught:
        rome.call(Api.place_order(OrderCreate(
            lines=[LineIn(sku=sku, qty=1)],
            payments=[PaymentIn(tender="cash", amount_cents=50_000, tendered_cents=50_000)]),
            key()))
    assert caught.value.status == 409 and caught.value.code == "till_closed"
    assert "open it" in str(caught.value)
    # The order, its stock and the payment went back together.
    assert _orders_at(seeded.url, "RM01") == orders_before
    assert _approved_cash_at(seeded.url, "RM01") == cash_before
    assert level(seeded.url, "RM01", sku) == (5, 0)

    order = rome.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    assert level(seeded.url, "RM01", sku) == (5, 1)
    with pytest.raises(errors.Conflict) as caught:
        rome.call(Api.pay(order.number, PaymentIn(tender="cash", amount_cents=order.due_cents)))
    assert caught.value.code == "till_closed"
    unpaid = rome.call(Api.order(order.number))
    assert unpaid.status == "pending_payment" and unpaid.payments == []
    assert unpaid.due_cents == unpaid.total_cents
    assert _approved_cash_at(seeded.url, "RM01") == cash_before
    assert level(seeded.url, "RM01", sku) == (5, 1)  # held, not sold

    # Other tenders need no drawer (and there is no session to record them in).
    paid = rome.call(Api.pay(order.number, PaymentIn(tender="card", amount_cents=order.due_cents,
                                                     card_token="approve")))
    assert paid.status == "completed" and level(seeded.url, "RM01", sku) == (4, 0)
    for call in (Api.till_report(), _close(0),
                 Api.cash_movement(CashMovementIn(kind="in", amount_cents=100, reason="x"))):
        with pytest.raises(errors.Conflict) as caught:
            rome.call(call)
        assert caught.value.code == "till_closed"
    opened = rome.call(Api.open_till(5_000))
    assert opened.sales == [] and opened.expected_cash_cents == 5_000


def test_a_cash_refund_needs_the_drawer_open_too(  # type: ignore[no-untyped-def]
    seeded, sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    sale = _cash_sale(till, sku)
    number = _return_approved(till, supervisor, sale.number)
    till.call(_close(FLOAT + sale.total_cents))
    with pytest.raises(errors.Conflict) as caught:
        till.call(Api.refund_return(number))
    assert caught.value.code == "till_closed"
    assert till.call(Api.get_return(number)).status == "approved"
    assert till.call(Api.order(sale.number)).payments[0].refunded_cents == 0
    assert level(seeded.url, "MI01", sku) == (4, 0)  # not restocked either


# -- 5. closing: the Z report ------------------------------------------------------


def test_closing_with_the_exact_count_gives_the_z_report(  # type: ignore[no-untyped-def]
    as_device, sku: str, till: CommerceClient
) -> None:
    cash = _cash_sale(till, sku, change=500)
    card = _card_sale(till, sku)
    till.call(Api.cash_movement(CashMovementIn(kind="out", amount_cents=2_000,
                                               reason="safe drop")))
    expected = FLOAT + cash.total_cents - 2_000
    assert _x(till).expected_cash_cents == expected

    z = till.call(_close(expected, note="  all good  "))
    assert z.kind == "Z" and z.variance_cents == 0
    assert z.counted_cents == z.expected_cash_cents == expected
    assert z.closed_by == CASHIER and z.closed_at is not None and z.approved_by is None
    assert z.opened_by == CASHIER and z.float_cents == FLOAT
    assert _by_tender(z.sales) == {"cash": (1, cash.total_cents), "card": (1, card.total_cents)}
    assert z.cash_out_cents == 2_000

    for call in (Api.till_report(), _close(expected)):
        with pytest.raises(errors.Conflict) as caught:
            till.call(call)
        assert caught.value.code == "till_closed"
    with pytest.raises(errors.Conflict) as caught:  # a sale in cash now needs a new float
        _cash_sale(till, sku)
    assert caught.value.code == "till_closed"

    stored = till.call(Api.till_session(z.session_id))
    assert stored.model_dump(exclude={"opened_at", "closed_at"}) == \
        z.model_dump(exclude={"opened_at", "closed_at"})
    assert stored.closed_at is not None

    rome = sign_in(as_device("RM01", "pos"), "4111", open_till=False)
    with pytest.raises(errors.NotFound) as caught:
        rome.call(Api.till_session(z.session_id))
    assert caught.value.code == "till_session_not_found"
    with pytest.raises(errors.NotFound):
        till.call(Api.till_session(z.session_id + 10_000))

    reopened = till.call(Api.open_till(FLOAT))
    assert reopened.session_id != z.session_id and reopened.kind == "X"
    assert reopened.sales == [] and reopened.expected_cash_cents == FLOAT
    assert till.call(Api.till_session(z.session_id)).kind == "Z"  # the past stays as it was


# -- 6. variances and the supervisor -----------------------------------------------


def test_a_variance_over_the_limit_needs_a_supervisor(
    till: CommerceClient, supervisor: CommerceClient
) -> None:
    short = FLOAT - 501
    with pytest.raises(errors.Conflict) as caught:
        till.call(_close(short))
    assert caught.value.code == "variance_needs_supervisor"
    assert "supervisor" in str(caught.value) and "-5.01" in str(caught.value)
    assert caught.value.context == {"variance_cents": -501, "expected_cents": FLOAT}
    assert _x(till).kind == "X"  # still open

    # The cashier's own sign-in is no approval.
    with pytest.raises(errors.Conflict) as caught:
        till.call(_close(short).approved_by(till.staff_token or ""))
    assert caught.value.code == "variance_needs_supervisor"
    assert _x(till).kind == "X"

    z = till.call(_close(short, note="a coin rolled away").approved_by(
        supervisor.staff_token or ""))
    assert z.kind == "Z" and z.variance_cents == -501 and z.counted_cents == short
    assert z.approved_by == SUPERVISOR and z.closed_by == CASHIER


def test_a_variance_within_the_limit_closes_without_approval(till: CommerceClient) -> None:
    z = till.call(_close(FLOAT + 500))
    assert z.kind == "Z" and z.variance_cents == 500 and z.approved_by is None


def test_a_signed_in_supervisor_approves_their_own_close(supervisor: CommerceClient) -> None:
    z = supervisor.call(_close(FLOAT + 2_000))
    assert z.variance_cents == 2_000
    assert z.closed_by == z.approved_by == SUPERVISOR


def test_an_approver_must_sign_in_on_this_till(  # type: ignore[no-untyped-def]
    as_device, till: CommerceClient
) -> None:
    other_till = sign_in(as_device("RM01", "pos"), "4222", open_till=False)  # RM01 supervisor
    with pytest.raises(errors.Forbidden) as caught:
        till.call(_close(FLOAT + 1_000).approved_by(other_till.staff_token or ""))
    assert caught.value.status == 403 and caught.value.code == "wrong_device"
    with pytest.raises(errors.Unauthorized) as caught:
        till.call(_close(FLOAT + 1_000).approved_by("not-a-sign-in"))
    assert caught.value.status == 401 and caught.value.code == "invalid_staff_token"
    assert _x(till).kind == "X"


# -- 7. two windows opening the same drawer ------------------------------------------


def test_twenty_simultaneous_opens_open_one_drawer(  # type: ignore[no-untyped-def]
    as_device, http, tokens, seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sign_in(as_device("RM01", "pos"), "4111", open_till=False)
    device_id = _device_id(seeded.url, "RM01 pos")
    assert _sessions_of(seeded.url, device_id) == 0

    # Hold every request that found the drawer closed for a moment, so that on
    # PostgreSQL the others get past the same check and only the unique index can
    # stop a second drawer. (SQLite's BEGIN IMMEDIATE queues the writers instead.)
    real = till_service.open_session_of
    found_closed: list[int] = []
    guard = threading.Lock()

    def slow_open_session_of(*args: Any, **kwargs: Any) -> TillSession | None:
        found = real(*args, **kwargs)
        if found is None:
            with guard:
                found_closed.append(1)
            time.sleep(0.2)
        return found

    monkeypatch.setattr(till_service, "open_session_of", slow_open_session_of)
    workers = 20
    start = threading.Barrier(workers)

    def open_once(_: int) -> tuple[int, str]:
        client = CommerceClient("http://testserver", tokens["RM01"]["pos"], http=http)
        client.staff_token = first.staff_token
        start.wait()
        response = _raw(client, "POST", "/v1/till/open", {"float_cents": 10_000})
        return response.status_code, response.json().get("code", "")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(open_once, range(workers)))
    monkeypatch.undo()

    assert sorted(status for status, _ in results) == [201] + [409] * (workers - 1)
    assert {code for status, code in results if status == 409} == {"till_open"}
    assert _sessions_of(seeded.url, device_id, "open") == 1
    assert _sessions_of(seeded.url, device_id) == 1  # the losers left nothing behind
    if seeded.url.startswith("postgresql"):
        assert len(found_closed) > 1, "the requests did not overlap"
    else:
        assert len(found_closed) == 1
    assert first.call(Api.till_report()).float_cents == 10_000


def test_the_database_allows_one_open_session_per_till(seeded) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import IntegrityError

    device_id = _device_id(seeded.url, "RM01 pos")
    staff_id = 1
    db = Database(seeded.url)
    try:
        with db.write() as session:  # closed sessions do not count
            for status in ("closed", "closed", "open"):
                session.add(TillSession(device_id=device_id, store_code="RM01", status=status,
                                        float_cents=0, opened_by=staff_id))
        with pytest.raises(IntegrityError), db.write() as session:
            session.add(TillSession(device_id=device_id, store_code="RM01", status="open",
                                    float_cents=0, opened_by=staff_id))
    finally:
        db.dispose()
    assert _sessions_of(seeded.url, device_id, "open") == 1


def _another_window(till: CommerceClient, http: httpx.Client, token: str) -> CommerceClient:
    """A second client on the same till and sign-in, for requests from another thread."""
    client = CommerceClient("http://testserver", token, http=http)
    client.staff_token = till.staff_token
    return client


def test_two_cash_drops_at_once_cannot_take_more_than_the_drawer_holds(  # type: ignore[no-untyped-def]
    http, tokens, seeded, till: CommerceClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two windows of one till each take 60 € of a 100 € drawer at the same moment.
    The first to read the drawer holds on until the second request is in flight
    (on PostgreSQL: until it has reached the till's row lock; SQLite queues it
    at BEGIN IMMEDIATE), so the two really overlap, and only one drop is taken."""
    real_expected, real_current = till_service.expected_cash, till_service.current
    in_flight = threading.Semaphore(0)
    at_the_lock = threading.Semaphore(0)
    reads: list[int] = []

    def current(*args: Any, **kwargs: Any) -> TillSession:
        at_the_lock.release()
        return real_current(*args, **kwargs)

    def expected_cash(*args: Any, **kwargs: Any) -> int:
        value = real_expected(*args, **kwargs)
        reads.append(value)
        if len(reads) == 1:  # the first to read waits for the other drop
            assert in_flight.acquire(timeout=10), "the second drop was never sent"
            if seeded.url.startswith("postgresql"):
                assert at_the_lock.acquire(timeout=10) and at_the_lock.acquire(timeout=10), \
                    "the second drop never reached the till's lock"
        return value

    monkeypatch.setattr(till_service, "expected_cash", expected_cash)
    monkeypatch.setattr(till_service, "current", current)
    start = threading.Barrier(2)
    sent: list[int] = []

    def drop(_: int) -> str:
        window = _another_window(till, http, tokens["MI01"]["pos"])
        start.wait()
        sent.append(1)
        if len(sent) == 2:
            in_flight.release(2)  # both requests are on their way
        try:
            window.call(Api.cash_movement(CashMovementIn(kind="out", amount_cents=6_000,
                                                         reason="safe drop")))
        except errors.Conflict as exc:
            return exc.code
        return "done"

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = sorted(pool.map(drop, range(2)))
    monkeypatch.undo()
    assert results == ["done", "not_enough_cash"]
    # the second drop read the drawer only after the first had taken its 60 €
    assert reads[0] == FLOAT and set(reads[1:]) == {FLOAT - 6_000}
    x = _x(till)
    assert x.cash_out_cents == 6_000 and x.expected_cash_cents == FLOAT - 6_000


def test_a_cash_sale_during_the_close_lands_in_the_z(  # type: ignore[no-untyped-def]
    http, tokens, sku: str, till: CommerceClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=sku, qty=1)]), key()))
    real = till_service.shared_open_session_id
    holding = {"sale": True}
    sale_found_the_till = threading.Event()

    def slow_open_session_of(*args: Any, **kwargs: Any) -> int | None:
        found = real(*args, **kwargs)
        if holding["sale"] and found is not None:  # the first caller is the sale
            holding["sale"] = False
            sale_found_the_till.set()
            time.sleep(0.5)
        return found

    monkeypatch.setattr(till_service, "shared_open_session_id", slow_open_session_of)

    def sell() -> OrderOut:
        return _another_window(till, http, tokens["MI01"]["pos"]).call(Api.pay(
            order.number, PaymentIn(tender="cash", amount_cents=order.due_cents)))

    with ThreadPoolExecutor(max_workers=1) as pool:
        sale = pool.submit(sell)
        assert sale_found_the_till.wait(10)
        z = till.call(_close(FLOAT + order.total_cents))  # the cashier counts the drawer
        assert sale.result().status == "completed"
    monkeypatch.undo()

    z = till.call(Api.till_session(z.session_id))
    assert _by_tender(z.sales) == {"cash": (1, order.total_cents)}
    assert z.expected_cash_cents == FLOAT + order.total_cents and z.variance_cents == 0


# -- 8. discounts ------------------------------------------------------------------


def test_more_than_20_percent_off_needs_a_supervisor(
    sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    cart = till.call(Api.create_cart())
    quarter_off = Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_percent=25))
    with pytest.raises(errors.Forbidden) as caught:
        till.call(quarter_off)
    assert caught.value.code == "role_required" and "supervisor" in str(caught.value)
    assert till.call(Api.cart(cart.id)).lines == []
    with pytest.raises(errors.Forbidden):  # a cashier cannot countersign for themself
        till.call(quarter_off.approved_by(till.staff_token or ""))

    done = till.call(quarter_off.approved_by(supervisor.staff_token or ""))
    line = done.lines[0]
    price = line.unit_price_cents
    assert line.discount_cents == percent_of(price, 2_500) > 0
    assert line.total_cents == price - line.discount_cents

    # The approval was for that request only.
    with pytest.raises(errors.Forbidden):
        till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_percent=30)))
    # An amount is weighed like a percentage.
    one_cent_over = price * 20 // 100 + 1
    with pytest.raises(errors.Forbidden) as caught:
        till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1,
                                                         discount_cents=one_cent_over)))
    assert caught.value.code == "role_required"
    amount = till.call(Api.set_cart_line(cart.id, CartLineSet(
        sku=sku, qty=1, discount_cents=one_cent_over)).approved_by(supervisor.staff_token or ""))
    assert amount.lines[0].discount_cents == one_cent_over
    # Up to the limit the cashier needs nobody.
    fifth = till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_percent=20)))
    assert fifth.lines[0].discount_cents == percent_of(price, 2_000)
    exact = till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1,
                                                             discount_cents=price * 20 // 100)))
    assert exact.lines[0].discount_cents == price * 20 // 100


def test_direct_order_lines_follow_the_same_discount_rule(
    sku: str, till: CommerceClient, supervisor: CommerceClient
) -> None:
    body = OrderCreate(lines=[LineIn(sku=sku, qty=2, discount_percent=25)])
    with pytest.raises(errors.Forbidden) as caught:
        till.call(Api.place_order(body, key()))
    assert caught.value.code == "role_required"
    order = till.call(Api.place_order(body, key()).approved_by(supervisor.staff_token or ""))
    assert order.discount_cents == percent_of(order.subtotal_cents, 2_500) > 0
    assert order.total_cents == order.subtotal_cents - order.discount_cents

    gross = order.subtotal_cents
    with pytest.raises(errors.Forbidden):
        till.call(Api.place_order(OrderCreate(lines=[LineIn(
            sku=sku, qty=2, discount_cents=gross * 20 // 100 + 1)]), key()))
    fine = till.call(Api.place_order(OrderCreate(lines=[LineIn(
        sku=sku, qty=2, discount_percent=20)]), key()))
    assert fine.discount_cents == percent_of(gross, 2_000)


# -- 9. only a till has a drawer ---------------------------------------------------


def test_only_a_signed_in_till_has_a_drawer(as_device) -> None:  # type: ignore[no-untyped-def]
    calls = [Api.till_report(), Api.open_till(1_000), _close(0), Api.till_session(1),
             Api.cash_movement(CashMovementIn(kind="in", amount_cents=100, reason="change"))]
    for device in (as_device("MI01", "kiosk"), as_device("WEB", "web")):
        for call in calls:
            with pytest.raises(errors.Forbidden) as caught:
                device.call(call)
            assert caught.value.status == 403 and caught.value.code == "till_only"
    not_signed_in = as_device("MI01", "pos")
    for call in calls:
        with pytest.raises(errors.Unauthorized) as caught:
            not_signed_in.call(call)
        assert caught.value.code == "staff_required"


def test_twenty_percent_of_an_odd_price_needs_no_supervisor(  # type: ignore[no-untyped-def]
    seeded, till: CommerceClient
) -> None:
    """20 % of 19.99 rounds to 4.00, a hair over a fifth: still within the limit."""
    from core.catalog.models import Product

    sku = some_sku(till, 7)
    db = Database(seeded.url)
    try:
        with db.write() as session:
            session.get(Product, sku).price_cents = 1_999  # type: ignore[union-attr]
    finally:
        db.dispose()
    set_stock(seeded.url, "MI01", sku, 5)
    cart = till.call(Api.create_cart())
    cart = till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_percent=20)))
    assert cart.lines[0].discount_cents == 400
    with pytest.raises(errors.Forbidden):
        till.call(Api.set_cart_line(cart.id, CartLineSet(sku=sku, qty=1, discount_cents=401)))
