"""A till of MI01 wired to a real core (in process, over ASGI), printing to a Dummy."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from escpos.printer import Dummy

from core.app import create_app
from pos.app import PosApp, make_pos
from pos.settings import PosSettings
from shared.client import CommerceClient
from shared.printers import PROFILE
from tests.api.helpers import sign_in
from tests.support import Seeded, make_settings


@pytest.fixture
def core_app(seeded_sqlite: Seeded, tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(make_settings(seeded_sqlite.url, tmp_path))


@pytest.fixture
def printed() -> list[Dummy]:
    return []


def _open_drawer(core_app, device_token: str) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from fastapi.testclient import TestClient

    http = TestClient(core_app)
    till = CommerceClient("http://testserver", device_token, http=http)
    sign_in(till, "2222")


@pytest.fixture
def till_factory(core_app, seeded_sqlite: Seeded, printed) -> Callable[..., PosApp]:  # type: ignore[no-untyped-def]
    def make(printer_fails: bool = False, till_open: bool = True) -> PosApp:
        """A till app; ``till_open`` opens its drawer first (100.00 float), as the
        morning's first cashier would have, so a test starts where it means to."""
        if till_open:
            _open_drawer(core_app, seeded_sqlite.tokens["MI01"]["pos"])

        def printer() -> Dummy:
            if printer_fails:
                raise OSError("printer offline")
            printed.append(Dummy(profile=PROFILE))
            return printed[-1]

        settings = PosSettings(core_url="http://core",
                               device_token=seeded_sqlite.tokens["MI01"]["pos"])
        return make_pos(settings, transport=httpx.ASGITransport(app=core_app),
                        printer_factory=printer)

    return make


@pytest.fixture
def core_client(core_app, seeded_sqlite: Seeded):  # type: ignore[no-untyped-def]
    """Another device talking to the same core (a kiosk, the web shop)."""
    from shared.client import AsyncCommerceClient

    def make(store: str, kind: str) -> AsyncCommerceClient:
        return AsyncCommerceClient("http://core", seeded_sqlite.tokens[store][kind],
                                   transport=httpx.ASGITransport(app=core_app))

    return make
