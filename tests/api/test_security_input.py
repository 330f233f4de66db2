"""Issue 11, input: nothing a client sends reaches a 500, and a refusal says what
is wrong (problem+json 4xx) instead of "someone else changed this". On every database.

Each case was a 500 (or a misleading answer) before the fix; they go through the
raw HTTP client so that nothing on the client side can tidy the input up first.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from shared.client import Api, CommerceClient
from tests.api.helpers import sign_in


def _auth(token: str, staff: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if staff:
        headers["X-Staff-Token"] = staff
    return headers


@pytest.fixture
def till_headers(as_device, tokens) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The MI01 till with the manager (3333 is not seeded; the supervisor 2222)."""
    till: CommerceClient = sign_in(as_device("MI01", "pos"), "2222")
    assert till.staff_token
    return _auth(tokens["MI01"]["pos"], till.staff_token)


def _problem(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code and body["detail"]
    return body


def test_unicode_digits_in_a_scan_are_not_a_barcode(http, tokens) -> None:  # type: ignore[no-untyped-def]
    response = http.post("/v1/scan", json={"code": "²" * 13},
                         headers=_auth(tokens["MI01"]["kiosk"]))
    _problem(response, 404, 422)


def test_unicode_digits_in_last_event_id_are_refused(http, tokens) -> None:  # type: ignore[no-untyped-def]
    response = http.get("/v1/events", headers=_auth(tokens["MI01"]["pos"])
                        | {"Last-Event-ID": "²²".encode("latin-1")})
    _problem(response, 422)


@pytest.mark.parametrize("path", [
    "/v1/customers/99999999999999999999",
    "/v1/customers/99999999999999999999/orders",
    "/v1/customers/99999999999999999999/loyalty",
    "/v1/till/sessions/99999999999999999999",
    "/v1/customers/-99999999999999999999",
])
def test_ids_beyond_64_bits_are_refused(http, till_headers, path: str) -> None:  # type: ignore[no-untyped-def]
    _problem(http.get(path, headers=till_headers), 404, 422)


def _cursor(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize("params", [
    {"q": "tee", "cursor": _cursor({"o": 2**63})},
    {"q": "tee", "cursor": _cursor({"o": -1})},
    {"cursor": _cursor({"k": [None, None]})},
    {"cursor": _cursor({"k": [1, {"a": 2}]})},
    {"cursor": _cursor({"k": ["a\u0000", "b"]})},
    {"cursor": _cursor({"x": 1})},
    {"cursor": _cursor([1, 2])},
    {"cursor": "!!!"},
])
def test_page_cursors_are_checked_strictly(http, tokens, params: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    body = _problem(http.get("/v1/products", params=params,
                             headers=_auth(tokens["MI01"]["kiosk"])), 422)
    assert body["code"] == "invalid_cursor"


def test_a_real_cursor_still_pages(http, tokens) -> None:  # type: ignore[no-untyped-def]
    headers = _auth(tokens["MI01"]["kiosk"])
    first = http.get("/v1/products", params={"limit": 2}, headers=headers).json()
    second = http.get("/v1/products", params={"limit": 2, "cursor": first["next_cursor"]},
                      headers=headers)
    assert second.status_code == 200 and second.json()["items"][0] != first["items"][0]
    found = http.get("/v1/products", params={"q": "t", "limit": 1}, headers=headers).json()
    if found["next_cursor"]:
        again = http.get("/v1/products", params={"q": "t", "limit": 1,
                                                 "cursor": found["next_cursor"]}, headers=headers)
        assert again.status_code == 200


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("GET", "/v1/products/AB%00CD", {}),
    ("GET", "/v1/products", {"params": {"category": "a\u0000b"}}),
    ("GET", "/v1/products", {"params": {"q": "te\u0000e"}}),
    ("GET", "/v1/customers", {"params": {"q": "ro\u0000ssi"}}),
    ("GET", "/v1/orders/A%00B", {}),
    ("GET", "/v1/stock/MI01/A%00B", {}),
    ("POST", "/v1/orders", {"json": {
        "lines": [{"sku": "X", "qty": 1}], "fulfilment": "pickup", "pickup_store": "MI01",
        "contact": {"name": "Giu\u0000lia", "email": "g@example.it"}},
        "headers": {"Idempotency-Key": "k" * 20}}),
    ("POST", "/v1/carts/AB%00C/park", {"json": {"label": "x"}}),
    ("POST", "/v1/orders/X/transitions", {"json": {"to": "ready", "note": "a\u0000b"}}),
])
def test_a_nul_byte_anywhere_is_refused_at_the_edge(  # type: ignore[no-untyped-def]
    http, till_headers, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    headers = till_headers | kwargs.pop("headers", {})
    body = _problem(http.request(method, path, headers=headers, **kwargs), 422)
    assert body["code"] == "nul_byte"


def test_a_nul_in_a_park_label_is_refused(as_device, http, till_headers) -> None:  # type: ignore[no-untyped-def]
    cart = http.post("/v1/carts", json={}, headers=till_headers).json()
    body = _problem(http.post(f"/v1/carts/{cart['id']}/park", json={"label": "a\u0000"},
                              headers=till_headers), 422)
    assert body["code"] == "nul_byte"


def test_an_unknown_customer_is_not_found_not_a_conflict(http, till_headers) -> None:  # type: ignore[no-untyped-def]
    created = http.post("/v1/carts", json={"customer_id": 987654}, headers=till_headers)
    _problem(created, 404)
    cart = http.post("/v1/carts", json={}, headers=till_headers).json()
    changed = http.put(f"/v1/carts/{cart['id']}/customer", json={"customer_id": 987654},
                       headers=till_headers)
    _problem(changed, 404)


def test_an_unknown_sku_is_not_found_not_a_conflict(http, till_headers) -> None:  # type: ignore[no-untyped-def]
    adjusted = http.post("/v1/stock/adjustments", headers=till_headers, json={
        "location": "MI01", "sku": "NO-SUCH-SKU", "reason": "count", "qty": 3})
    _problem(adjusted, 404)
    moved = http.post("/v1/stock/transfers", headers=till_headers, json={
        "from_location": "MI01", "to_location": "RM01",
        "lines": [{"sku": "NO-SUCH-SKU", "qty": 1}]})
    _problem(moved, 404, 409)
    assert moved.json()["code"] != "concurrent_change"


def test_the_stock_of_an_unknown_sku_is_not_found(as_device) -> None:  # type: ignore[no-untyped-def]
    from shared import errors

    with pytest.raises(errors.NotFound):
        as_device("MI01", "kiosk").call(Api.stock_level("MI01", "NO-SUCH-SKU"))
    with pytest.raises(errors.NotFound):
        as_device("MI01", "kiosk").call(Api.stock_level("NOWHERE", "NO-SUCH-SKU"))
