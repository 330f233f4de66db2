"""What a scan at the till costs the core: setting one line of a basket (issue 17).

A line change answers with the whole priced basket, so pricing and the answer
grow with the basket; what must not grow is the work around it: the statements
sent, and the reservations read as objects (only the scanned item's is)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from core.db import Database
from tests.conftest import Seeded

LINES = 12

STATEMENTS = {"sqlite": 27, "postgresql": 28}
"""Every statement one line change sends, from the device check to the answer."""


def test_a_line_change_costs_the_same_statements_in_a_long_basket(
    live: tuple[TestClient, Database, Seeded],
) -> None:
    http, db, seeded = live
    till = {"Authorization": f"Bearer {seeded.tokens['MI01']['pos']}"}
    till["X-Staff-Token"] = http.post("/v1/auth/staff", json={"pin": "1111"},
                                      headers=till).json()["token"]
    skus = [p["sku"] for p in http.get("/v1/products", params={"limit": LINES},
                                       headers=till).json()["items"]]
    assert len(skus) == LINES
    cart = http.post("/v1/carts", json={}, headers=till).json()["id"]
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    def one_more(sku: str, qty: int) -> list[str]:
        statements.clear()
        answer = http.post(f"/v1/carts/{cart}/lines", json={"sku": sku, "qty": qty},
                           headers=till)
        assert answer.status_code == 200, answer.text
        assert {x["sku"]: x["qty"] for x in answer.json()["lines"]}[sku] == qty
        return list(statements)

    for engine in {db.writer_engine, db.reader_engine}:
        event.listen(engine, "before_cursor_execute", seen)
    one_more(skus[0], 1)
    small = one_more(skus[0], 2)
    for sku in skus[1:]:
        one_more(sku, 1)
    large = one_more(skus[0], 3)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) == STATEMENTS[db.writer_engine.dialect.name], "\n".join(large)
