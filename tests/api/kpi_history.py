"""A small history for the KPI tests, on a day the demo's history never reaches
(2021-03-10, Rome time, UTC+1), written straight into the tables so every
figure can be worked out by hand (the comments say how)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from core.auth.models import Staff
from core.catalog.models import Product
from core.customers.models import Customer
from core.db import Database
from core.loyalty.models import LoyaltyEntry
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.returns.models import Return
from core.stock.models import StockLevel, StockMovement
from core.stores.models import Location

DAY = {"from": "2021-03-10", "to": "2021-03-10"}


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 3, day, hour, minute, tzinfo=UTC)


def write_history(url: str) -> list[str]:
    """Ten orders, three returns, four loyalty entries, three counts, one small
    store's shelves.
    Returns the four SKUs on the test store's shelves, sorted."""
    db = Database(url)
    try:
        with db.write() as session:
            skus = sorted(session.scalars(select(Product.sku).order_by(Product.sku).limit(4)))
            staff = {s.name: s.id for s in session.scalars(select(Staff))}
            customer = session.scalars(select(Customer.id).order_by(Customer.id)).first()
            orders: dict[int, Order] = {}

            def order(n: int, store: str, channel: str, fulfilment: str, status: str, cents: int,
                      at: datetime, *, source: str | None = None, who: str | None = None,
                      ready: datetime | None = None, collected: datetime | None = None) -> None:
                row = Order(number=f"KPI-{n:04d}", channel=channel, store_code=store,
                            fulfilment=fulfilment, status=status, total_cents=cents,
                            subtotal_cents=cents, created_at=at, ready_at=ready,
                            pickup_store_code=store if fulfilment == "pickup" else None,
                            staff_id=staff[who] if who else None)
                session.add(row)
                session.flush()
                session.add(OrderLine(order_id=row.id, line_no=1, sku=skus[0], name="x", qty=1,
                                      unit_price_cents=cents, total_cents=cents, vat_rate_bp=2200,
                                      tax_cents=0, source_location=source or store))
                if collected is not None:
                    session.add(OrderStatusChange(order_id=row.id, status="collected",
                                                  at=collected))
                orders[n] = row

            # 00:30 in Rome on the 10th: in the day, local hour 0
            order(1, "MI01", "pos", "carry_out", "completed", 10_000, _at(9, 23, 30),
                  who="Marco Bianchi")
            # endless aisle: served from Rome's shelf
            order(2, "MI01", "pos", "carry_out", "completed", 5_000, _at(10, 10, 15),
                  source="RM01", who="Giulia Verdi")
            # ship-to-store from the warehouse: ready 120 min, collected 240 min later
            order(3, "MI01", "web", "pickup", "collected", 8_000, _at(10, 8), source="WH01",
                  ready=_at(10, 10), collected=_at(10, 14))
            # a no-show: ready after 30 min, then cancelled uncollected (no sale)
            order(4, "MI01", "app", "pickup", "cancelled", 3_000, _at(10, 7),
                  ready=_at(10, 7, 30))
            # ready 60 min, collected 30 min later
            order(5, "MI01", "kiosk", "pickup", "collected", 2_000, _at(10, 12),
                  ready=_at(10, 13), collected=_at(10, 13, 30))
            order(6, "MI01", "pos", "carry_out", "pending_payment", 9_999, _at(10, 11))
            order(7, "TO01", "pos", "carry_out", "completed", 4_000, _at(10, 15),
                  who="Elena Gallo")
            order(8, "FI01", "pos", "carry_out", "completed", 6_000, _at(10, 16),
                  who="Irene Fabbri")
            # cancelled before it was ever ready: neither a sale nor a pickup
            order(9, "RM01", "web", "pickup", "cancelled", 1_000, _at(10, 9))
            # 00:30 on the 11th in Rome: outside the day
            order(10, "MI01", "pos", "carry_out", "completed", 7_777, _at(10, 23, 30),
                  who="Marco Bianchi")
            session.add_all([
                Return(number="KPI-R1", order_id=orders[1].id, store_code="MI01",
                       status="refunded", refund_to="original", refund_cents=2_500,
                       refunded_at=_at(10, 12), created_at=_at(10, 12)),
                # order 2's goods brought back in Rome
                Return(number="KPI-R2", order_id=orders[2].id, store_code="RM01",
                       status="refunded", refund_to="original", refund_cents=1_000,
                       refunded_at=_at(10, 13), created_at=_at(10, 13)),
                Return(number="KPI-R3", order_id=orders[7].id, store_code="TO01",
                       status="requested", refund_to="original", refund_cents=900,
                       created_at=_at(10, 16)),
            ])
            if customer is not None:
                session.add_all([
                    LoyaltyEntry(customer_id=customer, kind="earn", points=100,
                                 order_number="KPI-0001", created_at=_at(10, 0)),
                    LoyaltyEntry(customer_id=customer, kind="redeem", points=-50,
                                 order_number="KPI-0003", created_at=_at(10, 8)),
                    LoyaltyEntry(customer_id=customer, kind="clawback", points=-25,
                                 order_number="KPI-0001", created_at=_at(10, 12)),
                    LoyaltyEntry(customer_id=customer, kind="earn", points=40,
                                 order_number="KPI-0007", created_at=_at(10, 15)),
                ])
            session.add_all([
                StockMovement(location_code="MI01", sku=skus[1], delta=-2, reason="count",
                              created_at=_at(10, 18)),
                StockMovement(location_code="RM01", sku=skus[2], delta=1,
                              reason="count_correction", reference="KPI-0002",
                              created_at=_at(10, 19)),
                StockMovement(location_code="MI01", sku=skus[1], delta=5, reason="receipt",
                              created_at=_at(10, 18)),
                StockMovement(location_code="MI01", sku=skus[1], delta=-1, reason="count",
                              created_at=_at(10, 23, 30)),
            ])
            session.add(Location(code="TS01", name="Test shop", kind="own"))
            session.flush()
            for sku, on_hand, reserved in zip(skus, (0, 5, 3, 10), (0, 3, 3, 0), strict=True):
                session.add(StockLevel(location_code="TS01", sku=sku, on_hand=on_hand,
                                       reserved=reserved))
        return skus
    finally:
        db.dispose()
