"""Checkout under load: a web delivery order (one line) and a till cash sale
(three lines), on spread items and on one hot item, at 1, 8, 32 and 128 clients,
with the same server's ``GET /v1/health`` rate at the same count beside it.

Till sales run on ``TILLS`` tills of one store, each with its drawer open, client
*i* at till *i mod TILLS*: a store's checkout is many drawers, and one drawer
under 32 clients measured that drawer's session, not the core. The "one
drawer" case keeps every client on one till.

The health rate is the floor of this machine today (HTTP + one query through
the same server); a checkout rate reads as a fraction of it, so a run on a
busy or a fast machine still says what ordering costs.

    .venv/bin/python -m bench.checkout [--postgres URL] [--seconds 4]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import delete, select, update

from bench.loadgen import LoadPool, Outcome, Shape
from bench.memory import Peak, PeakSampler, core_groups
from core.auth import service as auth
from core.db import Database
from core.migrate import upgrade
from core.seed.demo import seed_demo
from core.stock.models import Reservation, StockLevel
from shared.schemas.enums import DeviceKind
from tests.e2e.server import running_core

SECRET = "bench-secret-" + "x" * 40
CLIENTS = (1, 8, 32, 128)
STOCK = 10**7
TILLS = 32
"""Bench tills at MI01 (``MI01 bench till N``), one per client up to 32 clients."""
WARMUP = 0.5
"""Seconds each run's clients send before the counted window opens: the first
wave of a closed loop arrives all at once, which no steady state looks like."""


class WaitSampler:
    """PostgreSQL only: what the busy backends of this database wait on, sampled
    every 50 ms while a case runs (``pg_stat_activity``), so a table that shows
    no scaling also shows why."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("postgresql+psycopg://", "postgresql://")
        self.samples = 0
        self.seen: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type || ':' || wait_event, 'cpu'), "
                    "left(regexp_replace(query, '\\s+', ' ', 'g'), 48) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND state = 'active' "
                    "AND pid <> pg_backend_pid()").fetchall()
                self.samples += 1
                self.seen.update(f"{wait} {query}" for wait, query in rows)

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        """The most common (wait, statement) pairs, as busy backends on average."""
        return [(what, count / max(1, self.samples)) for what, count in self.seen.most_common(n)]


@dataclass(frozen=True, slots=True)
class Row:
    """One measured case; ``health`` is the same server's health rate (req/s)."""

    database: str
    workers: int
    case: str
    clients: int
    rate: float
    p50: float
    p95: float
    p99: float
    errors: int
    health: float
    """The same server's health rate at the same client count, just before."""
    waits: list[tuple[str, float]] = field(default_factory=list)
    """PostgreSQL: what busy backends waited on (average count per sample)."""
    samples: int = 0
    """Latencies the percentiles rest on (requests sent in the counted window)."""


