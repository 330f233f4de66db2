"""The demo chain is realistic enough to demo and stable enough to test against."""

from __future__ import annotations

import re
from collections import defaultdict

from core.seed.demo_data import load_demo_data
from shared.codes import is_valid_ean13


def test_catalog_is_big_varied_and_barcoded() -> None:
    data = load_demo_data()
    assert len(data.products) >= 250
    assert len(data.categories) >= 8
    assert {p.vat_rate_bp for p in data.products} == {2200, 1000, 400}
    assert len({p.sku for p in data.products}) == len(data.products)
    assert len({p.gtin for p in data.products}) == len(data.products)
    assert all(is_valid_ean13(p.gtin) for p in data.products)
    assert all(re.fullmatch(r"[A-Z0-9][A-Z0-9\-]{0,31}", p.sku) for p in data.products)
    assert any(c.final_sale for c in data.categories)
    styles = defaultdict(set)
    for p in data.products:
        styles[p.style].add((p.size, p.colour))
    assert any(len(v) >= 8 for v in styles.values())


def test_stores_people_and_pins() -> None:
    data = load_demo_data()
    kinds = {s.code: s.kind for s in data.stores}
    assert kinds["MI01"] == "own" and kinds["RM01"] == "own" and kinds["TO01"] == "franchise"
    assert kinds["WH01"] == "warehouse" and "multibrand" in kinds.values()
    assert len(data.customers) >= 50
    for attribute in ("email", "phone", "loyalty_card"):
        assert len({getattr(c, attribute) for c in data.customers}) == len(data.customers)
    assert all(is_valid_ean13(c.loyalty_card) for c in data.customers)
    assert len({s.pin for s in data.staff}) == len(data.staff)
    for store in (s for s in data.stores if s.has_till):
        roles = {m.role for m in data.staff if store.code in m.stores}
        assert {"cashier", "supervisor"} <= roles, store.code


def test_stock_has_gaps_that_other_locations_fill() -> None:
    data = load_demo_data()
    by_sku = defaultdict(dict)
    for s in data.stock:
        by_sku[s.sku][s.location] = s.on_hand
    gaps = [sku for sku, levels in by_sku.items()
            if levels.get("MI01") == 0 and any(levels.values())]
    assert gaps
    assert any(not any(levels.values()) for levels in by_sku.values())


def test_the_same_seed_gives_the_same_data() -> None:
    assert load_demo_data(7) == load_demo_data(7)
    assert load_demo_data(7).stock != load_demo_data(8).stock
    assert load_demo_data(7).products == load_demo_data(8).products
