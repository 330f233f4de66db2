"""A kiosk of MI01 wired to a real core (in process, over ASGI) on a fresh database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from core.app import create_app
from kiosk.app import KioskApp, make_kiosk
from kiosk.settings import KioskSettings
from tests.support import Seeded, make_settings


@pytest.fixture
def core_app(seeded_sqlite: Seeded, tmp_path: Path):  # type: ignore[no-untyped-def]
    return create_app(make_settings(seeded_sqlite.url, tmp_path))


@pytest.fixture
def kiosk_factory(core_app, seeded_sqlite: Seeded) -> Callable[..., KioskApp]:  # type: ignore[no-untyped-def]
    def make(**overrides: object) -> KioskApp:
        settings = KioskSettings(core_url="http://core",
                                 device_token=seeded_sqlite.tokens["MI01"]["kiosk"],
                                 **overrides)  # type: ignore[arg-type]
        return make_kiosk(settings, transport=httpx.ASGITransport(app=core_app))

    return make
