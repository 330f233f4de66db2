"""No oversell, ever: hundreds of concurrent orders from every channel, threads
and processes, against a real server, on SQLite and on PostgreSQL (2 workers)."""

from __future__ import annotations

import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from core.catalog.models import Product
from core.db import Database
from core.orders.models import Order, OrderLine
from core.payments.models import Payment
from core.stock.models import StockLevel
from tests.api.helpers import level, set_stock
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded

pytestmark = pytest.mark.slow

UNITS = 10
ORDERS_PER_THREAD = 18
THREADS = 8
PROCESSES = 4


def _order_body(channel: str, sku: str, n: int) -> dict[str, object]:
    fulfilment = "delivery" if n % 4 == 0 else "pickup"
    body: dict[str, object] = {
        "lines": [{"sku": sku, "qty": 1}], "fulfilment": fulfilment, "pickup_store": "MI01",
        "contact": {"name": f"Shopper {n}", "email": f"shopper{n}@example.it"},
    }
    if fulfilment == "delivery":
        body["delivery_address"] = "Via Roma 1, 20121 Milano"
    if channel in ("web", "app"):
        body["channel"] = channel
    return body


def fire(base: str, tokens: dict[str, str], sku: str, start: int, count: int
         ) -> list[tuple[int, str]]:
    """Place ``count`` orders one after another; returns (status, problem code)."""
    results = []
    channels = ["web", "app", "kiosk"]
    with httpx.Client(base_url=base, timeout=60) as client:
        for n in range(start, start + count):
            channel = channels[n % 3]
            token = tokens["kiosk"] if channel == "kiosk" else tokens["web"]
            response = client.post(
                "/v1/orders", json=_order_body(channel, sku, n),
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex})
            code = "" if response.status_code == 201 else response.json().get("code", "")
            results.append((response.status_code, code))
    return results


def _hammer(seeded: Seeded, tmp_path: Path, workers: int) -> None:
    db = Database(seeded.url)
    with db.write() as session:
        sku = session.scalar(select(Product.sku).order_by(Product.sku).limit(1))
        assert sku is not None
        for row in session.scalars(select(StockLevel).where(StockLevel.sku == sku)):
            row.on_hand, row.reserved = 0, 0
    db.dispose()
    set_stock(seeded.url, "MI01", sku, UNITS)
    tokens = {"kiosk": seeded.tokens["MI01"]["kiosk"], "web": seeded.tokens["WEB"]["web"]}
    with running_core(seeded.url, tmp_path, secret=SECRET, workers=workers) as base:
        jobs = [(base, tokens, sku, i * 1000, ORDERS_PER_THREAD)
                for i in range(THREADS + PROCESSES)]
        with ThreadPoolExecutor(THREADS) as threads, \
                ProcessPoolExecutor(PROCESSES, mp_context=get_context("spawn")) as processes:
            futures = [threads.submit(fire, *job) for job in jobs[:THREADS]]
            futures += [processes.submit(fire, *job) for job in jobs[THREADS:]]
            results = [r for f in futures for r in f.result()]
    outcomes = Counter(results)
    assert len(results) == (THREADS + PROCESSES) * ORDERS_PER_THREAD >= 200
    assert outcomes[(201, "")] == UNITS, outcomes
    assert outcomes[(409, "out_of_stock")] == len(results) - UNITS, outcomes
    assert level(seeded.url, "MI01", sku) == (UNITS, UNITS)
    db = Database(seeded.url)
    with db.read() as session:
        ordered = session.scalar(select(func.sum(OrderLine.qty)).join(Order).where(
            OrderLine.sku == sku, Order.status == "pending_payment"))
    db.dispose()
    assert ordered == UNITS


def test_no_oversell_under_concurrent_orders(seeded: Seeded, tmp_path: Path) -> None:
    workers = 2 if seeded.url.startswith("postgresql") else 1
    _hammer(seeded, tmp_path, workers)


def _replay(base: str, token: str, staff: str, body: dict[str, object], key: str
            ) -> tuple[int, str]:
    response = httpx.post(f"{base}/v1/orders", json=body, timeout=60, headers={
        "Authorization": f"Bearer {token}", "X-Staff-Token": staff, "Idempotency-Key": key})
    return response.status_code, response.json().get("number", response.text)


def test_the_same_sale_replayed_50_times_at_once_is_one_order(seeded: Seeded, tmp_path: Path
                                                              ) -> None:
    workers = 2 if seeded.url.startswith("postgresql") else 1
    with running_core(seeded.url, tmp_path, secret=SECRET, workers=workers) as base:
        token = seeded.tokens["MI01"]["pos"]
        staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": "1111"},
                           headers={"Authorization": f"Bearer {token}"}).json()["token"]
        sku = httpx.get(f"{base}/v1/products", params={"limit": 1},
                        headers={"Authorization": f"Bearer {token}"}).json()["items"][0]["sku"]
        body = {"lines": [{"sku": sku, "qty": 1}], "offline": True,
                "payments": [{"tender": "cash", "amount_cents": 100_000}]}
        key = uuid.uuid4().hex
        with ThreadPoolExecutor(25) as pool:
            results = list(pool.map(lambda _: _replay(base, token, staff, body, key), range(50)))
    statuses = Counter(status for status, _ in results)
    numbers = {number for _, number in results}
    assert len(numbers) == 1, results[:3]
    assert statuses[201] == 1 and statuses[200] == 49, statuses
    db = Database(seeded.url)
    with db.read() as session:
        # Keys are stored scoped to their device: find the order by its number.
        order = session.scalar(select(Order).where(Order.number == numbers.pop()))
        assert order is not None and order.status == "completed"
        payments = session.scalar(select(func.count()).select_from(Payment)
                                  .where(Payment.order_id == order.id))
    db.dispose()
    assert payments == 1
