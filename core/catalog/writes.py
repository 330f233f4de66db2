"""Writing the catalog (seed, ERP imports): the only place products are saved,
so the search text always matches what is shown."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.catalog.models import Category, Product
from core.catalog.search import search_text_for
from core.events.service import emit
from core.problems import InvalidInput
from core.stores.models import Location
from shared.codes import is_valid_ean13

REFRESH_OVER = 100
"""A change to more products than this tells tills to copy the catalog again rather
than fetch each one (an import of a whole price list)."""


def upsert_location(session: Session, **fields: object) -> Location:
    code = str(fields["code"]).upper()
    location = session.get(Location, code) or Location(code=code)
    for key, value in fields.items():
        if key != "code":
            setattr(location, key, value)
    session.add(location)
    return location


def upsert_category(session: Session, *, code: str, name: str, final_sale: bool,
                    translations: dict[str, Any] | None = None) -> Category:
    """``translations``: the name in other languages (``None`` keeps what it had)."""
    category = session.get(Category, code) or Category(code=code)
    category.name, category.final_sale = name, final_sale
    if translations is not None:
        category.translations = translations
    session.add(category)
    return category


def upsert_product(
    session: Session,
    *,
    sku: str,
    name: str,
    category_code: str,
    price_cents: int,
    vat_rate_bp: int,
    gtin: str | None = None,
    description: str = "",
    brand: str = "",
    style: str = "",
    size: str | None = None,
    colour: str | None = None,
    active: bool = True,
    translations: dict[str, Any] | None = None,
) -> Product:
    """``translations``: name, description and colour in other languages (see
    ``catalog.translations``; ``None`` keeps what the product had). Their names are
    searchable too, so "cotone" finds the tee in an Italian kiosk."""
    if price_cents < 0:
        raise InvalidInput(f"{sku}: a price cannot be negative.")
    if gtin is not None and not is_valid_ean13(gtin):
        raise InvalidInput(f"{sku}: {gtin} is not a valid EAN-13 barcode.")
    category = session.get(Category, category_code)
    if category is None:
        raise InvalidInput(f"{sku}: there is no category {category_code!r}.")
    sku = sku.upper()
    product = session.get(Product, sku) or Product(sku=sku)
    product.name, product.category_code, product.price_cents = name, category_code, price_cents
    product.vat_rate_bp, product.gtin, product.description = vat_rate_bp, gtin, description
    product.brand, product.style, product.size, product.colour = brand, style, size, colour
    product.active = active
    if translations is not None:
        product.translations = translations
    translated = [words.get("name") for words in (product.translations or {}).values()
                  if isinstance(words, dict)]
    product.search_text = " ".join(
        [search_text_for(name, brand, category.name, category.code, sku, description)]
        + [search_text_for(words) for words in translated if words])
    session.add(product)
    return product


def catalog_changed(session: Session, skus: list[str]) -> None:
    """Tell the tills (``catalog.changed``, chain-wide) which products to fetch again,
    so their offline copy sells at today's price; a large change says ``refresh``.
    Every writer of products calls this once per command, after its upserts."""
    if not skus:
        return
    wanted = sorted({sku.upper() for sku in skus})
    if len(wanted) > REFRESH_OVER:
        emit(session, "catalog.changed", refresh=True, count=len(wanted))
    else:
        emit(session, "catalog.changed", skus=wanted)


def set_price(session: Session, *, sku: str, price_cents: int) -> Product:
    """Today's price of one product, in every channel at once (and on every till's
    offline copy, through the event)."""
    if price_cents < 0:
        raise InvalidInput(f"{sku}: a price cannot be negative.")
    product = session.get(Product, sku.upper())
    if product is None:
        raise InvalidInput(f"There is no product {sku!r}.")
    product.price_cents = price_cents
    catalog_changed(session, [product.sku])
    return product
