"""Measure the core on the demo chain and print figures as ratios to a baseline.

Every figure is measured against ``GET /v1/health`` (one trivial database
query through the same server, the same client, in the same run), so the
ratios say what search, availability and ordering cost over the floor of
HTTP + one query on this machine, whatever its speed today.

    .venv/bin/python -m bench [--seconds 3] [--threads 8] [--postgres URL]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from core.db import Database
from core.migrate import upgrade
from core.seed.demo import seed_demo
from tests.api.helpers import set_stock
from tests.e2e.server import running_core

SECRET = "bench-secret-" + "x" * 40


def _timed(call: Callable[[], httpx.Response], seconds: float, threads: int
           ) -> tuple[float, list[float]]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    def loop() -> list[float]:
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            response = call()
            response.raise_for_status()
            mine.append(time.perf_counter() - start)
        return mine

    began = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for result in pool.map(lambda _: loop(), range(threads)):
            latencies += result
    return len(latencies) / (time.perf_counter() - began), latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(url: str, var_dir: Path, seconds: float, threads: int, workers: int) -> None:
    upgrade(url)
    db = Database(url)
    tokens = seed_demo(db, var_dir=var_dir)
    db.dispose()
    token = tokens["WEB"]["web"]
    kiosk = tokens["MI01"]["kiosk"]
    with running_core(url, var_dir, secret=SECRET, workers=workers) as base:
        client = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(
            max_connections=threads * 2))
        sku = client.get("/v1/products", params={"limit": 1},
                         headers={"Authorization": f"Bearer {kiosk}"}).json()["items"][0]["sku"]
        set_stock(url, "MI01", sku, 10**6)
        auth = {"Authorization": f"Bearer {kiosk}"}
        cases: dict[str, Callable[[], httpx.Response]] = {
            "baseline GET /v1/health": lambda: client.get("/v1/health"),
            "search q=cotton": lambda: client.get("/v1/products", params={"q": "cott"},
                                                  headers=auth),
            "availability": lambda: client.get(f"/v1/products/{sku}/availability", headers=auth),
            "place pickup order": lambda: client.post(
                "/v1/orders", headers={"Authorization": f"Bearer {token}",
                                       "Idempotency-Key": uuid.uuid4().hex},
                json={"lines": [{"sku": sku, "qty": 1}], "fulfilment": "pickup",
                      "pickup_store": "MI01", "contact": {"email": "bench@example.it"}}),
        }
        rows = []
        base_rate = base_p50 = 0.0
        for name, call in cases.items():
            rate, lat = _timed(call, seconds, threads)
            p50, p99 = _pct(lat, 0.5), _pct(lat, 0.99)
            if not base_rate:
                base_rate, base_p50 = rate, p50
            rows.append((name, rate, rate / base_rate, p50, p99, p50 / base_p50,
                         statistics.mean(lat) * 1000))
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\n{kind}, {workers} worker(s), {threads} client threads, {seconds:.0f} s per case")
    print(f"{'case':28} {'req/s':>8} {'x base':>7} {'p50 ms':>8} {'p99 ms':>8} {'p50 x':>6}")
    for name, rate, ratio, p50, p99, p50_ratio, _mean in rows:
        print(f"{name:28} {rate:8.0f} {ratio:7.2f} {p50:8.1f} {p99:8.1f} {p50_ratio:6.1f}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS of the server process: {peak:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--postgres", default="", help="an empty database URL to use")
    parser.add_argument("--offline-sales", type=int, default=1000,
                        help="sales in the offline replay case (0 skips it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            run(args.postgres, Path(folder), args.seconds, args.threads, workers=2)
        else:
            run(f"sqlite:///{folder}/bench.db", Path(folder), args.seconds, args.threads, 1)
    if args.offline_sales:
        from bench.offline_replay import run_offline

        with tempfile.TemporaryDirectory() as folder:
            run_offline(f"sqlite:///{folder}/offline.db", Path(folder), args.offline_sales)


if __name__ == "__main__":
    main()
