"""Offline replay: a till's outbox of N cash sales (made while the core was out of
reach) replayed against a real core, with sales/s and duplicates (must be 0).

    .venv/bin/python -m bench.offline_replay [--sales 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from core.db import Database
from core.migrate import upgrade
from core.orders.models import Order
from core.seed.demo import seed_demo
from pos.offline.link import OfflineTill
from pos.offline.replay import replay
from pos.offline.store import LocalStore
from pos.settings import PosSettings
from shared.client import AsyncCommerceClient
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from tests.api.helpers import set_stock
from tests.e2e.server import running_core

SECRET = "bench-secret-" + "x" * 40


def run_offline(url: str, var_dir: Path, sales: int) -> dict[str, Any]:
    upgrade(url)
    db = Database(url)
    tokens = seed_demo(db, var_dir=var_dir)
    db.dispose()
    token = tokens["MI01"]["pos"]
    with running_core(url, var_dir, secret=SECRET) as base:
        auth = {"Authorization": f"Bearer {token}"}
        staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": "1111"}, headers=auth
                           ).json()["token"]
        product = httpx.get(f"{base}/v1/products", params={"limit": 1},
                            headers=auth).json()["items"][0]
        set_stock(url, "MI01", product["sku"], sales)
        offline = OfflineTill(LocalStore(var_dir / "till"), PosSettings(device_token=token))
        offline.till = "BENCH"
        began = time.perf_counter()
        for _ in range(sales):
            offline.keep(key=uuid.uuid4().hex, staff_token=staff, build=lambda n: OrderCreate(
                lines=[LineIn(sku=product["sku"], qty=1)], offline=True,
                sold_at=datetime.now(UTC), offline_number=n,
                payments=[PaymentIn(tender="cash", amount_cents=product["price_cents"])]))
        kept = time.perf_counter() - began

        async def drain() -> tuple[int, int, float]:
            async with AsyncCommerceClient(base, token, timeout=30) as client:
                start = time.perf_counter()
                result = await replay(client, offline.store)
                return result.sent, result.refused, time.perf_counter() - start

        sent, refused, took = asyncio.run(drain())
    db = Database(url)
    with db.read() as session:
        numbers = list(session.scalars(select(Order.offline_number).where(
            Order.offline_number.like("BENCH-%"))))
    db.dispose()
    duplicates = sum(n - 1 for n in Counter(numbers).values() if n > 1)
    print(f"\noffline replay: {sales} sales kept in {kept:.2f} s "
          f"({sales / kept:.0f} outbox writes/s, each fsynced)")
    print(f"replayed {sent} (refused {refused}) in {took:.1f} s: {sent / took:.1f} sales/s; "
          f"orders on the core {len(numbers)}, duplicates {duplicates}")
    return {"sales": sales, "kept_seconds": kept, "seconds": took, "rate": sent / took,
            "sent": sent, "refused": refused, "orders": len(numbers), "duplicates": duplicates}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sales", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run_offline(f"sqlite:///{folder}/bench.db", Path(folder), args.sales)


if __name__ == "__main__":
    main()
