"""Catalog queries: browse, search, detail, availability."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.catalog import search
from core.catalog.models import Category, Product
from core.problems import InvalidInput, NotFound
from core.stock.models import StockLevel
from core.stores.models import Location
from shared.codes import is_valid_ean13
from shared.schemas.catalog import (
    Availability,
    CategoryOut,
    LocationStock,
    ProductDetail,
    ProductOut,
    ProductPage,
    VariantOut,
)
from shared.schemas.enums import StoreKind

ONLINE_KINDS = (StoreKind.WAREHOUSE, StoreKind.OWN)
"""The web shop ships from the warehouse and from our own stores; franchise and
partner stock belongs to those businesses."""


def _encode_cursor(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> dict[str, object]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(data, dict):
            raise ValueError
        return data
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("The page cursor is not valid; start again from the first page.",
                           code="invalid_cursor") from exc


def _categories(session: Session) -> dict[str, Category]:
    return {c.code: c for c in session.scalars(select(Category))}


def product_out(product: Product, category: Category | None) -> ProductOut:
    return ProductOut(
        sku=product.sku,
        gtin=product.gtin,
        name=product.name,
        description=product.description,
        category=product.category_code,
        category_name=category.name if category else product.category_code,
        brand=product.brand,
        style=product.style,
        size=product.size,
        colour=product.colour,
        price_cents=product.price_cents,
        vat_rate_bp=product.vat_rate_bp,
        final_sale=bool(category and category.final_sale),
        active=product.active,
    )


def products_out(session: Session, products: Sequence[Product]) -> list[ProductOut]:
    categories = _categories(session)
    return [product_out(p, categories.get(p.category_code)) for p in products]


def list_products(
    session: Session, *, q: str | None, category: str | None, limit: int, cursor: str | None
) -> ProductPage:
    """Search (ranked, by offset) or browse (by name, keyset) one page of products."""
    position = _decode_cursor(cursor) if cursor else {}
    if q and q.strip():
        offset = int(position.get("o", 0)) if isinstance(position.get("o", 0), int) else 0
        skus = search.search_skus(
            session, query=q, category=category, limit=limit + 1, offset=offset
        )
        if skus is not None:
            found = {p.sku: p for p in session.scalars(
                select(Product).where(Product.sku.in_(skus[:limit])))}
            items = [found[s] for s in skus[:limit] if s in found]
            more = len(skus) > limit
            return ProductPage(
                items=products_out(session, items),
                next_cursor=_encode_cursor({"o": offset + limit}) if more else None,
            )
    stmt = select(Product).where(Product.active.is_(True))
    if category:
        stmt = stmt.where(Product.category_code == category)
    after = position.get("k")
    if isinstance(after, list) and len(after) == 2:
        stmt = stmt.where(
            (Product.name > after[0]) | ((Product.name == after[0]) & (Product.sku > after[1]))
        )
    rows = list(session.scalars(stmt.order_by(Product.name, Product.sku).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return ProductPage(
        items=products_out(session, rows),
        next_cursor=_encode_cursor({"k": [rows[-1].name, rows[-1].sku]}) if more else None,
    )


def get_product(session: Session, sku: str) -> Product:
    product = session.get(Product, sku.upper())
    if product is None:
        raise NotFound(f"There is no product with code {sku!r}.", code="product_not_found")
    return product


def product_detail(session: Session, sku: str) -> ProductDetail:
    product = get_product(session, sku)
    category = session.get(Category, product.category_code)
    variants = session.scalars(
        select(Product)
        .where(Product.style == product.style, Product.active.is_(True))
        .order_by(Product.colour, Product.sku)
    ) if product.style else [product]
    base = product_out(product, category)
    return ProductDetail(
        **base.model_dump(),
        variants=[
            VariantOut(sku=v.sku, size=v.size, colour=v.colour, price_cents=v.price_cents)
            for v in variants
        ],
    )


def product_by_gtin(session: Session, gtin: str) -> Product:
    if not is_valid_ean13(gtin):
        raise InvalidInput(f"{gtin} is not a valid EAN-13 barcode (check digit).",
                           code="invalid_barcode")
    product = session.scalar(select(Product).where(Product.gtin == gtin))
    if product is None:
        raise NotFound(f"No product has the barcode {gtin}.", code="product_not_found")
    return product


def list_categories(session: Session) -> list[CategoryOut]:
    counts = dict(
        session.execute(
            select(Product.category_code, func.count())
            .where(Product.active.is_(True))
            .group_by(Product.category_code)
        ).all()
    )
    return [
        CategoryOut(code=c.code, name=c.name, final_sale=c.final_sale,
                    product_count=counts.get(c.code, 0))
        for c in session.scalars(select(Category).order_by(Category.name))
    ]


def _distance_km(a: Location, b: Location) -> float:
    """Great-circle distance: good enough to put the nearest store first."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return round(6371.0 * 2 * math.asin(math.sqrt(h)), 1)


def availability(session: Session, *, sku: str, store_code: str | None) -> Availability:
    product = get_product(session, sku)
    levels = {
        level.location_code: level.on_hand - level.reserved
        for level in session.scalars(select(StockLevel).where(StockLevel.sku == product.sku))
    }
    locations = list(session.scalars(select(Location).order_by(Location.code)))
    here_location = next((loc for loc in locations if loc.code == store_code), None)

    def stock_of(loc: Location) -> LocationStock:
        return LocationStock(
            code=loc.code, name=loc.name, kind=StoreKind(loc.kind), city=loc.city,
            available=levels.get(loc.code, 0),
            distance_km=_distance_km(here_location, loc) if here_location else None,
        )

    others = [stock_of(loc) for loc in locations if loc.code != store_code]
    others.sort(key=lambda s: (s.distance_km if s.distance_km is not None else 0.0, s.code))
    return Availability(
        sku=product.sku,
        here=stock_of(here_location) if here_location else None,
        locations=others,
        online=sum(levels.get(loc.code, 0) for loc in locations if loc.kind in ONLINE_KINDS),
    )