def prepare(url: str, var_dir: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Seed the demo chain and put endless stock of every SKU in the warehouse and
    in every store, so a run measures ordering, not running out."""
    upgrade(url)
    db = Database(url)
    try:
        tokens = seed_demo(db, var_dir=var_dir)
        with db.write() as session:
            session.execute(update(StockLevel).values(on_hand=STOCK, reserved=0))
            session.execute(delete(Reservation))
            skus = sorted(set(session.scalars(select(StockLevel.sku).where(
                StockLevel.location_code == "WH01"))))
            have = set(session.execute(select(StockLevel.location_code, StockLevel.sku)))
            for store in ("MI01", "RM01", "TO01", "FI01", "WH01"):
                session.add_all(StockLevel(location_code=store, sku=sku, on_hand=STOCK,
                                           reserved=0)
                                for sku in skus if (store, sku) not in have)
    finally:
        db.dispose()
    return tokens, skus


def add_tills(url: str, count: int = TILLS) -> list[str]:
    """``count`` more tills at MI01 (``MI01 bench till N``); their device tokens.
    Only this bench's: the other benches seeded by :func:`prepare` keep the
    demo's one till a store."""
    db = Database(url)
    try:
        with db.write() as session:
            return [auth.add_device(session, kind=DeviceKind.POS, name=f"MI01 bench till {i}",
                                    store_code="MI01") for i in range(count)]
    finally:
        db.dispose()


def web_order(token: str, skus: tuple[str, ...]) -> Shape:
    body = json.dumps({"lines": [{"sku": "{sku}", "qty": 1}], "fulfilment": "delivery",
                       "delivery_address": "Via Roma 1, 20121 Milano",
                       "contact": {"email": "bench@example.it"}})
    return Shape("POST", "/v1/orders", {"Authorization": f"Bearer {token}",
                                        "Idempotency-Key": "{key}"}, body, skus)


def _signed_in(base: str, token: str) -> dict[str, str]:
    """A till's headers, the cashier signed in and the drawer open."""
    headers = {"Authorization": f"Bearer {token}"}
    staff = httpx.post(f"{base}/v1/auth/staff", json={"pin": "1111"}, headers=headers,
                       timeout=30).raise_for_status().json()["token"]
    headers["X-Staff-Token"] = staff
    opened = httpx.post(f"{base}/v1/till/open", json={"float_cents": 10_000}, headers=headers,
                        timeout=30)
    if opened.status_code not in (200, 201, 409):
        opened.raise_for_status()
    return headers


def till_sale(base: str, tokens: list[str], skus: tuple[str, ...]) -> Shape:
    """Three lines paid in cash at MI01, client *i* at till *i mod len(tokens)*."""
    tills = tuple(_signed_in(base, token) for token in tokens)
    body = json.dumps({"lines": [{"sku": "{sku}", "qty": 1}] * 3, "fulfilment": "carry_out",
                       "payments": [{"tender": "cash", "amount_cents": 10**7}]})
    return Shape("POST", "/v1/orders", {"Idempotency-Key": "{key}"}, body, skus,
                 per_client=tills)


HEALTH = Shape("GET", "/v1/health")


def measure(url: str, var_dir: Path, *, workers: int, seconds: float,
            clients: tuple[int, ...] = CLIENTS, cases: tuple[str, ...] = ("web", "till"),
            ) -> tuple[list[Row], Peak]:
    """Every case at every client count, each count beginning with the same
    server's health rate at that count (measured seconds before, so a ratio
    compares one moment of a noisy machine with the next); and the peak memory
    of the server's processes (and PostgreSQL backends) over the whole run."""
    tokens, skus = prepare(url, var_dir)
    tills = add_tills(url) if "till" in cases else []
    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    rows: list[Row] = []
    with running_core(url, var_dir, secret=SECRET, workers=workers) as base, LoadPool() as pool:
        port = int(base.rpartition(":")[2])
        pool.drive(base, HEALTH, clients=8, seconds=1)  # warm every worker up
        spread = tuple(skus)  # every SKU of the demo catalog, round robin
        shapes: dict[str, Shape] = {}
        if "web" in cases:
            shapes["web order, spread"] = web_order(tokens["WEB"]["web"], spread)
            shapes["web order, hot item"] = web_order(tokens["WEB"]["web"], (skus[0],))
        if "till" in cases:
            shapes["till sale, spread"] = till_sale(base, tills, spread)
            shapes["till sale, hot item"] = till_sale(base, tills, (skus[1],))
        if "drawer" in cases:
            shapes["till sale, one drawer"] = till_sale(base, [tokens["MI01"]["pos"]], spread)
        for shape in shapes.values():  # the first orders pay for cold caches: not counted
            pool.drive(base, shape, clients=2, seconds=0.5)
        with PeakSampler(core_groups(port, url)) as memory:
            for n in clients:
                health = pool.drive(base, HEALTH, clients=n, seconds=seconds,
                                    warmup=WARMUP).rate
                print(f"  {database} {workers}w health, {n} clients: {health:.0f}/s", flush=True)
                for name, shape in shapes.items():
                    if n == 1 and name.endswith("hot item"):
                        continue  # one client contends with nobody: the spread row says it
                    sampler = WaitSampler(url) if database == "PostgreSQL" else nullcontext()
                    with sampler:
                        out: Outcome = pool.drive(base, shape, clients=n, seconds=seconds,
                                                  warmup=WARMUP)
                    rows.append(Row(database, workers, name, n, out.rate, out.pct(0.50),
                                    out.pct(0.95), out.pct(0.99), out.errors, health,
                                    sampler.top() if isinstance(sampler, WaitSampler) else [],
                                    len(out.latencies)))
                    print(f"  {database} {workers}w {name}, {n} clients: {out.rate:.1f}/s, "
                          f"p50 {out.pct(0.5):.0f} ms, p99 {out.pct(0.99):.0f} ms"
                          + (f", {out.errors} errors {out.statuses}" if out.errors else ""),
                          flush=True)
    return rows, memory.peak


def print_rows(rows: list[Row]) -> None:
    print(f"{'database':10} {'w':>1} {'case':22} {'cl':>3} {'ord/s':>7} {'p50':>7} {'p95':>7} "
          f"{'p99':>7} {'p99/p50':>7} {'health/s':>8} {'x hlth':>6}")
    for r in rows:
        print(f"{r.database:10} {r.workers:1d} {r.case:22} {r.clients:3d} {r.rate:7.1f} "
              f"{r.p50:7.1f} {r.p95:7.1f} {r.p99:7.1f} {r.p99 / r.p50:7.1f} {r.health:8.0f} "
              f"{r.rate / r.health:6.2f}")
        for what, busy in r.waits:
            print(f"{'':14} {busy:5.1f} busy backends: {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--postgres", default="", help="an empty database URL to use")
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS))
    parser.add_argument("--cases", nargs="+", default=["web", "till"],
                        help="web, till (spread tills), drawer (every client on one till)")
    args = parser.parse_args()
    rows: list[Row] = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            url = args.postgres or f"sqlite:///{folder}/bench.db"
            if args.postgres:
                from bench.pgdb import fresh_database

                url = fresh_database(args.postgres, "omnitill_bench")
            try:
                rows += measure(url, Path(folder), workers=workers, seconds=args.seconds,
                                clients=tuple(args.clients), cases=tuple(args.cases))[0]
            finally:
                if args.postgres:
                    from bench.pgdb import drop_database

                    drop_database(url)
    print_rows(rows)


if __name__ == "__main__":
    main()
