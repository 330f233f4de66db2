"""The catalog as a shopper's screen needs it (issue 12): one row per style,
every style reachable by cursor, variants in size order with this store's stock.
On every database (the ``as_device`` fixture runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from core.catalog.variants import size_key, style_name
from shared.client import Api, CommerceClient


def _all_styles(client: CommerceClient, **query: object) -> list[str]:
    seen: list[str] = []
    cursor = None
    for _ in range(100):
        page = client.call(Api.styles(limit=7, cursor=cursor, **query))  # type: ignore[arg-type]
        seen += [p.style or p.sku for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ended")


def test_browse_by_style_pages_through_every_style_once(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    styles = _all_styles(client, category="clothing")
    assert len(styles) == len(set(styles)) == 12
    # The last style by name, which one page of 100 SKUs never reached.
    assert styles[-1] == "PT-TRN-09"


def test_search_by_style_gives_one_row_with_its_figures(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    assert len(client.call(Api.products(q="polo")).items) == 12
    [polo] = client.call(Api.styles(q="polo")).items
    assert polo.style_name == "Piqué Polo" and polo.variant_count == 12
    assert polo.price_min_cents == polo.price_max_cents == polo.price_cents
    styles = _all_styles(client, q="navy")
    assert len(styles) == len(set(styles)) >= 8


def test_detail_orders_sizes_as_a_shopper_reads_them(as_device) -> None:  # type: ignore[no-untyped-def]
    client: CommerceClient = as_device("MI01", "kiosk")
    tee = client.call(Api.product("PT-TEE-01-NAV-L"))
    assert tee.sizes == ["S", "M", "L", "XL"] and tee.colours == ["Black", "Navy", "Sage", "White"]
    assert [v.size for v in tee.variants[:4]] == ["S", "M", "L", "XL"]
    assert all(v.available_here is not None for v in tee.variants)
    belt = client.call(Api.product("AC-BEL-01-BRO-85"))
    assert belt.sizes == ["85", "90", "95", "100"]
    moka = client.call(Api.product("HO-MOK-05"))
    assert moka.sizes == moka.colours == [] and moka.style_name == "Moka Pot 6 Cups"


def test_size_order_and_style_names() -> None:
    assert sorted(["XL", "L", "XXL", "S", "M", "XS"], key=size_key) == \
        ["XS", "S", "M", "L", "XL", "XXL"]
    assert sorted(["100", "85", "9.5", "44-46", "36-39", "4A"], key=size_key) == \
        ["4A", "9.5", "36-39", "44-46", "85", "100"]
    assert style_name("Piqué Polo, Navy, M", "Navy", "M") == "Piqué Polo"
    assert style_name("Folding Umbrella, Black", "Black", None) == "Folding Umbrella"
    assert style_name("Jeans W32", None, "32") == "Jeans W32"
