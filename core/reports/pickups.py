"""Click-and-collect lead times and no-shows.

SQLite has no percentile function and PostgreSQL's ``percentile_disc`` has no
SQLite twin, so the counts are aggregated in SQL and the percentiles taken in
Python from a bounded set of the newest timestamps (nearest rank: a median is
a time some order really took, the same on both databases).
"""

from __future__ import annotations

import math
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from core.orders.models import Order, OrderStatusChange
from shared.schemas.enums import Fulfilment, OrderStatus
from shared.schemas.reports import LeadTimeBucket, PickupFigures

SAMPLE_LIMIT = 10_000
"""The newest pickups whose times make the percentiles; counts use every order."""

BUCKETS = ((120, "under 2 h"), (24 * 60, "2 to 24 h"), (48 * 60, "1 to 2 days"),
           (72 * 60, "2 to 3 days"), (None, "over 3 days"))


def nearest_rank(values: list[int], fraction: float) -> int | None:
    """The smallest value with at least ``fraction`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


def _minutes(later: datetime | None, earlier: datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return int((later - earlier).total_seconds() // 60)


def pickup_figures(session: Session, *, starts: datetime, ends: datetime, store: str | None,
                   channel: str | None) -> PickupFigures:
    ready_then_cancelled = and_(Order.status == OrderStatus.CANCELLED, Order.ready_at.is_not(None))
    conditions: list[ColumnElement[bool]] = [
        Order.fulfilment.in_([Fulfilment.PICKUP, Fulfilment.SHIP_TO_STORE]),
        Order.created_at >= starts, Order.created_at < ends,
        Order.status != OrderStatus.PENDING_PAYMENT,
        (Order.status != OrderStatus.CANCELLED) | Order.ready_at.is_not(None),
    ]
    if store is not None:
        conditions.append(Order.pickup_store_code == store)
    if channel is not None:
        conditions.append(Order.channel == channel)
    orders, ready, collected, no_shows = session.execute(select(
        func.count(),
        func.count(Order.ready_at),
        func.coalesce(func.sum(case((Order.status == OrderStatus.COLLECTED, 1), else_=0)), 0),
        func.coalesce(func.sum(case((ready_then_cancelled, 1), else_=0)), 0),
    ).where(*conditions)).one()
    collected_at = (select(func.min(OrderStatusChange.at))
                    .where(OrderStatusChange.order_id == Order.id,
                           OrderStatusChange.status == OrderStatus.COLLECTED)
                    .correlate(Order).scalar_subquery())
    rows = session.execute(
        select(Order.created_at, Order.ready_at, collected_at)
        .where(*conditions, Order.ready_at.is_not(None))
        .order_by(Order.created_at.desc()).limit(SAMPLE_LIMIT)).all()
    to_ready = [m for m in (_minutes(r, c) for c, r, _ in rows) if m is not None]
    to_collected = [m for m in (_minutes(k, r) for _, r, k in rows) if m is not None]
    whole = [m for m in (_minutes(k, c) for c, _, k in rows) if m is not None]
    buckets = []
    lower = 0
    for upper, label in BUCKETS:
        buckets.append(LeadTimeBucket(label=label, orders=sum(
            1 for m in whole if m >= lower and (upper is None or m < upper))))
        lower = upper or 0
    return PickupFigures(
        orders=orders, ready=ready, collected=int(collected), no_shows=int(no_shows),
        no_show_rate=round(int(no_shows) / ready, 4) if ready else 0.0,
        order_to_ready_median_minutes=nearest_rank(to_ready, 0.5),
        order_to_ready_p90_minutes=nearest_rank(to_ready, 0.9),
        ready_to_collected_median_minutes=nearest_rank(to_collected, 0.5),
        ready_to_collected_p90_minutes=nearest_rank(to_collected, 0.9),
        order_to_collected_median_minutes=nearest_rank(whole, 0.5),
        order_to_collected_p90_minutes=nearest_rank(whole, 0.9),
        order_to_collected=buckets,
    )
