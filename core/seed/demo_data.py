"""The demo chain as plain data, expanded from ``assets/demo/*.json``.

Pure Python and deterministic: the same seed gives the same catalog, barcodes,
loyalty cards and stock, so tests and docs can rely on them. Product families
(a style with sizes and colours) expand into one sellable variant each.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.stores.legal import format_partita_iva
from shared.codes import ean13_check_digit

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "demo"
GS1_PREFIX = "8012345"
"""An Italian GS1 company prefix (80x) for the demo's own barcodes."""
LOYALTY_PREFIX = "29"
"""In-store numbering range of EAN-13, used for loyalty cards."""


@dataclass(frozen=True, slots=True)
class DemoStore:
    code: str
    name: str
    kind: str
    address: str
    city: str
    timezone: str
    currency: str
    lat: float
    lon: float
    has_till: bool
    legal_name: str = ""
    vat_number: str = ""
    legal_address: str = ""
    opening_hours: dict[str, str] = field(default_factory=dict)
    """Per weekday (``mon`` ... ``sun``), as told to a shopper; a day not listed is closed."""

    def __post_init__(self) -> None:
        if self.vat_number:  # a demo with a wrong P.IVA would print it on every receipt
            format_partita_iva(self.vat_number)


@dataclass(frozen=True, slots=True)
class DemoCategory:
    code: str
    name: str
    final_sale: bool
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """The name in Italian and Spanish (``assets/demo/catalog_i18n.json``)."""


@dataclass(frozen=True, slots=True)
class DemoProduct:
    sku: str
    gtin: str
    name: str
    description: str
    category: str
    brand: str
    style: str
    size: str | None
    colour: str | None
    price_cents: int
    vat_rate_bp: int
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    """Name, description and colour in Italian and Spanish."""


@dataclass(frozen=True, slots=True)
class DemoCustomer:
    first_name: str
    last_name: str
    email: str
    phone: str
    city: str
    consent_marketing: bool
    consent_email_receipts: bool
    home_store: str
    loyalty_card: str
    language: str | None = None
    """The language of their mails (none: Italian)."""


@dataclass(frozen=True, slots=True)
class DemoStaff:
    name: str
    role: str
    stores: tuple[str, ...]
    pin: str


@dataclass(frozen=True, slots=True)
class DemoStock:
    location: str
    sku: str
    on_hand: int


@dataclass(frozen=True, slots=True)
class DemoData:
    stores: tuple[DemoStore, ...]
    categories: tuple[DemoCategory, ...]
    products: tuple[DemoProduct, ...]
    customers: tuple[DemoCustomer, ...]
    staff: tuple[DemoStaff, ...]
    stock: tuple[DemoStock, ...]


def _ean(body12: str) -> str:
    return body12 + str(ean13_check_digit(body12))


def _code(text: str, length: int) -> str:
    letters = "".join(c for c in text.upper() if c.isalnum())
    return letters[:length]


def _expand(family: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    sizes = family["sizes"] or [None]
    colours = family["colours"] or [None]
    return [(size, colour) for colour in colours for size in sizes]


def _translated(family: dict[str, Any], colour: str | None, size: str | None,
                i18n: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The variant's words in each other language, its name built as the English
    one is ("T-shirt in cotone biologico, Blu navy, M")."""
    words: dict[str, dict[str, str]] = {}
    for language, own in i18n.get("families", {}).get(family["style"], {}).items():
        local_colour = i18n.get("colours", {}).get(colour, {}).get(language, colour)
        variant = ", ".join(p for p in (local_colour, size) if p)
        words[language] = {"name": f"{own['name']}, {variant}" if variant else own["name"],
                           "description": own["description"]}
        if local_colour:
            words[language]["colour"] = local_colour
    return words


def _products(families: list[dict[str, Any]], i18n: dict[str, Any] | None = None
              ) -> list[DemoProduct]:
    products = []
    counter = 0
    for family in sorted(families, key=lambda f: f["style"]):
        for size, colour in _expand(family):
            counter += 1
            parts = [family["style"]]
            if colour:
                parts.append(_code(colour, 3))
            if size:
                parts.append(_code(size, 5))
            variant = ", ".join(p for p in (colour, size) if p)
            products.append(DemoProduct(
                sku="-".join(parts), gtin=_ean(f"{GS1_PREFIX}{counter:05d}"),
                name=f"{family['name']}, {variant}" if variant else family["name"],
                description=family["description"], category=family["category"],
                brand=family["brand"], style=family["style"], size=size, colour=colour,
                price_cents=int(family["price_cents"]), vat_rate_bp=int(family["vat_rate_bp"]),
                translations=_translated(family, colour, size, i18n or {}),
            ))
    return products


def _stock(rng: random.Random, stores: list[DemoStore], products: list[DemoProduct]
           ) -> list[DemoStock]:
    """The warehouse holds most; stores a few each, with gaps; a few SKUs sold out."""
    brands = sorted({p.brand for p in products})
    partner_brands = set(rng.sample(brands, k=max(1, len(brands) // 3)))
    sold_out = set(rng.sample([p.sku for p in products], k=6))
    stock = []
    for product in products:
        for store in stores:
            if product.sku in sold_out:
                qty = 0
            elif store.kind == "warehouse":
                qty = rng.randint(20, 120)
            elif store.kind == "multibrand" and product.brand not in partner_brands:
                continue
            else:
                qty = 0 if rng.random() < 0.15 else rng.randint(1, 12)
            stock.append(DemoStock(store.code, product.sku, qty))
    return stock


def load_demo_data(seed: int = 2026, assets_dir: Path | None = None) -> DemoData:
    folder = assets_dir or ASSETS

    def read(name: str) -> Any:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    stores = [DemoStore(**s) for s in read("stores.json")]
    catalog = read("catalog.json")
    i18n = read("catalog_i18n.json") if (folder / "catalog_i18n.json").exists() else {}
    categories = [DemoCategory(**c, translations=i18n.get("categories", {}).get(c["code"], {}))
                  for c in catalog["categories"]]
    products = _products(catalog["families"], i18n)
    customers = [
        DemoCustomer(**c, loyalty_card=_ean(f"{LOYALTY_PREFIX}{n:010d}"))
        for n, c in enumerate(read("customers.json"), start=1001)
    ]
    staff = [DemoStaff(s["name"], s["role"], tuple(s["stores"]), s["pin"])
             for s in read("staff.json")]
    rng = random.Random(seed)
    return DemoData(tuple(stores), tuple(categories), tuple(products), tuple(customers),
                    tuple(staff), tuple(_stock(rng, stores, products)))
