"""Catalog and price-list imports: products by SKU, in bulk.

A catalog row is a whole product (name, category, price, VAT rate, and any of
the optional columns); a price-list row only moves an existing product's
price. Both write with ``executemany`` through SQLAlchemy Core (100,000
products are a few seconds, where one ORM object per row took minutes) and
compute ``search_text`` exactly as :func:`core.catalog.writes.upsert_product`
does, so search finds an imported product as it finds a seeded one. Both end
with the one ``catalog.changed`` event every catalog writer emits
(:func:`core.catalog.writes.catalog_changed`), so tills re-copy their offline
catalog and kiosks follow.

A column the file does not have is left as each product has it (a new product
gets the default); a column present with an empty cell clears the value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, text, update
from sqlalchemy.orm import Session

from core.catalog import writes
from core.catalog.models import Category, Product
from core.catalog.search import search_text_for
from core.imports import cells
from core.imports.plan import CHUNK, Plan, Progress, among, chunks
from core.imports.reading import Columns, SourceRow
from core.timeutil import utcnow
from shared.codes import is_valid_ean13
from shared.schemas.imports import ImportKind

CATALOG = Columns(
    required=("sku", "name", "category_code", "price_cents", "vat_rate_bp"),
    optional=("gtin", "description", "brand", "style", "size", "colour", "active"),
)
PRICES = Columns(required=("sku", "price_cents"))

FIELDS = ("gtin", "name", "description", "category_code", "brand", "style", "size", "colour",
          "price_cents", "vat_rate_bp", "active")
"""Every column of a product an import writes (``translations`` stay as they are)."""
TABLE = cast(Table, Product.__table__)
"""Written through Core: ``executemany`` without an ORM object per row."""
SEARCHED = frozenset({"name", "brand", "category_code", "description"})
"""What ``search_text`` is made of (with the SKU and the translations)."""
DEFAULTS: dict[str, Any] = {"gtin": None, "description": "", "brand": "", "style": "",
                            "size": None, "colour": None, "active": True}


def _gtin(value: Any) -> str | None:
    found = cells.optional_text(value, longest=14)
    if found is not None and not is_valid_ean13(found):
        raise cells.CellError(f"{found} is not a valid EAN-13 barcode (13 digits, the last "
                              "one a check digit).")
    return found


CONVERT: dict[str, Callable[[Any], Any]] = {
    "sku": cells.sku,
    "name": lambda v: cells.text(v, longest=160, required=True),
    "category_code": lambda v: cells.text(v, longest=32, required=True),
    "price_cents": lambda v: cells.integer(v, cents=True),
    "vat_rate_bp": lambda v: cells.integer(v, high=10_000),
    "gtin": _gtin,
    "description": lambda v: cells.text(v, longest=5_000),
    "brand": lambda v: cells.text(v, longest=80),
    "style": lambda v: cells.text(v, longest=32),
    "size": lambda v: cells.optional_text(v, longest=16),
    "colour": lambda v: cells.optional_text(v, longest=32),
    "active": lambda v: cells.boolean(v, default=True),
}


def _convert(plan: Plan, row: SourceRow) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    for column, raw in row.cells.items():
        try:
            values[column] = CONVERT[column](raw)
        except cells.CellError as exc:
            plan.error(row.number, column, str(exc))
            ok = False
    return values if ok else None


def _category(row: SourceRow) -> str | None:
    """The category of a row with other errors, so its every problem is said at once."""
    try:
        found: str = CONVERT["category_code"](row.cells.get("category_code"))
    except cells.CellError:
        return None
    return found


def _products(session: Session, skus: list[str], *, lock: bool) -> dict[str, dict[str, Any]]:
    wanted = [TABLE.c[name] for name in ("sku", *FIELDS, "translations")]
    found: dict[str, dict[str, Any]] = {}
    for part in chunks(sorted(skus)):
        query = select(*wanted).where(among(session, TABLE.c.sku, part))
        if lock:
            query = query.with_for_update()
        found.update({r.sku: dict(r._mapping) for r in session.execute(query)})
    return found


def _unique_in_file(plan: Plan, rows: list[tuple[SourceRow, dict[str, Any]]],
                    column: str) -> None:
    first: dict[Any, int] = {}
    for row, values in rows:
        value = values.get(column)
        if value is None:
            continue
        if value in first:
            plan.error(row.number, column, f"{value} is also on row {first[value]}; each "
                                           "may appear once.")
        else:
            first[value] = row.number


def plan_catalog(session: Session, rows: list[SourceRow], *, lock: bool,
                 progress: Progress) -> Plan:
    plan = Plan(ImportKind.CATALOG, len(rows))
    categories = {c.code: c.name for c in session.scalars(select(Category))}
    converted: list[tuple[SourceRow, dict[str, Any]]] = []
    for done, row in enumerate(rows, start=1):
        values = _convert(plan, row)
        code = values.get("category_code") if values is not None else _category(row)
        if code is not None and code not in categories:
            plan.error(row.number, "category_code", (
                f"There is no category {code!r}; the categories are "
                f"{', '.join(sorted(categories))}."))
        elif values is not None:
            converted.append((row, values))
        if done % CHUNK == 0:
            progress("checking", done, len(rows))
    _unique_in_file(plan, converted, "sku")
    _unique_in_file(plan, converted, "gtin")
    existing = _products(session, [v["sku"] for _, v in converted], lock=lock)
    _check_gtins(session, plan, converted, existing)
    progress("checking", len(rows), len(rows))
    plan.refuse_if_wrong()
    now = utcnow()
    for row, values in converted:
        sku = values["sku"]
        before = existing.get(sku)
        if before is None:
            product = DEFAULTS | values
            shown = {k: product[k] for k in FIELDS}
            product |= {"translations": {}, "updated_at": now,
                        "search_text": _search_text(product, categories, {})}
            plan.create(row.number, sku, product, shown)
            continue
        changed = {k: [before[k], v] for k, v in values.items()
                   if k != "sku" and before[k] != v}
        if not changed:
            plan.unchanged += 1
            continue
        # Only what changes is written: a price list touches neither the search
        # index nor the barcode index.
        product = {k: v for k, v in values.items() if k in changed}
        product |= {"b_sku": sku, "updated_at": now}
        if SEARCHED.intersection(changed):
            whole = {k: before[k] for k in ("sku", *FIELDS)} | values
            product["search_text"] = _search_text(whole, categories,
                                                  before["translations"] or {})
        if "gtin" in changed and before["gtin"] is not None:
            plan.extra.setdefault("gtin_moves", []).append(sku)
        plan.update(row.number, sku, product, changed)
    return plan


def _check_gtins(session: Session, plan: Plan, rows: list[tuple[SourceRow, dict[str, Any]]],
                 existing: dict[str, dict[str, Any]]) -> None:
    """A barcode names one product: one the file gives a product must not be another
    product's, unless the file moves that product to another barcode (or none)."""
    given = [v["gtin"] for _, v in rows if v.get("gtin")]
    owners: dict[str, str] = {}
    for part in chunks(given):
        owners.update({gtin: sku for gtin, sku in session.execute(
            select(TABLE.c.gtin, TABLE.c.sku).where(among(session, TABLE.c.gtin, part)))})
    moved = {v["sku"] for _, v in rows if "gtin" in v and v["sku"] in existing
             and existing[v["sku"]]["gtin"] != v["gtin"]}
    for row, values in rows:
        owner = owners.get(values.get("gtin") or "")
        if owner is not None and owner != values["sku"] and owner not in moved:
            plan.error(row.number, "gtin", f"{values['gtin']} is the barcode of {owner}.")


