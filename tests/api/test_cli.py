"""The ``omnitill`` command: devices, staff, migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from core.app import create_app
from tests.support import Seeded, make_settings


@pytest.fixture
def env(seeded_sqlite: Seeded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Seeded:
    monkeypatch.setenv("OMNITILL_DATABASE_URL", seeded_sqlite.url)
    monkeypatch.setenv("OMNITILL_VAR_DIR", str(tmp_path))
    return seeded_sqlite


def test_device_add_prints_a_token_that_works(env: Seeded, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["device", "add", "--kind", "kiosk", "--store", "MI01",
                                      "--name", "MI01 kiosk 2"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    with TestClient(create_app(make_settings(env.url, tmp_path))) as http:
        ok = http.get("/v1/stores", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200
        wrong = http.get("/v1/stores", headers={"Authorization": f"Bearer {token}x"})
        assert wrong.status_code == 401
        assert "not registered" in wrong.json()["detail"]


def test_device_add_for_an_unknown_store_says_so(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["device", "add", "--kind", "pos", "--store", "XX99",
                                      "--name", "ghost"])
    assert result.exit_code == 1
    assert "no store 'XX99'" in result.output


def test_staff_add_refuses_a_pin_already_used_in_the_store(env: Seeded) -> None:
    runner = CliRunner()
    taken = runner.invoke(cli, ["staff", "add", "--name", "Nuova", "--role", "cashier",
                                "--pin", "1111", "--store", "MI01"])
    assert taken.exit_code == 1 and "already used" in taken.output
    added = runner.invoke(cli, ["staff", "add", "--name", "Nuova", "--role", "cashier",
                                "--pin", "7777", "--store", "MI01"])
    assert added.exit_code == 0 and "added Nuova" in added.output


def test_db_upgrade_is_idempotent(env: Seeded) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
