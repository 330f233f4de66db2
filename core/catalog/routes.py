"""Catalog endpoints: health, stores, categories, products, availability."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query
from sqlalchemy import select, text

from core import __version__
from core.catalog import service
from core.catalog.translations import LANGUAGES, choose_language
from core.deps import DbDep, DeviceDep, SettingsDep
from core.returns.service import window_days
from core.stores.models import Location
from shared.schemas.catalog import (
    Availability,
    CategoryOut,
    ProductDetail,
    ProductPage,
    StoreOut,
)
from shared.schemas.common import Health

router = APIRouter(prefix="/v1", tags=["catalog"])


async def shopper_language(
    lang: Annotated[str | None, Query(
        max_length=16, description=f"Language of names and descriptions: one of "
        f"{', '.join(LANGUAGES)} (wins over `Accept-Language`; English otherwise)")] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    """The catalog's words in the shopper's language: ``?lang=`` or the
    ``Accept-Language`` a browser or a kiosk sends. Async, as it only reads the
    request: a sync dependency is a hop into the threadpool and back (a scan
    takes it too)."""
    return choose_language(lang, accept_language)


LanguageDep = Annotated[str, Depends(shopper_language)]


@router.get("/health", response_model=Health, summary="Liveness and database reachability")
def health(db: DbDep) -> Health:
    """Open to everyone (load balancers have no device token)."""
    try:
        with db.read() as session:
            session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - health reports, never raises
        database = "unreachable"
    return Health(status="ok" if database == "ok" else "degraded", database=database,
                  version=__version__)


@router.get("/stores", response_model=list[StoreOut], summary="Stores and warehouses")
def stores(db: DbDep, caller: DeviceDep, settings: SettingsDep) -> list[StoreOut]:
    with db.read() as session:
        rows = session.scalars(select(Location).order_by(Location.code))
        return [StoreOut.model_validate(r).model_copy(
            update={"return_window_days": window_days(settings, r.kind)}) for r in rows]


@router.get("/categories", response_model=list[CategoryOut], summary="Categories to browse")
def categories(db: DbDep, caller: DeviceDep, language: LanguageDep) -> list[CategoryOut]:
    with db.read() as session:
        return service.list_categories(session, language)


@router.get("/products", response_model=ProductPage, summary="Search and browse, paged")
def products(
    db: DbDep,
    caller: DeviceDep,
    language: LanguageDep,
    q: Annotated[str | None, Query(max_length=100, description="Words to search for")] = None,
    category: Annotated[str | None, Query(max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    group: Annotated[Literal["style"] | None, Query(
        description="`style`: one row per style (with its variant count and price range) "
                    "instead of one per size and colour")] = None,
) -> ProductPage:
    with db.read() as session:
        return service.list_products(session, q=q, category=category, limit=limit, cursor=cursor,
                                     group=group, language=language)


@router.get("/products/{sku}", response_model=ProductDetail, summary="Product with variants")
def product(db: DbDep, caller: DeviceDep, language: LanguageDep, sku: str) -> ProductDetail:
    with db.read() as session:
        return service.product_detail(session, sku, store_code=caller.store_code,
                                      language=language)


@router.get(
    "/products/{sku}/availability", response_model=Availability,
    summary="Available units here, in every other location (nearest first) and online",
)
def availability(db: DbDep, caller: DeviceDep, sku: str) -> Availability:
    with db.read() as session:
        return service.availability(session, sku=sku, store_code=caller.store_code)
