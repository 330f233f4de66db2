"""The benchmark suite (``make bench``): one table with the targets beside the
figures, and the whole run as JSON under ``bench/results/``.

- checkout (a web delivery order; a till cash sale of three lines) on spread
  items and on one hot item, at 1, 8 and 32 clients, p50/p95/p99 and rate,
  on SQLite with 1 worker and, given a PostgreSQL URL, with 1 and 2 workers,
  beside the same server's ``GET /v1/health`` rate;
- SQL statements, transactions and CPU per request (:mod:`bench.statements`);
- the offline replay of a till's outbox (:mod:`bench.offline_replay`);
- search p50/p95 on a generated 100,000-product catalog against a ``LIKE``
  scan of the same data (:mod:`bench.search`).

The load comes from processes of its own (:mod:`bench.loadgen`), not from
threads beside the code that counts.

    .venv/bin/python -m bench [--postgres URL] [--seconds 4] [--quick]

Without ``--postgres``, ``OMNITILL_BENCH_DATABASE_URL`` names the server; with
neither, the PostgreSQL rows are skipped (and the table says so).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import checkout, search, statements
from bench.pgdb import drop_database, fresh_database

RESULTS = Path(__file__).parent / "results"


def _checkout(url: str | None, workers: int, seconds: float, clients: tuple[int, ...],
              cases: tuple[str, ...]) -> list[checkout.Row]:
    with tempfile.TemporaryDirectory() as folder:
        db_url = fresh_database(url, "omnitill_bench") if url else \
            f"sqlite:///{folder}/bench.db"
        try:
            return checkout.measure(db_url, Path(folder), workers=workers, seconds=seconds,
                                    clients=clients, cases=cases)
        finally:
            if url:
                drop_database(db_url)


def _find(rows: list[checkout.Row], database: str, workers: int, case: str,
          clients: int) -> checkout.Row | None:
    return next((r for r in rows if (r.database, r.workers, r.case, r.clients)
                 == (database, workers, case, clients)), None)


def targets(rows: list[checkout.Row]) -> list[tuple[str, str, str, bool | None]]:
    """(target, figure, wanted, met) for each target of issue 17 this run can judge."""
    out: list[tuple[str, str, str, bool | None]] = []
    top = max(r.clients for r in rows)
    for case in ("web order, spread", "till sale, spread"):
        one = _find(rows, "PostgreSQL", 1, case, top)
        two = _find(rows, "PostgreSQL", 2, case, top)
        if one and two:
            ratio = two.rate / one.rate
            out.append((f"PostgreSQL 2 workers / 1, {case}, {top} clients", f"{ratio:.2f}x",
                        ">= 1.6x", ratio >= 1.6))
        else:
            out.append((f"PostgreSQL 2 workers / 1, {case}", "not run", ">= 1.6x", None))
        sqlite = _find(rows, "SQLite", 1, case, top)
        if sqlite:
            tail = sqlite.p99 / sqlite.p50
            out.append((f"SQLite p99 / p50, {case}, {top} clients", f"{tail:.1f}x", "<= 4x",
                        tail <= 4))
            share = sqlite.rate / sqlite.health
            out.append((f"SQLite checkout / health rate, {case}, {top} clients",
                        f"{share:.2f}", ">= 0.30", share >= 0.30))
    return out


def print_table(rows: list[checkout.Row], costs: list[statements.Cost],
                judged: list[tuple[str, str, str, bool | None]], offline: dict[str, Any] | None
                ) -> None:
    print()
    checkout.print_rows(rows)
    print()
    print(f"{'request (SQLite, in process)':32} {'statements':>10} {'transactions':>12} "
          f"{'CPU ms':>7}")
    for c in costs:
        print(f"{c.case:32} {c.statements:10.1f} {c.transactions:12.1f} {c.cpu_ms:7.2f}")
    if offline:
        print(f"\noffline replay: {offline['sales']} sales in {offline['seconds']:.1f} s "
              f"({offline['rate']:.0f}/s), duplicates {offline['duplicates']} (target 0)")
    print(f"\n{'target':58} {'figure':>9} {'wanted':>9}  met")
    for name, figure, wanted, met in judged:
        verdict = {True: "yes", False: "NO", None: "-"}[met]
        print(f"{name:58} {figure:>9} {wanted:>9}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0, help="per measured case")
    parser.add_argument("--postgres", default=os.environ.get("OMNITILL_BENCH_DATABASE_URL", ""),
                        help="a PostgreSQL URL; a fresh database is made beside it per run")
    parser.add_argument("--quick", action="store_true",
                        help="web orders only, 8 and 32 clients (about 2 minutes)")
    parser.add_argument("--offline-sales", type=int, default=500,
                        help="sales in the offline replay case (0 skips it)")
    parser.add_argument("--search-products", type=int, default=100_000,
                        help="products in the search case's catalog (0 skips it)")
    args = parser.parse_args()
    began = time.monotonic()
    clients = (8, 32) if args.quick else checkout.CLIENTS
    cases = ("web",) if args.quick else ("web", "till")
    rows = _checkout(None, 1, args.seconds, clients, cases)
    if args.postgres:
        for workers in (1, 2):
            rows += _checkout(args.postgres, workers, args.seconds, clients, cases)
    with tempfile.TemporaryDirectory() as folder:
        costs = statements.measure(f"sqlite:///{folder}/statements.db", Path(folder), 30)
    offline: dict[str, Any] | None = None
    if args.offline_sales:
        from bench.offline_replay import run_offline

        with tempfile.TemporaryDirectory() as folder:
            offline = run_offline(f"sqlite:///{folder}/offline.db", Path(folder),
                                  args.offline_sales)
    found: list[search.Row] = []
    if args.search_products:
        found = search.run(args.postgres or None, args.search_products, 60)[1]
    judged = targets(rows) + (search.targets(found) if found else [])
    if found:
        print()
        print(search.table(found))
    print_table(rows, costs, judged, offline)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(json.dumps({
        "when": stamp, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                   "system": platform.platform(),
                                   "load_average": os.getloadavg()},
        "seconds_per_case": args.seconds, "checkout": [asdict(r) for r in rows],
        "per_request": [asdict(c) for c in costs], "offline_replay": offline,
        "search": [asdict(r) for r in found],
        "targets": [dict(zip(("target", "figure", "wanted", "met"), t, strict=True))
                    for t in judged],
        "took_seconds": time.monotonic() - began,
    }, indent=1))
    print(f"\n{path} ({time.monotonic() - began:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
