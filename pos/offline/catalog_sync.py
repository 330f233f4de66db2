"""Filling the till's catalog from the core, a page at a time, and keeping it fresh
from the core's event log.

A page is at most 100 products and one SQLite transaction, so a 100,000-product
catalog is a thousand small steps that never hold the screen, and an
interrupted first sync keeps what it already has.

A till that restarts does not copy it all again (see :func:`resume`).
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
from datetime import UTC, datetime, timedelta

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
POSITION_AT = "catalog_seq_at"
"""Meta key: that event's time, to know it is still the same event on the core."""
COPIED_AT = "catalog_copied_at"
"""Meta key: when the last full copy finished."""
RECOPY_AFTER = timedelta(hours=24)
"""A till that restarts copies the whole catalog again at most this often: in
between it catches up from the log, which for 100,000 products is the difference
between minutes and a fraction of a second."""


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
    """Copy the whole catalog and note the log position it is good to (read from
    the start of the log when the one kept is not the core's any more)."""
    start = position(store) if await _still_there(client, store) else 0
    events = await catalog_events(client, start)
    head, at = (events[-1].seq, events[-1].created_at.isoformat()) if events else (
        start, store.get(POSITION_AT) or "" if start else "")
    copied = await sync_catalog(client, store, progress=progress)
    store.put(POSITION, str(head))
    store.put(POSITION_AT, at)
    store.put(COPIED_AT, datetime.now(UTC).isoformat())
    return copied


async def resume(client: AsyncCommerceClient, store: LocalStore) -> bool:
    """Bring a copy made before (a till restarting) up to date from the log, if it
    can be trusted: copied in full within :data:`RECOPY_AFTER`, and its log
    position still names the same event on the core (a core restored from a
    backup has not). False: copy it all again."""
    copied_at = store.get(COPIED_AT)
    if not copied_at or not store.product_count():
        return False
    if datetime.now(UTC) - datetime.fromisoformat(copied_at) > RECOPY_AFTER:
        return False
    if not await _still_there(client, store):
        return False
    return not (await apply_changes(client, store)).refresh


async def _still_there(client: AsyncCommerceClient, store: LocalStore) -> bool:
    """The event the local position names is still that event on the core."""
    at = position(store)
    if not at:
        return True
    same = await client.call(Api.events(after=at - 1, types=CATALOG_EVENTS, limit=1))
    return bool(same) and same[0].seq == at and \
        same[0].created_at.isoformat() == store.get(POSITION_AT)


@dataclass(slots=True)
class Changes:
    """What the log asked of the local catalog since the last look."""

    refresh: bool = False
    skus: set[str] = field(default_factory=set)
    last: int = 0
    last_at: str = ""


def changes_in(events: list[EventOut]) -> Changes:
    changes = Changes()
    for event in events:
        changes.last, changes.last_at = event.seq, event.created_at.isoformat()
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
    store.put(POSITION_AT, changes.last_at)
    return changes
