"""Random purchases, returns and redemptions keep the books true:
refunded <= paid, returned <= bought, points balance == ledger sum >= 0.
Each example runs on its own copy of the demo database; a return is refused
exactly when it would take back more than that sale bought."""

from __future__ import annotations

import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.app import create_app
from core.db import Database
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.orders.models import Order, OrderLine
from core.payments.models import Payment
from shared import errors
from shared.client import Api, CommerceClient
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from shared.schemas.returns import ReturnCreate, ReturnLineIn
from tests.support import Seeded, make_settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

Step = st.one_of(
    st.tuples(st.just("buy"), st.integers(1, 4), st.sampled_from(["card", "cash", "points"])),
    st.tuples(st.just("return"), st.integers(0, 20), st.integers(1, 4)),
)


@contextmanager
def _fresh_books(template: Seeded) -> Iterator[tuple[CommerceClient, str, int, str]]:
    """A copy of the seeded demo for one example: no example sees another's rows."""
    from tests.api.helpers import set_stock, sign_in

    with tempfile.TemporaryDirectory(prefix="omnitill-books-") as name:
        folder = Path(name)
        url = f"sqlite:///{folder / 'omnitill.db'}"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), folder / "omnitill.db")
        app = create_app(make_settings(url, folder))
        with TestClient(app, raise_server_exceptions=False) as http:
            till = CommerceClient("http://testserver", template.tokens["MI01"]["pos"], http=http)
            sign_in(till, "2222")
            sku = till.call(Api.products(category="clothing", limit=5)).items[4].sku
            set_stock(url, "MI01", sku, 10_000)
            customer = till.call(Api.customers("rossi"))[0].id
            yield till, sku, customer, url


@settings(max_examples=8, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(Step, min_size=1, max_size=8))
def test_books_stay_true(sqlite_template: Seeded, steps) -> None:  # type: ignore[no-untyped-def]
    with _fresh_books(sqlite_template) as (till, sku, customer, url):
        _play(till, sku, customer, steps)
        _check_books(url, customer)


def _play(till: CommerceClient, sku: str, customer: int, steps) -> None:  # type: ignore[no-untyped-def]
    bought: dict[str, int] = {}
    returned: dict[str, int] = {}
    sales: list[str] = []
    for step in steps:
        if step[0] == "buy":
            _, qty, tender = step
            order = till.call(Api.place_order(OrderCreate(
                lines=[LineIn(sku=sku, qty=qty)], customer_id=customer), uuid.uuid4().hex))
            if tender == "points":
                points = till.call(Api.customer_loyalty(customer)).balance
                use = min(points, order.total_cents - 1)
                if use > 0:
                    order = till.call(Api.pay(order.number, PaymentIn(
                        tender="loyalty_points", amount_cents=use, points=use)))
                tender = "card"
            order = till.call(Api.pay(order.number, PaymentIn(
                tender=tender, amount_cents=order.due_cents,
                card_token="approve" if tender == "card" else None)))
            assert order.due_cents == 0
            sales.append(order.number)
            bought[order.number], returned[order.number] = qty, 0
        elif sales:
            _, pick, qty = step
            number = sales[pick % len(sales)]
            allowed = returned[number] + qty <= bought[number]
            try:
                ret = till.call(Api.create_return(ReturnCreate(
                    order_number=number, lines=[ReturnLineIn(line_no=1, qty=qty)])))
                done = till.call(Api.refund_return(ret.number))
            except errors.Conflict as refused:
                assert not allowed and refused.code == "more_than_bought"
            else:
                assert allowed, f"returned {returned[number]} + {qty} of {bought[number]}"
                assert sum(r.amount_cents for r in done.refunds) == done.refund_cents
                returned[number] += qty


def _check_books(url: str, customer: int) -> None:
    with Database(url) as db, db.read() as session:
        for line in session.scalars(select(OrderLine)):
            assert 0 <= line.qty_returned <= line.qty_collected <= line.qty
        for order in session.scalars(select(Order)):
            rows = session.scalars(select(Payment).where(Payment.order_id == order.id))
            for payment in rows:
                assert 0 <= payment.refunded_cents <= payment.amount_cents
        total = session.scalar(select(func.coalesce(func.sum(LoyaltyEntry.points), 0))
                               .where(LoyaltyEntry.customer_id == customer))
        account = session.get(LoyaltyAccount, customer)
        assert account is not None and account.balance == total >= 0
