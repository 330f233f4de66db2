"""The back office's figures (``GET /v1/reports/kpis``): what a manager reads
on the till's manager screen. Money in integer cents; rates are fractions
(0.25 is a quarter) computed from the integer counts beside them."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

__all__ = [
    "ChannelFigures", "Discrepancy", "HourFigures", "Kpis", "LeadTimeBucket", "LowStockItem",
    "PickupFigures", "StaffFigures", "StockFigures", "StoreFigures", "StoreKindFigures",
]


class ChannelFigures(BaseModel):
    channel: str
    orders: int
    sales_cents: int


class StoreFigures(BaseModel):
    store: str
    kind: str
    orders: int
    sales_cents: int
    returns_cents: int
    net_sales_cents: int


class StoreKindFigures(BaseModel):
    kind: str = Field(description="`own`, `franchise` or `partner` (a multibrand store).")
    stores: int = Field(description="Stores of this kind that sold in the range.")
    orders: int
    sales_cents: int


class StaffFigures(BaseModel):
    staff_id: int
    name: str
    orders: int
    sales_cents: int


class HourFigures(BaseModel):
    hour: int = Field(description="Hour of the day, 0-23, in the store's own time.")
    orders: int
    sales_cents: int


class LeadTimeBucket(BaseModel):
    label: str
    orders: int


class PickupFigures(BaseModel):
    """Click and collect (pickup and ship-to-store), by the pickup store. Medians
    and 90th percentiles are nearest-rank (a value that occurred), in minutes."""

    orders: int = Field(description="Pickup orders placed in the range (not cancelled unpaid).")
    ready: int = Field(description="Of those, how many were made ready.")
    collected: int
    no_shows: int = Field(description="Made ready, then cancelled uncollected.")
    no_show_rate: float = Field(description="no_shows / ready.")
    order_to_ready_median_minutes: int | None
    order_to_ready_p90_minutes: int | None
    ready_to_collected_median_minutes: int | None
    ready_to_collected_p90_minutes: int | None
    order_to_collected_median_minutes: int | None
    order_to_collected_p90_minutes: int | None
    order_to_collected: list[LeadTimeBucket] = Field(
        description="How long collected orders took from order to hand-over.")


class StockFigures(BaseModel):
    store: str
    stock_outs: int = Field(description="Items this store stocks with nothing available.")
    low_stock: int = Field(description="Items with 1 to `low_stock_units` available.")


class LowStockItem(BaseModel):
    store: str
    sku: str
    name: str
    on_hand: int
    reserved: int
    available: int


class Discrepancy(BaseModel):
    """A count that differed from the books: a stock count, or goods sold at a
    till while the count said there were none (``count_correction``)."""

    at: datetime
    store: str
    sku: str
    name: str
    delta: int = Field(description="Units the count moved by (+ found, - missing).")
    reason: str
    reference: str


class Kpis(BaseModel):
    store: str | None = Field(description="The store asked for; none is the whole chain.")
    channel: str | None
    date_from: date
    date_to: date = Field(description="The last day included.")
    timezone: str = Field(description="Days and hours are counted in this time zone.")
    starts_at: datetime
    ends_at: datetime
    orders: int = Field(description="Orders placed in the range, paid (not pending or cancelled).")
    sales_cents: int
    returns: int = Field(description="Returns refunded in the range.")
    returns_cents: int
    net_sales_cents: int = Field(description="sales_cents - returns_cents.")
    average_basket_cents: int = Field(description="sales_cents / orders, rounded half up.")
    returns_rate: float = Field(description="returns_cents / sales_cents.")
    other_location_orders: int = Field(
        description="Orders with a line served from another location than the selling one "
        "(endless aisle, ship-to-store).")
    other_location_share: float
    loyalty_points_issued: int
    loyalty_points_redeemed: int
    by_channel: list[ChannelFigures]
    by_store: list[StoreFigures]
    by_store_kind: list[StoreKindFigures]
    by_staff: list[StaffFigures]
    by_hour: list[HourFigures] = Field(description="All 24 hours, in the store's time.")
    pickups: PickupFigures
    low_stock_units: int
    stock_outs: int
    low_stock: int
    stock: list[StockFigures]
    low_stock_items: list[LowStockItem] = Field(
        description="The lowest first, at most 200.")
    discrepancies: list[Discrepancy] = Field(
        description="Count corrections in the range, newest first, at most 200.")
