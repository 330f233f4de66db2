"""Catalog queries: browse, search, detail, availability."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Sequence

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from core.catalog import search
from core.catalog.models import Category, Product
from core.catalog.translations import BASE, word
from core.catalog.variants import size_key, style_name
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


def _colour_name(product: Product, language: str) -> str | None:
    if product.colour is None:
        return None
    return word(product.translations, language, "colour", product.colour)


def product_out(product: Product, category: Category | None, language: str = BASE
                ) -> ProductOut:
    """The product in ``language`` (its own words where it has no translation)."""
    name = word(product.translations, language, "name", product.name)
    colour_name = _colour_name(product, language)
    return ProductOut(
        sku=product.sku,
        gtin=product.gtin,
        name=name,
        description=word(product.translations, language, "description", product.description),
        category=product.category_code,
        category_name=(word(category.translations, language, "name", category.name)
                       if category else product.category_code),
        brand=product.brand,
        style=product.style,
        style_name=style_name(name, colour_name, product.size),
        size=product.size,
        colour=product.colour,
        colour_name=colour_name,
        price_cents=product.price_cents,
        vat_rate_bp=product.vat_rate_bp,
        final_sale=bool(category and category.final_sale),
        active=product.active,
    )


def products_out(session: Session, products: Sequence[Product], language: str = BASE
                 ) -> list[ProductOut]:
    categories = _categories(session)
    return [product_out(p, categories.get(p.category_code), language) for p in products]


def _style_key() -> ColumnElement[str]:
    """A product without a style is a style of its own."""
    return case((Product.style == "", Product.sku), else_=Product.style)


def _with_style_figures(session: Session, items: list[ProductOut]) -> list[ProductOut]:
    """One row per style says how many variants it has and what they cost."""
    styles = {p.style for p in items if p.style}
    figures = {
        style: (count, low, high)
        for style, count, low, high in session.execute(
            select(Product.style, func.count(), func.min(Product.price_cents),
                   func.max(Product.price_cents))
            .where(Product.style.in_(styles), Product.active.is_(True))
            .group_by(Product.style)
        ).all()
    } if styles else {}
    return [
        item.model_copy(update=dict(zip(
            ("variant_count", "price_min_cents", "price_max_cents"),
            figures.get(item.style, (1, item.price_cents, item.price_cents)), strict=True)))
        for item in items
    ]


def _name_in(language: str) -> ColumnElement[str]:
    """A product's name as the shopper reads it, so a list is in alphabetical order
    in their language (the JSON path reads the same on SQLite and PostgreSQL)."""
    if language == BASE:
        return Product.name.expression
    translated = Product.translations[(language, "name")].as_string()
    return func.coalesce(translated, Product.name)


def list_products(
    session: Session, *, q: str | None, category: str | None, limit: int, cursor: str | None,
    group: str | None = None, language: str = BASE,
) -> ProductPage:
    """Search (ranked, by offset) or browse (by name, keyset) one page of products.

    ``group="style"``: one row per style instead of one per size and colour
    (the row is the style's best match, or its first variant by name)."""
    by_style = group == "style"
    position = _decode_cursor(cursor) if cursor else {}
    if q and q.strip():
        given = position.get("o", 0)
        offset = given if isinstance(given, int) else 0
        skus = search.search_skus(
            session, query=q, category=category, limit=limit + 1, offset=offset,
            by_style=by_style,
        )
        if skus is not None:
            found = {p.sku: p for p in session.scalars(
                select(Product).where(Product.sku.in_(skus[:limit])))}
            items = products_out(session, [found[s] for s in skus[:limit] if s in found],
                                 language)
            more = len(skus) > limit
            return ProductPage(
                items=_with_style_figures(session, items) if by_style else items,
                next_cursor=_encode_cursor({"o": offset + limit}) if more else None,
            )
    filters: list[ColumnElement[bool]] = [Product.active.is_(True)]
    if category:
        filters.append(Product.category_code == category)
    name: ColumnElement[str]
    sku: ColumnElement[str]
    read_name = _name_in(language)
    if by_style:
        first = func.row_number().over(partition_by=_style_key(),
                                       order_by=(read_name, Product.sku))
        firsts = select(Product.sku, read_name.label("name"), first.label("n")
                        ).where(*filters).subquery()
        name, sku = firsts.c.name, firsts.c.sku
        keys = select(name, sku).where(firsts.c.n == 1)
    else:
        name, sku = read_name, Product.sku.expression
        keys = select(name.label("name"), sku).where(*filters)
    after = position.get("k")
    if isinstance(after, list) and len(after) == 2:
        keys = keys.where((name > after[0]) | ((name == after[0]) & (sku > after[1])))
    page = session.execute(keys.order_by(name, sku).limit(limit + 1)).all()
    more = len(page) > limit
    page = page[:limit]
    found = {p.sku: p for p in session.scalars(
        select(Product).where(Product.sku.in_([row.sku for row in page])))}
    items = products_out(session, [found[row.sku] for row in page], language)
    return ProductPage(
        items=_with_style_figures(session, items) if by_style else items,
        next_cursor=_encode_cursor({"k": [page[-1].name, page[-1].sku]}) if more else None,
    )


def get_product(session: Session, sku: str) -> Product:
    product = session.get(Product, sku.upper())
    if product is None:
        raise NotFound(f"There is no product with code {sku!r}.", code="product_not_found")
    return product


def product_detail(session: Session, sku: str, *, store_code: str | None = None,
                   language: str = BASE) -> ProductDetail:
    """The product and every variant of its style, colours by name and sizes in
    size order, each with what the asking store has of it (so a shopper sees
    which sizes are here before choosing one)."""
    product = get_product(session, sku)
    category = session.get(Category, product.category_code)
    variants = list(session.scalars(
        select(Product).where(Product.style == product.style, Product.active.is_(True))
    )) if product.style else [product]
    variants.sort(key=lambda v: ((v.colour or "").casefold(), size_key(v.size), v.sku))
    here: dict[str, int] = {}
    if store_code:
        here = {
            level.sku: level.on_hand - level.reserved
            for level in session.scalars(select(StockLevel).where(
                StockLevel.location_code == store_code,
                StockLevel.sku.in_([v.sku for v in variants])))
        }
    base = product_out(product, category, language)
    return ProductDetail(
        **base.model_dump(),
        variants=[
            VariantOut(sku=v.sku, size=v.size, colour=v.colour,
                       colour_name=_colour_name(v, language), price_cents=v.price_cents,
                       available_here=here.get(v.sku, 0) if store_code else None)
            for v in variants
        ],
        colours=list(dict.fromkeys(v.colour for v in variants if v.colour)),
        sizes=sorted({v.size for v in variants if v.size}, key=size_key),
    )


def product_by_gtin(session: Session, gtin: str) -> Product:
    if not is_valid_ean13(gtin):
        raise InvalidInput(f"{gtin} is not a valid EAN-13 barcode (check digit).",
                           code="invalid_barcode")
    product = session.scalar(select(Product).where(Product.gtin == gtin))
    if product is None:
        raise NotFound(f"No product has the barcode {gtin}.", code="product_not_found")
    return product


def list_categories(session: Session, language: str = BASE) -> list[CategoryOut]:
    """Departments by their name in ``language``."""
    counts = dict(
        session.execute(
            select(Product.category_code, func.count())
            .where(Product.active.is_(True))
            .group_by(Product.category_code)
        ).all()
    )
    found = [
        CategoryOut(code=c.code, name=word(c.translations, language, "name", c.name),
                    final_sale=c.final_sale, product_count=counts.get(c.code, 0))
        for c in session.scalars(select(Category))
    ]
    return sorted(found, key=lambda c: (c.name.casefold(), c.code))


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
