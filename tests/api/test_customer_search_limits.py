"""Issue 11, a curious cashier: a name search at a till lists at most ten people,
and shows the email, phone and card of a customer of another store only masked
(unless found by that exact email, card or phone, or asked by a manager)."""

from __future__ import annotations

from sqlalchemy import select

from core.customers.models import Customer
from core.db import Database
from core.orders.models import Order
from core.timeutil import utcnow
from shared.client import Api, CommerceClient
from tests.api.helpers import sign_in
from tests.support import Seeded


def _stranger(url: str) -> Customer:
    """A customer of another store who never bought at MI01."""
    db = Database(url)
    try:
        with db.read() as session:
            bought_here = select(Order.customer_id).where(Order.store_code == "MI01",
                                                          Order.customer_id.is_not(None))
            found = session.scalars(select(Customer).where(
                Customer.home_store != "MI01", Customer.email.is_not(None),
                Customer.phone.is_not(None), Customer.id.not_in(bought_here))
                .order_by(Customer.id)).first()
            assert found is not None
            return found
    finally:
        db.dispose()


def test_another_store_s_customer_is_masked_in_a_name_search(  # type: ignore[no-untyped-def]
    as_device, seeded: Seeded, till: CommerceClient
) -> None:
    stranger = _stranger(seeded.url)
    found = [c for c in till.call(Api.customers(stranger.last_name)) if c.id == stranger.id]
    assert len(found) == 1
    shown = found[0]
    assert shown.name == f"{stranger.first_name} {stranger.last_name}"
    assert shown.email != stranger.email and shown.email and "***@" in shown.email
    assert shown.phone and shown.phone.startswith("***") and stranger.phone
    assert shown.phone[-3:] == stranger.phone[-3:]
    assert shown.loyalty_card is None and shown.loyalty_code is None
    profile = till.call(Api.customer(stranger.id))
    assert profile.email == shown.email and profile.loyalty_card is None

    # The cashier who already has the exact email (the shopper said it) sees the customer.
    exact = till.call(Api.customers(stranger.email or ""))
    assert [c.email for c in exact] == [stranger.email]
    # A manager is chain-wide.
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    assert manager.call(Api.customer(stranger.id)).email == stranger.email


def test_own_store_customers_are_shown_in_full(till: CommerceClient) -> None:
    rossi = [c for c in till.call(Api.customers("rossi")) if c.home_store == "MI01"]
    assert rossi and all(c.email and "***" not in c.email and c.loyalty_card for c in rossi)


def test_a_name_search_lists_at_most_ten(seeded: Seeded, till: CommerceClient) -> None:
    db = Database(seeded.url)
    try:
        with db.write() as session:
            session.add_all(Customer(first_name=f"Anna{i}", last_name="Zanzottera",
                                     email=f"anna{i}.z@example.it", home_store="MI01",
                                     created_at=utcnow()) for i in range(12))
    finally:
        db.dispose()
    assert len(till.call(Api.customers("zanzottera"))) == 10
