"""The last fortnight of trading in the demo chain, so the back office has a
week to show the day the demo is started: walk-in sales rung up by the stores'
staff at opening hours, kiosk, web and app orders collected at the stores (some
never collected), a few refunds and the points the loyalty members earned.

Like :mod:`core.seed.history` these sales are history: written straight into
the tables in a few bulk statements, they touch no stock today. Only
``omnitill demo`` adds them (the test fixtures seed the chain without them, so
their order numbers and figures stay those the tests name). Deterministic for
a seed; times are relative to seeding, in each store's time zone, and nothing
lies in the future.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.auth.models import Staff, StaffStore
from core.customers.models import Customer
from core.loyalty.models import LoyaltyAccount, LoyaltyEntry
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.orders.numbers import next_number
from core.payments.models import Payment
from core.pricing import PricedLine, totals
from core.returns.models import Return
from core.seed.demo_data import DemoData, DemoProduct
from core.timeutil import utcnow

TRADING_DAYS = 14
"""How far back the demo's recent trading goes: this week and the one before."""
POINTS_PER_EURO = 10
# A store's day: a quiet morning, a lunchtime peak, the after-work rush.
HOUR_WEIGHTS = {9: 2, 10: 3, 11: 4, 12: 6, 13: 6, 14: 3, 15: 3, 16: 4, 17: 6, 18: 7, 19: 4}
# channel, fulfilment, weight: most of a store's orders are rung up at its tills.
CHANNELS = (("pos", "carry_out", 14), ("kiosk", "pickup", 2), ("web", "pickup", 3),
            ("app", "pickup", 2))


@dataclass(frozen=True, slots=True)
class _Sale:
    at: datetime
    store: str
    channel: str
    fulfilment: str
    items: list[DemoProduct]
    customer_id: int | None


def seed_trading(session: Session, data: DemoData, *, seed: int,
                 days: int = TRADING_DAYS) -> int:
    """Add ``days`` days of trading up to now; returns how many orders."""
    rng = random.Random(seed * 11 + 5)
    now = utcnow()
    stores = [s for s in data.stores if s.has_till]
    members = list(session.scalars(select(Customer.id).order_by(Customer.id)))
    staff = _staff_by_store(session)
    sales: list[_Sale] = []
    for store in stores:
        zone = ZoneInfo(store.timezone)
        for back in range(days):
            day = (now.astimezone(zone) - timedelta(days=back)).date()
            weekend = day.weekday() >= 5
            for _ in range(rng.randint(14, 22) + (8 if weekend else 0)):
                hour = rng.choices(list(HOUR_WEIGHTS), list(HOUR_WEIGHTS.values()))[0]
                local = datetime(day.year, day.month, day.day, hour, rng.randint(0, 59),
                                 rng.randint(0, 59), tzinfo=zone)
                at = local.astimezone(now.tzinfo)
                if at > now - timedelta(minutes=5):
                    continue
                channel, fulfilment, _ = rng.choices(CHANNELS, [c[2] for c in CHANNELS])[0]
                member = rng.choice(members) if members and rng.random() < 0.35 else None
                sales.append(_Sale(at, store.code, channel, fulfilment,
                                   rng.sample(data.products, rng.choice((1, 1, 2, 2, 3))),
                                   member))
    sales.sort(key=lambda s: s.at)  # numbers rise with time
    rows = _Rows()
    for sale in sales:
        rows.add(session, sale, rng, now, staff.get(sale.store, []))
    rows.write(session)
    return len(sales)


def _staff_by_store(session: Session) -> dict[str, list[int]]:
    """The cashiers and supervisors of each store: who rings a walk-in sale up."""
    found: dict[str, list[int]] = {}
    for staff_id, store in session.execute(
        select(Staff.id, StaffStore.store_code).join(StaffStore, StaffStore.staff_id == Staff.id)
        .where(Staff.role.in_(("cashier", "supervisor"))).order_by(Staff.id)
    ):
        found.setdefault(store, []).append(staff_id)
    return found


