"""ERP imports at 100,000 products: a catalog dry run, the import itself, the same
file again (nothing changes), a price change on every product; then a stock level
at a warehouse for each product, and a change to each (a movement and a
``stock.changed`` event apiece).

Each step runs :func:`core.imports.service.run_import` on a CSV generated in
memory (what ``omnitill import catalog`` and ``POST /v1/imports/catalog`` run),
in one transaction, into a fresh migrated database (SQLite, and PostgreSQL when
given a URL). Prints seconds per step.

    .venv/bin/python -m bench.imports [--postgres URL] [--products 100000]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time

from bench.pgdb import drop_database, fresh_database
from core.catalog import writes
from core.db import Database
from core.imports.service import run_import
from core.migrate import upgrade
from shared.schemas.imports import ImportKind


def catalog_csv(products: int, price_offset: int = 0) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["sku", "name", "category_code", "brand", "size", "colour", "price_cents",
                     "vat_rate_bp"])
    for n in range(products):
        writer.writerow([f"BULK-{n:06d}", f"Bulk tee {n}", "clothing", "Portico", "SML"[n % 3],
                         "Navy", 1000 + n % 5000 + price_offset, 2200])
    return out.getvalue().encode()


def stock_csv(products: int, on_hand: int) -> bytes:
    lines = ["location,sku,on_hand"] + [f"WH01,BULK-{n:06d},{on_hand + n % 7}"
                                        for n in range(products)]
    return ("\n".join(lines) + "\n").encode()


def measure(url: str, products: int) -> list[tuple[str, float, str]]:
    upgrade(url)
    db = Database(url)
    rows: list[tuple[str, float, str]] = []
    try:
        with db.write() as session:
            writes.upsert_category(session, code="clothing", name="Clothing", final_sale=False)
            writes.upsert_location(session, code="WH01", name="Warehouse", kind="warehouse",
                                   has_till=False)
        catalog, stock = ImportKind.CATALOG, ImportKind.STOCK
        for step, kind, data, dry_run in (
                ("catalog: dry run (all new)", catalog, catalog_csv(products), True),
                ("catalog: import (all new)", catalog, catalog_csv(products), False),
                ("catalog: same file again", catalog, catalog_csv(products), False),
                ("catalog: every price changed", catalog, catalog_csv(products, 100), False),
                ("stock: a level for each", stock, stock_csv(products, 5), False),
                ("stock: each level changed", stock, stock_csv(products, 9), False)):
            started = time.perf_counter()
            with db.read() if dry_run else db.write() as session:
                result = run_import(session, kind=kind, data=data, dry_run=dry_run)
            took = time.perf_counter() - started
            rows.append((step, took, f"created {result.created}, updated {result.updated}, "
                                     f"unchanged {result.unchanged}"))
    finally:
        db.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL (a fresh database beside it)")
    parser.add_argument("--products", type=int, default=100_000)
    args = parser.parse_args()
    targets: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        targets.append(("SQLite", f"sqlite:///{folder}/imports.db"))
        pg = fresh_database(args.postgres, "omnitill_bench_imports") if args.postgres else None
        if pg:
            targets.append(("PostgreSQL", pg))
        try:
            print(f"| database | step ({args.products:,} rows) | seconds | result |")
            print("| --- | --- | ---: | --- |")
            for name, url in targets:
                for step, took, result in measure(url, args.products):
                    print(f"| {name} | {step} | {took:.1f} | {result} |")
        finally:
            if pg:
                drop_database(pg)


if __name__ == "__main__":
    main()
