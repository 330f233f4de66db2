"""What an ERP takes from the core: order lines and stock levels, as rows.

Incremental by ``since``: orders changed since then (placed, paid, collected,
cancelled, returned: ``updated_at`` moves with each), stock levels of the
(location, SKU) pairs that moved since then. Rows are streamed from the
database in batches, so a year of a chain's orders never sits in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, tuple_
from sqlalchemy.orm import Session

from core.orders.models import Order, OrderLine
from core.stock.models import StockLevel, StockMovement

BATCH = 2_000

ORDER_COLUMNS = (
    "number", "created_at", "updated_at", "channel", "store", "fulfilment", "pickup_store",
    "status", "customer_id", "currency", "order_total_cents", "line_no", "sku", "name", "qty",
    "qty_collected", "qty_cancelled", "qty_returned", "unit_price_cents", "discount_cents",
    "line_total_cents", "vat_rate_bp", "tax_cents", "source_location",
)
"""One row per order line, the order's own fields repeated on each."""

STOCK_COLUMNS = ("location", "sku", "on_hand", "reserved", "available")


def order_rows(session: Session, *, since: datetime | None = None,
               store: str | None = None) -> Iterator[dict[str, Any]]:
    where: list[ColumnElement[bool]] = []
    if since is not None:
        where.append(Order.updated_at >= since)
    if store is not None:
        where.append(Order.store_code == store)
    query = (select(Order, OrderLine).join(OrderLine, OrderLine.order_id == Order.id)
             .where(*where).order_by(Order.id, OrderLine.line_no)
             .execution_options(yield_per=BATCH))
    for order, line in session.execute(query):
        yield {
            "number": order.number, "created_at": order.created_at.isoformat(),
            "updated_at": order.updated_at.isoformat(), "channel": order.channel,
            "store": order.store_code, "fulfilment": order.fulfilment,
            "pickup_store": order.pickup_store_code or "", "status": order.status,
            "customer_id": order.customer_id or "", "currency": order.currency,
            "order_total_cents": order.total_cents, "line_no": line.line_no, "sku": line.sku,
            "name": line.name, "qty": line.qty, "qty_collected": line.qty_collected,
            "qty_cancelled": line.qty_cancelled, "qty_returned": line.qty_returned,
            "unit_price_cents": line.unit_price_cents, "discount_cents": line.discount_cents,
            "line_total_cents": line.total_cents, "vat_rate_bp": line.vat_rate_bp,
            "tax_cents": line.tax_cents, "source_location": line.source_location,
        }


def stock_rows(session: Session, *, since: datetime | None = None,
               store: str | None = None) -> Iterator[dict[str, Any]]:
    where: list[ColumnElement[bool]] = []
    if store is not None:
        where.append(StockLevel.location_code == store)
    if since is not None:
        moved = (select(StockMovement.location_code, StockMovement.sku)
                 .where(StockMovement.created_at >= since).distinct())
        where.append(tuple_(StockLevel.location_code, StockLevel.sku).in_(moved))
    query = (select(StockLevel).where(*where)
             .order_by(StockLevel.location_code, StockLevel.sku)
             .execution_options(yield_per=BATCH))
    for level in session.scalars(query):
        yield {"location": level.location_code, "sku": level.sku, "on_hand": level.on_hand,
               "reserved": level.reserved, "available": level.on_hand - level.reserved}
