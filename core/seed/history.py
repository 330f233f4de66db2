"""Past orders for the demo customers, so the till's customer panel has a real
history to show: web, app, kiosk and till orders over the last year, across
the chain's stores, with the points they earned.

Written straight into the tables (these sales are history; they touch no
stock today). Deterministic for a seed; dates are relative to seeding time,
so "last month" stays last month whenever the demo is loaded.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.customers.models import Customer
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.orders.numbers import next_number
from core.payments.models import Payment
from core.pricing import PricedLine, totals
from core.seed.demo_data import DemoData
from core.timeutil import utcnow
from shared.money import allocate

HISTORY_CUSTOMERS = 40
"""The first customers (by card) get a history; the rest are new to the chain."""
POINTS_PER_EURO = 10
"""The demo's earn rate at the base (Bronze) multiplier."""

# channel, fulfilment, final status, tender. Every final status is a hand-over
# (taken at the till, delivered, collected), so every line is collected in full:
# what the shopper holds is what a return may take back.
KINDS = (
    ("pos", "carry_out", "completed", "card"),
    ("pos", "carry_out", "completed", "cash"),
    ("web", "delivery", "delivered", "card"),
    ("web", "pickup", "collected", "card"),
    ("app", "pickup", "collected", "card"),
    ("kiosk", "pickup", "collected", "card"),
)


def seed_history(session: Session, data: DemoData, *, seed: int, newest_days: int = 3) -> int:
    """Add the past orders, the newest ``newest_days`` ago; returns how many."""
    rng = random.Random(seed * 7 + 1)
    stores = [s.code for s in data.stores if s.has_till]
    products = list(data.products)
    customers = list(session.scalars(select(Customer).order_by(Customer.id)))
    now = utcnow()
    planned = []
    for customer in customers[:HISTORY_CUSTOMERS]:
        for _ in range(rng.randint(1, 4)):
            back = timedelta(days=rng.randint(newest_days, 420), hours=rng.randint(0, 9))
            planned.append((now - back,
                            customer, rng.choice(KINDS), rng.choice(stores),
                            rng.sample(products, rng.randint(1, 3)), rng.randint(1, 2)))
    planned.sort(key=lambda p: p[0])  # numbers rise with time, as they did
    for when, customer, (channel, fulfilment, status, tender), store, items, qty in planned:
        priced = [PricedLine(sku=p.sku, name=p.name, qty=qty if n == 0 else 1,
                             unit_price_cents=p.price_cents, vat_rate_bp=p.vat_rate_bp)
                  for n, p in enumerate(items)]
        summary = totals(priced)
        prefix = {"web": "W", "app": "A"}.get(channel, store)
        home = store if channel in ("pos", "kiosk") else "WH01"
        pickup = store if fulfilment == "pickup" else None
        order = Order(
            number=next_number(session, prefix), channel=channel, store_code=home,
            fulfilment=fulfilment, pickup_store_code=pickup, customer_id=customer.id,
            status=status, subtotal_cents=summary.subtotal_cents,
            discount_cents=summary.discount_cents, total_cents=summary.total_cents,
            tax_cents=summary.tax_cents, tax_breakdown=summary.breakdown,
            contact_name=f"{customer.first_name} {customer.last_name}",
            contact_email=customer.email,
            delivery_address=f"{customer.city}, Italia" if fulfilment == "delivery" else None,
            created_at=when, updated_at=when,
        )
        session.add(order)
        session.flush()
        points = summary.total_cents // 100 * POINTS_PER_EURO
        shares = allocate(points, [line.total_cents for line in priced])
        for n, (line, share) in enumerate(zip(priced, shares, strict=True), start=1):
            session.add(OrderLine(
                order_id=order.id, line_no=n, sku=line.sku, name=line.name, qty=line.qty,
                unit_price_cents=line.unit_price_cents, total_cents=line.total_cents,
                vat_rate_bp=line.vat_rate_bp, tax_cents=line.tax_cents,
                source_location=pickup or home, qty_picked=line.qty,
                qty_collected=line.qty, points_earned=share))
        session.add(Payment(order_id=order.id, tender=tender, amount_cents=summary.total_cents,
                            tendered_cents=summary.total_cents if tender == "cash" else None,
                            status="approved", created_at=when))
        for step in ("pending_payment", "paid", status):
            session.add(OrderStatusChange(order_id=order.id, status=step, at=when))
        if points:
            session.add(LoyaltyEntry(customer_id=customer.id, kind="earn", points=points,
                                     order_number=order.number, note="Bronze ×1",
                                     created_at=when))
            account = session.get(LoyaltyAccount, customer.id)
            if account is None:
                session.add(LoyaltyAccount(customer_id=customer.id, balance=points))
                session.flush()
            else:
                account.balance += points
    return len(planned)
