"""Issue 15, item 1: KPIs on a small history written in the test, on a day the
demo's history never reaches (2021-03-10, Rome time, UTC+1), with every figure
worked out by hand below; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from core.auth.models import Staff
from core.catalog.models import Product
from core.customers.models import Customer
from core.db import Database
from core.loyalty.models import LoyaltyEntry
from core.orders.models import Order, OrderLine, OrderStatusChange
from core.returns.models import Return
from core.stock.models import StockLevel
from core.stores.models import Location
from shared.client import CommerceClient
from tests.api.helpers import sign_in
from tests.support import Seeded

DAY = {"from": "2021-03-10", "to": "2021-03-10"}


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2021, 3, day, hour, minute, tzinfo=UTC)


def _history(url: str) -> list[str]:
    """Ten orders, three returns, four loyalty entries, one small store's shelves.
    Returns the four SKUs on the test store's shelves, sorted."""
    db = Database(url)
    try:
        with db.write() as session:
            skus = sorted(session.scalars(select(Product.sku).order_by(Product.sku).limit(4)))
            staff = {s.name: s.id for s in session.scalars(select(Staff))}
            customer = session.scalars(select(Customer.id).order_by(Customer.id)).first()
            orders: dict[int, Order] = {}

            def order(n: int, store: str, channel: str, fulfilment: str, status: str, cents: int,
                      at: datetime, *, source: str | None = None, who: str | None = None,
                      ready: datetime | None = None, collected: datetime | None = None) -> None:
                row = Order(number=f"KPI-{n:04d}", channel=channel, store_code=store,
                            fulfilment=fulfilment, status=status, total_cents=cents,
                            subtotal_cents=cents, created_at=at, ready_at=ready,
                            pickup_store_code=store if fulfilment == "pickup" else None,
                            staff_id=staff[who] if who else None)
                session.add(row)
                session.flush()
                session.add(OrderLine(order_id=row.id, line_no=1, sku=skus[0], name="x", qty=1,
                                      unit_price_cents=cents, total_cents=cents, vat_rate_bp=2200,
                                      tax_cents=0, source_location=source or store))
                if collected is not None:
                    session.add(OrderStatusChange(order_id=row.id, status="collected",
                                                  at=collected))
                orders[n] = row

            # 00:30 in Rome on the 10th: in the day, local hour 0
            order(1, "MI01", "pos", "carry_out", "completed", 10_000, _at(9, 23, 30),
                  who="Marco Bianchi")
            # endless aisle: served from Rome's shelf
            order(2, "MI01", "pos", "carry_out", "completed", 5_000, _at(10, 10, 15),
                  source="RM01", who="Giulia Verdi")
            # ship-to-store from the warehouse: ready 120 min, collected 240 min later
            order(3, "MI01", "web", "pickup", "collected", 8_000, _at(10, 8), source="WH01",
                  ready=_at(10, 10), collected=_at(10, 14))
            # a no-show: ready after 30 min, then cancelled uncollected (no sale)
            order(4, "MI01", "app", "pickup", "cancelled", 3_000, _at(10, 7),
                  ready=_at(10, 7, 30))
            # ready 60 min, collected 30 min later
            order(5, "MI01", "kiosk", "pickup", "collected", 2_000, _at(10, 12),
                  ready=_at(10, 13), collected=_at(10, 13, 30))
            order(6, "MI01", "pos", "carry_out", "pending_payment", 9_999, _at(10, 11))
            order(7, "TO01", "pos", "carry_out", "completed", 4_000, _at(10, 15),
                  who="Elena Gallo")
            order(8, "FI01", "pos", "carry_out", "completed", 6_000, _at(10, 16),
                  who="Irene Fabbri")
            # cancelled before it was ever ready: neither a sale nor a pickup
            order(9, "RM01", "web", "pickup", "cancelled", 1_000, _at(10, 9))
            # 00:30 on the 11th in Rome: outside the day
            order(10, "MI01", "pos", "carry_out", "completed", 7_777, _at(10, 23, 30),
                  who="Marco Bianchi")
            session.add_all([
                Return(number="KPI-R1", order_id=orders[1].id, store_code="MI01",
                       status="refunded", refund_to="original", refund_cents=2_500,
                       refunded_at=_at(10, 12), created_at=_at(10, 12)),
                # order 2's goods brought back in Rome
                Return(number="KPI-R2", order_id=orders[2].id, store_code="RM01",
                       status="refunded", refund_to="original", refund_cents=1_000,
                       refunded_at=_at(10, 13), created_at=_at(10, 13)),
                Return(number="KPI-R3", order_id=orders[7].id, store_code="TO01",
                       status="requested", refund_to="original", refund_cents=900,
                       created_at=_at(10, 16)),
            ])
            if customer is not None:
                session.add_all([
                    LoyaltyEntry(customer_id=customer, kind="earn", points=100,
                                 order_number="KPI-0001", created_at=_at(10, 0)),
                    LoyaltyEntry(customer_id=customer, kind="redeem", points=-50,
                                 order_number="KPI-0003", created_at=_at(10, 8)),
                    LoyaltyEntry(customer_id=customer, kind="clawback", points=-25,
                                 order_number="KPI-0001", created_at=_at(10, 12)),
                    LoyaltyEntry(customer_id=customer, kind="earn", points=40,
                                 order_number="KPI-0007", created_at=_at(10, 15)),
                ])
            session.add(Location(code="TS01", name="Test shop", kind="own"))
            session.flush()
            for sku, on_hand, reserved in zip(skus, (0, 5, 3, 10), (0, 3, 3, 0), strict=True):
                session.add(StockLevel(location_code="TS01", sku=sku, on_hand=on_hand,
                                       reserved=reserved))
        return skus
    finally:
        db.dispose()