class _Rows:
    """The rows of every table, written in one bulk insert each."""

    def __init__(self) -> None:
        self.orders: list[dict[str, Any]] = []
        self.lines: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []
        self.changes: list[dict[str, Any]] = []
        self.returns: list[dict[str, Any]] = []
        self.points: list[dict[str, Any]] = []
        self.balances: dict[int, int] = {}

    def add(self, session: Session, sale: _Sale, rng: random.Random, now: datetime,
            staff: list[int]) -> None:
        priced = [PricedLine(sku=p.sku, name=p.name, qty=rng.choice((1, 1, 1, 2)),
                             unit_price_cents=p.price_cents, vat_rate_bp=p.vat_rate_bp)
                  for p in sale.items]
        summary = totals(priced)
        prefix = {"web": "W", "app": "A"}.get(sale.channel, sale.store)
        number = next_number(session, prefix)
        pickup = sale.fulfilment == "pickup"
        steps = [("pending_payment", sale.at), ("paid", sale.at)]
        ready = collected = None
        status = "completed"
        if pickup:
            ready = sale.at + timedelta(minutes=rng.randint(25, 8 * 60))
            collected = ready + timedelta(minutes=rng.randint(15, 3 * 24 * 60))
            steps += [("picking", sale.at + timedelta(minutes=5)), ("ready_for_pickup", ready)]
            if ready > now:
                ready, status, steps = None, "picking", steps[:-1]
            elif collected > now:
                status = "ready_for_pickup"
            elif rng.random() < 0.06:  # never came: cancelled after the hold, refunded
                status = "cancelled"
                steps.append(("cancelled", ready + timedelta(days=3)))
            else:
                status = "collected"
                steps.append(("collected", collected))
        if status == "completed":
            steps.append(("completed", sale.at))
        order_id = len(self.orders)  # an index until the orders are written
        self.orders.append(dict(
            number=number, channel=sale.channel,
            store_code=sale.store if sale.channel in ("pos", "kiosk") else "WH01",
            fulfilment=sale.fulfilment, pickup_store_code=sale.store if pickup else None,
            customer_id=sale.customer_id, status=status,
            subtotal_cents=summary.subtotal_cents, discount_cents=summary.discount_cents,
            total_cents=summary.total_cents, tax_cents=summary.tax_cents,
            tax_breakdown=summary.breakdown,
            staff_id=rng.choice(staff) if staff and sale.channel == "pos" else None,
            contact_name="Walk-in" if sale.channel == "pos" else "Demo shopper",
            ready_at=ready, created_at=sale.at, updated_at=steps[-1][1]))
        points = summary.total_cents // 100 * POINTS_PER_EURO if sale.customer_id else 0
        done = status in ("completed", "collected")
        for n, line in enumerate(priced, start=1):
            self.lines.append(dict(
                order_id=order_id, line_no=n, sku=line.sku, name=line.name, qty=line.qty,
                unit_price_cents=line.unit_price_cents, total_cents=line.total_cents,
                vat_rate_bp=line.vat_rate_bp, tax_cents=line.tax_cents,
                source_location=sale.store, qty_picked=line.qty if ready else 0,
                qty_collected=line.qty if done else 0, points_earned=0))
        self.payments.append(dict(
            order_id=order_id, tender=rng.choice(("card", "card", "cash"))
            if sale.channel == "pos" else "card", amount_cents=summary.total_cents,
            status="approved", created_at=sale.at,
            refunded_cents=summary.total_cents if status == "cancelled" else 0))
        self.changes += [dict(order_id=order_id, status=s, at=at) for s, at in steps]
        refunded_at = sale.at + timedelta(days=rng.randint(1, 4))
        if done and refunded_at < now and rng.random() < 0.04:
            refund = priced[0].total_cents
            self.returns.append(dict(
                number=f"R-{number}", order_id=order_id, store_code=sale.store,
                status="refunded", refund_to="original", refund_cents=refund,
                created_at=refunded_at, refunded_at=refunded_at))
        if points and done and sale.customer_id is not None:
            self.points.append(dict(customer_id=sale.customer_id, kind="earn", points=points,
                                    order_number=number, note="Bronze ×1",
                                    created_at=sale.at))
            self.balances[sale.customer_id] = self.balances.get(sale.customer_id, 0) + points

    def write(self, session: Session) -> None:
        if not self.orders:
            return
        ids = list(session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True),
                                   self.orders))
        for rows in (self.lines, self.payments, self.changes, self.returns):
            for row in rows:
                row["order_id"] = ids[row["order_id"]]
        for model, rows in ((OrderLine, self.lines),
                            (Payment, self.payments), (OrderStatusChange, self.changes),
                            (Return, self.returns), (LoyaltyEntry, self.points)):
            if rows:
                session.execute(insert(model), rows)
        for customer_id, points in self.balances.items():
            account = session.get(LoyaltyAccount, customer_id)
            if account is None:
                session.add(LoyaltyAccount(customer_id=customer_id, balance=points))
            else:
                account.balance += points
