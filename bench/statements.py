"""SQL statements, transactions and server CPU per request, counted in process.

These counts do not depend on how busy the machine is, so they compare a
before and an after exactly where timings on a shared machine cannot.

    .venv/bin/python -m bench.statements [--postgres URL] [--repeat 50]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event

from bench.checkout import prepare
from core.app import create_app
from core.db import Database
from core.settings import CoreSettings

with warnings.catch_warnings():  # Starlette's notice about httpx2, irrelevant here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SECRET = "bench-secret-" + "x" * 40


@dataclass(slots=True)
class Count:
    statements: int = 0
    transactions: int = 0


@dataclass(frozen=True, slots=True)
class Cost:
    case: str
    statements: float
    transactions: float
    cpu_ms: float


def _listen(db: Database, count: Count) -> None:
    engines = {db.writer_engine, db.reader_engine}
    for engine in engines:
        @event.listens_for(engine, "before_cursor_execute")
        def _statement(*_args: Any) -> None:
            count.statements += 1

        @event.listens_for(engine, "begin")
        def _begin(*_args: Any) -> None:
            count.transactions += 1


@contextmanager
def requests(url: str, var_dir: Path) -> Iterator[tuple[Database, dict[str, Callable[[int], Any]]]]:
    """A seeded core in process and the requests measured, by name: call one with a
    running number (it picks the SKUs). Also what :mod:`bench.profile` profiles."""
    tokens, skus = prepare(url, var_dir)
    db = Database(url)
    settings = CoreSettings(database_url=url, var_dir=var_dir, secret=SECRET)
    try:
        with TestClient(create_app(settings, database=db)) as http:
            web = {"Authorization": f"Bearer {tokens['WEB']['web']}"}
            till = {"Authorization": f"Bearer {tokens['MI01']['pos']}"}
            till["X-Staff-Token"] = http.post("/v1/auth/staff", json={"pin": "1111"},
                                              headers=till).json()["token"]
            http.post("/v1/till/open", json={"float_cents": 10_000}, headers=till)

            def web_order(i: int) -> Any:
                return http.post("/v1/orders",
                                 headers=web | {"Idempotency-Key": uuid.uuid4().hex},
                                 json={"lines": [{"sku": skus[i % 50], "qty": 1}],
                                       "fulfilment": "delivery",
                                       "delivery_address": "Via Roma 1, 20121 Milano",
                                       "contact": {"email": "bench@example.it"}})

            def till_sale(i: int) -> Any:
                return http.post("/v1/orders",
                                 headers=till | {"Idempotency-Key": uuid.uuid4().hex},
                                 json={"lines": [{"sku": skus[(i + k) % 50], "qty": 1}
                                                 for k in range(3)],
                                       "payments": [{"tender": "cash", "amount_cents": 10**7}]})

            yield db, {
                "GET /v1/health": lambda i: http.get("/v1/health"),
                "GET /v1/stores (device token)": lambda i: http.get("/v1/stores", headers=web),
                "GET /v1/till (staff token)": lambda i: http.get("/v1/till", headers=till),
                "web delivery order, 1 line": web_order,
                "till cash sale, 3 lines": till_sale,
            }
    finally:
        db.dispose()


def measure(url: str, var_dir: Path, repeat: int) -> list[Cost]:
    count = Count()
    costs: list[Cost] = []
    with requests(url, var_dir) as (db, cases):
        _listen(db, count)
        for name, call in cases.items():
            call(0).raise_for_status()  # warm the statement caches
            count.statements = count.transactions = 0
            cpu = time.process_time()
            for i in range(repeat):
                call(i + 1).raise_for_status()
            spent = time.process_time() - cpu
            costs.append(Cost(name, count.statements / repeat, count.transactions / repeat,
                              spent / repeat * 1000))
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="", help="a database URL on the server to use")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", default="", help="write the counts to this file too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/statements.db"
        if args.postgres:
            from bench.pgdb import drop_database, fresh_database

            url = fresh_database(args.postgres, "omnitill_statements")
        try:
            costs = measure(url, Path(folder), args.repeat)
        finally:
            if args.postgres:
                drop_database(url)
    print(f"{'request':32} {'statements':>10} {'transactions':>12} {'CPU ms':>7}")
    for c in costs:
        print(f"{c.case:32} {c.statements:10.1f} {c.transactions:12.1f} {c.cpu_ms:7.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps([c.__dict__ if hasattr(c, "__dict__") else
                                               {f: getattr(c, f) for f in c.__slots__}
                                               for c in costs], indent=1))


if __name__ == "__main__":
    main()
