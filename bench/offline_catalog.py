"""The till's first catalog copy of a large catalog, and a price change reaching it.

The demo catalog is grown to ``--products`` (default 100,000) with plain rows,
a real core runs on it, and a till's local store copies it page by page
(:func:`pos.offline.catalog_sync.full_copy`, as the till does at start, with
its progress callback). Then one price is changed on the core and the till's
next round (:func:`pos.offline.catalog_sync.apply_changes`) fetches it.

    .venv/bin/python -m bench.offline_catalog [--products 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from core.catalog import writes
from core.catalog.models import Product
from core.db import Database
from core.migrate import upgrade
from core.seed.demo import seed_demo
from pos.offline.catalog_sync import apply_changes, catalog_total, full_copy
from pos.offline.store import LocalStore
from shared.client import AsyncCommerceClient
from tests.e2e.server import running_core

SECRET = "bench-secret-" + "x" * 40


def grow(url: str, products: int) -> None:
    db = Database(url)
    try:
        with db.write() as session:
            have = int(session.scalar(select(func.count()).select_from(Product)) or 0)
            category = session.scalar(select(Product.category_code).limit(1))
            rows = [{"sku": f"BENCH-{n:06d}", "name": f"Bench item {n}",
                     "category_code": category, "price_cents": 100 + n % 5000,
                     "vat_rate_bp": 2200, "search_text": f"bench item {n}"}
                    for n in range(max(0, products - have))]
            for start in range(0, len(rows), 5000):
                session.execute(insert(Product), rows[start:start + 5000])
    finally:
        db.dispose()


async def copy(base: str, token: str, folder: Path) -> dict[str, Any]:
    store = LocalStore(folder)
    seen: list[tuple[float, int]] = []
    async with AsyncCommerceClient(base, token) as client:
        total = await catalog_total(client)
        began = time.perf_counter()
        copied = await full_copy(client, store, progress=lambda n: seen.append(
            (time.perf_counter() - began, n)))
        seconds = time.perf_counter() - began
        first_progress = seen[0][0] if seen else 0.0
        return {"products": copied, "announced": total, "seconds": seconds,
                "rate": copied / seconds, "progress_steps": len(seen),
                "first_progress_s": first_progress, "store": store}


async def price_change(url: str, base: str, token: str, store: LocalStore) -> float:
    db = Database(url)
    try:
        with db.write() as session:
            writes.set_price(session, sku="BENCH-000001", price_cents=4242)
    finally:
        db.dispose()
    async with AsyncCommerceClient(base, token) as client:
        began = time.perf_counter()
        await apply_changes(client, store)
        took = time.perf_counter() - began
    product = store.product("BENCH-000001")
    assert product is not None and product.price_cents == 4242
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/catalog.db"
        upgrade(url)
        db = Database(url)
        tokens = seed_demo(db, var_dir=Path(folder))
        db.dispose()
        grow(url, args.products)
        token = tokens["MI01"]["pos"]
        with running_core(url, Path(folder), secret=SECRET) as base:
            result = asyncio.run(copy(base, token, Path(folder) / "till"))
            one = asyncio.run(price_change(url, base, token, result.pop("store")))
    print(f"first copy: {result['products']:,} products (the core announced "
          f"{result['announced']:,}) in {result['seconds']:.1f} s "
          f"({result['rate']:.0f}/s), {result['progress_steps']} progress steps, the first "
          f"after {result['first_progress_s']:.2f} s")
    print(f"a price changed on the core, applied by the till's next round in {one:.3f} s")


if __name__ == "__main__":
    main()
