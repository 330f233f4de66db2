"""Stock import: the ERP's on-hand figure per (location, SKU), set as a count is.

A row says how many units are on the shelf (``on_hand``); what is reserved for
orders and baskets stays reserved, so a figure below what is reserved is
refused for that row (those orders would be promised goods that are not
there: a person decides which), exactly as a count at a till is
(:func:`core.stock.service.set_count`). Every change is a stock movement
(reason ``import``, its delta, who imported) and a ``stock.changed`` event, as
every other writer of stock records them, so the ERP export's ``--since``, the
kiosks' availability and the tills all see it. The levels are read locked in
the import's own transaction, so a sale between the check and the write cannot
slip under the figure.

The stock export's columns (``location, sku, on_hand, reserved, available``)
import back as they are: ``reserved`` and ``available`` are the core's own
figures and are read past.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.orm import Session

from core.catalog.models import Product
from core.events.service import emit
from core.imports import cells
from core.imports.plan import CHUNK, Plan, Progress, among, chunks
from core.imports.reading import Columns, SourceRow
from core.stock.models import StockLevel, StockMovement
from core.stores.models import Location
from core.timeutil import utcnow
from shared.schemas.imports import ImportKind

LEVELS = cast(Table, StockLevel.__table__)
MOVEMENTS = cast(Table, StockMovement.__table__)
PRODUCTS = cast(Table, Product.__table__)

REASON = "import"
"""The movements' reason: told apart from a count on the floor (``count``), so the
discrepancies a manager reviews stay the store's own."""


def columns(store: str | None) -> Columns:
    return Columns(required=("location", "sku", "on_hand"), ignored=("reserved", "available"),
                   defaults={"location": store} if store else {})


def _levels(session: Session, pairs: list[tuple[str, str]], *, lock: bool
            ) -> dict[tuple[str, str], tuple[int, int]]:
    by_location: dict[str, list[str]] = defaultdict(list)
    for location, sku in pairs:
        by_location[location].append(sku)
    found: dict[tuple[str, str], tuple[int, int]] = {}
    # Sorted keys: the primary key's index reads an ``IN`` list in its own order, so
    # two imports of overlapping files lock in one order and wait rather than
    # deadlock. (An ORDER BY here made PostgreSQL walk the whole index per chunk.)
    for location, skus in sorted(by_location.items()):
        for part in chunks(sorted(skus)):
            query = select(LEVELS.c.sku, LEVELS.c.on_hand, LEVELS.c.reserved).where(
                LEVELS.c.location_code == location, among(session, LEVELS.c.sku, part))
            if lock:
                query = query.with_for_update()
            found.update({(location, r.sku): (r.on_hand, r.reserved)
                          for r in session.execute(query)})
    return found


def _known_skus(session: Session, skus: list[str]) -> set[str]:
    known: set[str] = set()
    for part in chunks(sorted(set(skus))):
        known.update(session.scalars(select(PRODUCTS.c.sku).where(
            among(session, PRODUCTS.c.sku, part))))
    return known


