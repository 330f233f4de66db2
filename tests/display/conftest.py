"""The customer display of MI01's till against a real core on a free port.

The display follows Server-Sent Events, and ``httpx.ASGITransport`` hands a
response over only once the app has finished it, which an event stream never
does; so these tests run uvicorn in a subprocess (``tests/e2e/server.py``) and
talk to it over a socket, like the display in a shop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest

from pos.display import DisplayApp, make_display
from pos.settings import PosSettings
from shared.client import Api, AsyncCommerceClient
from shared.errors import Conflict
from tests.e2e.server import running_core
from tests.support import SECRET, Seeded


@pytest.fixture
def live_core(seeded_sqlite: Seeded, tmp_path: Path) -> Iterator[str]:
    """Base URL of a real core on a fresh copy of the demo chain."""
    with running_core(seeded_sqlite.url, tmp_path, secret=SECRET) as base:
        yield base


@pytest.fixture
def display_factory(live_core: str, seeded_sqlite: Seeded) -> Callable[..., DisplayApp]:
    """``display_factory()``: the display of MI01's till, sharing the till's token."""

    def make(store: str = "MI01", kind: str = "pos") -> DisplayApp:
        return make_display(PosSettings(core_url=live_core,
                                        device_token=seeded_sqlite.tokens[store][kind]))

    return make


@pytest.fixture
def device(live_core: str, seeded_sqlite: Seeded
           ) -> Callable[..., AbstractAsyncContextManager[AsyncCommerceClient]]:
    """``async with device("MI01", "pos") as till``: another client of the same core;
    a till comes signed in as the MI01 cashier with its drawer open."""

    @asynccontextmanager
    async def make(store: str, kind: str) -> AsyncIterator[AsyncCommerceClient]:
        async with AsyncCommerceClient(live_core, seeded_sqlite.tokens[store][kind]) as client:
            if kind == "pos":
                client.staff_token = (await client.call(Api.staff_sign_in("1111"))).token
                try:
                    await client.call(Api.open_till(10_000))
                except Conflict as error:
                    if error.code != "till_open":
                        raise
            yield client

    return make