def _search_text(product: dict[str, Any], categories: dict[str, str],
                 translations: dict[str, Any]) -> str:
    translated = [words.get("name") for words in translations.values()
                  if isinstance(words, dict)]
    code = product["category_code"]
    return " ".join(
        [search_text_for(product["name"], product["brand"], categories[code], code,
                         product.get("sku") or product.get("b_sku"), product["description"])]
        + [search_text_for(words) for words in translated if words])


_FTS_TRIGGERS = ("products_fts_insert", "products_fts_update")
"""SQLite's triggers that keep the search index in step row by row (migration 0002)."""


@contextmanager
def _search_index_in_bulk(session: Session, written: int) -> Iterator[None]:
    """SQLite: index a large import's rows in one pass instead of one by one.

    The FTS5 triggers cost ~0.15 ms a row (15 of 18 seconds for 100,000 new
    products); rebuilding the whole index costs ~0.015 ms a row of the table. So
    when the import writes more than an eighth of the catalog, the triggers are
    dropped, the index rebuilt after the writes and the triggers created again
    as they were, all inside the import's transaction: a failure rolls it all
    back, and other connections only ever see the schema with its triggers.
    PostgreSQL's GIN index is maintained by the database itself.
    """
    if session.get_bind().dialect.name != "sqlite" or written < 2_000 or written < (
            session.scalar(select(func.count()).select_from(TABLE)) or 0) // 8:
        yield
        return
    saved = session.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'products'"
    )).all()
    triggers = [(name, sql) for name, sql in saved if name in _FTS_TRIGGERS]
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    session.execute(text("INSERT INTO product_fts(product_fts) VALUES ('rebuild')"))
    for _name, sql in triggers:
        session.execute(text(sql))


