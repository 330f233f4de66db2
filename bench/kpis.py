"""KPIs on a year of a chain's history: how long ``GET /v1/reports/kpis`` takes
to compute (the service, without HTTP) for the chain and for one store, over a
day, a week and a year.

The demo chain is grown to ``--stores`` stores (default 100) and given a year
of orders (``--per-day`` per store per day, default 10: 365,000 orders with a
line each), a pickup in five with its ready and collected times (one in ten of
them a no-show), a refunded return in twenty, and the points each order earned,
written straight into the tables.

    .venv/bin/python -m bench.kpis [--stores 100] [--per-day 10] [--postgres URL]

``--postgres`` takes the URL of an empty database to fill.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from core.catalog.models import Product
from core.customers.models import Customer
from core.db import Database
from core.loyalty.models import LoyaltyEntry
from core.migrate import upgrade
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.reports.service import kpis
from core.returns.models import Return
from core.seed.demo import seed_demo
from core.stores.models import Location

CHANNELS = ("pos", "pos", "pos", "web", "app", "kiosk")
KINDS = ("own", "own", "franchise", "multibrand")


def grow(db: Database, *, stores: int, per_day: int, seed: int = 7) -> int:
    """Add stores up to ``stores`` and a year of history; returns the orders written."""
    rng = random.Random(seed)
    with db.write() as session:
        have = [c for c in session.scalars(select(Location.code).where(Location.has_till))]
        for n in range(len(have), stores):
            session.add(Location(code=f"S{n:03d}", name=f"Bench store {n}",
                                 kind=KINDS[n % len(KINDS)]))
        skus = list(session.scalars(select(Product.sku).limit(200)))
        customer = session.scalars(select(Customer.id).order_by(Customer.id)).first()
        codes = list(session.scalars(select(Location.code).where(
            Location.kind != "warehouse")))[:stores]
        last_id = int(session.scalar(select(func.max(Order.id))) or 0)
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    written = 0
    for day in range(365):
        start = today - timedelta(days=day)
        orders: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        returns: list[dict[str, Any]] = []
        points: list[dict[str, Any]] = []
        for code in codes:
            for _ in range(per_day):
                last_id += 1
                at = start + timedelta(minutes=rng.randint(8 * 60, 20 * 60))
                cents = rng.randint(500, 20_000)
                channel = rng.choice(CHANNELS)
                pickup = channel != "pos" and rng.random() < 0.6
                ready = at + timedelta(minutes=rng.randint(20, 600)) if pickup else None
                no_show = pickup and rng.random() < 0.1
                status = ("cancelled" if no_show else "collected") if pickup else "completed"
                orders.append(dict(
                    id=last_id, number=f"B{last_id:09d}", channel=channel, store_code=code,
                    fulfilment="pickup" if pickup else "carry_out",
                    pickup_store_code=code if pickup else None, status=status,
                    total_cents=cents, subtotal_cents=cents, created_at=at, ready_at=ready,
                    customer_id=customer))
                lines.append(dict(order_id=last_id, line_no=1, sku=rng.choice(skus), name="x",
                                  qty=1, unit_price_cents=cents, total_cents=cents,
                                  vat_rate_bp=2200, tax_cents=0,
                                  source_location="WH01" if pickup else code))
                if pickup and not no_show and ready is not None:
                    changes.append(dict(order_id=last_id, status="collected",
                                        at=ready + timedelta(minutes=rng.randint(10, 2000))))
                if rng.random() < 0.05:
                    returns.append(dict(number=f"BR{last_id:09d}", order_id=last_id,
                                        store_code=code, status="refunded",
                                        refund_to="original", refund_cents=cents // 2,
                                        created_at=at + timedelta(hours=1),
                                        refunded_at=at + timedelta(hours=1)))
                if customer is not None:
                    points.append(dict(customer_id=customer, kind="earn", points=cents // 100,
                                       order_number=f"B{last_id:09d}", created_at=at))
        with db.write() as session:
            session.execute(insert(Order), orders)
            session.execute(insert(OrderLine), lines)
            for table, rows in ((OrderStatusChange, changes), (Return, returns),
                                (LoyaltyEntry, points)):
                if rows:
                    session.execute(insert(table), rows)
        written += len(orders)
    return written


def _time(db: Database, **query: Any) -> tuple[float, float, int]:
    """Best and median of five runs, in ms, and the orders counted."""
    runs = []
    orders = 0
    for _ in range(5):
        with db.read() as session:
            began = time.perf_counter()
            orders = kpis(session, **query).orders
            runs.append((time.perf_counter() - began) * 1000)
    return min(runs), statistics.median(runs), orders


def run(url: str, var_dir: Path, stores: int, per_day: int) -> None:
    upgrade(url)
    db = Database(url)
    try:
        seed_demo(db, var_dir=var_dir)
        began = time.perf_counter()
        written = grow(db, stores=stores, per_day=per_day)
        print(f"{written:,} orders over 365 days in {stores} stores, written in "
              f"{time.perf_counter() - began:.0f} s")
        today = date.today()
        cases = {
            "chain, one day": dict(store=None, date_from=today, date_to=today),
            "chain, a week": dict(store=None, date_from=today - timedelta(days=6),
                                  date_to=today),
            "chain, a year": dict(store=None, date_from=today - timedelta(days=364),
                                  date_to=today),
            "one store, a week": dict(store="MI01", date_from=today - timedelta(days=6),
                                      date_to=today),
            "one store, a year": dict(store="MI01", date_from=today - timedelta(days=364),
                                      date_to=today),
        }
        kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"\nKPIs on {kind}: {'case':20} {'orders':>9} {'best ms':>9} {'median ms':>10}")
        for name, query in cases.items():
            best, median, orders = _time(db, channel=None, **query)
            print(f"{'':16}{name:20} {orders:9,} {best:9.0f} {median:10.0f}")
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stores", type=int, default=100)
    parser.add_argument("--per-day", type=int, default=10)
    parser.add_argument("--postgres", default="", help="an empty database URL to fill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.postgres or f"sqlite:///{folder}/kpis.db"
        run(url, Path(folder), args.stores, args.per_day)


if __name__ == "__main__":
    main()