def _kpis(http: TestClient, client: CommerceClient, status: int = 200,
          **params: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {client.device_token}",
               "X-Staff-Token": client.staff_token or ""}
    answer = http.get("/v1/reports/kpis", params=params, headers=headers)
    assert answer.status_code == status, answer.text
    return dict(answer.json())


@pytest.fixture
def skus(seeded: Seeded) -> list[str]:
    return _history(seeded.url)


def test_the_chain_on_one_day_as_a_manager(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, skus: list[str]
) -> None:
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    k = _kpis(http, manager, **DAY)
    # sales: orders 1, 2, 3, 5 (MI01), 7 (TO01), 8 (FI01)
    assert (k["orders"], k["sales_cents"]) == (6, 35_000)
    assert (k["returns"], k["returns_cents"], k["net_sales_cents"]) == (2, 3_500, 31_500)
    assert k["average_basket_cents"] == 5_833  # 35000 / 6 = 5833.3
    assert k["returns_rate"] == 0.1
    assert (k["other_location_orders"], k["other_location_share"]) == (2, 0.3333)
    assert [(c["channel"], c["orders"], c["sales_cents"]) for c in k["by_channel"]] == [
        ("kiosk", 1, 2_000), ("pos", 4, 25_000), ("web", 1, 8_000)]
    assert [(s["store"], s["kind"], s["orders"], s["sales_cents"], s["returns_cents"],
             s["net_sales_cents"]) for s in k["by_store"]] == [
        ("FI01", "multibrand", 1, 6_000, 0, 6_000), ("MI01", "own", 4, 25_000, 2_500, 22_500),
        ("RM01", "own", 0, 0, 1_000, -1_000), ("TO01", "franchise", 1, 4_000, 0, 4_000)]
    assert [(s["kind"], s["stores"], s["orders"], s["sales_cents"])
            for s in k["by_store_kind"]] == [
        ("franchise", 1, 1, 4_000), ("own", 1, 4, 25_000), ("partner", 1, 1, 6_000)]
    assert [(s["name"], s["orders"], s["sales_cents"]) for s in k["by_staff"]] == [
        ("Marco Bianchi", 1, 10_000), ("Irene Fabbri", 1, 6_000),
        ("Giulia Verdi", 1, 5_000), ("Elena Gallo", 1, 4_000)]
    assert {h["hour"]: h["sales_cents"] for h in k["by_hour"] if h["orders"]} == {
        0: 10_000, 9: 8_000, 11: 5_000, 13: 2_000, 16: 4_000, 17: 6_000}
    assert len(k["by_hour"]) == 24
    assert (k["loyalty_points_issued"], k["loyalty_points_redeemed"]) == (140, 50)
    p = k["pickups"]
    # orders 3, 4, 5; order 9 was cancelled before it was ready
    assert (p["orders"], p["ready"], p["collected"], p["no_shows"]) == (3, 3, 2, 1)
    assert p["no_show_rate"] == 0.3333
    # to ready: 30, 60, 120; ready to collected: 30, 240; whole: 90, 360 (nearest rank)
    assert (p["order_to_ready_median_minutes"], p["order_to_ready_p90_minutes"]) == (60, 120)
    assert (p["ready_to_collected_median_minutes"],
            p["ready_to_collected_p90_minutes"]) == (30, 240)
    assert (p["order_to_collected_median_minutes"],
            p["order_to_collected_p90_minutes"]) == (90, 360)
    assert [b["orders"] for b in p["order_to_collected"]] == [1, 1, 0, 0, 0]


def test_a_supervisor_reads_their_store_and_no_other(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, skus: list[str]
) -> None:
    supervisor = sign_in(as_device("MI01", "pos"), "2222", open_till=False)
    k = _kpis(http, supervisor, **DAY)
    assert k["store"] == "MI01"
    assert (k["orders"], k["sales_cents"], k["returns_cents"], k["net_sales_cents"]) == (
        4, 25_000, 2_500, 22_500)
    assert (k["average_basket_cents"], k["other_location_share"]) == (6_250, 0.5)
    assert (k["loyalty_points_issued"], k["loyalty_points_redeemed"]) == (100, 50)
    assert k["pickups"]["orders"] == 3
    assert _kpis(http, supervisor, 403, store="RM01", **DAY)["code"] == "other_store"
    cashier = sign_in(as_device("MI01", "pos"), "1111", open_till=False)
    assert _kpis(http, cashier, 403, **DAY)["code"] == "role_required"


def test_one_channel_and_a_small_stores_shelves(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, skus: list[str]
) -> None:
    manager = sign_in(as_device("MI01", "pos"), "3333", open_till=False)
    web = _kpis(http, manager, channel="web", **DAY)
    assert (web["orders"], web["sales_cents"], web["returns_cents"]) == (1, 8_000, 0)
    assert (web["loyalty_points_issued"], web["loyalty_points_redeemed"]) == (0, 50)
    assert web["pickups"]["orders"] == 1
    shop = _kpis(http, manager, store="TS01", **DAY)
    assert (shop["orders"], shop["stock_outs"], shop["low_stock"]) == (0, 2, 1)
    assert [(i["sku"], i["available"]) for i in shop["low_stock_items"]] == [
        (skus[0], 0), (skus[2], 0), (skus[1], 2)]
    assert _kpis(http, manager, 404, store="XX99")["code"] == "unknown_store"
    assert _kpis(http, manager, 422, **{"from": "2021-03-11", "to": "2021-03-10"})
