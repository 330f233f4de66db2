"""A product scan that carries the product (issue 17, kiosk scan latency).

A kiosk showed a scanned product after two round trips: the scan, then the
product's detail and its stock side by side. ``POST /v1/scan?include=product``
answers all three at once, in the shapes the two reads give, for the caller's
store and language; without it the answer is the one every caller had before
(an older till reads it: its schema refuses fields it does not know)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from core.db import Database
from shared.schemas.orders import Contact, LineIn, OrderCreate
from tests.api.helpers import key, set_stock
from tests.support import Seeded

SKU = "PT-TEE-01-WHI-M"
"""A tee of a style in several colours and sizes, with Italian words."""

DEVICES = {"kiosk": ("MI01", "kiosk"), "till": ("MI01", "pos"), "web": ("WEB", "web")}


def _headers(seeded: Seeded, device: str, language: str = "en") -> dict[str, str]:
    store, kind = DEVICES[device]
    return {"Authorization": f"Bearer {seeded.tokens[store][kind]}",
            "Accept-Language": language}


def _gtin(http: TestClient, headers: dict[str, str]) -> str:
    gtin = http.get(f"/v1/products/{SKU}", headers=headers).json()["gtin"]
    assert gtin
    return str(gtin)


@pytest.mark.parametrize("device", list(DEVICES))
def test_a_product_scan_carries_its_detail_and_stock_as_the_caller_reads_them(
    http: TestClient, seeded: Seeded, device: str,
) -> None:
    """The same detail and stock the caller would read with the two calls: its
    store's figures (none for the web shop, which has no store), its language."""
    set_stock(seeded.url, "MI01", SKU, 4)
    headers = _headers(seeded, device, "it")
    detail = http.get(f"/v1/products/{SKU}", headers=headers).json()
    stock = http.get(f"/v1/products/{SKU}/availability", headers=headers).json()
    assert detail["name"] != http.get(f"/v1/products/{SKU}",
                                      headers=_headers(seeded, device)).json()["name"]
    for code in (_gtin(http, headers), f"OT1:P:{SKU}"):
        answer = http.post("/v1/scan", params={"include": "product"}, json={"code": code},
                           headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["kind"] == "product" and body["reference"] == SKU
        assert body["detail"] == detail
        assert body["availability"] == stock
    if device == "kiosk":
        assert stock["here"]["code"] == "MI01" and stock["here"]["available"] == 4
        assert {v["sku"]: v["available_here"] for v in detail["variants"]}[SKU] == 4
        assert len(detail["variants"]) > 1


def test_without_include_the_answer_is_the_one_before(http: TestClient, seeded: Seeded) -> None:
    headers = _headers(seeded, "kiosk")
    answer = http.post("/v1/scan", json={"code": _gtin(http, headers)}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"kind", "product", "reference"}


def test_include_on_a_code_that_names_no_product_changes_nothing(
    http: TestClient, seeded: Seeded,
) -> None:
    set_stock(seeded.url, "MI01", SKU, 4)
    kiosk = _headers(seeded, "kiosk")
    order = http.post("/v1/orders", headers=kiosk | {"Idempotency-Key": key()}, json=OrderCreate(
        lines=[LineIn(sku=SKU, qty=1)], fulfilment="pickup", pickup_store="MI01",
        contact=Contact(name="Giulia Rossi", email="giulia.scan@example.it"),
    ).model_dump(mode="json", exclude_none=True))
    assert order.status_code == 201, order.text
    answer = http.post("/v1/scan", params={"include": "product"},
                       json={"code": order.json()["pickup_code"]}, headers=kiosk)
    assert answer.status_code == 200, answer.text
    assert answer.json()["kind"] == "order_pickup"
    assert "detail" not in answer.json() and "availability" not in answer.json()


def test_include_takes_only_what_it_knows(http: TestClient, seeded: Seeded) -> None:
    headers = _headers(seeded, "kiosk")
    answer = http.post("/v1/scan", params={"include": "customer"},
                       json={"code": f"OT1:P:{SKU}"}, headers=headers)
    assert answer.status_code == 422, answer.text


STATEMENTS = {"sqlite": 11, "postgresql": 9}
"""Every statement a product scan with ``include=product`` sends, from the device
check to the answer: the scan's own, the variants and their stock here, the
product's stock and the locations."""


def test_a_scan_with_the_product_costs_fewer_statements_than_the_three_calls(
    live: tuple[TestClient, Database, Seeded],
) -> None:
    http, db, seeded = live
    headers = _headers(seeded, "kiosk")
    gtin = _gtin(http, headers)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    def cost(method: str, path: str, **kwargs: Any) -> int:
        http.request(method, path, headers=headers, **kwargs).raise_for_status()  # warm
        statements.clear()
        http.request(method, path, headers=headers, **kwargs).raise_for_status()
        return len(statements)

    for engine in {db.writer_engine, db.reader_engine}:
        event.listen(engine, "before_cursor_execute", seen)
    three = (cost("POST", "/v1/scan", json={"code": gtin})
             + cost("GET", f"/v1/products/{SKU}")
             + cost("GET", f"/v1/products/{SKU}/availability"))
    one = cost("POST", "/v1/scan", json={"code": gtin}, params={"include": "product"})
    assert one == STATEMENTS[db.writer_engine.dialect.name], "\n".join(statements)
    assert one < three
