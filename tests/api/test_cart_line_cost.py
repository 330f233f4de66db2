"""What a scan at the till costs the core: setting one line of a basket (issue 17).

By default a line change answers with the whole priced basket, so pricing and the
answer grow with the basket; what must not grow is the work around it: the
statements sent, and the reservations read as objects (only the scanned item's
is). Asked for with ``?answer=line`` (the till does), the answer is the changed
line and the basket's totals: then nothing grows with the basket, neither the
statements, nor the basket lines read as objects, nor the answer itself, and the
totals are those of the whole basket to the cent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from core.carts.models import CartLine
from core.db import Database
from tests.conftest import Seeded

LINES = 12

STATEMENTS = {"sqlite": 27, "postgresql": 28}
"""Every statement one line change sends, from the device check to the answer."""

LINE_STATEMENTS = {"sqlite": 27, "postgresql": 28}
"""The same, answered with the line and the totals (``?answer=line``)."""

Live = tuple[TestClient, Database, Seeded]


def _till(http: TestClient, seeded: Seeded) -> dict[str, str]:
    till = {"Authorization": f"Bearer {seeded.tokens['MI01']['pos']}"}
    till["X-Staff-Token"] = http.post("/v1/auth/staff", json={"pin": "1111"},
                                      headers=till).json()["token"]
    return till


def _skus(http: TestClient, till: dict[str, str], count: int = LINES) -> list[str]:
    skus = [p["sku"] for p in http.get("/v1/products", params={"limit": count},
                                       headers=till).json()["items"]]
    assert len(skus) == count
    return skus


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """Every statement sent meanwhile, by the writer and the reader alike."""
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    engines = {db.writer_engine, db.reader_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", seen)


def test_a_line_change_costs_the_same_statements_in_a_long_basket(live: Live) -> None:
    http, db, seeded = live
    till = _till(http, seeded)
    skus = _skus(http, till)
    cart = http.post("/v1/carts", json={}, headers=till).json()["id"]

    with _statements(db) as statements:
        def one_more(sku: str, qty: int) -> list[str]:
            statements.clear()
            answer = http.post(f"/v1/carts/{cart}/lines", json={"sku": sku, "qty": qty},
                               headers=till)
            assert answer.status_code == 200, answer.text
            assert {x["sku"]: x["qty"] for x in answer.json()["lines"]}[sku] == qty
            return list(statements)

        one_more(skus[0], 1)
        small = one_more(skus[0], 2)
        for sku in skus[1:]:
            one_more(sku, 1)
        large = one_more(skus[0], 3)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) == STATEMENTS[db.writer_engine.dialect.name], "\n".join(large)


def test_a_line_answer_costs_the_same_in_a_long_basket(live: Live) -> None:
    """The till's answer: the same statements, no other line of the basket read as an
    object, and the same answer, in a 12-line basket as in a 1-line one."""
    http, db, seeded = live
    till = _till(http, seeded)
    skus = _skus(http, till)
    cart = http.post("/v1/carts", json={}, headers=till).json()["id"]
    loaded: list[CartLine] = []

    def load(target: CartLine, _context: Any) -> None:
        loaded.append(target)

    event.listen(CartLine, "load", load)
    try:
        with _statements(db) as statements:
            def one_more(sku: str, qty: int) -> tuple[list[str], int, dict[str, Any]]:
                statements.clear()
                loaded.clear()
                answer = http.post(f"/v1/carts/{cart}/lines", params={"answer": "line"},
                                   json={"sku": sku, "qty": qty}, headers=till)
                assert answer.status_code == 200, answer.text
                body: dict[str, Any] = answer.json()
                assert "lines" not in body, "the whole basket came back"
                assert body["line"]["sku"] == sku and body["line"]["qty"] == qty
                return list(statements), len(loaded), body

            one_more(skus[0], 1)
            small, small_loaded, small_body = one_more(skus[0], 2)
            for sku in skus[1:]:
                one_more(sku, 1)
            large, large_loaded, large_body = one_more(skus[0], 3)
    finally:
        event.remove(CartLine, "load", load)
    assert len(large) == len(small), "\n".join(large)
    assert len(large) == LINE_STATEMENTS[db.writer_engine.dialect.name], "\n".join(large)
    assert large_loaded == small_loaded <= 1
    assert set(large_body) == set(small_body)
    assert large_body["line_count"] == LINES and small_body["line_count"] == 1
    whole = http.get(f"/v1/carts/{cart}", headers=till).json()
    assert (large_body["total_cents"], large_body["tax_cents"]) == (
        whole["total_cents"], whole["tax_cents"])
    assert large_body["line"] == whole["lines"][0]


def test_a_line_answer_has_the_whole_baskets_totals_to_the_cent(live: Live) -> None:
    """Lines at different VAT rates, discounts in percent and in cents, a line
    taken off: after each change the line answer's total and tax are the whole
    basket's, and its line is the basket's line."""
    http, _db, seeded = live
    till = _till(http, seeded)
    skus = [*_skus(http, till, 6), "BK-NOV-02", "HO-MOK-05"]  # a book: another VAT rate
    cart = http.post("/v1/carts", json={}, headers=till).json()["id"]
    changes: list[dict[str, Any]] = [
        {"sku": skus[0], "qty": 3},
        {"sku": skus[6], "qty": 2, "discount_percent": 15},
        {"sku": skus[1], "qty": 7, "discount_cents": 33},
        {"sku": skus[7], "qty": 1},
        {"sku": skus[2], "qty": 5, "discount_percent": 7, "discount_cents": 11},
        {"sku": skus[6], "qty": 3, "discount_percent": 15},
        {"sku": skus[1], "qty": 0},
        {"sku": skus[3], "qty": 9, "discount_percent": 3},
        {"sku": skus[1], "qty": 2},
    ]
    for change in changes:
        answer = http.post(f"/v1/carts/{cart}/lines", params={"answer": "line"},
                           json=change, headers=till)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        whole = http.get(f"/v1/carts/{cart}", headers=till).json()
        assert (body["total_cents"], body["tax_cents"], body["line_count"]) == (
            whole["total_cents"], whole["tax_cents"], len(whole["lines"])), change
        mine = [x for x in whole["lines"] if x["sku"] == change["sku"]]
        assert body["line"] == (mine[0] if mine else None), change
        assert body["id"] == cart and body["expires_at"] == whole["expires_at"]
    assert {x["vat_rate_bp"] for x in whole["lines"]} != {whole["lines"][0]["vat_rate_bp"]}


def test_without_asking_a_line_change_still_answers_the_whole_basket(live: Live) -> None:
    http, _db, seeded = live
    till = _till(http, seeded)
    skus = _skus(http, till, 2)
    cart = http.post("/v1/carts", json={}, headers=till).json()["id"]
    for sku in skus:
        answer = http.post(f"/v1/carts/{cart}/lines", json={"sku": sku, "qty": 1},
                           headers=till)
    assert [x["sku"] for x in answer.json()["lines"]] == skus
    refused = http.post(f"/v1/carts/{cart}/lines", params={"answer": "everything"},
                        json={"sku": skus[0], "qty": 1}, headers=till)
    assert refused.status_code == 422
