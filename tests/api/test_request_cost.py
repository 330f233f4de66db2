"""What a request costs the core beyond its own work (issue 17 item 3).

Every sync dependency is a hop into the threadpool and back; a trivial one
(the database handle, the settings) cost more than the health check's query.
And an order looked its idempotency key up twice before it began.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from core.app import create_app
from core.db import Database
from tests.api.helpers import set_stock
from tests.conftest import Seeded
from tests.support import make_settings


@pytest.fixture
def core(seeded_sqlite: Seeded, tmp_path: Path) -> Iterator[tuple[TestClient, Database]]:
    db = Database(seeded_sqlite.url)
    with TestClient(create_app(make_settings(seeded_sqlite.url, tmp_path), database=db)) as http:
        yield http, db
    db.dispose()


def _hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    hops: list[str] = []
    original = anyio.to_thread.run_sync

    async def counting(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(repr(func))
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return hops


def _trivial(hops: list[str]) -> list[str]:
    return [h for h in hops if "get_db" in h or "get_settings" in h]


def test_health_hops_only_for_its_own_work(
    core: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch,
) -> None:
    http, _ = core
    http.get("/v1/health").raise_for_status()
    hops = _hops(monkeypatch)
    http.get("/v1/health").raise_for_status()
    assert _trivial(hops) == []
    assert len(hops) == 2  # the endpoint, and FastAPI checking its response


def test_a_device_request_hops_only_for_the_caller_and_the_work(
    core: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch, seeded_sqlite: Seeded,
) -> None:
    http, _ = core
    auth = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['kiosk']}"}
    hops = _hops(monkeypatch)
    http.get("/v1/stores", headers=auth).raise_for_status()
    assert _trivial(hops) == []
    assert len(hops) == 3  # who calls, the endpoint, and FastAPI checking its response


def test_a_kiosk_makes_no_hop_for_a_staff_check_it_does_not_have(
    core: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch, seeded_sqlite: Seeded,
) -> None:
    """``MaybeStaffDep`` is async: only a till that sends a staff token goes to a
    thread for the query."""
    http, _ = core
    auth = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['kiosk']}"}
    cart = http.post("/v1/carts", json={}, headers=auth)
    assert cart.status_code == 201, cart.text
    hops = _hops(monkeypatch)
    http.get(f"/v1/carts/{cart.json()['id']}", headers=auth).raise_for_status()
    assert len(hops) == 3  # who calls, the endpoint, and FastAPI checking its response


def test_an_order_looks_its_idempotency_key_up_once(
    core: tuple[TestClient, Database], seeded_sqlite: Seeded,
) -> None:
    http, db = core
    web = {"Authorization": f"Bearer {seeded_sqlite.tokens['WEB']['web']}"}
    sku = http.get("/v1/products", params={"limit": 5}, headers=web).json()["items"][3]["sku"]
    set_stock(seeded_sqlite.url, "WH01", sku, 5)
    lookups: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "idempotency_key" in \
                statement.partition("WHERE")[2]:
            lookups.append(statement)

    event.listen(db.reader_engine, "before_cursor_execute", seen)
    response = http.post("/v1/orders", headers=web | {"Idempotency-Key": uuid.uuid4().hex},
                         json={"lines": [{"sku": sku, "qty": 1}], "fulfilment": "delivery",
                               "delivery_address": "Via Roma 1, 20121 Milano",
                               "contact": {"email": "a@example.it"}})
    assert response.status_code == 201, response.text
    assert len(lookups) == 1


def test_a_sale_paid_in_two_tenders_reads_its_payments_only_to_settle_and_answer(
    core: tuple[TestClient, Database], seeded_sqlite: Seeded,
) -> None:
    http, db = core
    till = {"Authorization": f"Bearer {seeded_sqlite.tokens['MI01']['pos']}"}
    till["X-Staff-Token"] = http.post("/v1/auth/staff", json={"pin": "1111"},
                                      headers=till).json()["token"]
    http.post("/v1/till/open", json={"float_cents": 10_000}, headers=till).raise_for_status()
    sku = http.get("/v1/products", params={"limit": 5}, headers=till).json()["items"][3]["sku"]
    set_stock(seeded_sqlite.url, "MI01", sku, 5)
    reads: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM payments" in statement:
            reads.append(statement)

    event.listen(db.writer_engine, "before_cursor_execute", seen)
    event.listen(db.reader_engine, "before_cursor_execute", seen)
    response = http.post("/v1/orders", headers=till | {"Idempotency-Key": uuid.uuid4().hex},
                         json={"lines": [{"sku": sku, "qty": 1}], "payments": [
                             {"tender": "cash", "amount_cents": 100},
                             {"tender": "cash", "amount_cents": 10**6}]})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "completed"
    assert response.json()["paid_cents"] == response.json()["total_cents"]
    assert len(reads) == 0  # the order was placed with these payments: kept, not read back


# Statements per checkout, every statement the core sends (SQLite's BEGINs too), from
# the device check to the answer; issue 17 item 3. Before: web 24, till 59, kiosk 23 on
# SQLite; 25, 57 and 24 on PostgreSQL (where events are numbered after the commit).
STATEMENTS = {
    "sqlite": {"web": 16, "till": 28, "kiosk": 16},
    "postgresql": {"web": 17, "till": 28, "kiosk": 17},
}


@pytest.mark.parametrize("case", ["web", "till", "kiosk"])
def test_a_checkout_costs_the_statements_pinned(
    live: tuple[TestClient, Database, Seeded], case: str,
) -> None:
    """A web delivery order, a till cash sale of three lines, a kiosk pickup order:
    one conditional UPDATE per line, one INSERT per table, nothing read back."""
    http, db, seeded = live
    tokens = seeded.tokens
    headers = {"web": {"Authorization": f"Bearer {tokens['WEB']['web']}"},
               "till": {"Authorization": f"Bearer {tokens['MI01']['pos']}"},
               "kiosk": {"Authorization": f"Bearer {tokens['MI01']['kiosk']}"}}[case]
    skus = [p["sku"] for p in http.get("/v1/products", params={"limit": 8},
                                       headers=headers).json()["items"]][2:8]
    for sku in skus:
        set_stock(seeded.url, "MI01", sku, 50)
        set_stock(seeded.url, "WH01", sku, 50)
    if case == "till":
        headers["X-Staff-Token"] = http.post("/v1/auth/staff", json={"pin": "1111"},
                                             headers=headers).json()["token"]
        http.post("/v1/till/open", json={"float_cents": 10_000},
                  headers=headers).raise_for_status()

    def checkout(first: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "web": {"lines": [{"sku": skus[first], "qty": 1}], "fulfilment": "delivery",
                    "delivery_address": "Via Roma 1, 20121 Milano",
                    "contact": {"email": "cost@example.it"}},
            "till": {"lines": [{"sku": sku, "qty": 1} for sku in skus[first:first + 3]],
                     "payments": [{"tender": "cash", "amount_cents": 10**7}]},
            "kiosk": {"lines": [{"sku": skus[first], "qty": 1}], "fulfilment": "pickup",
                      "pickup_store": "MI01", "contact": {"email": "cost@example.it"}},
        }[case]
        response = http.post("/v1/orders", json=body,
                             headers=headers | {"Idempotency-Key": uuid.uuid4().hex})
        assert response.status_code == 201, response.text
        answer: dict[str, Any] = response.json()
        return answer

    checkout(0)  # the first order of a series creates its sequence on PostgreSQL
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    for engine in {db.writer_engine, db.reader_engine}:
        event.listen(engine, "before_cursor_execute", seen)
    answer = checkout(3)
    dialect = db.writer_engine.dialect.name
    assert len(statements) == STATEMENTS[dialect][case], "\n".join(statements)
    assert not [s for s in statements if s.lstrip().startswith("SELECT") and (
        "FROM order_lines" in s or "FROM payments" in s or "FROM order_status_changes" in s)]
    assert len(answer["lines"]) == (3 if case == "till" else 1)
    assert [c["status"] for c in answer["timeline"]] == (
        ["pending_payment", "paid", "completed"] if case == "till" else ["pending_payment"])
