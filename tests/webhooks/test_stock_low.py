"""``stock.low``: once when available units fall to the threshold or below, not at
every sale after that; again after the shelf was above it once more. Through
sales, baskets, adjustments and transfers, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from core.app import create_app
from core.db import Database
from core.events.models import Event
from core.events.service import number_pending
from shared.client import Api, CommerceClient
from shared.schemas.orders import LineIn, OrderCreate, PaymentIn
from tests.api.helpers import key, set_stock, sign_in
from tests.support import Seeded
from tests.webhooks.conftest import manager_headers, quick_settings

SKU = "HO-MOK-05"


def lows(url: str) -> list[dict[str, Any]]:
    db = Database(url)
    try:
        number_pending(db.writer_engine)  # as every reader of the log does first
        with db.read() as session:
            return [e.payload for e in session.scalars(
                select(Event).where(Event.type == "stock.low").order_by(Event.seq))]
    finally:
        db.dispose()


def _adjust(http: TestClient, headers: dict[str, str], reason: str, qty: int) -> None:
    done = http.post("/v1/stock/adjustments", headers=headers,
                     json={"location": "MI01", "sku": SKU, "reason": reason, "qty": qty})
    assert done.status_code == 200, done.text


def test_once_per_crossing_through_adjustments(seeded: Seeded, tmp_path: Path) -> None:
    set_stock(seeded.url, "MI01", SKU, 6)
    with TestClient(create_app(quick_settings(seeded.url, tmp_path))) as http:
        manager = manager_headers(http, seeded.tokens)
        _adjust(http, manager, "damage", 2)  # 4: above
        assert lows(seeded.url) == []
        _adjust(http, manager, "damage", 1)  # 3: at the threshold
        assert [e["available"] for e in lows(seeded.url)] == [3]
        _adjust(http, manager, "damage", 1)  # 2: still low, said already
        _adjust(http, manager, "count", 1)  # 1
        _adjust(http, manager, "receipt", 1)  # 2: up, but not above
        _adjust(http, manager, "damage", 1)  # 1
        assert len(lows(seeded.url)) == 1
        _adjust(http, manager, "receipt", 5)  # 6: above again
        _adjust(http, manager, "damage", 3)  # 3: a new crossing
        second = lows(seeded.url)
        assert [e["available"] for e in second] == [3, 3]
        assert second[1] == {"sku": SKU, "location": "MI01", "available": 3, "on_hand": 3,
                             "reserved": 0, "threshold": 3}


def test_till_sales_and_a_transfer_out_say_it_once(seeded: Seeded, tmp_path: Path) -> None:
    set_stock(seeded.url, "MI01", SKU, 5)
    with TestClient(create_app(quick_settings(seeded.url, tmp_path))) as http:
        till = sign_in(CommerceClient("http://testserver", seeded.tokens["MI01"]["pos"],
                                      http=http))

        def sell() -> None:
            order = till.call(Api.place_order(OrderCreate(lines=[LineIn(sku=SKU, qty=1)]),
                                              key()))
            till.call(Api.pay(order.number, PaymentIn(tender="card",
                                                      amount_cents=order.due_cents,
                                                      card_token="approve")))

        sell()  # 4
        assert lows(seeded.url) == []
        sell()  # 3
        sell()  # 2
        assert [(e["location"], e["available"]) for e in lows(seeded.url)] == [("MI01", 3)]
        manager = manager_headers(http, seeded.tokens)
        _adjust(http, manager, "receipt", 8)  # 10
        moved = http.post("/v1/stock/transfers", headers=manager, json={
            "from_location": "MI01", "to_location": "WH01",
            "lines": [{"sku": SKU, "qty": 9}]})
        assert moved.status_code == 201, moved.text
        assert [e["available"] for e in lows(seeded.url)] == [3, 1]


def test_the_threshold_is_a_setting(seeded: Seeded, tmp_path: Path) -> None:
    set_stock(seeded.url, "MI01", SKU, 2)
    with TestClient(create_app(quick_settings(seeded.url, tmp_path,
                                              low_stock_units=0))) as http:
        manager = manager_headers(http, seeded.tokens)
        _adjust(http, manager, "damage", 1)
        assert lows(seeded.url) == []
        _adjust(http, manager, "damage", 1)
        assert [(e["available"], e["threshold"]) for e in lows(seeded.url)] == [(0, 0)]
