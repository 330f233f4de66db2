"""The catalog API on every database: search, browse, detail, availability, scan."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from shared import errors
from shared.client import Api, CommerceClient


def test_health_needs_no_token(http: TestClient) -> None:
    response = http.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_stores_list_the_demo_chain(as_device) -> None:  # type: ignore[no-untyped-def]
    stores = {s.code: s for s in as_device("MI01", "kiosk").call(Api.stores())}
    assert {"MI01", "RM01", "TO01", "WH01"} <= set(stores)
    assert stores["WH01"].kind == "warehouse" and not stores["WH01"].has_till
    assert stores["TO01"].kind == "franchise"


def test_search_finds_a_product_by_name_from_the_database_index(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    first = client.call(Api.products(limit=1)).items[0]
    word = max(first.name.split(",")[0].split(), key=len)
    page = client.call(Api.products(q=word, limit=100))
    assert first.sku in {p.sku for p in page.items}
    assert all(word.lower() in (p.name + p.brand + p.description + p.category_name).lower()
               for p in page.items)


def test_search_matches_prefixes_and_ignores_accents_and_case(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    full = client.call(Api.products(limit=100)).items
    target = next(p for p in full if len(p.brand) >= 5)
    prefix = target.brand[:4].upper()
    skus = set()
    page = client.call(Api.products(q=prefix, limit=100))
    skus |= {p.sku for p in page.items}
    assert target.sku in skus or page.next_cursor is not None


def test_search_with_nothing_matching_is_an_empty_page(as_device) -> None:  # type: ignore[no-untyped-def]
    page = as_device("MI01", "kiosk").call(Api.products(q="zzzqqqxxx"))
    assert page.items == [] and page.next_cursor is None


def test_search_survives_fts_syntax_in_the_query(as_device) -> None:  # type: ignore[no-untyped-def]
    page = as_device("MI01", "kiosk").call(Api.products(q='tee" OR * NEAR( -'))
    assert isinstance(page.items, list)


def test_browse_pages_with_a_cursor_without_repeats(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        page = client.call(Api.products(limit=50, cursor=cursor))
        seen += [p.sku for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 250


def test_category_filter(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    categories = client.call(Api.categories())
    assert len(categories) >= 8
    chosen = categories[0]
    page = client.call(Api.products(category=chosen.code, limit=100))
    assert page.items and {p.category for p in page.items} == {chosen.code}


def test_product_detail_lists_variants_of_its_style(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    items = client.call(Api.products(limit=100)).items
    sized = next(p for p in items if p.size)
    detail = client.call(Api.product(sized.sku))
    assert sized.sku in {v.sku for v in detail.variants}
    assert len(detail.variants) > 1


def test_unknown_product_is_a_clear_404(as_device) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.NotFound, match="no product"):
        as_device("MI01", "kiosk").call(Api.product("NOPE-123"))


def test_availability_puts_this_store_apart_and_nearest_first(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    sku = client.call(Api.products(limit=1)).items[0].sku
    availability = client.call(Api.availability(sku))
    assert availability.here is not None and availability.here.code == "MI01"
    distances = [loc.distance_km for loc in availability.locations]
    assert distances == sorted(distances)
    assert "MI01" not in {loc.code for loc in availability.locations}
    assert availability.online >= 0


def test_scan_resolves_ean13_and_shelf_codes(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    product = client.call(Api.products(limit=1)).items[0]
    assert product.gtin
    by_ean = client.call(Api.scan(product.gtin))
    assert by_ean.kind == "product" and by_ean.product and by_ean.product.sku == product.sku
    by_shelf = client.call(Api.scan(f"OT1:P:{product.sku}"))
    assert by_shelf.product and by_shelf.product.sku == product.sku


@pytest.mark.parametrize("code", ["8000000000000", "hello world", "OT1:Z:ABC", "12345"])
def test_scan_of_garbage_is_a_clear_4xx(as_device, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises((errors.InvalidRequest, errors.NotFound)) as caught:
        as_device("MI01", "kiosk").call(Api.scan(code))
    assert caught.value.status in (404, 422)
    assert "code" in str(caught.value).lower() or "barcode" in str(caught.value).lower()


def test_missing_and_wrong_tokens_are_401_problems(http: TestClient) -> None:
    response = http.get("/v1/products")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "device token" in response.json()["detail"]
    response = http.get("/v1/products", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_device_token"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/products?limit=0", None),
        ("GET", "/v1/products?limit=abc", None),
        ("GET", "/v1/products?cursor=!!!notbase64", None),
        ("POST", "/v1/scan", {"code": ""}),
        ("POST", "/v1/scan", {"nope": 1}),
        ("POST", "/v1/scan", [1, 2]),
        ("GET", "/v1/nothing-here", None),
    ],
)
def test_bad_input_is_a_4xx_problem_with_a_message(  # type: ignore[no-untyped-def]
    http: TestClient, tokens, method: str, path: str, body: object
) -> None:
    response = http.request(method, path, json=body,
                            headers={"Authorization": f"Bearer {tokens['MI01']['kiosk']}"})
    assert 400 <= response.status_code < 500
    problem = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["detail"] and problem["code"] and problem["status"] == response.status_code
