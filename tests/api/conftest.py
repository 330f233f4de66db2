"""Fixtures the API tests share: a stocked SKU, signed-in tills, and a core whose
statements a test can count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.app import create_app
from core.db import Database
from shared.client import CommerceClient
from tests.api.helpers import set_stock, sign_in, some_sku
from tests.support import Seeded, make_settings


@pytest.fixture
def sku(as_device, seeded) -> str:  # type: ignore[no-untyped-def]
    """An ordinary item with 5 units at MI01, RM01 and WH01."""
    chosen = some_sku(as_device("MI01", "kiosk"), 3)
    for location in ("MI01", "RM01", "WH01"):
        set_stock(seeded.url, location, chosen, 5)
    return chosen


@pytest.fixture
def till(as_device) -> CommerceClient:  # type: ignore[no-untyped-def]
    """The MI01 till with the cashier (1111) signed in."""
    return sign_in(as_device("MI01", "pos"))


@pytest.fixture
def supervisor(as_device) -> CommerceClient:  # type: ignore[no-untyped-def]
    """Another MI01 till session, a supervisor (2222)."""
    return sign_in(as_device("MI01", "pos"), "2222")


@pytest.fixture
def live(seeded: Seeded, tmp_path: Path) -> Iterator[tuple[TestClient, Database, Seeded]]:
    """The core in process, with the database a test can listen on for statements;
    no webhook dispatcher, whose own polls would land among a request's statements."""
    db = Database(seeded.url)
    settings = make_settings(seeded.url, tmp_path).model_copy(update={"webhook_dispatch": False})
    with TestClient(create_app(settings, database=db)) as http:
        yield http, db, seeded
    db.dispose()
