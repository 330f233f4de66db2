"""KPIs for a store or the chain over a range of days.

A sale counts on the day it was placed, at the store that sold it, once it is
paid (pending and cancelled orders are not sales); a refund counts on the day
it was refunded, at the store that took the goods back. Days and hours are the
store's own (the chain's first store's when no store is asked for), so "today"
on the manager screen is the shop's today, not UTC's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import Session

from core.auth.models import Staff
from core.catalog.models import Product
from core.loyalty.models import LoyaltyEntry
from core.orders.models import Order, OrderLine
from core.problems import Forbidden, InvalidInput, NotFound
from core.reports.pickups import pickup_figures
from core.returns.models import Return
from core.stock.models import StockLevel, StockMovement
from core.stores.models import Location
from shared.schemas.enums import OrderStatus, Role, StoreKind
from shared.schemas.reports import (
    ChannelFigures,
    Discrepancy,
    HourFigures,
    Kpis,
    LowStockItem,
    StaffFigures,
    StockFigures,
    StoreFigures,
    StoreKindFigures,
)

if TYPE_CHECKING:
    from core.caller import Caller

MAX_DAYS = 400
"""A little over a year: longer ranges are an export's job, not a screen's."""
LOW_STOCK_ITEMS = 200
DISCREPANCIES = 200
COUNT_REASONS = ("count", "count_correction")
NOT_SALES = (OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED)


def readable_store(caller: Caller, store: str | None) -> str | None:
    """A manager reads any store or the chain; a supervisor only the store of the
    till they are signed in on (their store when they name none)."""
    staff = caller.require_staff(Role.SUPERVISOR, "read the store's figures")
    if staff.role.at_least(Role.MANAGER):
        return store
    own = caller.store_code or ""
    if store is not None and store != own:
        raise Forbidden(f"A supervisor reads the figures of their own store ({own}).",
                        code="other_store")
    return own


def _range(session: Session, store: str | None, date_from: date | None, date_to: date | None,
           ) -> tuple[str, date, date, datetime, datetime]:
    if store is not None:
        location = session.get(Location, store)
        if location is None:
            raise NotFound(f"There is no store {store}.", code="unknown_store")
        zone = location.timezone
    else:
        zone = session.scalar(select(Location.timezone).where(Location.has_till.is_(True))
                              .order_by(Location.code).limit(1)) or "UTC"
    tz = ZoneInfo(zone)
    today = datetime.now(tz).date()
    last = date_to or today
    first = date_from or last
    if first > last:
        raise InvalidInput("The range starts after it ends.", code="bad_range")
    if (last - first).days >= MAX_DAYS:
        raise InvalidInput(f"A range is at most {MAX_DAYS} days.", code="range_too_long")
    starts = datetime.combine(first, time(), tz).astimezone(UTC)
    ends = datetime.combine(last + timedelta(days=1), time(), tz).astimezone(UTC)
    return zone, first, last, starts, ends


def _hour_bucket(session: Session) -> ColumnElement[str]:
    """The UTC hour an order was placed in, as text both databases group on."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Order.created_at), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", Order.created_at)


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def kpis(session: Session, *, store: str | None, channel: str | None, date_from: date | None,
         date_to: date | None, low_stock_units: int = 3) -> Kpis:
    zone, first, last, starts, ends = _range(session, store, date_from, date_to)
    sales: list[ColumnElement[bool]] = [
        Order.created_at >= starts, Order.created_at < ends, Order.status.not_in(NOT_SALES)]
    if store is not None:
        sales.append(Order.store_code == store)
    if channel is not None:
        sales.append(Order.channel == channel)

    other = exists().where(OrderLine.order_id == Order.id,
                           OrderLine.source_location != Order.store_code)
    by_store_channel = session.execute(
        select(Order.store_code, Location.kind, Order.channel, func.count(),
               func.sum(Order.total_cents), func.sum(case((other, 1), else_=0)))
        .join(Location, Location.code == Order.store_code).where(*sales)
        .group_by(Order.store_code, Location.kind, Order.channel)).all()
    refunded: list[ColumnElement[bool]] = [
        Return.status == "refunded", Return.refunded_at >= starts, Return.refunded_at < ends]
    if store is not None:
        refunded.append(Return.store_code == store)
    returns_query = select(Return.store_code, Location.kind, func.count(),
                           func.sum(Return.refund_cents)).join(
        Location, Location.code == Return.store_code)
    if channel is not None:
        returns_query = returns_query.join(Order, Order.id == Return.order_id)
        refunded.append(Order.channel == channel)
    returns_by_store = session.execute(
        returns_query.where(*refunded).group_by(Return.store_code, Location.kind)).all()

    channels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    stores: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    kinds: dict[str, str] = {}
    store_kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    other_orders = 0
    for code, kind, chan, count, cents, elsewhere in by_store_channel:
        other_orders += int(elsewhere or 0)
        channels[chan][0] += count
        channels[chan][1] += int(cents or 0)
        stores[code][0] += count
        stores[code][1] += int(cents or 0)
        kinds[code] = kind
    for code, kind, _count, cents in returns_by_store:
        stores[code][2] += int(cents or 0)
        kinds[code] = kind
    for code, (count, cents, _) in stores.items():
        if count:
            label = "partner" if kinds[code] == StoreKind.MULTIBRAND else kinds[code]
            store_kinds[label][0] += count
            store_kinds[label][1] += cents
    kind_stores: dict[str, int] = defaultdict(int)
    for code, (count, _, _) in stores.items():
        if count:
            kind_stores["partner" if kinds[code] == StoreKind.MULTIBRAND else kinds[code]] += 1

    orders = sum(c for c, _ in channels.values())
    sales_cents = sum(s for _, s in channels.values())
    returns_count = sum(int(r[2]) for r in returns_by_store)
    returns_cents = sum(int(r[3] or 0) for r in returns_by_store)

    staff_rows = session.execute(
        select(Order.staff_id, Staff.name, func.count(), func.sum(Order.total_cents))
        .join(Staff, Staff.id == Order.staff_id).where(*sales)
        .group_by(Order.staff_id, Staff.name)
        .order_by(func.sum(Order.total_cents).desc(), Order.staff_id)).all()

    bucket = _hour_bucket(session)
    hours: dict[int, list[int]] = {h: [0, 0] for h in range(24)}
    tz = ZoneInfo(zone)
    for utc_hour, count, cents in session.execute(
            select(bucket, func.count(), func.sum(Order.total_cents)).where(*sales)
            .group_by(bucket)):
        local = datetime.strptime(utc_hour, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(tz)
        hours[local.hour][0] += count
        hours[local.hour][1] += int(cents or 0)

    issued, redeemed = _loyalty(session, starts=starts, ends=ends, store=store, channel=channel)
    stock, low_items = _stock(session, store=store, units=low_stock_units)
    return Kpis(
        store=store, channel=channel, date_from=first, date_to=last, timezone=zone,
        starts_at=starts, ends_at=ends, orders=orders, sales_cents=sales_cents,
        returns=returns_count, returns_cents=returns_cents,
        net_sales_cents=sales_cents - returns_cents,
        average_basket_cents=(2 * sales_cents + orders) // (2 * orders) if orders else 0,
        returns_rate=_ratio(returns_cents, sales_cents),
        other_location_orders=other_orders, other_location_share=_ratio(other_orders, orders),
        loyalty_points_issued=issued, loyalty_points_redeemed=redeemed,
        by_channel=[ChannelFigures(channel=c, orders=n, sales_cents=s)
                    for c, (n, s) in sorted(channels.items())],
        by_store=[StoreFigures(store=c, kind=kinds[c], orders=n, sales_cents=s, returns_cents=r,
                               net_sales_cents=s - r) for c, (n, s, r) in sorted(stores.items())],
        by_store_kind=[StoreKindFigures(kind=k, stores=kind_stores[k], orders=n, sales_cents=s)
                       for k, (n, s) in sorted(store_kinds.items())],
        by_staff=[StaffFigures(staff_id=i, name=name, orders=n, sales_cents=int(s or 0))
                  for i, name, n, s in staff_rows],
        by_hour=[HourFigures(hour=h, orders=n, sales_cents=s) for h, (n, s) in hours.items()],
        pickups=pickup_figures(session, starts=starts, ends=ends, store=store, channel=channel),
        low_stock_units=low_stock_units,
        stock_outs=sum(s.stock_outs for s in stock), low_stock=sum(s.low_stock for s in stock),
        stock=stock, low_stock_items=low_items,
        discrepancies=_discrepancies(session, starts=starts, ends=ends, store=store),
    )


def _loyalty(session: Session, *, starts: datetime, ends: datetime, store: str | None,
             channel: str | None) -> tuple[int, int]:
    """Points earned and spent in the range; for a store or a channel, those of its orders."""
    query = select(
        func.coalesce(func.sum(case((LoyaltyEntry.kind == "earn", LoyaltyEntry.points),
                                    else_=0)), 0),
        func.coalesce(func.sum(case((LoyaltyEntry.kind == "redeem", -LoyaltyEntry.points),
                                    else_=0)), 0),
    ).where(LoyaltyEntry.created_at >= starts, LoyaltyEntry.created_at < ends)
    if store is not None or channel is not None:
        query = query.join(Order, Order.number == LoyaltyEntry.order_number)
        if store is not None:
            query = query.where(Order.store_code == store)
        if channel is not None:
            query = query.where(Order.channel == channel)
    issued, redeemed = session.execute(query).one()
    return int(issued), int(redeemed)


def _stock(session: Session, *, store: str | None, units: int,
           ) -> tuple[list[StockFigures], list[LowStockItem]]:
    """Today's shelves of the stores (not the warehouses): nothing left, or little."""
    available = StockLevel.on_hand - StockLevel.reserved
    where: list[ColumnElement[bool]] = [Location.kind != StoreKind.WAREHOUSE]
    if store is not None:
        where.append(StockLevel.location_code == store)
    rows = session.execute(
        select(StockLevel.location_code,
               func.coalesce(func.sum(case((available <= 0, 1), else_=0)), 0),
               func.coalesce(func.sum(case(((available > 0) & (available <= units), 1),
                                           else_=0)), 0))
        .join(Location, Location.code == StockLevel.location_code).where(*where)
        .group_by(StockLevel.location_code).order_by(StockLevel.location_code)).all()
    items = session.execute(
        select(StockLevel.location_code, StockLevel.sku, Product.name, StockLevel.on_hand,
               StockLevel.reserved)
        .join(Location, Location.code == StockLevel.location_code)
        .join(Product, Product.sku == StockLevel.sku)
        .where(*where, available <= units)
        .order_by(available, StockLevel.location_code, StockLevel.sku)
        .limit(LOW_STOCK_ITEMS)).all()
    return (
        [StockFigures(store=c, stock_outs=int(o), low_stock=int(low)) for c, o, low in rows],
        [LowStockItem(store=c, sku=s, name=n, on_hand=h, reserved=r, available=h - r)
         for c, s, n, h, r in items],
    )


def _discrepancies(session: Session, *, starts: datetime, ends: datetime, store: str | None,
                   ) -> list[Discrepancy]:
    where: list[ColumnElement[bool]] = [
        StockMovement.reason.in_(COUNT_REASONS), StockMovement.created_at >= starts,
        StockMovement.created_at < ends]
    if store is not None:
        where.append(StockMovement.location_code == store)
    rows = session.execute(
        select(StockMovement, Product.name).join(Product, Product.sku == StockMovement.sku)
        .where(*where).order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(DISCREPANCIES)).all()
    return [Discrepancy(at=m.created_at, store=m.location_code, sku=m.sku, name=name,
                        delta=m.delta, reason=m.reason, reference=m.reference)
            for m, name in rows]
