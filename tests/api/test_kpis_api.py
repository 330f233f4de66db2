"""Issue 15, item 1: KPIs on a small history written in the test, on a day the
demo's history never reaches (2021-03-10, Rome time, UTC+1), with every figure
worked out by hand below; the same on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from shared.client import CommerceClient
from tests.api.helpers import sign_in
from tests.api.kpi_history import DAY, write_history
from tests.support import Seeded


def _kpis(http: TestClient, client: CommerceClient, status: int = 200,
          **params: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {client.device_token}",
               "X-Staff-Token": client.staff_token or ""}
    answer = http.get("/v1/reports/kpis", params=params, headers=headers)
    assert answer.status_code == status, answer.text
    return dict(answer.json())


@pytest.fixture
def skus(seeded: Seeded) -> list[str]:
    return write_history(seeded.url)


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
    # counts only (not goods received), newest first, the 11th's left out
    assert [(d["store"], d["delta"], d["reason"]) for d in k["discrepancies"]] == [
        ("RM01", 1, "count_correction"), ("MI01", -2, "count")]


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
    assert [(d["sku"], d["delta"], d["reason"]) for d in k["discrepancies"]] == [
        (skus[1], -2, "count")]
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
