"""Webhook tests: a core in process (its dispatcher running in the TestClient's
loop) with quick retries, and a manager signed in on the MI01 till."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.app import create_app
from core.settings import CoreSettings
from tests.support import SECRET, Seeded

QUICK = {"webhook_poll_seconds": 0.1, "webhook_backoff_seconds": 0.2,
         "webhook_backoff_cap_seconds": 0.5, "webhook_max_attempts": 3,
         "webhook_timeout_seconds": 5.0}


def quick_settings(url: str, var_dir: Path, **changes: Any) -> CoreSettings:
    return CoreSettings(database_url=url, var_dir=var_dir, secret=SECRET,
                        **(QUICK | changes))


@pytest.fixture
def core(seeded: Seeded, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(quick_settings(seeded.url, tmp_path)),
                    raise_server_exceptions=False) as http:
        yield http


def manager_headers(http: TestClient, tokens: dict[str, dict[str, str]],
                    pin: str = "3333") -> dict[str, str]:
    device = {"Authorization": f"Bearer {tokens['MI01']['pos']}"}
    signed = http.post("/v1/auth/staff", json={"pin": pin}, headers=device)
    assert signed.status_code == 200, signed.text
    return device | {"X-Staff-Token": signed.json()["token"]}


@pytest.fixture
def manager(core: TestClient, tokens: dict[str, dict[str, str]]) -> dict[str, str]:
    return manager_headers(core, tokens)