def apply_catalog(session: Session, plan: Plan, progress: Progress) -> list[str]:
    """Write the plan; returns the SKUs it changed."""
    searched = len(plan.creates) + sum("search_text" in p for p in plan.updates)
    with _search_index_in_bulk(session, searched):
        _write_products(session, plan, progress)
    skus = [p["sku"] for p in plan.creates] + [p["b_sku"] for p in plan.updates]
    writes.catalog_changed(session, skus)
    return skus


def _write_products(session: Session, plan: Plan, progress: Progress) -> int:
    total, done = len(plan.creates) + len(plan.updates), 0
    # A barcode moving from one product to another: free the old ones first, or the
    # unique index refuses the update that takes one over before its owner let go.
    freed = [{"b_sku": sku} for sku in plan.extra.get("gtin_moves", [])]
    for part in chunks(freed):
        session.execute(update(TABLE).where(TABLE.c.sku == bindparam("b_sku"))
                        .values(gtin=None), list(part))
    for part in chunks(plan.creates):
        session.execute(TABLE.insert(), list(part))
        done += len(part)
        progress("writing", done, total)
    alike: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for product in plan.updates:  # one executemany per set of changed columns
        alike.setdefault(tuple(sorted(product)), []).append(product)
    for columns, products in alike.items():
        statement = update(TABLE).where(TABLE.c.sku == bindparam("b_sku")).values(
            {name: bindparam(name) for name in columns if name != "b_sku"})
        for part in chunks(products):
            session.execute(statement, list(part))
            done += len(part)
            progress("writing", done, total)
    return done


def plan_prices(session: Session, rows: list[SourceRow], *, lock: bool,
                progress: Progress) -> Plan:
    plan = Plan(ImportKind.PRICES, len(rows))
    converted = [(row, values) for row in rows
                 if (values := _convert(plan, row)) is not None]
    _unique_in_file(plan, converted, "sku")
    existing = _products(session, [v["sku"] for _, v in converted], lock=lock)
    for row, values in converted:
        if values["sku"] not in existing:
            plan.error(row.number, "sku", f"There is no product {values['sku']}; a price "
                                          "list changes prices, a catalog import adds "
                                          "products.")
    progress("checking", len(rows), len(rows))
    plan.refuse_if_wrong()
    now = utcnow()
    for row, values in converted:
        before = existing[values["sku"]]["price_cents"]
        if before == values["price_cents"]:
            plan.unchanged += 1
            continue
        plan.update(row.number, values["sku"], {"b_sku": values["sku"], "updated_at": now,
                                                "price_cents": values["price_cents"]},
                    {"price_cents": [before, values["price_cents"]]})
    return plan


def apply_prices(session: Session, plan: Plan, progress: Progress) -> list[str]:
    statement = update(TABLE).where(TABLE.c.sku == bindparam("b_sku")).values(
        price_cents=bindparam("price_cents"), updated_at=bindparam("updated_at"))
    done = 0
    for part in chunks(plan.updates):
        session.execute(statement, list(part))
        done += len(part)
        progress("writing", done, len(plan.updates))
    skus = [p["b_sku"] for p in plan.updates]
    writes.catalog_changed(session, skus)
    return skus
