"""Filling the till's catalog from the core, a page at a time, and keeping it fresh
from the core's event log.

A page is at most 100 products and one SQLite transaction, so a 100,000-product
catalog is a thousand small steps that never hold the screen, and an
interrupted first sync keeps what it already has.

Once copied, the copy follows the log's ``catalog.changed`` events (a price, a
name, a product retired): each names the SKUs to fetch again, or says
``refresh`` when so much changed (a whole price list imported) that copying the
catalog again is cheaper. The log position the copy is good to is kept in the
store (``catalog_seq``), taken *before* a full copy starts, so a change made
while it runs is applied after it, never missed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from pos.offline.store import LocalStore
from shared.client import Api, AsyncCommerceClient
from shared.errors import NotFound
from shared.schemas.catalog import ProductOut
from shared.schemas.orders import EventOut

PAGE = 100
"""The core's largest page of ``GET /v1/products``."""
EVENT_PAGE = 500
CATALOG_EVENTS = "catalog."
POSITION = "catalog_seq"
"""Meta key: the last event of the log the local catalog reflects."""


async def sync_catalog(client: AsyncCommerceClient, store: LocalStore, *,
                       progress: Callable[[int], None] | None = None) -> int:
    """Copy every product; retired ones are forgotten only after a complete pass.
    Returns the number copied. Raises ``Unavailable`` when the core stops
    answering midway (what was copied stays)."""
    sync, cursor, copied = uuid.uuid4().hex, None, 0
    while True:
        page = await client.call(Api.products(limit=PAGE, cursor=cursor))
        copied += store.save_products(page.items, sync=sync)
        if progress is not None:
            progress(copied)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    store.drop_products_not_in(sync)
    return copied


async def catalog_total(client: AsyncCommerceClient) -> int:
    """How many products a full copy will bring (the progress line's "of N")."""
    return sum(c.product_count for c in await client.call(Api.categories()))


async def catalog_events(client: AsyncCommerceClient, after: int) -> list[EventOut]:
    """Every ``catalog.`` event after ``after``, oldest first (they are few: one per
    change command, not one per product)."""
    found: list[EventOut] = []
    while True:
        page = await client.call(Api.events(after=after, types=CATALOG_EVENTS,
                                            limit=EVENT_PAGE))
        found += page
        if len(page) < EVENT_PAGE:
            return found
        after = page[-1].seq


def position(store: LocalStore) -> int:
    return int(store.get(POSITION) or 0)


async def full_copy(client: AsyncCommerceClient, store: LocalStore, *,
                    progress: Callable[[int], None] | None = None) -> int:
    """Copy the whole catalog and note the log position it is good to."""
    events = await catalog_events(client, position(store))
    head = events[-1].seq if events else position(store)
    copied = await sync_catalog(client, store, progress=progress)
    store.put(POSITION, str(head))
    return copied


@dataclass(slots=True)
class Changes:
    """What the log asked of the local catalog since the last look."""

    refresh: bool = False
    skus: set[str] = field(default_factory=set)
    last: int = 0


def changes_in(events: list[EventOut]) -> Changes:
    changes = Changes()
    for event in events:
        changes.last = event.seq
        if event.payload.get("refresh"):
            changes.refresh = True
        skus = event.payload.get("skus")
        if isinstance(skus, list):
            changes.skus.update(str(sku) for sku in skus)
    return changes


async def apply_changes(client: AsyncCommerceClient, store: LocalStore) -> Changes:
    """Fetch again the products the log names since the local position; a
    ``refresh`` is left to the caller (a full copy, with its progress line)."""
    changes = changes_in(await catalog_events(client, position(store)))
    if changes.refresh or not changes.last:
        return changes
    fresh = []
    for sku in sorted(changes.skus):
        try:
            detail = await client.call(Api.product(sku))
            fresh.append(ProductOut.model_validate(
                detail.model_dump(include=set(ProductOut.model_fields))))
        except NotFound:
            store.drop_product(sku)
    store.save_products(fresh, sync="event")
    store.put(POSITION, str(changes.last))
    return changes
