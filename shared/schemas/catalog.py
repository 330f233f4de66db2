"""Stores, products, availability and scans."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.schemas.common import Request, Schema
from shared.schemas.enums import StoreKind


class StoreOut(Schema):
    code: str
    name: str
    kind: StoreKind
    address: str
    city: str
    timezone: str
    currency: str
    lat: float
    lon: float
    has_till: bool
    return_window_days: int = Field(
        default=30, description="Days after purchase this store takes a return (its "
        "policy: a franchise may differ); printed on its receipts.")
    legal_name: str = Field(default="", description="The company that issues this store's "
                            "receipts (a franchise or partner has its own).")
    vat_number: str = Field(default="", description="Its P.IVA: 11 digits, check digit valid.")
    legal_address: str = Field(default="", description="Its registered office.")


class ProductOut(Schema):
    sku: str
    gtin: str | None
    name: str
    description: str
    category: str
    category_name: str
    brand: str
    style: str
    size: str | None
    colour: str | None
    price_cents: int
    vat_rate_bp: int
    final_sale: bool
    active: bool
    colour_name: str | None = Field(
        default=None, description="`colour` as the shopper reads it, in the language asked "
                                  "for (`colour` itself is the key variants are chosen by).")
    style_name: str | None = Field(
        default=None, description="The style's name, without this variant's colour and size.")
    variant_count: int | None = Field(
        default=None, description="With `group=style`: active variants of the style.")
    price_min_cents: int | None = Field(
        default=None, description="With `group=style`: the style's lowest price.")
    price_max_cents: int | None = Field(
        default=None, description="With `group=style`: the style's highest price.")


class ProductPage(Schema):
    items: list[ProductOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class CategoryOut(Schema):
    code: str
    name: str
    final_sale: bool
    product_count: int


class LocationStock(Schema):
    code: str
    name: str
    kind: StoreKind
    city: str
    available: int
    distance_km: float | None = Field(
        default=None, description="From the asking device's store; nearest first."
    )


class Availability(Schema):
    sku: str
    here: LocationStock | None = Field(description="The asking device's store, if any.")
    locations: list[LocationStock] = Field(description="Every other location, nearest first.")
    online: int = Field(description="Units the web shop can sell (warehouses and stores).")


class VariantOut(Schema):
    sku: str
    size: str | None
    colour: str | None
    colour_name: str | None = Field(
        default=None, description="`colour` in the language asked for.")
    price_cents: int
    available_here: int | None = Field(
        default=None, description="Units available in the asking device's store; null "
                                  "for a device without a store.")


class ProductDetail(ProductOut):
    variants: list[VariantOut]
    colours: list[str] = Field(
        default_factory=list, description="The style's colours, in the order to show them.")
    sizes: list[str] = Field(
        default_factory=list, description="The style's sizes, smallest first (XS, S, M, L; "
                                          "numbers as numbers).")


ScanText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ScanRequest(Request):
    code: ScanText


def _left_out(value: object) -> bool:
    """A scan answer holds the product's detail and stock only when asked for them:
    a client whose schema does not know them (an older till) still reads it."""
    return value is None


class ScanResult(Schema):
    kind: Literal[
        "product", "cart", "order_pickup", "receipt", "loyalty", "return_slip", "gift_card"
    ]
    product: ProductOut | None = None
    reference: str | None = Field(
        default=None, description="Cart id, order number, card number or return number."
    )
    detail: ProductDetail | None = Field(
        default=None, exclude_if=_left_out,
        description="With `include=product`, a product's detail as `GET /v1/products/{sku}` "
                    "answers it to the caller; left out of the answer otherwise.")
    availability: Availability | None = Field(
        default=None, exclude_if=_left_out,
        description="With `include=product`, a product's stock as "
                    "`GET /v1/products/{sku}/availability` answers it to the caller; left "
                    "out of the answer otherwise.")
