"""Filling the till's catalog from the core, a page at a time.

A page is at most 100 products and one SQLite transaction, so a 100,000-product
catalog is a thousand small steps that never hold the screen, and an
interrupted first sync keeps what it already has.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from pos.offline.store import LocalStore
from shared.client import Api, AsyncCommerceClient

PAGE = 100
"""The core's largest page of ``GET /v1/products``."""


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
