"""Fixtures the API tests share: a stocked SKU and signed-in tills."""

from __future__ import annotations

import pytest

from shared.client import CommerceClient
from tests.api.helpers import set_stock, sign_in, some_sku


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
