"""Put the demo chain into a database: stores, catalog, stock, people, devices.

The data comes from :mod:`core.seed.demo_data` (deterministic for a seed).
Device tokens cannot be deterministic and safe at once, so fresh ones are
written to ``<var_dir>/demo-devices.json`` for the demo launcher and the docs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth import service as auth
from core.catalog import writes
from core.catalog.models import Product
from core.customers.models import Customer
from core.db import Database
from core.giftcards import service as giftcards
from core.seed.demo_data import DemoData, load_demo_data
from core.seed.history import seed_history
from core.seed.trading import seed_trading
from core.stock.models import StockLevel
from shared.schemas.enums import DeviceKind, Role


def seed_catalog(session: Session, data: DemoData) -> None:
    for store in data.stores:
        writes.upsert_location(
            session, code=store.code, name=store.name, kind=store.kind, address=store.address,
            city=store.city, timezone=store.timezone, currency=store.currency, lat=store.lat,
            lon=store.lon, has_till=store.has_till, legal_name=store.legal_name,
            vat_number=store.vat_number, legal_address=store.legal_address,
            opening_hours=dict(store.opening_hours),
        )
    for category in data.categories:
        writes.upsert_category(session, code=category.code, name=category.name,
                               final_sale=category.final_sale,
                               translations=category.translations)
    session.flush()
    for p in data.products:
        writes.upsert_product(
            session, sku=p.sku, gtin=p.gtin, name=p.name, description=p.description,
            category_code=p.category, brand=p.brand, style=p.style, size=p.size,
            colour=p.colour, price_cents=p.price_cents, vat_rate_bp=p.vat_rate_bp,
            translations=p.translations,
        )
    session.flush()
    for s in data.stock:
        session.merge(StockLevel(location_code=s.location, sku=s.sku, on_hand=s.on_hand,
                                 reserved=0))


def seed_people(session: Session, data: DemoData) -> None:
    for c in data.customers:
        session.add(Customer(
            first_name=c.first_name, last_name=c.last_name, email=c.email, phone=c.phone,
            city=c.city, home_store=c.home_store, loyalty_card=c.loyalty_card,
            consent_marketing=c.consent_marketing,
            consent_email_receipts=c.consent_email_receipts, language=c.language,
        ))
    for s in data.staff:
        auth.add_staff(session, name=s.name, role=Role(s.role), pin=s.pin, stores=list(s.stores))


def seed_devices(session: Session, data: DemoData) -> dict[str, dict[str, str]]:
    tokens: dict[str, dict[str, str]] = {}
    for store in data.stores:
        if not store.has_till:
            continue
        tokens[store.code] = {
            kind.value: auth.add_device(
                session, kind=kind, name=f"{store.code} {kind.value}", store_code=store.code
            )
            for kind in (DeviceKind.KIOSK, DeviceKind.POS)
        }
    tokens["WEB"] = {"web": auth.add_device(session, kind=DeviceKind.WEB, name="Web shop",
                                            store_code=None)}
    return tokens


DEMO_GIFT_CARDS = {"6015881399869877": ("973091", 5_000), "6014170753645565": ("815188", 1_000)}
"""Gift cards sold before the demo starts, number: (PIN, value), 50.00 and 10.00 (the
README lists them). Random-looking and Luhn-checked like any card sold; fixed so
the docs and tests can name them."""


def seed_gift_cards(session: Session) -> None:
    for number, (pin, cents) in DEMO_GIFT_CARDS.items():
        giftcards.issue(session, amount_cents=cents, reference="demo", number=number, pin=pin)


def seed_demo(db: Database, *, var_dir: Path, seed: int = 2026,
              trading_days: int = 0) -> dict[str, dict[str, str]]:
    """Seed an empty, migrated database; refuses one that already has products.

    ``trading_days`` adds that many days of recent trading (``omnitill demo``
    asks for two weeks, so the back office has figures to show).
    """
    data = load_demo_data(seed=seed)
    with db.read() as session:
        if session.scalar(select(func.count()).select_from(Product)):
            raise RuntimeError("the database already has a catalog; demo data goes into an "
                               "empty database")
    with db.write() as session:
        seed_catalog(session, data)
    with db.write() as session:
        seed_people(session, data)
        tokens = seed_devices(session, data)
        seed_gift_cards(session)
    with db.write() as session:
        # The recent trading has its own numbers after these: history ends before it.
        seed_history(session, data, seed=seed, newest_days=max(3, trading_days + 1))
        if trading_days:
            seed_trading(session, data, seed=seed, days=trading_days)
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / "demo-devices.json"
    path.write_text(json.dumps(tokens, indent=2))
    path.chmod(0o600)
    return tokens
