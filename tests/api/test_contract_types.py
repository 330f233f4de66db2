"""Issue 11, the contract in what it accepts: numbers and flags only as the JSON
types the OpenAPI document declares, ``Allow`` on a 405, and a customer search
where ``%`` and ``_`` are characters, not wildcards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from shared.client import CommerceClient
from shared.schemas.common import Request

Headers = dict[str, str]


def _auth(client: CommerceClient) -> Headers:
    headers = {"Authorization": f"Bearer {client.device_token}"}
    return headers | ({"X-Staff-Token": client.staff_token} if client.staff_token else {})


@pytest.mark.parametrize("qty", ["1", True, 1.0, "01"], ids=["text", "true", "float", "padded"])
def test_a_quantity_must_be_a_json_integer(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, sku: str, qty: Any
) -> None:
    kiosk = _auth(as_device("MI01", "kiosk"))
    cart = http.post("/v1/carts", json={}, headers=kiosk).json()["id"]
    answer = http.post(f"/v1/carts/{cart}/lines", json={"sku": sku, "qty": qty}, headers=kiosk)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == "invalid_input" and "qty" in answer.json()["detail"]
    assert http.post(f"/v1/carts/{cart}/lines", json={"sku": sku, "qty": 1},
                     headers=kiosk).status_code == 200


def test_money_and_flags_come_as_declared(  # type: ignore[no-untyped-def]
    as_device, http: TestClient, till: CommerceClient
) -> None:
    headers = _auth(till)
    for body in ({"kind": "in", "amount_cents": "500", "reason": "change"},
                 {"kind": "in", "amount_cents": 500.0, "reason": "change"},
                 {"kind": "in", "amount_cents": True, "reason": "change"}):
        answer = http.post("/v1/till/movements", json=body, headers=headers)
        assert answer.status_code == 422, (body, answer.text)
    flag = http.post("/v1/orders/MI01-000001/collect", json={"last_name": "x", "cancel_rest": 1},
                     headers=headers)
    assert flag.status_code == 422 and "cancel_rest" in flag.json()["detail"]
    # an enum's value is text in JSON, and stays accepted
    fine = http.post("/v1/till/movements", json={"kind": "in", "amount_cents": 500,
                                                  "reason": "change"}, headers=headers)
    assert fine.status_code == 200, fine.text


def test_a_method_not_allowed_says_which_are(as_device, http: TestClient) -> None:  # type: ignore[no-untyped-def]
    kiosk = _auth(as_device("MI01", "kiosk"))
    answer = http.put("/v1/stores", headers=kiosk)
    assert answer.status_code == 405
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert set(answer.headers["allow"].replace(" ", "").split(",")) >= {"GET"}
    assert "POST" in http.delete("/v1/returns", headers=kiosk).headers["allow"]


@pytest.mark.parametrize("q", ["%%", "__", "r_ss", "r%i", "Ro%"])
def test_wildcards_in_a_customer_search_are_plain_characters(
    http: TestClient, till: CommerceClient, q: str
) -> None:
    answer = http.get("/v1/customers", params={"q": q}, headers=_auth(till))
    assert answer.status_code == 200 and answer.json() == [], answer.text


def test_a_customer_is_still_found_by_name(http: TestClient, till: CommerceClient) -> None:
    found = http.get("/v1/customers", params={"q": "ross"}, headers=_auth(till)).json()
    assert found and all("Rossi" in c["name"] for c in found)


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for info in annotation.model_fields.values():
            yield from _models(info.annotation)
    for arg in get_args(annotation):
        yield from _models(arg)


def test_every_request_body_is_typed_strictly(app: FastAPI) -> None:
    """A new request model must inherit ``Request``, or ``"qty": "1"`` slips back in."""
    lax = set()
    for route in _api_routes(app.routes):
        for param in route.dependant.body_params:
            lax |= {m.__name__ for m in _models(param.field_info.annotation)
                    if not issubclass(m, Request)}
    assert lax == set(), "request models that are not shared.schemas.common.Request"


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from _api_routes(original.routes)
        elif isinstance(route, APIRoute):
            yield route
