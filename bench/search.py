"""Search at 100,000 products: the index against a ``LIKE`` scan on the same data.

A catalog of ``--products`` (default 100,000) generated rows goes in by a bulk
path (``COPY`` on PostgreSQL, one ``executemany`` per 10,000 rows on SQLite,
never the ORM row by row): about one in eight names holds a word starting with
"cott" (cotton, cottage), as a clothing chain's catalog does. Each query shape
then runs ``--runs`` times through :func:`core.catalog.search.search_skus` (what
``GET /v1/products?q=`` runs) and through an unranked ``LIKE '%word%'`` scan
that returns the same page size in name order; the table shows p50/p95 of each
and how many times faster the index is (on the medians).

    .venv/bin/python -m bench.search [--postgres URL] [--products 100000]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.pgdb import drop_database, fresh_database
from core.catalog.search import search_skus, search_text_for, search_words
from core.db import Database
from core.migrate import upgrade

SHAPES = {
    "common prefix": "cott",
    "selective word": "zephyr",
    "two words": "cotton shirt",
    "no match": "qqqzzz",
}
PAGE = 25
_ADJECTIVES = ["classic", "slim", "relaxed", "organic", "vintage", "light", "heavy", "soft",
               "washed", "striped", "plain", "printed", "ribbed", "brushed", "stretch"]
_MATERIALS = ["linen", "wool", "denim", "silk", "jersey", "fleece", "canvas", "nylon",
              "cashmere", "modal", "viscose", "leather", "suede", "polyester"]
_GARMENTS = ["shirt", "tee", "polo", "hoodie", "jacket", "trousers", "shorts", "dress",
             "skirt", "sweater", "cardigan", "coat", "scarf", "socks", "cap", "blazer"]
_BRANDS = ["acme", "northwind", "fabrikam", "contoso", "tailspin", "litware", "adatum",
           "proseware", "wingtip", "fourth"]
_COLOURS = ["black", "white", "navy", "grey", "red", "green", "sand", "olive"]
_SIZES = ["XS", "S", "M", "L", "XL"]
_CATEGORIES = [("TOPS", "Tops"), ("BOTTOMS", "Bottoms"), ("OUTER", "Outerwear"),
               ("ACCESS", "Accessories")]


def _rows(count: int, seed: int = 17) -> list[dict[str, object]]:
    """Products in styles of ten variants (two colours x five sizes)."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for n in range(count):
        style = n // 10
        if n % 10 == 0:
            draw = rng.random()
            material = "cotton" if draw < 0.09 else "cottage" if draw < 0.12 else \
                rng.choice(_MATERIALS)
            words = [rng.choice(_ADJECTIVES), material, rng.choice(_GARMENTS)]
            if style % 2000 == 7:
                words.insert(0, "zephyr")
            name = " ".join(w.capitalize() for w in words)
            brand = rng.choice(_BRANDS)
            code, category = rng.choice(_CATEGORIES)
        colour, size = _COLOURS[(n // 5) % 2 + style % 4 * 2], _SIZES[n % 5]
        rows.append({
            "sku": f"S{n:07d}", "gtin": None, "name": f"{name}, {colour} {size}",
            "description": f"A {name.lower()} by {brand}.", "category_code": code,
            "brand": brand, "style": f"ST{style:06d}", "size": size, "colour": colour,
            "price_cents": 990 + n % 9000, "vat_rate_bp": 2200, "active": True,
            "translations": "{}", "updated_at": "2026-11-23 00:00:00",
            "search_text": search_text_for(f"{name} {colour} {size}", brand, category, code,
                                           f"S{n:07d}", f"A {name.lower()} by {brand}."),
        })
    return rows


def generate(db: Database, count: int) -> float:
    """Seconds to insert ``count`` products by the bulk path of the database."""
    began = time.perf_counter()
    rows = _rows(count)
    columns = list(rows[0])
    with db.write() as session:
        for code, name in _CATEGORIES:
            session.execute(text("INSERT INTO categories (code, name, final_sale, translations) "
                                 "VALUES (:c, :n, false, '{}')"), {"c": code, "n": name})
        if db.is_sqlite:
            sql = (f"INSERT INTO products ({', '.join(columns)}) VALUES "
                   f"({', '.join(':' + c for c in columns)})")
            for start in range(0, len(rows), 10_000):
                session.execute(text(sql), rows[start:start + 10_000])
        else:
            raw = session.connection().connection.driver_connection
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join(r"\N" if row[c] is None else
                                       str(row[c]).replace("\t", " ") for c in columns) + "\n")
            with raw.cursor() as cursor, cursor.copy(  # type: ignore[union-attr]
                    f"COPY products ({', '.join(columns)}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
    # A bulk load is followed by what autovacuum would do: statistics, and on
    # PostgreSQL the GIN index's pending list merged into the index proper.
    with db.writer_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE" if db.is_sqlite else "VACUUM ANALYZE products"))
    return time.perf_counter() - began


def _like_scan(session: Session, query: str) -> list[str]:
    """What a catalog without the index does: every word a substring, name order."""
    words = search_words(query)
    clauses = " AND ".join(f"search_text LIKE :w{i}" for i in range(len(words)))
    params: dict[str, object] = {f"w{i}": f"%{w}%" for i, w in enumerate(words)}
    return list(session.scalars(text(
        f"SELECT sku FROM products WHERE active AND {clauses} ORDER BY name, sku LIMIT {PAGE}"),
        params))


@dataclass
class Row:
    database: str
    shape: str
    query: str
    found: int
    index_p50_ms: float
    index_p95_ms: float
    scan_p50_ms: float
    scan_p95_ms: float

    @property
    def speedup(self) -> float:
        """On medians: on a shared machine a p95 is one neighbour's burst."""
        return self.scan_p50_ms / self.index_p50_ms if self.index_p50_ms else 0.0


def _time(session: Session, run: Callable[[], object], runs: int) -> tuple[float, float]:
    run()  # warm the caches as a serving core has them
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        took.append((time.perf_counter() - began) * 1000)
    cuts = statistics.quantiles(took, n=20)
    return statistics.median(took), cuts[18]


def measure(url: str, *, database: str, products: int, runs: int) -> tuple[float, list[Row]]:
    upgrade(url)
    with Database(url) as db:
        seeded = generate(db, products)
        rows: list[Row] = []
        with db.read() as session:
            for shape, query in SHAPES.items():
                found = len(search_skus(session, query=query, category=None, limit=10**6,
                                        offset=0) or [])
                index = _time(session, lambda q=query: search_skus(  # type: ignore[misc]
                    session, query=q, category=None, limit=PAGE, offset=0), runs)
                scan = _time(session, lambda q=query: _like_scan(session, q),  # type: ignore[misc]
                             runs)
                rows.append(Row(database, shape, query, found, *index, *scan))
            grouped = _time(session, lambda: search_skus(
                session, query="cott", category=None, limit=PAGE, offset=0, by_style=True), runs)
            rows.append(Row(database, "common prefix, by style", "cott", 0, *grouped,
                            *_time(session, lambda: _like_scan(session, "cott"), runs)))
    return seeded, rows


def table(rows: list[Row]) -> str:
    lines = [f"{'database':<10} {'shape':<24} {'query':<13} {'found':>6} "
             f"{'index p50/p95 ms':>17} {'LIKE p50/p95 ms':>16} {'faster (p50)':>12}"]
    for r in rows:
        lines.append(
            f"{r.database:<10} {r.shape:<24} {r.query:<13} {r.found or '':>6} "
            f"{r.index_p50_ms:>8.2f}/{r.index_p95_ms:<8.2f} "
            f"{r.scan_p50_ms:>7.1f}/{r.scan_p95_ms:<8.1f} {r.speedup:>11.0f}x")
    return "\n".join(lines)


def run(postgres: str | None, products: int, runs: int) -> tuple[dict[str, float], list[Row]]:
    """Seconds each database took to take the catalog in, and the rows of the table."""
    rows: list[Row] = []
    seeded: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        seeded["sqlite"], found = measure(f"sqlite:///{Path(folder)}/search.db",
                                          database="sqlite", products=products, runs=runs)
        rows += found
    if postgres:
        url = fresh_database(postgres, "omnitill_search")
        try:
            seeded["postgresql"], found = measure(url, database="postgresql",
                                                  products=products, runs=runs)
            rows += found
        finally:
            drop_database(url)
    return seeded, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL; a fresh database beside it is used")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    seeded, rows = run(args.postgres, args.products, args.runs)
    for database, seconds in seeded.items():
        print(f"{database}: {args.products:,} products generated in {seconds:.1f} s")
    print(table(rows))
    print("target: index p95 < 15 ms on every shape and >= 10x faster than the LIKE scan")


if __name__ == "__main__":
    main()
