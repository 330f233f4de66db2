"""Closing a till while its sales run (issue 17): sales at one till no longer hold
its session row exclusively, so the close must still be exact. Every cash sale
is either in the closed session's Z report or refused as ``till_closed``, and the
Z totals are the sum of the session's entries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from core.db import Database
from core.orders.models import Order
from core.tills.models import TillEntry, TillSession
from shared import errors
from shared.client import Api
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from shared.schemas.tills import TillClose
from tests.api.helpers import key, set_stock, sign_in
from tests.support import wait_for

THREADS = 6
DEADLINE = 30.0


def test_a_close_while_sales_run_loses_no_sale(  # type: ignore[no-untyped-def]
    as_device, seeded, sku: str
) -> None:
    set_stock(seeded.url, "MI01", sku, 100_000)
    cashier = sign_in(as_device("MI01", "pos"))
    supervisor = sign_in(as_device("MI01", "pos"), "2222")
    stop = threading.Event()
    sold: list[tuple[str, int]] = []
    refused: list[str] = []
    guard = threading.Lock()

    def sell(_: int) -> None:
        till = as_device("MI01", "pos")
        till.staff_token = cashier.staff_token
        while not stop.is_set():
            body = OrderCreate(lines=[LineIn(sku=sku, qty=1)],
                               payments=[PaymentIn(tender="cash", amount_cents=10**6)])
            try:
                order = till.call(Api.place_order(body, key()))
            except errors.Conflict as exc:
                with guard:
                    refused.append(exc.code)
                continue
            assert order.status == "completed"
            with guard:
                sold.append((order.number, order.total_cents))

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        running = [pool.submit(sell, i) for i in range(THREADS)]
        wait_for(lambda: len(sold) >= 2 * THREADS, "sales", DEADLINE, step=0.01)
        closed = supervisor.call(Api.close_till(TillClose(counted_cents=0)))
        wait_for(lambda: len(refused) >= THREADS, "refused sale after the close", DEADLINE,
                 step=0.01)
        stop.set()
        for future in running:
            future.result()

    assert set(refused) == {"till_closed"}
    db = Database(seeded.url)
    try:
        with db.read() as session:
            till = session.get(TillSession, closed.session_id)
            assert till is not None and till.status == "closed"
            entries = list(session.scalars(select(TillEntry).where(
                TillEntry.session_id == till.id, TillEntry.kind == "sale")))
            in_session = {e.reference: e.amount_cents for e in entries}
            # Refused sales left no order behind: the sale and its entry are one commit.
            orders = set(session.scalars(select(Order.number).where(
                Order.number.in_([n for n, _ in sold] + list(in_session)))))
    finally:
        db.dispose()
    assert in_session == dict(sold), "every completed sale is in the closed session, once"
    assert orders == set(in_session)
    z = cashier.call(Api.till_session(closed.session_id))
    assert z.kind == "Z"
    assert z.sales_cents == sum(total for _, total in sold)
    assert z.expected_cash_cents == z.float_cents + sum(in_session.values())
    assert z.counted_cents == 0
