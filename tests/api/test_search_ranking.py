"""Search ranks a bounded candidate set (see ``core.catalog.search``) and still
puts the product a shopper typed the name of first."""

from __future__ import annotations

import pytest

from core.catalog import search, writes
from core.db import Database
from shared.client import Api, CommerceClient

_NAMED = "HARB-NAMED"
_WORDY = "harbour tote " * 6


def _catalog(url: str) -> None:
    """Twelve products that say "harbour tote" over and over, then (last in the
    index's own order) the one named "Harbour Tote", alone in its category."""
    with Database(url) as db, db.write() as session:
        writes.upsert_category(session, code="BAGS", name="Bags", final_sale=False)
        writes.upsert_category(session, code="GIFTS", name="Gifts", final_sale=False)
        for n in range(12):
            writes.upsert_product(
                session, sku=f"HARB-{n:02d}", name=f"Weekender {n} in harbour canvas",
                category_code="BAGS", price_cents=2500, vat_rate_bp=2200,
                description=_WORDY, style=f"HARB-S{n:02d}")
        session.flush()
        writes.upsert_product(
            session, sku=_NAMED, name="Harbour Tote", category_code="GIFTS",
            price_cents=1900, vat_rate_bp=2200, style="HARB-SN")


@pytest.fixture
def kiosk(as_device, seeded, monkeypatch: pytest.MonkeyPatch) -> CommerceClient:  # type: ignore[no-untyped-def]
    """A kiosk on a catalog where the pool (4 here) cannot hold every match."""
    _catalog(seeded.url)
    monkeypatch.setattr(search, "POOL", 4)
    client: CommerceClient = as_device("MI01", "kiosk")
    return client


def test_typing_a_products_name_puts_it_first_beyond_the_pool(kiosk: CommerceClient) -> None:
    for typed in ("Harbour Tote", "harbour tote", "HARBOUR"):
        items = kiosk.call(Api.products(q=typed, limit=1)).items
        assert [p.sku for p in items] == [_NAMED], typed
    styles = kiosk.call(Api.styles(q="harbour tote", limit=1)).items
    assert [p.sku for p in styles] == [_NAMED]


def test_prefixes_categories_and_pages_beyond_the_pool(kiosk: CommerceClient) -> None:
    """"harb" is not the name's first word whole, so no product is put first for
    its name, yet every result holds the prefix; the pool is taken within a
    category, so the category's only match is found however many matches other
    categories hold; paging widens the pool and never repeats a product."""
    items = kiosk.call(Api.products(q="harb", limit=20)).items
    assert items and all("harb" in (p.name + p.description).lower() for p in items)
    page = kiosk.call(Api.products(q="harb", category="GIFTS", limit=1))
    assert [p.sku for p in page.items] == [_NAMED] and page.next_cursor is None
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = kiosk.call(Api.products(q="harbour", limit=3, cursor=cursor))
        seen += [p.sku for p in page.items]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 13