def plan_stock(session: Session, rows: list[SourceRow], *, store: str | None, lock: bool,
               progress: Progress) -> Plan:
    plan = Plan(ImportKind.STOCK, len(rows))
    locations = set(session.scalars(select(Location.code)))
    wanted: list[tuple[SourceRow, str, str, int]] = []
    for done, row in enumerate(rows, start=1):
        try:
            location = cells.text(row.cells["location"], longest=8, required=True).upper()
            if location not in locations:
                raise cells.CellError(f"There is no store or warehouse {location!r}.")
            if store is not None and location != store:
                raise cells.CellError(f"This row is for {location}; the import was asked for "
                                      f"{store} only.")
        except cells.CellError as exc:
            plan.error(row.number, "location", str(exc))
            location = ""
        try:
            sku = cells.sku(row.cells["sku"])
        except cells.CellError as exc:
            plan.error(row.number, "sku", str(exc))
            sku = ""
        try:
            on_hand = cells.integer(row.cells["on_hand"])
        except cells.CellError as exc:
            plan.error(row.number, "on_hand", str(exc))
            on_hand = -1
        if location and sku and on_hand >= 0:
            wanted.append((row, location, sku, on_hand))
        if done % CHUNK == 0:
            progress("checking", done, len(rows))
    known = _known_skus(session, [sku for _, _, sku, _ in wanted])
    first: dict[tuple[str, str], int] = {}
    for row, location, sku, _ in wanted:
        if sku not in known:
            plan.error(row.number, "sku", f"There is no product {sku}.")
        elif (location, sku) in first:
            plan.error(row.number, "sku", f"{location}/{sku} is also on row "
                                          f"{first[location, sku]}; each may appear once.")
        else:
            first[location, sku] = row.number
    levels = _levels(session, list(first), lock=lock)
    for row, location, sku, on_hand in wanted:
        reserved = levels.get((location, sku), (0, 0))[1]
        if on_hand < reserved:
            plan.error(row.number, "on_hand", (
                f"{reserved} units of {sku} are reserved for orders at {location}; "
                f"{on_hand} on hand would break those promises. Cancel or re-source the "
                "orders first."))
    progress("checking", len(rows), len(rows))
    plan.refuse_if_wrong()
    for row, location, sku, on_hand in wanted:
        key = f"{location}/{sku}"
        current = levels.get((location, sku))
        if current is None:
            plan.create(row.number, key, {"location_code": location, "sku": sku,
                                          "on_hand": on_hand, "reserved": 0},
                        {"on_hand": on_hand})
        elif current[0] == on_hand:
            plan.unchanged += 1
        else:
            plan.update(row.number, key, {"b_location": location, "b_sku": sku,
                                          "on_hand": on_hand, "before": current[0],
                                          "reserved": current[1]},
                        {"on_hand": [current[0], on_hand]})
    return plan


def apply_stock(session: Session, plan: Plan, progress: Progress, *, reference: str,
                note: str, staff_id: int | None) -> None:
    now = utcnow()
    total, done = len(plan.creates) + len(plan.updates), 0
    for part in chunks(plan.creates):
        session.execute(LEVELS.insert(), list(part))
        done += len(part)
        progress("writing", done, total)
    # ``reserved <= on_hand`` again in the statement: the rows are locked, and the
    # database's CHECK would refuse it anyway; this keeps the refusal a clean one.
    statement = update(LEVELS).where(and_(
        LEVELS.c.location_code == bindparam("b_location"), LEVELS.c.sku == bindparam("b_sku"),
        LEVELS.c.reserved <= bindparam("on_hand"))).values(on_hand=bindparam("on_hand"))
    for part in chunks(plan.updates):
        session.execute(statement, [{k: p[k] for k in ("b_location", "b_sku", "on_hand")}
                                    for p in part])
        done += len(part)
        progress("writing", done, total)
    moves: list[dict[str, Any]] = (
        [{"location_code": p["location_code"], "sku": p["sku"], "delta": p["on_hand"],
          "on_hand": p["on_hand"], "reserved": 0} for p in plan.creates if p["on_hand"]]
        + [{"location_code": p["b_location"], "sku": p["b_sku"],
            "delta": p["on_hand"] - p["before"], "on_hand": p["on_hand"],
            "reserved": p["reserved"]} for p in plan.updates])
    for part in chunks(moves):
        session.execute(MOVEMENTS.insert(), [
            {"location_code": m["location_code"], "sku": m["sku"], "delta": m["delta"],
             "reason": REASON, "reference": reference, "note": note, "staff_id": staff_id,
             "created_at": now} for m in part])
    for m in moves:
        emit(session, "stock.changed", store=m["location_code"], subject=m["sku"],
             sku=m["sku"], location=m["location_code"], on_hand=m["on_hand"],
             reserved=m["reserved"], available=m["on_hand"] - m["reserved"])
